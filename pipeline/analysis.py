"""The analyst's entry point: `load("data/processed")` -> pandas DataFrames with proper dtypes.

    from pipeline.analysis import load
    data = load("data/processed")
    data.tasks[data.tasks.chu_tri_canonical.apply(lambda a: "Sở Y tế" in a)]
    data.tasks[data.tasks.thoi_gian_deadline < "2025-01-01"]

Read from the `document.json` files of the folder (the source of truth, so a folder that
several batches wrote into is read whole), through the same rows as the table outputs: lists
stay Python lists, dates are `datetime64`, counts integers, text pandas strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .outputs import documents_in
from .outputs.tables import agencies_table, documents_table, tasks_table

__all__ = ["Catalogue", "load"]


@dataclass(frozen=True)
class Catalogue:
    tasks: pd.DataFrame
    documents: pd.DataFrame
    agencies: pd.DataFrame


def _frame(columns: list[str], rows: list[dict], dates: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for col in frame.columns:
        values = frame[col].dropna()
        if col in dates:
            frame[col] = pd.to_datetime(frame[col], errors="coerce")
        elif len(values) and all(isinstance(v, list) for v in values):
            frame[col] = frame[col].apply(lambda v: v if isinstance(v, list) else [])
        elif len(values) and all(isinstance(v, bool) for v in values):
            frame[col] = frame[col].astype("boolean")
        elif len(values) and all(isinstance(v, int) for v in values):
            frame[col] = frame[col].astype("Int64")
        elif len(values) and all(isinstance(v, float | int) for v in values):
            frame[col] = frame[col].astype("float64")
        elif all(isinstance(v, str) for v in values):
            frame[col] = frame[col].astype("string")
    return frame


def load(folder: str | Path) -> Catalogue:
    """tasks (one row per task), documents (one per input), agencies (one per canonical
    agency, with task counts by role and every spelling seen) of an output folder."""
    docs = documents_in(Path(folder))
    task_cols, task_rows = tasks_table(docs)
    doc_cols, doc_rows = documents_table(docs)
    ag_cols, ag_rows = agencies_table(docs)
    return Catalogue(
        tasks=_frame(
            task_cols,
            task_rows,
            ("doc_date", "thoi_gian_start", "thoi_gian_end", "thoi_gian_deadline"),
        ),
        documents=_frame(doc_cols, doc_rows, ("date",)),
        agencies=_frame(ag_cols, ag_rows),
    )
