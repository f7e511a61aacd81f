"""Repairs for real photocopies (issue 11): the gate, LSTM alternatives, punctuation, hOCR.

Lines are taken from the real-scan transcripts (tests/data/realscan/) and their OCR.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ocr import words_from_hocr
from pipeline.punctuation import punctuation_fixes
from pipeline.repair import adds_marks, repair_pages
from pipeline.restore import Change, Restoration
from pipeline.types import Box, Line, Page, Word

DATA = Path(__file__).parent / "data"
BOX = Box(x0=0, y0=0, x1=10, y1=10)


class Scripted:
    """Proposes fixed replacements wherever the words occur; records what it was offered."""

    def __init__(self, fixes: dict[str, str], mode: str = "conservative") -> None:
        self.fixes, self.mode = fixes, mode
        self.offered: dict[tuple[int, int], list[str]] | None = None

    def restore(
        self,
        text: str,
        mode: str = "auto",
        alternatives: dict[tuple[int, int], list[str]] | None = None,
    ) -> Restoration:
        self.offered = alternatives
        changes = []
        for i, line in enumerate(text.split("\n")):
            for old, new in self.fixes.items():
                at = line.find(old)
                if at >= 0:
                    changes.append(Change(i, at, at + len(old), old, new, 0.99))
        return Restoration(text, changes, self.mode)


def line(*words: tuple[str, float] | tuple[str, float, list[str]]) -> Line:
    text = " ".join(w[0] for w in words)
    made = [
        Word(text=w[0], box=BOX, conf=w[1], alternatives=list(w[2]) if len(w) > 2 else [])
        for w in words
    ]
    return Line(text=text, raw_text=text, words=made)


def page(*lines: Line) -> Page:
    return Page(number=1, width=100, height=100, source="ocr", lines=list(lines))


# --- the gate --------------------------------------------------------------------------------


def test_adds_marks_is_true_only_when_marks_are_added_and_none_lost() -> None:
    for read, meant in [
        ("tô", "tổ"),
        ("kiêm", "kiểm"),
        ("dược", "được"),
        ("giam", "giảm"),
        ("thông", "thống"),
        ("câu", "cầu"),
        ("Đông", "Đồng"),
    ]:
        assert adds_marks(read, meant), (read, meant)
    for read, meant in [
        ("thảo", "thao"),
        ("để", "đề"),
        ("HOÀ", "HÒA"),
        ("tô", "tô"),
        ("ban", "bàn "),
    ]:
        assert not adds_marks(read, meant), (read, meant)


def test_a_confident_word_that_lost_its_hook_is_repaired() -> None:
    # S16 (real photocopy): Tesseract reads `tô chức` at confidence 96
    p = page(line(("Sở", 96), ("Tài", 96), ("chính", 96), ("tô", 96), ("chức", 96)))
    (out,), repairs = repair_pages([p], Scripted({"tô": "tổ"}))
    assert out.lines[0].text == "Sở Tài chính tổ chức"
    assert out.lines[0].raw_text == "Sở Tài chính tô chức"
    assert repairs[0]["original"] == "tô" and repairs[0]["replacement"] == "tổ"


def test_a_confident_word_does_not_lose_a_mark() -> None:
    p = page(line(("Hội", 97), ("thảo", 97)))
    (out,), repairs = repair_pages([p], Scripted({"thảo": "thao"}))
    assert out.lines[0].text == "Hội thảo" and not repairs


def test_moving_a_tone_mark_is_never_a_repair() -> None:
    p = page(line(("CỘNG", 60), ("HOÀ", 60), ("XÃ", 96)))
    (out,), repairs = repair_pages([p], Scripted({"HOÀ": "HÒA"}))
    assert out.lines[0].text == "CỘNG HOÀ XÃ" and not repairs


# --- LSTM alternatives -----------------------------------------------------------------------


def test_the_readers_alternatives_reach_the_restorer_keyed_by_line_and_offset() -> None:
    p = page(line(("Kính", 95), ("để", 75, ["đề"]), ("nghị", 96)), line(("cô,", 96, ["cố,"])))
    restorer = Scripted({})
    repair_pages([p], restorer)
    assert restorer.offered == {(0, 5): ["đề"], (1, 0): ["cố"]}


def test_a_change_to_a_reading_the_reader_weighed_passes_the_gate() -> None:
    # S29: `Kính để nghị` for `Kính đề nghị`; the LSTM's runner-up was `đề`
    p = page(line(("Kính", 96), ("để", 96, ["đề"]), ("nghị", 96)))
    (out,), _ = repair_pages([p], Scripted({"để": "đề"}))
    assert out.lines[0].text == "Kính đề nghị"
    q = page(line(("Kính", 96), ("để", 96), ("nghị", 96)))
    (kept,), _ = repair_pages([q], Scripted({"để": "đề"}))
    assert kept.lines[0].text == "Kính để nghị"  # not offered, not a lost mark: kept


def test_the_restorer_prefers_the_lstm_runner_up_when_the_language_model_agrees() -> None:
    restore = pytest.importorskip("pipeline.restore")
    try:
        model = restore.load_restorer()
    except FileNotFoundError:
        pytest.skip("no restorer model")
    text = "địa bàn tỉnh Lâm Đồng năm 2025. Kính để nghị Văn phòng UBND tỉnh"
    start = text.index("để")
    got = model.restore(text, mode="conservative", alternatives={(0, start): ["đề"]})
    assert "Kính đề nghị" in got.text


# --- punctuation -----------------------------------------------------------------------------


def test_a_period_between_lowercase_words_is_a_comma() -> None:
    text = "nâng cao nhận thức, trách. quan tâm chỉ đạo. chỉ đạo các đơn vị"
    fixes = punctuation_fixes([text])
    assert [(f.original, f.replacement, f.rule) for f in fixes] == [(".", ",", "comma")] * 2
    assert text[fixes[0].start] == "." and text[fixes[0].start - 5 : fixes[0].start] == "trách"


def test_sentence_ends_abbreviations_and_numbers_keep_their_periods() -> None:
    lines = [
        "Thành phố Hồ Chí Minh, ngày 23 tháng 6 năm 2026. Kính gửi các đơn vị",
        "TP. Hồ Chí Minh, v.v. các đơn vị",
        "Điều 1. được sửa đổi tại khoản 2. theo",
    ]
    assert punctuation_fixes(lines) == []


def test_a_legal_basis_ends_with_a_semicolon_before_the_next() -> None:
    # S08 (dev): the `;` after 2025 was lost, and S26's `phương;` was read as `phương:`
    lines = [
        "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 02 năm 2025",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm",
        "2025:",
        "Xét đề nghị của Bộ trưởng Bộ Nội vụ.",
        "QUYẾT ĐỊNH:",
    ]
    fixes = punctuation_fixes(lines)
    assert [(f.line, f.original, f.replacement) for f in fixes] == [(0, "", ";"), (2, ":", ";")]


def test_a_document_code_split_after_its_hyphen_is_joined() -> None:
    # S11 (dev): `Thông tư số 18/2025/TT- BCT`; dates and ranges are not codes
    lines = ["Điều 1 của Thông tư số 18/2025/TT- BCT ngày 13", "giai đoạn 2026 - 2030, số 5 - 7"]
    fixes = punctuation_fixes(lines)
    assert [(f.line, f.original, f.replacement, f.rule) for f in fixes] == [(0, " ", "", "code")]
    assert lines[0][: fixes[0].start].endswith("18/2025/TT-")


def test_nothing_follows_can_cu_but_a_space() -> None:
    # S23 (dev): a speck after `Căn cứ` read as a period
    fixes = punctuation_fixes(["Căn cứ. Quyết định số 133/QĐ-TTg ngày 17/01/2020 của Thủ tướng"])
    assert [(f.start, f.original, f.replacement) for f in fixes] == [(6, ".", "")]


def test_a_day_glued_to_its_date_word_gets_a_space() -> None:
    # S08, S09, S23, S26 (dev): the day is written into the printed blank and read glued to it
    lines = ["Hà Nội, ngày23 tháng 4 năm 2026", "Quảng Ngãi, ngày82tháng 01 năm2025"]
    fixed = repair_pages([page(*(line((t, 96)) for t in lines))], Scripted({}))[0][0]
    assert [li.text for li in fixed.lines] == [
        "Hà Nội, ngày 23 tháng 4 năm 2026",
        "Quảng Ngãi, ngày 82 tháng 01 năm 2025",
    ]
    # a footnote mark after a word, a time and a spaced date are no date glue
    assert punctuation_fixes(["chỉ đạo1; lúc 15:54 ngày 23 tháng 4", "Ngày: 23/4/2026"]) == []


def test_a_list_dash_read_as_tilde_or_em_dash_is_the_item_dash() -> None:
    # S14 (dev): the printed `–` of each item read as `~—`, `—` or `~`; `-` and `–` are kept,
    # and a rule with no word after it is not an item
    lines = ["~— Triển khai thực hiện", "— Ghi nhận ý kiến", "~ Khảo sát được", "- Như Điều 3;"]
    fixes = punctuation_fixes([*lines, "– Bộ Nội vụ;", "—————"])
    assert [(f.line, f.original, f.replacement, f.rule) for f in fixes] == [
        (0, "~—", "–", "dash"),
        (1, "—", "–", "dash"),
        (2, "~", "–", "dash"),
    ]


def test_eth_and_fraction_slash_are_read_as_d_bar_and_slash() -> None:
    # S14, S23 (dev): `3871/QĐÐ-BGDĐT` (the bar read twice), `12/2021⁄0Đ-`
    fixes = punctuation_fixes(["Quyết định số 3871/QĐÐ-BGDĐT và 12/2021⁄QĐ-TTg"])
    assert [(f.original, f.replacement, f.rule) for f in fixes] == [
        ("ĐÐ", "Đ", "glyph"),
        ("⁄", "/", "glyph"),
    ]


def test_an_em_dash_between_words_is_the_en_dash_of_administrative_print() -> None:
    # X04, X05 (dev): `Lao động – Thương binh và Xã hội` read with `—`; a line-opening dash is
    # the `dash` rule's, and a run of rules is no dash between words
    fixes = punctuation_fixes(["Sở Lao động — Thương binh và Xã hội", "2030 —— 2035"])
    assert [(f.line, f.original, f.replacement, f.rule) for f in fixes] == [(0, "—", "–", "glyph")]


def test_an_item_marker_is_read_by_the_order_of_its_list() -> None:
    # X02 (dev): `ø)` after `e)` is `g)` (the alphabet of lettered items has no f); X04 (dev):
    # `đ)` right after `c)` is `d)`; after `d)` both `đ)` and `e)` stand (lists skip `đ`)
    lines = ["c) Ba", "đ) Bốn", "đ) Năm", "e) Sáu", "ø) Bảy", "1. Mục mới", "ø) Tám", "8) Chín"]
    fixes = punctuation_fixes(lines)
    assert [(f.line, f.original, f.replacement, f.rule) for f in fixes] == [
        (1, "đ", "d", "marker"),
        (4, "ø", "g", "marker"),
    ]
    assert punctuation_fixes(["c) Ba", "d) Bốn", "e) Năm"]) == []


def test_recipient_items_end_with_a_semicolon_before_the_next_item() -> None:
    # S19 (dev): `- Đại học Đà Nẵng:`; the list's own heading and its last item are left alone
    lines = [
        "Kính gửi: - Sở Giáo dục và Đào tạo thành phố Đà Nẵng;",
        "- Sở Lao động Thương binh và Xã hội thành phố Đà Nẵng",
        "- Đại học Đà Nẵng:",
        "- Các cơ sở giáo dục trên địa bàn thành phố.",
        "Nơi nhận:",
        "- Như Điều 3;",
        "- Lưu: VT, QHĐP",
    ]
    fixes = punctuation_fixes(lines)
    assert [(f.line, f.original, f.replacement, f.rule) for f in fixes] == [
        (1, "", ";", "recipients"),
        (2, ":", ";", "recipients"),
    ]


def test_lines_of_seal_and_stamp_specks_are_emptied_and_listed() -> None:
    # S08, S11, S14 (dev): a seal ring read as `J` (conf 10), a rule as `————`; the handwritten
    # `TT` at 72 and an acronym at 33 are kept, and so is every line with a word in it
    lines = [
        line(("J", 10)),
        line(("————", 32)),
        line(("ˆ", 54)),
        line(("Th", 0.5)),
        line(("TT", 72)),
        line(("VN", 33)),
        line(("—", 40), ("Lưu:", 90), ("VT", 92)),
        line(("l", 5), ("ở", 5)),
    ]
    (out,), repairs = repair_pages([page(*lines)], Scripted({}))
    assert [li.text for li in out.lines] == ["", "", "", "", "TT", "VN", "– Lưu: VT", "l ở"]
    assert [li.raw_text for li in out.lines][:4] == ["J", "————", "ˆ", "Th"]
    assert [(r["line"], r["original"], r["mode"]) for r in repairs if r["mode"] == "debris"] == [
        (0, "J", "debris"),
        (1, "————", "debris"),
        (2, "ˆ", "debris"),
        (3, "Th", "debris"),
    ]


def test_punctuation_repairs_are_listed_with_the_raw_text_kept() -> None:
    p = page(line(("trách.", 96), ("quan", 96), ("tâm", 96)))
    (out,), repairs = repair_pages([p], Scripted({}))
    assert out.lines[0].text == "trách, quan tâm"
    assert out.lines[0].raw_text == "trách. quan tâm"
    assert repairs == [
        {
            "page": 1,
            "line": 0,
            "start": 5,
            "end": 6,
            "original": ".",
            "replacement": ",",
            "confidence": 0.9,
            "mode": "punctuation",
        }
    ]


# --- hOCR ------------------------------------------------------------------------------------


def test_hocr_words_carry_lstm_alternatives_and_tsv_line_keys() -> None:
    words = words_from_hocr((DATA / "hocr" / "S29_two_lines.hocr").read_text("utf-8"))
    texts = [w.text for w in words]
    assert texts[:4] == ["BỘ", "CÔNG", "AN", "CỘNG"]
    by_text = {w.text: w for w in words}
    assert by_text["CỘNG"].alternatives[0] == "CỌNG" and by_text["CỘNG"].conf == 72.5
    assert by_text["HỘI"].alternatives == ("HỌI",)
    assert by_text["BỘ"].alternatives == ()
    # numbered like Tesseract's TSV: the second column is block 3 (block 2 is a picture)
    assert (by_text["TỈNH"].block, by_text["TỈNH"].par, by_text["TỈNH"].line) == (3, 1, 1)
