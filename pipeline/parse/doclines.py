"""A flat, cleaned view of a document's lines that keeps where each one was read.

Parsers work on `DocLine`s: the text with Markdown marks and indentation removed, plus the page,
the line index on that page, the box and the confidence, so every extracted value can cite its
evidence. Header parsing also needs the text inside small layout tables (Word files put the header
in a two-column borderless table; `a / b` inside a cell is a line break) and the two columns of a
`pdftotext -layout` line, so `header_atoms` splits those into separate atoms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.reflow import reflow
from pipeline.types import Box, Evidence, Page, Table

_MD_HEAD = re.compile(r"^#{1,6}\s+")
_COLUMN_GAP = re.compile(r"\S(\s{3,})\S")
_CELL_BREAK = re.compile(r"\s+/\s+")
# Gaps inside a date or number line are not column gaps: `ngày      tháng      năm 2026`.
_INNER_GAP = re.compile(r"(?<=\bngày)\s+|\s+(?=th[aáàảãạăắằẳẵặâấầẩẫậ]ng\b|năm\b)|(?<=\b[Ss]ố:)\s+")
_MOTTO_INSIDE = re.compile(r"(?<=\S)\s+(?=CỘNG H[ÒÕO]A XÃ HỘI)")


@dataclass(frozen=True)
class DocLine:
    """One cleaned line (or header atom) and where it was read."""

    text: str
    page: int
    line: int | None
    box: Box | None = None
    conf: float = 100.0
    region: str = "body"
    # (word, its other readings) for the line's OCR words the engine hesitated over: a reader
    # that finds an impossible value (`ngày 45`) may take the engine's second choice (`{5`).
    alternatives: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def evidence(self) -> Evidence:
        return Evidence(page=self.page, line=self.line, box=self.box, conf=self.conf)


def clean_text(text: str) -> str:
    """Drop Markdown heading/bold marks, indentation and trailing spaces; keep the wording."""
    text = _MD_HEAD.sub("", text.strip())
    text = text.replace("**", "")
    if text.startswith("*") and text.endswith("*") and len(text) > 2:
        text = text.strip("*")
    return text.strip(" \t\u00a0")


def body_lines(pages: list[Page]) -> list[DocLine]:
    """Every body logical line (not table rows, not page numbers) of every page, cleaned, in
    reading order; empty lines
    dropped. OCR'd paragraphs and headings that wrap are joined back into one line each."""
    out: list[DocLine] = []
    for page in pages:
        for logical in reflow(page.lines):
            first = page.lines[logical.lines[0]]
            text = clean_text(logical.text)
            if text and first.region not in ("table", "margin"):
                out.append(
                    DocLine(
                        text, page.number, logical.lines[0], logical.box, logical.conf, first.region
                    )
                )
    return out


def table_row_line(page: Page, table: Table, row: int) -> int | None:
    """Index in `page.lines` of a text table's row (Markdown rule lines skipped); None for OCR."""
    if page.source != "text":
        return None
    seen = -1
    for i in range(table.first_line, len(page.lines)):
        text = page.lines[i].text.strip()
        if re.fullmatch(r"\|?[\s:|-]+\|?", text) and "-" in text:
            continue
        seen += 1
        if seen == row:
            return i
    return None


def _split_columns(text: str) -> list[str]:
    """`ỦY BAN NHÂN DÂN      CỘNG HÒA ...` → two atoms (a `pdftotext -layout` line)."""
    text = _INNER_GAP.sub(" ", text)
    parts: list[str] = []
    start = 0
    for m in _COLUMN_GAP.finditer(text):
        parts.append(text[start : m.start(1)])
        start = m.end(1)
    parts.append(text[start:])
    out: list[str] = []
    for part in parts:
        out.extend(_MOTTO_INSIDE.split(part))
    return [clean_text(p) for p in out if clean_text(p)]


def _table_atoms(page: Page, table: Table) -> list[DocLine]:
    out: list[DocLine] = []
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        line = table_row_line(page, table, cell.row)
        for piece in _CELL_BREAK.split(cell.text):
            for text in _split_columns(piece):
                out.append(DocLine(text, page.number, line, cell.box, cell.conf, "table"))
    return out


def header_atoms(
    pages: list[Page], skip_tables: set[tuple[int, int]] | None = None
) -> list[DocLine]:
    """Lines split into layout columns, with small tables expanded cell by cell in place.

    `skip_tables` holds (page, table index) pairs of task tables, which stay out of the stream.
    """
    skip = skip_tables or set()
    out: list[DocLine] = []
    for page in pages:
        pending = {k: t for k, t in enumerate(page.tables) if (page.number, k) not in skip}
        for i, line in enumerate(page.lines):
            if line.region == "table":
                for k in [k for k, t in pending.items() if t.first_line == i]:
                    out.extend(_table_atoms(page, pending.pop(k)))
                continue
            alts = tuple((w.text, tuple(w.alternatives)) for w in line.words if w.alternatives)
            for text in _split_columns(line.text):
                out.append(DocLine(text, page.number, i, line.box, line.conf, line.region, alts))
        for table in pending.values():  # tables whose lines are not in the list (OCR grids)
            out.extend(_table_atoms(page, table))
    return out
