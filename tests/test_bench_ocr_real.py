"""The real-scan benchmark's scoring: word errors by class, text a transcript leaves out, pages."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `bench/` is not an installed package
from bench import bench_ocr_real as br  # noqa: E402
from pipeline.metrics import page_alignment, page_errors  # noqa: E402
from pipeline.ocr_errors import line_classes, out_of_order, page_classes, word_class  # noqa: E402


def test_a_word_differing_only_in_marks_is_a_tone_error() -> None:
    for truth, read in [("tổ", "tô"), ("kiểm", "kiêm"), ("được", "dược"), ("CỘNG", "CỌNG")]:
        assert word_class(truth, read) == "tone", (truth, read)


def test_a_word_differing_only_in_punctuation_is_a_punctuation_error() -> None:
    assert word_class("trách,", "trách.") == "punct"
    assert word_class("2025;", "2025") == "punct"
    assert word_class("phương;", "phương:") == "punct"


def test_other_substitutions_are_letter_errors() -> None:
    for truth, read in [("gắn", "#găn"), ("lao", "ølao"), ("khai", "khat"), ("Chủ", "chủ")]:
        assert word_class(truth, read) == "letter", (truth, read)
    # tone and punctuation both wrong: the letters decide
    assert word_class("trách,", "trach.") == "tone"


def test_classes_of_a_line_add_up_to_its_word_edit_distance() -> None:
    truth = "Sở Tư pháp chủ trì, phối hợp với các cơ quan tổ chức kiểm tra"
    read = "Sở Tư pháp chủ trì. phối hợp với cơ quan tô chức kiêm tra thêm"
    got = line_classes(truth, read)
    assert got == {"punct": 1, "tone": 2, "lost": 1, "added": 1}
    wrong = page_errors([truth], [read]).word_errors
    assert sum(got.values()) == wrong


def test_page_classes_count_lost_lines_invented_text_and_reading_order() -> None:
    truth = ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "Số: /TB-UBND", "Kính gửi các sở"]
    read = ["TỈNH QUẢNG NGÃI", "ỦY BAN NHÂN DÂN", "Kính gửi các sở", "@@##"]
    got = page_classes(truth, read)
    assert got["lost"] == 2  # the whole `Số:` line
    assert got["added"] == 1
    assert got["order"] == 1  # one of the first two lines is out of printed order
    assert (
        sum(got[c] for c in ("tone", "punct", "letter", "lost", "added"))
        == page_errors(truth, read).word_errors
    )


def test_a_word_read_inside_a_line_costs_one_error_not_its_neighbour_twice() -> None:
    # `Số: /TTg-CĐS` fits `4@† /TTg-CĐS` as closely as the whole reading; taking the shorter
    # stretch would leave `Số:` unclaimed and charge it as lost and again as added.
    truth = ["THỦ TƯỚNG CHÍNH PHỦ", "Số: /TTg-CĐS", "V/v triển khai các Nghị quyết"]
    read = ["THỦ TƯỚNG CHÍNH PHỦ", "Số: 4@† /TTg-CĐS", "V/v triển khai các Nghị quyết"]
    assert page_errors(truth, read).word_errors == 1
    assert page_alignment(truth, read).leftover == []


def test_out_of_order_counts_lines_outside_the_longest_increasing_run() -> None:
    assert out_of_order([0, 10, 20, 30]) == 0
    assert out_of_order([10, 0, 20, 30]) == 1
    assert out_of_order([30, 20, 10, 0]) == 3


def test_text_the_transcript_leaves_out_is_not_charged_but_invented_text_is() -> None:
    truth = ["Số: /QĐ-TTg", "Căn cứ Luật Tổ chức Chính phủ"]
    overlay = "Người ký: CÔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHÙ"
    read = [overlay, "Số: /QĐ-TTg", "Căn cứ Luật Tổ chức Chính phủ", "xyzzy"]
    ignore = ("Người ký: CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", "Email: thongtinchinhphu@chinhphu.vn")
    plain = page_errors(truth, read)
    lenient = page_alignment(truth, read, ignore)
    assert lenient.errors.word_errors == 1 and lenient.leftover == ["xyzzy"]
    assert plain.word_errors == 1 + len(overlay.split())


def test_a_handwritten_word_read_inside_a_printed_line_is_not_charged() -> None:
    truth = ["Hà Nội, ngày tháng 4 năm 2026", "Căn cứ Luật Tổ chức Chính phủ"]
    ignore = ("23", "ngày23 tháng 4")  # S08's sidecar: the day written into the blank
    read = ["Hà Nội, ngày 23 tháng 4 năm 2026", "Căn cứ Luật Tổ chức Chính phủ"]
    assert page_errors(truth, read).word_errors == 1
    lenient = page_alignment(truth, read, ignore)
    assert lenient.errors.word_errors == 0 and lenient.errors.char_errors == 0
    assert lenient.matches[0].found == truth[0] and "23" in lenient.ignored
    assert sum(page_classes(truth, read, ignore).values()) == 0
    # glued to a printed word, or read in a printed word's place, it is still an error
    glued = ["Hà Nội, ngày23 tháng 4 năm 2026", truth[1]]
    assert page_errors(truth, glued, ignore).word_errors == 1
    swapped = ["Hà Nội, ngày 23 4 năm 2026", truth[1]]
    assert page_errors(truth, swapped, ignore).word_errors == 1
    other = ["Hà Nội, ngày 24 tháng 4 năm 2026", truth[1]]  # not what was written
    assert page_errors(truth, other, ignore).word_errors == 1


def test_excluded_text_is_taken_from_the_sidecars_quotes_and_parentheses() -> None:
    entries = [
        "digital-signature overlay at top (Người ký: CỔNG THÔNG TIN / Thời gian ký: 28.04.2026"
        " 15:49:15 +07:00) and its emblem: signature overlay",
        "'HỎA TỐC' arrow stamp at left: stamp",
        "top-right 'SAO Y' digital-signature overlay: 'SAO Y', 'Bộ Công an'",
    ]
    got = br.excluded_text(entries)
    assert "Người ký: CỔNG THÔNG TIN" in got and "Thời gian ký: 28.04.2026 15:49:15 +07:00" in got
    assert "HỎA TỐC" in got and "Bộ Công an" in got


def test_every_transcribed_page_loads_with_its_split(tmp_path: Path) -> None:
    pages = br.load_pages()
    if not pages:  # the shared page images are not on this machine
        return
    assert {p.split for p in pages} <= {"dev", "test"}
    assert all(p.truth for p in pages)
