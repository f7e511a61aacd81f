"""Punch holes: round dark discs in the page margin, painted with the paper's tone.

A hole punched before scanning shows the scanner lid or bed through the paper: a filled disc some
5-8 mm across, 8-20 mm in from an edge. Holes that touch the edge go with the dark margins
(`border.whiten_margins`); these are the ones that do not. Tesseract reads a disc beside the text
as "O", "@" or "•", and a row of them as a column of debris. A blob is a hole only if it is all of:
in the outer margin band, the size of a punch hole for the page's size, round and filled, and
alone (no printing beside it): a bullet or a letter "o" is far smaller, a seal is red (gone by
now) and much larger, and a round logo is not filled.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..grid import paper_level
from ..types import StageLog

A4_SHORT_MM = 210.0
HOLE_MM = (4.0, 9.0)  # diameters of office punches, with room for scale error
BAND = 0.14  # of the page's short side: the margin band holes are looked for in
DARK = 110  # a hole's inside is darker than this (what shows through is lid or bed)
ROUND = 0.75  # area over the area of the enclosing circle: a filled disc is ~0.9


def find_holes(gray: np.ndarray) -> list[tuple[int, int, int]]:
    """(x, y, radius) in page pixels of every punch hole."""
    scale = 0.5 if min(gray.shape[:2]) > 1500 else 1.0  # a hole is still 35 px across at 150 dpi
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = small.shape[:2]
    px_per_mm = min(h, w) / A4_SHORT_MM
    r_min, r_max = (d / 2 * px_per_mm for d in HOLE_MM)
    band = int(BAND * min(h, w))
    dark = (small < DARK).astype(np.uint8)
    n, labels, stats, cents = cv2.connectedComponentsWithStats(dark, connectivity=8)
    holes = []
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        r = (bw + bh) / 4
        if not (r_min <= r <= r_max) or not 0.8 <= bw / max(bh, 1) <= 1.25:
            continue
        near = min(x, y, w - (x + bw), h - (y + bh))
        if near <= 0 or near > band:  # edge-touching ones are the margin stage's
            continue
        if area / (np.pi * r * r) < ROUND:
            continue
        if _printing_beside(dark, labels, i, x, y, bw, bh):
            continue
        cx, cy = cents[i]
        holes.append((round(float(cx) / scale), round(float(cy) / scale), round(r / scale)))
    return holes


def _printing_beside(
    dark: np.ndarray, labels: np.ndarray, i: int, x: int, y: int, bw: int, bh: int
) -> bool:
    """Whether other ink lies within a hole's width around the blob (a bullet beside its text)."""
    h, w = dark.shape
    x0, y0 = max(0, x - bw), max(0, y - bh)
    x1, y1 = min(w, x + 2 * bw), min(h, y + 2 * bh)
    around = dark[y0:y1, x0:x1].astype(bool) & (labels[y0:y1, x0:x1] != i)
    return bool(around.mean() > 0.01)


def remove_punch_holes(gray: np.ndarray) -> tuple[np.ndarray, StageLog]:
    holes = find_holes(gray)
    if not holes:
        return gray, StageLog(stage="punch_holes", applied=False)
    out = gray.copy()
    tone = paper_level(gray)
    for cx, cy, r in holes:
        cv2.circle(out, (cx, cy), int(r * 1.3) + 2, tone, thickness=-1)
    return out, StageLog(
        stage="punch_holes", applied=True, detail={"holes": [list(h) for h in holes]}
    )
