"""Specification of two field-confidence signals (issue 15): a seal over the value's own words,
and disagreement between the rules and the span model (cross-fitted on dev)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.parse.canon import agency_key
from pipeline.trust import attach_trust
from pipeline.trust.apply import load_calibration
from pipeline.trust.features import (
    CANDIDATES,
    FEATURES,
    SPAN_FEATURES,
    Context,
    FieldValue,
    header_fields,
    task_fields,
)
from pipeline.trust.labels import Labelled
from pipeline.trust.seals import under_seal
from pipeline.trust.spans import fold_taggers, folds, load_tagger, task_text
from pipeline.trust.train import choose_features
from pipeline.types import (
    Box,
    Document,
    Evidence,
    Header,
    Line,
    Page,
    Signer,
    Source,
    StageLog,
    Task,
    Word,
)


def _sealed_page(upscale: float = 1.0) -> Page:
    """An OCR page whose seal (input-image pixels 100-300) covers `Sở Tư pháp` and not `Sở Y tế`;
    the words are on the cleaned page, upscaled by `upscale` after the seal was found."""
    f = upscale

    def word(text: str, x: int, y: int) -> Word:
        return Word(
            text=text,
            conf=90,
            box=Box(x0=int(x * f), y0=int(y * f), x1=int((x + 30) * f), y1=int((y + 20) * f)),
        )

    lead = [word("Sở", 150, 200), word("Tư", 190, 200), word("pháp", 230, 200)]
    other = [word("Sở", 400, 500), word("Y", 440, 500), word("tế", 470, 500)]
    stages = [
        StageLog(
            stage="seal",
            applied=True,
            detail={"seals": [{"x0": 100, "y0": 100, "x1": 300, "y1": 300}], "frame": "input"},
        ),
        StageLog(stage="upscale", applied=f != 1.0, detail={"factor": f}),
    ]
    lines = [
        Line(text="Sở Tư pháp", raw_text="Sở Tư pháp", words=lead),
        Line(text="Sở Y tế", raw_text="Sở Y tế", words=other),
    ]
    return Page(
        number=1, width=int(600 * f), height=int(800 * f), source="ocr", lines=lines, stages=stages
    )


def _task(**roles: list[str]) -> Task:
    evidence = [Evidence(page=1, line=0), Evidence(page=1, line=1)]
    return Task(
        ref="1", title="Rà soát", content="Rà soát văn bản", pages=[1], evidence=evidence, **roles
    )


def _features(task: Task, ctx: Context) -> dict[str, dict[str, float]]:
    return {f.name: f.features for f in task_fields(0, task, ctx)}


def test_value_whose_words_lie_under_a_seal_is_marked_and_one_beside_it_is_not() -> None:
    for upscale in (1.0, 2.0):  # words on the cleaned page are taken back to the seal's frame
        ctx = Context.of([_sealed_page(upscale)], [])
        got = _features(_task(chu_tri=["Sở Tư pháp"], phoi_hop=["Sở Y tế"]), ctx)
        assert got["chu_tri[0]"]["value_under_seal"] == 1.0
        assert got["phoi_hop[0]"]["value_under_seal"] == 0.0
        assert got["chu_tri[0]"]["seal_on_page"] == got["phoi_hop[0]"]["seal_on_page"] == 1.0


def test_page_without_a_seal_puts_no_value_under_one() -> None:
    page = _sealed_page().model_copy(update={"stages": []})
    assert not under_seal(page, [Box(x0=150, y0=200, x1=180, y1=220)])


def test_span_model_disagreement_marks_an_agency_it_does_not_read_and_one_the_rules_missed() -> (
    None
):
    read = frozenset({agency_key("Sở Tư pháp"), agency_key("Sở Tài chính")})
    seen: list[str] = []

    def tag(text: str) -> frozenset[str]:
        seen.append(text)
        return read

    task = _task(chu_tri=["Sở Tư pháp"], phoi_hop=["Sở Y tế theo kế hoạch"])
    got = _features(task, Context.of([_sealed_page()], [], tag=tag))
    assert got["chu_tri[0]"]["agency_model_disagrees"] == 0.0
    assert got["phoi_hop[0]"]["agency_model_disagrees"] == 1.0
    # the model reads the task as `goldeval` does: its content, then each rule name on its own
    assert seen == [task_text(task)] == ["Rà soát văn bản; Sở Tư pháp; Sở Y tế theo kế hoạch"]
    empty = _features(_task(chu_tri=["Sở Tư pháp"]), Context.of([], [], tag=tag))
    assert empty["phoi_hop"]["model_agency_unassigned"] == 1.0  # Sở Tài chính: given no role


def test_without_a_span_model_the_features_read_zero_and_an_older_model_still_loads(
    tmp_path: Path,
) -> None:
    assert load_tagger(tmp_path) is None  # no model folder: no spaCy loaded
    fields = task_fields(0, _task(chu_tri=["Sở Tư pháp"]), Context.of([], []))
    assert all(f.features.get(n, 0.0) == 0.0 for f in fields for n in CANDIDATES)
    older = [f for f in FEATURES if f not in CANDIDATES]
    path = tmp_path / "v1.json"
    model = {"features": older, "weights": [0.5] * len(older), "cut": 0.9}
    path.write_text(json.dumps(model), encoding="utf-8")
    cal = load_calibration(path)
    assert cal is not None and len(cal.weights) == len(FEATURES)
    assert [cal.weights[FEATURES.index(n)] for n in CANDIDATES] == [0.0] * len(CANDIDATES)


def test_a_documents_two_readings_share_a_fold_and_the_folds_are_fixed() -> None:
    ids = ["P02", "B08-pdf", "B08", "P03", "seed-357", "B09-pdf"]
    fold = folds(ids, k=3)
    assert fold["B08"] == fold["B08-pdf"]
    assert fold == folds(list(reversed(ids)), k=3)
    assert set(fold.values()) == {0, 1, 2}


def _rows(rng: np.random.Generator, doc: str, n: int = 120) -> list[Labelled]:
    """Agency fields of one document: `agency_model_disagrees` marks most wrong ones, while
    `value_under_seal` falls anywhere."""
    out = []
    for _ in range(n):
        right = bool(rng.random() < 0.8)
        features = {
            "is_agency": 1.0,
            "agency_model_disagrees": float(rng.random() < (0.1 if right else 0.9)),
            "value_under_seal": float(rng.random() < 0.3),
        }
        out.append(
            Labelled(
                doc, "dev", "text", FieldValue(0, "chu_tri[0]", "chu_tri", "x", features), right
            )
        )
    return out


def test_a_candidate_feature_is_kept_only_when_it_predicts_dev_better_out_of_fold() -> None:
    rng = np.random.default_rng(0)
    rows = [r for d in "ABCDE" for r in _rows(rng, d)]
    off, meta = choose_features(rows)
    assert meta["agency_model_disagrees"]["kept"] and "agency_model_disagrees" not in off
    assert not meta["value_under_seal"]["kept"] and "value_under_seal" in off
    kept = meta["agency_model_disagrees"]
    assert kept["log_loss_with"] < kept["log_loss_without"]


def test_a_span_feature_must_also_pay_for_loading_the_model_at_run_time() -> None:
    """The same small, steady gain keeps a feature read from the page but not one that makes
    `vndoc run` load spaCy: under `COSTLY_GAIN` of dev log-loss it is not worth the seconds."""
    rows = []
    for doc in "ABCDEFGH":
        for i in range(300):
            rare = i % 50 == 0  # 2% of the fields, all wrong: a real but small signal
            right = not rare and bool((i * 7919 + ord(doc)) % 10 < 8)
            marks = {"model_agency_unassigned": float(rare), "value_under_seal": float(rare)}
            value = FieldValue(0, "chu_tri[0]", "chu_tri", "x", {"is_agency": 1.0, **marks})
            rows.append(Labelled(doc, "dev", "text", value, right))
    _, costly = choose_features(rows, ("model_agency_unassigned",))
    _, cheap = choose_features(rows, ("value_under_seal",))
    assert cheap["value_under_seal"]["kept"] and not costly["model_agency_unassigned"]["kept"]
    gain = costly["model_agency_unassigned"]
    assert gain["log_loss_with"] < gain["log_loss_without"] and gain["documents_worse"] == 0


def test_no_document_is_read_by_a_span_model_trained_on_it(tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    records = []
    for i, agency in enumerate(["Sở Tư pháp", "Sở Y tế"]):
        (texts / f"d{i}.txt").write_text(f"Giao {agency} chủ trì thực hiện.\n", encoding="utf-8")
        task = {"ref": "1", "title": "", "chu_tri": [agency], "phoi_hop": [], "thuc_hien": []}
        records.append({"id": f"d{i}", "split": "dev", "text": f"d{i}.txt", "tasks": [task]})
    records.append({**records[0], "id": "t0", "split": "test"})
    gold = tmp_path / "gold.jsonl"
    taggers = fold_taggers(gold, records, tmp_path / "cache", k=2)
    assert set(taggers) == {"d0", "d1"}  # test documents are read by the committed model
    for fitted in sorted((tmp_path / "cache").glob("fold*/gold/gold.jsonl")):
        ids = {json.loads(line)["id"] for line in fitted.read_text(encoding="utf-8").splitlines()}
        assert len(ids) == 1 and "t0" not in ids
    assert taggers["d0"] is not taggers["d1"]


def test_a_calibration_without_the_span_features_never_runs_the_span_model(
    tmp_path: Path,
) -> None:
    kept = [f for f in FEATURES if f not in SPAN_FEATURES]
    path = tmp_path / "v1.json"
    model = {"features": kept, "weights": [1.0] * len(kept), "cut": 0.5}
    path.write_text(json.dumps(model), encoding="utf-8")
    calls: list[str] = []

    def tag(text: str) -> frozenset[str]:
        calls.append(text)
        return frozenset()

    src = Source(path="x.txt", sha256="ab" * 32, kind="text", size_bytes=1, page_count=1)
    doc = Document(source=src, pages=[_sealed_page()], tasks=[_task(chu_tri=["Sở Tư pháp"])])
    assert attach_trust(doc, path, tag).tasks[0].field_confidence
    assert calls == []
    spans = {**model, "features": FEATURES, "weights": [1.0] * len(FEATURES)}
    path = tmp_path / "with-spans.json"
    path.write_text(json.dumps(spans), encoding="utf-8")
    assert attach_trust(doc, path, tag).tasks[0].field_confidence and len(calls) == 1


def test_signers_name_under_the_seal_is_found_below_the_headers_anchor_line() -> None:
    page = _sealed_page()
    anchor = Line(text="KT. CHỦ TỊCH", raw_text="KT. CHỦ TỊCH")  # the signer's evidence line
    name = [
        Word(text=t, conf=90, box=Box(x0=x, y0=250, x1=x + 30, y1=270))
        for t, x in (("Trần", 120), ("Văn", 160), ("An", 200))
    ]
    lines = [anchor, *page.lines, Line(text="Trần Văn An", raw_text="Trần Văn An", words=name)]
    page = page.model_copy(update={"lines": lines})
    header = Header(
        signer=Signer(name="Trần Văn An"), evidence={"signer": Evidence(page=1, line=0)}
    )
    got = {f.name: f.features for f in header_fields(header, Context.of([page], []))}
    assert got["signer_name"]["value_under_seal"] == 1.0


def test_at_run_time_the_span_model_is_loaded_when_the_calibration_weighs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`vndoc run` passes no tagger: the confidences it writes must still be the ones the
    benchmark measured, so a calibration that weighs a span feature loads the model itself."""
    import pipeline.trust.apply as apply

    calls: list[str] = []

    def tag(text: str) -> frozenset[str]:
        calls.append(text)
        return frozenset({"sở tư pháp"})

    monkeypatch.setattr(apply, "load_tagger", lambda: tag)
    path = tmp_path / "with-spans.json"
    model = {"features": FEATURES, "weights": [1.0] * len(FEATURES), "cut": 0.5}
    path.write_text(json.dumps(model), encoding="utf-8")
    src = Source(path="x.txt", sha256="ab" * 32, kind="text", size_bytes=1, page_count=1)
    doc = Document(source=src, pages=[_sealed_page()], tasks=[_task(chu_tri=["Sở Tư pháp"])])
    assert attach_trust(doc, path).tasks[0].field_confidence and calls


def test_a_table_row_read_over_two_printed_rows_is_marked_split() -> None:
    from pipeline.parse import parse_document
    from pipeline.textpage import text_to_pages
    from pipeline.trust.features import task_fields
    from tests.test_parse_name_bounds import ROW_CUT_BY_A_BREAK

    pages = text_to_pages(ROW_CUT_BY_A_BREAK)
    tasks = parse_document(pages).tasks
    ctx = Context.of(pages, [], tasks=tasks)
    split = {t.ref: task_fields(i, t, ctx)[0].features["split_cell"] for i, t in enumerate(tasks)}
    assert split == {"PL.1": 0.0, "PL.2": 1.0, "PL.3": 0.0}
