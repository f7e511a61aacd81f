"""Decide how much repair a text needs, from cheap statistics of its words."""

from __future__ import annotations

import re

from pipeline.restore.syllables import is_syllable_key
from pipeline.restore.tokens import Token, tokenize
from pipeline.textnorm import has_diacritics, is_vietnamese_syllable

MIN_SYLLABLE_SHARE = 0.6  # below this the text is not Vietnamese: leave it alone
MIN_MARKED_SHARE = (
    0.3  # typed Vietnamese marks ~half its syllables; stripped or legacy OCR far fewer
)
MAX_ODD_SHARE = 0.03  # `s6`, `K&`, `hi¢n`: English-model OCR of Vietnamese


def _word_stats(lines: list[list[Token]]) -> tuple[int, int, int, int]:
    """(words, OCR debris tokens, plausible syllables, words with diacritics); acronyms that
    are no syllable (`UBND`, `TTg`) are not counted at all."""
    words = odd = valid = marked = 0
    for tokens in lines:
        for tok in tokens:
            if tok.kind == "odd" and is_debris(tok.text):
                odd += 1
            elif tok.kind == "word":
                low = tok.text.lower()
                ok = is_vietnamese_syllable(low) if has_diacritics(low) else _strippable(low)
                if not ok and any(c.isupper() for c in tok.text[1:]):
                    continue
                words += 1
                valid += ok
                marked += has_diacritics(low)
    return words, odd, valid, marked


def _strippable(word: str) -> bool:
    return is_syllable_key(word)


def tokenize_lines(text: str) -> list[list[Token]]:
    return [tokenize(line) for line in text.split("\n")]


_DEBRIS = re.compile(r"[&¢@#$%*?¥§£€]|[a-zà-ỹ]\d|\d[a-zà-ỹ]")


def is_debris(token: str) -> bool:
    """English-model OCR leftovers (`s6`, `t0i`, `1ap`, `K&`, `hi¢n`); not `3G` or `A4`."""
    return bool(_DEBRIS.search(token))


def detect_mode(text: str | list[list[Token]]) -> str:
    """`full`: no diacritics or legacy-OCR-looking; `conservative`: good vie OCR; `none`: other."""
    lines = tokenize_lines(text) if isinstance(text, str) else text
    words, odd, valid, marked = _word_stats(lines)
    if words == 0 or valid < MIN_SYLLABLE_SHARE * words:
        return "none"
    if marked < MIN_MARKED_SHARE * words or odd > MAX_ODD_SHARE * (words + odd):
        return "full"
    return "conservative"


def channel_flavor(lines: list[list[Token]]) -> str:
    """`strip` when the text carries no diacritics and no OCR debris at all, else `legacy`."""
    words = odd = marked = 0
    for tokens in lines:
        for tok in tokens:
            if tok.kind == "word":
                words += 1
                marked += has_diacritics(tok.text)
            elif tok.kind == "odd" and is_debris(tok.text):
                odd += 1
    return "strip" if marked == 0 and odd <= 0.005 * max(words, 1) else "legacy"
