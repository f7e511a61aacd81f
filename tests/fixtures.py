"""Inputs made in code for the tests: PDFs (text, scanned, encrypted), PNG bombs."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipeline.textnorm import strip_tone

# fonts-liberation (1.x) lacks the Vietnamese letters U+1EA0..U+1EF9; liberation2 and DejaVu have them.
FONTS = [
    Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
]


def vietnamese_font() -> str:
    """A registered TrueType font with every Vietnamese letter (reportlab's base 14 have none)."""
    if "VietSerif" in pdfmetrics.getRegisteredFontNames():
        return "VietSerif"
    font = next((f for f in FONTS if f.exists()), None)
    if font is None:
        pytest.skip("no Vietnamese-capable font (fonts-liberation2 or fonts-dejavu-core)")
    pdfmetrics.registerFont(TTFont("VietSerif", str(font)))
    return "VietSerif"


def make_pdf(
    path: Path,
    pages: list[list[str]],
    *,
    scan: Image.Image | None = None,
    invisible: bool = False,
    encrypt: StandardEncryption | None = None,
    pagesize: tuple[float, float] = A4,
    rotate: int = 0,
) -> Path:
    """A PDF with one page per list of lines; `scan` is drawn full-page under the text."""
    font = vietnamese_font() if any(pages) else "Helvetica"
    c = canvas.Canvas(str(path), pagesize=pagesize, encrypt=encrypt, invariant=1)
    width, height = pagesize
    for lines in pages:
        c.setPageRotation(rotate)
        if scan is not None:
            c.drawImage(ImageReader(scan), 0, 0, width, height)
        text = c.beginText(72, height - 72)
        text.setFont(font, 12)
        if invisible:
            text.setTextRenderMode(3)
        for line in lines:
            text.textLine(line)
        c.drawText(text)
        c.showPage()
    c.save()
    return path


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A tiny PNG whose header claims width×height pixels: a decompression bomb's shape."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )
    return path


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as legacy Vietnamese editors wrote it: base letters, tone marks combining."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, tone = strip_tone(ch)
            out += (base + tone).encode("cp1258")
    return out
