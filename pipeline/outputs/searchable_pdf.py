"""searchable.pdf: the scan itself with an invisible layer of our final text, as PDF/A-2b.

What OCRmyPDF gives an archivist, built from OCRmyPDF's own parts: the text layer of each OCR'd
page is rendered by its fpdf2 renderer (`ocrmypdf.fpdf_renderer`, the successor of its hOCR
transform) from our words, in the frame of the page that was read (levelled, upright), and
grafted with pikepdf onto the ORIGINAL page as a form XObject under one transformation matrix
that undoes the clean-up's geometry (`geometry.py`), so the text lies on the printed words.
The page images are never decoded: a PDF input keeps its pages as they are (its old invisible
OCR text removed where we read the page again), an image input is wrapped by img2pdf, which
embeds JPEG, PNG and CCITT TIFF data unchanged. Pages read from a born-digital text layer keep
that layer. pikepdf.pdfa then declares PDF/A-2b (XMP pdfaid, sRGB OutputIntent), validates the
bytes it wrote, and only a file that passes is called PDF/A.
"""

from __future__ import annotations

import atexit
import io
import logging
import re
import shutil
import struct
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pikepdf
from pikepdf import Name, Operator

from ..export import atomic_write_bytes
from ..types import Box, Document, Page
from .archive import (
    Stamp,
    annotation_text_rects,
    prepare_for_archive,
    strip_invisible_text,
)
from .geometry import affine_fit, page_geometry
from .words import placed_lines

SEARCHABLE_PDF = "searchable.pdf"

log = logging.getLogger(__name__)


class SourceUnavailable(RuntimeError):
    """The scanned input is not where document.json says it was."""


MIN_GAP = 0.3  # of the line's height: the least gap left between two words (see _gapped)


def _gapped(boxes: list[Box]) -> list[Box]:
    """Word boxes narrowed on the right where they nearly touch the next word.

    Text extractors find word breaks from the gap between glyphs, not from the space characters
    (poppler's `pdftotext -raw` glued "ban nhân" across a 10-px gap at 200 dpi); the invisible
    glyphs lose a little width so every break survives extraction. At most a third of a word.
    """
    if not boxes:
        return boxes
    want = MIN_GAP * max(b.height for b in boxes)
    out = []
    for b, nxt in zip(boxes, [*boxes[1:], None], strict=True):
        if nxt is not None and nxt.x0 - b.x1 < want and nxt.x0 > b.x0:
            x1 = max(b.x0 + (2 * b.width) // 3, min(b.x1, round(nxt.x0 - want)), b.x0 + 1)
            b = Box(x0=b.x0, y0=b.y0, x1=x1, y1=b.y1)
        out.append(b)
    return out


def ocr_tree(page: Page, skip: Callable[[Box, str], bool] | None = None):  # type: ignore[no-untyped-def]
    """The page's final words as ocrmypdf's OcrElement tree, in cleaned-page pixels; words
    for which `skip` says so are left out."""
    from ocrmypdf.models.ocr_element import BoundingBox, OcrClass, OcrElement

    lines = []
    printed = [pl for i in range(len(page.lines)) for pl in placed_lines(page, i)]
    for line in printed:
        placed = [
            w
            for w in line.words
            if w.box is not None and w.box.y1 > w.box.y0 and not (skip and skip(w.box, w.text))
        ]
        boxes = _gapped([w.box for w in placed if w.box is not None])
        words = [
            OcrElement(
                ocr_class=OcrClass.WORD,
                text=w.text,
                bbox=BoundingBox(b.x0, b.y0, max(b.x1, b.x0 + 1), b.y1),
                confidence=w.conf / 100,
            )
            for w, b in zip(placed, boxes, strict=True)
        ]
        if not words:
            continue
        b = BoundingBox(
            min(w.bbox.left for w in words),  # type: ignore[union-attr]
            min(w.bbox.top for w in words),  # type: ignore[union-attr]
            max(w.bbox.right for w in words),  # type: ignore[union-attr]
            max(w.bbox.bottom for w in words),  # type: ignore[union-attr]
        )
        lines.append(OcrElement(ocr_class=OcrClass.LINE, bbox=b, children=words))
    para = OcrElement(ocr_class=OcrClass.PARAGRAPH, children=lines) if lines else None
    return OcrElement(
        ocr_class=OcrClass.PAGE,
        bbox=BoundingBox(0, 0, page.width, page.height),
        children=[para] if para else [],
        page_number=page.number - 1,
    )


def effective_dpi(page: Page) -> float:
    up = next((s for s in page.stages if s.stage == "upscale" and s.applied), None)
    factor = float(up.detail.get("factor", 1.0)) if up else 1.0
    return float(page.dpi or 300) * factor


# The scripts a Vietnamese archive's text is written in, and the symbols beside it: Latin with
# every Vietnamese letter and combining mark, Greek and Cyrillic, punctuation, currency, arrows,
# maths and boxes. A character outside them takes ocrmypdf's usual road to another font.
TEXT_RANGES = (
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x300, 0x36F),
    (0x370, 0x4FF),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x22FF),
    (0x25A0, 0x25FF),
)


@cache
def text_font_dir() -> Path:
    """ocrmypdf's fonts, its NotoSans cut down to `TEXT_RANGES` without layout tables or hints.

    fpdf2 parses and subsets the font anew for every document; the invisible text needs only
    the glyphs' widths, and the 110-KB cut costs 0.035 s a page against 0.054 for the full
    556-KB face (0.3 s once per process to make), with the same extracted text.
    """
    import ocrmypdf
    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = Path(ocrmypdf.__file__).parent / "data"
    folder = Path(tempfile.mkdtemp(prefix="vndoc-fonts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    shutil.copy2(source / "Occulta.ttf", folder / "Occulta.ttf")
    options = subset.Options()
    options.layout_features, options.hinting, options.desubroutinize = [], False, True
    font = TTFont(source / "NotoSans-Regular.ttf")
    cut = subset.Subsetter(options)
    cut.populate(unicodes=[c for a, b in TEXT_RANGES for c in range(a, b + 1)])
    cut.subset(font)
    font.save(folder / "NotoSans-Regular.ttf")
    return folder


@cache
def text_fonts():  # type: ignore[no-untyped-def]
    """ocrmypdf's font manager over `text_font_dir`, one per process as ocrmypdf shares one
    per run: a new one scans the system's font folders again for every document (a third of
    the text layer's time on the batch benchmark's single-page scans)."""
    from ocrmypdf.font import MultiFontManager

    return MultiFontManager(text_font_dir())


def render_text_layers(
    pages: list[Page], work: Path, skips: dict[int, Callable[[Box, str], bool]] | None = None
) -> pikepdf.Pdf:
    """One text-only PDF page per OCR page (invisible text, fonts embedded)."""
    from ocrmypdf.fpdf_renderer import Fpdf2MultiPageRenderer

    fonts = text_fonts()
    skips = skips or {}
    data = [(p.number - 1, ocr_tree(p, skips.get(p.number)), effective_dpi(p)) for p in pages]
    out = work / "text-layers.pdf"
    logging.getLogger("ocrmypdf").setLevel(logging.ERROR)
    Fpdf2MultiPageRenderer(data, fonts, invisible_text=True).render(out)
    return pikepdf.open(out)


def _display_to_user(page: pikepdf.Page) -> np.ndarray:
    """Displayed page points (top-left origin, after /Rotate) -> the page's user space."""
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    rot = int(page.obj.get(Name.Rotate, 0)) % 360
    return {
        0: np.array([[1, 0, x0], [0, -1, y1], [0, 0, 1]], float),
        90: np.array([[0, 1, x0], [1, 0, y0], [0, 0, 1]], float),
        180: np.array([[-1, 0, x1], [0, 1, y0], [0, 0, 1]], float),
        270: np.array([[0, -1, x1], [-1, 0, y1], [0, 0, 1]], float),
    }[rot]


def text_layer_matrix(page: Page, base: pikepdf.Page, text_height_pt: float) -> np.ndarray:
    """Text-page points -> base-page user space: undo the clean-up, then the display."""
    k = effective_dpi(page) / 72
    to_page_px = np.array([[k, 0, 0], [0, -k, text_height_pt * k], [0, 0, 1]], float)
    geo = page_geometry(page)
    to_source = geo.to_source
    if not geo.is_affine:  # a perspective crop: the best affine fit over the page's words
        corners = np.array(
            [
                (x, y)
                for line in page.lines
                for w in line.words
                if w.box
                for x, y in ((w.box.x0, w.box.y0), (w.box.x1, w.box.y1), (w.box.x0, w.box.y1))
            ]
            or [(0, 0), (page.width, 0), (0, page.height)],
            float,
        )
        mapped = np.array([geo.point(x, y) for x, y in corners])
        to_source = affine_fit(corners, mapped)
    s = 72 / float(page.dpi or 300)
    to_display = np.diag([s, s, 1.0])
    return _display_to_user(base) @ to_display @ to_source @ to_page_px


def _geometry_fits(page: Page, base: pikepdf.Page, tolerance: float = 0.02) -> bool:
    """The source size worked back from the stage log matches the page it is placed on: a
    geometric clean-up stage this module does not know would show here."""
    x0, y0, x1, y1 = (float(v) for v in base.mediabox)
    w, h = x1 - x0, y1 - y0
    if int(base.obj.get(Name.Rotate, 0)) % 180:
        w, h = h, w
    s = 72 / float(page.dpi or 300)
    sw, sh = (v * s for v in page_geometry(page).source_size)
    return abs(sw - w) <= tolerance * w and abs(sh - h) <= tolerance * h


def _inside(page: Page, base: pikepdf.Page, stamps: list[Stamp]):  # type: ignore[no-untyped-def]
    """A test: is a placed word (cleaned-page pixels) one a stamp on `base` already shows?"""
    geo = page_geometry(page)
    s = 72 / float(page.dpi or 300)
    to_user = _display_to_user(base)

    def skip(box: Box, text: str) -> bool:
        x, y = geo.point(box.cx, box.cy)
        u = to_user @ np.array([x * s, y * s, 1.0])
        return any(
            x0 <= u[0] <= x1 and y0 <= u[1] <= y1 and (words is None or text in words)
            for (x0, y0, x1, y1), words in stamps
        )

    return skip


def graft(pdf: pikepdf.Pdf, base: pikepdf.Page, text_page: pikepdf.Page, m: np.ndarray) -> None:
    form = pdf.copy_foreign(text_page.as_form_xobject())
    taken: Any = base.resources.get(Name.XObject, {})
    name = next(
        Name(f"/VNDOCText{i or ''}") for i in range(100) if f"/VNDOCText{i or ''}" not in taken
    )
    base.add_resource(form, Name.XObject, name)
    ctm: list[Any] = [
        float(round(v, 6)) for v in (m[0, 0], m[1, 0], m[0, 1], m[1, 1], m[0, 2], m[1, 2])
    ]
    push = pikepdf.unparse_content_stream([([], Operator("q"))])
    draw = pikepdf.unparse_content_stream(
        [
            ([], Operator("Q")),
            ([], Operator("q")),
            (ctm, Operator("cm")),
            ([name], Operator("Do")),
            ([], Operator("Q")),
        ]
    )
    base.contents_add(pdf.make_stream(push), prepend=True)
    base.contents_add(pdf.make_stream(draw))


def open_base(doc: Document, pages: list[Page]) -> pikepdf.Pdf:
    """The original pages: the input PDF itself, or the image file wrapped as is by img2pdf."""
    src = Path(doc.source.path)
    if not src.is_file():
        raise SourceUnavailable(f"source not found: {src}")
    if doc.source.kind == "pdf":
        return pikepdf.open(src)
    import img2pdf

    logging.getLogger("img2pdf").setLevel(logging.ERROR)  # it narrates soft masks and dpi
    dpi = next((p.dpi for p in pages if p.dpi), None) or 200
    layout = img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))
    # img2pdf asks Pillow for a PNG's EXIF, which decodes the whole image to look for an eXIf
    # chunk after the pixels (0.05 s a page); a PNG without one is wrapped unturned all the same
    turn = img2pdf.Rotation.none if _png_without_exif(src) else img2pdf.Rotation.ifvalid
    try:
        data = img2pdf.convert(str(src), layout_fun=layout, nodate=True, rotation=turn)
    except Exception:  # alpha channel, mirrored EXIF, 16-bit: re-encode losslessly as PNG
        data = img2pdf.convert(_png_frames(src), layout_fun=layout, nodate=True)
    return pikepdf.open(io.BytesIO(data))


def _png_without_exif(src: Path) -> bool:
    """A PNG file with no eXIf chunk, found by walking the chunk headers (Pillow's reader)
    without inflating the pixels; False for any other file or one that cannot be walked."""
    from PIL import PngImagePlugin

    try:
        with src.open("rb") as fp:
            if fp.read(8) != b"\x89PNG\r\n\x1a\n":
                return False
            chunks = PngImagePlugin.ChunkStream(fp)
            while True:
                kind, _, length = chunks.read()
                if kind == b"eXIf":
                    return False
                if kind == b"IEND":
                    return True
                fp.seek(length + 4, io.SEEK_CUR)  # the data and its CRC
    except (OSError, SyntaxError, ValueError, EOFError, struct.error):
        return False


def _png_frames(src: Path) -> list[bytes]:
    """Each frame upright, transparency on white paper, as lossless PNG."""
    from PIL import Image, ImageOps, ImageSequence

    frames = []
    with Image.open(src) as img:
        for frame in ImageSequence.Iterator(img):
            page = ImageOps.exif_transpose(frame.copy())
            if page.mode in ("RGBA", "LA", "PA", "P", "RGBa", "La"):
                paper = Image.new("RGBA", page.size, (255, 255, 255, 255))
                page = Image.alpha_composite(paper, page.convert("RGBA"))
            page = page.convert("L" if page.mode in ("1", "L", "I", "I;16", "F") else "RGB")
            buf = io.BytesIO()
            page.save(buf, format="PNG")
            frames.append(buf.getvalue())
    return frames


def build_searchable_pdf(
    doc: Document, *, pdfa: bool = True, notes: list[str] | None = None
) -> pikepdf.Pdf | None:
    """The original document with our text under each OCR'd page; None for a text input.
    What had to be left out of the original is added to `notes`."""
    if doc.source.kind == "text":
        return None
    ocr_pages = [p for p in doc.pages if p.source == "ocr" and p.lines]
    pdf = open_base(doc, doc.pages)
    stamped: dict[int, list[Stamp]] = {}
    if doc.source.kind == "pdf":
        stamped = annotation_text_rects(pdf)  # before annotations are drawn into the page
        left_out = prepare_for_archive(pdf, pdfa=pdfa)
        if notes is not None:
            notes += left_out
    if ocr_pages:
        skips = {  # a stamp's own text stays; our reading of it is not added twice
            p.number: _inside(p, pdf.pages[p.number - 1], stamped[p.number])
            for p in ocr_pages
            if p.number in stamped and p.number <= len(pdf.pages)
        }
        with tempfile.TemporaryDirectory(prefix="vndoc-pdf-") as work:
            text_pdf = render_text_layers(ocr_pages, Path(work), skips)
            for i, page in enumerate(ocr_pages):
                if page.number > len(pdf.pages):
                    continue
                base = pdf.pages[page.number - 1]
                if not _geometry_fits(page, base) and notes is not None:
                    notes.append(
                        f"page {page.number}: the clean-up's logged geometry does not give the "
                        "page's size; its text layer may be misplaced"
                    )
                strip_invisible_text(pdf, base)
                text_page = text_pdf.pages[i]
                height = float(text_page.mediabox[3]) - float(text_page.mediabox[1])
                graft(pdf, base, text_page, text_layer_matrix(page, base, height))
            text_pdf.close()
    return pdf


_METADATA_DATE = re.compile(
    rb'\s*<xmp:MetadataDate>[^<]*</xmp:MetadataDate>|\s*xmp:MetadataDate="[^"]*"'
)


def _undated(pdf: pikepdf.Pdf) -> None:
    """Without the metadata's "now", the same input gives the same bytes (reproducible
    outputs; a re-run or another executor writes an identical file)."""
    if Name.Metadata in pdf.Root:
        xmp = pdf.Root.Metadata.read_bytes()
        pdf.Root.Metadata.write(_METADATA_DATE.sub(b"", xmp))


def save_pdf(pdf: pikepdf.Pdf, path: Path, *, pdfa: bool = True) -> str | None:
    """Write atomically as PDF/A-2b (validated) when asked; returns why it is not PDF/A, if not.
    A file that fails validation is written as plain PDF, its PDF/A claim withdrawn."""
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # the validator reads odd fonts
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["xmp:CreatorTool"] = "vndoc"
    reason = None
    if pdfa:
        from pikepdf.pdfa import PdfaError, prepare
        from pikepdf.pdfa import save as save_pdfa

        buf = io.BytesIO()
        try:
            prepare(pdf, "2b", output_intent="sRGB")
            _undated(pdf)
            save_pdfa(pdf, buf, "2b", repair=False, deterministic_id=True)
            atomic_write_bytes(path, buf.getvalue())
            return None
        except PdfaError as exc:
            reason = f"not PDF/A-2b: {'; '.join(str(f) for f in exc.report.findings[:3])}"
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            for key in ("pdfaid:part", "pdfaid:conformance"):
                if key in meta:
                    del meta[key]
    _undated(pdf)
    buf = io.BytesIO()
    pdf.save(
        buf,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        deterministic_id=True,
    )
    atomic_write_bytes(path, buf.getvalue())
    return reason


JPEG_QUALITY = 75


def optimize_images(pdf: pikepdf.Pdf) -> int:
    """`--optimize`: lossless 8-bit grey or RGB page images re-encoded as JPEG when that is
    smaller (1-bit CCITT/JBIG2 scans and JPEGs are left as they are); returns how many."""
    from pikepdf import PdfImage
    from PIL import Image

    done = 0
    for page in pdf.pages:
        for _, obj in page.get_images().items():
            if obj.get(Name.Filter) not in (Name.FlateDecode, None) or obj.get(Name.SMask):
                continue
            if int(obj.get(Name.BitsPerComponent, 8)) != 8:
                continue
            try:
                img = PdfImage(obj).as_pil_image()  # type: ignore[arg-type]
            except Exception:  # an image pikepdf cannot decode is kept as it is
                continue
            if img.mode not in ("L", "RGB"):
                continue
            buf = io.BytesIO()
            Image.Image.save(img, buf, format="JPEG", quality=JPEG_QUALITY, optimize=True)
            if buf.tell() < len(obj.read_raw_bytes()):
                obj.write(buf.getvalue(), filter=Name.DCTDecode)
                obj.ColorSpace = Name.DeviceGray if img.mode == "L" else Name.DeviceRGB
                for key in (Name.DecodeParms, Name.Decode):
                    if key in obj:
                        del obj[key]
                done += 1
    return done


def write_searchable_pdf(
    doc: Document, folder: Path, *, pdfa: bool = True, optimize: bool = False
) -> list[str]:
    """`folder/searchable.pdf`; returns warnings (e.g. why the file is not PDF/A)."""
    notes: list[str] = []
    pdf = build_searchable_pdf(doc, pdfa=pdfa, notes=notes)
    if pdf is None:
        return []
    with pdf:
        if optimize:
            optimize_images(pdf)
        reason = save_pdf(pdf, folder / SEARCHABLE_PDF, pdfa=pdfa)
    return [f"searchable.pdf: {note}" for note in [*notes, *([reason] if reason else [])]]
