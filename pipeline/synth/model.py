"""The synthetic document model (what to print) and the rendered page (what was printed).

Kept apart from `pipeline.types`: these records describe a page to draw, not a page that was read.
The truth handed back per page reuses the pipeline's `Line`, `TableCell` and `Box`, so a benchmark
can compare OCR output with it field by field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from pipeline.types import Box, Line, TableCell

ParaKind = Literal["body", "heading", "subheading", "note"]

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph. `heading` = `I. ...` (bold), `subheading` = short `1. ...` (bold),
    `note` = a centred italic remark such as `(Có Phụ lục ... kèm theo).`"""

    text: str
    kind: ParaKind = "body"


@dataclass(frozen=True)
class DocHeader:
    """The two-column header of Nghị định 30/2020, Phụ lục I: left agency + số, right quốc hiệu + date."""

    agency: tuple[str, ...]
    number_line: str
    place_date: str
    parent_agency: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()  # "V/v ..." under the số line (công văn)
    national_name: str = NATIONAL_NAME
    national_motto: str = NATIONAL_MOTTO


@dataclass(frozen=True)
class Signature:
    """Authority lines (TM./KT./TL. ...), the signer's title and name, and the seal's ring text."""

    authority: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    name: str = ""
    seal_text: str = ""
    seal: bool = True


@dataclass(frozen=True)
class DocTable:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Appendix:
    heading: str = "PHỤ LỤC"
    title: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # italic lines such as "(Kèm theo Kế hoạch số ...)"
    table: DocTable | None = None


@dataclass(frozen=True)
class OfficialDoc:
    header: DocHeader
    doc_type: str
    title: tuple[str, ...]
    body: tuple[Paragraph | DocTable, ...]
    recipients: tuple[str, ...] = ()
    signature: Signature = field(default_factory=Signature)
    appendices: tuple[Appendix, ...] = ()


@dataclass(frozen=True, eq=False)
class RenderedPage:
    """One page image with its truth: `lines` in reading order (header left column, right column,
    body; a table row is its cells joined by " | "), `line_items` the same lines with boxes and
    regions, the table cells with boxes, and the seal's box if the page carries one."""

    image: np.ndarray
    lines: tuple[str, ...]
    line_items: tuple[Line, ...]
    table_cells: tuple[TableCell, ...]
    seal_box: Box | None
    dpi: int
    number: int = 1
