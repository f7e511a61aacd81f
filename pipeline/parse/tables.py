"""Task tables (phụ lục phân công): find the header row, name the columns, merge the chunks.

Columns are found by their names, not their positions: plans order them freely (STT | Nhiệm vụ |
Sản phẩm | Thời gian | Chủ trì | Phối hợp ...). Names are compared without diacritics, so an OCR
tone error (`Đơn vị chù trì`) still names the column. A table that continues on the next page or
chunk either repeats its header row (skipped) or starts straight with data rows of the same width;
both are merged into one logical table.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.parse.agencies import opens_agency
from pipeline.parse.doclines import table_row_line
from pipeline.parse.timespec import parse_time
from pipeline.textnorm import squash_spaces, strip_diacritics
from pipeline.types import Box, Evidence, Page, Table

ROLES = (
    "stt", "content", "content2", "objective", "product", "chu_tri", "phoi_hop", "lead_support",
    "thuc_hien", "time", "note",
)  # fmt: skip
_CANONICAL = {
    "stt": ("stt", "tt", "so tt", "so thu tu"),
    "content": ("noi dung", "noi dung thuc hien", "nhiem vu", "ten nhiem vu", "noi dung cong viec"),
    "chu_tri": ("don vi chu tri", "co quan chu tri", "chu tri", "chu tri thuc hien"),
    "phoi_hop": ("don vi phoi hop", "co quan phoi hop", "phoi hop", "phoi hop thuc hien"),
    "time": ("thoi gian thuc hien", "thoi gian hoan thanh", "thoi gian", "thoi han", "tien do"),
    "note": ("ghi chu",),
}
_ROMAN = re.compile(r"^[IVXL]+$")


def _key(text: str) -> str:
    text = strip_diacritics(text).lower().replace("/", " ")
    return squash_spaces(re.sub(r"[^\w\s]", " ", text))


def column_role(text: str) -> str | None:
    """`Đơn vị chủ trì` → "chu_tri"; tolerant of tone errors and small OCR slips."""
    key = _key(text)
    if not key:
        return None
    if key in _CANONICAL["stt"]:
        return "stt"
    if "chu tri" in key and "phoi hop" in key:
        return "lead_support"  # `Đơn vị chủ trì/phối hợp`: one cell names both (issue 10)
    for role, words in (
        ("phoi_hop", ("phoi hop",)),
        ("chu_tri", ("chu tri", "trach nhiem")),
        ("thuc_hien", ("don vi thuc hien", "co quan thuc hien")),
        ("time", ("thoi gian", "thoi han", "tien do")),
        ("note", ("ghi chu",)),
        ("product", ("san pham", "ket qua")),
        ("content", _CONTENT_WORDS),
    ):
        if any(w in key for w in words):
            return role
    best, best_ratio = None, 0.0
    for role, names in _CANONICAL.items():
        for name in names:
            ratio = difflib.SequenceMatcher(None, key, name).ratio()
            if ratio > best_ratio and len(name) > 3:
                best, best_ratio = role, ratio
    return best if best_ratio >= 0.8 else None


# Words of a column that says what is to be done. A table may have two: a broad one spanning
# several rows (`Nội dung hành động`, `Nhiệm vụ`) and a per-row one (`Hành động cụ thể`).
_CONTENT_WORDS = ("noi dung", "nhiem vu", "hoat dong", "cong viec", "hanh dong", "giai phap")
# Header words of the per-row column when two text columns compete.
_ROW_WORDS = ("cu the", "chi tiet", "hoat dong", "cong viec")


def header_roles(row: list[str]) -> dict[str, int] | None:
    """Column index by role when `row` is a task-table header row, else None. A second text
    column is `content2`; which of the two is the row's own action is decided on the rows."""
    roles: dict[str, int] = {}
    for i, cell in enumerate(row):
        role = column_role(cell) if len(cell) < 60 else None
        if role == "content" and "content" in roles and "content2" not in roles:
            role = "content2"
        if role and role not in roles:
            roles[role] = i
    duty = {"chu_tri", "phoi_hop", "thuc_hien", "time", "lead_support"} & roles.keys()
    return roles if "content" in roles and duty else None


@dataclass
class TableRow:
    """One data row of a task table, by role, with where each cell was read."""

    cells: dict[str, str]
    page: int
    group: str | None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def stt(self) -> str:
        return self.cells.get("stt", "").strip().strip("*").rstrip(".").strip()


@dataclass
class TaskTable:
    """A logical task table: its columns and its rows merged across chunks and pages."""

    roles: dict[str, int]
    n_cols: int
    page: int
    first_line: int | None
    rows: list[TableRow] = field(default_factory=list)
    sources: list[tuple[int, int]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # role → header text, when printed
    inferred: bool = False  # roles read from the cells (a page continuing a table, no header)
    anchor: tuple[int, int] = (0, 0)  # (page, index in its lines) where the table starts


def _evidence(page: Page, table: Table, row: int, col: int) -> Evidence:
    cell = next((c for c in table.cells if c.row == row and c.col == col), None)
    box: Box | None = cell.box if cell else None
    conf = cell.conf if cell else 100.0
    return Evidence(page=page.number, line=table_row_line(page, table, row), box=box, conf=conf)


def _merge_into(row: TableRow, cells: dict[str, str], evidence: list[Evidence]) -> None:
    """A row's cells continued on the next printed row (a page or chunk break): the text joins
    the row's, and so does where it was read, so the row's every part stays traceable."""
    for role, text in cells.items():
        if text:
            row.cells[role] = squash_spaces(f"{row.cells.get(role, '')} {text}")
    row.evidence += evidence


def runs_on(cell: str) -> bool:
    """A lead cell that opens in lower case with no agency's head (`và Phát triển nông thôn`)
    is the rest of the row above's name, cut by the break, not a lead of its own."""
    text = cell.strip(" -–•")
    return bool(text) and text[:1].islower() and not opens_agency(text)


def _add_rows(tt: TaskTable, page: Page, table: Table, start: int) -> None:
    grid = table.rows()
    group = tt.rows[-1].group if tt.rows else None
    for r in range(start, len(grid)):
        row = grid[r]
        if header_roles(row) is not None:
            continue  # a header row repeated on a continuation chunk
        cells = {
            role: squash_spaces(row[i]) if i < len(row) else "" for role, i in tt.roles.items()
        }
        stt = cells.get("stt", "").strip("*. ")
        if _ROMAN.match(stt) and not any(
            cells.get(k) for k in ("chu_tri", "phoi_hop", "thuc_hien")
        ):
            group = stt
            continue
        if not any(cells.values()):
            continue
        ev = [_evidence(page, table, r, i) for i in sorted(tt.roles.values())]
        if not stt and "stt" in tt.roles and tt.rows:
            prev = tt.rows[-1]
            lead = cells.get("chu_tri", "")
            if not (lead and prev.cells.get("chu_tri")) or runs_on(lead):
                _merge_into(prev, cells, ev)  # a row broken across a page or chunk boundary
                continue
            # STT and Nhiệm vụ merged over two rows, each row with its own lead: two tasks
            cells = {
                **cells,
                "stt": prev.cells.get("stt", ""),
                "content": cells.get("content") or prev.cells.get("content", ""),
            }
        tt.rows.append(TableRow(cells=cells, page=page.number, group=group, evidence=ev))


def _header_of(table: Table) -> tuple[int, dict[str, int]] | None:
    grid = table.rows()
    for r in range(min(2, len(grid))):
        if roles := header_roles(grid[r]):
            return r, roles
    return None


def _open_or_continue(
    page: Page, table: Table, current: TaskTable | None
) -> tuple[TaskTable, int, bool] | None:
    """(logical table, first data row, is new) for a task-table chunk; None for other tables."""
    head = _header_of(table)
    if head is None:
        if current is not None and current.n_cols == table.n_cols:
            return current, 0, False
        roles = infer_roles(table.rows())
        if roles is None:
            return None
        if current is not None and set(current.roles) == set(roles):
            return current, 0, False  # a continuation grid read with other column edges
        tt = TaskTable(roles, table.n_cols, page.number, table_row_line(page, table, 0))
        tt.inferred, tt.anchor = True, (page.number, table.first_line)
        return tt, 0, True
    r, roles = head
    if current is not None and current.roles == roles and current.n_cols == table.n_cols:
        return current, r + 1, False
    tt = TaskTable(roles, table.n_cols, page.number, table_row_line(page, table, r))
    tt.anchor = (page.number, table.first_line)
    tt.headers = {role: table.rows()[r][i] for role, i in roles.items()}
    return tt, r + 1, True


# --- a page that continues a table: roles from what the cells hold (issue 10) ---------------

_STT = re.compile(r"^\W*(?:\d{1,3}|[IVXL]{1,5})\W*$")


def _share(cells: list[str], test: Callable[[str], bool]) -> float:
    filled = [c for c in cells if c.strip()]
    return sum(test(c) for c in filled) / len(filled) if filled else 0.0


def _is_time(cell: str) -> bool:
    spec = parse_time(cell)
    return bool(spec.start or spec.deadline or spec.recurrence) and len(cell) < 80


def infer_roles(grid: list[list[str]]) -> dict[str, int] | None:
    """Column roles of a headerless grid from its cells: an STT column (numbers), agency columns
    (names opening with `Sở`, `Bộ`, `UBND`, ...; the first leads, the next supports), a time
    column (deadlines, periods, `Thường xuyên`), and the longest text column as the action.
    None unless numbers, an action and an agency column are all there: a grid of figures or a
    signature block is no task table."""
    if len(grid) < 2 or len(grid[0]) < 3:
        return None
    cols = [[row[i] if i < len(row) else "" for row in grid] for i in range(len(grid[0]))]
    roles: dict[str, int] = {}
    for i, col in enumerate(cols):
        if "stt" not in roles and _share(col, lambda c: bool(_STT.match(c))) >= 0.8:
            roles["stt"] = i
    agency_cols = [
        i
        for i, col in enumerate(cols)
        if i not in roles.values() and _share(col, lambda c: opens_agency(c.lstrip("-+• "))) >= 0.6
    ]
    for role, i in zip(("chu_tri", "phoi_hop"), agency_cols, strict=False):
        roles[role] = i
    for i, col in enumerate(cols):
        if i not in roles.values() and "time" not in roles and _share(col, _is_time) >= 0.6:
            roles["time"] = i
    rest = [i for i in range(len(cols)) if i not in roles.values()]
    if "stt" not in roles or "chu_tri" not in roles or not rest:
        return None
    length = lambda i: sum(len(c) for c in cols[i])  # noqa: E731
    roles["content"] = max(rest, key=length)
    return roles


# --- two text columns, one combined agency column ---------------------------------------------


def settle_columns(tt: TaskTable) -> None:
    """Which of two text columns is each row's own action (the title) and which the objective
    spanning several rows; a combined `chủ trì/phối hợp` cell split into its two roles."""
    if "content2" in tt.roles:
        first, second = "content", "content2"
        if _row_column(tt, second, first):
            first, second = second, first
        objective = ""
        for row in tt.rows:
            own, broad = row.cells.get(first, ""), row.cells.get(second, "")
            objective = broad or objective  # a spanning cell is printed in its first row only
            row.cells["content"], row.cells["objective"] = own or broad, objective
            row.cells.pop("content2", None)
    for row in tt.rows:
        if both := row.cells.pop("lead_support", ""):
            lead, support = split_lead_support(both)
            row.cells.setdefault("chu_tri", lead)
            row.cells.setdefault("phoi_hop", support)


def _row_column(tt: TaskTable, a: str, b: str) -> bool:
    """Whether column `a` rather than `b` holds each row's own action: it is filled on more rows
    (a spanning objective leaves the rows under its first one blank); on a tie, its header says
    `cụ thể` / `hoạt động`."""
    filled = lambda role: sum(bool(r.cells.get(role)) for r in tt.rows)  # noqa: E731
    if filled(a) != filled(b):
        return filled(a) > filled(b)
    said = lambda role: any(w in _key(tt.headers.get(role, "")) for w in _ROW_WORDS)  # noqa: E731
    return said(a) and not said(b)


def split_lead_support(text: str) -> tuple[str, str]:
    """`Bộ A; Bộ B, Bộ C` → ("Bộ A", "Bộ B, Bộ C"): the body before the first `;` or on the first
    line leads, the rest support."""
    text = text.strip()
    for sep in (";", "\n", " / "):
        if sep in text:
            lead, rest = text.split(sep, 1)
            return lead.strip(), rest.strip()
    return text, ""


def _table_end(page: Page, table: Table) -> int:
    end = table.first_line
    while end < len(page.lines) and page.lines[end].region == "table":
        end += 1
    return end


def _text_between(
    pages: list[Page], after: tuple[int, int] | None, page_i: int, table: Table
) -> int:
    """Body lines of text between the end of the previous task table and `table` (text inputs
    only: OCR tables carry no line position). A page number or a `(tiếp theo)` line may sit
    there; a paragraph means the next table is a new one."""
    if after is None or pages[page_i].source != "text":
        return 0
    count = 0
    for i in range(after[0], page_i + 1):
        page = pages[i]
        start = after[1] if i == after[0] else 0
        stop = table.first_line if i == page_i else len(page.lines)
        for line in page.lines[start:stop]:
            text = line.text.strip()
            if line.region == "body" and text and not text.isdigit() and len(text) > 20:
                count += 1
    return count


def find_task_tables(pages: list[Page]) -> list[TaskTable]:
    """Logical task tables in reading order; a chunk with the same header, or a headerless chunk
    of the same width, that directly follows a task table (no paragraph in between) continues it."""
    out: list[TaskTable] = []
    current: TaskTable | None = None
    after: tuple[int, int] | None = None  # (page index, line) just past the last task table
    for page_i, page in enumerate(pages):
        for k, table in enumerate(page.tables):
            if current is not None and _text_between(pages, after, page_i, table):
                current = None
            placed = _open_or_continue(page, table, current)
            after = (page_i, _table_end(page, table))
            if placed is None:
                current = None
                continue
            current, start, new = placed
            if new:
                out.append(current)
            _add_rows(current, page, table, start)
            current.sources.append((page.number, k))
    for tt in out:
        settle_columns(tt)
    return out
