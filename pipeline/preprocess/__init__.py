"""Page clean-up before OCR: each stage a small pure function that returns what it did.

This first version converts to grayscale and removes small skew; the scan clean-up issue adds
orientation, border and perspective correction, illumination, seal suppression and binarization,
each decided per page from measurable signals.
"""

from __future__ import annotations

import numpy as np

from ..types import StageLog
from .deskew import deskew
from .gray import to_gray


def clean_page(image: np.ndarray) -> tuple[np.ndarray, list[StageLog]]:
    """The page ready for OCR (grayscale uint8) and a log of the stages applied."""
    gray, log_gray = to_gray(image)
    straight, log_skew = deskew(gray)
    return straight, [log_gray, log_skew]
