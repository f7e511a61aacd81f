"""hOCR 1.2 per page (`hocr/page-0001.hocr`): the same words as ALTO, for tools that read hOCR
(OCRmyPDF's hOCR parser, hocr-tools, search engines of digital libraries).

Words carry our final text, `x_wconf` the reader's confidence and a `bbox` on the ORIGINAL page
image, as in ALTO; the raw OCR of a repaired word is kept in its `data-raw` attribute.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..types import Box, Document, Page
from .alto import page_frame
from .geometry import PageGeometry
from .pagefiles import write_page_files
from .words import PlacedLine, placed_lines

XHTML = "http://www.w3.org/1999/xhtml"
HOCR_DIR = "hocr"
DOCTYPE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)


def _bbox(box: Box) -> str:
    return f"bbox {box.x0} {box.y0} {box.x1} {box.y1}"


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{XHTML}}}{tag}", attrs)
    el.text = text
    return el


def hocr_page(doc: Document, page: Page) -> etree._Element:
    html = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML})
    html.set("lang", "vi")
    head = _el(html, "head")
    _el(head, "title", doc.source.path)
    _el(head, "meta", **{"http-equiv": "Content-Type", "content": "text/html;charset=utf-8"})
    _el(head, "meta", name="ocr-system", content=doc.generator or "vndoc")
    caps = "ocr_page ocr_carea ocr_line ocrx_word ocrp_wconf"
    _el(head, "meta", name="ocr-capabilities", content=caps)
    body = _el(html, "body")
    geo, width, height, _ = page_frame(page)
    dpi = f"; scan_res {page.dpi} {page.dpi}" if page.dpi else ""
    title = f'image "{doc.source.path}"; bbox 0 0 {int(width)} {int(height)}; ppageno {page.number - 1}{dpi}'
    div = _el(body, "div", **{"class": "ocr_page", "id": f"page_{page.number}", "title": title})
    area, key = None, None
    for i, line in enumerate(page.lines):
        for k, printed in enumerate(placed_lines(page, i)):
            if not printed.words:
                continue
            if (line.block, line.region) != key:
                key = (line.block, line.region)
                area = _el(div, "div", **{"class": "ocr_carea", "id": f"block_{page.number}_{i}"})
            assert area is not None
            _line(area, f"{page.number}_{i}" + (f"_{k}" if k else ""), printed, geo)
    return html


def _line(area: etree._Element, ident: str, printed: PlacedLine, geo: PageGeometry | None) -> None:
    attrs = {"class": "ocr_line", "id": f"line_{ident}"}
    if printed.box is not None:
        attrs["title"] = _bbox(geo.box(printed.box) if geo else printed.box)
    span = _el(area, "span", **attrs)
    for j, w in enumerate(printed.words):
        wattrs = {"class": "ocrx_word", "id": f"word_{ident}_{j}"}
        parts = [_bbox(geo.box(w.box) if geo else w.box)] if w.box else []
        wattrs["title"] = "; ".join([*parts, f"x_wconf {round(w.conf)}"])
        if w.raw is not None:
            wattrs["data-raw"] = w.raw
        _el(span, "span", w.text, **wattrs).tail = " "


def hocr_bytes(doc: Document, page: Page) -> bytes:
    return etree.tostring(
        hocr_page(doc, page), xml_declaration=True, encoding="UTF-8", doctype=DOCTYPE
    )


def hocr_name(number: int) -> str:
    return f"page-{number:04d}.hocr"


def write_hocr(doc: Document, folder: Path) -> list[str]:
    """`folder/hocr/page-NNNN.hocr` for every page; files of pages no longer there are removed."""
    return write_page_files(doc, folder / HOCR_DIR, hocr_name, hocr_bytes)
