"""A second look at two-column zones that Tesseract read badly.

Tesseract's page segmentation (psm 3) sometimes runs the lines of a recipients list into the
signature block beside it, or loses a line between them (a seal and a signature next to a
tight list do it): the zone then reads at a low confidence. Each side of such a zone is read
again on its own as a single column (psm 4), and the new words are kept when Tesseract is more
sure of them. Cheap (a fifth of a second a side), and only where the first reading was poor.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .layout import column_zones, group_rows, split_segments
from .ocr import OcrEngine, OcrWord, shift_word
from .types import StageLog

ZONE_CONF = 85.0  # a zone read with a lower mean word confidence is read again side by side
PAD = 20  # px above and below the zone


def reread_column_zones(
    gray: np.ndarray,
    words: list[OcrWord],
    engine: OcrEngine,
    lang: str,
    timeout: float,
    min_gap: float,
) -> tuple[list[OcrWord], StageLog]:
    """The page's words with poorly read two-column zones read again; and what was done."""
    h, w = gray.shape[:2]
    rows = group_rows(split_segments(words, min_gap)) if words else []
    out, reread = list(words), []
    for k, (a, b, gutter) in enumerate(column_zones(rows, w)):
        old = [wd for r in rows[a : b + 1] for s in r for wd in s.words]
        before = _mean_conf(old)
        if before >= ZONE_CONF:
            continue
        y0 = max(0, min(wd.box.y0 for wd in old) - PAD)
        y1 = min(h, max(wd.box.y1 for wd in old) + PAD)
        new: list[OcrWord] = []
        for side, (x0, x1) in enumerate(((0, gutter), (gutter, w))):
            crop = np.ascontiguousarray(gray[y0:y1, x0:x1])
            got = engine.read(crop, lang=lang, timeout_s=timeout, psm=4)
            block = 10_000 * (k + 1) + 1_000 * side  # keep the sides' line keys apart
            new += [
                replace(nw, block=nw.block + block) for nw in (shift_word(g, x0, y0) for g in got)
            ]
        after = _mean_conf(new)
        if new and after > before:
            gone = {id(wd) for wd in old}
            out = [wd for wd in out if id(wd) not in gone] + new
            reread.append(
                {"y0": y0, "y1": y1, "conf_before": round(before, 1), "conf_after": round(after, 1)}
            )
    return out, StageLog(stage="reread_zones", applied=bool(reread), detail={"zones": reread})


def _mean_conf(words: list[OcrWord]) -> float:
    """Mean word confidence weighted by length, so a garbled long line weighs what it should."""
    n = sum(len(wd.text) for wd in words)
    return sum(wd.conf * len(wd.text) for wd in words) / n if n else 100.0
