"""OCR error rates (CER, WER) by Levenshtein distance, including an order-robust page score.

Reading order is a layout question, not a recognition one: raw Tesseract and the pipeline order
header columns and table cells differently, and a plain string distance would charge a moved line
as twice its length. `page_errors` therefore matches each truth line to the stretch of the OCR text
it best aligns with (wherever it sits), counts the edits inside that stretch, and charges every
OCR character left unmatched as an insertion; so a dropped line, a misread line and seal debris
read as text all cost what they should, while a line read correctly in another order costs nothing.
The idea follows the flexible character accuracy of Clausner et al. (ICDAR 2020), simplified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .textnorm import nfc

_SPACES = re.compile(r"\s+")
_USED = "\x00"  # marks OCR characters already claimed by a truth line


def normalize(text: str) -> str:
    """NFC, table separators dropped, an ellipsis as three periods (the same ink on paper),
    whitespace collapsed: what both sides are compared as."""
    return _SPACES.sub(" ", nfc(text).replace("|", " ").replace("…", "...")).strip()


def cer(truth: str, hyp: str) -> float:
    """Character error rate of `hyp` against `truth` after `normalize` (0 when both are empty)."""
    t, h = normalize(truth), normalize(hyp)
    return Levenshtein.distance(t, h) / max(len(t), 1) if (t or h) else 0.0


def wer(truth: str, hyp: str) -> float:
    t, h = normalize(truth).split(), normalize(hyp).split()
    return Levenshtein.distance(t, h) / max(len(t), 1) if (t or h) else 0.0


@dataclass(frozen=True)
class ErrorCounts:
    """Edits and totals, so pages can be pooled before dividing."""

    char_errors: int = 0
    chars: int = 0
    word_errors: int = 0
    words: int = 0

    @property
    def cer(self) -> float:
        return self.char_errors / max(self.chars, 1)

    @property
    def wer(self) -> float:
        return self.word_errors / max(self.words, 1)

    def __add__(self, other: ErrorCounts) -> ErrorCounts:
        return ErrorCounts(
            self.char_errors + other.char_errors,
            self.chars + other.chars,
            self.word_errors + other.word_errors,
            self.words + other.words,
        )


def _semiglobal_end(t: str, window: str, far: bool = False) -> tuple[int, int]:
    """Least edits turning `t` into some substring of `window` ending where; (distance, end).
    Of equally cheap ends, the nearest, or with `far` the farthest."""
    row = np.zeros(len(window) + 1, dtype=np.int32)  # free start anywhere in the window
    w = np.frombuffer(window.encode("utf-32-le"), dtype=np.uint32)
    idx = np.arange(len(window) + 1, dtype=np.int32)
    for i, ch in enumerate(t, start=1):
        sub = row[:-1] + (w != ord(ch))
        new = np.empty_like(row)
        new[0] = i
        new[1:] = np.minimum(sub, row[1:] + 1)
        row = np.minimum.accumulate(new - idx) + idx  # insertions along the row
    end = len(row) - 1 - int(np.argmin(row[::-1])) if far else int(np.argmin(row))
    return int(row[end]), end


def _best_span(t: str, hyp: str, wide: bool = False) -> tuple[int, int, int]:
    """(distance, start, end) of the stretch of `hyp` that `t` aligns with best; of equally
    good stretches the shortest, or with `wide` the longest."""
    al = fuzz.partial_ratio_alignment(t, hyp)
    if al is None or al.score == 0:
        return len(t), 0, 0
    pad = max(4, len(t) // 4)
    lo, hi = max(0, al.dest_start - pad), min(len(hyp), al.dest_end + pad)
    window = hyp[lo:hi]
    dist, end = _semiglobal_end(t, window, wide)
    _, rev_end = _semiglobal_end(t[::-1], window[:end][::-1], wide)
    return dist, lo + end - rev_end, lo + end


@dataclass(frozen=True)
class LineMatch:
    """A truth line and the stretch of OCR text it was matched to (`start` < 0: nothing
    resembling it was read, the line is lost)."""

    truth: str
    found: str
    start: int


@dataclass(frozen=True)
class PageAlignment:
    """How a page's truth lines were matched to the OCR text, and what was left unmatched."""

    errors: ErrorCounts
    matches: list[LineMatch]  # in printed order
    leftover: list[str]  # OCR words no truth line claimed (invented text, debris)
    ignored: tuple[str, ...] = ()  # OCR text read from `ignore` text, not charged


def page_errors(
    truth_lines: list[str], hyp_lines: list[str], ignore: tuple[str, ...] = ()
) -> ErrorCounts:
    """Order-robust edit counts of an OCR page (see the module docstring)."""
    return page_alignment(truth_lines, hyp_lines, ignore).errors


def page_alignment(
    truth_lines: list[str], hyp_lines: list[str], ignore: tuple[str, ...] = ()
) -> PageAlignment:
    """The matching behind `page_errors`.

    `ignore`: printed text the truth leaves out on purpose (a real scan's transcript omits
    stamps, signature overlays, handwriting; issue 11). OCR text left after the truth lines are
    matched that resembles it (a fragment within half its length in edits, or a word within a
    quarter of its letters of one of its words) is not charged: reading it is no error.

    Lines are matched greedily, and a greedy match can go wrong where a phrase recurs ("Nghị
    quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024" printed three times, cut differently): a line
    claims the span another line needed. And of two equally close stretches a line takes the
    shorter, leaving text it could have claimed at no cost to be charged again as invented (a
    handwritten number read inside `Số: 4@† /TTg-CĐS` cost `Số:` twice, as lost and as added);
    the longer can take a neighbour's words. Each such choice only over-counts, so the page is
    matched longest line first and in printed order, each once with the shortest stretches and
    once with the longest, widened to their OCR line's edges where that costs less than the
    edge text left behind (`_to_line_edges`), and the lowest count is kept.
    """
    norm = [t for t in (normalize(t) for t in truth_lines) if t]
    hyp = "\n".join(normalize(h) for h in hyp_lines)
    longest_first = sorted(norm, key=len, reverse=True)
    return min(
        (
            _charged(_greedy(order, hyp, wide), norm, ignore)
            for order in (longest_first, norm)
            for wide in (False, True)
        ),
        key=lambda a: (a.errors.char_errors, a.errors.word_errors),
    )


def _charged(greedy: PageAlignment, norm: list[str], ignore: tuple[str, ...]) -> PageAlignment:
    """A greedy matching in printed order, less what the ignored text accounts for."""
    by_truth: dict[str, list[LineMatch]] = {}
    for m in greedy.matches:
        by_truth.setdefault(m.truth, []).append(m)
    printed = [by_truth[t].pop(0) for t in norm]
    if not ignore:
        return PageAlignment(greedy.errors, printed, greedy.leftover)
    printed, inside, char_back, word_back = _forgive_inserted(printed, ignore)
    left, ignored = _drop_ignored(greedy.leftover, ignore)
    e = greedy.errors
    dropped = len(greedy.leftover) - len(left)
    errors = ErrorCounts(
        e.char_errors - sum(len(w) for w in ignored) - char_back,
        e.chars,
        e.word_errors - dropped - word_back,
        e.words,
    )
    return PageAlignment(errors, printed, left, tuple(inside + ignored))


def _forgive_inserted(
    matches: list[LineMatch], ignore: tuple[str, ...]
) -> tuple[list[LineMatch], list[str], int, int]:
    """A word the transcript leaves out on purpose and quotes whole (the handwritten day `23`
    written into `ngày … tháng`), read inside a printed line where the truth has nothing, is no
    error either: such words come out of the line's reading, and what they had cost comes back.
    Only whole one-word quotes, and only pure insertions: a word glued to it (`ngày23`) or read
    in a printed word's place is still charged."""
    words = {f for f in (normalize(f) for f in ignore) if f and " " not in f}
    out, inside, chars, errs = [], [], 0, 0
    for m in matches:
        found = m.found.split()
        truth = m.truth.split()
        drop = {
            j
            for op in Levenshtein.opcodes(truth, found)
            if op.tag == "insert"
            for j in range(op.dest_start, op.dest_end)
            if found[j] in words
        }
        if not drop:
            out.append(m)
            continue
        kept = " ".join(w for j, w in enumerate(found) if j not in drop)
        inside += [found[j] for j in sorted(drop)]
        chars += Levenshtein.distance(m.truth, m.found) - Levenshtein.distance(m.truth, kept)
        errs += Levenshtein.distance(truth, found) - Levenshtein.distance(truth, kept.split())
        out.append(LineMatch(m.truth, kept, m.start))
    return out, inside, chars, errs


def _drop_ignored(leftover: list[str], ignore: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Split unclaimed OCR words into those not resembling the ignored text and those that do."""
    frags = [f for f in (normalize(f) for f in ignore) if f]
    hyp = " ".join(leftover)
    for f in sorted(frags, key=len, reverse=True):
        if not hyp.strip(_USED + " "):
            break
        dist, start, end = _best_span(f, hyp)
        if dist <= len(f) // 2 and end > start:
            hyp = (
                hyp[:start] + "".join(c if c == " " else _USED for c in hyp[start:end]) + hyp[end:]
            )
    vocab = {w.lower() for f in frags for w in f.split()}
    left, ignored = [], []
    for word in hyp.split(" "):
        if not word:
            continue
        kept = word.replace(_USED, "")
        n_used = len(word) - len(kept)
        if n_used:
            ignored.append(_USED * n_used)
        if kept and n_used < len(kept) and not _near_word(kept.lower(), vocab):
            left.append(kept)
        elif kept:
            ignored.append(kept)
    return left, ignored


def _near_word(word: str, vocab: set[str]) -> bool:
    limit = len(word) // 4
    return word in vocab or any(
        Levenshtein.distance(word, v, score_cutoff=limit) <= limit for v in vocab
    )


def _greedy(truths: list[str], hyp: str, wide: bool) -> PageAlignment:
    char_err = word_err = 0
    matches = []
    for t in truths:
        dist, start, end = _best_span(t, hyp, wide) if hyp else (len(t), 0, 0)
        if wide and dist < len(t):
            dist, start, end = _to_line_edges(t, hyp, start, end)
        if dist >= len(t):  # nothing resembling this line was read: a deletion
            char_err += len(t)
            word_err += len(t.split())
            matches.append(LineMatch(t, "", -1))
            continue
        found = " ".join(hyp[start:end].replace(_USED, " ").split())
        char_err += dist
        word_err += Levenshtein.distance(t.split(), found.split())
        matches.append(LineMatch(t, found, start if found else -1))
        hyp = hyp[:start] + _USED * (end - start) + hyp[end:]
    left = [w for w in re.split(r"[\s\x00]+", hyp) if w]
    char_err += sum(len(w) for w in left)
    word_err += len(left)
    counts = ErrorCounts(
        char_err, sum(len(t) for t in truths), word_err, sum(len(t.split()) for t in truths)
    )
    return PageAlignment(counts, matches, left)


def _to_line_edges(t: str, hyp: str, start: int, end: int) -> tuple[int, int, int]:
    """The span widened to its OCR line's unclaimed edges where that costs less than leaving
    the edge text to be charged as invented: `Số: /TTg-CĐS` fits `4@† /TTg-CĐS` by three
    edits, but leaves `Số:` unclaimed; `Số: 4@† /TTg-CĐS` costs four and leaves nothing."""
    while start < end and (hyp[start] == _USED or hyp[start].isspace()):
        start += 1  # text another line claimed is not this line's to claim again
    while end > start and (hyp[end - 1] == _USED or hyp[end - 1].isspace()):
        end -= 1
    lo = max(hyp.rfind("\n", 0, start), hyp.rfind(_USED, 0, start)) + 1
    ends = [i for i in (hyp.find("\n", end), hyp.find(_USED, end)) if i >= 0]
    hi = min(ends, default=len(hyp))

    def stranded(a: int, b: int) -> int:
        return sum(not c.isspace() for c in hyp[lo:a] + hyp[b:hi])

    best = (Levenshtein.distance(t, hyp[start:end]) + stranded(start, end), start, end)
    for a, b in ((lo, end), (start, hi), (lo, hi)):
        cost = Levenshtein.distance(t, hyp[a:b]) + stranded(a, b)
        if cost < best[0]:
            best = (cost, a, b)
    _, a, b = best
    return Levenshtein.distance(t, hyp[a:b]), a, b
