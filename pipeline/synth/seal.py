"""Red seals and handwritten signatures drawn as ink masks, then blended over the page.

A seal is stamped after printing, so it is laid over the text with a multiply blend: black print
stays black under red ink, white paper turns red (what the red-ink suppression stage must undo).
Nghị định 30/2020, Điều 13 and Phụ lục I: the seal covers about a third of the signature, on its left.
"""

from __future__ import annotations

import math
import zlib

import numpy as np
from PIL import Image, ImageChops, ImageDraw

from pipeline.synth.layout import font

SEAL_RED = (205, 35, 45)
SIGNATURE_BLUE = (25, 40, 120)


def _star_points(
    cx: float, cy: float, r: float, rot: float = -math.pi / 2
) -> list[tuple[float, float]]:
    pts = []
    for i in range(10):
        rr = r if i % 2 == 0 else r * 0.382
        a = rot + i * math.pi / 5
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def _ring_text(mask: Image.Image, text: str, radius: float, size_px: float, dpi: int) -> None:
    """Glyphs stood on the ring, reading clockwise over the top, leaving a gap at the bottom."""
    f = font("bold", size_px * 72 / dpi, dpi)
    c = mask.width / 2
    span = math.radians(290)
    n = max(len(text), 1)
    for i, ch in enumerate(text):
        if ch == " ":
            continue
        a = math.radians(90 + 35) + span * (i + 0.5) / n  # angle from +x, clockwise on screen
        box = int(size_px * 2)
        glyph = Image.new("L", (box, box), 0)
        ImageDraw.Draw(glyph).text((box / 2, box / 2), ch, font=f, fill=255, anchor="mm")
        glyph = glyph.rotate(-(math.degrees(a) + 90), resample=Image.Resampling.BICUBIC)
        x = c + radius * math.cos(a) - box / 2
        y = c + radius * math.sin(a) - box / 2
        layer = Image.new("L", mask.size, 0)
        layer.paste(glyph, (round(x), round(y)))
        mask.paste(ImageChops.lighter(mask, layer))


def seal_mask(diameter: int, text: str, dpi: int, *, seed: int = 0) -> np.ndarray:
    """Ink coverage 0..1 (float32, diameter x diameter) of a round seal with ring text and a star."""
    d = diameter
    mask = Image.new("L", (d, d), 0)
    draw = ImageDraw.Draw(mask)
    ring = max(2, round(d * 0.022))
    draw.ellipse((ring / 2, ring / 2, d - ring / 2, d - ring / 2), outline=255, width=ring)
    inner = d * 0.30
    c = d / 2
    draw.ellipse((c - inner, c - inner, c + inner, c + inner), outline=255, width=max(1, ring // 2))
    draw.polygon(_star_points(c, c, inner * 0.7), fill=255)
    draw.polygon(_star_points(c, d - ring * 4.2, d * 0.035), fill=255)
    _ring_text(mask, text.upper(), d * 0.39, d * 0.085, dpi)
    ink = np.asarray(mask, dtype=np.float32) / 255.0
    rng = np.random.default_rng(seed)
    # stamp ink is uneven: thin spots and a slightly lighter side
    blotch = 0.75 + 0.25 * rng.random((d // 8 + 1, d // 8 + 1)).astype(np.float32)
    blotch = np.asarray(
        Image.fromarray((blotch * 255).astype(np.uint8)).resize((d, d), Image.Resampling.BICUBIC),
        dtype=np.float32,
    )
    return ink * blotch / 255.0


def signature_mask(width: int, height: int, name: str, dpi: int) -> np.ndarray:
    """A deterministic scribble (0..1 coverage) standing in for a handwritten signature."""
    rng = np.random.default_rng(zlib.crc32(name.encode("utf-8")))
    img = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(img)
    pen = max(1, round(dpi / 110))
    n = 14
    xs = np.linspace(width * 0.08, width * 0.92, n) + rng.normal(0, width * 0.02, n)
    ys = height * (0.5 + 0.3 * np.sin(np.arange(n) * 2.1 + rng.random() * 6)) + rng.normal(
        0, height * 0.08, n
    )
    t = np.linspace(0, n - 1, n * 12)
    px = np.interp(t, np.arange(n), xs)
    py = np.interp(t, np.arange(n), ys) + height * 0.12 * np.sin(t * 3.3)
    pts = [(float(a), float(b)) for a, b in zip(px, np.clip(py, pen, height - pen), strict=True)]
    draw.line(pts, fill=255, width=pen, joint="curve")
    y = height * (0.7 + 0.1 * rng.random())
    draw.line([(width * 0.15, y), (width * 0.85, y - height * 0.15)], fill=255, width=pen)
    return np.asarray(img, dtype=np.float32) / 255.0


def blend_ink(
    page: np.ndarray, mask: np.ndarray, x: int, y: int, color: tuple[int, int, int], opacity: float
) -> None:
    """Multiply-blend `color` ink with coverage `mask` onto `page` (in place) at top-left (x, y)."""
    h, w = mask.shape
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + w, page.shape[1]), min(y + h, page.shape[0])
    if x1 <= x0 or y1 <= y0:
        return
    a = (mask[y0 - y : y1 - y, x0 - x : x1 - x] * opacity)[..., None]
    region = page[y0:y1, x0:x1].astype(np.float32)
    inked = region * (np.asarray(color, dtype=np.float32) / 255.0)
    page[y0:y1, x0:x1] = np.clip(region * (1 - a) + inked * a, 0, 255).astype(np.uint8)
