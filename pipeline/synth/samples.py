"""A plan rendered and degraded into an image-only PDF: the scanned sample and its test twin."""

from __future__ import annotations

from pathlib import Path

from pipeline.synth.degrade import degrade_scan
from pipeline.synth.pdfout import write_image_pdf
from pipeline.synth.plan import plan_from_text
from pipeline.synth.render import render_document

SCAN_DPI = 200
SCAN_SEED = 357
PDF_QUALITY = 38  # grey JPEG pages: keeps the 11-page seed under 3 MB and still legible


def render_scan_pdf(
    text: str,
    out: Path,
    *,
    dpi: int = SCAN_DPI,
    seed: int = SCAN_SEED,
    quality: int = PDF_QUALITY,
    title: str | None = None,
) -> Path:
    """Render the plan at `dpi`, degrade page i with seed `seed + i`, write a grey JPEG PDF.

    Deterministic: the same text and arguments give the same bytes.
    """
    pages = render_document(plan_from_text(text), dpi=dpi)
    images = [degrade_scan(p.image, seed=seed + i) for i, p in enumerate(pages)]
    return write_image_pdf(
        images, out, dpi, quality=quality, grayscale=True, title=title or out.stem
    )
