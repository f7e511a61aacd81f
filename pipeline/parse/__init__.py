"""Structure parsing: header fields, outline and tasks from pages of repaired text.

`parse_document(pages)` is the stage entry: pages from text (`source="text"`, no boxes) or from OCR
(lines with boxes and layout regions, tables as grids) give the same result shape. Regions are used
when present (the left header column holds the agency) but never required.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from pipeline.parse.agencies import split_agencies
from pipeline.parse.canon import canonical_agency
from pipeline.parse.doclines import body_lines, header_atoms
from pipeline.parse.header import parse_header
from pipeline.parse.read import read_tasks
from pipeline.parse.sentences import is_wrapped
from pipeline.parse.tables import find_task_tables
from pipeline.parse.timespec import parse_time
from pipeline.parse.tree import build_tree
from pipeline.types import Header, Page, Task

__all__ = ["ParseResult", "parse_document", "parse_time", "split_agencies"]


class ParseResult(BaseModel):
    """What the parser read from one document."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    header: Header
    tasks: list[Task]
    warnings: list[str] = []


def _doc_date(header: Header) -> date | None:
    try:
        return date.fromisoformat(header.date) if header.date else None
    except ValueError:
        return None


def with_canonical(task: Task) -> Task:
    """The task with its chủ trì / phối hợp agencies also in canonical form (`canon.py`)."""
    return task.model_copy(
        update={
            "chu_tri_canonical": [canonical_agency(a) for a in task.chu_tri],
            "phoi_hop_canonical": [canonical_agency(a) for a in task.phoi_hop],
        }
    )


def parse_document(pages: list[Page]) -> ParseResult:
    """Header and tasks (in reading order, from the document's tree) of a whole document."""
    if not pages:
        return ParseResult(header=Header(), tasks=[], warnings=["no pages"])
    tables = find_task_tables(pages)
    skip = {src for t in tables for src in t.sources}
    atoms = header_atoms(pages, skip)
    first = [a for a in atoms if a.page == pages[0].number]
    header, warnings = parse_header(first, atoms)
    lines = body_lines(pages)
    doc_date = _doc_date(header)
    tree = build_tree(lines, tables)  # items and task tables: each task read from one node
    tasks = [with_canonical(t) for t in read_tasks(tree, is_wrapped(lines), doc_date)]
    for task in tasks:
        if not (task.chu_tri or task.thuc_hien):
            warnings.append(f"task {task.ref}: no chủ trì")
    return ParseResult(header=header, tasks=tasks, warnings=warnings)
