"""Ruled tables on page images: ruling lines -> table regions -> cell grid with spans.

Appendix tables of Vietnamese plans are fully ruled (Nghị định 30/2020 annex layout), so ruling
lines found by morphological opening are a reliable signal. Words are later dropped into cells by
their centres (`layout.fill_cells`), which keeps one OCR pass per page instead of one per cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .types import Box


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    box: Box


@dataclass(frozen=True)
class Grid:
    box: Box
    rows: list[int]  # y of each horizontal rule, top to bottom
    cols: list[int]  # x of each vertical rule, left to right
    cells: list[GridCell]


def ruling_masks(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Binary masks of long horizontal and vertical strokes."""
    ink = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15
    )
    h, w = ink.shape
    horiz = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // 25, 20), 1))
    )
    vert = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(h // 60, 15)))
    )
    # Bridge small breaks from noise or faint printing.
    horiz = cv2.dilate(horiz, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    vert = cv2.dilate(vert, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 9)))
    return horiz, vert


def _positions(profile: np.ndarray, min_len: int) -> list[int]:
    """Centres of runs of indices where a projection reaches min_len."""
    hits = np.flatnonzero(profile >= min_len)
    if hits.size == 0:
        return []
    runs = np.split(hits, np.flatnonzero(np.diff(hits) > 3) + 1)
    return [int(r.mean()) for r in runs]


def _covered(mask: np.ndarray, fixed: int, a: int, b: int, horizontal: bool) -> bool:
    """Whether a rule at `fixed` covers most of the span a..b (a cell edge exists there)."""
    if b <= a:
        return False
    lo, hi = max(fixed - 4, 0), fixed + 5
    seg = mask[lo:hi, a:b] if horizontal else mask[a:b, lo:hi]
    covered = (seg.max(axis=0) if horizontal else seg.max(axis=1)) > 0
    return float(covered.mean()) > 0.6


def find_grids(gray: np.ndarray, min_rows: int = 2, min_cols: int = 2) -> list[Grid]:
    """Ruled tables on a grayscale page, each with its cell grid (merged cells become spans)."""
    horiz, vert = ruling_masks(gray)
    h, w = gray.shape
    both = cv2.bitwise_or(horiz, vert)
    if not _may_hold_a_grid(both):
        return []
    n, labels, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    grids = []
    for i in range(1, n):
        x, y, bw, bh, _ = stats[i]
        if bw < w * 0.3 or bh < h * 0.03:
            continue
        # only this component's rules: a page edge left by a phone photo's crop frames the table
        # without touching it, and its box must not take in the table's rules as its own
        own = labels[y : y + bh, x : x + bw] == i
        sub_h = np.where(own, horiz[y : y + bh, x : x + bw], 0).astype(np.uint8)
        sub_v = np.where(own, vert[y : y + bh, x : x + bw], 0).astype(np.uint8)
        grid = _grid_in(sub_h, sub_v, x, y)
        if grid and len(grid.rows) - 1 >= min_rows - 1 and len(grid.cols) - 1 >= min_cols:
            grids.append(grid)
    return sorted(grids, key=lambda g: g.box.y0)


def _may_hold_a_grid(both: np.ndarray) -> bool:
    """False when no component of the rule mask is big enough for `find_grids`, found on the
    mask pooled 2x2 (a block is marked when any of its pixels is): pooling never splits a
    component and halves its size at most, and labelling a quarter of the pixels is the cost
    that counts on a page of prose (11 against 26 ms at 300 dpi), where there is no grid."""
    pooled = cv2.dilate(both, np.ones((2, 2), np.uint8))[::2, ::2]
    _, _, stats, _ = cv2.connectedComponentsWithStats(np.ascontiguousarray(pooled), connectivity=8)
    h, w = pooled.shape
    wide = stats[1:, cv2.CC_STAT_WIDTH] >= w * 0.3 - 1
    tall = stats[1:, cv2.CC_STAT_HEIGHT] >= h * 0.03 - 1
    return bool((wide & tall).any())


def _grid_in(horiz: np.ndarray, vert: np.ndarray, ox: int, oy: int) -> Grid | None:
    bh, bw = horiz.shape
    rows = _positions((horiz > 0).sum(axis=1), int(bw * 0.5))
    cols = _positions((vert > 0).sum(axis=0), int(bh * 0.3))
    if len(rows) < 2 or len(cols) < 3:
        return None
    cells = _cells(horiz, vert, rows, cols, ox, oy)
    return Grid(
        box=Box(x0=ox + cols[0], y0=oy + rows[0], x1=ox + cols[-1], y1=oy + rows[-1]),
        rows=[oy + r for r in rows],
        cols=[ox + c for c in cols],
        cells=cells,
    )


def _cells(
    horiz: np.ndarray, vert: np.ndarray, rows: list[int], cols: list[int], ox: int, oy: int
) -> list[GridCell]:
    """Walk the grid; a missing rule between two slots merges them into one spanning cell."""
    nr, nc = len(rows) - 1, len(cols) - 1
    owner = [[-1] * nc for _ in range(nr)]
    cells: list[GridCell] = []
    for r in range(nr):
        for c in range(nc):
            if owner[r][c] >= 0:
                continue
            cspan = 1
            while c + cspan < nc and not _covered(
                vert, cols[c + cspan], rows[r], rows[r + 1], horizontal=False
            ):
                cspan += 1
            rspan = 1
            while r + rspan < nr and not _covered(
                horiz, rows[r + rspan], cols[c], cols[c + cspan], horizontal=True
            ):
                rspan += 1
            for rr in range(r, r + rspan):
                for cc in range(c, c + cspan):
                    owner[rr][cc] = len(cells)
            box = Box(
                x0=ox + cols[c], y0=oy + rows[r], x1=ox + cols[c + cspan], y1=oy + rows[r + rspan]
            )
            cells.append(GridCell(row=r, col=c, row_span=rspan, col_span=cspan, box=box))
    return cells


def erase_rules(gray: np.ndarray) -> np.ndarray:
    """The page with ruling lines painted background, so Tesseract does not read them as `|`."""
    horiz, vert = ruling_masks(gray)
    mask = cv2.bitwise_or(horiz, vert)
    out = gray.copy()
    out[mask > 0] = paper_level(gray)
    return out


def paper_level(gray: np.ndarray) -> int:
    """The page's background grey: the median pixel, since ink covers a small share of a page.
    Erased marks are painted this, not white, so a grey copy does not gain bright stripes."""
    return int(np.median(gray[::4, ::4]))


def scale_grid(grid: Grid, factor: float) -> Grid:
    """The grid in another coordinate system (a rendering's pixels to PDF points, say)."""

    def box(b: Box) -> Box:
        return Box(
            x0=round(b.x0 * factor),
            y0=round(b.y0 * factor),
            x1=round(b.x1 * factor),
            y1=round(b.y1 * factor),
        )

    return Grid(
        box=box(grid.box),
        rows=[round(r * factor) for r in grid.rows],
        cols=[round(c * factor) for c in grid.cols],
        cells=[
            GridCell(row=c.row, col=c.col, row_span=c.row_span, col_span=c.col_span, box=box(c.box))
            for c in grid.cells
        ],
    )
