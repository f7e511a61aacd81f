"""Punch holes in the margin are painted out; bullets, letters and text beside them are not."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from pipeline.preprocess.holes import find_holes, remove_punch_holes
from pipeline.synth import degrade as dg
from pipeline.synth import plan_from_text, render_document

TEXT = """ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG
Số: 12/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lâm Đồng, ngày 05 tháng 3 năm 2026
KẾ HOẠCH
Kiểm tra công tác cải cách hành chính năm 2026
I. MỤC ĐÍCH, YÊU CẦU
- Đánh giá đúng thực trạng, kết quả thực hiện công tác cải cách hành chính của các cơ quan, đơn vị.
- Việc kiểm tra phải bảo đảm khách quan, đúng quy định, không gây phiền hà cho cơ quan, đơn vị.
• Kết luận kiểm tra rõ ràng, cụ thể, có kiến nghị xử lý những sai phạm.
"""


@pytest.fixture(scope="module")
def gray() -> np.ndarray:
    """A rendered A4 page at 200 dpi: 1654 px wide, so a 6 mm hole is about 47 px across."""
    page = render_document(plan_from_text(TEXT), dpi=200)[0].image
    return cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)


def punched(gray: np.ndarray, centres: list[tuple[int, int]], r: int = 24) -> np.ndarray:
    out = gray.copy()
    for c in centres:
        cv2.circle(out, c, r, 35, thickness=-1)  # the dark scanner lid through the hole
    return out


def test_holes_in_the_left_margin_are_found_and_painted_with_paper(gray: np.ndarray) -> None:
    h = gray.shape[0]
    centres = [(95, h // 2 - 600), (95, h // 2 + 600)]
    out, log = remove_punch_holes(punched(gray, centres))
    assert log.applied and len(log.detail["holes"]) == 2
    for x, y in centres:
        assert out[y - 30 : y + 30, x - 30 : x + 30].min() > 200  # nothing dark left there
    assert np.array_equal(out[:, 300:], gray[:, 300:])  # the text column is untouched


def test_a_hole_at_the_top_is_found_too(gray: np.ndarray) -> None:
    out, log = remove_punch_holes(punched(gray, [(gray.shape[1] // 2, 90)]))
    assert (
        log.applied and out[60:120, gray.shape[1] // 2 - 30 : gray.shape[1] // 2 + 30].min() > 200
    )


def test_clean_page_with_bullets_and_letters_has_no_holes(gray: np.ndarray) -> None:
    out, log = remove_punch_holes(gray)
    assert not log.applied and out is gray


def test_disc_beside_printing_or_out_of_size_is_not_a_hole(gray: np.ndarray) -> None:
    h = gray.shape[0]
    tiny = punched(gray, [(95, h // 2)], r=6)  # a bullet-sized dot: too small
    assert find_holes(tiny) == []
    huge = punched(gray, [(140, h // 2)], r=90)  # a seal-sized disc: too big
    assert find_holes(huge) == []
    ring = gray.copy()
    cv2.circle(ring, (95, h // 2), 24, 35, thickness=4)  # a round logo outline: not filled
    assert find_holes(ring) == []


def test_the_benchmarks_filed_copies_lose_both_holes() -> None:
    page = render_document(plan_from_text(TEXT), dpi=200)[0].image
    filed = dg.punch_holes(page, np.random.default_rng(3))
    gray = cv2.cvtColor(filed, cv2.COLOR_RGB2GRAY)
    assert len(find_holes(gray)) == 2
    out, _ = remove_punch_holes(gray)
    assert out[:, :200].min() > 150  # nothing dark left in the left margin
