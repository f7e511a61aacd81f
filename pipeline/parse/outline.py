"""The outline of a document body: which lines are headings, at which level, under which path.

Administrative documents number their parts in a fixed order (Nghị định 30/2020, Phụ lục I, mục
II): roman parts (`III.`), arabic items (`1.`), decimal sub-items (`1.2.`), letters (`a)`),
parenthesised numbers (`(1)`); a decision uses `Điều N.`; a `PHỤ LỤC` line opens an appendix and
closes everything above it. Bullets (`-`, `+`) are content, never headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.parse.doclines import DocLine

_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(r"^(?P<m>PHỤ LỤC|Phụ lục)(?:\s+(?P<n>[IVX\d]+)\b)?\s*(?P<t>.*)$")),
    # `I.MỤC ĐÍCH` (no space, as OCR often reads it) counts when the title starts in capitals.
    (
        1,
        re.compile(
            r"^(?P<m>(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3}))\s*\.(?:\s+|(?=[A-ZĐÀ-Ỹ]{2}))(?P<t>\S.*)$"
        ),
    ),
    # `Điều 1.`; a seal over it reads `Điệu'1:` — any tone on the e, a stray mark before the number
    (1, re.compile(r"^(?P<m>Đi[eêềệểễếé]u\s*['’`]?\s*\d+)\s*[.:]\s*(?P<t>.*)$")),
    (3, re.compile(r"^(?P<m>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<t>\S.*)$")),
    (2, re.compile(r"^(?P<m>\d{1,2})\s*[.)]\s+(?P<t>\S.*)$")),
    # OCR reads a bold `g)` as `ø)` or `8)`-like marks: `ø` is taken, renumbered in sequence.
    (4, re.compile(r"^(?P<m>[a-zđø])\)\s+(?P<t>\S.*)$")),
    (5, re.compile(r"^(?P<m>\(\d{1,2}\))\s+(?P<t>\S.*)$")),
)


@dataclass(frozen=True)
class Heading:
    """A numbered heading: its level, its marker (`III`, `1`, `a`, `(1)`), and its text."""

    level: int
    marker: str
    title: str
    line: DocLine

    @property
    def text(self) -> str:
        return self.line.text


def classify_heading(line: DocLine) -> Heading | None:
    """The heading a line opens, or None for body text and bullets."""
    text = line.text
    for level, pattern in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        if level == 0 and not (text.isupper() or m.group("t") == "" or m.group("n")):
            continue  # "Phụ lục các hoạt động ..." inside a sentence is not an appendix heading
        marker = m.group("m")
        if marker.startswith("Đi") and level == 1:
            marker = "Điều " + re.sub(r"\D", "", marker)
        return Heading(level, marker, m.group("t").strip(), line)
    return None


_ROMAN = {"I": 1, "V": 5, "X": 10}
# Lettered items run in the Vietnamese alphabet's order (no f, j, w, z; đ after d).
LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()


def roman_value(marker: str) -> int | None:
    if not marker or any(c not in _ROMAN for c in marker):
        return None
    values = [_ROMAN[c] for c in marker]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def to_roman(n: int) -> str:
    out = ""
    for value, numeral in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


class Outline:
    """A stack of open headings; push a heading to close every heading at its level or deeper.

    Roman part numbers run I, II, III, ... in order (Nghị định 30/2020), so a part number that
    repeats or goes back is an OCR misreading (bold `III.` is often read `II.`) and takes the
    number that follows the previous part.
    """

    def __init__(self) -> None:
        self.stack: list[Heading] = []
        self.last_part = 0

    def push(self, heading: Heading) -> Heading:
        """Open `heading` (renumbered if its part number is out of sequence) and return it."""
        if heading.level == 0:
            self.stack, self.last_part = [heading], 0
            return heading
        if heading.level == 4 and not ("a" <= heading.marker <= "z" or heading.marker == "đ"):
            heading = replace(heading, marker=self._next_letter())
        value = roman_value(heading.marker) if heading.level == 1 else None
        if value is not None:
            if self.last_part and value <= self.last_part:
                heading = replace(heading, marker=to_roman(self.last_part + 1))
            self.last_part = roman_value(heading.marker) or value
        while self.stack and self.stack[-1].level >= heading.level:
            self.stack.pop()
        self.stack.append(heading)
        return heading

    def path(self) -> list[Heading]:
        return list(self.stack)

    def _next_letter(self) -> str:
        """The letter after the open lettered item (`e)` → `g`), or `a`."""
        last = next((h.marker for h in reversed(self.stack) if h.level == 4), None)
        if last in LETTERS and LETTERS.index(last) + 1 < len(LETTERS):
            return LETTERS[LETTERS.index(last) + 1]
        return "a"


def ref_of(path: list[Heading]) -> str:
    """`[III. NỘI DUNG, 1. Hoàn chỉnh ...]` → "III.1"; the appendix heading is not part of a ref."""
    return ".".join(h.marker for h in path if h.level > 0)
