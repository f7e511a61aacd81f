"""Plain text → pages of lines, with delimited tables recognised as grids.

Text inputs (legacy OCR dumps, `pdftotext` output, Word files converted to text) carry no boxes, so
every line gets confidence 100 and region "body"; lines that belong to a table get region "table"
and the table itself is kept as a `Table` grid so the parser reads cells, not guessed columns.

Three table spellings are recognised:
- tab-separated rows (cells split on TAB; at least 3 cells, or 2+ rows with the same width);
- ` | `-separated rows, bare or between `<<TABLE>>` / `<</TABLE>>` marker lines (the marker lines
  are not printed text and are dropped);
- Markdown tables (`| a | b |` rows with a `|---|` rule under the header).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.textnorm import nfc
from pipeline.types import Line, Page, Region, Table, TableCell

_MARK_OPEN = re.compile(r"^\s*<<\s*TABLE\s*>>\s*$", re.IGNORECASE)
_MARK_CLOSE = re.compile(r"^\s*<<\s*/\s*TABLE\s*>>\s*$", re.IGNORECASE)
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_ROW = re.compile(r"^\s*\|.*\|\s*$")


@dataclass
class _Block:
    """A run of raw lines being assembled into one page."""

    lines: list[str] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def text_to_pages(text: str) -> list[Page]:
    """Split text into pages on form feeds (a trailing empty page is dropped) and read each page."""
    chunks = nfc(text).replace("\r\n", "\n").replace("\r", "\n").split("\f")
    while len(chunks) > 1 and not chunks[-1].strip():
        chunks.pop()
    return [_read_page(chunk, n) for n, chunk in enumerate(chunks, start=1)]


def _read_page(chunk: str, number: int) -> Page:
    block = _Block()
    raw = chunk.split("\n")
    i = 0
    while i < len(raw):
        consumed = (
            _take_marked(raw, i, block)
            or _take_markdown(raw, i, block)
            or _take_delimited(raw, i, block, "\t")
            or _take_delimited(raw, i, block, " | ")
        )
        if consumed:
            i += consumed
            continue
        if raw[i].strip():
            _add_line(block, raw[i], "body")
        i += 1
    lines = [
        Line(text=t, raw_text=t, region=r, conf=100.0)
        for t, r in zip(block.lines, block.regions, strict=True)
    ]
    return Page(number=number, width=0, height=0, source="text", lines=lines, tables=block.tables)


def _add_line(block: _Block, text: str, region: Region) -> None:
    block.lines.append(text.rstrip())
    block.regions.append(region)


def _add_table(block: _Block, lines: list[str], rows: list[list[str]]) -> None:
    rows = [r for r in rows if any(c.strip() for c in r)] or rows
    if not rows:
        return
    first = len(block.lines)
    for line in lines:
        _add_line(block, line, "table")
    n_cols = max(len(r) for r in rows)
    cells = [
        TableCell(row=ri, col=ci, text=cell.strip())
        for ri, row in enumerate(rows)
        for ci, cell in enumerate(row)
    ]
    block.tables.append(Table(n_rows=len(rows), n_cols=n_cols, cells=cells, first_line=first))


def _take_marked(raw: list[str], i: int, block: _Block) -> int:
    """`<<TABLE>>` ... `<</TABLE>>`: every non-blank line inside is one row split on '|'."""
    if not _MARK_OPEN.match(raw[i]):
        return 0
    j = i + 1
    while j < len(raw) and not _MARK_CLOSE.match(raw[j]):
        j += 1
    body = [line for line in raw[i + 1 : j] if line.strip()]
    _add_table(block, body, [line.split("|") for line in body])
    return min(j + 1, len(raw)) - i


def _split_md(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [c.strip().strip("*").strip() for c in inner.split("|")]


def _take_markdown(raw: list[str], i: int, block: _Block) -> int:
    """A Markdown table: a `|...|` header row, a `|---|` rule, then `|...|` rows."""
    if not (_MD_ROW.match(raw[i]) and i + 1 < len(raw) and _MD_RULE.match(raw[i + 1])):
        return 0
    j = i + 2
    while j < len(raw) and _MD_ROW.match(raw[j]):
        j += 1
    rows = [_split_md(raw[i])] + [_split_md(line) for line in raw[i + 2 : j]]
    _add_table(block, raw[i:j], rows)
    return j - i


def _cells(line: str, sep: str) -> list[str]:
    if sep == " | ":
        return _split_pipes(line) if " | " in line else []
    body = line.lstrip(" \t") if sep == "\t" else line.strip()
    body = body.rstrip(" ")
    return body.split(sep) if sep in body else []


def _split_pipes(line: str) -> list[str]:
    """Cells of a ` | ` row; a framing `|` is dropped only when the row is framed at both ends,
    so a row whose first cell is empty (` |  | Tháng 01 | ...`, a merged STT cell) keeps it."""
    body = line.rstrip()
    if body.startswith("|") and body.endswith("|"):
        body = body[1:-1]
    return [c.strip() for c in body.split("|")]


def _take_delimited(raw: list[str], i: int, block: _Block, sep: str) -> int:
    """A run of consecutive rows delimited by `sep`: 3+ cells each, or 2+ rows of equal width."""
    rows: list[list[str]] = []
    j = i
    while j < len(raw) and len(cells := _cells(raw[j], sep)) >= 2:
        rows.append(cells)
        j += 1
    if not rows:
        return 0
    widths = {len(r) for r in rows}
    wide = all(len(r) >= 3 for r in rows) and (len(rows) >= 2 or sep == "\t")
    if not (wide or (len(rows) >= 2 and len(widths) == 1)):
        return 0
    if sep == " | ":
        rows = [_split_pipes(line) for line in raw[i:j]]
    _add_table(block, raw[i:j], rows)
    return j - i
