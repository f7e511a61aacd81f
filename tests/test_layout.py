"""Reading order: the two-column header and signature rows are read column by column."""

from __future__ import annotations

from pipeline.layout import build_lines, column_zones, group_rows, split_segments
from pipeline.ocr import OcrWord
from pipeline.types import Box

WIDTH, HEIGHT = 2480, 3508  # A4 at 300 dpi


def words_of(text: str, x: int, y: int, line: int, block: int = 1) -> list[OcrWord]:
    """Lay a phrase out left to right from (x, y), 60 px per letter-ish, as Tesseract would."""
    out = []
    for word in text.split():
        w = 22 * len(word)
        out.append(OcrWord(word, Box(x0=x, y0=y, x1=x + w, y1=y + 45), 95.0, block, 1, line))
        x += w + 18
    return out


def header_words() -> list[OcrWord]:
    # Tesseract merged each header row across both columns into one line (same line key).
    rows = [
        ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("TỈNH HÀ TĨNH", "Độc lập - Tự do - Hạnh phúc"),
        ("Số: 357/KH-UBND", "Hà Tĩnh, ngày 17 tháng 10 năm 2019"),
    ]
    ws: list[OcrWord] = []
    for i, (left, right) in enumerate(rows):
        y = 250 + i * 70
        ws += words_of(left, 420, y, line=i)
        ws += words_of(right, 1250, y, line=i)
    ws += words_of("KẾ HOẠCH", 1130, 600, line=10, block=2)
    ws += words_of(
        "Thực hiện Quyết định số 623/QĐ-TTg ngày 14/4/2016 của Thủ tướng", 350, 700, 11, 3
    )
    return ws


def test_wide_gap_splits_a_merged_header_row_into_two_segments():
    segments = split_segments(header_words())
    texts = [s.text for s in segments]
    assert "ỦY BAN NHÂN DÂN" in texts
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts


def test_header_zone_found_with_gutter_between_columns():
    rows = group_rows(split_segments(header_words()))
    zones = column_zones(rows, WIDTH)
    assert len(zones) == 1
    first, last, gutter = zones[0]
    assert (first, last) == (0, 2)
    assert 746 < gutter < 1250  # between the widest left line and the right column


def test_header_columns_are_read_left_then_right_before_the_body():
    lines, tables = build_lines(header_words(), [], WIDTH, HEIGHT)
    assert tables == []
    assert [line.text for line in lines] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH HÀ TĨNH",
        "Số: 357/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Tĩnh, ngày 17 tháng 10 năm 2019",
        "KẾ HOẠCH",
        "Thực hiện Quyết định số 623/QĐ-TTg ngày 14/4/2016 của Thủ tướng",
    ]
    assert [line.region for line in lines[:6]] == ["header_left"] * 3 + ["header_right"] * 3
    assert lines[6].region == "body"


def test_full_width_body_lines_are_not_split_into_columns():
    ws = []
    for i in range(6):
        ws += words_of(
            "Rà soát và sửa đổi bổ sung nhằm nâng cao tính hiệu lực hiệu quả văn bản",
            350,
            900 + 70 * i,
            i,
        )
    lines, _ = build_lines(ws, [], WIDTH, HEIGHT)
    assert len(lines) == 6
    assert all(line.region == "body" for line in lines)


def test_signature_rows_at_the_bottom_are_read_column_by_column_as_body():
    ws = []
    left = ["Nơi nhận:", "- Văn phòng Chính phủ;", "- Lưu: VT, PC."]
    right = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    for i, (a, b) in enumerate(zip(left, right, strict=True)):
        ws += words_of(a, 350, 2600 + 60 * i, i)
        ws += words_of(b, 1400, 2600 + 60 * i, i)
    lines, _ = build_lines(ws, [], WIDTH, HEIGHT)
    assert [line.text for line in lines] == left + right
    assert {line.region for line in lines} == {"body"}


def test_line_keeps_word_boxes_and_mean_confidence():
    ws = words_of("Chủ trì: Sở Tư pháp", 350, 900, 0)
    ws[0] = OcrWord(ws[0].text, ws[0].box, 55.0, 1, 1, 0)
    (line,), _ = build_lines(ws, [], WIDTH, HEIGHT)
    assert len(line.words) == 5
    assert line.box == Box(x0=350, y0=900, x1=ws[-1].box.x1, y1=945)
    assert line.conf == round((55 + 95 * 4) / 5, 2)


def test_a_lone_number_in_the_top_margin_is_the_page_number():
    ws = words_of("3", 1230, 120, 0) + words_of("- Lựa chọn những người có trình độ", 350, 400, 1)
    lines, _ = build_lines(ws, [], WIDTH, HEIGHT)
    assert [(line.text, line.region) for line in lines] == [
        ("3", "margin"),
        ("- Lựa chọn những người có trình độ", "body"),
    ]


def test_a_number_inside_the_body_is_not_a_page_number():
    ws = words_of("Nội dung", 350, 1400, 0) + words_of("2019", 350, 1470, 1)
    lines, _ = build_lines(ws, [], WIDTH, HEIGHT)
    assert [line.region for line in lines] == ["body", "body"]


def test_a_page_number_misread_as_a_letter_is_still_margin():
    ws = words_of("s", 1235, 120, 0) + words_of("- Lựa chọn những người có trình độ", 350, 400, 1)
    lines, _ = build_lines(ws, [], WIDTH, HEIGHT)
    assert lines[0].region == "margin"
