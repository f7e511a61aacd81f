"""Dark seals: the round seal of a black-and-white copy, found by its ring and painted out.

A colour seal is lifted out by its chroma (`ink`). On a 1-bit fax-like copy the seal prints as
black as the text, and Tesseract's page analysis takes the whole signer block around it for a
picture and reads none of it: realdocs S07 loses `KT. BỘ TRƯỞNG, CHỦ NHIỆM` down to the name,
S08 `THỦ TƯỚNG / Lê Minh Hưng`, CP_NQ-115's second page `Hồ Quốc Dũng` (issue 11). What tells a
seal from print is its outline: a solid ring about 40 mm across (38-43 mm on those pages), which
no letter, rule or table cell draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..grid import paper_level

_PROBE_MM = 2.0  # probe image resolution, px per mm (a ring ~1 mm thick stays visible)
_RADIUS_MM = (6.0, 25.0)  # seals 12-50 mm across
_COVERAGE = 0.9  # share of the circle's directions with ink on the ring (text rows: 0.5-0.66)
_RING_INK = 0.5  # ink share of the densest one-pixel ring near the radius (a solid stroke)
_INK = 128  # darker than this is ink


@dataclass(frozen=True)
class Ring:
    """A seal's outline in page pixels: centre and the radius of the ring's outer edge."""

    x: int
    y: int
    radius: int

    def box(self) -> dict[str, int]:
        r = self.radius
        return {"x0": self.x - r, "y0": self.y - r, "x1": self.x + r, "y1": self.y + r}


def find_dark_seals(gray: np.ndarray) -> list[Ring]:
    """Solid dark rings 12-50 mm across: Hough candidates on a 2 px/mm probe, each kept only when
    ink runs round nearly all of it and one radius is mostly ink at full resolution."""
    h, w = gray.shape[:2]
    f = _PROBE_MM * 210 / w  # px per mm of an A4-wide page, as `ink.find_seals` measures
    small = cv2.resize(gray, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
    lo, hi = (round(mm * _PROBE_MM) for mm in _RADIUS_MM)
    found = cv2.HoughCircles(
        cv2.GaussianBlur(small, (5, 5), 1.5),
        cv2.HOUGH_GRADIENT,
        dp=1,
        minDist=2 * lo,
        param1=100,
        param2=25,
        minRadius=lo,
        maxRadius=hi,
    )
    if found is None:
        return []
    ink = small < _INK
    rings = []
    for x, y, r in found[0]:
        if _coverage(ink, x, y, r) < _COVERAGE:
            continue
        ring = _fit_ring(gray < _INK, x / f, y / f, r / f)
        if ring is not None:
            rings.append(ring)
    return rings


def _coverage(ink: np.ndarray, x: float, y: float, r: float) -> float:
    """Share of 180 directions from the centre with ink within 2 probe pixels of the radius."""
    angles = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    hit = np.zeros(angles.size, bool)
    for dr in (-2, -1, 0, 1, 2):
        xs = np.rint(x + (r + dr) * np.cos(angles)).astype(int)
        ys = np.rint(y + (r + dr) * np.sin(angles)).astype(int)
        ok = (xs >= 0) & (xs < ink.shape[1]) & (ys >= 0) & (ys < ink.shape[0])
        hit[ok] |= ink[ys[ok], xs[ok]]
    return float(hit.mean())


def _fit_ring(ink: np.ndarray, x: float, y: float, r: float) -> Ring | None:
    """The ring at full resolution, or None when it is no solid stroke. The probe's centre is
    a few pixels off, enough to leave an arc of the ring standing when the disc is painted out,
    so a circle is fitted to the ring's outer edge (the last ink on each of 360 rays between
    0.85 r and 1.15 r; print that crosses the ring is rejected as outlying)."""
    angles = np.linspace(0, 2 * np.pi, 360, endpoint=False)
    steps = np.arange(int(0.85 * r), int(1.15 * r) + 1)
    xs = np.rint(x + np.outer(np.cos(angles), steps)).astype(int)
    ys = np.rint(y + np.outer(np.sin(angles), steps)).astype(int)
    ok = (xs >= 0) & (xs < ink.shape[1]) & (ys >= 0) & (ys < ink.shape[0])
    hit = np.zeros(xs.shape, bool)
    hit[ok] = ink[ys[ok], xs[ok]]
    rays = hit.any(axis=1)
    if rays.mean() < _COVERAGE:
        return None
    last = steps.size - 1 - np.argmax(hit[:, ::-1], axis=1)
    px, py = xs[rays, last[rays]].astype(float), ys[rays, last[rays]].astype(float)
    keep = np.ones(px.size, bool)
    for _ in range(3):
        cx, cy, radius = _circle_through(px[keep], py[keep])
        resid = np.abs(np.hypot(px - cx, py - cy) - radius)
        keep = resid <= max(2.0, 2.5 * float(np.median(resid)))
    if _ring_share(ink, cx, cy, radius) < _RING_INK:
        return None
    return Ring(round(cx), round(cy), round(radius))


def _circle_through(px: np.ndarray, py: np.ndarray) -> tuple[float, float, float]:
    """Least-squares circle through points (Kasa's algebraic fit)."""
    a = np.column_stack([px, py, np.ones_like(px)])
    d, e, f = np.linalg.lstsq(a, px**2 + py**2, rcond=None)[0]
    cx, cy = d / 2, e / 2
    return cx, cy, float(np.sqrt(f + cx**2 + cy**2))


def _ring_share(ink: np.ndarray, x: float, y: float, r: float) -> float:
    """Ink share of the densest one-pixel ring from 0.8 r to the outer edge r."""
    top, left = max(0, int(y - r - 1)), max(0, int(x - r - 1))
    roi = ink[top : int(y + r) + 2, left : int(x + r) + 2]
    yy, xx = np.indices(roi.shape)
    dist = np.hypot(xx + left - x, yy + top - y).astype(int).ravel()
    counts = np.bincount(dist, minlength=int(r) + 2)
    inked = np.bincount(dist, weights=roi.ravel(), minlength=counts.size)
    radii = np.arange(int(0.8 * r), int(r) + 1)
    return float((inked[radii] / np.maximum(counts[radii], 1)).max())


def erase_seal(gray: np.ndarray, ring: Ring) -> np.ndarray:
    """The page with the seal's disc painted the paper's tone, and with any mark wholly within a
    few pixels outside it (the ring's grey fringe, the centre's error). What is printed inside the
    disc goes with it: in a 1-bit copy it is fused with the seal's letters and emblem. A letter
    that crosses the ring keeps its outer part: cut out, the seal leaves Tesseract the lines
    around it to read."""
    out = gray.copy()
    paper = paper_level(gray)
    cv2.circle(out, (ring.x, ring.y), ring.radius, paper, thickness=-1)
    reach = ring.radius + max(4, round(0.04 * ring.radius))
    x0, y0 = max(0, ring.x - reach - 1), max(0, ring.y - reach - 1)
    roi = out[y0 : ring.y + reach + 2, x0 : ring.x + reach + 2]  # a view: erasing writes `out`
    marks = roi < paper - 40  # the fringe is grey where a 1-bit page was levelled or upscaled
    n, found = cv2.connectedComponents(marks.astype(np.uint8), connectivity=8)
    labels = np.asarray(found, np.intp)
    yy, xx = np.indices(roi.shape)
    dist = np.hypot(xx + x0 - ring.x, yy + y0 - ring.y)
    farthest = np.zeros(n)
    np.maximum.at(farthest, labels.ravel(), dist.ravel())
    inside = farthest <= reach
    inside[0] = False  # paper
    roi[inside[labels]] = paper
    return out
