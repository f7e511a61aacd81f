"""Pixels of one page: Pillow for image files, poppler (pdf2image) for PDF pages.

Every image is normalised to uint8 RGB (H×W×3) or grayscale (H×W) here, once, so the OpenCV stages
never meet palettes, 16-bit samples, CMYK or alpha. Pixel limits are checked from headers before
any decoding, so a decompression bomb costs nothing.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from PIL import Image, ImageOps

from pipeline.errors import ImageTooLarge, InputError
from pipeline.ingest.record import InputDoc

if TYPE_CHECKING:
    from pipeline.config import Settings

DEFAULT_IMAGE_DPI = 200  # what a scan without resolution metadata most likely is
_DPI_RANGE = (50.0, 2400.0)
_MAX_PAGE_INCHES = 24.0  # about A2: a "72 dpi" phone photo implies a 40-inch page, so ignore it
_MIN_RENDER_DPI = 50

DpiSource = Literal["metadata", "default", "render"]


@dataclass(frozen=True, eq=False)
class PageImage:
    """One page's pixels (uint8, RGB or grayscale) and the resolution they were captured at."""

    image: np.ndarray
    dpi: int
    dpi_source: DpiSource
    page_no: int
    warnings: tuple[str, ...] = ()


@contextmanager
def pillow_pixel_limit(max_pixels: int) -> Iterator[None]:
    """Let Pillow's own bomb check use our limit (it raises at twice the limit, warns above it).

    Pillow keeps the limit in a module global; the pipeline parallelises with processes, not
    threads, so swapping it for the duration of one open is safe.
    """
    old = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            yield
    except Image.DecompressionBombError as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(found.group(1)):,} pixels" if found else "too many pixels"
        reason = f"image is {size}, over the {max_pixels:,} limit (decompression bomb?)"
        raise ImageTooLarge(reason) from exc
    finally:
        Image.MAX_IMAGE_PIXELS = old


def check_pixels(size: tuple[int, int], max_pixels: int, what: str = "image") -> None:
    w, h = size
    if w * h > max_pixels:
        raise ImageTooLarge(f"{what} is {w}×{h} = {w * h:,} pixels, over the {max_pixels:,} limit")


def metadata_dpi(img: Image.Image) -> float | None:
    """The resolution the file declares, if plausible for a document page."""
    dpi = img.info.get("dpi")
    if not dpi:
        return None
    try:
        value = float(dpi[0] if isinstance(dpi, tuple) else dpi)
    except (TypeError, ValueError):
        return None
    if not (_DPI_RANGE[0] <= value <= _DPI_RANGE[1]):
        return None
    if max(img.size) / value > _MAX_PAGE_INCHES:
        return None
    return value


def _with_white_background(img: Image.Image) -> Image.Image:
    """Composite transparency onto white paper rather than letting it turn black."""
    rgba = img.convert("RGBA")
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(paper, rgba).convert("RGB")


def _scale_wide_samples(img: Image.Image) -> np.ndarray:
    """16/32-bit integer or float samples → uint8 by their nominal range, not by clipping."""
    arr = np.asarray(img)
    if arr.dtype.kind == "f":
        lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
        scaled = (arr - lo) / (hi - lo) * 255 if hi > lo else np.zeros_like(arr)
        return np.nan_to_num(scaled).round().astype(np.uint8)
    wide = img.mode.startswith("I;16") or arr.max(initial=0) > 255
    top = 65535 if wide else 255
    return (arr.astype(np.float64) * (255 / top)).round().clip(0, 255).astype(np.uint8)


def to_array(img: Image.Image) -> np.ndarray:
    """Any Pillow mode → uint8 grayscale (H×W) or RGB (H×W×3)."""
    mode = img.mode
    if mode in ("1", "L"):
        out = img.convert("L")
    elif mode in ("I", "F") or mode.startswith("I;"):
        return np.ascontiguousarray(_scale_wide_samples(img))
    elif mode in ("LA", "La", "PA", "RGBA", "RGBa") or (mode == "P" and "transparency" in img.info):
        out = _with_white_background(img)
        if mode in ("LA", "La"):
            out = out.convert("L")
    else:  # P, RGB, CMYK, YCbCr, LAB, HSV, RGBX ...
        out = img.convert("RGB")
    return np.ascontiguousarray(np.asarray(out, dtype=np.uint8))


def _upright(img: Image.Image) -> tuple[Image.Image, tuple[str, ...]]:
    """Apply the EXIF orientation (phone photos are stored sideways); a broken EXIF is no error."""
    try:
        orientation = img.getexif().get(0x0112, 1)
    except Exception:  # noqa: BLE001 - malformed EXIF raises anything; the pixels are still good
        return img, ("unreadable EXIF block: orientation not applied",)
    if orientation in (None, 1):
        return img, ()
    return ImageOps.exif_transpose(img), ()


def load_image_frame(doc: InputDoc, page_no: int, settings: Settings) -> PageImage:
    """Frame `page_no` of an image file, EXIF orientation applied."""
    try:
        with pillow_pixel_limit(settings.max_image_pixels), Image.open(doc.path) as img:
            img.seek(page_no - 1)
            check_pixels(img.size, settings.max_image_pixels)
            dpi = metadata_dpi(img)
            upright, notes = _upright(img)
            array = to_array(upright)
    except (ImageTooLarge, InputError):
        raise
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise InputError(f"corrupt image (page {page_no}): {exc}", str(doc.path)) from exc
    if dpi is None:
        return PageImage(array, DEFAULT_IMAGE_DPI, "default", page_no, notes)
    return PageImage(array, round(dpi), "metadata", page_no, notes)


def render_dpi(
    page_size_pt: tuple[float, float] | None, dpi: int, max_pixels: int
) -> tuple[int, tuple[str, ...]]:
    """The dpi to rasterise a PDF page at: `dpi`, lowered so the page fits the pixel limit."""
    if page_size_pt is None:
        return dpi, ()
    w_in, h_in = page_size_pt[0] / 72, page_size_pt[1] / 72
    pixels = w_in * h_in * dpi * dpi
    if pixels <= max_pixels:
        return dpi, ()
    fitted = math.floor(math.sqrt(max_pixels / (w_in * h_in)))
    if fitted < _MIN_RENDER_DPI:
        raise ImageTooLarge(
            f"page is {w_in:.0f}×{h_in:.0f} inches; even {_MIN_RENDER_DPI} dpi exceeds the "
            f"{max_pixels:,} pixel limit"
        )
    note = f"page is {w_in:.1f}×{h_in:.1f} inches: rendered at {fitted} dpi instead of {dpi}"
    return fitted, (note,)
