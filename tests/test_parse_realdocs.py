"""Robustness on real documents: the parser never crashes, finds the printed number/symbol, and
reads tasks from the plans that print them in tables or as bullet fields."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.parse import parse_document
from pipeline.textpage import text_to_pages

REALDOCS = Path("/work/shared/realdocs")
FILES = sorted([*REALDOCS.glob("plans_text/*.txt"), *REALDOCS.glob("born_digital/*.txt")])
pytestmark = pytest.mark.skipif(not FILES, reason="/work/shared/realdocs is not available")

_PRINTED_NUMBER = re.compile(r"Số\s*:?\s*(\d+)\s*(?:/|$)", re.MULTILINE)
_PRINTED_BLANK = re.compile(r"Số\s*:\s*/\s*([A-ZĐ][\w.\-]*)")
# Files whose tasks are printed as duty fields or task tables, with a floor on how many.
TASK_FLOORS = {"P02": 40, "P03": 15, "P13": 15, "P20": 100}


def test_every_real_document_parses_and_its_printed_number_is_found() -> None:
    misses = []
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        result = parse_document(text_to_pages(text))
        assert all(0.0 <= t.confidence <= 1.0 for t in result.tasks)
        head = text_to_pages(text)[0].text[:1500]
        found = result.header.number_symbol or ""
        if m := _PRINTED_NUMBER.search(head):
            ok = found.startswith(m.group(1) + "/")
        elif m := _PRINTED_BLANK.search(re.sub(r"\s+", " ", head)):
            ok = found == "/" + m.group(1)
        else:
            continue
        if not ok:
            misses.append(f"{path.name}: {found!r}")
    assert misses == []


@pytest.mark.parametrize(("prefix", "floor"), sorted(TASK_FLOORS.items()))
def test_plans_with_task_tables_or_fields_yield_tasks(prefix: str, floor: int) -> None:
    path = next(p for p in FILES if p.name.startswith(prefix) and "layout" not in p.name)
    tasks = parse_document(text_to_pages(path.read_text(encoding="utf-8"))).tasks
    assert len(tasks) >= floor
    assert len({t.ref for t in tasks}) == len(tasks)
    assert sum(bool(t.chu_tri or t.thuc_hien) for t in tasks) >= 0.9 * len(tasks)
