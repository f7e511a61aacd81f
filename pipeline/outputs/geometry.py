"""From the page that was read back to the page that was scanned: the clean-up's geometry undone.

Word boxes in `document.json` are pixels of the cleaned page (cut from its background, turned
upright, levelled, upscaled). The searchable PDF and ALTO need them on the ORIGINAL page image.
Each geometric clean-up stage logs what it did in `pages[].stages` (`page_crop` corners, `orient`
rotation, `deskew` angle, `upscale` factor); this module rebuilds each stage's transform from its
log, in order, as 3x3 matrices, and inverts their product. Sizes are worked backwards from the
final page size, so nothing but the log is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..types import Box, Page

Matrix = np.ndarray  # 3x3, acting on column vectors (x, y, 1)


@dataclass(frozen=True)
class PageGeometry:
    """`to_source` maps cleaned-page pixels to source-image pixels; `source_size` is the size
    of the image the reader was given (the PDF page rendered at `dpi`, or the image file)."""

    to_source: Matrix
    source_size: tuple[float, float]
    rotation: int  # clockwise quarter-turn degrees the reader applied (0, 90, 180, 270)
    skew: float  # degrees counter-clockwise the reader levelled the page by

    @property
    def is_affine(self) -> bool:
        return bool(np.allclose(self.to_source[2], [0, 0, 1]))

    @cached_property
    def _rows(self) -> tuple[tuple[float, float, float], ...]:
        """The matrix as plain floats: a page maps some 1,500 points, and a numpy product
        per point cost more than the rest of writing its ALTO."""
        m = [[float(v) for v in row] for row in self.to_source]
        return tuple((a, b, c) for a, b, c in m)

    def point(self, x: float, y: float) -> tuple[float, float]:
        (a, b, c), (d, e, f), (g, h, i) = self._rows
        w = g * x + h * y + i
        return (a * x + b * y + c) / w, (d * x + e * y + f) / w

    def box(self, box: Box) -> Box:
        """The axis-aligned box around `box`'s four corners on the source image."""
        pts = [self.point(x, y) for x in (box.x0, box.x1) for y in (box.y0, box.y1)]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return Box(x0=round(min(xs)), y0=round(min(ys)), x1=round(max(xs)), y1=round(max(ys)))


def _turn(k: int, w: float, h: float) -> tuple[Matrix, tuple[float, float]]:
    """np.rot90(img, k): k counter-clockwise quarter turns of a w x h image."""
    k %= 4
    if k == 0:
        return np.eye(3), (w, h)
    if k == 1:
        return np.array([[0, 1, 0], [-1, 0, w], [0, 0, 1]], float), (h, w)
    if k == 2:
        return np.array([[-1, 0, w], [0, -1, h], [0, 0, 1]], float), (w, h)
    return np.array([[0, -1, h], [1, 0, 0], [0, 0, 1]], float), (h, w)


def _rotation(angle: float, w: float, h: float) -> tuple[Matrix, tuple[float, float]]:
    """preprocess.deskew.rotate: about the centre, canvas grown to keep the corners."""
    a = np.deg2rad(angle)
    cos, sin = np.cos(a), np.sin(a)
    nw, nh = h * abs(sin) + w * abs(cos), h * abs(cos) + w * abs(sin)
    # cv2.getRotationMatrix2D((w/2, h/2), angle, 1): [[c, s, .], [-s, c, .]]
    m = np.array(
        [
            [cos, sin, (1 - cos) * w / 2 - sin * h / 2 + (nw - w) / 2],
            [-sin, cos, sin * w / 2 + (1 - cos) * h / 2 + (nh - h) / 2],
            [0, 0, 1],
        ]
    )
    return m, (float(int(nw)), float(int(nh)))


def _unrotated_size(angle: float, nw: float, nh: float) -> tuple[float, float]:
    a = np.deg2rad(angle)
    c, s = abs(np.cos(a)), abs(np.sin(a))
    det = c * c - s * s
    return (nw * c - nh * s) / det, (nh * c - nw * s) / det


def _crop(corners: list[list[float]], w: float, h: float) -> Matrix:
    """preprocess.border.unwarp_page: the quad's corners onto a w x h rectangle."""
    src = np.array(corners, float)
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], float)
    rows = []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y, u])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y, v])
    a = np.array(rows)
    solution = np.linalg.solve(a[:, :8], a[:, 8])
    return np.append(solution, 1.0).reshape(3, 3)


def page_geometry(page: Page) -> PageGeometry:
    """The cleaned page -> source image transform of an OCR page, from its stage log."""
    logs = {s.stage: s for s in page.stages}
    w, h = float(page.width), float(page.height)
    forward: list[Matrix] = []  # last stage first, while walking backwards
    up = logs.get("upscale")
    if up is not None and up.applied:
        f = float(up.detail.get("factor", 1.0))
        forward.append(np.diag([f, f, 1.0]))
        w, h = w / f, h / f
    skew = 0.0
    desk = logs.get("deskew")
    if desk is not None and desk.applied:
        skew = float(desk.detail.get("angle", 0.0))
        w, h = _unrotated_size(skew, w, h)
        m, _ = _rotation(skew, w, h)
        forward.append(m)
    rotation = 0
    orient = logs.get("orient")
    if orient is not None:
        rotation = int(orient.detail.get("rotation", 0)) % 360
    k = (-rotation // 90) % 4
    if k:
        pre = (h, w) if k % 2 else (w, h)
        m, _ = _turn(k, *pre)
        forward.append(m)
        w, h = pre
    crop = logs.get("page_crop")
    if crop is not None and crop.applied and crop.detail.get("corners"):
        forward.append(_crop(crop.detail["corners"], w, h))
        size = crop.detail.get("source_size") or [
            max(c[0] for c in crop.detail["corners"]),  # older logs: at least this large
            max(c[1] for c in crop.detail["corners"]),
        ]
        w, h = float(size[0]), float(size[1])
    total = np.eye(3)
    for m in forward:  # forward[0] is the last stage applied
        total = total @ m
    return PageGeometry(np.linalg.inv(total), (w, h), rotation, skew)


def affine_fit(points_from: np.ndarray, points_to: np.ndarray) -> Matrix:
    """Least-squares affine map (3x3) taking points_from (n x 2) onto points_to (n x 2)."""
    a = np.hstack([points_from, np.ones((len(points_from), 1))])
    sol, *_ = np.linalg.lstsq(a, points_to, rcond=None)
    return np.vstack([sol.T, [0, 0, 1]])
