"""Batch tables for analysts: `tasks.xlsx` (sheets tasks, documents, agencies) and
`tasks.parquet` / `documents.parquet`.

The spreadsheet opens ready to filter: header row frozen, filters on, column widths set, dates
as real dates, lists joined with "; ", and text that Excel would run as a formula stored as
text. Parquet keeps lists as Arrow lists and dates as dates (pyarrow), so pandas needs no
string splitting.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..export import TASK_COLUMNS, atomic_write_bytes
from .records import (
    DATE_COLUMNS,
    DOC_DATE_COLUMNS,
    BatchRows,
    Docs,
    agency_rows_from_links,
    as_date,
    scalar_or_json,
)

TASKS_XLSX = "tasks.xlsx"
TASKS_PARQUET = "tasks.parquet"
DOCUMENTS_PARQUET = "documents.parquet"
MAX_WIDTH = 60


def _columns(rows: list[dict[str, Any]], first: Sequence[str] = ()) -> list[str]:
    cols = list(first)
    for row in rows:
        cols += [k for k in row if k not in cols]
    return cols


def tasks_table(docs: BatchRows | Docs) -> tuple[list[str], list[dict[str, Any]]]:
    rows = [dict(r) for r in BatchRows.of(docs).tasks]
    for r in rows:
        for k in DATE_COLUMNS:
            r[k] = as_date(r.get(k))
    return _columns(rows, TASK_COLUMNS), rows


def documents_table(docs: BatchRows | Docs) -> tuple[list[str], list[dict[str, Any]]]:
    rows = [dict(r) for r in BatchRows.of(docs).documents]
    for r in rows:
        for k in DOC_DATE_COLUMNS:
            r[k] = as_date(r.get(k))
    return _columns(rows), rows


def agencies_table(docs: BatchRows | Docs) -> tuple[list[str], list[dict[str, Any]]]:
    rows = agency_rows_from_links(BatchRows.of(docs).links)
    return _columns(rows, ["agency"]), rows


# --- Parquet ---------------------------------------------------------------------------------


def arrow_table(columns: list[str], rows: list[dict[str, Any]]) -> pa.Table:
    data = {c: [scalar_or_json(r.get(c)) for r in rows] for c in columns}
    arrays = {}
    for c, values in data.items():
        try:
            arrays[c] = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed kinds across rows: keep as text
            arrays[c] = pa.array([None if v is None else str(v) for v in values], pa.string())
        if arrays[c].type == pa.null():
            arrays[c] = arrays[c].cast(pa.string())
    return pa.table(arrays) if arrays else pa.table({})


def parquet_bytes(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue()


def write_parquet(out_dir: Path, docs: BatchRows | Docs) -> list[str]:
    docs = BatchRows.of(docs)
    atomic_write_bytes(out_dir / TASKS_PARQUET, parquet_bytes(arrow_table(*tasks_table(docs))))
    docs_table = arrow_table(*documents_table(docs))
    atomic_write_bytes(out_dir / DOCUMENTS_PARQUET, parquet_bytes(docs_table))
    return []


# --- Excel -----------------------------------------------------------------------------------


def _cell_value(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = scalar_or_json(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _sheet(wb: Any, title: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ws.append(columns)
    widths = [len(c) for c in columns]
    for r, row in enumerate(rows, start=2):
        for c, col in enumerate(columns, start=1):
            value = _cell_value(row.get(col))
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                widths[c - 1] = max(widths[c - 1], min(MAX_WIDTH, len(value)))
            elif hasattr(value, "isoformat"):
                cell.number_format = "yyyy-mm-dd"
                widths[c - 1] = max(widths[c - 1], 10)
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(MAX_WIDTH, w + 2)
    for cell in ws[1]:
        cell.font = Font(bold=True)


def xlsx_bytes(docs: BatchRows | Docs) -> bytes:
    from openpyxl import Workbook

    docs = BatchRows.of(docs)
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, "tasks", *tasks_table(docs))
    _sheet(wb, "documents", *documents_table(docs))
    _sheet(wb, "agencies", *agencies_table(docs))
    buf = io.BytesIO()
    wb.save(buf)
    return reproducible_zip(buf.getvalue())


_XLSX_DATES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def reproducible_zip(data: bytes) -> bytes:
    """The workbook without its save time (zip entry times, created/modified properties), so
    the same documents give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _XLSX_DATES.sub(b"", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, body)
    return out.getvalue()


def write_xlsx(out_dir: Path, docs: BatchRows | Docs) -> list[str]:
    atomic_write_bytes(out_dir / TASKS_XLSX, xlsx_bytes(docs))
    return []
