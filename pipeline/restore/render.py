"""Render text lines to a page image and OCR it: the project's own generator of OCR errors.

Used only at training and benchmark time, to learn which characters Tesseract confuses: `eng` on
clean renders gives legacy-OCR debris (`s6`, `K&`, `ciia`), `vie` on degraded renders gives the
tone-mark slips of real scans (`cúu`, `tông`). This module is the restorer's only Tesseract caller.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")  # v1 (../liberation) lacks Vietnamese
FONTS = ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf")


def render_page(lines: list[str], size: int = 40, font: str = FONTS[0]) -> Image.Image:
    """Black text on white, one input line per printed line (callers keep lines short)."""
    face = ImageFont.truetype(str(FONT_DIR / font), size)
    gap = int(size * 1.5)
    width = max(int(face.getlength(line)) for line in lines) + 2 * size
    img = Image.new("L", (width, gap * len(lines) + 2 * size), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((size, size + i * gap), line, font=face, fill=0)
    return img


def degrade(img: Image.Image, rng: np.random.Generator, scale: float = 0.55) -> Image.Image:
    """A poor scan: downsample, blur, speckle, then threshold back to 1-bit-like grey."""
    w, h = img.size
    small = img.resize((max(1, int(w * scale)), max(1, int(h * scale))), Image.Resampling.BILINEAR)
    small = small.filter(ImageFilter.GaussianBlur(radius=float(rng.uniform(0.3, 0.8))))
    arr = np.asarray(small, dtype=np.float64)
    arr = arr + rng.normal(0, rng.uniform(8, 25), arr.shape)
    arr = np.where(arr > rng.uniform(120, 170), 255, 0).astype(np.uint8)
    return Image.fromarray(arr)


def ocr(img: Image.Image, lang: str, timeout: float = 120.0) -> str:
    """Tesseract text of a page image (psm 6: one uniform block, lines kept in order)."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.png"
        img.save(path)
        res = subprocess.run(
            ["tesseract", str(path), "stdout", "-l", lang, "--psm", "6"],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    if res.returncode != 0:
        raise RuntimeError(f"tesseract failed: {res.stderr.strip()[:300]}")
    return res.stdout


def wrap(text: str, width: int = 70) -> list[str]:
    """Greedy word wrap, so rendered lines fit a page and keep line-to-line alignment easy."""
    out, cur = [], ""
    for word in text.split():
        if cur and len(cur) + 1 + len(word) > width:
            out.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    if cur:
        out.append(cur)
    return out
