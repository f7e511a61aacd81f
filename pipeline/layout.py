"""OCR words -> lines, tables and reading order.

Official documents (Nghị định 30/2020, Phụ lục I) open with two columns side by side: issuing
agency, number and V/v on the left; the national motto, place and date on the right. They close the
same way: Nơi nhận on the left, the signature block on the right. Tesseract reads such rows straight
across, interleaving the columns; we find each two-column zone by a shared vertical gutter and read
its left column before its right one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .grid import Grid
from .ocr import OcrWord
from .types import Box, Line, Region, Table, TableCell, Word


@dataclass(frozen=True)
class Segment:
    """A run of words on one printed row with no wide gap inside."""

    words: tuple[OcrWord, ...]
    box: Box

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def _inside(box: Box, area: Box) -> bool:
    return area.x0 <= box.cx <= area.x1 and area.y0 <= box.cy <= area.y1


def split_segments(words: list[OcrWord], min_gap: float = 40) -> list[Segment]:
    """Group words by Tesseract's line keys, then cut each line at gaps much wider than a space."""
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in words:
        lines.setdefault((w.block, w.par, w.line), []).append(w)
    segments = []
    for ws in lines.values():
        ws = sorted(ws, key=lambda w: w.box.x0)
        height = sorted(w.box.height for w in ws)[len(ws) // 2]
        current = [ws[0]]
        for prev, w in zip(ws, ws[1:], strict=False):
            if w.box.x0 - prev.box.x1 > max(1.5 * height, min_gap):
                segments.append(_segment(current))
                current = []
            current.append(w)
        segments.append(_segment(current))
    return segments


def _segment(words: list[OcrWord]) -> Segment:
    box = Box.enclosing([w.box for w in words])
    assert box is not None
    return Segment(words=tuple(words), box=box)


def group_rows(segments: list[Segment]) -> list[list[Segment]]:
    """Rows of segments that overlap vertically by at least half the smaller height."""
    rows: list[list[Segment]] = []
    for seg in sorted(segments, key=lambda s: s.box.cy):
        if rows:
            last = rows[-1]
            top = min(s.box.y0 for s in last)
            bottom = max(s.box.y1 for s in last)
            overlap = min(bottom, seg.box.y1) - max(top, seg.box.y0)
            if overlap > 0.5 * min(seg.box.height, bottom - top):
                last.append(seg)
                continue
        rows.append([seg])
    return [sorted(r, key=lambda s: s.box.x0) for r in rows]


def _respects(row: list[Segment], gutter: int) -> bool:
    return all(not (s.box.x0 < gutter < s.box.x1) for s in row)


def _sides(row: list[Segment], gutter: int) -> tuple[bool, bool]:
    return any(s.box.x1 <= gutter for s in row), any(s.box.x0 >= gutter for s in row)


def _trim_centred_tail(
    rows: list[list[Segment]], start: int, end: int, gutter: int, width: int
) -> int:
    """End a zone before a page-centred row after its last two-column row: the document type and
    title are centred on the page, while right-column lines are centred in their column."""
    both = [k for k in range(start, end) if all(_sides(rows[k], gutter))]
    if not both:
        return end
    for k in range(both[-1] + 1, end):
        left, right = _sides(rows[k], gutter)
        centred = all(abs(s.box.cx - width / 2) < 0.08 * width for s in rows[k])
        if right and not left and centred:
            return k
    return end


def column_zones(rows: list[list[Segment]], width: int) -> list[tuple[int, int, int]]:
    """(first row, last row, gutter x) of each two-column zone, longest zones first chosen."""
    candidates = []
    for gutter in range(int(width * 0.25), int(width * 0.75), max(width // 100, 1)):
        start = None
        for i, row in enumerate([*rows, None]):
            if row is not None and _respects(row, gutter):
                start = i if start is None else start
                continue
            if start is not None:
                i = _trim_centred_tail(rows, start, i, gutter, width)
                zone = rows[start:i]
                lefts = sum(_sides(r, gutter)[0] for r in zone)
                rights = sum(_sides(r, gutter)[1] for r in zone)
                both = sum(all(_sides(r, gutter)) for r in zone)
                if lefts >= 2 and rights >= 2 and both >= 1:
                    candidates.append((i - start, both, start, i - 1, gutter))
                start = None
    chosen: list[tuple[int, int, int]] = []
    taken: set[int] = set()
    for _, _, a, b, g in sorted(candidates, key=lambda c: (-c[0], -c[1], c[4])):
        if taken.isdisjoint(range(a, b + 1)):
            chosen.append((a, b, g))
            taken.update(range(a, b + 1))
    return sorted(chosen)


def reading_order(
    segments: list[Segment], width: int, page_height: int
) -> list[tuple[Segment, Region]]:
    """Segments in reading order with their region; two-column zones read left then right."""
    rows = group_rows(segments)
    zones = {a: (b, g) for a, b, g in column_zones(rows, width)}
    out: list[tuple[Segment, Region]] = []
    i = 0
    while i < len(rows):
        if i in zones:
            last, gutter = zones[i]
            zone = rows[i : last + 1]
            top_half = zone[0][0].box.y0 < page_height / 2
            left: Region = "header_left" if top_half else "body"
            right: Region = "header_right" if top_half else "body"
            out += [(s, left) for r in zone for s in r if s.box.x1 <= gutter]
            out += [(s, right) for r in zone for s in r if s.box.x0 >= gutter]
            i = last + 1
            continue
        out += [(s, "body") for s in rows[i]]
        i += 1
    return out


def _line(words: list[OcrWord], region: Region, block: int) -> Line:
    text = " ".join(w.text for w in words)
    conf = sum(w.conf for w in words) / len(words) if words else 100.0
    return Line(
        text=text,
        raw_text=text,
        words=[
            Word(text=w.text, box=w.box, conf=w.conf, alternatives=list(w.alternatives))
            for w in words
        ],
        box=Box.enclosing([w.box for w in words]),
        block=block,
        region=region,
        conf=round(conf, 2),
    )


def fill_cells(grid: Grid, words: list[OcrWord]) -> Table:
    """Drop words into the cells that contain their centres; cell text reads top-down, left-right."""
    cells = []
    for cell in grid.cells:
        inside = [w for w in words if _inside(w.box, cell.box)]
        rows = group_rows([_segment([w]) for w in inside])
        text = " ".join(s.text for r in rows for s in r)
        conf = sum(w.conf for w in inside) / len(inside) if inside else 100.0
        cells.append(
            TableCell(
                row=cell.row,
                col=cell.col,
                row_span=cell.row_span,
                col_span=cell.col_span,
                text=text,
                box=cell.box,
                conf=round(conf, 2),
            )
        )
    return Table(n_rows=len(grid.rows) - 1, n_cols=len(grid.cols) - 1, cells=cells, box=grid.box)


def table_lines(table: Table, block: int) -> list[Line]:
    """One line per table row, cells joined by tabs (the text form the text reader accepts)."""
    lines = []
    for r in range(table.n_rows):
        row = sorted((c for c in table.cells if c.row == r), key=lambda c: c.col)
        if not row:
            continue
        text = "\t".join(c.text for c in row)
        box = Box.enclosing([c.box for c in row if c.box])
        conf = sum(c.conf for c in row) / len(row)
        lines.append(
            Line(
                text=text, raw_text=text, box=box, block=block, region="table", conf=round(conf, 2)
            )
        )
    return lines


def build_lines(
    words: list[OcrWord], grids: list[Grid], width: int, height: int, min_gap: float = 40
) -> tuple[list[Line], list[Table]]:
    """Lines in reading order, with each table's rows placed where the table sits on the page."""
    in_table = [any(_inside(w.box, g.box) for g in grids) for w in words]
    free = [w for w, t in zip(words, in_table, strict=True) if not t]
    tables = [fill_cells(g, [w for w in words if _inside(w.box, g.box)]) for g in grids]
    ordered = reading_order(split_segments(free, min_gap), width, height) if free else []
    lines: list[Line] = []
    pending = sorted(tables, key=lambda t: t.box.y0 if t.box else 0)
    placed: list[Table] = []
    for seg, region in ordered:
        while pending and pending[0].box and pending[0].box.y0 < seg.box.y0 and region == "body":
            placed.append(_place(pending.pop(0), lines))
        lines.append(_line(list(seg.words), region, seg.words[0].block))
    while pending:
        placed.append(_place(pending.pop(0), lines))
    return mark_page_numbers(lines, width, height), placed


_PAGE_NUMBER = re.compile(r"^[-–(\[]?\s*\d{1,3}\s*[-–)\]]?$")


def mark_page_numbers(lines: list[Line], width: int, height: int) -> list[Line]:
    """A lone number at the very top or bottom of the page is its page number (Nghị định 30/2020
    prints it centred in the top margin from page 2): region "margin", out of the body text. A
    one- or two-glyph token centred there counts too: OCR reads a small `3` as `s` or `B`."""
    out = list(lines)
    for i in (0, len(out) - 1) if out else ():
        line = out[i]
        text = line.text.strip()
        if line.box is None or not (_PAGE_NUMBER.match(text) or len(text) <= 2):
            continue
        centred = abs(line.box.cx - width / 2) < 0.1 * width
        if not (_PAGE_NUMBER.match(text) or centred):
            continue
        if line.box.y1 < 0.12 * height or line.box.y0 > 0.9 * height:
            out[i] = line.model_copy(update={"region": "margin"})
    return out


def _place(table: Table, lines: list[Line]) -> Table:
    first = len(lines)
    lines.extend(table_lines(table, block=-1))
    return table.model_copy(update={"first_line": first})
