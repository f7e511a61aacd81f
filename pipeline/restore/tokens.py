"""Split a line into tokens the restorer may touch (words) and tokens it must keep (everything else).

Kinds: `word` (letters only: a Vietnamese syllable or a Latin/abbreviation word), `num` (digits and
digit groups: 12/01/2024, 1.000), `code` (document codes and acronyms: 09/KH-UBND, 15-KL/TW, CT-TTg,
and unit codes of capitals and digits: PC04, QH15),
`odd` (letters mixed with digits or symbols: legacy OCR like `s6`, `K&`, `hi¢n`, or a code like 3G)
and `punct`. Offsets index the original line so each change can point back at it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple


class Token(NamedTuple):
    text: str
    start: int
    end: int
    kind: str  # word | num | code | odd | punct


_CHUNK = re.compile(r"\S+")
_EDGE_PUNCT = set("()[]{}\"'“”‘’«».,;:!?…*•·–—-/\\|<>")
_NUM = re.compile(r"^\d+(?:[.,:/-]\d+)*%?$")
_LETTER_PART = re.compile(r"^[^\W\d_]+$")
_CODE_PART = re.compile(r"^[^\W_]+$")


def _is_abbrev(part: str) -> bool:
    """Acronyms inside codes: UBND, KH, NĐ, TTg, QH14 (an upper-case letter after the first)."""
    return len(part) > 1 and any(c.isupper() for c in part[1:])


_UNIT_CODE = re.compile(r"^[A-ZĐ]{2,}\d+$|^[A-ZĐ]+\d{2,}$")


def core_kind(core: str) -> str:
    if core.isalpha():
        return "word"
    if _NUM.match(core):
        return "num"
    if _UNIT_CODE.match(core):  # `PC04`, `C04`, `QH15`: a unit's code; `B6` may be Bộ misread
        return "code"
    parts = re.split(r"[/.-]", core)
    if len(parts) > 1 and all(_CODE_PART.match(p) for p in parts if p):
        if any(ch.isdigit() for ch in core) or any(_is_abbrev(p) for p in parts):
            return "code"
        return "split"  # kinh tế-xã hội: words joined by a hyphen
    return "odd"


def _emit_core(core: str, start: int, out: list[Token]) -> None:
    kind = core_kind(core)
    if kind != "split":
        out.append(Token(core, start, start + len(core), kind))
        return
    pos = start
    for piece in re.split(r"([/-])", core):
        if piece:
            kind = "punct" if piece in "/-" else ("word" if piece.isalpha() else "odd")
            out.append(Token(piece, pos, pos + len(piece), kind))
        pos += len(piece)


def tokenize(line: str) -> list[Token]:
    """Tokens of one line, in order, with offsets into `line`; whitespace is not a token."""
    out: list[Token] = []
    for m in _CHUNK.finditer(line):
        chunk, s = m.group(), m.start()
        i, j = 0, len(chunk)
        while i < j and chunk[i] in _EDGE_PUNCT:
            i += 1
        while j > i and chunk[j - 1] in _EDGE_PUNCT and not _keeps_final(chunk, i, j):
            j -= 1
        out.extend(Token(chunk[k], s + k, s + k + 1, "punct") for k in range(i))
        if j > i:
            _emit_core(chunk[i:j], s + i, out)
        out.extend(Token(chunk[k], s + k, s + k + 1, "punct") for k in range(j, len(chunk)))
    return out


def _keeps_final(chunk: str, i: int, j: int) -> bool:
    """A trailing `-` or `/` stays in a code (`16/CT-`), other edge punctuation is peeled."""
    return chunk[j - 1] in "-/" and any(c.isdigit() for c in chunk[i : j - 1])


_DEBRIS_TAIL = "’'?"


def merge_debris(
    tokens: list[Token], line: str, known: Callable[[str], bool] | None = None
) -> list[Token]:
    """English-model OCR writes the horn of ơ/ư as a quote or `?` after the word (`co’` for cơ,
    `dữ?`): glue such a tail to its word as one `odd` token, so the repair can drop it. With
    `known`, only tokens it accepts are glued (a real `ai?` keeps its question mark)."""
    out: list[Token] = []
    for tok in tokens:
        prev = out[-1] if out else None
        if (
            prev is not None
            and tok.kind == "punct"
            and tok.text in _DEBRIS_TAIL
            and prev.kind == "word"
            and prev.end == tok.start
            and (tok.end == len(line) or not line[tok.end].isalnum())
            and (known is None or known(prev.text + tok.text))
        ):
            out[-1] = Token(prev.text + tok.text, prev.start, tok.end, "odd")
        else:
            out.append(tok)
    return out


_GLUED = re.compile(r"^([^\W\d_]{2,})(\d+)([^\W\d_]*)$")
_COLON_NUMBER = re.compile(r"^([^\W_]*[^\W\d_][^\W_]*):(\d+)$")


def split_glued(
    tokens: list[Token], score: Callable[[str], float | None]
) -> tuple[list[Token], list[int]]:
    """Re-segment tokens OCR glued together, and say where a space belongs (issue 11).

    On real scans the day written into a printed date line is read glued to its word
    (`ngay23`, `ngay22thang`), the number after the printed `Số:` glued to it (`S6:445`),
    and two syllables lose the space between them (`Véviée`, Về việc). An English-model token
    mixing letters and digits is usually one word whose marks came out as digits (`s6` số,
    `mé6t` một, `ng6i` người): a token is split only when `score` (the channel's best reading
    the language model knows, as a log-prob, or None) finds no reading for it whole but does
    for each part; of two words, the cut whose parts read best is taken. Returns the tokens
    and the offsets where a space is to be inserted."""
    out: list[Token] = []
    gaps: list[int] = []
    for tok in tokens:
        parts = None
        if tok.kind == "odd":
            parts = _glued_parts(tok, score)
        elif tok.kind == "word" and len(tok.text) >= 2 * MIN_PART:
            parts = _two_words(tok, score)
        if not parts:
            out.append(tok)
            continue
        out.extend(parts)
        gaps.extend(b.start for b in parts[1:] if b.kind != "punct")
    return out, gaps


MIN_PART = 2  # letters of the shorter syllable a glued word is cut into


def _two_words(tok: Token, score: Callable[[str], float | None]) -> list[Token] | None:
    """Two syllables read as one word: lower case or capitalised (not an acronym, `PCTNTC`),
    with a mark the English model drew (`Véviée`; a plain-ASCII token may be a Latin word)."""
    text = tok.text
    if not text[1:].islower() or text.isascii() or score(text) is not None:
        return None
    best: tuple[float, int] | None = None
    for cut in range(MIN_PART, len(tok.text) - MIN_PART + 1):
        left, right = score(tok.text[:cut]), score(tok.text[cut:])
        if left is not None and right is not None and (best is None or left + right > best[0]):
            best = (left + right, cut)
    if best is None:
        return None
    at = tok.start + best[1]
    return [
        Token(tok.text[: best[1]], tok.start, at, "word"),
        Token(tok.text[best[1] :], at, tok.end, "word"),
    ]


def _glued_parts(tok: Token, score: Callable[[str], float | None]) -> list[Token] | None:
    s = tok.start
    m = _COLON_NUMBER.match(tok.text)
    if m:
        head, num = m.group(1), m.group(2)
        a = s + len(head)
        return [
            Token(head, s, a, core_kind(head)),
            Token(":", a, a + 1, "punct"),
            Token(num, a + 1, tok.end, "num"),
        ]
    m = _GLUED.match(tok.text)
    if not m or score(tok.text) is not None or score(m.group(1)) is None:
        return None
    word, num, tail = m.groups()
    if tail and score(tail) is None:
        return None
    a, b = s + len(word), s + len(word) + len(num)
    parts = [Token(word, s, a, "word"), Token(num, a, b, "num")]
    return parts + [Token(tail, b, tok.end, "word")] if tail else parts


_ITEM_DASH = re.compile(r"^\s*([~—–-]{1,2})(?=\s?[^\W\d_])")


def item_dash(line: str) -> tuple[int, int, str] | None:
    """The dash opening a list item as English-model OCR reads it, and what it should read:
    a list item opens with a dash (`-` or `–`, Nghị định 30/2020) and no list opens with a
    tilde or an em dash, so `~`, `—`, `~—` there are the item dash `–` misread; a dash glued
    to the item's first word gets its space (`—Ghi nhận` -> `– Ghi nhận`). Returns (start,
    end, replacement) of the dash, or None where the line opens with no item dash to mend;
    longer runs are a rule under a header, not a dash."""
    m = _ITEM_DASH.match(line)
    if not m:
        return None
    dash = m.group(1)
    glued = not line[m.end(1)].isspace()
    if dash in ("-", "–") and not glued:
        return None
    new = (dash if dash in ("-", "–") else "–") + (" " if glued else "")
    return m.start(1), m.end(1), new
