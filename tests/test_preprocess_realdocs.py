"""Every real scan in shared/realdocs/scans comes out upright (as given and turned), and the red
seals on the colour scans are found."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline.ocr import TesseractEngine
from pipeline.preprocess import clean_page
from pipeline.preprocess.ink import find_seals
from pipeline.preprocess.orient import level_page

SCANS = Path(__file__).resolve().parents[2] / "shared" / "realdocs" / "scans"
PAGES = sorted(SCANS.glob("*.png"))
RED_SEALED = ("S21", "S22", "S23", "S24", "S28")

pytestmark = pytest.mark.skipif(not PAGES, reason="shared real scans not available")


def _gray(path: Path) -> np.ndarray:
    return cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name[:3])
def test_real_scan_stays_upright(path: Path) -> None:
    _, logs = clean_page(cv2.imread(str(path))[..., ::-1].copy())
    orient = next(log for log in logs if log.stage == "orient")
    assert orient.detail["rotation"] == 0


@pytest.mark.slow
@pytest.mark.tesseract
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name[:3])
def test_real_scan_turned_any_way_comes_back_upright(path: Path) -> None:
    gray = _gray(path)
    osd = TesseractEngine().orientation
    for k in (1, 2, 3):
        _, logs = level_page(np.ascontiguousarray(np.rot90(gray, k)), osd)
        assert logs[0].detail["rotation"] == 90 * k


@pytest.mark.parametrize("prefix", RED_SEALED)
def test_red_seal_on_real_scan_is_found(prefix: str) -> None:
    path = next(p for p in PAGES if p.name.startswith(prefix))
    assert find_seals(cv2.imread(str(path))[..., ::-1].copy())
