"""The overview's two charts as plain numbers for an inline SVG (drawn by the template, so every
label goes through the template's escaping): tasks per lead agency, and deadlines by month."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from ..types import Document

BAR_HEIGHT = 22
LABEL_WIDTH = 330
BAR_SPACE = 360


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    y: int
    width: float


@dataclass(frozen=True)
class Column:
    label: str  # YYYY-MM
    count: int
    x: float
    height: float
    tasks: tuple[str, ...]  # "document ref" of the tasks due that month (tooltip)


def agency_bars(docs: list[Document], top: int = 15) -> list[Bar]:
    """Tasks per canonical lead agency (chủ trì, else thực hiện), the `top` busiest first."""
    counts: Counter[str] = Counter()
    for doc in docs:
        for task in doc.tasks:
            leads = task.chu_tri_canonical or task.chu_tri or task.thuc_hien or ["(không ghi)"]
            counts.update(dict.fromkeys(leads, 1))
    most = counts.most_common(top)
    peak = max((n for _, n in most), default=1)
    return [
        Bar(name, n, i * BAR_HEIGHT, round(BAR_SPACE * n / peak, 1))
        for i, (name, n) in enumerate(most)
    ]


def _due(task_time: object) -> date | None:
    for attr in ("deadline", "end"):
        value = getattr(task_time, attr, None)
        if value:
            try:
                return date.fromisoformat(value)
            except ValueError:
                continue
    return None


def deadline_columns(
    named: list[tuple[str, Document]], width: float = 690, height: float = 120
) -> list[Column]:
    """Tasks due per month (deadline, else end of period), every month from first to last."""
    due: dict[tuple[int, int], list[str]] = {}
    for name, doc in named:
        for task in doc.tasks:
            when = _due(task.thoi_gian)
            if when:
                due.setdefault((when.year, when.month), []).append(f"{name} {task.ref}")
    if not due:
        return []
    first, last = min(due), max(due)
    months: list[tuple[int, int]] = []
    y, m = first
    while (y, m) <= last and len(months) < 240:
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    peak = max(len(v) for v in due.values())
    step = width / len(months)
    return [
        Column(
            f"{y:04d}-{m:02d}",
            len(due.get((y, m), [])),
            round(i * step, 1),
            round(height * len(due.get((y, m), [])) / peak, 1),
            tuple(due.get((y, m), [])[:20]),
        )
        for i, (y, m) in enumerate(months)
    ]
