"""Specification of the scan clean-up stages: each finds what was done to a synthetic page."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.preprocess import clean_page
from pipeline.preprocess.border import unwarp_page, whiten_margins
from pipeline.preprocess.deskew import estimate_skew, rotate
from pipeline.preprocess.ink import find_seals, to_ocr_gray
from pipeline.preprocess.light import flatten_light
from pipeline.preprocess.orient import level_page
from pipeline.preprocess.resolution import upscale_small_text
from pipeline.synth import degrade as dg
from pipeline.synth import plan_from_text, render_document
from pipeline.synth.seal import SEAL_RED, blend_ink, seal_mask

TEXT = """ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG
Số: 12/KH-UBND
Lâm Đồng, ngày 3 tháng 2 năm 2026
KẾ HOẠCH
Kiểm tra công tác cải cách hành chính năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Đánh giá đúng thực trạng, kết quả thực hiện nhiệm vụ cải cách hành chính của các cơ quan, đơn vị; kịp thời phát hiện, chấn chỉnh những hạn chế, tồn tại; biểu dương những tập thể, cá nhân làm tốt.
Nâng cao trách nhiệm của người đứng đầu các cơ quan hành chính nhà nước trong việc chỉ đạo, điều hành và tổ chức thực hiện cải cách hành chính tại cơ quan, đơn vị, địa phương.
2. Yêu cầu
Việc kiểm tra phải bảo đảm khách quan, đúng quy định, không gây phiền hà cho cơ quan, đơn vị được kiểm tra; kết luận kiểm tra rõ ràng, cụ thể, có kiến nghị xử lý những sai phạm.
II. NỘI DUNG KIỂM TRA
Kiểm tra việc ban hành và tổ chức thực hiện kế hoạch cải cách hành chính; công tác tuyên truyền; cải cách thể chế; cải cách thủ tục hành chính; cải cách tổ chức bộ máy; cải cách chế độ công vụ; cải cách tài chính công; xây dựng chính quyền điện tử, chính quyền số.
"""


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    """A rendered A4 page at 150 dpi (RGB): text-dense, with the two-column header."""
    return render_document(plan_from_text(TEXT), dpi=150)[0].image


@pytest.fixture(scope="module")
def gray(page: np.ndarray) -> np.ndarray:
    return to_ocr_gray(page)[0]


@pytest.mark.parametrize("k", [1, 2, 3])
def test_quarter_turned_page_comes_back_upright(gray: np.ndarray, k: int) -> None:
    turned = np.ascontiguousarray(np.rot90(gray, k))
    out, logs = level_page(turned)
    assert logs[0].applied and logs[0].detail["rotation"] == (90 * k) % 360
    assert out.shape == gray.shape


@pytest.mark.parametrize("k", [0, 1, 2, 3])
@pytest.mark.parametrize("angle", [-3.0, 2.0])
def test_skewed_page_turned_any_quarter_comes_out_level(
    gray: np.ndarray, k: int, angle: float
) -> None:
    # an upside-down page was once "levelled" the wrong way: its skew doubled (2° -> 4°)
    turned = np.ascontiguousarray(np.rot90(rotate(gray, angle), k))
    out, logs = level_page(turned)
    assert logs[0].detail["rotation"] == (90 * k) % 360
    assert abs(estimate_skew(out)) <= 0.3


def test_upright_page_is_not_turned(gray: np.ndarray) -> None:
    _, logs = level_page(gray)
    assert not logs[0].applied and logs[0].detail["rotation"] == 0


@pytest.mark.parametrize("angle", [-12.0, -4.0, 2.5, 9.0])
def test_deskew_recovers_known_angle_up_to_15_degrees(gray: np.ndarray, angle: float) -> None:
    _, logs = level_page(rotate(gray, angle))
    assert logs[1].applied
    assert logs[1].detail["angle"] == pytest.approx(-angle, abs=0.3)


def test_red_seal_over_text_is_found_and_turned_white_but_black_text_under_it_stays(
    page: np.ndarray,
) -> None:
    stamped = page.copy()
    d = 200
    blend_ink(stamped, seal_mask(d, "ỦY BAN NHÂN DÂN TỈNH", 150), 500, 600, SEAL_RED, 0.85)
    seals = find_seals(stamped)
    assert len(seals) == 1
    assert abs(seals[0]["x0"] - 500) < 12 and abs(seals[0]["y1"] - 800) < 12
    out, logs = to_ocr_gray(stamped)
    assert any(log.stage == "color_ink" and log.applied for log in logs)
    window = (slice(600, 800), slice(500, 700))
    clean = to_ocr_gray(page)[0][window]
    text_px = clean < 100
    assert (out[window][~text_px] > 200).mean() > 0.97  # the seal is gone from the paper
    assert (out[window][text_px] < 120).mean() > 0.9  # the print under it is kept


def test_black_and_white_page_skips_colour_stages(gray: np.ndarray) -> None:
    out, logs = to_ocr_gray(gray)
    assert out is gray and not any(log.applied for log in logs)


def test_phone_photo_page_is_found_and_squared(page: np.ndarray) -> None:
    photo = dg.perspective(page, np.random.default_rng(3), amount=0.05)
    g = to_ocr_gray(photo)[0]
    out, log = unwarp_page(g)
    assert log.applied
    h, w = page.shape[:2]
    assert abs(out.shape[0] - h) < 0.12 * h and abs(out.shape[1] - w) < 0.12 * w
    assert out[:10].mean() > 200  # no table left at the top edge


def test_clean_page_is_not_cropped_or_whitened(gray: np.ndarray) -> None:
    assert not unwarp_page(gray)[1].applied
    assert not whiten_margins(gray)[1].applied
    assert not flatten_light(gray)[1].applied


def test_dark_copier_margins_are_painted_white(gray: np.ndarray) -> None:
    rgb = np.repeat(gray[..., None], 3, axis=2)
    dark = dg.dark_margins(rgb, np.random.default_rng(1), 0.04)[..., 0]
    out, log = whiten_margins(dark)
    assert log.applied
    assert out[:, :3].mean() > 250 and out[-3:].mean() > 250
    assert (out < 128).sum() == pytest.approx((gray < 128).sum(), rel=0.05)


def test_shadow_is_flattened(gray: np.ndarray) -> None:
    rgb = np.repeat(gray[..., None], 3, axis=2)
    shaded = dg.shadow(rgb, np.random.default_rng(2), depth=0.5)[..., 0]
    out, log = flatten_light(shaded)
    assert log.applied
    paper = gray > 200
    assert np.percentile(out[paper], 5) > 200


def test_low_resolution_text_is_upscaled_and_normal_text_is_not(gray: np.ndarray) -> None:
    out, log = upscale_small_text(gray)  # 150 dpi
    assert log.applied and out.shape[0] > 1.4 * gray.shape[0]
    big = dg.downsample(np.repeat(gray[..., None], 3, 2), 2.0)[..., 0]  # as if 300 dpi
    assert not upscale_small_text(big)[1].applied


def test_clean_page_logs_every_stage_and_keeps_snapshots(page: np.ndarray) -> None:
    snaps: dict[str, np.ndarray] = {}
    turned = np.ascontiguousarray(np.rot90(page, 2))
    _, logs = clean_page(turned, snapshots=snaps)
    names = [log.stage for log in logs]
    assert names == ["gray", "color_ink", "seal", "denoise", "page_crop", "margins", "punch_holes",
                     "flatten", "orient", "deskew", "upscale"]  # fmt: skip
    assert any("orient" in k for k in snaps)


def test_unsure_orientation_asks_osd() -> None:
    blank_ish = np.full((400, 300), 255, np.uint8)
    for y in range(100, 300, 20):  # rows of square "letters": no ascenders, no descenders
        for x in range(50, 250, 12):
            blank_ish[y : y + 8, x : x + 8] = 0
    asked = []
    _, logs = level_page(blank_ish, lambda img: asked.append(img.shape) or 180)
    assert asked and logs[0].detail["method"] == "osd" and logs[0].detail["rotation"] == 180


@pytest.fixture(scope="module")
def table_pages() -> list[np.ndarray]:
    """The seed plan's appendix pages at 150 dpi as slightly skewed office scans: narrow cells
    whose lines share no baseline, broken rules, little running text."""
    from pathlib import Path

    from pipeline.synth import degrade_scan
    from pipeline.textnorm import nfc

    seed = Path(__file__).parent / "data" / "plan-hatinh-357.txt"
    pages = render_document(plan_from_text(nfc(seed.read_text("utf-8"))), dpi=150)
    return [
        to_ocr_gray(degrade_scan(dg.skew(p.image, 0.6), seed=s, strength=0.5))[0]
        for p in pages
        if p.table_cells
        for s in (0, 1)
    ]


@pytest.mark.parametrize("k", [0, 1, 2, 3])
def test_scanned_table_pages_come_back_upright_from_the_ink_alone(
    table_pages: list[np.ndarray], k: int
) -> None:
    for gray_page in table_pages:
        _, logs = level_page(np.ascontiguousarray(np.rot90(gray_page, k)))
        assert logs[0].detail["rotation"] == (90 * k) % 360, logs[0].detail
