"""ALTO 4 XML, one file per page (`alto/page-0001.xml`): the exchange format of archives and
libraries (Library of Congress, ALTO 4.4 schema).

Each word is a `String` whose `CONTENT` is our final (repaired) text and whose `WC` is the
reader's confidence (0-1); where repair changed the word, the raw OCR is kept as an
`ALTERNATIVE`. Coordinates are pixels of the ORIGINAL page image (the clean-up's rotation,
deskew, crop and upscale undone, `geometry.py`), so the XML overlays the scan it describes;
`ROTATION` on the page says how the text lies on it (degrees, counter-clockwise). Lines come in
our reading order, grouped into a `TextBlock` per layout block and region.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lxml import etree

from ..types import Box, Document, Page
from .geometry import PageGeometry, page_geometry
from .pagefiles import write_page_files
from .words import PlacedLine, placed_lines

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{ALTO_NS} http://www.loc.gov/standards/alto/v4/alto-4-4.xsd"
ALTO_DIR = "alto"


def _el(parent: etree._Element | None, tag: str, **attrs: object) -> etree._Element:
    clean = {k: _fmt(v) for k, v in attrs.items() if v is not None}
    name = f"{{{ALTO_NS}}}{tag}"
    if parent is None:
        return etree.Element(name, clean, nsmap={None: ALTO_NS, "xsi": XSI_NS})
    return etree.SubElement(parent, name, clean)


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.4g}" if abs(v) < 1 else str(round(v, 2))
    return str(v)


def _pos(box: Box | None) -> dict[str, int]:
    if box is None:
        return {}
    return {"HPOS": box.x0, "VPOS": box.y0, "WIDTH": box.width, "HEIGHT": box.height}


def page_frame(page: Page) -> tuple[PageGeometry | None, float, float, float]:
    """(geometry or None, width, height, rotation) of the page the coordinates refer to."""
    if page.source != "ocr":
        return None, page.width, page.height, 0.0
    geo = page_geometry(page)
    rotation = round((geo.rotation - geo.skew) % 360, 2)
    return geo, round(geo.source_size[0]), round(geo.source_size[1]), rotation


def alto_page(doc: Document, page: Page) -> etree._Element:
    root = _el(None, "alto", SCHEMAVERSION="4.4")
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    _description(root, doc, page)
    layout = _el(root, "Layout")
    geo, width, height, rotation = page_frame(page)
    pg = _el(
        layout,
        "Page",
        ID=f"p{page.number}",
        PHYSICAL_IMG_NR=page.number,
        WIDTH=width,
        HEIGHT=height,
        PC=round(page.quality.mean_conf / 100, 4),
        QUALITY_DETAIL="needs review" if page.quality.needs_review else None,
        ROTATION=rotation or None,
        LANG="vi",
        PROCESSING="proc1",
    )
    space = _el(pg, "PrintSpace", HPOS=0, VPOS=0, WIDTH=width, HEIGHT=height)
    block: etree._Element | None = None
    key: tuple[int, str] | None = None
    for i, line in enumerate(page.lines):
        if not line.text.split():
            continue
        if (line.block, line.region) != key:
            key = (line.block, line.region)
            block = _el(space, "TextBlock", ID=f"p{page.number}_b{i}")
        assert block is not None
        _text_line(block, page, i, geo)
    return root


def _description(root: etree._Element, doc: Document, page: Page) -> None:
    desc = _el(root, "Description")
    _el(desc, "MeasurementUnit").text = "pixel"
    info = _el(desc, "sourceImageInformation")
    _el(info, "fileName").text = doc.source.path
    ident = _el(info, "documentIdentifier", documentIdentifierLocation="sha256")
    ident.text = doc.source.sha256
    proc = _el(desc, "Processing", ID="proc1")
    _el(proc, "processingCategory").text = "contentGeneration"
    ran = [s.stage for s in page.stages if s.applied]
    _el(proc, "processingStepDescription").text = (
        f"page read from {page.source}; clean-up stages applied: {', '.join(ran) or 'none'}; "
        "CONTENT is the text after diacritics restoration and OCR post-correction, "
        "ALTERNATIVE the raw OCR"
    )
    if page.dpi:
        _el(proc, "processingStepSettings").text = f"dpi={page.dpi}"
    soft = _el(proc, "processingSoftware")
    name, _, version = (doc.generator or "vndoc").partition(" ")
    _el(soft, "softwareName").text = name
    if version:
        _el(soft, "softwareVersion").text = version
    _el(soft, "applicationDescription").text = "Tesseract (vie) with vndoc clean-up and repair"


def _text_line(block: etree._Element, page: Page, i: int, geo: PageGeometry | None) -> None:
    """One TextLine per printed line: a table row read cell by cell gives one per cell line."""

    def where(box: Box | None) -> Box | None:
        return geo.box(box) if geo is not None and box is not None else box

    for k, printed in enumerate(placed_lines(page, i)):
        if printed.words:
            _strings(block, f"p{page.number}_l{i}" + (f"_{k}" if k else ""), printed, where)


def _strings(
    block: etree._Element,
    line_id: str,
    printed: PlacedLine,
    where: Callable[[Box | None], Box | None],
) -> None:
    tl = _el(block, "TextLine", ID=line_id, **_pos(where(printed.box)))
    words = printed.words
    for j, w in enumerate(words):
        s = _el(
            tl,
            "String",
            ID=f"{line_id}_w{j}",
            CONTENT=w.text,
            WC=round(w.conf / 100, 4),
            **_pos(where(w.box)),
        )
        if w.raw is not None:
            _el(s, "ALTERNATIVE", PURPOSE="raw OCR").text = w.raw
        if j < len(words) - 1:
            _el(tl, "SP")


def alto_bytes(doc: Document, page: Page) -> bytes:
    return etree.tostring(
        alto_page(doc, page), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def alto_name(number: int) -> str:
    return f"page-{number:04d}.xml"


def write_alto(doc: Document, folder: Path) -> list[str]:
    """`folder/alto/page-NNNN.xml` for every page; files of pages no longer there are removed."""
    return write_page_files(doc, folder / ALTO_DIR, alto_name, alto_bytes)
