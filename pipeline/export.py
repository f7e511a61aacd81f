"""Outputs: document.json, text.txt, tasks.csv/json and report.json, each written atomically.

Every file is written to a temporary sibling and renamed into place, so an interrupted run never
leaves a file that looks complete. `document.json` is written last for an input: its presence, with
the input's sha256, is what marks the input done for a re-run.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field

from .types import SCHEMA_VERSION, Document, ReviewStamp

DOCUMENT_JSON = "document.json"
TEXT_TXT = "text.txt"
REVIEW_JSON = "review.json"  # a reviewer's corrections (`vndoc review`); document.json stays

_UMASK = os.umask(0)
os.umask(_UMASK)

TASK_COLUMNS = [
    "document",
    "source_path",
    "number_symbol",
    "doc_type",
    "doc_date",
    "agency",
    "ref",
    "title",
    "content",
    "chu_tri",
    "phoi_hop",
    "thuc_hien",
    "chu_tri_canonical",
    "phoi_hop_canonical",
    "thoi_gian",
    "thoi_gian_start",
    "thoi_gian_end",
    "thoi_gian_deadline",
    "thoi_gian_recurrence",
    "section",
    "task_source",
    "pages",
    "confidence",
    "needs_review",
    "review_reasons",
    "confidence_title",
    "confidence_chu_tri",
    "confidence_phoi_hop",
    "confidence_thoi_gian",
    "field_confidence",
    "reviewed",
]


class TaskRow(BaseModel):
    """One row of tasks.csv / tasks.json: a task with its document's identifying fields."""

    document: str = Field(description="output folder name of the input (its file stem)")
    source_path: str
    number_symbol: str | None
    doc_type: str | None
    doc_date: str | None
    agency: str | None
    ref: str
    title: str
    content: str
    chu_tri: list[str]
    phoi_hop: list[str]
    thuc_hien: list[str]
    chu_tri_canonical: list[str]
    phoi_hop_canonical: list[str]
    thoi_gian: str | None
    thoi_gian_start: str | None
    thoi_gian_end: str | None
    thoi_gian_deadline: str | None
    thoi_gian_recurrence: str | None
    section: list[str]
    kind: str = Field(description="item, table_row or duty")
    responsible: str | None = Field(description="a duty's heading agency")
    objective: str
    modality: str | None
    notes: list[str]
    task_source: str
    pages: list[int]
    confidence: float
    needs_review: bool = Field(
        False, description="a field's calibrated confidence is under the cut"
    )
    review_reasons: list[str] = Field([], description="`field: why` for each field to check")
    confidence_title: float | None = Field(None, description="P(title right), issue 15")
    confidence_chu_tri: float | None = Field(None, description="lowest P(right) of its chủ trì")
    confidence_phoi_hop: float | None = Field(None, description="lowest P(right) of its phối hợp")
    confidence_thoi_gian: float | None = Field(None, description="P(thời gian right)")
    field_confidence: str = Field("", description="every field's P(right): `title=0.98; ...`")
    reviewed: bool = Field(
        False, description="the values come from a reviewer's corrections (review.json)"
    )


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))


def atomic_write_json(path: Path, obj: Any) -> None:
    atomic_write_text(path, json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def document_text(doc: Document) -> str:
    """One line per text line, pages separated by a form feed."""
    return "\f".join(page.text + "\n" if page.lines else "" for page in doc.pages)


def write_document(folder: Path, doc: Document) -> None:
    atomic_write_text(folder / TEXT_TXT, document_text(doc))
    # Straight to bytes: the text of a 500-page volume is ~60 MB, and a Python str of
    # Vietnamese text takes 2-4 bytes a character on top of the encoded copy (issue 13).
    data = doc.__pydantic_serializer__.to_json(doc, indent=2) + b"\n"
    atomic_write_bytes(folder / DOCUMENT_JSON, data)


def load_document(folder: Path) -> Document | None:
    try:
        return Document.model_validate_json((folder / DOCUMENT_JSON).read_bytes())
    except (OSError, ValueError):
        return None


def load_reviewed(folder: Path) -> tuple[Document, bool] | None:
    """The document as exports should show it: the reviewed one from `review.json` when a
    reviewer saved corrections for this very input (same sha256), else `document.json`.
    The flag says which; `None` when the folder holds no readable document."""
    doc = load_document(folder)
    if doc is None:
        return None
    try:
        review = json.loads((folder / REVIEW_JSON).read_bytes())
        reviewed = Document.model_validate(review["document"])
    except (OSError, ValueError, KeyError, TypeError):
        return doc, False
    if reviewed.source.sha256 != doc.source.sha256:
        return doc, False  # the input was re-read since: the review is about another reading
    if reviewed.review is None:  # every writer marks its rows from the document itself
        stamp = ReviewStamp(saved_at=str(review.get("saved_at", "")), changes=0)
        reviewed = reviewed.model_copy(update={"review": stamp})
    return reviewed, True


def is_complete(folder: Path, sha256: str) -> bool:
    """Outputs exist, parse, belong to this exact input and to this schema version."""
    if not (folder / TEXT_TXT).is_file():
        return False
    doc = load_document(folder)
    return doc is not None and doc.source.sha256 == sha256 and doc.schema_version == SCHEMA_VERSION


def task_rows(doc: Document, name: str, reviewed: bool | None = None) -> list[TaskRow]:
    """tasks.csv/json rows; `reviewed` defaults to whether `doc` is a reviewed document."""
    reviewed = doc.review is not None if reviewed is None else reviewed
    h = doc.header
    rows = []
    for t in doc.tasks:
        tg = t.thoi_gian
        rows.append(
            TaskRow(
                document=name,
                source_path=doc.source.path,
                number_symbol=h.number_symbol,
                doc_type=h.doc_type,
                doc_date=h.date,
                agency=h.agency,
                ref=t.ref,
                title=t.title,
                content=t.content,
                chu_tri=t.chu_tri,
                phoi_hop=t.phoi_hop,
                thuc_hien=t.thuc_hien,
                chu_tri_canonical=t.chu_tri_canonical,
                phoi_hop_canonical=t.phoi_hop_canonical,
                thoi_gian=tg.text if tg else None,
                thoi_gian_start=tg.start if tg else None,
                thoi_gian_end=tg.end if tg else None,
                thoi_gian_deadline=tg.deadline if tg else None,
                thoi_gian_recurrence=tg.recurrence if tg else None,
                section=t.section,
                kind=t.kind,
                responsible=t.responsible,
                objective=t.objective,
                modality=t.modality,
                notes=t.notes,
                task_source=t.source,
                pages=t.pages,
                confidence=t.confidence,
                **_trust_columns(t.field_confidence),
                needs_review=t.needs_review,
                review_reasons=t.review_reasons,
                reviewed=reviewed,
            )
        )
    return rows


def _trust_columns(conf: dict[str, float]) -> dict[str, Any]:
    """The calibrated field confidences (issue 15) as flat columns: per field the lowest."""

    def lowest(field: str) -> float | None:
        values = [v for k, v in conf.items() if k == field or k.startswith(f"{field}[")]
        return min(values) if values else None

    return {
        **{f"confidence_{f}": lowest(f) for f in ("title", "chu_tri", "phoi_hop", "thoi_gian")},
        "field_confidence": "; ".join(f"{k}={v:.3f}" for k, v in conf.items()),
    }


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """Lists joined with '; '; text that a spreadsheet would run as a formula gets a leading
    apostrophe (OWASP CSV injection advice), which Excel hides and the text keeps."""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_tasks(out_dir: Path, rows: list[TaskRow]) -> None:
    records = [r.model_dump() for r in rows]
    atomic_write_json(out_dir / "tasks.json", records)
    frame = pd.DataFrame([{k: csv_safe(v) for k, v in r.items()} for r in records])
    frame = frame.reindex(columns=TASK_COLUMNS)
    # UTF-8 with BOM: Excel opens it as UTF-8 instead of the local code page.
    atomic_write_bytes(out_dir / "tasks.csv", frame.to_csv(index=False).encode("utf-8-sig"))


def rebuild_tasks(out_dir: Path) -> int:
    """Rewrite tasks.csv/json of `out_dir`, reviewed values preferred: the documents of its
    report.json (ok or skipped), or every `<stem>/document.json` when there is no report.
    Returns the number of rows."""
    try:
        report = json.loads((out_dir / "report.json").read_bytes())
        names = [
            r["output"] for r in report.get("inputs", []) if r.get("status") in ("ok", "skipped")
        ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        names = sorted(p.parent.name for p in out_dir.glob(f"*/{DOCUMENT_JSON}"))
    rows: list[TaskRow] = []
    for name in names:
        loaded = load_reviewed(out_dir / name) if name else None
        if loaded is not None:
            rows += task_rows(loaded[0], name, reviewed=loaded[1])
    write_tasks(out_dir, rows)
    return len(rows)


def write_report(out_dir: Path, report: dict[str, Any]) -> None:
    atomic_write_json(out_dir / "report.json", report)
