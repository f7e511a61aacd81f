"""Specification of the trust layer (issue 15): calibrated field confidences and review flags."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import Settings
from pipeline.export import task_rows, write_tasks
from pipeline.quality import page_quality
from pipeline.trust import attach_trust, load_calibration
from pipeline.trust.calibrate import (
    choose_cut,
    expected_calibration_error,
    fit_logistic,
    flag_scores,
    predict,
)
from pipeline.trust.features import FEATURES, Context, FieldValue, task_fields
from pipeline.trust.labels import Labelled, label_task_field
from pipeline.trust.train import choose_rows
from pipeline.trust.words import fit_table, label_words
from pipeline.types import (
    Box,
    Document,
    Evidence,
    Line,
    Page,
    Source,
    Table,
    TableCell,
    Task,
    TimeSpec,
    Word,
)

ROOT = Path(__file__).resolve().parents[1]


def test_logistic_fit_recovers_known_probabilities_and_is_calibrated() -> None:
    rng = np.random.default_rng(0)
    x = np.column_stack([np.ones(4000), rng.integers(0, 2, 4000)])
    p_true = np.where(x[:, 1] == 1, 0.6, 0.97)
    y = (rng.random(4000) < p_true).astype(float)
    w = fit_logistic(x, y, l2=0.01)
    p = predict(x, w)
    assert abs(p[x[:, 1] == 1].mean() - 0.6) < 0.03
    assert abs(p[x[:, 1] == 0].mean() - 0.97) < 0.01
    assert expected_calibration_error(p, y) < 0.02


def test_cut_catches_the_asked_share_of_wrong_values() -> None:
    conf = np.array([0.1, 0.2, 0.3, 0.9, 0.95, 0.99, 0.99, 0.99])
    right = np.array([0, 0, 1, 0, 1, 1, 1, 1])
    cut = choose_cut(conf, right, 0.66)
    s = flag_scores(conf, right, cut)
    assert s["recall"] >= 0.66 and s["flagged"] == 2


def test_word_table_never_falls_as_confidence_rises() -> None:
    labels = [(95.0, True)] * 50 + [(95.0, False)] * 10 + [(40.0, True)] * 30
    table = fit_table(labels)
    assert all(a <= b for a, b in zip(table, table[1:], strict=False))


def test_misread_word_is_labelled_wrong_against_the_transcript() -> None:
    words = [Word(text=t, conf=c) for t, c in [("Sở", 96), ("Tư", 95), ("phấp", 41)]]
    page = Page(
        number=1,
        width=10,
        height=10,
        source="ocr",
        lines=[Line(text="Sở Tư phấp", raw_text="Sở Tư phấp", words=words)],
    )
    labels = label_words(page, "Giao Sở Tư pháp chủ trì")
    assert labels == [(96, True), (95, True), (41, False)]


def test_page_read_through_its_table_cells_is_not_scored_100() -> None:
    cells = [
        TableCell(row=0, col=0, text="Sở Tài chính chủ trì", conf=70.0),
        TableCell(row=0, col=1, text="Quý IV", conf=80.0),
    ]
    table = Table(n_rows=1, n_cols=2, cells=cells)
    q = page_quality([Line(text="", raw_text="", region="table")], Settings(), [table])
    assert q.mean_conf < 80 and q.needs_review and q.review_reasons


def _ocr_doc(conf: float) -> Document:
    words = [
        Word(text=t, conf=conf, box=Box(x0=0, y0=0, x1=5, y1=5))
        for t in "Chủ trì: Sở Tư pháp".split()
    ]
    line = Line(text="Chủ trì: Sở Tư pháp", raw_text="Chủ trì: Sở Tư pháp", words=words)
    page = Page(number=1, width=100, height=100, source="ocr", lines=[line])
    task = Task(
        ref="1",
        title="Rà soát văn bản",
        chu_tri=["Sở Tư pháp"],
        thoi_gian=TimeSpec(text="Quý IV năm 2026", end="2026-12-31"),
        pages=[1],
        evidence=[Evidence(page=1, line=0, conf=conf)],
    )
    src = Source(path="x.pdf", sha256="ab" * 32, kind="pdf", size_bytes=1, page_count=1)
    return Document(source=src, pages=[page], tasks=[task])


def test_every_field_gets_a_confidence_and_doubtful_ones_a_reason() -> None:
    assert load_calibration() is not None, "models/trust/v1.json: run `make train-trust`"
    good = attach_trust(_ocr_doc(96.0)).tasks[0]
    bad = attach_trust(_ocr_doc(30.0)).tasks[0]
    assert set(good.field_confidence) == {"title", "chu_tri[0]", "phoi_hop", "thoi_gian"}
    assert bad.field_confidence["chu_tri[0]"] < good.field_confidence["chu_tri[0]"]
    assert bad.needs_review and any(r.startswith("chu_tri[0]:") for r in bad.review_reasons)


def test_page_names_its_flagged_values_and_flags_a_poor_reading() -> None:
    poor = attach_trust(_ocr_doc(30.0)).pages[0].quality
    assert any("task 1" in r for r in poor.review_reasons)
    assert poor.needs_review and poor.expected_word_error and poor.expected_word_error > 0.05
    clean = attach_trust(_ocr_doc(97.0)).pages[0].quality
    assert clean.expected_word_error is not None and clean.expected_word_error < 0.05


def test_features_are_the_fitted_models_features() -> None:
    ctx = Context.of([], [])
    fields = task_fields(0, Task(ref="1", chu_tri=["Sở A", "Sở B"]), ctx)
    assert {f.name for f in fields} == {
        "title",
        "chu_tri[0]",
        "chu_tri[1]",
        "phoi_hop",
        "thoi_gian",
    }
    assert all(len(f.vector()) == len(FEATURES) for f in fields)


def test_labels_follow_the_parser_scores() -> None:
    gold = {"ref": "1", "title": "", "chu_tri": [], "thuc_hien": ["UBND tỉnh"], "phoi_hop": []}
    fields = {
        f.name: f
        for f in task_fields(0, Task(ref="1", chu_tri=["Ủy ban nhân dân tỉnh"]), Context.of([], []))
    }
    assert label_task_field(fields["chu_tri[0]"], gold, "") is True  # thực hiện counts as lead
    assert label_task_field(fields["phoi_hop"], gold, "") is True  # empty and none in gold
    assert label_task_field(fields["thoi_gian"], gold, "") is True
    assert label_task_field(fields["title"], gold, "") is None  # no gold title: unlabelled
    assert label_task_field(fields["chu_tri[0]"], None, "") is False  # task not in gold


def test_tasks_csv_carries_the_flag_and_the_field_confidences(tmp_path: Path) -> None:
    doc = attach_trust(_ocr_doc(30.0))
    write_tasks(tmp_path, task_rows(doc, "x"))
    with (tmp_path / "tasks.csv").open(encoding="utf-8-sig") as fh:
        row = next(csv.DictReader(fh))
    assert row["needs_review"] == "True"
    assert "chu_tri[0]" in row["review_reasons"] and "chu_tri[0]=" in row["field_confidence"]
    assert 0 <= float(row["confidence_chu_tri"]) <= 1


def test_vndoc_run_writes_confidences_into_document_json(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["run", str(ROOT / "tests/data/plan-hatinh-357.txt"), "--out", str(out), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    doc = Document.model_validate_json(next(out.glob("*/document.json")).read_text("utf-8"))
    assert doc.tasks and all(t.field_confidence for t in doc.tasks)
    assert doc.header.field_confidence


def _rows(doc: str, split: str, n: int, wrong_when: float) -> list[Labelled]:
    """n labelled title fields of one document: a field is wrong when its confidence deficit
    (the one feature that varies) is above `wrong_when`."""
    rng = np.random.default_rng(len(doc) + n)
    out = []
    for _ in range(n):
        deficit = float(rng.uniform(0, 1))
        fv = FieldValue(0, "title", "title", "x", {"is_title": 1.0, "conf_deficit_mean": deficit})
        out.append(Labelled(doc, split, "text", fv, right=deficit <= wrong_when))
    return out


def test_unseen_document_rows_join_the_fit_only_when_they_are_predicted_better() -> None:
    # today's readings are right nearly always; on unseen documents the same deficit means more
    # errors: fitting with them predicts them better, so they are used, and the meta says so
    today = [r for d in "ABCD" for r in _rows(f"today{d}", "dev", 80, 0.9)]
    unseen = [r for d in "ABCD" for r in _rows(f"today{d}", "unseen", 80, 0.5)]
    fit_on, meta = choose_rows(today + unseen)
    assert meta["used"] and fit_on.all()
    assert meta["with"]["log_loss_unseen"] < meta["without"]["log_loss_unseen"]
    fit_on, meta = choose_rows(today)
    assert meta == {} and fit_on.all()
