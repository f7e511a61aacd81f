"""Legacy (English-model) OCR repair: the letter channel, the alignment it learns from, and what
the restorer does with debris the token table never saw.

Pure parts (glyph EM, alignment, n-gram counts, code parts) run on toy data; the examples at the
end use the committed model in models/restorer.
"""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.restore import DEFAULT_MODEL, load_restorer
from pipeline.restore.align import align_tokens
from pipeline.restore.channel import Channel
from pipeline.restore.glyphs import GlyphChannel, learn_glyphs

TOY_PAIRS = (
    [("tir", "từ")] * 20
    + [("tu", "từ")] * 30
    + [("tw", "từ")] * 10
    + [("6ng", "ống")] * 10
    + [("ong", "ông")] * 20
    + [("dén", "đến")] * 10
    + [("ngudi", "người")] * 5
)


@pytest.fixture(scope="module")
def glyphs() -> GlyphChannel:
    inventory = ["từ", "tư", "tù", "tia", "ống", "ông", "đến", "dến", "người", "ngươi", "nguội"]
    return GlyphChannel(learn_glyphs(TOY_PAIRS), inventory)


def test_em_learns_what_each_letter_is_read_as() -> None:
    emit = learn_glyphs(TOY_PAIRS)
    assert "ir" in emit["ừ"] and "w" in emit["ừ"]  # one letter read as two characters
    assert max(emit["ố"], key=emit["ố"].get) == "6"
    assert emit["đ"]["d"] > -0.1


def test_debris_never_seen_whole_is_scored_letter_by_letter(glyphs: GlyphChannel) -> None:
    assert glyphs.best("tir", k=1)[0][0] == "từ"
    assert glyphs.best("6ng", k=1)[0][0] == "ống"
    # `ngudi` was seen, but a new neighbour of it is still read through its letters
    assert glyphs.best("ngudi", k=1)[0][0] == "người"


def test_vectorised_scores_agree_with_the_one_pair_viterbi(glyphs: GlyphChannel) -> None:
    scores = glyphs.score_all("tir")
    for k, s in enumerate(glyphs.syllables):
        assert scores[k] == pytest.approx(glyphs.logp("tir", s), abs=1e-3)


def test_heavy_debris_between_anchors_is_aligned_with_its_word() -> None:
    pairs = align_tokens("ngudi canh gidi & hai bén", "người canh giới ở hai bên")
    assert ("&", "ở") in pairs
    pairs = align_tokens("chiu thué tir tién cong", "chịu thuế từ tiền công")
    assert ("tir", "từ") in pairs


def test_unrelated_tokens_next_to_a_gap_are_not_paired() -> None:
    # the OCR lost a word: `xyz` is not anchored on both sides, so it teaches nothing
    pairs = align_tokens("quy dinh xyz", "quy định về việc")
    assert all(o != "xyz" for o, _ in pairs)


def test_the_first_word_of_a_line_is_predicted_from_the_number_of_lines() -> None:
    from pipeline.restore.counts import build_vocab, count_ngrams, encode, line_symbols
    from pipeline.restore.lm import BOS, HashTable, NgramLM

    sents = line_symbols(["d) một hai", "d) ba bốn", "đ) năm", "a) sáu", "một hai ba"])
    vocab, _ = build_vocab(sents, 1)
    keys, vals = count_ngrams(encode(sents, vocab, 3), 3, (1, 1, 1))
    lm = NgramLM(vocab, 3, HashTable.build(keys, vals), -10.0)
    got = lm.score(np.full((3, 2), BOS, dtype=np.int32), lm.ids(["d", "đ", "một"]))
    assert got == pytest.approx(np.log([2 / 5, 1 / 5, 1 / 5]), abs=0.05)


def test_misread_code_parts_snap_to_a_far_more_frequent_part() -> None:
    channel = Channel(
        {}, acronyms={"nd": "nđ"}, code_parts={"bgtvt": 3000, "nđ": 50000, "bqp": 2500, "btp": 2000}
    )
    assert channel.restore_code("29/2021/TT-BGTVIT", ocr=True) == "29/2021/TT-BGTVT"
    assert channel.restore_code("13/2011/NB-CP", ocr=True) == "13/2011/NĐ-CP"
    assert channel.restore_code("100/QD-BPT", ocr=True) == "100/QD-BPT"  # BQP or BTP: keep
    assert channel.restore_code("29/2021/TT-BGTVIT") == "29/2021/TT-BGTVIT"  # typed text


def test_a_provincial_department_code_is_not_snapped_to_its_ministry() -> None:
    # S23 (dev `eng` OCR): `6326/TTr-STNMT` (Sở Tài nguyên và Môi trường) is one edit from the
    # ministry's BTNMT, which national law names 2,000 times and the department never
    channel = Channel({}, code_parts={"btnmt": 2304, "byt": 4023, "ttr": 900})
    assert channel.restore_code("6326/TTr-STNMT", ocr=True) == "6326/TTr-STNMT"
    assert channel.restore_code("12/SYT-KHTC", ocr=True) == "12/SYT-KHTC"
    assert channel.restore_code("5/TTr-BTNMIT", ocr=True) == "5/TTr-BTNMT"  # still snapped


def test_a_code_capital_read_as_its_look_alike_is_swapped_back() -> None:
    # S14, S23 (dev `eng` OCR): `2034/OD-BGDĐT`, `12/2021/OD-TTg`; Q is O with a tail, so `BOP`
    # is BQP although BTP is as near by letters
    channel = Channel(
        {},
        acronyms={"qd": "qđ"},
        code_parts={"qđ": 7000, "nđ": 50000, "bqp": 2500, "btp": 2000, "od": 3},
    )
    assert channel.restore_code("2034/OD-BGDĐT", ocr=True) == "2034/QĐ-BGDĐT"
    assert channel.restore_code("100/QD-BOP", ocr=True) == "100/QĐ-BQP"
    assert channel.restore_code("2034/OD-BGDĐT") == "2034/OD-BGDĐT"  # typed text


@pytest.fixture(scope="module")
def restorer():
    if not (DEFAULT_MODEL / "lm.npz").is_file():
        pytest.fail(f"restorer model missing in {DEFAULT_MODEL}: run `make train-restorer`")
    return load_restorer()


def test_unseen_legacy_debris_is_repaired(restorer) -> None:
    text = "dinh trén co so téng thu nhap chiu thué tir tién cong, tién luong"
    out = restorer.restore(text, mode="full").text
    assert "thuế từ tiền công" in out


def test_legacy_look_alike_capitals_are_not_kept_mid_sentence(restorer) -> None:
    # `I` for l and `O` for ô are the English model's look-alikes, not capitals
    text = (
        "Vu viéc vi pham an ninh hang khéng Ia hanh vi vi pham\nkhong phai la hoat dOng van chuyén"
    )
    out = restorer.restore(text, mode="full").text.split("\n")
    assert " là hành vi" in out[0]
    assert "hoạt động" in out[1]


def test_latin_words_in_legacy_ocr_are_kept(restorer) -> None:
    out = restorer.restore("dién thoai, fax, thu dién tir, thoi gian phat hanh", mode="full").text
    assert "fax" in out and "điện thoại" in out


def test_a_piece_borrows_context_from_the_lines_around_it() -> None:
    from pipeline.restore.model import _with_context

    lines: list[list] = [["a1", "a2", "a3"], ["b1", "b2"], [], ["d1"]]
    assert _with_context(lines, 1, 0, 2, width=2) == (["a2", "a3", "b1", "b2"], 2, 4)
    assert _with_context(lines, 0, 0, 3, width=2) == (["a1", "a2", "a3", "b1", "b2"], 0, 3)
    assert _with_context(lines, 3, 0, 1, width=2) == (["d1"], 0, 1)  # after a paragraph break
    assert _with_context(lines, 1, 0, 2, width=0) == (["b1", "b2"], 0, 2)


def test_a_wrapped_line_end_is_read_with_the_next_line(restorer) -> None:
    # alone, `Thong tu so` at a line end reads best as it is (nothing follows `số` there)
    text = (
        "a) Chi t6 chifc hoi thao, tap huan, cong tac phi theo Thong tu so\n"
        "45/2017/TT-BTC ngay 17 thang 11 nam 2017 cua B6 Tai chinh"
    )
    out = restorer.restore(text, mode="full").text.split("\n")
    assert out[0].endswith("theo Thông tư số")
    assert out[1] == "45/2017/TT-BTC ngày 17 tháng 11 năm 2017 của Bộ Tài chính"


def test_legacy_words_glued_to_numbers_are_split_where_only_the_parts_read(restorer) -> None:
    # S08, S09, S19, S28 (dev `eng` OCR): the written day glued to `ngay`, the number to `Số:`
    text = (
        "S6:445 /CV-PA83\n"
        "Ha Noi, ngay23 thang 4 nam 2026\n"
        "Ha No6i, ngay22thang 4 ndm 2026\n"
        "mé6t sé quy dinh tai cac Thong tu"
    )
    res = restorer.restore(text, mode="full")
    out = res.text.split("\n")
    assert out[0] == "Số: 445 /CV-PA83"
    assert out[1] == "Hà Nội, ngày 23 tháng 4 năm 2026"
    assert out[2] == "Hà Nội, ngày 22 tháng 4 năm 2026"
    assert out[3].startswith("một số quy định")  # `mé6t` reads whole: not split
    spaces = [c for c in res.changes if c.original == "" and c.replacement == " "]
    assert [(c.line, c.start) for c in spaces] == [(0, 3), (1, 12), (2, 13), (2, 15)]


def test_a_heading_in_capitals_is_read_as_words(restorer) -> None:
    # S08, S26 (dev `eng` OCR): `TUGNG` is no acronym in a heading; `UBND` stays one
    text = (
        "THU TUGNG CHINH PHU CONG HOA XA HOI CHU NGHIA VIET NAM\n"
        "UBND TINH QUANG NGAI\n"
        "Can ctr Ludt T6 chive Chinh phi ngay 19 thang 02 ném 2025;"
    )
    out = restorer.restore(text, mode="full").text.split("\n")
    assert out[0].startswith("THỦ TƯỚNG CHÍNH PHỦ")
    assert out[1] == "UBND TỈNH QUẢNG NGÃI"


def test_a_number_in_legacy_ocr_is_a_word_only_where_the_language_model_says_so(restorer) -> None:
    # S11 (dev `eng` OCR): `56` for số before a document code (S read as 5); a real count stays
    out = restorer.restore(
        "Thuc hién Nghi dinh 56 105/2021/ND-CP ngay 04 thang 12 nam 2021 cua Chinh phu\n"
        "trong 56 ngay ké tir ngay nhan du hé so hop lé",
        mode="full",
    ).text.split("\n")
    assert out[0].startswith("Thực hiện Nghị định số 105/2021/NĐ-CP")
    assert out[1].startswith("trong 56 ngày kể từ ngày")


def test_two_syllables_read_as_one_word_are_cut_where_both_read(restorer) -> None:
    # S22 (dev `eng` OCR): `Véviée` for Về việc; an acronym is never cut
    res = restorer.restore(
        "Véviée tang cwong céng tac phong, chéng tham nhing, tiéu cue\n(goi tat la PCTNTC)",
        mode="full",
    )
    out = res.text.split("\n")
    assert out[0].startswith("Về việc tăng cường công tác phòng, chống tham nhũng")
    assert "PCTNTC" in out[1]


def test_an_agency_in_capitals_beside_the_motto_stays_in_capitals(restorer) -> None:
    # S29 (dev `eng` OCR): the header's two columns on one line, the agency in capitals on the
    # left; a lone capital word in running text is still a look-alike (`BO truong`, Bộ)
    out = restorer.restore(
        "CONG AN TINH LAM DONG Déc lap - Tw do - Hanh phic\n"
        "- BO truong, Thu truéng co quan ngang B6;",
        mode="full",
    ).text.split("\n")
    assert out[0].startswith("CÔNG AN TỈNH LÂM ĐỒNG Độc lập")
    assert out[1] == "- Bộ trưởng, Thủ trưởng cơ quan ngang Bộ;"


def test_a_unit_code_of_capitals_and_digits_is_kept_whole(restorer) -> None:
    # S29 (dev `eng` OCR): `PC04` (a police department) is no word glued to a number
    out = restorer.restore("- Luu: VT, PC04.\nHa Noi, ngay23 thang 4 nam 2026", mode="full")
    assert out.text.split("\n") == ["- Lưu: VT, PC04.", "Hà Nội, ngày 23 tháng 4 năm 2026"]


def test_an_item_dash_read_as_a_tilde_or_em_dash_is_the_item_dash(restorer) -> None:
    # S14 (dev `eng` OCR): the items' `–` read as `~` (which the letter channel took for `a`),
    # as `—`, or glued to the first word; a rule under the header is no dash
    text = (
        "~ Khao sat duge trién khai khach quan, trung thuc\n"
        "—Ghi nhan y kién danh gid cia sinh vién\n"
        "~—Cac don vi, cd nhan duge phan céng\n"
        "- Nhu Diéu 3;\n"
        "————————— Thanh phé Ho Chi Minh, ngay .... thang 6 nam 2026"
    )
    res = restorer.restore(text, mode="full")
    out = res.text.split("\n")
    assert out[0].startswith("– Khảo sát được triển khai")
    assert out[1].startswith("– Ghi nhận ý kiến")
    assert out[2].startswith("– Các đơn vị")
    assert out[3] == "- Như Điều 3;"
    assert out[4].startswith("————————— Thành phố")
    assert ("~", "–") in {(c.original, c.replacement) for c in res.changes}  # listed


def test_the_item_dash_rule_reads_only_a_line_opening_dash() -> None:
    from pipeline.restore.tokens import item_dash

    assert item_dash("~ Khao sat") == (0, 1, "–")
    assert item_dash("—Ghi nhan") == (0, 1, "– ")
    assert item_dash("-Luu: VT") == (0, 1, "- ")
    assert item_dash("- Nhu tren;") is None  # already an item dash
    assert item_dash("——- Doc lap") is None  # a rule, not a dash
    assert item_dash("Khao sat ~ nay") is None
