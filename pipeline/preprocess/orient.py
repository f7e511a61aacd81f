"""Page orientation (0/90/180/270) from the ink alone, with Tesseract's OSD only when unsure.

Sideways: text lines give a far sharper projection profile across them than along them, at the
page's skew (searched within ±15°). Upside down: Latin, and Vietnamese still more, puts far more
ink above the x-height band (ascenders, capitals, tone marks, circumflexes) than below it (a few
descenders and the dot below); turned over, the asymmetry flips. Both are cheap on a 1000-px mask.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from ..types import StageLog
from .deskew import ink_mask, rotate, sharpness

SURE = 1.35  # above/below ink ratio beyond which (or below its inverse) the answer is taken


def _search(ink: np.ndarray, angles: np.ndarray) -> tuple[float, float]:
    scores = [sharpness(ink, float(a)) for a in angles]
    i = int(np.argmax(scores))
    return float(angles[i]), scores[i]


def coarse_orientation(ink: np.ndarray) -> tuple[bool, float, float]:
    """(sideways, coarse skew in degrees, sharpness ratio along/across) on a small ink mask."""
    angles = np.arange(-15.0, 15.0 + 1e-9, 1.0)
    a0, across = _search(ink, angles)
    a1, along = _search(np.ascontiguousarray(ink.T), angles)
    ratio = along / max(across, 1.0)
    # the transpose is a clockwise quarter turn mirrored, so its angle has the other sign
    return ratio > 1.0, (-a1 if ratio > 1.0 else a0), round(ratio, 3)


def drop_rules(ink: np.ndarray) -> np.ndarray:
    """The ink mask without long ruling lines (tables, underlines), which are not text lines."""
    n = max(15, ink.shape[1] // 12)
    h = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (n, 1)))
    v = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, n)))
    return cv2.subtract(ink, cv2.max(h, v))


def refine_skew(ink: np.ndarray, coarse: float) -> float:
    a, _ = _search(ink, np.arange(coarse - 1.5, coarse + 1.5 + 1e-9, 0.5))
    a, _ = _search(ink, np.arange(a - 0.3, a + 0.3 + 1e-9, 0.1))
    return round(a, 2)


def _line_bands(profile: np.ndarray) -> list[tuple[int, int]]:
    on = profile > 0.08 * profile.max()
    edges = np.flatnonzero(np.diff(on.astype(np.int8)))
    starts = list(edges[::2] + 1) if on[0] == 0 else [0, *list(edges[1::2] + 1)]
    ends = list(edges[1::2] + 1) if on[0] == 0 else list(edges[::2] + 1)
    return [(int(a), int(b)) for a, b in zip(starts, ends, strict=False) if b - a >= 4]


def ascender_ratio(ink: np.ndarray) -> float:
    """Ink above the x-height band over ink below it, summed over the text lines of a level
    ink mask."""
    profile = cv2.reduce(ink, 1, cv2.REDUCE_SUM, dtype=cv2.CV_64F).ravel()
    if not profile.any():
        return 1.0
    above = below = 1.0
    for a, b in _line_bands(profile):
        band = profile[a:b]
        core = np.flatnonzero(band >= 0.5 * band.max())
        top, bottom = core[0], core[-1]
        above += band[:top].sum()
        below += band[bottom + 1 :].sum()
    return float(above / below)


def upside_down(ink: np.ndarray) -> tuple[bool | None, float]:
    """True/False when the ink says so clearly, None when it is unsure; and the ratio."""
    ratio = ascender_ratio(ink)
    if ratio >= SURE:
        return False, round(ratio, 3)
    if ratio <= 1 / SURE:
        return True, round(ratio, 3)
    return None, round(ratio, 3)


def _turn(img: np.ndarray, k: int) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(img, k)) if k % 4 else img


def _rotate_small(ink: np.ndarray, angle: float) -> np.ndarray:
    h, w = ink.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST)


def level_page(
    gray: np.ndarray, osd: Callable[[np.ndarray], int | None] | None = None
) -> tuple[np.ndarray, list[StageLog]]:
    """Upright and level: quarter turns from the ink (OSD only if unsure), then the skew."""
    ink = drop_rules(ink_mask(gray, 800))
    if ink.mean() < 0.5:  # blank page
        return gray, [
            StageLog(stage="orient", applied=False),
            StageLog(stage="deskew", applied=False),
        ]
    side, coarse, ratio = coarse_orientation(ink)
    k = -1 if side else 0  # sideways: turn clockwise; the upside-down test fixes the other way
    ink = _turn(ink, k)
    angle = refine_skew(ink, coarse)
    flip, asc = upside_down(_rotate_small(ink, angle) if abs(angle) >= 0.15 else ink)
    detail: dict[str, object] = {"sideways_ratio": ratio, "ascender_ratio": asc, "method": "ink"}
    if flip is None and osd is not None:
        turn = osd(_turn(gray, k))
        flip, detail["method"] = (turn == 180 if turn is not None else False), "osd"
    k = (k + 2) % 4 if flip else k % 4
    detail["rotation"] = (-90 * k) % 360  # clockwise degrees applied
    out = _turn(gray, k)
    logs = [StageLog(stage="orient", applied=k != 0, detail=detail)]
    if abs(angle) < 0.15:
        return out, [*logs, StageLog(stage="deskew", applied=False, detail={"angle": angle})]
    angle = -angle if flip else angle
    return rotate(out, angle), [
        *logs,
        StageLog(stage="deskew", applied=True, detail={"angle": angle}),
    ]
