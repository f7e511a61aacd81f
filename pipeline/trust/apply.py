"""Field confidences, review flags and reasons written onto a parsed `Document` (issue 15).

`attach_trust(document)` is called by the runner right after parsing: each task and the header get
`field_confidence` (P(right) per field, from the fitted calibration in `models/trust/v1.json`),
`needs_review` and `review_reasons`; each page gets the flag when a field on it does. Without a
fitted model the fields keep their defaults and nothing is flagged beyond the page rule.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pipeline.types import Document, Header, Page, Task

from .calibrate import Calibration
from .features import FEATURES, SPAN_FEATURES, Context, FieldValue, header_fields, task_fields
from .spans import Tagger, load_tagger
from .words import expected_word_error

MODEL = Path(__file__).resolve().parents[2] / "models" / "trust" / "v1.json"

# What a feature that pushes a value towards wrong tells the reviewer.
REASONS = {
    "conf_deficit_min": "a word under it was read with low OCR confidence",
    "conf_deficit_mean": "low OCR confidence",
    "low_conf_share": "words under confidence 60",
    "unsure_share": "words under confidence 90",
    "no_words_found": "its words were not found on the page",
    "repaired": "text repair changed a word in it",
    "not_syllable_share": "words that are not Vietnamese syllables",
    "agency_unknown": "agency not in the gazetteer",
    "agency_near_known": "agency one slip from a known one",
    "agency_no_head": "does not open like an agency name",
    "agency_long": "long for one agency (two glued?)",
    "agency_glued": "looks like two agencies glued",
    "time_unparsed": "time not understood as a date or period",
    "time_absent": "no time found",
    "title_empty": "empty",
    "title_long": "long title (spill-over?)",
    "many_entries": "one of many entries",
    "multi_page": "task runs across pages",
    "seal_on_page": "seal on the page",
    "page_flagged": "page read poorly",
    "no_lead": "task has no lead agency",
    "task_conf_deficit": "the parser found fields missing or low-confidence lines",
    "kind_table": "read from a table",
    "kind_duty": "duty under an agency heading",
    "read_ocr": "read by OCR",
    "is_empty_role": "nothing found for this role",
    "ref_repeated": "its number repeats another task's",
    "ref_deep": "deep in the outline",
    "ref_article": "an article of a decision, not a numbered task",
    "ref_unnumbered": "no printed number",
    "time_clock": "a clock time, not a deadline",
    "agency_person": "a person's title, not a body",
    "found_by_sentence": "read from a sentence",
    "header_empty": "not found",
    "agency_bare": "a head word alone",
    "lstm_alternatives": "the OCR weighed other readings of its words",
    "table_continued": "a table continued from the page before",
    "agency_two_heads": "two bodies' names in one entry",
    "word_error_expected": "its words are likely misread (real-scan calibration)",
    "word_error_worst": "a word in it is likely misread (real-scan calibration)",
    "doc_no_lead_share": "many tasks of this document have no lead",
    "value_under_seal": "its words lie under a seal",
    "agency_model_disagrees": "the span model does not read this agency",
    "model_agency_unassigned": "the span model reads an agency the rules gave no role",
}


@cache
def _load(path: str, mtime: float) -> Calibration | None:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not set(data.get("features", [])) <= set(FEATURES):
        return None  # fitted on features this code does not compute: refit (`make train-trust`)
    # a feature the model was fitted without weighs 0 (`train.choose_features`)
    weights = dict(zip(data["features"], data["weights"], strict=True))
    return Calibration(
        tuple(float(weights.get(f, 0.0)) for f in FEATURES),
        float(data["cut"]),
        frozenset(data.get("gazetteer", [])),
        tuple(data.get("word_table", [])),
        float(data.get("page_cut", 0.05)),
    )


def load_calibration(path: Path = MODEL) -> Calibration | None:
    if not path.exists():
        return None
    return _load(str(path), path.stat().st_mtime)


def reasons_of(cal: Calibration, fv: FieldValue, limit: int = 2) -> list[str]:
    """The features that pushed this value furthest towards wrong, as words."""
    pushes = sorted(
        (v, f) for f, v in cal.contributions(fv.vector()).items() if v < 0 and f in REASONS
    )
    return [f"{fv.name}: {REASONS[f]}" for _, f in pushes[:limit]]


def _score(cal: Calibration, fields: list[FieldValue]) -> tuple[dict[str, float], list[str]]:
    conf, reasons = {}, []
    for fv in fields:
        p = cal.probability(fv.vector())
        conf[fv.name] = round(p, 4)
        if p < cal.cut:
            reasons += reasons_of(cal, fv) or [
                f"{fv.name}: P(right) {p:.2f} under the cut {cal.cut:.2f} for values of its kind"
            ]
    return conf, reasons


def trust_task(cal: Calibration, index: int, task: Task, ctx: Context) -> Task:
    conf, reasons = _score(cal, task_fields(index, task, ctx))
    update = {"field_confidence": conf, "needs_review": bool(reasons), "review_reasons": reasons}
    # the task's own confidence becomes its weakest field's (the parser's score is not calibrated:
    # it read 0.7-1.0 on right and wrong tasks alike, issue 15); the features read the parser's
    # score, so a document is trusted once (`attach_trust` leaves a trusted document alone)
    update["confidence"] = round(min(conf.values()), 4) if conf else task.confidence
    return task.model_copy(update=update)


def trust_header(cal: Calibration, header: Header, ctx: Context) -> Header:
    conf, reasons = _score(cal, header_fields(header, ctx))
    return header.model_copy(
        update={"field_confidence": conf, "needs_review": bool(reasons), "review_reasons": reasons}
    )


def flag_pages(pages: list[Page], tasks: list[Task], header: Header) -> list[Page]:
    """Each page's reasons name the flagged values read on it. The page's own flag stays about
    its reading (confidence rule, expected word error): on a scan most values of a badly parsed
    document are flagged, and a page flag that followed them would say nothing about the page."""
    by_page: dict[int, list[str]] = {}
    for t in tasks:
        if t.needs_review:
            for n in t.pages or sorted({e.page for e in t.evidence}):
                by_page.setdefault(n, []).append(f"task {t.ref}")
    if header.needs_review:
        for ev in header.evidence.values():
            by_page.setdefault(ev.page, []).append("header")
    out = []
    for p in pages:
        reasons = list(p.quality.review_reasons)
        fields = sorted(set(by_page.get(p.number, [])))
        if fields:
            reasons.append("values to check: " + ", ".join(fields[:8]))
        quality = p.quality.model_copy(update={"review_reasons": reasons})
        out.append(p.model_copy(update={"quality": quality}))
    return out


def page_trust(cal: Calibration, page: Page) -> Page:
    """The page's expected share of wrong OCR words (word confidences through the real-scan
    calibration), and the flag when it is over the cut."""
    if not cal.word_table:
        return page
    expected = expected_word_error(page, list(cal.word_table))
    if expected is None:
        return page
    q = page.quality
    reasons = list(q.review_reasons)
    if expected > cal.page_cut:
        reasons.append(f"expected {expected:.1%} of its words misread (> {cal.page_cut:.0%})")
    quality = q.model_copy(
        update={
            "expected_word_error": round(expected, 4),
            "needs_review": q.needs_review or expected > cal.page_cut,
            "review_reasons": reasons,
        }
    )
    return page.model_copy(update={"quality": quality})


def attach_trust(document: Document, model: Path = MODEL, tag: Tagger | None = None) -> Document:
    """The document with field confidences and review flags on its tasks, header and pages.

    `tag` is the parser's span model where a caller already holds one; otherwise it is loaded
    once per process (about 0.9 s, then ~9 ms a task), and only when the calibration weighs a
    span feature: confidences at run time are then the ones `make bench-trust` measured."""
    cal = load_calibration(model)
    if cal is None or any(t.field_confidence for t in document.tasks):
        return document
    if not any(cal.weights[FEATURES.index(f)] for f in SPAN_FEATURES):
        tag = None  # the calibration left the span model out: do not run it
    elif tag is None and document.tasks:
        tag = load_tagger()  # cached: once per process
    ctx = Context.of(
        document.pages, document.repairs, cal.gazetteer, document.tasks, cal.word_table, tag
    )
    tasks = [trust_task(cal, i, t, ctx) for i, t in enumerate(document.tasks)]
    header = trust_header(cal, document.header, ctx)
    pages = flag_pages([page_trust(cal, p) for p in document.pages], tasks, header)
    return document.model_copy(update={"tasks": tasks, "header": header, "pages": pages})
