"""Tables and the catalogue from documents made in code: tasks.xlsx, Parquet, catalogue.sqlite."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import load_workbook

from pipeline.analysis import load
from pipeline.config import Settings
from pipeline.export import write_document
from pipeline.outputs import FORMATS, export_outputs
from pipeline.outputs.catalogue import CATALOGUE, update_catalogue
from pipeline.outputs.records import task_records
from pipeline.outputs.tables import write_parquet, write_xlsx
from pipeline.types import Box, Document, Evidence, Header, Source, Task, TimeSpec


def _doc(sha: str = "a" * 64, lead: str = "UBND tỉnh") -> Document:
    tasks = [
        Task(
            ref="III.1",
            title='=HYPERLINK("http://x")',
            content="Tổ chức tuyên truyền",
            chu_tri=["Sở Y tế"],
            chu_tri_canonical=["Sở Y tế"],
            phoi_hop=[lead, "Công an tỉnh"],
            phoi_hop_canonical=["Ủy ban nhân dân tỉnh", "Công an tỉnh"],
            thoi_gian=TimeSpec(text="trước ngày 30/6/2025", deadline="2025-06-30"),
            section=["III. NHIỆM VỤ"],
            pages=[2],
            confidence=0.9,
            evidence=[Evidence(page=2, line=4, box=Box(x0=10, y0=20, x1=300, y1=50), conf=91.0)],
        ),
        Task(ref="PL.1", thuc_hien=["Các huyện"], source="table", pages=[3]),
    ]
    return Document(
        source=Source(path="in/plan.pdf", sha256=sha, kind="pdf", size_bytes=10, page_count=3),
        header=Header(agency="ỦY BAN NHÂN DÂN", number_symbol="357/KH-UBND", date="2024-10-01"),
        tasks=tasks,
        repairs=[
            {
                "page": 1,
                "line": 0,
                "start": 0,
                "end": 2,
                "original": "So",
                "replacement": "Sở",
                "confidence": 0.9,
                "mode": "full",
            }
        ],
    )


def test_parquet_keeps_lists_as_lists_and_dates_as_dates(tmp_path: Path):
    write_parquet(tmp_path, [("plan", _doc())])
    table = pq.read_table(tmp_path / "tasks.parquet")
    chu_tri = table.schema.field("chu_tri").type
    assert pa.types.is_list(chu_tri) and pa.types.is_string(chu_tri.value_type)
    assert str(table.schema.field("thoi_gian_deadline").type) == "date32[day]"
    rows = table.to_pylist()
    assert rows[0]["phoi_hop"] == ["UBND tỉnh", "Công an tỉnh"]
    assert rows[0]["thoi_gian_deadline"] == dt.date(2025, 6, 30)
    assert rows[1]["thuc_hien"] == ["Các huyện"]
    docs = pq.read_table(tmp_path / "documents.parquet").to_pylist()
    assert docs[0]["date"] == dt.date(2024, 10, 1) and docs[0]["tasks"] == 2


def test_xlsx_is_ready_to_filter_and_never_runs_a_formula(tmp_path: Path):
    write_xlsx(tmp_path, [("plan", _doc())])
    wb = load_workbook(tmp_path / "tasks.xlsx")
    assert wb.sheetnames == ["tasks", "documents", "agencies"]
    ws = wb["tasks"]
    header = [c.value for c in ws[1]]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert ws.column_dimensions["A"].width > 8
    row = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert row["title"].value == '=HYPERLINK("http://x")' and row["title"].data_type == "s"
    assert row["phoi_hop"].value == "UBND tỉnh; Công an tỉnh"
    assert row["thoi_gian_deadline"].value == dt.datetime(2025, 6, 30)
    agencies = {r[0].value: r for r in wb["agencies"].iter_rows(min_row=2)}
    assert "Ủy ban nhân dân tỉnh" in agencies


def test_a_new_task_field_reaches_every_table():
    doc = _doc()
    rows = task_records(doc, "plan")
    assert set(Task.model_fields) - {"thoi_gian", "source", "evidence"} <= set(rows[0])


def _query(db: Path, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(sql, args).fetchall()


def test_catalogue_answers_agency_and_due_date_queries_with_provenance(tmp_path: Path):
    update_catalogue(tmp_path, [("plan", _doc())])
    db = tmp_path / CATALOGUE
    rows = _query(
        db,
        "SELECT t.ref, ta.role, ta.printed, ta.page, ta.box_x0, ta.conf FROM task_agencies ta"
        " JOIN agencies a ON a.id = ta.agency_id JOIN tasks t ON t.id = ta.task_id"
        " WHERE a.name = ? ORDER BY t.ref",
        "Ủy ban nhân dân tỉnh",
    )
    assert rows == [("III.1", "phối hợp", "UBND tỉnh", 2, 10, 91.0)]
    assert _query(db, "SELECT ref FROM tasks WHERE due < '2025-07-01'") == [("III.1",)]
    assert _query(db, "SELECT role FROM task_agencies WHERE printed = 'Các huyện'") == [
        ("thực hiện",)
    ]
    plan = _query(db, "EXPLAIN QUERY PLAN SELECT * FROM tasks WHERE due < '2025-07-01'")
    assert any("tasks_by_due" in str(r) for r in plan)
    assert _query(db, "SELECT count(*) FROM repairs") == [(1,)]


def test_catalogue_carries_the_review_flags_as_columns_an_analyst_can_filter(tmp_path: Path):
    base = _doc()
    flagged = base.tasks[0].model_copy(
        update={
            "field_confidence": {"title": 0.98, "chu_tri[0]": 0.97, "phoi_hop[1]": 0.41},
            "needs_review": True,
            "review_reasons": ["phoi_hop[1]: agency not in the gazetteer"],
        }
    )
    header = base.header.model_copy(
        update={"needs_review": True, "review_reasons": ["date: no date parsed"]}
    )
    doc = base.model_copy(update={"tasks": [flagged, *base.tasks[1:]], "header": header})
    update_catalogue(tmp_path, [("plan", doc)])
    db = tmp_path / CATALOGUE
    assert _query(db, "SELECT ref, review_reasons_json FROM tasks WHERE needs_review = 1") == [
        ("III.1", '["phoi_hop[1]: agency not in the gazetteer"]')
    ]
    assert _query(
        db,
        "SELECT role, position, printed, confidence, needs_review FROM task_agencies"
        " WHERE task_id IN (SELECT id FROM tasks WHERE ref = 'III.1') ORDER BY role, position",
    ) == [
        ("chủ trì", 0, "Sở Y tế", 0.97, 0),
        ("phối hợp", 0, "UBND tỉnh", None, 0),  # no calibrated value for it: NULL, not a guess
        ("phối hợp", 1, "Công an tỉnh", 0.41, 1),
    ]
    assert _query(db, "SELECT needs_review, review_reasons_json FROM documents") == [
        (1, '["date: no date parsed"]')
    ]
    plan = _query(db, "EXPLAIN QUERY PLAN SELECT ref FROM tasks WHERE needs_review = 1")
    assert any("tasks_to_review" in str(r) for r in plan)


def test_catalogue_upsert_replaces_a_changed_document_and_keeps_every_spelling(tmp_path: Path):
    update_catalogue(tmp_path, [("plan", _doc())])
    assert update_catalogue(tmp_path, [("plan", _doc())]) == 0  # same content: nothing to do
    assert update_catalogue(tmp_path, [("plan", _doc("b" * 64, lead="UBND Tỉnh"))]) == 1
    db = tmp_path / CATALOGUE
    assert _query(db, "SELECT count(*), min(sha256) FROM documents") == [(1, "b" * 64)]
    assert _query(db, "SELECT count(*) FROM tasks") == [(2,)]
    spellings = _query(
        db, "SELECT spellings_json FROM agencies WHERE name = 'Ủy ban nhân dân tỉnh'"
    )
    assert spellings == [('["UBND Tỉnh", "UBND tỉnh"]',)]


def test_export_rebuilds_tables_from_document_json_and_load_gives_typed_frames(tmp_path: Path):
    write_document(tmp_path / "plan", _doc())
    warnings = export_outputs(tmp_path, ["xlsx", "parquet", "sqlite", "alto"], Settings())
    assert warnings == []
    for name in ("tasks.xlsx", "tasks.parquet", "documents.parquet", CATALOGUE):
        assert (tmp_path / name).is_file()
    data = load(tmp_path)
    assert str(data.tasks["thoi_gian_deadline"].dtype).startswith("datetime64")
    assert data.tasks.loc[0, "chu_tri"] == ["Sở Y tế"]
    assert str(data.documents["tasks"].dtype) == "Int64"
    assert set(data.agencies["agency"]) >= {"Sở Y tế", "Công an tỉnh", "Các huyện"}
    assert set(FORMATS) == set(Settings().outputs)


def test_the_readme_catalogue_queries_run(tmp_path: Path):
    update_catalogue(tmp_path, [("plan", _doc())])
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    block = readme.split("```sql\n", 1)[1].split("```", 1)[0]
    statements = [s for s in block.split(";") if s.strip()]
    assert len(statements) == 4
    for sql in statements:
        _query(tmp_path / CATALOGUE, sql)


def test_an_agency_link_points_at_the_line_that_prints_the_agency(tmp_path: Path):
    from pipeline.types import Line, Page

    lines = [
        Line(text="1. Tổ chức tuyên truyền pháp luật", raw_text=""),
        Line(text="Chủ trì: Sở Y tế; phối hợp: Công an tỉnh", raw_text=""),
    ]
    doc = _doc()
    first = Evidence(page=1, line=0, box=Box(x0=1, y0=2, x1=3, y1=4), conf=80.0)
    second = Evidence(page=1, line=1, box=Box(x0=5, y0=6, x1=7, y1=8), conf=90.0)
    task = doc.tasks[0].model_copy(update={"evidence": [first, second]})
    page = Page(number=1, width=100, height=100, source="ocr", lines=lines)
    doc = doc.model_copy(update={"tasks": [task], "pages": [page]})
    update_catalogue(tmp_path, [("plan", doc)])
    rows = _query(
        tmp_path / CATALOGUE,
        "SELECT printed, page, box_x0, conf FROM task_agencies ORDER BY role, position",
    )
    assert ("Sở Y tế", 1, 5, 90.0) in rows and ("Công an tỉnh", 1, 5, 90.0) in rows
    assert ("UBND tỉnh", 1, 1, 80.0) in rows  # printed on no evidence line: the task's first


def test_tables_and_catalogue_are_the_same_bytes_whatever_order_documents_finish_in(
    tmp_path: Path,
):
    one, two = ("a", _doc("a" * 64)), ("b", _doc("b" * 64, lead="UBND Tỉnh"))
    files = {}
    for order, docs in (("ab", [one, two]), ("ba", [two, one])):
        out = tmp_path / order
        for name, doc in docs:  # documents finishing one by one, as in a batch
            update_catalogue(out, [(name, doc)])
        update_catalogue(out, [], compact=True)  # the end of the batch
        write_xlsx(out, [one, two])
        write_parquet(out, [one, two])
        files[order] = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert files["ab"].keys() == {CATALOGUE, "tasks.xlsx", "tasks.parquet", "documents.parquet"}
    assert files["ab"] == files["ba"]


def test_batch_outputs_hold_one_document_at_a_time(tmp_path: Path):
    """Issue 13: the batch-end step reads the batch's documents one after another; a document
    is let go before the next is read, so memory is bounded by one document, not the batch."""
    import gc
    import weakref

    from pipeline.outputs import write_batch_outputs

    alive: list[weakref.ref] = []
    most = 0

    def documents():
        nonlocal most
        for i in range(4):
            gc.collect()
            most = max(most, sum(r() is not None for r in alive))
            doc = _doc(f"{i}" * 64)
            alive.append(weakref.ref(doc))
            yield f"doc{i}", doc
            del doc

    settings = Settings(outputs=("xlsx", "parquet", "sqlite"))
    assert write_batch_outputs(tmp_path, documents(), settings) == []
    assert most == 0  # none of the documents already written was still held
    tasks = pq.read_table(tmp_path / "tasks.parquet").to_pylist()
    assert {r["document"] for r in tasks} == {"doc0", "doc1", "doc2", "doc3"}
    sheet = load_workbook(tmp_path / "tasks.xlsx")["documents"]
    assert [c.value for c in sheet["A"]][1:] == ["doc0", "doc1", "doc2", "doc3"]
