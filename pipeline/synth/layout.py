"""Page geometry, fonts and line breaking by measured glyph widths.

Nghị định 30/2020/NĐ-CP, Phụ lục I: A4, margins top/bottom 20-25 mm, left 30-35 mm, right 15-20 mm,
Times New Roman 13-14 pt. Liberation Serif is metric-compatible with Times New Roman and covers
precomposed Vietnamese, so line breaks match what Word would produce closely enough.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

# Liberation 2.x (Debian fonts-liberation2) covers Vietnamese; the 1.x faces in fonts-liberation do
# not (no U+1EA0-1EF9), so each directory is checked before use. DejaVu Serif is the last resort.
FONT_DIRS = (
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
)
FALLBACK_FILES = {
    "regular": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "bold": "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    "italic": "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf",
    "bolditalic": "/usr/share/fonts/truetype/dejavu/DejaVuSerif-BoldItalic.ttf",
}
VIETNAMESE_PROBE = "ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸđĐơưăâêô"
FONT_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bolditalic": "LiberationSerif-BoldItalic.ttf",
}
FontStyle = Literal["regular", "bold", "italic", "bolditalic"]
Font = ImageFont.FreeTypeFont

A4_MM = (210.0, 297.0)


@dataclass(frozen=True)
class PageSpec:
    """A4 page, margins in mm and the base font size; defaults sit inside the decree's ranges."""

    top_mm: float = 20.0
    bottom_mm: float = 20.0
    left_mm: float = 30.0
    right_mm: float = 15.0
    body_pt: float = 14.0
    line_spacing: float = 1.2  # multiple of the font size (decree: single to 1.5 lines)
    para_space_pt: float = 6.0  # decree: at least 6 pt between paragraphs
    indent_mm: float = 12.7  # decree: first-line indent 1-1.27 cm


@dataclass(frozen=True)
class Geometry:
    """PageSpec resolved to pixels at one dpi."""

    dpi: int
    width: int
    height: int
    left: int
    right: int  # x of the right text edge
    top: int
    bottom: int  # y of the bottom text edge

    @property
    def text_width(self) -> int:
        return self.right - self.left

    def mm(self, v: float) -> int:
        return round(v * self.dpi / 25.4)

    def pt(self, v: float) -> int:
        return round(v * self.dpi / 72)


def page_geometry(spec: PageSpec, dpi: int) -> Geometry:
    w = round(A4_MM[0] * dpi / 25.4)
    h = round(A4_MM[1] * dpi / 25.4)
    px = lambda v: round(v * dpi / 25.4)  # noqa: E731
    return Geometry(
        dpi=dpi,
        width=w,
        height=h,
        left=px(spec.left_mm),
        right=w - px(spec.right_mm),
        top=px(spec.top_mm),
        bottom=h - px(spec.bottom_mm),
    )


def covers(path: str, chars: str = VIETNAMESE_PROBE) -> bool:
    """True when every char has a real glyph (a missing one renders as the .notdef box)."""
    try:
        f = ImageFont.truetype(path, 24, layout_engine=ImageFont.Layout.BASIC)
    except OSError:
        return False
    notdef = _glyph(f, "\U0010fffd")
    return all(_glyph(f, ch) != notdef for ch in chars)


def _glyph(f: Font, ch: str) -> bytes:
    img = Image.new("L", (48, 48), 0)
    ImageDraw.Draw(img).text((8, 8), ch, font=f, fill=255)
    return img.tobytes()


@lru_cache(maxsize=8)
def font_path(style: FontStyle) -> str:
    """The first installed Times-like face of `style` with full Vietnamese coverage."""
    for d in FONT_DIRS:
        path = os.path.join(d, FONT_FILES[style])
        if os.path.exists(path) and covers(path):
            return path
    if covers(FALLBACK_FILES[style]):
        return FALLBACK_FILES[style]
    raise FileNotFoundError(
        "no serif font with Vietnamese glyphs: install fonts-liberation2 (apt-get install fonts-liberation2)"
    )


@lru_cache(maxsize=64)
def font(style: FontStyle, pt: float, dpi: int) -> Font:
    """The serif face at `pt` points for a `dpi` raster (BASIC layout: same widths with or without raqm)."""
    size = pt * dpi / 72
    return ImageFont.truetype(font_path(style), size, layout_engine=ImageFont.Layout.BASIC)


def line_height(f: Font, spacing: float) -> int:
    return round(f.size * spacing)


def text_width(f: Font, text: str) -> float:
    return f.getlength(text)


def fit_pt(text: str, style: FontStyle, pt: float, dpi: int, max_width: float) -> float:
    """Largest size <= pt (half-point steps, down to 60%) at which `text` fits on one line."""
    size = pt
    while size > pt * 0.6 and font(style, size, dpi).getlength(text) > max_width:
        size -= 0.5
    return size


def _split_long_word(word: str, f: Font, width: float) -> list[str]:
    """Hard-break a token wider than the line (a URL, a long code) so nothing runs off the page."""
    parts, cur = [], ""
    for ch in word:
        if cur and f.getlength(cur + ch) > width:
            parts.append(cur)
            cur = ch
        else:
            cur += ch
    return [*parts, cur] if cur else parts


def wrap_words(text: str, f: Font, width: float, first_indent: float = 0.0) -> list[list[str]]:
    """Greedy line breaking: each line is the list of its words, measured with the real font."""
    lines: list[list[str]] = []
    cur: list[str] = []
    avail = width - first_indent
    for word in text.split():
        pieces = _split_long_word(word, f, avail) if f.getlength(word) > avail else [word]
        for piece in pieces:
            candidate = " ".join([*cur, piece])
            if cur and f.getlength(candidate) > avail:
                lines.append(cur)
                cur, avail = [piece], width
            else:
                cur.append(piece)
    if cur:
        lines.append(cur)
    return lines


def wrap_text(text: str, f: Font, width: float, first_indent: float = 0.0) -> list[str]:
    return [" ".join(words) for words in wrap_words(text, f, width, first_indent)]


def justify_positions(words: list[str], f: Font, x0: float, width: float) -> list[float]:
    """x of each word when the line is stretched to exactly `width` (the last line is not justified)."""
    widths = [f.getlength(w) for w in words]
    if len(words) < 2:
        return [x0]
    gap = (width - sum(widths)) / (len(words) - 1)
    xs, x = [], x0
    for w in widths:
        xs.append(x)
        x += w + gap
    return xs
