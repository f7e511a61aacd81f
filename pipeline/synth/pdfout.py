"""Image-only PDFs (no text layer), as a scanner writes them."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from PIL import Image


def _to_pil(image: np.ndarray, grayscale: bool) -> Image.Image:
    img = Image.fromarray(np.asarray(image, dtype=np.uint8))
    return img.convert("L") if grayscale else img.convert("RGB")


def write_image_pdf(
    images: Iterable[np.ndarray],
    path: str | os.PathLike[str],
    dpi: int,
    *,
    quality: int = 75,
    grayscale: bool = False,
    title: str | None = None,
) -> Path:
    """One JPEG-compressed page per image at `dpi`; written to a temp file then renamed, so a
    reader never sees half a PDF. No dates are stored: the same images give the same bytes."""
    pages = [_to_pil(im, grayscale) for im in images]
    if not pages:
        raise ValueError("write_image_pdf needs at least one page")
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".pdf", dir=out.parent)
    os.close(fd)
    try:
        pages[0].save(
            tmp, "PDF", save_all=True, append_images=pages[1:], resolution=float(dpi),
            quality=quality, optimize=True, title=title or out.stem, creationDate=None, modDate=None,
        )  # fmt: skip
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out
