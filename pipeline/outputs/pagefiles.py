"""Per-page files of one output format (`alto/page-0001.xml`, `hocr/page-0001.hocr`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..export import atomic_write_bytes
from ..types import Document, Page


def write_page_files(
    doc: Document,
    out: Path,
    name: Callable[[int], str],
    render: Callable[[Document, Page], bytes],
) -> list[str]:
    """`out/<name(n)>` for every page, atomically; files of pages no longer there are removed."""
    names = set()
    for page in doc.pages:
        names.add(name(page.number))
        atomic_write_bytes(out / name(page.number), render(doc, page))
    suffix = Path(name(1)).suffix
    for stale in out.glob(f"page-*{suffix}"):
        if stale.name not in names:
            stale.unlink(missing_ok=True)
    return []
