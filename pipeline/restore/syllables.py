"""Syllable-level helpers: the diacritic-free key, tone-mark placement style, case transfer.

Tone placement: Vietnamese writes the tone of the open rhymes oa, oe, uy either on the first vowel
("old" style: hòa, khỏe, thủy) or on the second ("new" style: hoà, khoẻ, thuỷ). The Pháp điển and
the real plans in ../shared/realdocs use the old style about 10:1 (hòa 5,345 vs hoà 579; thủy 16,105
vs thuỷ 959), and it is what Nghị định 30/2020 documents are typed in, so "old" is the default.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Literal

from pipeline.textnorm import strip_diacritics, strip_tone

ToneStyle = Literal["old", "new"]

# The three rhymes whose tone position differs between styles (only when nothing follows them).
_SWING_RHYMES = ("oa", "oe", "uy")
_ONSETS = [
    "ngh",
    "ng",
    "nh",
    "ch",
    "gh",
    "gi",
    "kh",
    "ph",
    "qu",
    "th",
    "tr",
    "b",
    "c",
    "d",
    "đ",
    "g",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "x",
]


def syllable_key(token: str) -> str:
    """Lower-case, diacritic-free form shared by all readings of a syllable: `Kế` -> `ke`."""
    return strip_diacritics(token).lower()


def _split_onset(base: str) -> tuple[str, str]:
    for onset in _ONSETS:
        if base.startswith(onset) and len(base) > len(onset):
            return onset, base[len(onset) :]
    return "", base


@lru_cache(maxsize=65536)
def normalize_tone(syllable: str, style: ToneStyle = "old") -> str:
    """Place the tone of a lower-case oa/oe/uy syllable the `style` way; others are unchanged."""
    base, tone = strip_tone(syllable)
    if not tone:
        return syllable
    onset, rhyme = _split_onset(base)
    if rhyme not in _SWING_RHYMES:
        return syllable
    pos = len(onset) + (0 if style == "old" else 1)
    chars = list(base)
    chars[pos] = unicodedata.normalize("NFC", chars[pos] + tone)
    return "".join(chars)


def normalize_word(word: str, style: ToneStyle = "old") -> str:
    """`normalize_tone` for a word in any case: `HOÀ` -> `HÒA`, `Thuỷ` -> `Thủy`."""
    low = word.lower()
    norm = normalize_tone(low, style)
    return word if norm == low else transfer_case(word, norm)


def transfer_case(pattern: str, word: str) -> str:
    """Give `word` the capitalization of `pattern`: per letter when lengths match, else by shape."""
    if pattern.islower() or not pattern:
        return word
    if len(pattern) == len(word):
        return "".join(c.upper() if p.isupper() else c for p, c in zip(pattern, word, strict=True))
    if pattern.isupper() and len(pattern) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if pattern[0].isupper() else word


def _stripped_rhymes() -> frozenset[str]:
    from pipeline.textnorm import _RHYMES

    return frozenset(strip_diacritics(r) for r in _RHYMES)


_KEY_RHYMES = _stripped_rhymes()
_KEY_ONSETS = sorted({strip_diacritics(o) for o in _ONSETS}, key=len, reverse=True)


def is_syllable_key(word: str) -> bool:
    """True when some Vietnamese syllable strips to `word` (`hoach`, `thuc`, `nguoi`; not `and`)."""
    low = word.lower()
    if not low.isascii() or not low.isalpha():
        return False
    for onset in [*_KEY_ONSETS, ""]:
        if low.startswith(onset):
            rhyme = low[len(onset) :]
            if rhyme in _KEY_RHYMES or (
                onset == "gi" and (rhyme == "" or "i" + rhyme in _KEY_RHYMES)
            ):
                return True
    return False
