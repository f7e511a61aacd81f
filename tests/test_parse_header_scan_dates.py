"""The date and the title of real scanned first pages, as the OCR engine gives them (issue 10).

The rows are re-typed from the reader's output on dev gold scans, boxes, confidences and the
engine's other readings of a word included: QNg_04-CT (a bold italic `15` read `45`, second
choice `{5`), CP_NQ-115 (day and month handwritten, read as debris), S09 QĐ-707 (a handwritten
`22` read `82`; a seal's specks stretch the type line's box over the title's first line).
"""

from __future__ import annotations

import pytest

from pipeline.parse import parse_document
from pipeline.parse.header import slot_number
from pipeline.types import Box, Header, Line, Page, Word


def _line(text: str, box: tuple[int, int, int, int], region: str = "body", **alts: str) -> Line:
    """A line whose words are its text's words; `alts` gives a word's other readings, `|`-split."""
    words = [
        Word(text=w, conf=90.0, alternatives=alts[w].split("|") if w in alts else [])
        for w in text.split()
    ]
    return Line(
        text=text,
        raw_text=text,
        words=words,
        box=Box(x0=box[0], y0=box[1], x1=box[2], y1=box[3]),
        region=region,
    )


def _header(*lines: Line) -> Header:
    page = Page(number=1, width=2480, height=3508, dpi=300, source="ocr", lines=list(lines))
    return parse_document([page]).header


def _qng04(day: str, **alts: str) -> Header:
    return _header(
        _line("ỦY BAN NHÂN DÂN", (424, 266, 925, 343), "header_left"),
        _line("TỈNH QUẢNG NGÃI", (425, 334, 928, 393), "header_left"),
        _line("Số:04+ /CT-UBND", (446, 450, 910, 512), "header_left"),
        _line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", (1063, 262, 2184, 327), "header_right"),
        _line("Độc lập - Tự do - Hạnh phúc", (1270, 338, 1962, 393), "header_right"),
        _line(
            f"Quảng Ngãi, ngày {day} tháng 3 năm 2024",
            (1161, 451, 2103, 511),
            "header_right",
            **alts,
        ),
        _line("CHỈ THỊ", (1186, 609, 1413, 675)),
        _line(
            "Về việc tăng cường công tác phòng, chống tham nhũng, tiêu cực", (509, 678, 2083, 746)
        ),
    )


@pytest.mark.parametrize(
    ("token", "number"),
    [("15", 15), ("3|", 31), ("1]", 11), ("{5", 15), ("#Ÿ", None), ("!†", None), ("|", None)],
)
def test_a_date_slot_reads_a_stroke_glued_to_a_digit_as_one_and_debris_as_nothing(
    token: str, number: int | None
) -> None:
    assert slot_number(token) == number


def test_an_impossible_day_takes_the_engines_other_reading_of_the_word() -> None:
    h = _qng04("45", **{"45": "4ð|{5|{ð"})
    assert (h.place, h.date) == ("Quảng Ngãi", "2024-03-15")
    assert h.date_text == "Quảng Ngãi, ngày 45 tháng 3 năm 2024"  # as printed by the OCR


def test_a_possible_day_keeps_its_printed_reading() -> None:
    assert _qng04("18", **{"18": "19"}).date == "2024-03-18"


def test_an_impossible_day_with_no_other_reading_gives_no_date() -> None:
    h = _qng04("45")
    assert (h.place, h.date) == ("Quảng Ngãi", None)


def test_a_handwritten_day_and_month_read_as_debris_keep_the_place_and_give_no_date() -> None:
    h = _header(
        _line("CHÍNH PHỦ", (619, 343, 911, 391), "header_left"),
        _line("Số: 445 /NQ-CP", (577, 491, 953, 553), "header_left"),
        _line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", (1184, 343, 2236, 400), "header_right"),
        _line(
            "Hà Nội, ngày #Ÿ tháng !† năm 2026",
            (1269, 498, 2155, 554),
            "header_right",
            **{"#Ÿ": "##|@Ÿ|@#", "!†": "!Ƒ|I†|IƑ"},
        ),
        _line("NGHỊ QUYẾT", (1143, 660, 1497, 722)),
        _line("Về việc chuyển giao Vườn quốc gia Ba Vì", (837, 724, 1805, 788)),
    )
    assert (h.place, h.date) == ("Hà Nội", None)
    assert h.date_text == "Hà Nội, ngày #Ÿ tháng !† năm 2026"


def _s09(title_box: tuple[int, int, int, int]) -> Header:
    return _header(
        _line("THỦ TƯỚNG CHÍNH PHỦ", (326, 192, 800, 236)),
        _line("Số: Mã sở TTg", (414, 328, 689, 402), "header_left"),
        _line("Hà Nội, ngày 82 tháng 4 năm 2026", (910, 334, 1458, 372), "header_right"),
        _line("Về việt bàn hành Kế hoạch hành động quốc gia về phòng, chống rửa tiền,", title_box),
        _line("ca 2N j QUYẾT ĐỊNH", (554, 509, 1033, 584)),
        _line("Thái Bình Dương về chống rửa tiền (APG) đối với Việt Nam", (404, 711, 1412, 756)),
        _line("THỦ TƯỚNG CHÍNH PHỦ", (688, 880, 1130, 914)),
    )


def test_a_title_line_read_before_the_type_line_whose_box_overlaps_it_opens_the_title() -> None:
    h = _s09((294, 539, 1524, 628))
    assert h.doc_type == "QUYẾT ĐỊNH"
    assert h.title == (
        "Về việt bàn hành Kế hoạch hành động quốc gia về phòng, chống rửa tiền, "
        "Thái Bình Dương về chống rửa tiền (APG) đối với Việt Nam"
    )
    assert (h.place, h.date) == ("Hà Nội", None)  # `82` for a handwritten 22 is no reading


def test_a_line_above_the_type_line_stays_out_of_the_title() -> None:
    h = _s09((294, 420, 1524, 500))
    assert h.title == "Thái Bình Dương về chống rửa tiền (APG) đối với Việt Nam"
