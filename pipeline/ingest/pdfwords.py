"""Words of a PDF text layer: built from glyph geometry, put in lines, converted to Unicode.

Word exports put Vietnamese letters in a second subset of the same font ("BCDEEE+TimesNewRomanPSMT"
beside "BCDFEE+…"); pdfplumber cuts a word at every such switch when the font name is one of its
word attributes, which gave "t ỉ nh", "V ă n phòng" on the real B05 and B06 (issue 10, class 10).
Here a word is cut on geometry and space glyphs only, glyphs that nearly touch are joined, and
`split_syllable_share` measures what is still split, for the text-layer quality check. Against
`pdftotext` on the 10 real born-digital PDFs (25,016 words), the words it has that ours lack
fell from 260 to 65 (B06: 82 → 3, B05: 36 → 2, B02: 55 → 3).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from pipeline.ingest.legacy import convert_words, restore_capitals
from pipeline.textnorm import is_vietnamese_syllable, nfc

_LINE_GAP_EM = 2.0  # a horizontal gap wider than this many font sizes starts a new line
# Glyphs further apart than this many font sizes are two words, closer ones one word, whatever
# their font: a space is 0.25 em in Times New Roman (0.28 in Arial) and justification only widens
# it; letter-spacing stays well under; the subset switch in B06 leaves 0.004 em. pdfplumber's
# default, 3 points whatever the size, would join words set in 10-point type without space glyphs.
WORD_GAP_EM = 0.15


@dataclass(frozen=True)
class PdfWord:
    """A word as pdfplumber reports it, in PDF points from the page's top-left."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    upright: bool = True
    font: str = ""
    spaced: bool = False  # a space glyph comes right before it in the content stream


def _split_at_gaps(row: list[PdfWord]) -> list[list[PdfWord]]:
    """Break a visual row where a gap is too wide to be a space (header columns, table cells)."""
    row = sorted(row, key=lambda w: w.x0)
    em = statistics.median(w.size or (w.bottom - w.top) for w in row)
    parts = [[row[0]]]
    for word in row[1:]:
        if word.x0 - parts[-1][-1].x1 > _LINE_GAP_EM * em:
            parts.append([])
        parts[-1].append(word)
    return parts


def group_lines(words: list[PdfWord]) -> list[list[PdfWord]]:
    """Words → lines: rows by vertical overlap of centres, split at wide gaps, top to bottom."""
    rows: list[list[PdfWord]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        centre = (word.top + word.bottom) / 2
        if rows:
            last = rows[-1]
            top = min(w.top for w in last)
            bottom = max(w.bottom for w in last)
            if top <= centre <= bottom:
                last.append(word)
                continue
        rows.append([word])
    return [part for row in rows for part in _split_at_gaps(row)]


def line_text(line: list[PdfWord]) -> str:
    return " ".join(w.text for w in line)


def join_touching(line: list[PdfWord]) -> list[PdfWord]:
    """Join the words of a line whose glyphs nearly touch, unless a space glyph parts them.

    pdfplumber also cuts a word where the size changes or a glyph steps back (table figures in
    B07: "49" "5"); what the reader sees is one word. A space glyph still parts condensed
    headings whose words stand closer than that (B08: "SỞ NÔNG NGHIỆP", 0.1 em apart).
    """
    out: list[PdfWord] = []
    for word in sorted(line, key=lambda w: w.x0):
        prev = out[-1] if out else None
        em = max(word.size, prev.size) if prev else 0.0
        gap = word.x0 - prev.x1 if prev else 0.0
        if prev is None or word.spaced or gap >= WORD_GAP_EM * (em or word.bottom - word.top):
            out.append(word)
            continue
        out[-1] = replace(
            prev,
            text=prev.text + word.text,
            top=min(prev.top, word.top),
            x1=max(prev.x1, word.x1),
            bottom=max(prev.bottom, word.bottom),
        )
    return out


def after_space_glyph(chars: list[dict[str, Any]]) -> set[int]:
    """ids of the glyphs that follow a space glyph in the page's content stream."""
    return {id(c) for prev, c in pairwise(chars) if str(prev.get("text", "")).isspace()}


_LEAD_LETTERS = re.compile(r"^\w+")


def _fragment(token: str) -> bool:
    """A piece of a word no Vietnamese syllable is: `tr`, `c`, `nh`, `C` (not `UBND`, `và`)."""
    if not token.isalpha() or is_vietnamese_syllable(token):
        return False
    return len(token) == 1 or any(ch.islower() for ch in token)


def split_syllable_share(line_texts: list[str]) -> float:
    """Share of a layer's words that are fragments of split syllables (`t ỉ nh`, `V ă n`).

    A pair of neighbours counts when one is a fragment and the two written together make a valid
    syllable; the left one must end in a letter (no punctuation falls inside a word).
    """
    split: set[tuple[int, int]] = set()
    words = 0
    for li, text in enumerate(line_texts):
        tokens = text.split()
        words += sum(1 for t in tokens if any(ch.isalpha() for ch in t))
        for i in range(len(tokens) - 1):
            left, lead = tokens[i], _LEAD_LETTERS.match(tokens[i + 1])
            if not lead or not left.isalpha():
                continue
            right = lead.group()
            if (_fragment(left) or _fragment(right)) and is_vietnamese_syllable(left + right):
                split.update({(li, i), (li, i + 1)})
    return len(split) / words if words else 0.0


def main_font(chars: list[dict[str, Any]]) -> str:
    fonts = Counter(str(c.get("fontname", "")) for c in chars)
    return fonts.most_common(1)[0][0] if fonts else ""


def to_unicode(lines: list[list[PdfWord]]) -> tuple[list[list[PdfWord]], str | None]:
    """Lines with every word in NFC Unicode: legacy font text converted, TCVN3 capitals read.

    Returns the legacy encoding the page was typed in, or None. Runs before NFC, which would
    drop TCVN3's ư (the soft-hyphen code).
    """
    flat = [w for ln in lines for w in ln]
    texts, encoding = convert_words([w.text for w in flat], [w.font for w in flat])
    converted = iter(texts)
    out = []
    for ln in lines:
        words = [replace(w, text=nfc(next(converted))) for w in ln]
        words = [w for w in words if w.text.strip()]
        if encoding == "tcvn3":
            capitals = restore_capitals(line_text(words), paragraph=False).split(" ")
            if len(capitals) == len(words):
                words = [replace(w, text=t) for w, t in zip(words, capitals, strict=True)]
        if words:
            out.append(words)
    return out, encoding
