"""Dust read as text: Tesseract turns specks of scanner noise into `.`, `:`, `_` or `` ` ``
words of their own, and every such character is an inserted error in the text.

A word is a speck when it has no letter or digit and its box is small in both directions
next to the page's typical word height: real punctuation standing alone (a `-` bullet, a `:`
spanning the x-height) is wider or taller than that, and punctuation attached to a word is
part of the word.
"""

from __future__ import annotations

from statistics import median

from .ocr import OcrWord

SPECK_SHARE = 0.25  # of the median word height, in both width and height


def drop_specks(words: list[OcrWord]) -> list[OcrWord]:
    """The words without specks of dust read as punctuation."""
    heights = [w.box.height for w in words if _has_alnum(w.text) and w.box.height > 0]
    if len(heights) < 5:
        return words
    limit = SPECK_SHARE * median(heights)
    return [w for w in words if _has_alnum(w.text) or w.box.width >= limit or w.box.height >= limit]


def _has_alnum(text: str) -> bool:
    return any(ch.isalnum() for ch in text)
