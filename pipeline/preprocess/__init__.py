"""Page clean-up before OCR: each stage a small pure function that returns what it did.

Order: colour ink out (and seals recorded) -> grain removed -> page cut from a dark ground -> dark
margins white -> punch holes out -> uneven light flattened -> (a blank page stops here) ->
quarter turns and skew -> small text upscaled. Every stage measures the page first and runs only when its signal says so; the log says
what ran and why.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..types import StageLog
from .blank import blank_page
from .border import unwarp_page, whiten_margins
from .holes import remove_punch_holes
from .ink import to_ocr_gray
from .light import flatten_light
from .noise import denoise_page
from .orient import level_page
from .resolution import upscale_small_text

Osd = Callable[[np.ndarray], "int | None"]


def clean_page(
    image: np.ndarray,
    osd: Osd | None = None,
    snapshots: dict[str, np.ndarray] | None = None,
) -> tuple[np.ndarray, list[StageLog]]:
    """The page ready for OCR (grayscale uint8) and a log of the stages applied.

    `osd` (page -> clockwise rotation in degrees, or None) is asked only when the ink cannot tell
    an upright page from an upside-down one. When `snapshots` is given, the image after each
    stage that ran is stored in it under the stage's name (for `--keep-intermediate`).
    """
    gray, logs = to_ocr_gray(image)
    _snap(snapshots, logs, gray)
    for stage in (denoise_page, unwarp_page, whiten_margins, remove_punch_holes, flatten_light):
        gray, log = stage(gray)
        logs.append(log)
        _snap(snapshots, [log], gray)
    blank = blank_page(gray)
    if blank.applied:  # nothing to turn, level or read (`is_blank`)
        return gray, [*logs, blank]
    gray, level_logs = level_page(gray, osd)
    _snap(snapshots, level_logs, gray)
    gray, log = upscale_small_text(gray)
    _snap(snapshots, [log], gray)
    return gray, [*logs, *level_logs, log]


def _snap(snapshots: dict[str, np.ndarray] | None, logs: list[StageLog], img: np.ndarray) -> None:
    if snapshots is None:
        return
    ran = [log.stage for log in logs if log.applied and log.stage != "seal"]
    if ran:
        snapshots[f"{len(snapshots) + 1}-{'-'.join(ran)}"] = img


def is_blank(logs: list[StageLog]) -> bool:
    """Whether the clean-up found the page blank (`preprocess.blank`): no OCR is needed."""
    return any(log.stage == "blank" and log.applied for log in logs)
