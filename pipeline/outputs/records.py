"""The rows every table output shares: tasks, documents and agency links, from a `Document`.

Task rows are tasks.json's rows (`export.task_rows`) plus every other field the `Task` record
carries (kind, responsible, objective, ...), taken from its serialized form, so a field added
to `Task` reaches the spreadsheet, Parquet and the catalogue without an edit here.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from ..export import task_rows
from ..types import Document

DATE_COLUMNS = ("doc_date", "thoi_gian_start", "thoi_gian_end", "thoi_gian_deadline")
DOC_DATE_COLUMNS = ("date",)
ROLES = {"chu_tri": "chủ trì", "phoi_hop": "phối hợp", "thuc_hien": "thực hiện"}
_TASK_SKIP = {"thoi_gian", "source", "evidence"}  # flattened in tasks.json's own columns


def task_records(doc: Document, name: str) -> list[dict[str, Any]]:
    """tasks.json's rows for `doc`, with any further Task fields appended as columns."""
    rows = []
    for row, task in zip(task_rows(doc, name), doc.tasks, strict=True):
        rec = row.model_dump()
        for key, value in task.model_dump(mode="json").items():
            if key not in rec and key not in _TASK_SKIP:
                rec[key] = value
        rows.append(rec)
    return rows


def document_record(doc: Document, name: str) -> dict[str, Any]:
    """One row per document: its source, header fields, page quality and counts."""
    header = doc.header.model_dump(mode="json")
    signer = header.pop("signer", {}) or {}
    header.pop("evidence", None)
    pages = doc.pages
    ocr = [p for p in pages if p.source == "ocr"]
    return {
        "document": name,
        "source_path": doc.source.path,
        "sha256": doc.source.sha256,
        "kind": doc.source.kind,
        "size_bytes": doc.source.size_bytes,
        "page_count": doc.source.page_count,
        **{k: v for k, v in header.items()},
        "signer_name": signer.get("name"),
        "signer_title": signer.get("title"),
        "signer_authority": signer.get("authority", []),
        "tasks": len(doc.tasks),
        "pages_ocr": len(ocr),
        "pages_needing_review": sum(p.quality.needs_review for p in pages),
        "mean_conf": round(sum(p.quality.mean_conf for p in ocr) / len(ocr), 2) if ocr else None,
        "repairs": len(doc.repairs),
        "warnings": list(doc.warnings),
        "generator": doc.generator,
        "schema_version": doc.schema_version,
    }


def agency_links(doc: Document) -> list[dict[str, Any]]:
    """(task index, role, agency as printed, canonical name) for every agency of every task."""
    out = []
    for i, task in enumerate(doc.tasks):
        t = task.model_dump(mode="json")
        for field, role in ROLES.items():
            printed = t.get(field) or []
            canon = t.get(f"{field}_canonical") or []
            if len(canon) != len(printed):
                canon = printed  # no canonical list (thực hiện) or not parallel: as printed
            for pos, (p, c) in enumerate(zip(printed, canon, strict=True)):
                out.append({"task": i, "role": role, "position": pos, "printed": p, "agency": c})
    return out


def agency_rows(docs: list[tuple[str, Document]]) -> list[dict[str, Any]]:
    """One row per canonical agency: how many tasks it leads, co-operates on, executes."""
    return agency_rows_from_links((name, agency_links(doc)) for name, doc in docs)


def agency_rows_from_links(
    links: Iterable[tuple[str, list[dict[str, Any]]]],
) -> list[dict[str, Any]]:
    """`agency_rows` from each document's `agency_links`, so a batch need not hold documents."""
    table: dict[str, dict[str, Any]] = {}
    for name, doc_links in links:
        for link in doc_links:
            row = table.setdefault(
                link["agency"],
                {"agency": link["agency"], "spellings": set(), "documents": set()}
                | {r: 0 for r in ROLES.values()},
            )
            row[link["role"]] += 1
            row["spellings"].add(link["printed"])
            row["documents"].add(name)
    rows = []
    for row in sorted(table.values(), key=lambda r: r["agency"]):
        rows.append(
            {
                "agency": row["agency"],
                **{f"tasks_{k}": row[v] for k, v in ROLES.items()},
                "documents": sorted(row["documents"]),
                "spellings": sorted(row["spellings"]),
            }
        )
    return rows


def as_date(value: Any) -> date | None:
    """An ISO date string as a date; anything else (partial, text, None) as None."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


def scalar_or_json(value: Any) -> Any:
    """Dicts and lists of non-strings as JSON text: a table cell holds scalars and string lists."""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list) and any(not isinstance(v, str | int | float) for v in value):
        return json.dumps(value, ensure_ascii=False)
    return value


Docs = Iterable[tuple[str, Document]]


@dataclasses.dataclass
class BatchRows:
    """The rows of the batch tables, added one document at a time: a batch of any size is
    written holding one document and these rows (a few kB a document), never every document
    at once (issue 13)."""

    tasks: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    documents: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    links: list[tuple[str, list[dict[str, Any]]]] = dataclasses.field(default_factory=list)

    def add(self, name: str, doc: Document) -> None:
        self.tasks += task_records(doc, name)
        self.documents.append(document_record(doc, name))
        self.links.append((name, agency_links(doc)))

    @classmethod
    def of(cls, docs: BatchRows | Docs) -> BatchRows:
        if isinstance(docs, BatchRows):
            return docs
        rows = cls()
        for name, doc in docs:
            rows.add(name, doc)
        return rows
