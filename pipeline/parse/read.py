"""A document's tasks: one walk of its tree, each task read from exactly one node by its kind.

`table` nodes give one task per row, `fields` nodes one per field block, `sentences` nodes one per
assigning sentence or duty bullet (`tree.Node.kind`). Nothing is reconciled afterwards: a node is
read once, so an item cannot come out twice under two refs. Tasks come in reading order.
"""

from __future__ import annotations

from datetime import date

from pipeline.parse.sentences import sentence_tasks
from pipeline.parse.tasks import dedupe_refs, prose_tasks, table_tasks
from pipeline.parse.tree import Node
from pipeline.types import Task


def _position(task: Task) -> tuple[int, int]:
    ev = task.evidence[0] if task.evidence else None
    return (ev.page, ev.line or 0) if ev else (0, 0)


def read_tasks(root: Node, wrapped: bool, doc_date: date | None) -> list[Task]:
    """Every task of the tree, refs made unique, in the order the document prints them (a table's
    rows where the table starts)."""
    prose = prose_tasks(root, doc_date) + sentence_tasks(root, wrapped, doc_date)
    placed = [(_position(t), t) for t in prose]
    tables = [n for n in root.walk() if n.table is not None]
    placed += [
        (node.table.anchor, t)  # type: ignore[union-attr]
        for k, node in enumerate(tables)
        for t in table_tasks(node, k, doc_date)
    ]
    return dedupe_refs([t for _, t in sorted(placed, key=lambda p: p[0])])
