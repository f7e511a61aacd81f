"""Effective resolution from the text itself, and upscaling of low-dpi scans before OCR.

Tesseract's LSTM reads best with letters some 20-30 px tall (Tesseract docs, "Improving the
quality of the output"); a 150-dpi scan of 13-14 pt type gives half that. The height of text
line bands is measured on the page, so a wrong or missing dpi tag does not matter.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..types import StageLog

TARGET = 27.0  # px: the dense core (x-height and more) of 13-14 pt type at 300 dpi
MIN_BAND = 15.0  # below this (about 150 dpi or less) the page is upscaled


def line_height(gray: np.ndarray) -> float | None:
    """Median height in px of the text line bands of a level page (None if too few)."""
    scale = min(1.0, 1200 / gray.shape[1])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    profile = ink.sum(axis=1)
    on = profile > 0.05 * ink.shape[1]
    runs, start = [], None
    for i, v in enumerate(on):
        if v and start is None:
            start = i
        elif not v and start is not None:
            runs.append(i - start)
            start = None
    runs = [r for r in runs if r >= 3]
    if len(runs) < 5:
        return None
    return float(np.median(runs)) / scale


def upscale_small_text(gray: np.ndarray) -> tuple[np.ndarray, StageLog]:
    band = line_height(gray)
    if band is None or band >= MIN_BAND:
        return gray, StageLog(
            stage="upscale", applied=False, detail={"line_px": band and round(band)}
        )
    f = round(min(3.0, TARGET / band), 2)
    out = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)
    return out, StageLog(
        stage="upscale", applied=True, detail={"line_px": round(band), "factor": f}
    )
