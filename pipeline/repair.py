"""The text-repair seam: pages in, pages with repaired `Line.text` out (raw text kept).

The restorer itself (diacritics restoration and OCR post-correction) lives in `pipeline.restore`
and is chosen by name (`Settings.restorer`): "none" leaves text as read, "auto" uses the committed
model when it is present. Only changes to page lines are reported; cell repairs mirror them.
"""

from __future__ import annotations

import inspect
import unicodedata
from functools import lru_cache
from typing import Any, Protocol, cast

from .debris import debris_fixes
from .punctuation import punctuation_fixes
from .restore.model import Change
from .restore.syllables import normalize_word
from .textnorm import is_vietnamese_syllable, strip_diacritics
from .types import Line, Page


class Restoration(Protocol):
    text: str
    changes: list[Any]
    mode: str


class TextRestorer(Protocol):
    def restore(self, text: str, mode: str = "auto") -> Restoration: ...


@lru_cache(maxsize=4)
def get_restorer(name: str) -> TextRestorer | None:
    """The named restorer, or None for "none" (and for "auto" when no model is installed)."""
    if name == "none":
        return None
    try:
        from .restore import load_restorer
    except ImportError:
        if name == "auto":
            return None
        raise
    try:
        return cast(TextRestorer, load_restorer())
    except FileNotFoundError:
        if name == "auto":
            return None
        raise


def repair_pages(
    pages: list[Page],
    restorer: TextRestorer | None,
    mode: str = "auto",
    max_conf: float = 95.0,
    add_marks: bool = True,
    punctuation: bool = True,
    drop_debris: bool = True,
) -> tuple[list[Page], list[dict[str, Any]]]:
    """Repair every page's lines; return the new pages and one record per changed token.

    On good OCR (the restorer's "conservative" mode) a change is kept only where the reader was
    unsure of the token (word confidence under `max_conf`) or the token is not a Vietnamese
    syllable at all: a confidently read, well-formed word is what was printed (issue 4: never
    make good text worse). Two exceptions, from real photocopies (issue 11): with `add_marks`,
    a change that only adds marks the small print lost (`tô` -> `tổ`, `kiêm` -> `kiểm`,
    `dược` -> `được`) passes the gate, since there Tesseract is confident and wrong; and a
    change that only moves a tone mark (`HOÀ` -> `HÒA`) is never made, the printed form is
    the text. With `punctuation`, commas read as periods and legal bases missing their `;`
    are fixed too (`pipeline.punctuation`), listed with mode "punctuation". With `drop_debris`,
    lines that are only seal or stamp specks read as glyphs are emptied (`pipeline.debris`),
    listed with mode "debris".
    """
    if restorer is None:
        return pages, []
    out, repairs = [], []
    for page in pages:
        if not page.lines:
            out.append(page)
            continue
        # Cells go through the restorer as extra lines after the page's own lines, so a table's
        # grid and its row lines are repaired alike whatever form the rows were written in.
        cells = [c for t in page.tables for c in t.cells]
        texts = [line.raw_text for line in page.lines] + [c.text.replace("\n", " ") for c in cells]
        offered = _alternatives(page.lines)
        if offered and _takes_alternatives(restorer):
            fed = cast(Any, restorer)  # the Protocol's restore takes no alternatives
            result = fed.restore("\n".join(texts), mode=mode, alternatives=offered)
        else:
            result = restorer.restore("\n".join(texts), mode=mode)
        if len(result.text.split("\n")) != len(texts):  # line breaks must survive; never guess
            out.append(page.model_copy(update={"warnings": [*page.warnings, "repair skipped"]}))
            continue
        confs = [_word_confs(line) for line in page.lines] + [[(0, 10**9, c.conf)] for c in cells]
        kept = [
            c
            for c in result.changes
            if not _placement_only(c)
            and (
                result.mode != "conservative"
                or _unsure(c, confs[c.line], max_conf)
                or (add_marks and adds_marks(c.original, c.replacement))
                or _was_offered(c, offered)
            )
        ]
        n = len(page.lines)
        punct = punctuation_fixes(texts[:n]) if punctuation and result.mode != "none" else []
        debris = debris_fixes(page.lines) if drop_debris and result.mode != "none" else []
        emptied = {d.line for d in debris}
        kept = [c for c in kept if c.line not in emptied]
        punct = [f for f in punct if f.line not in emptied]
        new_texts = _apply(texts, [*kept, *punct, *debris])
        lines = [
            line.model_copy(update={"text": text})
            for line, text in zip(page.lines, new_texts[:n], strict=True)
        ]
        fixed = iter(new_texts[n:])
        tables = [
            t.model_copy(
                update={"cells": [c.model_copy(update={"text": next(fixed)}) for c in t.cells]}
            )
            for t in page.tables
        ]
        out.append(page.model_copy(update={"lines": lines, "tables": tables}))
        repairs += [_change_record(page.number, c, result.mode) for c in kept if c.line < n]
        repairs += [_change_record(page.number, f, "punctuation") for f in punct]
        repairs += [_change_record(page.number, d, "debris") for d in debris]
    return out, repairs


def _takes_alternatives(restorer: TextRestorer) -> bool:
    try:
        return "alternatives" in inspect.signature(restorer.restore).parameters
    except (TypeError, ValueError):
        return False


def _core(word: str) -> tuple[int, str]:
    """Offset and text of a word without the punctuation around it (`tô,` -> (0, `tô`))."""
    start = next((i for i, ch in enumerate(word) if ch.isalnum()), len(word))
    end = len(word)
    while end > start and not word[end - 1].isalnum():
        end -= 1
    return start, word[start:end]


def _alternatives(lines: list[Line]) -> dict[tuple[int, int], list[str]]:
    """The reader's other readings of each word (LSTM choices), keyed by (line, offset of the
    word's letters in the raw line): letters only, so a misread code is not re-spelt."""
    out: dict[tuple[int, int], list[str]] = {}
    for i, line in enumerate(lines):
        pos = 0
        for word in line.words:
            start = line.raw_text.find(word.text, pos)
            if start < 0:
                continue
            pos = start + len(word.text)
            offset, core = _core(word.text)
            if not word.alternatives or not core.isalpha():
                continue
            alts = [c for _, c in map(_core, word.alternatives) if c.isalpha() and c != core]
            if alts:
                out[(i, start + offset)] = list(dict.fromkeys(alts))
    return out


def _was_offered(change: Any, offered: dict[tuple[int, int], list[str]]) -> bool:
    """Whether the change picks a reading the OCR engine itself weighed for that word."""
    alts = offered.get((change.line, change.start), [])
    return normalize_word(change.replacement.lower()) in {normalize_word(a.lower()) for a in alts}


def _word_confs(line: Line) -> list[tuple[int, int, float]]:
    """(start, end, confidence) of each OCR word within the line's raw text."""
    spans, pos = [], 0
    for word in line.words:
        start = line.raw_text.find(word.text, pos)
        if start < 0:
            continue
        spans.append((start, start + len(word.text), word.conf))
        pos = start + len(word.text)
    return spans or [(0, 10**9, line.conf)]


def _unsure(change: Any, spans: list[tuple[int, int, float]], max_conf: float) -> bool:
    """Whether a conservative change touches a token the reader may have got wrong: read with
    low confidence, not a syllable, or capitals that lost their marks (Tesseract drops the hook
    and tilde above capitals, `UY BAN` for `ỦY BAN`, yet is confident)."""
    confs = [c for a, b, c in spans if a < change.end and change.start < b]
    low = min(confs) < max_conf if confs else False
    original = change.original
    caps_marks = original.isupper() and strip_diacritics(change.replacement) == original
    return low or caps_marks or not all(is_vietnamese_syllable(t) for t in original.split())


def _placement_only(change: Any) -> bool:
    """`HOÀ` -> `HÒA`, `thuỷ` -> `thủy`: the same syllable, its tone mark on another vowel."""
    return change.original != change.replacement and normalize_word(
        change.original
    ) == normalize_word(change.replacement)


def _marks(ch: str) -> set[str]:
    marks = set(unicodedata.normalize("NFD", ch)[1:])
    return marks | {"stroke"} if ch in "đĐ" else marks


def adds_marks(original: str, replacement: str) -> bool:
    """Whether `replacement` is `original` with marks added and none taken away or moved: the
    same letters, each keeping its own marks (`tô` -> `tổ`, `giam` -> `giảm`, `dược` ->
    `được`; not `thảo` -> `thao`, not `để` -> `đề`)."""
    a, b = original.lower(), replacement.lower()
    if a == b or len(a) != len(b) or strip_diacritics(a) != strip_diacritics(b):
        return False
    return all(_marks(x) <= _marks(y) for x, y in zip(a, b, strict=True))


def _apply(texts: list[str], changes: list[Change]) -> list[str]:
    """The texts with the kept changes applied (offsets are in the original texts)."""
    out = list(texts)
    for c in sorted(changes, key=lambda c: (c.line, c.start), reverse=True):
        line = out[c.line]
        if line[c.start : c.end] == c.original:
            out[c.line] = line[: c.start] + c.replacement + line[c.end :]
    return out


def _change_record(page: int, change: Change, mode: str) -> dict[str, Any]:
    return {
        "page": page,
        "line": change.line,
        "start": change.start,
        "end": change.end,
        "original": change.original,
        "replacement": change.replacement,
        "confidence": round(float(change.confidence), 4),
        "mode": mode,
    }
