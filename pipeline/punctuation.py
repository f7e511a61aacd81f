"""Punctuation repair of OCR'd lines, where language and layout decide (issue 11).

On real photocopies Tesseract reads small commas as periods ("trách. quan", "đạo. chỉ") and
drops or misreads the semicolons that close each legal basis ("Căn cứ ... năm 2025" followed by
the next "Căn cứ"). Rules, each narrow enough to be almost always right:

- `comma`: a period between two lowercase Vietnamese syllables on one line is a comma; Vietnamese
  administrative prose opens every sentence with a capital, and abbreviations (`TP.`, `v.v.`,
  `ThS.`) are not lowercase syllables followed by a space.
- `basis`: the *căn cứ* block of a decision (Nghị định 30/2020, Phụ lục I: each basis ends with
  `;`): a line that ends a paragraph opened by "Căn cứ", right before the next "Căn cứ", "Theo
  đề nghị" or "Xét đề nghị", ends with `;` (added, or in place of a `:` or `,`); and "Căn cứ"
  itself is never followed by punctuation (`Căn cứ. Quyết định` is a speck read as a period).
- `code`: a document code is one token (`18/2025/TT-BCT`, Nghị định 30/2020 Điều 8); a space
  read after its hyphen (`18/2025/TT- BCT`) is dropped.
- `date`: the date line reads `ngày ... tháng ... năm ...` (Nghị định 30/2020, Phụ lục I); the
  day and month are often written or stamped into the printed blanks afterwards, and OCR glues
  them to the printed word (`ngày23`, `ngày82tháng`): a space goes between a date word and a
  number glued to it.
- `dash`: a list item opens with a dash (`-` or `–`); a line opening with a run of dashes and
  tildes (`~`, `—`, `~—`) before a word is an item's `–` misread (no list opens with a tilde or
  an em dash).
- `recipients`: the items of a *Kính gửi* or *Nơi nhận* list (Nghị định 30/2020, Phụ lục I)
  each end with `;`: an item line right before the next item that ends with no mark, or with
  a `:` or `,` (the semicolon's look-alikes), gets it.
- `glyph`: `Ð` (the Icelandic eth) and `⁄` (the fraction slash) are not Vietnamese; Tesseract
  reads them for `Đ` (twice, `QĐÐ`, when it also read the bar) and `/`; an em dash between two
  words is the en dash (`Lao động – Thương binh`): administrative print has no em dash.
- `marker`: lettered items run through the Vietnamese alphabet (a, b, c, d, đ, e, g, h, i, k,
  ...: no f, j, w, z); an item opening with a marker that is no letter of it (`ø)`) or that
  cannot follow the item before (`đ)` right after `c)`) is the next letter misread.

Every fix is returned with its offsets in the line, like the restorer's changes, so it is listed
in `repairs` with the raw text kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .restore.model import Change
from .textnorm import is_vietnamese_syllable

_PERIOD = re.compile(r"(?<=\w)\.(?= (\w+))")
_WORD_BEFORE = re.compile(r"(\w+)$")
_BASIS = re.compile(r"^\s*Căn cứ\b")
_NEXT_BASIS = re.compile(r"^\s*(Căn cứ|Theo đề nghị|Xét đề nghị)\b")
_LOOKBACK = 6  # lines a legal basis may wrap over
_BASIS_PUNCT = re.compile(r"^\s*Căn cứ([.,:;]) ")
_DATE_WORD = r"(?:ngày|tháng|năm|Ngày|Tháng|Năm)"
_DATE_GLUE = re.compile(
    rf"(?<!\w){_DATE_WORD}(?=\d)|(?:(?<=\d)|(?<=\d[^\w\s]))(?={_DATE_WORD}(?!\w))"
)
_DASH = re.compile(r"^(\s*)([~—–-]+)(?= \w)")
_RECIPIENTS = re.compile(r"^\s*(Kính gửi|Nơi nhận)\s*:")
_ITEM = re.compile(r"^\s*[-–] ")
_ETH = re.compile(r"ĐÐ|ÐĐ|Ð|⁄|(?<=\w )—(?= \w)")
_CODE_GAP = re.compile(r"\b\d+/(?:\d{4}/)?[A-ZĐ][A-Za-zĐ]*-( +)[A-ZĐ][A-Za-zĐ0-9]*\b")


@dataclass(frozen=True)
class PunctFix(Change):
    """One punctuation fix: a restorer `Change` (offsets index the line it was found in) that
    also names the rule that made it."""

    rule: str


def _lower_syllable(word: str) -> bool:
    return word.islower() and is_vietnamese_syllable(word)


def comma_fixes(index: int, line: str) -> list[PunctFix]:
    """Periods between two lowercase syllables, read where a comma was printed."""
    out = []
    for m in _PERIOD.finditer(line):
        before = _WORD_BEFORE.search(line[: m.start()])
        if before and _lower_syllable(before.group(1)) and _lower_syllable(m.group(1)):
            out.append(PunctFix(index, m.start(), m.end(), ".", ",", 0.9, "comma"))
    return out


def basis_fixes(lines: list[str]) -> list[PunctFix]:
    """Legal bases that do not end with `;` although the next basis follows."""
    out = []
    for i in range(len(lines) - 1):
        if not _NEXT_BASIS.match(lines[i + 1]) or not _opens_basis(lines, i):
            continue
        text = lines[i].rstrip()
        if not text or text.endswith(";"):
            continue
        if text[-1] in ":,.":
            out.append(PunctFix(i, len(text) - 1, len(text), text[-1], ";", 0.9, "basis"))
        elif text[-1].isalnum() or text[-1] == ")":
            out.append(PunctFix(i, len(text), len(text), "", ";", 0.9, "basis"))
    return out


def _opens_basis(lines: list[str], i: int) -> bool:
    """Whether line `i` belongs to a paragraph that opened with "Căn cứ" (no line between
    closing an earlier sentence)."""
    for j in range(i, max(-1, i - _LOOKBACK), -1):
        if _BASIS.match(lines[j]):
            return True
        if _NEXT_BASIS.match(lines[j]) or j < i and lines[j].rstrip().endswith((";", ".")):
            return False
    return False


def code_fixes(index: int, line: str) -> list[PunctFix]:
    """Spaces read inside a document code after its hyphen, and punctuation after "Căn cứ"."""
    out = [
        PunctFix(index, m.start(1), m.end(1), m.group(1), "", 0.9, "code")
        for m in _CODE_GAP.finditer(line)
    ]
    m = _BASIS_PUNCT.match(line)
    if m:
        out.append(PunctFix(index, m.start(1), m.end(1), m.group(1), "", 0.9, "basis"))
    return out


def date_fixes(index: int, line: str) -> list[PunctFix]:
    """A space between a date word and the number glued to it (`ngày23` -> `ngày 23`,
    `ngày82tháng` -> `ngày 82 tháng`): zero-width insertions."""
    out = []
    for m in _DATE_GLUE.finditer(line):
        at = m.end() if m.group() else m.start()
        out.append(PunctFix(index, at, at, "", " ", 0.9, "date"))
    return out


def dash_fixes(index: int, line: str) -> list[PunctFix]:
    """A line-opening `~`, `—`, `~—` before a word: the item dash `–`."""
    m = _DASH.match(line)
    if not m or m.group(2) in ("-", "–"):
        return []
    return [PunctFix(index, m.start(2), m.end(2), m.group(2), "–", 0.9, "dash")]


_GLYPHS = {"⁄": "/", "—": "–"}


def glyph_fixes(index: int, line: str) -> list[PunctFix]:
    """`Ð`, `⁄` and a mid-line `—`, which Vietnamese never prints, as the `Đ`, `/` and `–` they
    were read for."""
    return [
        PunctFix(index, m.start(), m.end(), m.group(), _GLYPHS.get(m.group(), "Đ"), 0.9, "glyph")
        for m in _ETH.finditer(line)
    ]


def recipient_fixes(lines: list[str]) -> list[PunctFix]:
    """Items of a recipients list that lost their closing `;` before the next item."""
    out = []
    in_list = False
    for i, line in enumerate(lines[:-1]):
        head = _RECIPIENTS.match(line)
        if head:
            in_list = True
        elif not _ITEM.match(line):
            in_list = False
        text = line.rstrip()
        if head and not text[head.end() :].strip():  # `Nơi nhận:` alone opens the list
            continue
        if not (in_list and text and _ITEM.match(lines[i + 1])):
            continue
        if text[-1] in ":,":  # `Đà Nẵng:`, a semicolon read as its look-alike
            out.append(PunctFix(i, len(text) - 1, len(text), text[-1], ";", 0.9, "recipients"))
        elif text[-1].isalnum() or text[-1] == ")":
            out.append(PunctFix(i, len(text), len(text), "", ";", 0.9, "recipients"))
    return out


_LETTERS = "abcdđeghiklmnopqrstuvxy"  # the order lettered items take (Nghị định 30/2020)
_MARKER = re.compile(r"^(\s*)(\S)\)(?= \w)")
_NUMBERED = re.compile(r"^\s*(?:\d+|[IVXLC]+)\.\s")


def marker_fixes(lines: list[str]) -> list[PunctFix]:
    """Item markers the list's order corrects: after `e)` a marker that is no item letter
    (`ø)`) is `g)`; right after `c)` an `đ)` is `d)` (`đ)` follows `d)`, and a list may skip
    it, so after `d)` both `đ)` and `e)` stand). A numbered heading ends the list; a digit
    (`8)`) may be a numbered item and is left to the parser."""
    out: list[PunctFix] = []
    prev = ""
    for i, line in enumerate(lines):
        if _NUMBERED.match(line):
            prev = ""
        m = _MARKER.match(line)
        if m is None:
            continue
        mark = m.group(2)
        want = _next_letter(prev)
        misread = mark not in _LETTERS and not mark.isdigit()
        if want and (misread or {mark, want} == {"d", "đ"}):
            out.append(PunctFix(i, m.start(2), m.end(2), mark, want, 0.9, "marker"))
            mark = want
        prev = mark if mark in _LETTERS else ""
    return out


def _next_letter(prev: str) -> str:
    if not prev or prev == _LETTERS[-1]:
        return ""
    return _LETTERS[_LETTERS.index(prev) + 1]


def punctuation_fixes(lines: list[str]) -> list[PunctFix]:
    """All fixes for a page's lines, in line order."""
    fixes = [
        f
        for i, line in enumerate(lines)
        for f in comma_fixes(i, line)
        + code_fixes(i, line)
        + date_fixes(i, line)
        + dash_fixes(i, line)
        + glyph_fixes(i, line)
    ]
    return sorted(
        fixes + basis_fixes(lines) + recipient_fixes(lines) + marker_fixes(lines),
        key=lambda f: (f.line, f.start),
    )
