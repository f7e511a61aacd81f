"""Colour ink suppression: red seals and stamps, blue signatures and tinted paper -> white.

Seals are stamped over print with ink that only absorbs some wavelengths, so black text under a
red seal stays dark in every channel while the seal is bright in red. Taking the brightest channel,
lifted further by the pixel's chroma, turns coloured ink and tinted paper white and leaves neutral
(black or grey) print as it is; plain luminance would print the seal as a dark disc over the text,
which is how Tesseract loses the signer's lines (realdocs S07).
"""

from __future__ import annotations

import cv2
import numpy as np

from ..grid import paper_level
from ..types import StageLog

_CHROMA = 45  # max-min channel spread above which a pixel is coloured ink or tinted paper
_MIN_SHARE = 0.0005  # coloured pixels (of the page) worth suppressing
_MM = 2480 / 210  # px per mm at 300 dpi; scaled by the page width


def color_share(rgb: np.ndarray) -> tuple[float, float, float]:
    """Shares of red-ink, blue-ink and tinted-paper pixels, on a coarse sample of the page."""
    s = rgb[::6, ::6].astype(np.int16)
    r, g, b = s[..., 0], s[..., 1], s[..., 2]
    red = (r - np.maximum(g, b) > 60) & (r > 110)
    blue = (b - np.maximum(r, g) > 40) & (r < 150)
    bright = s.max(axis=2) > 150
    tint = bright & (s.max(axis=2) - s.min(axis=2) > 30)
    n = float(r.size)
    return red.sum() / n, blue.sum() / n, tint.sum() / max(float(bright.sum()), 1.0)


def white_balance(rgb: np.ndarray) -> np.ndarray:
    """Each channel scaled so the paper is white: on a blue-tinted copy a red seal turns purple
    (R-max(G,B) ~40) and escapes `find_seals`; balanced, it is red again (~100)."""
    paper = np.percentile(rgb[::8, ::8].reshape(-1, 3), 90, axis=0)
    gain = 255.0 / np.maximum(paper, 1.0)
    return np.clip(rgb.astype(np.float32) * gain, 0, 255).astype(np.uint8)


def find_seals(rgb: np.ndarray) -> list[dict[str, int]]:
    """Boxes (input-image pixels) of round or square red marks 12-70 mm across: seals, stamps."""
    f = 4
    s = rgb[::f, ::f].astype(np.int16)
    red = ((s[..., 0] - np.maximum(s[..., 1], s[..., 2]) > 50) & (s[..., 0] > 100)).astype(np.uint8)
    mm = rgb.shape[1] / 210 / f
    k = max(3, int(mm * 3))
    closed = cv2.morphologyEx(red, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    seals = []
    for c in contours:  # outer outlines only: a seal's star is not a second seal
        x, y, w, h = cv2.boundingRect(c)
        if not (12 * mm <= max(w, h) <= 70 * mm and 0.5 <= w / h <= 2.0):
            continue
        seals.append(
            {"x0": int(x * f), "y0": int(y * f), "x1": int((x + w) * f), "y1": int((y + h) * f)}
        )
    return [s for s in seals if not any(o is not s and _inside(s, o) for o in seals)]


def _inside(a: dict[str, int], b: dict[str, int]) -> bool:
    """A seal's star or inner ring, found inside the seal's outline."""
    return a["x0"] >= b["x0"] and a["y0"] >= b["y0"] and a["x1"] <= b["x1"] and a["y1"] <= b["y1"]


def suppress_color_ink(rgb: np.ndarray) -> np.ndarray:
    """Brightest channel plus chroma: coloured ink goes the paper's tone, neutral ink stays.

    Lifted no further than the paper: on a grey copy a seal turned pure white is a bright ring
    brighter than the page, and Tesseract's threshold then garbles the signature block around it.
    """
    r, g, b = cv2.split(rgb)
    mx = cv2.max(cv2.max(r, g), b)
    chroma = cv2.subtract(mx, cv2.min(cv2.min(r, g), b))
    _, lift = cv2.threshold(chroma, _CHROMA, 255, cv2.THRESH_TOZERO)
    ceiling = cv2.max(mx, np.full_like(mx, paper_level(mx)))
    return cv2.min(cv2.add(mx, cv2.add(lift, lift)), ceiling)


def to_ocr_gray(image: np.ndarray) -> tuple[np.ndarray, list[StageLog]]:
    """Grayscale for OCR; coloured ink suppressed only when the page carries some."""
    if image.ndim == 2:
        return image, [StageLog(stage="gray", applied=False), StageLog(stage="seal", applied=False)]
    if image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_RGBA2RGB)
    red, blue, tint = color_share(image)
    probe = image
    if tint > 0.5:  # tinted copy: colours are judged against its paper, not against white
        probe = white_balance(image)
        red, blue, _ = color_share(probe)
    seals = find_seals(probe) if red > _MIN_SHARE else []
    seal_log = StageLog(
        stage="seal", applied=bool(seals), detail={"seals": seals, "frame": "input"}
    )
    detail = {"red_share": round(red, 4), "blue_share": round(blue, 4), "tint": round(tint, 3)}
    if tint > 0.5:  # tinted copy (S31): the brightest channel is the print on white paper
        if red + blue > _MIN_SHARE:  # and a seal or signature on it: lifted on balanced colours
            gray = suppress_color_ink(probe)
        else:
            r, g, b = cv2.split(image)
            gray = cv2.max(cv2.max(r, g), b)
        return gray, [
            StageLog(stage="gray", applied=True, detail=detail),
            StageLog(stage="color_ink", applied=True, detail={**detail, "mode": "tint"}),
            seal_log,
        ]
    if red + blue > _MIN_SHARE:
        gray = suppress_color_ink(image)
        return gray, [
            StageLog(stage="gray", applied=True, detail=detail),
            StageLog(stage="color_ink", applied=True, detail=detail),
            seal_log,
        ]
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    return gray, [
        StageLog(stage="gray", applied=True, detail=detail),
        StageLog(stage="color_ink", applied=False, detail=detail),
        seal_log,
    ]
