"""Page access for an opened input: one page at a time, never the whole document in memory."""

from __future__ import annotations

from pipeline.config import Settings
from pipeline.errors import InputError, PipelineError
from pipeline.ingest.document import InputDoc
from pipeline.ingest.images import PageImage, load_image_frame
from pipeline.ingest.pdf import render_pdf_page
from pipeline.ingest.textfile import decode_text, normalize_text, split_pages


def _check_page_no(doc: InputDoc, page_no: int) -> None:
    if not 1 <= page_no <= doc.page_count:
        raise ValueError(f"{doc.path}: page {page_no} outside 1..{doc.page_count}")


def load_page_image(doc: InputDoc, page_no: int, settings: Settings | None = None) -> PageImage:
    """Pixels of page `page_no` (1-based) as uint8 RGB or grayscale, with their dpi.

    PDF pages are rendered at settings.dpi (lowered for pages too large for the pixel limit);
    images keep their own resolution, taken from metadata when plausible, else 200 dpi.
    """
    settings = settings or Settings()
    _check_page_no(doc, page_no)
    if doc.kind == "text":
        raise ValueError(f"{doc.path}: a text input has no page images")
    try:
        if doc.kind == "pdf":
            return render_pdf_page(doc, page_no, settings)
        return load_image_frame(doc, page_no, settings)
    except PipelineError as exc:
        exc.path = exc.path or str(doc.path)
        raise


def read_text_pages(doc: InputDoc) -> list[str]:
    """The pages of a text input: decoded, NFC, Unix newlines, split on form feed."""
    if doc.kind != "text":
        raise ValueError(f"{doc.path}: not a text input")
    try:
        data = doc.path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(doc.path)) from exc
    try:
        text, _ = decode_text(data)
    except InputError as exc:
        exc.path = str(doc.path)
        raise
    return split_pages(normalize_text(text))
