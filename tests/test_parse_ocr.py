"""The OCR path: the same plan as boxed lines with layout regions and the appendix as ruled-table
grids over two pages (header row repeated, a tone error in one header cell)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.parse import ParseResult, parse_document
from pipeline.textpage import text_to_pages
from pipeline.types import Box, Line, Page, Table, TableCell

SEED = Path(__file__).parent / "data" / "plan-hatinh-357.txt"
HEADER_LEFT = ["ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH", "Số: 357/KH-UBND"]
HEADER_RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                "Hà Tĩnh, ngày 17 tháng 10 năm 2019"]  # fmt: skip
LOW_CONF_LINE = "Chủ trì: Sở Thông tin và Truyền thông, Công an tỉnh."


def _line(text: str, y: int, region: str, x0: int = 200, conf: float = 92.0) -> Line:
    box = Box(x0=x0, y0=y, x1=x0 + 900 if region.startswith("header") else 2300, y1=y + 28)
    return Line(text=text, raw_text=text, box=box, region=region, conf=conf)  # type: ignore[arg-type]


def _grid(rows: list[list[str]], y0: int) -> Table:
    cells = [
        TableCell(row=r, col=c, text=text, box=Box(x0=150 + 350 * c, y0=y0 + 80 * r,
                                                    x1=500 + 350 * c, y1=y0 + 80 * r + 78),
                  conf=88.0)
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]  # fmt: skip
    return Table(n_rows=len(rows), n_cols=len(rows[0]), cells=cells)


def _with_table_lines(lines: list[Line], table: Table, y0: int) -> tuple[list[Line], Table]:
    first = len(lines)
    rows = [_line(" ".join(r), y0 + 80 * i, "table") for i, r in enumerate(table.rows())]
    return lines + rows, table.model_copy(update={"first_line": first})


def ocr_pages() -> list[Page]:
    text_page = text_to_pages(SEED.read_text(encoding="utf-8"))[0]
    grids = [t.rows() for t in text_page.tables]
    grids[1][0][2] = "Đơn vị chù trì"  # OCR tone error in the repeated header row
    skip = {"Số: 357/KH-UBND", "Hà Tĩnh, ngày 17 tháng 10 năm 2019", "ỦY BAN NHÂN DÂN TỈNH",
            *HEADER_RIGHT[:2]}  # fmt: skip
    lines = [_line(t, 60 + 40 * i, "header_left", x0=100) for i, t in enumerate(HEADER_LEFT)]
    lines += [_line(t, 60 + 40 * i, "header_right", x0=1300) for i, t in enumerate(HEADER_RIGHT)]
    body = [ln.text for ln in text_page.lines if ln.region == "body" and ln.text not in skip]
    for i, text in enumerate(body):
        lines.append(
            _line(text, 300 + 30 * i, "body", conf=40.0 if text == LOW_CONF_LINE else 92.0)
        )
    lines, table1 = _with_table_lines(lines, _grid(grids[0], 300 + 30 * len(body)), 0)
    page1 = Page(
        number=1, width=2480, height=3508, dpi=300, source="ocr", lines=lines, tables=[table1]
    )
    lines2, table2 = _with_table_lines([], _grid(grids[1], 200), 200)
    page2 = Page(
        number=2, width=2480, height=3508, dpi=300, source="ocr", lines=lines2, tables=[table2]
    )
    return [page1, page2]


@pytest.fixture(scope="module")
def result() -> ParseResult:
    return parse_document(ocr_pages())


def test_ocr_pages_yield_the_same_twelve_tasks(result: ParseResult) -> None:
    """The 12 tasks of section III (duty fields) and the appendix table, in reading order; the
    per-agency duties of section VI (`1. Sở Thông tin và Truyền thông` then `- ...`) are real
    tasks too since issue 5 and sit between them; nothing else is a task."""
    refs = [t.ref for t in result.tasks]
    twelve = [f"III.{i}" for i in range(1, 6)] + [f"PL.{i}" for i in range(1, 8)]
    assert [r for r in refs if r in twelve] == twelve
    assert all(r in twelve or r.startswith("VI.") for r in refs)
    assert refs[:5] == twelve[:5] and refs[-7:] == twelve[5:]


def test_table_split_over_pages_is_merged_and_repeated_header_skipped(result: ParseResult) -> None:
    by_ref = {t.ref: t for t in result.tasks}
    assert by_ref["PL.4"].pages == [1] and by_ref["PL.5"].pages == [2]
    assert by_ref["PL.7"].chu_tri == ["Sở Thông tin và Truyền thông", "Công an tỉnh"]
    assert by_ref["PL.7"].thoi_gian.text == "02 lần/năm"  # type: ignore[union-attr]
    assert not any(t.content.startswith("Nội dung") for t in result.tasks)


def test_table_evidence_carries_cell_boxes(result: ParseResult) -> None:
    task = next(t for t in result.tasks if t.ref == "PL.5")
    assert all(e.page == 2 and e.box is not None for e in task.evidence)


def test_header_agency_is_joined_from_two_header_left_lines(result: ParseResult) -> None:
    h = result.header
    assert h.agency == "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"
    assert h.parent_agency is None
    assert h.number_symbol == "357/KH-UBND"
    assert h.date == "2019-10-17" and h.doc_type == "KẾ HOẠCH"
    assert h.evidence["number_symbol"].box is not None
    assert h.evidence["agency"].box == Box(x0=100, y0=60, x1=1000, y1=88)


def test_low_confidence_field_line_lowers_task_confidence(result: ParseResult) -> None:
    by_ref = {t.ref: t for t in result.tasks}
    assert by_ref["III.2"].chu_tri == ["Sở Thông tin và Truyền thông", "Công an tỉnh"]
    assert by_ref["III.2"].confidence < by_ref["III.1"].confidence < 1.0
    assert 0.0 <= by_ref["III.2"].confidence <= 1.0
