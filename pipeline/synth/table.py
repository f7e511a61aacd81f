"""Ruled appendix tables: column widths from content, wrapped cells, rows continued across pages.

As in Word output of appendix tables: every cell border drawn, header row bold and centred, a row
that does not fit moves to the next page and the header row is repeated there.
"""

from __future__ import annotations

import re

from pipeline.synth.canvas import Flow
from pipeline.synth.layout import Font, font, line_height, wrap_text
from pipeline.synth.model import DocTable
from pipeline.types import Box, Line, TableCell

TABLE_PT = 12.0
_ITEM_SPLIT = re.compile(r"(?<=[;.])\s+(?=[-–+]\s)")  # "- Sở A; - Sở B": one item a line


def column_widths(
    header: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...],
    fr: Font,
    fb: Font,
    total: float,
    pad: float,
) -> list[float]:
    """Auto layout: every column at least its longest word, the rest shared by natural width."""
    n = len(header)
    least = [
        fb.getlength(max(header[c].split() or [""], key=fb.getlength)) + 2 * pad for c in range(n)
    ]
    natural = [fb.getlength(header[c]) + 2 * pad for c in range(n)]
    for row in rows:
        for c in range(n):
            words = row[c].split() or [""]
            least[c] = max(least[c], fr.getlength(max(words, key=fr.getlength)) + 2 * pad)
            natural[c] = max(natural[c], fr.getlength(row[c]) + 2 * pad)
    if sum(natural) <= total:
        return [w * total / sum(natural) for w in natural]
    if sum(least) >= total:
        return [w * total / sum(least) for w in least]
    extra = total - sum(least)
    want = [max(nat - lo, 0.0) ** 0.5 for nat, lo in zip(natural, least, strict=True)]
    return [lo + extra * w / (sum(want) or 1) for lo, w in zip(least, want, strict=True)]


def cell_lines(text: str, f: Font, width: float) -> list[str]:
    """Wrapped lines of a cell; items such as '- Sở A; - Sở B' each start a new line."""
    out: list[str] = []
    for part in _ITEM_SPLIT.split(text.strip()):
        out += wrap_text(part, f, width)
    return out


def _draw_row(
    flow: Flow,
    row_idx: int,
    cells: list[list[str]],
    widths: list[float],
    f: Font,
    pad: float,
    centre: set[int],
) -> None:
    geo = flow.geo
    lh = line_height(f, 1.15)
    height = max(len(c) for c in cells) * lh + 2 * pad
    top, x = flow.y, float(geo.left)
    border = max(1, round(geo.dpi / 150))
    texts = []
    n_before = len(flow.page.lines)
    for c, (lines, w) in enumerate(zip(cells, widths, strict=True)):
        box = Box(x0=round(x), y0=round(top), x1=round(x + w), y1=round(top + height))
        flow.rect(box, border)
        y = top + pad + (height - 2 * pad - len(lines) * lh) / 2
        for line in lines:
            flow.y = y
            bl = flow.baseline(f, 1.15)
            if c in centre:
                flow.centred(line, f, x + w / 2, bl, "table")
            else:
                flow.left(line, f, x + pad, bl, "table")
            y += lh
        text = " ".join(lines)
        texts.append(text)
        flow.page.cells.append(TableCell(row=row_idx, col=c, text=text, box=box))
        x += w
    # the printed words were recorded line by line; replace them with one truth line per row
    del flow.page.lines[n_before:]
    row_box = Box(x0=geo.left, y0=round(top), x1=round(x), y1=round(top + height))
    joined = " | ".join(texts)
    flow.page.lines.append(Line(text=joined, raw_text=joined, box=row_box, region="table"))
    flow.y = top + height


def draw_table(flow: Flow, table: DocTable) -> None:
    geo = flow.geo
    fr, fb = font("regular", TABLE_PT, geo.dpi), font("bold", TABLE_PT, geo.dpi)
    pad = geo.mm(1.5)
    n = len(table.header)
    rows = tuple(tuple((list(r) + [""] * n)[:n]) for r in table.rows)
    widths = column_widths(table.header, rows, fr, fb, geo.text_width, pad)
    head = [
        cell_lines(h, fb, w - 2 * pad) or [""] for h, w in zip(table.header, widths, strict=True)
    ]
    lh = line_height(fr, 1.15)
    head_h = max(len(c) for c in head) * lh + 2 * pad
    # short columns (STT, dates) are centred like Word tables usually are
    centre = {c for c in range(n) if all(len(r[c]) <= 16 for r in rows)}
    flow.ensure(head_h + lh * 3)
    _draw_row(flow, 0, head, widths, fb, pad, set(range(n)))
    for i, row in enumerate(rows, start=1):
        cells = [cell_lines(t, fr, w - 2 * pad) or [""] for t, w in zip(row, widths, strict=True)]
        while cells:
            fit = max(1, int((flow.room() - 2 * pad) // lh))
            need = max(len(c) for c in cells)
            if need > fit and flow.y > geo.top + head_h + 1:
                flow.new_page()
                _draw_row(flow, 0, head, widths, fb, pad, set(range(n)))
                continue
            part = [c[:fit] or [""] for c in cells]
            _draw_row(flow, i, part, widths, fr, pad, centre)
            cells = [c[fit:] for c in cells] if need > fit else []
