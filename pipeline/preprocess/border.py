"""Page edges: the page found on a dark background (phone photos, with perspective correction),
and black scanner or copier margins painted white.

Both look at a small copy of the page and run only when its border is dark, so a clean scan
costs one resize.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..types import StageLog

_DARK = 90  # a border strip darker than this is background or a copier margin, not paper
_RAGGED = (
    3.0  # mean px (500-px-wide copy) the paper's outline strays from its quad: not a page edge
)


def _small(gray: np.ndarray, width: int = 500) -> tuple[np.ndarray, float]:
    scale = width / gray.shape[1]
    return cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), scale


def _border_mean(small: np.ndarray, share: float = 0.015) -> float:
    h, w = small.shape
    d = max(2, int(min(h, w) * share))
    strips = [small[:d], small[-d:], small[:, :d].T, small[:, -d:].T]
    return float(np.mean([s.mean() for s in strips]))


def _order(pts: np.ndarray) -> np.ndarray:
    s, d = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    return np.array(
        [pts[s.argmin()], pts[d.argmin()], pts[s.argmax()], pts[d.argmax()]], np.float32
    )


def find_page_quad(gray: np.ndarray) -> np.ndarray | None:
    """Corners (tl, tr, br, bl, full-size pixels) of a bright page on a dark ground, or None."""
    small, scale = _small(gray)
    if _border_mean(small) > _DARK:
        return None
    _, paper = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    c = max(contours, key=cv2.contourArea)
    if cv2.contourArea(c) < 0.4 * small.size:
        return None
    quad = cv2.approxPolyDP(cv2.convexHull(c), 0.02 * cv2.arcLength(c, True), True)
    if len(quad) != 4:
        return None
    if _raggedness(c, quad) > _RAGGED:
        return None  # a copier's ragged dark margin, not a page's straight edge: margins handle it
    pts = _order(quad.reshape(4, 2).astype(np.float32))
    h, w = small.shape
    frame = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    if np.linalg.norm(pts - frame, axis=1).max() > 0.2 * np.hypot(w, h):
        return None  # not a page seen whole (a shadow or a lit patch): leave it be
    return pts / scale


def _raggedness(contour: np.ndarray, quad: np.ndarray) -> float:
    """Mean distance of the outline from its quad: ~0.5-2 px for a photographed page's straight
    edges, ~4-7 px for a photocopy's ragged dark margins (warping those shears the text)."""
    poly = quad.reshape(-1, 1, 2).astype(np.float32)
    pts = contour.reshape(-1, 2)[::3]
    return float(
        np.mean([abs(cv2.pointPolygonTest(poly, (float(x), float(y)), True)) for x, y in pts])
    )


def unwarp_page(gray: np.ndarray) -> tuple[np.ndarray, StageLog]:
    """The page cut from its background and squared up, when one is found."""
    quad = find_page_quad(gray)
    if quad is None:
        return gray, StageLog(stage="page_crop", applied=False)
    tl, tr, br, bl = quad
    w = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    h = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    m = cv2.getPerspectiveTransform(quad, dst)
    out = cv2.warpPerspective(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    corners = [[round(float(x)), round(float(y))] for x, y in quad]
    size = [gray.shape[1], gray.shape[0]]  # lets outputs map boxes back to the original page
    return out, StageLog(
        stage="page_crop", applied=True, detail={"corners": corners, "source_size": size}
    )


def whiten_margins(gray: np.ndarray) -> tuple[np.ndarray, StageLog]:
    """Dark regions touching the page edge (copier lid, scanner bed, punch-hole shadows at the
    edge) painted white; text never touches the edge of an official page (Nghị định 30 margins)."""
    small, scale = _small(gray, 600)
    if _border_mean(small, 0.01) > 200:
        return gray, StageLog(stage="margins", applied=False)
    dark = (small < _DARK).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    h, w = small.shape
    keep = [
        i
        for i in range(1, n)
        if (
            stats[i, 0] == 0
            or stats[i, 1] == 0
            or stats[i, 0] + stats[i, 2] >= w
            or stats[i, 1] + stats[i, 3] >= h
        )
        and max(stats[i, 2], stats[i, 3]) > 0.05 * max(h, w)
    ]
    if not keep:
        return gray, StageLog(stage="margins", applied=False)
    edge = np.isin(labels, keep).astype(np.uint8) * 255
    mask = np.asarray(cv2.dilate(edge, np.ones((5, 5), np.uint8)), dtype=np.uint8)
    big = cv2.resize(mask, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST)
    out = gray.copy()
    out[big > 0] = 255
    e = int(np.ceil(2 / scale))  # slivers thinner than a pixel of the small copy
    out[:e], out[-e:], out[:, :e], out[:, -e:] = 255, 255, 255, 255
    share = round(float(mask.mean() / 255), 4)
    return out, StageLog(stage="margins", applied=True, detail={"share": share})


SPECK_AREA = 12  # px on the 500-px-wide page: a dilated letter or word is bigger


def content_box(gray: np.ndarray, pad_share: float = 0.015) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) of the printed area with a small margin, or None when it is (nearly)
    the whole page or there is no ink. Blobs smaller than a short word are left out, so a dot
    of dust in a corner does not stretch the box."""
    small, scale = _small(gray)
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink = cv2.dilate(ink, np.ones((3, 3), np.uint8))  # letters merge into words
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] >= SPECK_AREA)
    keep = keep[keep > 0]
    ys, xs = np.nonzero(np.isin(labels, keep))
    if len(xs) == 0:
        return None
    h, w = gray.shape[:2]
    pad = round(pad_share * w)
    x0, x1 = max(0, round(xs.min() / scale) - pad), min(w, round((xs.max() + 1) / scale) + pad)
    y0, y1 = max(0, round(ys.min() / scale) - pad), min(h, round((ys.max() + 1) / scale) + pad)
    if (x1 - x0) * (y1 - y0) > 0.95 * w * h:
        return None
    return x0, y0, x1, y1
