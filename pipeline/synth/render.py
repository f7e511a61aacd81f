"""Render an `OfficialDoc` to page images with the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I.

Positions follow the decree's sample: two-column header (ô 1-2 left, ô 3-4 right), document type and
title centred (ô 5a), body justified with a first-line indent (ô 6), Nơi nhận bottom-left (ô 9b),
signature block right (ô 7a-7c) with the seal over its left third (ô 8).
"""

from __future__ import annotations

import zlib

from pipeline.synth.canvas import Flow, Ink
from pipeline.synth.layout import (
    Font,
    FontStyle,
    PageSpec,
    fit_pt,
    font,
    justify_positions,
    line_height,
    page_geometry,
    wrap_text,
    wrap_words,
)
from pipeline.synth.model import (
    Appendix,
    DocHeader,
    DocTable,
    OfficialDoc,
    Paragraph,
    RenderedPage,
    Signature,
)
from pipeline.synth.seal import SEAL_RED, SIGNATURE_BLUE, seal_mask, signature_mask
from pipeline.synth.table import draw_table
from pipeline.types import Box, Region

Item = tuple[str, FontStyle, float]  # text, face, points
HEADER_LEFT_SHARE = 0.42  # left header column as a share of the text width


def render_document(
    doc: OfficialDoc, dpi: int = 300, *, spec: PageSpec | None = None
) -> list[RenderedPage]:
    """Lay out and draw every page; each page comes back with its ground truth."""
    spec = spec or PageSpec()
    flow = Flow(page_geometry(spec, dpi), spec)
    draw_header(flow, doc.header)
    draw_title(flow, doc.doc_type, doc.title)
    for block in doc.body:
        if isinstance(block, DocTable):
            draw_table(flow, block)
            flow.skip(flow.geo.pt(flow.spec.para_space_pt))
        else:
            draw_paragraph(flow, block)
    draw_closing(flow, doc.recipients, doc.signature)
    for appendix in doc.appendices:
        draw_appendix(flow, appendix)
    return flow.finish()


def _f(flow: Flow, style: FontStyle, pt: float) -> Font:
    return font(style, pt, flow.geo.dpi)


def _column(
    flow: Flow,
    items: list[Item],
    cx: float,
    width: float,
    y: float,
    region: Region,
) -> tuple[float, list[float]]:
    """Centred lines from `y` down (each item wrapped to `width`); returns the end y and the
    rendered width of each item's last line (for the rules the decree draws under them)."""
    widths = []
    for text, style, pt in items:
        if not text.strip():
            continue
        f = _f(flow, style, fit_pt(text, style, pt, flow.geo.dpi, width) if len(text) < 40 else pt)
        lh = line_height(f, 1.15)
        for line in wrap_text(text, f, width):
            flow.y = y
            flow.centred(line, f, cx, flow.baseline(f, 1.15), region)
            y += lh
        widths.append(f.getlength(line))
    return y, widths


def draw_header(flow: Flow, h: DocHeader) -> None:
    geo = flow.geo
    split = geo.left + geo.text_width * HEADER_LEFT_SHARE
    lcx, lw = (geo.left + split) / 2 - geo.mm(4), split - geo.left
    rcx, rw = (split + geo.right) / 2, geo.right - split
    top, gap = float(geo.top), geo.pt(4)
    left_items: list[Item] = [(t, "regular", 13.0) for t in h.parent_agency]
    left_items += [(t, "bold", 13.0) for t in h.agency]
    right_items: list[Item] = [(h.national_name, "bold", 13.0), (h.national_motto, "bold", 14.0)]
    # the Số line and the place/date line share a baseline: find where both columns end first
    n_left = sum(len(wrap_text(t, _f(flow, st, pt), lw)) for t, st, pt in left_items)
    row_y = top + max(
        n_left * line_height(_f(flow, "bold", 13), 1.15),
        2 * line_height(_f(flow, "bold", 14), 1.15),
    )
    row_y += geo.pt(10)
    y, widths = _column(flow, left_items, lcx, lw, top, "header_left")
    if widths:
        half = widths[-1] * 0.2
        flow.rule(lcx - half, lcx + half, y + gap)
    _, _ = _column(flow, [(h.number_line, "regular", 14.0)], lcx, lw, row_y, "header_left")
    subject: list[Item] = [(t, "regular", 12.0) for t in h.subject]
    end_left, _ = _column(
        flow,
        subject,
        lcx,
        lw,
        row_y + line_height(_f(flow, "regular", 14), 1.15),
        "header_left",
    )
    y, widths = _column(flow, right_items, rcx, rw, top, "header_right")
    flow.rule(rcx - widths[-1] / 2, rcx + widths[-1] / 2, y + gap * 0.6)
    end_right, _ = _column(flow, [(h.place_date, "italic", 14.0)], rcx, rw, row_y, "header_right")
    flow.y = max(end_left, end_right) + geo.pt(12)


def draw_title(flow: Flow, doc_type: str, title: tuple[str, ...]) -> None:
    geo = flow.geo
    cx = (geo.left + geo.right) / 2
    f = _f(flow, "bold", flow.spec.body_pt)
    lh = line_height(f, 1.15)
    lines = [doc_type] if doc_type else []
    for t in title:
        lines += wrap_text(t, f, geo.text_width * 0.88)
    flow.ensure(lh * (len(lines) + 2))
    for line in lines:
        flow.centred(line, f, cx, flow.baseline(f, 1.15), "body")
        flow.skip(lh)
    if title:
        half = min(f.getlength(lines[-1]), geo.text_width) / 6
        flow.rule(cx - half, cx + half, flow.y + geo.pt(3))
    flow.skip(geo.pt(18))


_PARA_STYLE: dict[str, FontStyle] = {
    "body": "regular",
    "heading": "bold",
    "subheading": "bold",
    "note": "italic",
}


def draw_paragraph(flow: Flow, para: Paragraph) -> None:
    """Justified, first-line indented; a heading is kept with the first line that follows it."""
    geo, spec = flow.geo, flow.spec
    f = _f(flow, _PARA_STYLE[para.kind], spec.body_pt)
    lh = line_height(f, spec.line_spacing)
    indent = 0 if para.kind == "note" else geo.mm(spec.indent_mm)
    lines = wrap_words(para.text, f, geo.text_width, indent)
    keep = 2 if para.kind in ("heading", "subheading") else 1
    flow.ensure(lh * min(len(lines) + keep - 1, 2))
    space = f.getlength(" ")
    for i, words in enumerate(lines):
        flow.ensure(lh)
        x0: float = geo.left + (indent if i == 0 else 0)
        if para.kind == "note":
            x0 = (geo.left + geo.right - f.getlength(" ".join(words))) / 2
            xs = _natural(words, f, x0, space)
        elif i < len(lines) - 1:
            xs = justify_positions(words, f, x0, geo.right - x0)
        else:
            xs = _natural(words, f, x0, space)
        flow.words(words, xs, flow.baseline(f), f, "body")
        flow.skip(lh)
    flow.skip(geo.pt(spec.para_space_pt))


def _natural(words: list[str], f: Font, x0: float, space: float) -> list[float]:
    xs, x = [], x0
    for w in words:
        xs.append(x)
        x += f.getlength(w) + space
    return xs


def _recipient_lines(
    flow: Flow, recipients: tuple[str, ...], width: float
) -> list[tuple[str, Font]]:
    out = [("Nơi nhận:", _f(flow, "bolditalic", 12))]
    f = _f(flow, "regular", 11)
    for r in recipients:
        out += [(line, f) for line in wrap_text(r, f, width)]
    return out


def draw_closing(flow: Flow, recipients: tuple[str, ...], sig: Signature) -> None:
    """Nơi nhận (left) beside the signature block (right); moved whole to a new page if needed."""
    geo = flow.geo
    rw = geo.text_width * 0.46
    sx0 = geo.left + geo.text_width * 0.44
    scx, sw = (sx0 + geo.right) / 2, geo.right - sx0
    rec = _recipient_lines(flow, recipients, rw) if recipients else []
    fb = _f(flow, "bold", flow.spec.body_pt)
    lh = line_height(fb, 1.15)
    heads = [*sig.authority, *sig.title]
    gap = geo.mm(26)
    sig_h = lh * (len(heads) + 1) + gap if (heads or sig.name) else 0
    rec_h = sum(line_height(f, 1.15) for _, f in rec) + geo.pt(6)
    flow.ensure(max(sig_h, rec_h) + geo.pt(6))
    top = flow.y + geo.pt(6)
    y = top
    for text, f in rec:
        flow.y = y
        flow.left(text, f, geo.left, flow.baseline(f, 1.15), "body")
        y += line_height(f, 1.15)
    end_rec = y
    y = top
    for text in heads:
        f = _f(flow, "bold", fit_pt(text, "bold", flow.spec.body_pt, geo.dpi, sw))
        flow.y = y
        flow.centred(text, f, scx, flow.baseline(f, 1.15), "body")
        y += lh
    if sig.name:
        _sign(flow, sig, scx, y, gap, sw)
        flow.y = y + gap
        flow.centred(sig.name, fb, scx, flow.baseline(fb, 1.15), "body")
        y += gap + lh
    flow.y = max(end_rec, y) + geo.pt(6)


def _sign(flow: Flow, sig: Signature, cx: float, y: float, gap: float, width: float) -> None:
    """Signature scribble in the gap, and the seal over its left third (Nghị định 30, Điều 13)."""
    geo = flow.geo
    w, h = geo.mm(40), round(gap * 0.7)
    flow.page.inks.append(
        Ink(
            signature_mask(w, h, sig.name, geo.dpi),
            round(cx - w / 2),
            round(y + gap * 0.15),
            SIGNATURE_BLUE,
            0.9,
        )
    )
    if not sig.seal:
        return
    d = geo.mm(36)
    sx, sy = round(cx - width * 0.22 - d / 2), round(y + gap / 2 - d / 2)
    seed = zlib.crc32((sig.seal_text or sig.name).encode("utf-8"))
    flow.page.inks.append(
        Ink(seal_mask(d, sig.seal_text, geo.dpi, seed=seed), sx, sy, SEAL_RED, 0.8)
    )
    flow.page.seal_box = Box(x0=sx, y0=sy, x1=sx + d, y1=sy + d)


def draw_appendix(flow: Flow, app: Appendix) -> None:
    """Appendices start on a new page: PHỤ LỤC, its title, the italic 'kèm theo' note, the table."""
    flow.new_page()
    geo = flow.geo
    cx = (geo.left + geo.right) / 2
    fb, fi = _f(flow, "bold", flow.spec.body_pt), _f(flow, "italic", flow.spec.body_pt)
    lh = line_height(fb, 1.15)
    lines = [(app.heading, fb)] + [
        (t, fb) for title in app.title for t in wrap_text(title, fb, geo.text_width)
    ]
    lines += [(t, fi) for note in app.notes for t in wrap_text(note, fi, geo.text_width)]
    for text, f in lines:
        flow.centred(text, f, cx, flow.baseline(f, 1.15), "body")
        flow.skip(lh)
    flow.rule(cx - geo.mm(20), cx + geo.mm(20), flow.y + geo.pt(3))
    flow.skip(geo.pt(14))
    if app.table is not None:
        draw_table(flow, app.table)
