"""The record every ingest module shares: an input that opened, and what page loading needs.

It sits below document.py (which makes it), images.py and pdf.py (which read pages with it), so
none of those three has to import another to name it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest.discover import Kind
from pipeline.types import Source


@dataclass(frozen=True)
class InputDoc:
    """An input that opened: what it is, how many pages, and what page loading needs."""

    path: Path
    kind: Kind
    sha256: str
    size_bytes: int
    page_count: int
    page_sizes: tuple[tuple[float, float], ...] = ()  # PDF: points per page; image: pixels
    encoding: str | None = None  # text inputs: the codec that decoded them
    image_format: str | None = None  # image inputs: Pillow's format name (PNG, JPEG, TIFF)
    warnings: tuple[str, ...] = ()

    def to_source(self) -> Source:
        return Source(
            path=str(self.path),
            sha256=self.sha256,
            kind=self.kind,
            size_bytes=self.size_bytes,
            page_count=self.page_count,
        )
