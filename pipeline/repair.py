"""The text-repair seam: pages in, pages with repaired `Line.text` out (raw text kept).

The restorer itself (diacritics restoration and OCR post-correction) lives in `pipeline.restore`
and is chosen by name (`Settings.restorer`): "none" leaves text as read, "auto" uses the committed
model when it is present. Only changes to page lines are reported; cell repairs mirror them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Protocol, cast

from .types import Page


class Restoration(Protocol):
    text: str
    changes: list[Any]
    mode: str


class TextRestorer(Protocol):
    def restore(self, text: str, mode: str = "auto") -> Restoration: ...


@lru_cache(maxsize=4)
def get_restorer(name: str) -> TextRestorer | None:
    """The named restorer, or None for "none" (and for "auto" when no model is installed)."""
    if name == "none":
        return None
    try:
        from .restore import load_restorer
    except ImportError:
        if name == "auto":
            return None
        raise
    try:
        return cast(TextRestorer, load_restorer())
    except FileNotFoundError:
        if name == "auto":
            return None
        raise


def repair_pages(
    pages: list[Page], restorer: TextRestorer | None, mode: str = "auto"
) -> tuple[list[Page], list[dict[str, Any]]]:
    """Repair every page's lines; return the new pages and one record per changed token."""
    if restorer is None:
        return pages, []
    out, repairs = [], []
    for page in pages:
        if not page.lines:
            out.append(page)
            continue
        # Cells go through the restorer as extra lines after the page's own lines, so a table's
        # grid and its row lines are repaired alike whatever form the rows were written in.
        cells = [c for t in page.tables for c in t.cells]
        texts = [line.raw_text for line in page.lines] + [c.text.replace("\n", " ") for c in cells]
        result = restorer.restore("\n".join(texts), mode=mode)
        new_texts = result.text.split("\n")
        if len(new_texts) != len(texts):  # the restorer must keep line breaks; never guess
            out.append(page.model_copy(update={"warnings": [*page.warnings, "repair skipped"]}))
            continue
        n = len(page.lines)
        lines = [
            line.model_copy(update={"text": text})
            for line, text in zip(page.lines, new_texts[:n], strict=True)
        ]
        fixed = iter(new_texts[n:])
        tables = [
            t.model_copy(
                update={"cells": [c.model_copy(update={"text": next(fixed)}) for c in t.cells]}
            )
            for t in page.tables
        ]
        out.append(page.model_copy(update={"lines": lines, "tables": tables}))
        repairs += [
            _change_record(page.number, c, result.mode) for c in result.changes if c.line < n
        ]
    return out, repairs


def _change_record(page: int, change: Any, mode: str) -> dict[str, Any]:
    return {
        "page": page,
        "line": change.line,
        "start": change.start,
        "end": change.end,
        "original": change.original,
        "replacement": change.replacement,
        "confidence": round(float(change.confidence), 4),
        "mode": mode,
    }
