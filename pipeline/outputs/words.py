"""A line's final words with boxes: our repaired text aligned to the reader's word boxes.

`Line.text` is the text after repair; `Line.words` are what the reader saw (raw text, box,
confidence). Repair changes a word's letters, seldom the word count, so the two sequences align
token for token almost always; where they do not (a repair that split or glued words), the raw
words' joint box is shared among the final tokens in proportion to their length. A table row
read cell by cell has no word boxes: its words are wrapped inside each cell's box. The searchable
PDF, ALTO and hOCR all place OUR text this way, and ALTO keeps the raw word as its ALTERNATIVE.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from ..types import Box, Line, Page, TableCell, Word


@dataclass(frozen=True)
class PlacedWord:
    text: str  # final text (after repair)
    box: Box | None
    conf: float  # 0-100
    raw: str | None  # what the reader read, when it differs from `text`


@dataclass(frozen=True)
class PlacedLine:
    box: Box | None
    words: list[PlacedWord]


def line_tokens(line: Line) -> list[str]:
    return line.text.split()


def placed_lines(page: Page, index: int) -> list[PlacedLine]:
    """Line `index` of `page` as printed lines of placed words: itself, or, for a table row read
    cell by cell (its text is the cells joined by tabs, with no word boxes), each cell's words
    wrapped over the cell's own box. The words, in order, are always the line's tokens."""
    line = page.lines[index]
    cells = _row_cells(page, index) if line.region == "table" and not line.words else []
    parts = line.text.split("\t")
    if not cells or len(cells) != len(parts):
        return [PlacedLine(line.box, place_words(line))]
    height = _body_line_height(page)
    out: list[PlacedLine] = []
    for part, cell in zip(parts, cells, strict=True):
        tokens = part.split()
        if not tokens:
            continue
        if cell.box is None:
            out.append(PlacedLine(None, _spread(tokens, None, cell.conf, None)))
        else:
            out += _wrap(tokens, cell, height)
    return out


def _row_cells(page: Page, index: int) -> list[TableCell]:
    for table in page.tables:
        row = index - table.first_line
        if 0 <= row < table.n_rows:
            return sorted((c for c in table.cells if c.row == row), key=lambda c: c.col)
    return []


def _body_line_height(page: Page) -> float:
    heights = sorted(ln.box.height for ln in page.lines if ln.words and ln.box)
    return float(heights[len(heights) // 2]) if heights else (page.dpi or 300) / 6


def _wrap(tokens: list[str], cell: TableCell, height: float) -> list[PlacedLine]:
    """A cell's tokens filled into lines as wide as the cell, the block centred in it: where
    the printed lines are is not recorded, this puts each word within a line or two of it."""
    assert cell.box is not None
    box, pad = cell.box, height * 0.2
    char_w = height * 0.42  # a Times letter is about 0.42 of a line's height at 13-14 pt
    per_line = max(1, int((box.width - 2 * pad) / char_w))
    lines: list[list[str]] = [[]]
    for t in tokens:
        if lines[-1] and len(" ".join([*lines[-1], t])) > per_line:
            lines.append([])
        lines[-1].append(t)
    step = min(height, box.height / len(lines))
    top = box.cy - step * len(lines) / 2
    out = []
    for k, words in enumerate(lines):
        width = min(box.width - 2 * pad, len(" ".join(words)) * char_w)
        y0 = round(top + k * step)
        sub = Box(
            x0=round(box.x0 + pad), y0=y0, x1=round(box.x0 + pad + width), y1=round(y0 + step * 0.9)
        )
        out.append(PlacedLine(sub, _spread(words, sub, cell.conf, None)))
    return out


def place_words(line: Line) -> list[PlacedWord]:
    """The final tokens of `line`, in order, each with a box and confidence where known."""
    tokens = line_tokens(line)
    words = [w for w in line.words if w.text.strip()]
    if not words:
        return _spread(tokens, line.box, line.conf, None)
    if len(words) == len(tokens):
        return [_placed(t, w) for t, w in zip(tokens, words, strict=True)]
    out: list[PlacedWord] = []
    matcher = SequenceMatcher(a=[w.text for w in words], b=tokens, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and a1 - a0 == b1 - b0):
            out += [_placed(t, w) for t, w in zip(tokens[b0:b1], words[a0:a1], strict=True)]
        elif op in ("replace", "insert"):
            group = words[a0:a1]
            box = Box.enclosing([w.box for w in group if w.box]) if group else _gap(out, line)
            conf = min((w.conf for w in group), default=line.conf)
            raw = " ".join(w.text for w in group) or None
            out += _spread(tokens[b0:b1], box, conf, raw)
    return out


def _placed(token: str, word: Word) -> PlacedWord:
    return PlacedWord(token, word.box, word.conf, word.text if word.text != token else None)


def _gap(done: list[PlacedWord], line: Line) -> Box | None:
    """Where inserted tokens go: just after the last placed word, else the line's start."""
    last = next((p.box for p in reversed(done) if p.box), None)
    ref = last or line.box
    if ref is None:
        return None
    x = ref.x1 if last else ref.x0
    return Box(x0=x, y0=ref.y0, x1=x + max(1, ref.height // 2), y1=ref.y1)


def _spread(tokens: list[str], box: Box | None, conf: float, raw: str | None) -> list[PlacedWord]:
    """Tokens laid side by side over `box`, each as wide as its share of the letters."""
    if not tokens:
        return []
    if box is None:
        return [PlacedWord(t, None, conf, raw if i == 0 else None) for i, t in enumerate(tokens)]
    total = sum(len(t) + 1 for t in tokens) - 1
    out, pos = [], 0
    for i, t in enumerate(tokens):
        x0 = box.x0 + box.width * pos / total
        pos += len(t)
        x1 = box.x0 + box.width * pos / total
        pos += 1
        b = Box(x0=round(x0), y0=box.y0, x1=max(round(x1), round(x0) + 1), y1=box.y1)
        out.append(PlacedWord(t, b, conf, raw if i == 0 else None))
    return out
