"""OCR word errors by class: tone mark, punctuation, letter, word lost, word added, reading order.

Built on the page matching of `pipeline.metrics.page_alignment` (issue 11), so the classes of a
page add up to the word errors its WER counts: inside each matched line the words are aligned
by Levenshtein opcodes; a substituted word is a *tone-mark* error when its letters are the same
once diacritics are stripped (`cô`/`cổ`, `dược`/`được`), a *punctuation* error when only its
punctuation differs (`trách.`/`trách,`), else a *letter* error; words only in the truth are
*lost*, words only in the OCR text (and OCR text no line claimed) *added*. *Reading order* is
counted apart (it costs no WER): the truth lines read out of printed order, i.e. the matched
lines outside the longest run whose OCR positions increase.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections import Counter

from rapidfuzz.distance import Levenshtein

from .metrics import page_alignment
from .textnorm import strip_diacritics

CLASSES = ("tone", "punct", "letter", "lost", "added")


_PUNCT = ".,;:!?…()[]\"'“”‘’-–—/"


def _letters(word: str) -> str:
    """The word without punctuation marks; OCR debris (`#găn`, `ølao`) stays, it is a glyph."""
    return "".join(ch for ch in word if ch not in _PUNCT and unicodedata.category(ch)[0] != "Z")


def word_class(truth: str, found: str) -> str:
    """The class of one substituted word (see the module docstring)."""
    a, b = _letters(truth), _letters(found)
    if a == b:
        return "punct"
    if a and strip_diacritics(a) == strip_diacritics(b):
        return "tone"
    return "letter"


def line_classes(truth: str, found: str) -> Counter[str]:
    """Word errors of one matched line by class; they sum to the line's word edit distance."""
    t, h = truth.split(), found.split()
    out: Counter[str] = Counter()
    for block in Levenshtein.opcodes(t, h):
        if block.tag == "equal":
            continue
        a0, a1, b0, b1 = block.src_start, block.src_end, block.dest_start, block.dest_end
        pairs = min(a1 - a0, b1 - b0)
        for k in range(pairs):
            out[word_class(t[a0 + k], h[b0 + k])] += 1
        out["lost"] += (a1 - a0) - pairs
        out["added"] += (b1 - b0) - pairs
    return out


def out_of_order(starts: list[int]) -> int:
    """How many positions lie outside the longest strictly increasing run (LIS)."""
    tails: list[int] = []
    for s in starts:
        k = bisect.bisect_left(tails, s)
        if k == len(tails):
            tails.append(s)
        else:
            tails[k] = s
    return len(starts) - len(tails)


def page_classes(
    truth_lines: list[str], hyp_lines: list[str], ignore: tuple[str, ...] = ()
) -> Counter[str]:
    """Word errors of a page by class (the five `CLASSES` sum to its word errors), plus
    `order`: truth lines read out of printed order (a count of lines, not of word errors);
    `ignore` as in `page_alignment`."""
    al = page_alignment(truth_lines, hyp_lines, ignore)
    out: Counter[str] = Counter({c: 0 for c in CLASSES})
    for m in al.matches:
        if m.start < 0:
            out["lost"] += len(m.truth.split())
        else:
            out.update(line_classes(m.truth, m.found))
    out["added"] += len(al.leftover)
    out["order"] = out_of_order([m.start for m in al.matches if m.start >= 0])
    return out
