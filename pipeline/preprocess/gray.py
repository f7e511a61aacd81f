"""Colour -> grayscale, keeping dark ink dark."""

from __future__ import annotations

import cv2
import numpy as np

from ..types import StageLog


def to_gray(image: np.ndarray) -> tuple[np.ndarray, StageLog]:
    if image.ndim == 2:
        return image, StageLog(stage="gray", applied=False)
    if image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_RGBA2RGB)
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), StageLog(stage="gray", applied=True)
