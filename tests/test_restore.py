"""The text restorer (issue 4): API shape, what it must keep, and one example of each broken kind.

The committed model in models/restorer is loaded once per session; if it is missing the tests fail
with the reason, since the pipeline cannot repair text without it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.restore import (
    DEFAULT_MODEL,
    Change,
    ModelMissing,
    Restoration,
    detect_mode,
    load_restorer,
    restore_text,
)
from pipeline.restore.modes import tokenize_lines
from pipeline.textnorm import nfc, strip_diacritics

SEEDS = Path(__file__).parent / "data"  # copies of ../shared/seeds files


@pytest.fixture(scope="session")
def restorer():
    if not (DEFAULT_MODEL / "lm.npz").is_file():
        pytest.fail(f"restorer model missing in {DEFAULT_MODEL}: run `make train-restorer`")
    return load_restorer()


def test_missing_model_is_reported_clearly(tmp_path: Path) -> None:
    with pytest.raises(ModelMissing, match="lm.npz"):
        load_restorer(tmp_path)


def test_load_restorer_is_cached(restorer) -> None:
    assert load_restorer() is restorer


def test_restores_plain_text_without_diacritics(restorer) -> None:
    res = restorer.restore("Thuc hien Ke hoach so 09/KH-UBND ngay 12/01/2024 cua UBND tinh")
    assert res.mode == "full"
    assert res.text == "Thực hiện Kế hoạch số 09/KH-UBND ngày 12/01/2024 của UBND tỉnh"


def test_changes_point_back_at_the_original_text(restorer) -> None:
    text = "Can cu Nghi dinh so 30/2020/ND-CP\nchu tri, phoi hop thuc hien"
    res = restorer.restore(text)
    lines = text.split("\n")
    assert res.changes and all(isinstance(c, Change) for c in res.changes)
    for c in res.changes:
        assert lines[c.line][c.start : c.end] == c.original
        assert 0.0 <= c.confidence <= 1.0
    assert res.text.split("\n")[1] == "chủ trì, phối hợp thực hiện"


def test_all_caps_headings_are_restored_and_stay_upper(restorer) -> None:
    assert (
        restorer.restore("KE HOACH\nI. MUC DICH, YEU CAU").text == "KẾ HOẠCH\nI. MỤC ĐÍCH, YÊU CẦU"
    )


def test_codes_numbers_acronyms_and_latin_words_survive(restorer) -> None:
    text = "Chi thi 16/CT-TTg, Ket luan 15-KL/TW, Luat 96/2019/QH14 ve Internet, SIM 3G cua UBND"
    out = restorer.restore(text).text
    for kept in ("16/CT-TTg", "15-KL/TW", "96/2019/QH14", "Internet", "SIM", "3G", "UBND"):
        assert kept in out


def test_stripped_acronyms_and_codes_get_their_d_bar_back(restorer) -> None:
    out = restorer.restore("Nghi quyet cua HDND tinh, Nghi dinh 30/2020/ND-CP").text
    assert "HĐND" in out and "30/2020/NĐ-CP" in out


def test_legacy_english_model_ocr_is_repaired(restorer) -> None:
    excerpt = nfc((SEEDS / "legacy-ocr-excerpt.txt").read_text("utf-8"))
    assert detect_mode(excerpt) == "full"
    out = restorer.restore(excerpt).text
    assert "Kế hoạch số 09/KH-UBND" in out
    assert out.count("\n") == excerpt.count("\n")


def test_legacy_horn_written_as_a_tail_is_dropped(restorer) -> None:
    # the English model draws the horn of ơ/ư as `?` or `’` after a misread letter
    text = "b) Dugc si? dung théng tin, di? liéu, tai liéu\nké tw’ ngay nhan duoc hé so"
    out = restorer.restore(text, mode="full").text
    assert "sử dụng thông tin, dữ liệu" in out and "kể từ ngày" in out
    assert "?" not in out and "’" not in out


def test_document_cache_prefers_the_documents_own_reading() -> None:
    import numpy as np

    from pipeline.restore.adapt import biased, cache_counts, nearby
    from pipeline.restore.decoder import Lattice

    two = Lattice([np.array([10, 11], np.int32)], [np.zeros(2, np.float32)])
    counts = cache_counts([two] * 3, [np.array([1])] * 3, [np.array([0.9])] * 3)
    around = nearby(counts, 1, window=1)  # the line itself does not vote
    assert around == {11: 1.8}
    shifted = biased(two, around, weight=1.0).channel[0]
    assert shifted[1] > shifted[0]


def test_vie_ocr_tone_slips_are_fixed_conservatively(restorer) -> None:
    text = "Sở Y tế chủ trì nghiên cúu, tông hợp báo cáo về phòng, chống ma tủy trên địa bàn tỉnh."
    res = restorer.restore(text)
    assert res.mode == "conservative"
    assert "nghiên cứu" in res.text and "tổng hợp" in res.text and "ma túy" in res.text


def test_good_text_is_left_alone(restorer) -> None:
    text = "Ủy ban nhân dân tỉnh giao Sở Tài chính chủ trì, phối hợp với các sở, ngành liên quan."
    assert restorer.restore(text).text == text


def test_tone_placement_is_normalized_to_the_old_style(restorer) -> None:
    res = restorer.restore(
        "Cộng hoà xã hội chủ nghĩa Việt Nam, thuỷ lợi và hoà bình", mode="conservative"
    )
    assert res.text == "Cộng hòa xã hội chủ nghĩa Việt Nam, thủy lợi và hòa bình"


def test_mode_none_returns_the_text_untouched(restorer) -> None:
    text = "The quick brown fox jumps over the lazy dog"
    assert detect_mode(text) == "none"
    assert restorer.restore(text) == Restoration(text, [], "none")


def test_restore_text_uses_the_default_model(restorer) -> None:
    assert restore_text("chu tri").text == "chủ trì"


vietnamese = st.text(
    alphabet=st.sampled_from(
        list(
            "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạầấẩẫậèéẻẽẹềếểễệìíỉĩị"
            "òóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ  ,.;:-/0123456789ABCĐH\n"
        )
    ),
    max_size=80,
)
FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FAST
@given(vietnamese)
def test_restoring_stripped_text_only_adds_diacritics(restorer, text: str) -> None:
    stripped = strip_diacritics(text)
    assume(all(t.kind != "odd" for line in tokenize_lines(stripped) for t in line))  # `1a`: OCR
    out = restorer.restore(stripped, mode="full").text
    assert strip_diacritics(out) == stripped


@FAST
@given(
    st.lists(
        st.sampled_from(
            [
                "09/KH-UBND",
                "96/2019/QH14",
                "15-KL/TW",
                "12/01/2024",
                "2.500",
                "CT-TTg",
                "UBND",
                "Internet",
                "3G",
                "so",
                "ngay",
                "cua",
                "tinh",
            ]
        ),
        min_size=1,
        max_size=12,
    )
)
def test_codes_and_numbers_survive_any_context(restorer, words: list[str]) -> None:
    out = restorer.restore(" ".join(words), mode="full").text.split(" ")
    for a, b in zip(words, out, strict=True):
        if any(ch.isdigit() for ch in a) or a in ("CT-TTg", "UBND", "Internet"):
            assert a == b


CORRECT_LINES = [
    "Ủy ban nhân dân tỉnh giao Sở Tài chính chủ trì, phối hợp với các sở, ngành liên quan.",
    "Thực hiện Kế hoạch số 09/KH-UBND ngày 12/01/2024 của UBND tỉnh về công tác cải cách hành chính.",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Sở Y tế chủ trì, phối hợp với Công an tỉnh tổ chức tuyên truyền phòng, chống ma túy.",
    "Thời gian thực hiện: hoàn thành trước ngày 30/6/2025.",
    "Các cơ quan, đơn vị báo cáo kết quả thực hiện về Sở Nội vụ để tổng hợp, báo cáo Chủ tịch UBND tỉnh.",
    "KẾ HOẠCH",
    "Triển khai thực hiện nghiêm túc, có hiệu quả các nhiệm vụ được giao.",
    "Bảo đảm kinh phí thực hiện theo quy định của Luật Ngân sách nhà nước.",
]


@FAST
@given(st.lists(st.sampled_from(CORRECT_LINES), min_size=1, max_size=5))
def test_correct_text_is_a_fixed_point(restorer, lines: list[str]) -> None:
    text = "\n".join(lines)
    res = restorer.restore(text)
    assert res.mode == "conservative"
    assert res.text == text and res.changes == []


@FAST
@given(st.text(max_size=60))
def test_odd_strings_never_crash_and_keep_line_count(restorer, text: str) -> None:
    text = nfc(text)
    res = restorer.restore(text)
    assert res.text.count("\n") == text.count("\n")
    assert res.mode in ("full", "conservative", "none")


@pytest.mark.tesseract
def test_a_rendered_page_read_by_the_english_model_comes_back_readable(restorer) -> None:
    from pipeline.restore.evaluate import word_error_rate
    from pipeline.restore.render import ocr, render_page

    truth = [
        "Sở Y tế chủ trì, phối hợp với các sở, ngành liên quan",
        "tổ chức thực hiện Kế hoạch số 09/KH-UBND của Ủy ban nhân dân tỉnh",
    ]
    got = [ln for ln in ocr(render_page(truth), "eng").split("\n") if ln.strip()]
    assert len(got) == len(truth)
    fixed = restorer.restore("\n".join(got)).text.split("\n")
    assert word_error_rate(truth, got) > 0.3
    assert word_error_rate(truth, fixed) < 0.15


def test_marked_letters_that_make_no_syllable_are_read_as_the_nearest_word(restorer) -> None:
    # S11, S28 (dev, damaged photocopies): `qiìy` for quy, `KÉẺ` for KẾ (capitals kept); a
    # plain-ASCII non-syllable may be a Latin word and is left as read
    text = (
        "bãi bỏ một số qiìy định tại các Thông tư quy định về kinh doanh xăng dầu\n"
        "KÉẺ HOẠCH\n"
        "Email và website của cơ quan\n"
        "Trung tâm Y tế huyện Chư Păh và Công ty Đăk Srông"
    )
    out = restorer.restore(text, mode="conservative").text.split("\n")
    assert out[0].startswith("bãi bỏ một số quy định")
    assert out[1] == "KẾ HOẠCH"
    assert out[2] == "Email và website của cơ quan"
    assert out[3] == "Trung tâm Y tế huyện Chư Păh và Công ty Đăk Srông"  # names the LM knows
