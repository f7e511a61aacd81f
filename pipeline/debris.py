"""Lines of OCR debris: seal rims, stamp edges, scanner specks and rules read as glyphs (issue 11).

On real photocopies Tesseract reads the ink of a seal ring, a stamp's frame or a dashed margin
as lines of their own: `————`, `ˆ`, `J` at confidence 10, `Th` at 0. No printed line of an
administrative document is made only of dashes and quotes, or of one or two letters the reader
itself doubts, so such a line is emptied: its `text` becomes "" (the raw text stays, and the
change is listed in `repairs` like any other). Lines of table cells are left alone (a `-` there is
an empty value), and so is any line holding a word, a number or a letter read with confidence.
"""

from __future__ import annotations

import unicodedata

from .restore.model import Change
from .textnorm import is_vietnamese_syllable
from .types import Line

DEBRIS_CONF = 30.0  # a short non-word under this confidence is a speck (chosen on real-scan dev)
_MARKS = set("—–-~=_ˆ^`'\"“”‘’|¦•°*¬")


def _is_mark_run(token: str) -> bool:
    """`————`, `~—`, `ˆ`, `“`: rules, quotes and carets with no letter, digit or period."""
    return all(ch in _MARKS or unicodedata.category(ch) in ("Sk", "Pi", "Pf") for ch in token)


def _is_speck(token: str, conf: float) -> bool:
    """One or two letters the reader doubts that make no syllable: `J`, `l`, `Th`, `⁄S`."""
    letters = [ch for ch in token if ch.isalnum()]
    if not letters or len(letters) > 2 or conf >= DEBRIS_CONF or any(c.isdigit() for c in letters):
        return False
    return not is_vietnamese_syllable("".join(letters).lower())  # `ở`, `y` are words


def is_debris(line: Line) -> bool:
    """Whether every token of the line is a mark run or a doubted speck (see module doc)."""
    if line.region == "table" or not line.words or not line.raw_text.strip():
        return False
    return all(_is_mark_run(w.text) or _is_speck(w.text, w.conf) for w in line.words)


def debris_fixes(lines: list[Line]) -> list[Change]:
    """The lines to empty, as changes replacing the whole raw text."""
    return [
        Change(i, 0, len(line.raw_text), line.raw_text, "", 0.9)
        for i, line in enumerate(lines)
        if is_debris(line)
    ]
