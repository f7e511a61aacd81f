"""Photocopy grain, copier margins and tinted copies: the stages added after the quick benchmark."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.preprocess import clean_page
from pipeline.preprocess.border import unwarp_page
from pipeline.preprocess.ink import to_ocr_gray
from pipeline.preprocess.noise import NOISY, denoise_page, noise_level
from pipeline.synth import degrade as dg
from pipeline.synth import plan_from_text, render_document
from pipeline.synth.seal import SEAL_RED, blend_ink, seal_mask

TEXT = """ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG
Số: 12/KH-UBND
KẾ HOẠCH
Kiểm tra công tác cải cách hành chính năm 2026
Đánh giá đúng thực trạng, kết quả thực hiện nhiệm vụ cải cách hành chính của các cơ quan, đơn vị; kịp thời phát hiện, chấn chỉnh những hạn chế, tồn tại; biểu dương những tập thể, cá nhân làm tốt.
Việc kiểm tra phải bảo đảm khách quan, đúng quy định, không gây phiền hà cho cơ quan, đơn vị được kiểm tra; kết luận kiểm tra rõ ràng, cụ thể, có kiến nghị xử lý những sai phạm.
"""


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    return render_document(plan_from_text(TEXT), dpi=150)[0].image


@pytest.fixture(scope="module")
def photocopy(page: np.ndarray) -> np.ndarray:
    return dg.photocopy(page, np.random.default_rng(5), strength=1.0)


def test_photocopy_grain_is_measured_and_removed(photocopy: np.ndarray) -> None:
    gray = to_ocr_gray(photocopy)[0]
    assert noise_level(gray) > NOISY
    out, log = denoise_page(gray)
    assert log.applied and log.detail["noise"] > NOISY
    assert noise_level(out) < noise_level(gray) / 3


@pytest.mark.parametrize("strength", [0.0, 0.5, 1.0])
def test_clean_and_office_scans_are_not_denoised(page: np.ndarray, strength: float) -> None:
    scan = dg.degrade_scan(page, seed=7, strength=strength) if strength else page
    out, log = denoise_page(to_ocr_gray(scan)[0])
    assert not log.applied


def test_ragged_copier_margins_are_not_warped_as_a_photographed_page(
    photocopy: np.ndarray,
) -> None:
    gray = denoise_page(to_ocr_gray(photocopy)[0])[0]
    out, log = unwarp_page(gray)
    assert not log.applied and out is gray
    _, logs = clean_page(photocopy)
    applied = {lg.stage for lg in logs if lg.applied}
    assert {"denoise", "margins"} <= applied and "page_crop" not in applied


def test_seal_on_a_blue_tinted_copy_is_found_and_lifted_but_text_under_it_stays(
    page: np.ndarray,
) -> None:
    sealed = page.copy()
    blend_ink(sealed, seal_mask(200, "ỦY BAN NHÂN DÂN TỈNH", 150), 500, 460, SEAL_RED, 0.85)
    tinted = dg.blue_tint(sealed, 1.0)
    out, logs = to_ocr_gray(tinted)
    seal = next(lg for lg in logs if lg.stage == "seal")
    assert seal.applied and len(seal.detail["seals"]) == 1
    assert next(lg for lg in logs if lg.stage == "color_ink").detail["mode"] == "tint"
    # the seal must not stay as a grey disc (Tesseract lost a signature block under one)
    window = (slice(460, 660), slice(500, 700))  # the seal, over the header and title
    text_px = to_ocr_gray(page)[0][window] < 100
    paper = np.median(out[::4, ::4])
    assert (out[window][~text_px] > paper - 40).mean() > 0.95
    assert (out[window][text_px] < 120).mean() > 0.9
