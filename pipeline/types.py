"""The records passed between stages, and the shape of `document.json`.

Every record is a frozen pydantic model: stages cannot mutate what they are handed, and the same
definitions give the JSON Schema that documents the output contract (`schema/document.schema.json`).
Coordinates are pixels of the page image that was read (or PDF points scaled to 72 dpi for a text
layer; `Page.dpi` says which), origin top-left.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.1"

PageSource = Literal["ocr", "text_layer", "text"]
Region = Literal["body", "header_left", "header_right", "table", "margin"]


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Box(Record):
    """An axis-aligned rectangle: left, top, right, bottom."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def union(self, other: Box) -> Box:
        return Box(
            x0=min(self.x0, other.x0),
            y0=min(self.y0, other.y0),
            x1=max(self.x1, other.x1),
            y1=max(self.y1, other.y1),
        )

    @staticmethod
    def enclosing(boxes: list[Box]) -> Box | None:
        if not boxes:
            return None
        out = boxes[0]
        for b in boxes[1:]:
            out = out.union(b)
        return out


class Word(Record):
    text: str
    box: Box | None = None
    conf: float = Field(100.0, ge=0, le=100, description="engine confidence, 0-100")
    alternatives: list[str] = Field(
        default_factory=list,
        description="other readings the OCR engine weighed (LSTM character choices), best first",
    )


class Line(Record):
    """One printed line. `raw_text` is what the reader produced; `text` is after repair."""

    text: str
    raw_text: str
    words: list[Word] = []
    box: Box | None = None
    block: int = 0
    region: Region = "body"
    conf: float = Field(100.0, ge=0, le=100)


class TableCell(Record):
    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1
    box: Box | None = None
    conf: float = Field(100.0, ge=0, le=100)


class Table(Record):
    """A ruled or delimited table on one page, as a grid of cells (spans kept)."""

    n_rows: int
    n_cols: int
    cells: list[TableCell]
    box: Box | None = None
    first_line: int = Field(0, description="index in Page.lines of the first line inside the table")

    def rows(self) -> list[list[str]]:
        """Cell texts as a dense grid; a spanning cell's text sits in its top-left slot."""
        grid = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for c in self.cells:
            if c.row < self.n_rows and c.col < self.n_cols:
                grid[c.row][c.col] = c.text
        return grid


class PageQuality(Record):
    mean_conf: float = Field(100.0, ge=0, le=100)
    low_conf_share: float = Field(0.0, ge=0, le=1, description="share of words with conf < 60")
    needs_review: bool = False
    review_reasons: list[str] = Field(
        [], description="why the page needs review: its reading, or values read on it (issue 15)"
    )
    expected_word_error: float | None = Field(
        None,
        ge=0,
        le=1,
        description="expected share of misread OCR words: word confidences calibrated on real "
        "scans (issue 15); null for text and text-layer pages",
    )


class StageLog(Record):
    """What one clean-up or reading stage did to a page (issue 3 fills in the OpenCV stages)."""

    stage: str
    applied: bool
    detail: dict[str, Any] = {}


class Page(Record):
    number: int = Field(ge=1, description="1-based page number within the input")
    width: int
    height: int
    dpi: int | None = None
    source: PageSource
    lines: list[Line] = []
    tables: list[Table] = []
    quality: PageQuality = PageQuality()
    stages: list[StageLog] = []
    warnings: list[str] = []

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class Evidence(Record):
    """Where a value was read: page, line index on that page, box, and confidence."""

    page: int
    line: int | None = None
    box: Box | None = None
    conf: float = Field(100.0, ge=0, le=100)


class Signer(Record):
    name: str | None = None
    title: str | None = Field(None, description="e.g. PHÓ CHỦ TỊCH")
    authority: list[str] = Field([], description="TM./KT./TL./TUQ./Q. lines as printed")


class Header(Record):
    agency: str | None = Field(None, description="issuing agency (cơ quan ban hành)")
    parent_agency: str | None = Field(None, description="the line above the agency, if any")
    number: str | None = Field(None, description="số, e.g. 357")
    symbol: str | None = Field(None, description="ký hiệu, e.g. KH-UBND")
    number_symbol: str | None = Field(None, description="as printed, e.g. 357/KH-UBND")
    doc_type: str | None = Field(None, description="KẾ HOẠCH, QUYẾT ĐỊNH, CÔNG VĂN, ...")
    place: str | None = None
    date: str | None = Field(None, description="ISO date of issue")
    date_text: str | None = None
    title: str | None = Field(None, description="trích yếu")
    signer: Signer = Signer()
    recipients: list[str] = Field([], description="Nơi nhận entries as printed")
    marks: list[str] = Field(
        [], description="urgency/confidentiality marks as printed: KHẨN, HỎA TỐC, MẬT"
    )
    evidence: dict[str, Evidence] = {}
    field_confidence: dict[str, float] = Field(
        {}, description="per field, the calibrated probability that the value is right (issue 15)"
    )
    needs_review: bool = Field(False, description="a field's confidence is under the review cut")
    review_reasons: list[str] = Field([], description="`field: why` for each field to check")


class TimeSpec(Record):
    text: str = Field(description="as printed")
    start: str | None = Field(None, description="ISO date")
    end: str | None = Field(None, description="ISO date")
    deadline: str | None = Field(None, description="ISO date")
    recurrence: str | None = Field(None, description="yearly, quarterly, monthly, continuous, ...")


class Task(Record):
    ref: str = Field(description="section number as printed (III.2) or PL.<STT> for appendix rows")
    title: str = ""
    content: str = ""
    chu_tri: list[str] = Field([], description="lead agencies as printed")
    phoi_hop: list[str] = Field([], description="co-operating agencies as printed")
    thuc_hien: list[str] = Field([], description="`Đơn vị thực hiện` when no lead is named")
    chu_tri_canonical: list[str] = Field([], description="chu_tri in canonical form")
    phoi_hop_canonical: list[str] = Field([], description="phoi_hop in canonical form")
    thoi_gian: TimeSpec | None = None
    section: list[str] = Field(
        [], description="headings of the enclosing sections, outermost first"
    )
    kind: Literal["item", "table_row", "duty"] = Field(
        "item",
        description="item: a numbered item, bullet or field block with its own roles; "
        "table_row: a row of a task table; duty: listed under an agency heading",
    )
    responsible: str | None = Field(
        None, description="for a duty: the agency of the heading it is listed under"
    )
    objective: str = Field(
        "", description="a table row's spanning objective cell, above the row's own action"
    )
    modality: Literal["request", "assign", "invite"] | None = Field(
        None, description="how the work is given: Đề nghị (request), Giao/Yêu cầu (assign), Mời"
    )
    notes: list[str] = Field(
        [], description="role notes printed beside an agency: `Bộ Công an: chủ trì … về TTKB`"
    )
    source: Literal["prose", "table"] = "prose"
    pages: list[int] = []
    confidence: float = Field(1.0, ge=0, le=1)
    evidence: list[Evidence] = []
    field_confidence: dict[str, float] = Field(
        {},
        description="per field (title, chu_tri[0], phoi_hop[1], phoi_hop when empty, thoi_gian), "
        "the calibrated probability that the value is right (issue 15)",
    )
    needs_review: bool = Field(False, description="a field's confidence is under the review cut")
    review_reasons: list[str] = Field([], description="`field: why` for each field to check")


class Source(Record):
    path: str
    sha256: str
    kind: Literal["pdf", "image", "text"]
    size_bytes: int
    page_count: int
    encoding: Literal["unicode", "tcvn3", "vni", "viscii"] | None = Field(
        None,
        description="how the input's own text (a text file, a PDF text layer) was encoded: "
        "unicode, or the legacy font encoding it was converted from; null when all was OCR'd",
    )


class ReviewStamp(Record):
    """On the document of a `review.json` only: a person checked and corrected it (issue 14)."""

    saved_at: str = Field(description="ISO date-time the review was saved")
    changes: int = Field(ge=0, description="fields and tasks unlike the machine's reading")


class Document(Record):
    schema_version: str = SCHEMA_VERSION
    generator: str = ""
    source: Source
    header: Header = Header()
    pages: list[Page] = []
    tasks: list[Task] = []
    repairs: list[dict[str, Any]] = Field(
        [], description="text repairs: page, line, original, replacement, confidence"
    )
    warnings: list[str] = []
    review: ReviewStamp | None = Field(
        None,
        description="set when the values are a reviewer's corrections (review.json); "
        "null for the machine's reading (document.json)",
    )
