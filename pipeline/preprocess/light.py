"""Uneven lighting (phone shadows, curled pages, faded copies) flattened by dividing by the paper.

The paper's brightness is estimated on a 1/8 copy by a grey closing (text removed) and a median;
the page is divided by it only when that background varies enough to matter.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..types import StageLog

MIN_RANGE = 30  # grey levels of background variation below which the page is left alone


def paper_background(gray: np.ndarray) -> np.ndarray:
    small = cv2.resize(gray, None, fx=0.125, fy=0.125, interpolation=cv2.INTER_AREA)
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, k)
    return cv2.medianBlur(bg, 5)


def flatten_light(gray: np.ndarray) -> tuple[np.ndarray, StageLog]:
    bg = paper_background(gray)
    lo, hi = np.percentile(bg, [2, 98])
    spread = round(float(hi - lo), 1)
    if spread < MIN_RANGE:
        return gray, StageLog(stage="flatten", applied=False, detail={"spread": spread})
    full = cv2.resize(bg, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    out = cv2.divide(gray, np.maximum(full, 1).astype(np.uint8), scale=255)
    return out, StageLog(stage="flatten", applied=True, detail={"spread": spread})
