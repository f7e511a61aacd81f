"""Outputs: atomic writes, Excel-safe CSV, and the committed JSON Schemas match the code."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from pipeline import export
from pipeline.export import (
    csv_safe,
    document_text,
    is_complete,
    task_rows,
    write_document,
    write_tasks,
)
from pipeline.schema import load_committed, schemas
from pipeline.types import Document, Line, Page, Source, Task, TimeSpec

ROOT = Path(__file__).resolve().parents[1]


def make_doc(sha: str = "ab" * 32) -> Document:
    page = Page(
        number=1,
        width=100,
        height=100,
        source="text",
        lines=[Line(text="Chủ trì: Sở Tư pháp", raw_text="Chu tri: So Tu phap")],
    )
    task = Task(
        ref="III.1",
        title="Rà soát văn bản",
        chu_tri=["Sở Tư pháp"],
        phoi_hop=["Công an tỉnh", "UBND cấp huyện"],
        thoi_gian=TimeSpec(text="2019 - 2020", start="2019-01-01", end="2020-12-31"),
        content="=SUM(A1) là nội dung",
        pages=[1],
    )
    src = Source(path="x.txt", sha256=sha, kind="text", size_bytes=10, page_count=2)
    return Document(source=src, pages=[page, page.model_copy(update={"number": 2})], tasks=[task])


def test_text_has_one_line_per_line_and_form_feeds_between_pages():
    assert document_text(make_doc()) == "Chủ trì: Sở Tư pháp\n\fChủ trì: Sở Tư pháp\n"


def test_document_is_complete_only_for_the_same_input(tmp_path: Path):
    write_document(tmp_path / "x", make_doc())
    assert is_complete(tmp_path / "x", "ab" * 32)
    assert not is_complete(tmp_path / "x", "cd" * 32)
    assert not is_complete(tmp_path / "missing", "ab" * 32)


def test_truncated_document_json_is_not_complete(tmp_path: Path):
    write_document(tmp_path / "x", make_doc())
    path = tmp_path / "x" / "document.json"
    path.write_bytes(path.read_bytes()[:200])
    assert not is_complete(tmp_path / "x", "ab" * 32)


def test_failed_write_leaves_no_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def boom(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError):
        export.atomic_write_text(tmp_path / "document.json", "{}")
    assert list(tmp_path.iterdir()) == []


def test_csv_cells_that_look_like_formulas_are_defused_without_losing_text():
    assert csv_safe("=SUM(A1)") == "'=SUM(A1)"
    assert csv_safe("+84 912") == "'+84 912"
    assert csv_safe("-1") == "'-1"
    assert csv_safe("@cmd") == "'@cmd"
    assert csv_safe("Sở Tư pháp") == "Sở Tư pháp"
    assert csv_safe(["Công an tỉnh", "UBND cấp huyện"]) == "Công an tỉnh; UBND cấp huyện"


def test_tasks_csv_is_utf8_with_bom_and_lists_joined(tmp_path: Path):
    write_tasks(tmp_path, task_rows(make_doc(), "x"))
    raw = (tmp_path / "tasks.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["phoi_hop"] == "Công an tỉnh; UBND cấp huyện"
    assert rows[0]["content"] == "'=SUM(A1) là nội dung"
    assert rows[0]["thoi_gian_start"] == "2019-01-01"
    assert list(rows[0]) == export.TASK_COLUMNS


def test_tasks_csv_loads_in_pandas_with_the_documented_columns(tmp_path: Path):
    import pandas as pd

    write_tasks(tmp_path, task_rows(make_doc(), "x"))
    frame = pd.read_csv(tmp_path / "tasks.csv", encoding="utf-8-sig")
    assert list(frame.columns) == export.TASK_COLUMNS
    assert frame.loc[0, "chu_tri"] == "Sở Tư pháp"


def test_committed_schemas_match_the_code():
    assert load_committed(ROOT / "schema") == schemas(), "run `make schema` and commit the result"


def test_document_json_validates_against_its_schema(tmp_path: Path):
    import json

    import jsonschema

    write_document(tmp_path / "x", make_doc())
    doc = json.loads((tmp_path / "x" / "document.json").read_text())
    jsonschema.validate(doc, schemas()["document"])
    write_tasks(tmp_path, task_rows(make_doc(), "x"))
    jsonschema.validate(json.loads((tmp_path / "tasks.json").read_text()), schemas()["tasks"])
