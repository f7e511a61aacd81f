"""Skew estimation by projection-profile sharpness (up to ±15°), and its correction.

Text lines give the sharpest horizontal projection when they are level (Postl's method); searching
a coarse then a fine grid of angles on a downscaled ink mask is fast and robust to noise.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..types import StageLog

MAX_ANGLE = 15.0


def ink_mask(gray: np.ndarray, width: int = 1000) -> np.ndarray:
    """Downscaled ink (255) on paper (0), by Otsu: the input of every layout estimate here."""
    scale = min(1.0, width / gray.shape[1])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def row_sums(mask: np.ndarray) -> np.ndarray:
    """Each row's sum of an 8-bit mask, as floats. Summed in 32-bit integers, exact for any
    page (255 x 8.4 million pixels): OpenCV's float64 reduce of uint8 costs 60 times as much
    (0.85 against 0.014 ms on an 800-px mask), and the skew search makes ~80 per page."""
    return cv2.reduce(mask, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel().astype(np.float64)


def sharpness(ink: np.ndarray, angle: float) -> float:
    h, w = ink.shape
    if angle:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        ink = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST)
    profile = row_sums(ink)
    return float(np.square(np.diff(profile)).sum())


def best_angle(ink: np.ndarray, max_angle: float = MAX_ANGLE) -> tuple[float, float]:
    """(angle, sharpness at that angle): 1° steps, then 0.1° around the best."""
    coarse = np.arange(-max_angle, max_angle + 1e-9, 1.0)
    best = max(coarse, key=lambda a: sharpness(ink, a))
    fine = np.arange(best - 0.6, best + 0.6 + 1e-9, 0.1)
    scores = {round(float(a), 2): sharpness(ink, a) for a in fine}
    angle = max(scores, key=lambda a: scores[a])
    return angle, scores[angle]


def estimate_skew(gray: np.ndarray, max_angle: float = MAX_ANGLE) -> float:
    """Angle in degrees (counter-clockwise positive) that levels the text lines."""
    ink = ink_mask(gray)
    if ink.mean() < 0.5:  # blank page: nothing to level
        return 0.0
    return best_angle(ink, max_angle)[0]


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    """Rotate about the centre on a canvas grown to keep the corners (white fill)."""
    h, w = gray.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += (nw - w) / 2
    m[1, 2] += (nh - h) / 2
    return cv2.warpAffine(
        gray, m, (nw, nh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )


def deskew(gray: np.ndarray, min_angle: float = 0.15) -> tuple[np.ndarray, StageLog]:
    angle = estimate_skew(gray)
    if abs(angle) < min_angle:
        return gray, StageLog(stage="deskew", applied=False, detail={"angle": angle})
    return rotate(gray, angle), StageLog(stage="deskew", applied=True, detail={"angle": angle})
