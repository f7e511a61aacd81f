"""File identity from content: magic-byte sniffing and streamed hashing.

A file's suffix says what the user thinks it is; its first bytes say what it is. When the two
disagree the batch report should name both ("not a PDF: looks like a PNG image").
"""

from __future__ import annotations

import hashlib
from pathlib import Path

HEAD_BYTES = 1024  # PDF readers accept junk before `%PDF-` within the first 1 KiB

_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"PK\x03\x04", "a ZIP archive (e.g. .docx/.xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (.doc/.xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
]


def describe_content(head: bytes) -> str:
    """A short phrase for what these leading bytes look like, for error messages."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP image"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "a HEIC image"
    if b"%PDF-" in head:
        return "a PDF document"
    stripped = head.lstrip().lower()
    if stripped.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    if stripped.startswith(b"<?xml"):
        return "an XML file"
    if head and b"\x00" not in head:
        return "plain text"
    return "binary data"


def is_pdf_head(head: bytes) -> bool:
    return b"%PDF-" in head[:HEAD_BYTES]


def read_head(path: Path, n: int = HEAD_BYTES) -> bytes:
    with path.open("rb") as f:
        return f.read(n)


def sha256_file(path: Path) -> str:
    """Streamed in chunks: inputs can be large scans that should never sit whole in memory."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
