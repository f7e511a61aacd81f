"""Opening one input: identity (hash, size, kind) and page count, or a typed reason it is unusable.

Opening is cheap on purpose: headers and page counts only, no page is decoded or rendered. What a
page needs later (its size, the text codec) is recorded in the frozen InputDoc.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from pipeline.config import Settings
from pipeline.errors import ImageTooLarge, InputError, PipelineError, UnreadableInput
from pipeline.ingest.discover import kind_for_suffix, path_problem
from pipeline.ingest.images import check_pixels, pillow_pixel_limit
from pipeline.ingest.legacy import LEGACY_ENCODINGS, conversion_warning
from pipeline.ingest.pdf import pdf_info
from pipeline.ingest.record import InputDoc
from pipeline.ingest.sniff import describe_content, is_pdf_head, read_head, sha256_file
from pipeline.ingest.textfile import MAX_TEXT_BYTES, text_pages_from_bytes

_EOF_TAIL_BYTES = 2048  # writers may pad after %%EOF; a truncated file has none near its end
# Judged by content, not suffix: a PNG saved as .jpg is still a fine page.
_IMAGE_MAGIC = (
    "a PNG image",
    "a JPEG image",
    "a TIFF image",
    "a BMP image",
    "a GIF image",
    "a WebP image",
)


@dataclass(frozen=True)
class _Opened:
    """What a kind-specific opener learned; InputDoc adds identity to it."""

    page_count: int
    page_sizes: tuple[tuple[float, float], ...] = ()
    encoding: str | None = None
    image_format: str | None = None
    warnings: tuple[str, ...] = ()


def _read_tail(path: Path, n: int) -> bytes:
    with path.open("rb") as f:
        f.seek(0, 2)
        f.seek(max(0, f.tell() - n))
        return f.read()


def _open_pdf(path: Path, head: bytes) -> _Opened:
    if not is_pdf_head(head):
        raise InputError(f"not a PDF: looks like {describe_content(head)}", str(path))
    has_eof = b"%%EOF" in _read_tail(path, _EOF_TAIL_BYTES)
    pages, sizes = pdf_info(path, has_eof)
    warnings = () if has_eof else ("PDF looks truncated (no %%EOF marker); pages may be missing",)
    return _Opened(pages, sizes, warnings=warnings)


def _open_image(path: Path, head: bytes, settings: Settings) -> _Opened:
    looks = describe_content(head)
    if looks not in _IMAGE_MAGIC:
        raise InputError(f"not a supported image: looks like {looks}", str(path))
    sizes: list[tuple[int, int]] = []
    try:
        with pillow_pixel_limit(settings.max_image_pixels):
            with Image.open(path) as img:
                fmt = img.format
                for frame in range(getattr(img, "n_frames", 1)):
                    img.seek(frame)
                    what = f"page {frame + 1}" if frame else "image"
                    check_pixels(img.size, settings.max_image_pixels, what)
                    sizes.append(img.size)
            if fmt == "PNG":  # chunk CRCs catch truncation and corruption without decoding
                with Image.open(path) as img:
                    img.verify()
    except (ImageTooLarge, InputError):
        raise
    except UnidentifiedImageError as exc:
        raise InputError(f"unreadable image data ({looks})", str(path)) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise InputError(f"corrupt image: {exc}", str(path)) from exc
    page_sizes = tuple((float(w), float(h)) for w, h in sizes)
    return _Opened(len(sizes), page_sizes, image_format=fmt)


def _open_text(path: Path, size: int) -> _Opened:
    if size > MAX_TEXT_BYTES:
        raise InputError(f"text file too large ({size:,} bytes)", str(path))
    pages, encoding = text_pages_from_bytes(path.read_bytes())
    legacy = (conversion_warning(encoding),) if encoding in LEGACY_ENCODINGS else ()
    return _Opened(len(pages), encoding=encoding, warnings=legacy)


def _check_readable(path: Path) -> int:
    """Size in bytes of a readable regular file; UnreadableInput/InputError otherwise."""
    problem = path_problem(path)
    if problem is not None:
        raise problem
    size = path.stat().st_size
    try:
        with path.open("rb"):
            pass
    except PermissionError as exc:
        raise UnreadableInput("permission denied", str(path)) from exc
    except OSError as exc:
        raise UnreadableInput(exc.strerror or type(exc).__name__, str(path)) from exc
    if size == 0:
        raise InputError("empty file (0 bytes)", str(path))
    return size


def open_input(path: Path, settings: Settings | None = None) -> InputDoc:
    """Identify one input file and count its pages; raises a typed PipelineError when unusable."""
    settings = settings or Settings()
    kind = kind_for_suffix(path)
    if kind is None:
        raise InputError(f"unsupported file type {path.suffix or '(no suffix)'}", str(path))
    size = _check_readable(path)
    head = read_head(path)
    try:
        if kind == "pdf":
            opened = _open_pdf(path, head)
        elif kind == "image":
            opened = _open_image(path, head, settings)
        else:
            opened = _open_text(path, size)
    except PipelineError as exc:
        exc.path = exc.path or str(path)
        raise
    return InputDoc(
        path=path,
        kind=kind,
        sha256=sha256_file(path),
        size_bytes=size,
        page_count=opened.page_count,
        page_sizes=opened.page_sizes,
        encoding=opened.encoding,
        image_format=opened.image_format,
        warnings=opened.warnings,
    )
