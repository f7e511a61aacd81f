"""Unembedded standard fonts given an embedded, metric-compatible face, for PDF/A.

PDF/A embeds every font it draws with. Scans often carry a few words in an unembedded
Helvetica or Times (a typed note, a stamp's caption); viewers already draw those with a
substitute. Here the substitute is written into the file: the Liberation faces
(fonts-liberation2, in the Makefile's APT_PACKAGES) have the same advance widths as Helvetica,
Times and Courier, so text keeps its place. Each font becomes a WinAnsi TrueType font whose
/Widths are read from the embedded program, as PDF/A requires them to agree. Symbolic fonts
(Symbol, ZapfDingbats) and fonts with their own encodings are left as they are.
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Name

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
_FAMILIES = (
    (re.compile(r"helvetica|arial", re.I), "LiberationSans"),
    (re.compile(r"times", re.I), "LiberationSerif"),
    (re.compile(r"courier", re.I), "LiberationMono"),
)
FIRST, LAST = 32, 255


def substitute_for(base_font: str) -> Path | None:
    """The Liberation face for a font name (subset prefix and style suffixes understood)."""
    name = base_font.lstrip("/").split("+")[-1]
    family = next((face for pattern, face in _FAMILIES if pattern.search(name)), None)
    if family is None:
        return None
    bold = bool(re.search(r"bold|black|heavy", name, re.I))
    italic = bool(re.search(r"italic|oblique", name, re.I))
    style = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic"}.get(
        (bold, italic), "BoldItalic"
    )
    path = FONT_DIR / f"{family}-{style}.ttf"
    return path if path.is_file() else None


@cache
def _program(path: Path) -> tuple[bytes, dict[str, Any]]:
    """The face cut to the WinAnsi characters, and its metrics in PDF glyph units."""
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # it lists the tables it drops

    font = TTFont(path)
    scale = 1000 / font["head"].unitsPerEm
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    widths = []
    for code in range(FIRST, LAST + 1):
        char = bytes([code]).decode("cp1252", errors="ignore")
        glyph = cmap.get(ord(char)) if char else None
        widths.append(round(hmtx[glyph][0] * scale) if glyph else 0)
    head, os2, post = font["head"], font["OS/2"], font["post"]
    metrics = {
        "name": font["name"].getDebugName(6) or path.stem,
        "widths": widths,
        "bbox": [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)],
        "ascent": round(os2.sTypoAscender * scale),
        "descent": round(os2.sTypoDescender * scale),
        "cap": round(getattr(os2, "sCapHeight", os2.sTypoAscender) * scale),
        "italic": float(post.italicAngle),
    }
    chars = {
        ord(c)
        for code in range(FIRST, LAST + 1)
        for c in bytes([code]).decode("cp1252", errors="ignore")
    }
    options = subset.Options()
    options.notdef_outline = True
    options.name_IDs = ["*"]
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=chars)
    cutter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue(), metrics


def _replaceable(font: pikepdf.Dictionary) -> bool:
    if font.get(Name.Subtype) not in (Name.Type1, Name.TrueType):
        return False
    descriptor = font.get(Name.FontDescriptor)
    if isinstance(descriptor, pikepdf.Dictionary) and any(
        k in descriptor for k in (Name.FontFile, Name.FontFile2, Name.FontFile3)
    ):
        return False  # embedded already
    encoding = font.get(Name.Encoding)
    if isinstance(encoding, pikepdf.Dictionary) and Name.Differences not in encoding:
        encoding = encoding.get(Name.BaseEncoding)
    return encoding in (None, Name.WinAnsiEncoding, Name.StandardEncoding)


def _font_dicts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every font dictionary: indirect objects, and fonts written directly into a page's or a
    form's resources (which `pdf.objects` does not list)."""
    found = {obj.objgen: obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)}
    fonts = [o for o in found.values() if o.get(Name.Type) == Name.Font or Name.BaseFont in o]
    holders: list[Any] = [page.obj for page in pdf.pages]
    holders += [o for o in found.values() if o.get(Name.Subtype) == Name.Form]
    for holder in holders:
        resources = holder.get(Name.Resources)
        table = resources.get(Name.Font) if isinstance(resources, pikepdf.Dictionary) else None
        if isinstance(table, pikepdf.Dictionary):
            fonts += [
                f for f in table.values() if isinstance(f, pikepdf.Dictionary) and not f.is_indirect
            ]
    return fonts


def embed_substitutes(pdf: pikepdf.Pdf) -> list[str]:
    """Replace every unembedded Helvetica/Times/Courier-like simple font; returns their names."""
    done = []
    for obj in _font_dicts(pdf):
        if Name.BaseFont not in obj:
            continue  # (/Type /Font is required, yet some producers leave it out)
        if not _replaceable(obj):
            continue
        path = substitute_for(str(obj.get(Name.BaseFont, "")))
        if path is None:
            continue
        program, m = _program(path)
        stream = pdf.make_stream(program)
        stream.Length1 = len(program)
        descriptor = pikepdf.Dictionary(
            Type=Name.FontDescriptor,
            FontName=Name("/" + m["name"]),
            Flags=32 | (64 if m["italic"] else 0),  # nonsymbolic (Latin), italic
            FontBBox=m["bbox"],
            ItalicAngle=m["italic"],
            Ascent=m["ascent"],
            Descent=m["descent"],
            CapHeight=m["cap"],
            StemV=80,
            FontFile2=stream,
        )
        done.append(str(obj.get(Name.BaseFont, "")).lstrip("/"))
        obj.Subtype = Name.TrueType
        obj.BaseFont = Name("/" + m["name"])
        obj.FirstChar, obj.LastChar = FIRST, LAST
        obj.Widths = m["widths"]
        obj.Encoding = Name.WinAnsiEncoding
        obj.FontDescriptor = pdf.make_indirect(descriptor)
    return done
