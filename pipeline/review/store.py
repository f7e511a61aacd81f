"""review.json: a reviewer's corrected document, when it was saved, and its differences from the
machine's reading. `document.json` is never touched; exports prefer the reviewed document
(`export.load_reviewed`).

The editor sends header fields and a task list; each task names the machine tasks it came from
(`origin`: one index for an edited task, the same index twice after a split, several after a
merge, none for a new task), so what the reviewer cannot see or edit (evidence, pages, section,
kind, ...) is carried over from the machine's reading instead of being lost.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..export import (
    DOCUMENT_JSON,
    REVIEW_JSON,
    atomic_write_json,
    load_document,
    load_reviewed,
    rebuild_tasks,
)
from ..parse.canon import canonical_agency
from ..parse.timespec import parse_time
from ..textnorm import nfc
from ..types import Document, Header, ReviewStamp, Signer, Task, TimeSpec

REVIEW_VERSION = "1"
HEADER_TEXT_FIELDS = (
    "agency",
    "parent_agency",
    "number_symbol",
    "doc_type",
    "place",
    "date",
    "date_text",
    "title",
)
LIST_FIELDS = ("chu_tri", "phoi_hop", "thuc_hien")


class Edit(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TimeEdit(Edit):
    text: str = ""
    start: str | None = None
    end: str | None = None
    deadline: str | None = None


class TaskEdit(Edit):
    origin: list[int] = Field([], max_length=500)
    ref: str = Field("", max_length=200)
    title: str = Field("", max_length=5000)
    content: str = Field("", max_length=100_000)
    chu_tri: list[str] = Field([], max_length=200)
    phoi_hop: list[str] = Field([], max_length=200)
    thuc_hien: list[str] = Field([], max_length=200)
    thoi_gian: TimeEdit = TimeEdit()
    # None: keep the machine's value (the page sends them all; older clients may not)
    kind: Literal["item", "table_row", "duty"] | None = None
    responsible: str | None = Field(None, max_length=2000)
    objective: str | None = Field(None, max_length=20_000)
    modality: Literal["request", "assign", "invite", ""] | None = None
    notes: list[str] | None = Field(None, max_length=200)


class HeaderEdit(Edit):
    agency: str | None = None
    parent_agency: str | None = None
    number_symbol: str | None = None
    doc_type: str | None = None
    place: str | None = None
    date: str | None = None
    date_text: str | None = None
    title: str | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    recipients: list[str] = Field([], max_length=500)
    marks: list[str] | None = Field(None, max_length=20)
    signer_authority: list[str] | None = Field(None, max_length=20)


class ReviewEdit(Edit):
    """What the review page posts."""

    header: HeaderEdit
    tasks: list[TaskEdit] = Field(max_length=5000)
    # The review revision the page was drawn from (0: the machine's reading); a save made from
    # an older drawing is refused rather than silently undoing a later one. None: not checked.
    base_revision: int | None = Field(None, ge=0)


class StaleReview(ValueError):
    """The document was saved again since the page was drawn."""


def _text(value: str | None) -> str | None:
    value = nfc(value or "").strip()
    return value or None


def _names(values: list[str]) -> list[str]:
    return [v for v in (nfc(x).strip() for x in values) if v]


def _iso(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    date.fromisoformat(value)  # ValueError → the request is refused
    return value


def _header(machine: Header, edit: HeaderEdit) -> Header:
    fields: dict[str, Any] = {k: _text(getattr(edit, k)) for k in HEADER_TEXT_FIELDS}
    fields["date"] = _iso(fields["date"])
    fields["recipients"] = _names(edit.recipients)
    if edit.marks is not None:
        fields["marks"] = _names(edit.marks)
    authority = machine.signer.authority
    signer = Signer(
        name=_text(edit.signer_name),
        title=_text(edit.signer_title),
        authority=authority if edit.signer_authority is None else _names(edit.signer_authority),
    )
    checked = {"needs_review": False, "review_reasons": []}  # a person has checked them
    return machine.model_copy(update={**fields, **checked, "signer": signer})


def _time(machine: TimeSpec | None, edit: TimeEdit, doc_date: date | None) -> TimeSpec | None:
    text = nfc(edit.text).strip()
    dates = {k: _iso(getattr(edit, k)) for k in ("start", "end", "deadline")}
    if not text and not any(dates.values()):
        return None
    if machine is not None and text == machine.text:
        return machine.model_copy(update=dates)
    old = {k: getattr(machine, k) for k in dates} if machine else dict.fromkeys(dates)
    if dates == old:  # the text was rewritten and no date touched: read the new text's dates
        return parse_time(text, doc_date)
    return TimeSpec(text=text, **dates)


def _task(machine: list[Task], edit: TaskEdit, doc_date: date | None) -> Task:
    sources = [machine[i] for i in edit.origin if 0 <= i < len(machine)]
    base = sources[0] if sources else Task(ref=edit.ref or "?", source="prose")
    pages = sorted({p for t in sources for p in t.pages})
    evidence = [e for t in sources for e in t.evidence]
    lists = {k: _names(getattr(edit, k)) for k in LIST_FIELDS}
    more: dict[str, Any] = {}
    if edit.kind is not None:
        more["kind"] = edit.kind
    if edit.responsible is not None:
        more["responsible"] = _text(edit.responsible)
    if edit.objective is not None:
        more["objective"] = nfc(edit.objective).strip()
    if edit.modality is not None:
        more["modality"] = edit.modality or None
    if edit.notes is not None:
        more["notes"] = _names(edit.notes)
    return base.model_copy(
        update={
            **more,
            "ref": nfc(edit.ref).strip() or base.ref,
            "title": nfc(edit.title).strip(),
            "content": nfc(edit.content).strip(),
            **lists,
            "chu_tri_canonical": [canonical_agency(a) for a in lists["chu_tri"]],
            "phoi_hop_canonical": [canonical_agency(a) for a in lists["phoi_hop"]],
            "thoi_gian": _time(base.thoi_gian if sources else None, edit.thoi_gian, doc_date),
            "pages": pages,
            "evidence": list(dict.fromkeys(evidence)) if len(sources) > 1 else base.evidence,
            "confidence": 1.0,  # a person read it
            "needs_review": False,
            "review_reasons": [],
        }
    )


def apply_edit(machine: Document, edit: ReviewEdit) -> Document:
    """The machine document with the reviewer's header and tasks; pages, repairs, source kept.
    Raises ValueError (pydantic's ValidationError included) for a malformed date."""
    header = _header(machine.header, edit.header)
    doc_date = date.fromisoformat(header.date) if header.date else None
    tasks = [_task(machine.tasks, t, doc_date) for t in edit.tasks]
    return Document.model_validate(
        {
            **machine.model_dump(),
            "header": header.model_dump(),
            "tasks": [t.model_dump() for t in tasks],
        }
    )


def _task_key(tasks: list[Task]) -> dict[tuple[str, int], Task]:
    """Tasks keyed by (ref, n-th task with that ref), so repeated refs still pair up."""
    seen: dict[str, int] = {}
    out = {}
    for t in tasks:
        n = seen.get(t.ref, 0)
        seen[t.ref] = n + 1
        out[(t.ref, n)] = t
    return out


_COMPARED = (
    "title",
    "content",
    "chu_tri",
    "phoi_hop",
    "thuc_hien",
    "thoi_gian",
    "kind",
    "responsible",
    "objective",
    "modality",
    "notes",
)


def differences(machine: Document, reviewed: Document) -> list[dict[str, Any]]:
    """Header fields and tasks that differ: `{"path", "machine", "reviewed"}`; a task added or
    removed is one entry with the whole task on one side."""
    out: list[dict[str, Any]] = []
    mh, rh = header_fields(machine.header), header_fields(reviewed.header)
    for field in mh:
        if mh[field] != rh[field]:
            out.append({"path": f"header.{field}", "machine": mh[field], "reviewed": rh[field]})
    old, new = _task_key(machine.tasks), _task_key(reviewed.tasks)
    for key in old.keys() - new.keys():
        out.append(
            {"path": f"tasks[{key[0]}#{key[1]}]", "machine": _brief(old[key]), "reviewed": None}
        )
    for key in new.keys() - old.keys():
        out.append(
            {"path": f"tasks[{key[0]}#{key[1]}]", "machine": None, "reviewed": _brief(new[key])}
        )
    for key in old.keys() & new.keys():
        a, b = old[key].model_dump(), new[key].model_dump()
        for field in _COMPARED:
            if a[field] != b[field]:
                out.append(
                    {
                        "path": f"tasks[{key[0]}#{key[1]}].{field}",
                        "machine": a[field],
                        "reviewed": b[field],
                    }
                )
    if [t.ref for t in machine.tasks] != [t.ref for t in reviewed.tasks] and not out:
        out.append(
            {
                "path": "tasks.order",
                "machine": [t.ref for t in machine.tasks],
                "reviewed": [t.ref for t in reviewed.tasks],
            }
        )
    return sorted(out, key=lambda d: d["path"])


def header_fields(header: Header) -> dict[str, Any]:
    out: dict[str, Any] = {k: getattr(header, k) for k in HEADER_TEXT_FIELDS}
    out["signer_name"] = header.signer.name
    out["signer_title"] = header.signer.title
    out["recipients"] = list(header.recipients)
    out["marks"] = list(header.marks)
    out["signer_authority"] = list(header.signer.authority)
    return out


def _brief(task: Task) -> dict[str, Any]:
    return {k: v for k, v in task.model_dump(mode="json").items() if k in ("ref", *_COMPARED)}


def read_review(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / REVIEW_JSON).read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def current_revision(folder: Path) -> int:
    """How many times the document was saved (the `revision` of review.json; 0 for none)."""
    review = read_review(folder)
    value = review.get("revision", 1) if review else 0
    return value if isinstance(value, int) and value >= 0 else 1


def save_review(folder: Path, edit: ReviewEdit) -> dict[str, Any]:
    """Write `folder/review.json` atomically and rebuild the batch's tasks.csv/json with the
    reviewed values; returns what was written."""
    machine, loaded = load_document(folder), load_reviewed(folder)
    if machine is None or loaded is None:
        raise FileNotFoundError(folder / DOCUMENT_JSON)
    revision = current_revision(folder) if loaded[1] else 0
    if edit.base_revision is not None and edit.base_revision != revision:
        raise StaleReview(
            f"saved elsewhere since this page was opened (revision {revision}, page drawn "
            f"from {edit.base_revision}): reload it and make the change again"
        )
    # The page's task origins index the document it shows: the last review, if any.
    reviewed = apply_edit(loaded[0], edit)
    changes = differences(machine, reviewed)
    saved_at = datetime.now(UTC).isoformat(timespec="seconds")
    stamp = ReviewStamp(saved_at=saved_at, changes=len(changes))
    record = {
        "review_version": REVIEW_VERSION,
        "revision": revision + 1,
        "document": reviewed.model_copy(update={"review": stamp}).model_dump(mode="json"),
        "saved_at": saved_at,
        "source_sha256": machine.source.sha256,
        "machine_generator": machine.generator,
        "changes": changes,
    }
    atomic_write_json(folder / REVIEW_JSON, record)
    rebuild_tasks(folder.parent)
    record["warnings"] = refresh_tables(folder.parent, folder.name)
    return record


TABLE_FILES = {"xlsx": "tasks.xlsx", "parquet": "tasks.parquet"}


def refresh_tables(out_dir: Path, name: str) -> list[str]:
    """The batch tables and catalogue already in `out_dir`, brought up to date with a saved
    review (tasks.csv/json are rebuilt by `rebuild_tasks`). A failure here is reported, not
    raised: the review itself is saved."""
    from ..config import Settings
    from ..outputs import export_outputs
    from ..outputs.catalogue import CATALOGUE, update_catalogue

    warnings: list[str] = []
    try:
        formats = [f for f, file in TABLE_FILES.items() if (out_dir / file).is_file()]
        if formats:
            warnings += export_outputs(out_dir, formats, Settings())
        loaded = load_reviewed(out_dir / name)
        if (out_dir / CATALOGUE).is_file() and loaded is not None:
            update_catalogue(out_dir, [(name, loaded[0])])
    except Exception as exc:  # noqa: BLE001 - the review is saved; the tables can be rebuilt
        warnings.append(f"tables not refreshed: {type(exc).__name__}: {exc}")
    return warnings
