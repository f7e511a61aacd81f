"""OCR of ruled-table cells in one Tesseract call: the cells are stacked into a single column.

Read as part of the page, a table's cells sit side by side at different baselines, and Tesseract's
line finder strings words of neighbouring cells into one line and misreads them. Read one by one,
a table costs dozens of Tesseract start-ups. Stacking the cell crops into one tall image, with
white bands between them, gives each cell its own lines for the price of a single call; word boxes
are mapped back to page coordinates afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .grid import Grid
from .ocr import OcrEngine, OcrWord
from .types import Box

_INSET = 4  # px trimmed inside each cell so remnants of the rules are not read as glyphs
_GAP = 40  # px of white between stacked cells


@dataclass(frozen=True)
class Placement:
    """Where a cell crop sits in the stacked image and where it came from on the page."""

    top: int
    height: int
    page_x: int
    page_y: int


def stack_cells(gray: np.ndarray, grids: list[Grid]) -> tuple[np.ndarray, list[Placement]]:
    """One white image holding every non-empty cell crop, top to bottom, left-aligned."""
    crops, places = [], []
    top = _GAP
    for grid in grids:
        for cell in grid.cells:
            b = cell.box
            crop = gray[b.y0 + _INSET : b.y1 - _INSET, b.x0 + _INSET : b.x1 - _INSET]
            if crop.size == 0 or (crop < 128).mean() < 0.002:  # blank cell: nothing to read
                continue
            crops.append(crop)
            places.append(Placement(top, crop.shape[0], b.x0 + _INSET, b.y0 + _INSET))
            top += crop.shape[0] + _GAP
    if not crops:
        return np.full((1, 1), 255, np.uint8), []
    width = max(c.shape[1] for c in crops) + 2 * _GAP
    mosaic = np.full((top, width), 255, np.uint8)
    for crop, place in zip(crops, places, strict=True):
        mosaic[place.top : place.top + place.height, _GAP : _GAP + crop.shape[1]] = crop
    return mosaic, places


def to_page(word: OcrWord, places: list[Placement]) -> OcrWord | None:
    """The word moved back to page coordinates, or None if it fell in a gap."""
    for place in places:
        if place.top <= word.box.cy < place.top + place.height:
            dx, dy = place.page_x - _GAP, place.page_y - place.top
            box = Box(
                x0=word.box.x0 + dx, y0=word.box.y0 + dy, x1=word.box.x1 + dx, y1=word.box.y1 + dy
            )
            return replace(word, box=box)
    return None


def read_cells(
    gray: np.ndarray, grids: list[Grid], engine: OcrEngine, *, lang: str, timeout_s: float
) -> list[OcrWord]:
    """Words of every table cell, in page coordinates."""
    mosaic, places = stack_cells(gray, grids)
    if not places:
        return []
    # psm 6 (one uniform block): automatic segmentation drops a cell holding a lone digit (STT).
    words = engine.read(mosaic, lang=lang, timeout_s=timeout_s, psm=6)
    return [w for w in (to_page(w, places) for w in words) if w is not None]


def blank_tables(gray: np.ndarray, grids: list[Grid]) -> np.ndarray:
    """The page with table areas painted paper-coloured, for the page-level OCR pass.

    Paper, not white: on a grey copy a white block is the brightest thing on the page, and
    Tesseract's global Otsu threshold then calls the grey paper ink and loses every line around
    the table. The fill is the median of a band just outside the table, so it follows shading.
    """
    out = gray.copy()
    h, w = gray.shape[:2]
    for g in grids:
        b, pad = g.box, 12
        y0, x0 = max(0, b.y0 - pad), max(0, b.x0 - pad)
        ring = gray[y0 : min(h, b.y1 + pad + 1), x0 : min(w, b.x1 + pad + 1)]
        inner = np.ones(ring.shape, dtype=bool)
        inner[b.y0 - y0 : b.y1 - y0 + 1, b.x0 - x0 : b.x1 - x0 + 1] = False
        fill = int(np.median(ring[inner])) if inner.any() else 255
        out[b.y0 : b.y1 + 1, b.x0 : b.x1 + 1] = fill
    return out
