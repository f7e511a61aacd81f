"""What the review page draws: page images cached inside the served folder, and every box mapped
onto them.

A `vndoc run` output folder holds no page images. The first time a page is viewed it is rendered
from the input recorded in `document.json` (`source.path`, taken as given or relative to the
served folder's parent or the working directory) with the project's own ingest, but only if that
file's sha256 is the one recorded — the exact input of this run — and written to
`DIR/<stem>/review-pages/<sha256[:12]>-NNNN.png` (named by the input, so a re-read input never
shows a stale image). The server then serves that file like any other file under
DIR. When the input is gone or changed, the page shows the word boxes on a blank sheet.

Boxes in `document.json` are pixels of the cleaned page (levelled, turned, upscaled); for an OCR
page they are mapped back onto the source image with the clean-up's logged geometry
(`outputs.geometry`), as the searchable PDF and ALTO do.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image

from ..config import Settings
from ..errors import PipelineError
from ..export import atomic_write_bytes
from ..ingest import load_page_image, open_input
from ..ingest.sniff import sha256_file
from ..outputs.geometry import PageGeometry, page_geometry
from ..types import Box, Document, Page

PAGES_DIR = "review-pages"
DISPLAY_DPI = 150  # enough to read a scan on screen; boxes are scaled by the SVG viewBox
LOW_CONF = 60.0  # the same threshold as PageQuality.low_conf_share


@dataclass
class PageView:
    """One page as drawn: its frame size (the SVG viewBox) and boxes in that frame."""

    number: int
    width: float
    height: float
    words: list[tuple[Box, str, float, int]] = field(default_factory=list)  # box, text, conf, line
    lines: list[Box | None] = field(default_factory=list)  # per line index, for evidence
    has_boxes: bool = False


def _geometry(page: Page) -> PageGeometry | None:
    if page.source != "ocr":
        return None
    try:
        return page_geometry(page)
    except (ValueError, KeyError, TypeError, ArithmeticError):
        return None


def page_view(page: Page) -> PageView:
    geo = _geometry(page)
    width, height = (geo.source_size if geo else (page.width, page.height)) or (0, 0)

    def mapped(box: Box | None) -> Box | None:
        return geo.box(box) if (geo and box) else box

    view = PageView(page.number, float(width or 0), float(height or 0))
    for i, line in enumerate(page.lines):
        view.lines.append(mapped(line.box))
        for w in line.words:
            if w.box is not None:
                view.words.append((mapped(w.box), w.text, w.conf, i))  # type: ignore[arg-type]
    view.has_boxes = bool(view.words) and view.width > 0 and view.height > 0
    return view


def evidence_box(view: PageView, line: int | None, box: Box | None, page: Page) -> Box | None:
    """An evidence record's box on the drawn page: its own box, else its line's."""
    if box is not None:
        geo = _geometry(page)
        return geo.box(box) if geo else box
    if line is not None and 0 <= line < len(view.lines):
        return view.lines[line]
    return None


def _source_candidates(recorded: str, served: Path) -> list[Path]:
    path = Path(recorded)
    if path.is_absolute():
        return [path]
    return [Path.cwd() / path, served.parent / path, served / path]


@lru_cache(maxsize=256)
def _sha256(path: str, mtime_ns: int, size: int) -> str:
    """A file's sha256, hashed once per version of the file (a PDF is hashed per page view
    otherwise)."""
    return sha256_file(Path(path))


def _find_source(doc: Document, served: Path) -> Path | None:
    for candidate in _source_candidates(doc.source.path, served):
        try:
            st = candidate.stat()
            if candidate.is_file() and _sha256(str(candidate), st.st_mtime_ns, st.st_size) == (
                doc.source.sha256
            ):
                return candidate
        except OSError:
            continue
    return None


def cached_page_image(served: Path, stem: str, doc: Document, number: int) -> Path | None:
    """`DIR/<stem>/review-pages/<sha>-NNNN.png`, rendered on first use; None if it cannot be."""
    target = served / stem / PAGES_DIR / f"{doc.source.sha256[:12]}-{number:04d}.png"
    if target.is_file():
        return target
    if doc.source.kind == "text" or not 1 <= number <= doc.source.page_count:
        return None
    source = _find_source(doc, served)
    if source is None:
        return None
    settings = Settings(dpi=DISPLAY_DPI)
    try:
        image = load_page_image(open_input(source, settings), number, settings)
    except (PipelineError, ValueError, OSError):
        return None
    buf = io.BytesIO()
    Image.fromarray(image.image).save(buf, format="PNG", optimize=False)
    atomic_write_bytes(target, buf.getvalue())
    return target
