"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI, VISCII): detect them, convert to Unicode.

Archives hold many documents typed with `.VnTime` (TCVN3) and `VNI-Times` fonts. Their text, in a
`.txt` export or a PDF text layer, reads "Céng hoµ x· héi chñ nghÜa" or "Coäng hoøa xaõ hoäi"
(issue 10, class 9). The tables and the content detector come from `viparse` (MIT): its TCVN3 and
VNI tables were aligned against real government documents, and its detector refuses other
diacritic-heavy Latin text (Spanish, German) by the words the conversion produces. Measured on the
seed plan re-typed in each encoding (TCVN3 and VISCII by glibc `iconv`, VNI by the VNI-Windows
chart), it converts every word back and detects each encoding from 60 characters on; it fires on
none of the real texts in /work/shared/realdocs nor on English or plain ASCII.

viparse's public `fix()` also collapses whitespace and turns form feeds (our page breaks) into
newlines, so its detector and tables are called directly; pyproject pins viparse below 0.2.

What this module adds, and why:
- a second opinion from this project's syllable check (`vietnamese_share`): a conversion is kept
  only when it makes the text markedly more Vietnamese, so good Unicode text is never rewritten;
- bytes: a file that is not UTF-8 is read as Windows-1252 with Latin-1 for the five bytes
  cp1252 leaves undefined, then judged; VISCII keeps letters in C0/C1 code points, so its table
  is applied to the Latin-1 surface of the text (mojibake made through cp1252 is mapped back);
- soft hyphen: U+00AD is the letter ư in TCVN3, so conversion runs before NFC clean-up drops it;
- capitals: TCVN3 (VN3) has no toned capitals; headings are typed with the lowercase codes in a
  capitals font (`.VnTimeH`), so the table gives "CộNG HòA". `restore_capitals` reads such a line
  or word case-insensitively (all its ASCII letters capitals → the whole token or line in
  capitals), and a PDF word set in a `.Vn…H` font is put in capitals outright;
- VNI ẳ/Ẳ (`aú`/`AÚ`, breve + hook above in the VNI-Windows chart), which viparse leaves out for
  want of an example in its corpus ("chẳng" is common in plans).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from viparse.normalize.detector import detect_encoding_by_content
from viparse.normalize.encodings import AUTO_DETECT_CHARMAPS, CHARMAPS
from viparse.normalize.tables import Charmap, build_charmap, convert

from pipeline.textnorm import vietnamese_share
from pipeline.types import Page

LEGACY_ENCODINGS = ("tcvn3", "vni", "viscii")
NAMES = {"tcvn3": "TCVN3 (ABC, .VnTime)", "vni": "VNI", "viscii": "VISCII"}
MIN_VALID_GAIN = 0.15  # valid-syllable share a conversion must add
MIN_VALID_AFTER = 0.6  # and reach; seed plan re-typed: 0.28 → 0.98 (TCVN3)
_SAMPLE_CHARS = 50_000  # enough to judge; a long file is converted whole but judged on its start

_VNI_GAPS = [("aú", "ẳ"), ("AÚ", "Ẳ")]
_CHARMAPS: dict[str, Charmap] = {
    "tcvn3": CHARMAPS["tcvn3"],
    "vni": build_charmap("vni", [*CHARMAPS["vni"].pairs, *_VNI_GAPS]),
    "viscii": CHARMAPS["viscii"],
}
# Windows-1252 punctuation in 0x80-0x9F, mapped back to the byte it was typed as (VISCII letters).
_CP1252_TO_LATIN1 = {
    ord(bytes([b]).decode("cp1252")): chr(b)
    for b in range(0x80, 0xA0)
    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_LATIN1_TO_CP1252 = {ord(v): k for k, v in _CP1252_TO_LATIN1.items()}
# Characters only legacy text carries outside ASCII; text without any is left alone at once.
_LEGACY_SURFACE = re.compile("[\x02\x05\x06\x14\x19\x1e\x80-\xff\u2212\u2219]")
# A PDF text layer gives TCVN3's ư (0xAD) as U+2212 MINUS. viparse restores it beside a letter
# only; "ương" is "−¬ng", whose neighbour ¬ (ơ) is a legacy code, so here a minus beside either
# is ư, and one between digits or spaces stays a minus.
_PDF_MINUS = re.compile("(?<=[A-Za-z\xa1-\xff])\u2212|\u2212(?=[A-Za-z\xa1-\xff])")
# `.VnTimeH`, `ABCDEF+.VnArialH,Bold`: TCVN3 capitals fonts.
_CAPS_FONT = re.compile(r"^(?:[A-Z]{6}\+)?\.Vn[^,+-]*H(?:[,-].*)?$")
_LEGACY_FONT = re.compile(r"^(?:[A-Z]{6}\+)?(\.vn|vni)", re.IGNORECASE)
_ASCII_LOWER = re.compile("[a-z]")
_VN3_CAPITALS = set("ĂÂÊÔƠƯĐ")
_MARKER = r"(?:\d+\.)+\d*|[IVXLC]+\.|[-–+•]|[a-zđ]\)"
_ITEM_START = re.compile(rf"^(\s*(?:{_MARKER})\s+)(\w)")
_PARAGRAPH_START = re.compile(rf"^(\s*(?:(?:{_MARKER})\s+)?)(\w)")
_SENTENCE_START = re.compile(r"([.!?]\s+)(\w)")


def latin1_surface(text: str) -> str:
    """Text as the Latin-1 characters of the bytes it was typed as (cp1252 punctuation undone)."""
    return text.translate(_CP1252_TO_LATIN1)


def decode_windows_bytes(data: bytes) -> str:
    """Bytes as Windows-1252, with Latin-1 for the bytes cp1252 leaves undefined (never fails)."""
    return data.decode("latin-1").translate(_LATIN1_TO_CP1252)


def convert_with(text: str, encoding: str) -> str:
    """Convert legacy text with one named table (NFC out); capitals are left as typed."""
    if encoding == "viscii":
        text = latin1_surface(text)
    if encoding == "tcvn3":
        text = _PDF_MINUS.sub("\xad", text)
    return convert(text, _CHARMAPS[encoding])


def _confirmed(text: str, converted: str) -> bool:
    before, _ = vietnamese_share(text)
    after, _ = vietnamese_share(converted)
    return after >= MIN_VALID_AFTER and after - before >= MIN_VALID_GAIN


def detect_encoding(text: str, hint: str | None = None) -> str | None:
    """The legacy encoding `text` is in, or None when it is Unicode (or not Vietnamese).

    `hint` is an encoding implied by font names (a PDF's `.VnTime` → tcvn3); it replaces the
    content detector's proposal, but the syllable check must still agree.
    """
    text = text[:_SAMPLE_CHARS]
    if not _LEGACY_SURFACE.search(text):
        return None
    proposal = (
        hint or detect_encoding_by_content(latin1_surface(text), AUTO_DETECT_CHARMAPS).encoding
    )
    if proposal not in _CHARMAPS:
        return None
    return proposal if _confirmed(text, convert_with(text, proposal)) else None


def _case_word(token: str) -> bool:
    """A word in capitals that only its ASCII letters show as such: `HOạCH`, `ủY`, `CộNG`.

    It holds a small toned letter and either two ASCII capitals and no small ASCII letter, or an
    ASCII capital after the small letter (no sentence-case word has one there).
    """
    small = [i for i, ch in enumerate(token) if ch.islower() and not ch.isascii()]
    if not small:
        return False
    caps = [i for i, ch in enumerate(token) if "A" <= ch <= "Z"]
    if len(caps) >= 2 and not _ASCII_LOWER.search(token):
        return True
    return any(i > small[0] for i in caps)


def _lacks_vn3_capital(ch: str) -> bool:
    return ch.islower() and not ch.isascii() and ch.upper() not in _VN3_CAPITALS


def _capitalize_starts(line: str, paragraph: bool) -> str:
    """`10. ủy ban` → `10. Ủy ban`: a sentence's first letter that VN3 had no capital for."""
    start = _PARAGRAPH_START if paragraph else _ITEM_START

    def up(m: re.Match[str]) -> str:
        ch = m.group(2)
        return m.group(1) + (ch.upper() if _lacks_vn3_capital(ch) else ch)

    return _SENTENCE_START.sub(up, start.sub(up, line, count=1))


def restore_capitals(line: str, paragraph: bool = True) -> str:
    """Read TCVN3 capitals typed over lowercase codes: `CộNG HòA Xã HộI` → `CỘNG HÒA XÃ HỘI`.

    Words such as `HOạCH` go to capitals; a line with one of them and no small ASCII letter is a
    heading and goes to capitals whole (`Xã` in it too). A lone capital (`Hà`, `Số: 357/KH-UBND`)
    is an initial, not a heading, and stays as it is. VN3 cannot type a toned capital, so a
    sentence that starts with a toned small letter (`10. ủy ban`, `. ủy ban`) gets its capital
    back; `paragraph` says the line starts a paragraph (a text file's line, not a PDF's).
    """
    tokens = line.split()
    if any(_case_word(t) for t in tokens):
        if not _ASCII_LOWER.search(line):
            return line.upper()
        line = re.sub(
            r"\S+", lambda m: m.group().upper() if _case_word(m.group()) else m.group(), line
        )
    return _capitalize_starts(line, paragraph)


def detect_and_convert(text: str, hint: str | None = None) -> tuple[str, str | None]:
    """(Unicode text, legacy encoding) for text that may be TCVN3, VNI or VISCII mojibake.

    Unicode text comes back unchanged with None. Converted text is NFC; TCVN3 capitals typed over
    lowercase codes are restored line by line.
    """
    encoding = detect_encoding(text, hint)
    if encoding is None:
        return text, None
    converted = convert_with(text, encoding)
    if encoding == "tcvn3":
        converted = "\n".join(restore_capitals(line) for line in converted.split("\n"))
    return converted, encoding


def decode_legacy_bytes(data: bytes) -> tuple[str, str] | None:
    """(Unicode text, encoding) for the bytes of a file typed in a legacy font, else None."""
    text, encoding = detect_and_convert(decode_windows_bytes(data))
    return (text, encoding) if encoding else None


def font_hint(fonts: Sequence[str]) -> str | None:
    """The encoding most words' legacy font names imply (`.VnTime` → tcvn3, `VNI-Times` → vni)."""
    found = Counter(
        "tcvn3" if m.group(1).lower() == ".vn" else "vni"
        for m in (_LEGACY_FONT.match(f) for f in fonts)
        if m
    )
    return found.most_common(1)[0][0] if found else None


def convert_words(texts: Sequence[str], fonts: Sequence[str]) -> tuple[list[str], str | None]:
    """Convert the words of a PDF page (text, font name per word) when the page is legacy text.

    Where the page names legacy fonts, only words set in them are converted, so a Unicode
    signature stamp over a `.VnTime` page is left alone; words in a `.Vn…H` font are capitals.
    """
    hint = font_hint(fonts)
    legacy = [bool(_LEGACY_FONT.match(f)) or hint is None for f in fonts]
    sample = " ".join(t for t, keep in zip(texts, legacy, strict=True) if keep)
    encoding = detect_encoding(sample, hint)
    if encoding is None:
        return list(texts), None
    out = []
    for text, font, keep in zip(texts, fonts, legacy, strict=True):
        if keep:
            text = convert_with(text, encoding)
            if encoding == "tcvn3" and _CAPS_FONT.match(font):
                text = text.upper()
        out.append(text)
    return out, encoding


def conversion_warning(encoding: str, where: str = "text") -> str:
    return f"{where} was typed in the legacy {NAMES[encoding]} encoding; converted to Unicode"


def source_encoding(kind: str, codec: str | None, pages: Sequence[Page]) -> str | None:
    """`Source.encoding`: how the input's own text was encoded, None when none of it was read.

    A text input reports its legacy encoding or unicode; a PDF the legacy encoding of any page
    whose text layer was converted, else unicode when a text layer was read; images None.
    """
    if kind == "text":
        return codec if codec in LEGACY_ENCODINGS else "unicode"
    found = [
        str(stage.detail.get("encoding") or "unicode")
        for page in pages
        if page.source == "text_layer"
        for stage in page.stages
        if stage.stage == "text_layer" and stage.applied
    ]
    legacy = [e for e in found if e in LEGACY_ENCODINGS]
    return legacy[0] if legacy else ("unicode" if found else None)
