"""What an input PDF needs before it can become an archival copy with our text in it.

A digitally signed input loses its signature dictionaries and keeps the signature's visible
stamp, drawn into the page (pikepdf's annotation flattening): our text layer would break the
signature, and a derived copy must not show one as broken; the signed input stays the record.
For PDF/A-2b, annotations are drawn into the page too, interactive forms and attachments left
out, font entries spelled out and unembedded standard fonts embedded (`fonts.py`). An old
invisible OCR layer is removed from a page we read again. Text a stamp or typed note already
shows is found here, so our layer does not add it twice.
"""

from __future__ import annotations

import re
from typing import Any

import pikepdf
from pikepdf import Name, Operator

from .fonts import embed_substitutes

_SHOWS_TEXT = re.compile(rb"(?:^|[\s\])>])(?:Tj|TJ|'|\")(?:$|[\s\[(<])")


def _draws_text(stream: Any, depth: int = 0) -> bool:
    if not isinstance(stream, pikepdf.Stream) or depth > 4:
        return False
    try:
        if _SHOWS_TEXT.search(stream.read_bytes()):
            return True
    except pikepdf.PdfError:
        return False
    resources = stream.get(Name.Resources)
    forms = resources.get(Name.XObject) if isinstance(resources, pikepdf.Dictionary) else None
    return isinstance(forms, pikepdf.Dictionary) and any(
        _draws_text(f, depth + 1) for f in forms.values()
    )


Rect = tuple[float, float, float, float]
Stamp = tuple[Rect, frozenset[str] | None]  # where, and its words (None: all words there)


def annotation_text_rects(pdf: pikepdf.Pdf) -> dict[int, list[Stamp]]:
    """Per page number, the annotations whose appearance draws text, text that is in the PDF
    already: a signature's stamp (every word inside its rectangle is the stamp's), or a typed
    note (only the words of its /Contents are the note's; printed text may lie beneath)."""
    out: dict[int, list[Stamp]] = {}
    for number, page in enumerate(pdf.pages, start=1):
        for annot in page.obj.get(Name.Annots, []):
            ap = annot.get(Name.AP) if isinstance(annot, pikepdf.Dictionary) else None
            normal = ap.get(Name.N) if isinstance(ap, pikepdf.Dictionary) else None
            rect = annot.get(Name.Rect)
            if rect is None or not _draws_text(normal):
                continue
            x0, y0, x1, y1 = (float(v) for v in rect)
            where = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            if annot.get(Name.FT) == Name.Sig or annot.get(Name.Subtype) == Name.Widget:
                words = None
            else:
                words = frozenset(str(annot.get(Name.Contents, "")).split())
            out.setdefault(number, []).append((where, words))
    return out


def strip_invisible_text(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Drop the text objects drawn only in render mode 3 (an earlier OCR layer we replace) and
    the fonts only they used; visible text stays."""
    out: list[Any] = []
    block: list[Any] | None = None
    stack, mode, shown, dropped = [], 0, False, False
    for instruction in pikepdf.parse_content_stream(page):
        operands, op = instruction.operands, instruction.operator
        name = str(op)
        if name == "q":
            stack.append(mode)
        elif name == "Q" and stack:
            mode = stack.pop()
        elif name == "Tr" and operands:
            mode = int(operands[0])
        elif name == "BT":
            block, shown, mode_at_bt = [], False, mode
        if name in ("Tj", "TJ", "'", '"'):
            if mode == 3:
                dropped = True
                continue
            shown = True
        if block is None:
            out.append((operands, op))
            continue
        block.append((operands, op))
        if name == "ET":
            if shown:
                out += block
            elif mode != mode_at_bt:  # the render mode the dropped block left behind
                out.append(([mode], Operator("Tr")))
            block = None
    if not dropped:
        return  # nothing to remove: the page's content stays byte for byte
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
    used = {str(operands[0]) for operands, op in out if str(op) == "Tf" and operands}
    fonts = page.resources.get(Name.Font)
    if isinstance(fonts, pikepdf.Dictionary):  # fonts only the old layer used (unembedded, often)
        page.resources[Name.Font] = pikepdf.Dictionary(
            {k: v for k, v in fonts.items() if k in used}
        )


def _is_signature(field: object) -> bool:
    if not isinstance(field, pikepdf.Dictionary):
        return False
    kids: Any = field.get(Name.Kids, [])
    return field.get(Name.FT) == Name.Sig or any(_is_signature(k) for k in kids)


def prepare_for_archive(pdf: pikepdf.Pdf, *, pdfa: bool) -> list[str]:
    """A digitally signed input (most official PDFs here are) loses its signature dictionaries
    and keeps the signature's visible stamp, drawn into the page: our text layer would break
    the signature, and a derived copy must not show one as broken; the signed input stays the
    record. For PDF/A, annotations are drawn into the page too (PDF/A-2b allows few kinds),
    interactive forms and attachments are left out. Returns what was left out."""
    root, notes = pdf.Root, []
    form = root.get(Name.AcroForm)
    fields: Any = form.get(Name.Fields, []) if isinstance(form, pikepdf.Dictionary) else []
    signed = Name.Perms in root or any(_is_signature(f) for f in fields)
    if signed or pdfa:
        if any(Name.Annots in page.obj for page in pdf.pages):
            pdf.flatten_annotations("all")
            pdf.remove_unreferenced_resources()  # the form's default fonts the stamps never use
        for key in (Name.AcroForm, Name.Perms, Name.Extensions):
            if key in root:
                del root[key]
    if signed:
        notes.append("digital signature not carried over (its stamp is); the input is the record")
    if pdfa:
        names = root.get(Name.Names)
        holders = [d for d in (root, *(page.obj for page in pdf.pages)) if Name.AF in d]
        if isinstance(names, pikepdf.Dictionary) and Name.EmbeddedFiles in names:
            holders.append(names)
            del names[Name.EmbeddedFiles]
        for holder in holders:
            if Name.AF in holder:
                del holder[Name.AF]
        if holders:
            notes.append("attached files left out (PDF/A-2b)")
        prefs = root.get(Name.ViewerPreferences)
        if isinstance(prefs, pikepdf.Dictionary) and Name.Type in prefs:
            del prefs[Name.Type]  # not a ViewerPreferences key; validators refuse it
        _explicit_font_defaults(pdf)
        embed_substitutes(pdf)  # unembedded Helvetica/Times/Courier: Liberation, same widths
    return notes


def _explicit_font_defaults(pdf: pikepdf.Pdf) -> None:
    """Font entries PDF/A-2 wants spelled out, with the meaning they had: a CIDFontType2's
    absent /CIDToGIDMap is /Identity by default (ISO 32000-1, 9.7.4.2); /CIDSet is optional in
    PDF/A-2 and one that is not checked fails validation, so it goes."""
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary):
            continue
        if obj.get(Name.Type) == Name.FontDescriptor and Name.CIDSet in obj:
            del obj[Name.CIDSet]
        elif obj.get(Name.Subtype) == Name.CIDFontType2 and Name.CIDToGIDMap not in obj:
            obj.CIDToGIDMap = Name.Identity
