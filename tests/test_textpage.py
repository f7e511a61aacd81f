"""text_to_pages: pages on form feeds, one Line per printed line, delimited tables as grids."""

from __future__ import annotations

import unicodedata

from pipeline.textpage import text_to_pages


def test_form_feeds_split_pages_and_trailing_empty_page_is_dropped() -> None:
    pages = text_to_pages("trang một\n\ftrang hai\n\f")
    assert [p.number for p in pages] == [1, 2]
    assert [p.text for p in pages] == ["trang một", "trang hai"]
    assert all(p.source == "text" for p in pages)


def test_lines_keep_raw_text_full_confidence_and_drop_blanks_in_order() -> None:
    page = text_to_pages("KẾ HOẠCH\n\n\nTriển khai thực hiện\n   \nI. MỤC ĐÍCH")[0]
    assert [line.text for line in page.lines] == ["KẾ HOẠCH", "Triển khai thực hiện", "I. MỤC ĐÍCH"]
    for line in page.lines:
        assert line.raw_text == line.text
        assert line.conf == 100.0 and line.box is None and line.region == "body"


def test_decomposed_input_is_composed_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Kế hoạch thực hiện")
    page = text_to_pages(decomposed)[0]
    assert page.lines[0].text == "Kế hoạch thực hiện"
    assert unicodedata.is_normalized("NFC", page.lines[0].text)


def test_tab_separated_rows_become_a_table_with_empty_trailing_cell() -> None:
    text = "PHỤ LỤC\nSTT\tNội dung\tĐơn vị chủ trì\tGhi chú\n1\tRà soát\tSở Tư pháp\t\n"
    page = text_to_pages(text)[0]
    (table,) = page.tables
    assert (table.n_rows, table.n_cols) == (2, 4)
    assert table.rows()[1] == ["1", "Rà soát", "Sở Tư pháp", ""]
    assert table.first_line == 1
    assert [line.region for line in page.lines] == ["body", "table", "table"]


def test_marked_pipe_table_drops_markers_and_keeps_multi_agency_cell() -> None:
    text = (
        "Trước bảng\n<<TABLE>>\nTT | Nội dung | Chủ trì\n"
        "1 | Tổ chức hội thảo | - Sở A; - Sở B.\n<</TABLE>>\nSau bảng"
    )
    page = text_to_pages(text)[0]
    assert [line.text for line in page.lines][0] == "Trước bảng"
    assert not any("TABLE" in line.text for line in page.lines)
    (table,) = page.tables
    assert table.rows() == [
        ["TT", "Nội dung", "Chủ trì"],
        ["1", "Tổ chức hội thảo", "- Sở A; - Sở B."],
    ]
    assert page.lines[table.first_line].text.startswith("TT |")
    assert page.lines[-1].region == "body"


def test_bare_pipe_rows_become_a_table() -> None:
    page = text_to_pages("a | b | c\n1 | 2 | 3\nvăn bản thường")[0]
    (table,) = page.tables
    assert table.rows() == [["a", "b", "c"], ["1", "2", "3"]]
    assert page.lines[2].region == "body"


def test_markdown_table_skips_rule_and_strips_bold() -> None:
    text = "| TT | Tên nhiệm vụ | Cơ quan chủ trì |\n|---|---|---|\n| **I.** | Nhóm | |\n| 1. | Việc A | Bộ X |"
    page = text_to_pages(text)[0]
    (table,) = page.tables
    assert table.n_rows == 3
    assert table.rows()[1][0] == "I."
    assert table.rows()[2] == ["1.", "Việc A", "Bộ X"]
    assert all(line.region == "table" for line in page.lines)


def test_indented_prose_with_a_stray_tab_is_not_a_table() -> None:
    page = text_to_pages("\t- Phát huy sức mạnh\n1. \tThống nhất tổ chức Hội nghị\n")[0]
    assert page.tables == []


def test_pipe_row_with_an_empty_first_cell_keeps_its_columns() -> None:
    page = text_to_pages("STT | Nội dung | Chủ trì\n1 | Việc A | Sở Y tế\n |  | Sở Tư pháp\n")[0]
    assert page.tables[0].rows()[2] == ["", "", "Sở Tư pháp"]
