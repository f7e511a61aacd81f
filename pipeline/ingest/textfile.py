"""Plain-text inputs: decode legacy encodings once at the edge, NFC, pages split on form feed.

Legacy OCR exports and Word "save as text" arrive as UTF-8 (with or without BOM), UTF-16 with a
BOM, or Windows-1258 (Vietnamese ANSI, which types tone marks as combining characters); anything
that decodes only with replacement characters is refused rather than guessed. Text typed in a
legacy font encoding (TCVN3, VNI, VISCII), as its own bytes or as UTF-8 of the mojibake, is
converted to Unicode (`legacy.py`) and its codec reported as that encoding.
"""

from __future__ import annotations

import codecs
import re

from pipeline.errors import InputError
from pipeline.ingest.legacy import decode_legacy_bytes, detect_and_convert
from pipeline.ingest.sniff import describe_content
from pipeline.textnorm import nfc

MAX_TEXT_BYTES = 64 * 1024 * 1024  # a text input larger than this is not a document

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_FALLBACKS = ("cp1258", "cp1252")
# C0/C1 controls other than tab, newline, carriage return and form feed betray binary data.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.01


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _looks_utf16_le(data: bytes) -> bool:
    """UTF-16-LE without BOM: most high bytes of mostly-Latin text are zero."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return False
    odd = sample[1::2]
    return odd.count(0) > 0.4 * len(odd) and sample[0::2].count(0) < 0.05 * len(odd)


def _is_texty(text: str) -> bool:
    if not text:
        return True
    return len(_CONTROL.findall(text)) <= _MAX_CONTROL_SHARE * len(text)


def _candidates(data: bytes) -> list[str]:
    bom = _bom_encoding(data)
    if bom:
        return [bom]
    if _looks_utf16_le(data):
        return ["utf-16-le"]
    if b"\x00" in data:
        return []  # NUL bytes outside UTF-16/32 mean binary data
    return ["utf-8", *_FALLBACKS]


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, codec name) for the bytes of a text input; InputError when they are not text.

    The codec is `tcvn3`, `vni` or `viscii` when the text was typed in that legacy encoding and
    has been converted to Unicode; those are tried before Windows-1258, which would otherwise
    decode their bytes into other mojibake.
    """
    for encoding in _candidates(data):
        if encoding == _FALLBACKS[0]:
            legacy = decode_legacy_bytes(data)
            if legacy is not None and _is_texty(legacy[0]):
                return legacy
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        text, legacy_encoding = detect_and_convert(text)
        if _is_texty(text):
            return text, legacy_encoding or encoding
        break  # it decoded but is full of control characters: binary, not a codec problem
    raise InputError(f"not a text file: looks like {describe_content(data[:1024])}")


def normalize_text(text: str) -> str:
    """NFC, Unix newlines, no BOM; form feeds are kept as page breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x85", "\n")
    return nfc(text)


def split_pages(text: str) -> list[str]:
    """Split on form feed, dropping the empty page after a trailing one (as pdftotext writes)."""
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    return pages


def text_pages_from_bytes(data: bytes) -> tuple[list[str], str]:
    """(pages, codec) for the raw bytes of a text input."""
    text, encoding = decode_text(data)
    return split_pages(normalize_text(text)), encoding
