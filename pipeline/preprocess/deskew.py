"""Small-angle skew estimation by projection-profile sharpness, and its correction.

Text lines give the sharpest horizontal projection when they are level (Postl's method); searching
a coarse then a fine grid of angles on a downscaled ink mask is fast and robust to noise.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..types import StageLog


def _ink(gray: np.ndarray, width: int = 1000) -> np.ndarray:
    scale = min(1.0, width / gray.shape[1])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def _sharpness(ink: np.ndarray, angle: float) -> float:
    h, w = ink.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rotated = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST)
    profile = rotated.sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(profile)).sum())


def estimate_skew(gray: np.ndarray, max_angle: float = 5.0) -> float:
    """Angle in degrees (counter-clockwise positive) that levels the text lines."""
    ink = _ink(gray)
    if ink.mean() < 0.5:  # blank page: nothing to level
        return 0.0
    coarse = np.arange(-max_angle, max_angle + 1e-9, 0.5)
    best = max(coarse, key=lambda a: _sharpness(ink, a))
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, 0.05)
    return round(float(max(fine, key=lambda a: _sharpness(ink, a))), 2)


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    h, w = gray.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(
        gray, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )


def deskew(gray: np.ndarray, min_angle: float = 0.1) -> tuple[np.ndarray, StageLog]:
    angle = estimate_skew(gray)
    if abs(angle) < min_angle:
        return gray, StageLog(stage="deskew", applied=False, detail={"angle": angle})
    return rotate(gray, angle), StageLog(stage="deskew", applied=True, detail={"angle": angle})
