"""PDF access through poppler (pdfinfo via pdf2image, pdftoppm), with its failures made typed.

Poppler reports problems as text on stderr; this module is where that text becomes an
EncryptedPdf, an InputError with a short reason, or a ToolMissing. A page is rendered by one
`pdftoppm` call of our own: pdf2image's `convert_from_path` runs `pdfinfo` and `pdftoppm -v`
before every render (13 ms a page, which the document's `pdfinfo` at opening already paid).
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from pdf2image import pdfinfo_from_path
from pdf2image.exceptions import (
    PDFPageCountError,
    PDFPopplerTimeoutError,
    PDFSyntaxError,
    PopplerNotInstalledError,
)
from PIL import Image, UnidentifiedImageError

from pipeline.errors import EncryptedPdf, InputError, PipelineError, ToolMissing
from pipeline.ingest.images import PageImage, render_dpi, to_array
from pipeline.ingest.record import InputDoc

if TYPE_CHECKING:
    from pipeline.config import Settings

PDFINFO_TIMEOUT_S = 60
RENDER_TIMEOUT_S = 300
_LAST_PAGE = 1_000_000  # pdfinfo clamps -l to the real page count
_PAGE_SIZE = re.compile(r"^Page\s+(\d+)\s+size$")
_SIZE_VALUE = re.compile(r"([\d.]+)\s*x\s*([\d.]+)\s*pts")
_ROTATION = re.compile(r"^Page\s+(\d+)\s+rot$")


def poppler_reason(stderr: str, path: Path, has_eof: bool) -> PipelineError:
    """Turn poppler's complaint into a typed error with a one-line reason."""
    if "Incorrect password" in stderr:
        return EncryptedPdf("password-protected PDF", str(path))
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    detail = next((ln for ln in lines if "rror" in ln), lines[0] if lines else "")
    detail = detail.replace("Syntax Error: ", "").replace("Syntax Error (", "(")
    if not has_eof:
        return InputError(f"truncated PDF (no %%EOF marker): {detail}".rstrip(": "), str(path))
    return InputError(f"corrupt PDF: {detail or 'poppler could not read it'}", str(path))


def _page_geometry(info: dict[str, object]) -> tuple[tuple[float, float], ...]:
    """Per-page (width, height) in points as displayed, i.e. after /Rotate."""
    sizes: dict[int, tuple[float, float]] = {}
    rotations: dict[int, int] = {}
    for key, value in info.items():
        if (m := _PAGE_SIZE.match(key)) and (v := _SIZE_VALUE.search(str(value))):
            sizes[int(m.group(1))] = (float(v.group(1)), float(v.group(2)))
        elif (m := _ROTATION.match(key)) and str(value).strip().lstrip("-").isdigit():
            rotations[int(m.group(1))] = int(str(value).strip()) % 360
    out = []
    for n in sorted(sizes):
        w, h = sizes[n]
        out.append((h, w) if rotations.get(n, 0) in (90, 270) else (w, h))
    return tuple(out)


def pdf_info(path: Path, has_eof: bool) -> tuple[int, tuple[tuple[float, float], ...]]:
    """(page count, per-page sizes in points); typed errors for what poppler cannot open."""
    try:
        info = pdfinfo_from_path(
            str(path), timeout=PDFINFO_TIMEOUT_S, first_page=1, last_page=_LAST_PAGE
        )
    except PopplerNotInstalledError as exc:
        raise ToolMissing("pdfinfo (poppler-utils) is not installed", str(path)) from exc
    except PDFPopplerTimeoutError as exc:
        raise InputError(f"PDF could not be read in {PDFINFO_TIMEOUT_S} s", str(path)) from exc
    except (PDFPageCountError, PDFSyntaxError) as exc:
        raise poppler_reason(str(exc), path, has_eof) from exc
    pages = int(info["Pages"])
    if pages < 1:
        raise InputError("PDF has no pages", str(path))
    return pages, _page_geometry(info)


def render_pdf_page(doc: InputDoc, page_no: int, settings: Settings) -> PageImage:
    """Rasterise one page (never the whole document) at settings.dpi, or less if it is huge:
    `pdftoppm -r DPI -f N -l N` to a PPM on stdout, the call pdf2image makes."""
    size = doc.page_sizes[page_no - 1] if page_no <= len(doc.page_sizes) else None
    dpi, notes = render_dpi(size, settings.dpi, settings.max_image_pixels)
    page = str(page_no)
    try:
        done = subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-f", page, "-l", page, "-singlefile", str(doc.path)],
            capture_output=True,
            timeout=RENDER_TIMEOUT_S,
        )
    except FileNotFoundError as exc:
        raise ToolMissing("pdftoppm (poppler-utils) is not installed", str(doc.path)) from exc
    except subprocess.TimeoutExpired as exc:
        reason = f"page {page_no} did not render in {RENDER_TIMEOUT_S} s"
        raise InputError(reason, str(doc.path)) from exc
    stderr = done.stderr.decode("utf-8", "replace")
    if not done.stdout:
        if done.returncode != 0 and stderr.strip():
            raise poppler_reason(stderr, doc.path, has_eof=True)
        raise InputError(f"page {page_no} could not be rendered", str(doc.path))
    try:
        with Image.open(io.BytesIO(done.stdout)) as img:
            array = to_array(img)
    except (OSError, ValueError, UnidentifiedImageError) as exc:  # died mid-page: partial output
        raise InputError(f"page {page_no} could not be rendered: {exc}", str(doc.path)) from exc
    return PageImage(array, dpi, "render", page_no, notes)
