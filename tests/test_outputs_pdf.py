"""The searchable PDF's text lands on the words of the original page when the reader turned and
levelled it, and when the PDF page itself carries a /Rotate (documents made in code, no OCR)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import img2pdf
import numpy as np
import pikepdf
import pytest
from PIL import Image

from pipeline.outputs.searchable_pdf import build_searchable_pdf, save_pdf
from pipeline.types import Box, Document, Line, Page, Source, StageLog, Word

DPI = 200
W, H = 1000, 1400  # the levelled page the reader saw
WORDS = [("Ủy", 100, 200), ("ban", 200, 200), ("nhân", 320, 200), ("dân", 480, 200)]


def _levelled_words() -> list[Word]:
    return [Word(text=t, box=Box(x0=x, y0=y, x1=x + 80, y1=y + 40), conf=95.0) for t, x, y in WORDS]


def _doc(path: Path, stages: list[StageLog]) -> Document:
    words = _levelled_words()
    line = Line(
        text=" ".join(w.text for w in words),
        raw_text="",
        words=words,
        box=Box.enclosing([w.box for w in words if w.box]),
    )
    page = Page(number=1, width=W, height=H, dpi=DPI, source="ocr", lines=[line], stages=stages)
    src = Source(path=str(path), sha256="0" * 64, kind="pdf", size_bytes=1, page_count=1)
    return Document(source=src, pages=[page])


def _bbox_words(pdf: Path) -> dict[str, tuple[float, float]]:
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    out = {}
    for m in re.finditer(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<', html
    ):
        x0, y0, x1, y1 = (float(v) * DPI / 72 for v in m.groups()[:4])
        out[m.group(5)] = ((x0 + x1) / 2, (y0 + y1) / 2)
    return out


@pytest.mark.parametrize("page_rotate", [0, 90])
def test_text_of_a_page_the_reader_turned_lands_on_the_original_words(
    tmp_path: Path, page_rotate: int
):
    levelled = np.full((H, W), 255, np.uint8)
    displayed = np.ascontiguousarray(
        np.rot90(levelled, 1)
    )  # scanned sideways: reader turned it 90° cw
    stored = np.ascontiguousarray(np.rot90(displayed, 1)) if page_rotate else displayed
    png = tmp_path / "page.png"
    Image.fromarray(stored).save(png)
    pdf_path = tmp_path / "scan.pdf"
    pdf_path.write_bytes(
        img2pdf.convert(str(png), layout_fun=img2pdf.get_fixed_dpi_layout_fun((DPI, DPI)))
    )
    if page_rotate:
        with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
            pdf.pages[0].Rotate = page_rotate
            pdf.save()
    stages = [StageLog(stage="orient", applied=True, detail={"rotation": 90})]
    built = build_searchable_pdf(_doc(pdf_path, stages))
    assert built is not None
    out = tmp_path / "searchable.pdf"
    with built:
        assert save_pdf(built, out) is None  # PDF/A-2b
    found = _bbox_words(out)
    for text, x, y in WORDS:  # levelled (x, y) -> displayed page: x' = y, y' = W - x
        cx, cy = x + 40, y + 20
        want = (cy, W - cx)
        got = found[text]
        assert abs(got[0] - want[0]) < 12 and abs(got[1] - want[1]) < 45, (text, got, want)


def test_text_of_a_levelled_page_follows_the_skew_of_the_scan(tmp_path: Path):
    angle = 4.0
    png = tmp_path / "page.png"
    # the scan: the levelled page before the deskew, whose canvas grew by the rotation
    Image.fromarray(np.full((H - 60, W - 90), 255, np.uint8)).save(png)
    pdf_path = tmp_path / "scan.pdf"
    pdf_path.write_bytes(
        img2pdf.convert(str(png), layout_fun=img2pdf.get_fixed_dpi_layout_fun((DPI, DPI)))
    )
    stages = [StageLog(stage="deskew", applied=True, detail={"angle": angle})]
    built = build_searchable_pdf(_doc(pdf_path, stages))
    assert built is not None
    out = tmp_path / "searchable.pdf"
    with built:
        built.save(out)
    text = subprocess.run(
        ["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.split() == [t for t, _, _ in WORDS]
    found = _bbox_words(out)
    # the reader turned the scan counter-clockwise to level it: on the scan the line runs
    # downhill, each word lower than the one before it by ~tan(4°) of the distance
    ys = [found[t][1] for t, _, _ in WORDS]
    xs = [found[t][0] for t, _, _ in WORDS]
    slope = (ys[-1] - ys[0]) / (xs[-1] - xs[0])
    assert ys == sorted(ys) and abs(slope - np.tan(np.deg2rad(angle))) < 0.03


def test_optimize_reencodes_lossless_grey_images_and_only_then(tmp_path: Path):
    from pipeline.outputs.searchable_pdf import optimize_images

    rng = np.random.default_rng(0)
    photo = (
        (np.linspace(0, 255, W)[None, :] + rng.normal(0, 8, (H, W))).clip(0, 255).astype(np.uint8)
    )
    png = tmp_path / "page.png"
    Image.fromarray(photo).save(png)
    pdf_path = tmp_path / "scan.pdf"
    pdf_path.write_bytes(
        img2pdf.convert(str(png), layout_fun=img2pdf.get_fixed_dpi_layout_fun((DPI, DPI)))
    )
    with pikepdf.open(pdf_path) as pdf:
        image = next(iter(pdf.pages[0].get_images().values()))
        before = len(image.read_raw_bytes())
        assert optimize_images(pdf) == 1
        image = next(iter(pdf.pages[0].get_images().values()))
        assert image.Filter == pikepdf.Name.DCTDecode and len(image.read_raw_bytes()) < before
        decoded = np.asarray(pikepdf.PdfImage(image).as_pil_image().convert("L"), dtype=float)
        assert np.abs(decoded - photo).mean() < 6
        assert optimize_images(pdf) == 0  # a JPEG is never re-encoded again


def _signed_scan(tmp_path: Path) -> Path:
    """A one-page scan with a digital-signature field whose visible stamp is a dark box, as the
    signing tools of Vietnamese agencies leave it (AcroForm, /Perms, a Widget with /AP)."""
    png = tmp_path / "page.png"
    Image.fromarray(np.full((H, W), 255, np.uint8)).save(png)
    path = tmp_path / "signed.pdf"
    path.write_bytes(
        img2pdf.convert(str(png), layout_fun=img2pdf.get_fixed_dpi_layout_fun((DPI, DPI)))
    )
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        helv = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
        )
        stamp = pdf.make_stream(b"0 0 0 rg 0 0 100 40 re f")
        stamp.Type, stamp.Subtype, stamp.BBox = (
            pikepdf.Name.XObject,
            pikepdf.Name.Form,
            [0, 0, 100, 40],
        )
        widget = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                FT=pikepdf.Name.Sig,
                T=pikepdf.String("Signature1"),
                Rect=[50, 50, 150, 90],
                F=4,
                AP=pikepdf.Dictionary(N=stamp),
                P=pdf.pages[0].obj,
            )
        )
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([widget]))
        pdf.Root.AcroForm = pikepdf.Dictionary(
            Fields=[widget], SigFlags=3, DR=pikepdf.Dictionary(Font=pikepdf.Dictionary(Helv=helv))
        )
        pdf.Root.Perms = pikepdf.Dictionary(DocMDP=pikepdf.Dictionary())
        pdf.save()
    return path


def test_a_signed_pdf_keeps_its_stamp_drops_the_broken_signature_and_is_pdfa(tmp_path: Path):
    from pipeline.outputs.searchable_pdf import write_searchable_pdf

    src = _signed_scan(tmp_path)
    doc = _doc(src, [])
    warnings = write_searchable_pdf(doc, tmp_path)
    assert warnings == [
        "searchable.pdf: digital signature not carried over (its stamp is); the input is the record"
    ]
    out = tmp_path / "searchable.pdf"
    with pikepdf.open(out) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
        assert "/AcroForm" not in pdf.Root and "/Perms" not in pdf.Root
        assert "/Annots" not in pdf.pages[0].obj
    subprocess.run(
        ["pdftoppm", "-r", "72", "-gray", str(out), str(tmp_path / "render")], check=True
    )
    render = np.asarray(Image.open(next(tmp_path.glob("render*.pgm"))))
    assert render[H * 72 // DPI - 70, 100] < 50  # the stamp (50..150 x 50..90 pt) is still drawn
    assert _bbox_words(out).keys() >= {t for t, _, _ in WORDS}


def test_the_searchable_pdf_is_the_same_bytes_on_every_run(tmp_path: Path):
    from pipeline.outputs.searchable_pdf import write_searchable_pdf

    src = _signed_scan(tmp_path)
    doc = _doc(src, [])
    runs = []
    for i in range(2):
        (tmp_path / str(i)).mkdir()
        write_searchable_pdf(doc, tmp_path / str(i))
        runs.append((tmp_path / str(i) / "searchable.pdf").read_bytes())
    assert runs[0] == runs[1]


def test_a_stage_log_that_does_not_fit_the_page_is_reported(tmp_path: Path):
    from pipeline.outputs.searchable_pdf import write_searchable_pdf

    src = _signed_scan(tmp_path)
    wrong = [StageLog(stage="upscale", applied=True, detail={"factor": 2.0})]  # never applied
    doc = _doc(src, wrong)
    warnings = write_searchable_pdf(doc, tmp_path)
    assert any("page 1: the clean-up's logged geometry does not give" in w for w in warnings)


def test_font_defaults_pdfa_wants_spelled_out_keep_their_meaning(tmp_path: Path):
    from pipeline.outputs.searchable_pdf import prepare_for_archive

    pdf = pikepdf.new()
    pdf.add_blank_page()
    descriptor = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor, CIDSet=pdf.make_stream(b"\xff"))
    )
    cid = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, FontDescriptor=descriptor
        )
    )
    assert prepare_for_archive(pdf, pdfa=False) == [] and "/CIDSet" in descriptor
    assert prepare_for_archive(pdf, pdfa=True) == []
    assert cid.CIDToGIDMap == pikepdf.Name.Identity and "/CIDSet" not in descriptor


def test_an_unembedded_helvetica_is_embedded_as_liberation_sans_with_the_same_text(tmp_path: Path):
    from pipeline.outputs.fonts import FONT_DIR
    from pipeline.outputs.searchable_pdf import prepare_for_archive

    if not (FONT_DIR / "LiberationSans-Regular.ttf").is_file():
        pytest.skip("fonts-liberation2 is not installed")
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    helvetica = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.Type1,
        BaseFont=pikepdf.Name.Helvetica,
        Encoding=pikepdf.Name.WinAnsiEncoding,
    )
    page.obj.Resources = pikepdf.Dictionary(
        Font=pikepdf.Dictionary(F1=helvetica)
    )  # direct, as scanners write it
    page.obj.Contents = pdf.make_stream(b"BT /F1 24 Tf 72 700 Td (Typed note: 3 copies) Tj ET")
    prepare_for_archive(pdf, pdfa=True)
    out = tmp_path / "note.pdf"
    assert save_pdf(pdf, out) is None  # PDF/A-2b: the font is embedded now
    fonts = subprocess.run(
        ["pdffonts", str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert "LiberationSans" in fonts and " yes " in fonts
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.split() == ["Typed", "note:", "3", "copies"]


def test_words_a_signature_stamp_already_shows_as_text_are_not_added_twice(tmp_path: Path):
    from pipeline.outputs.searchable_pdf import write_searchable_pdf

    src = _signed_scan(tmp_path)
    with pikepdf.open(src, allow_overwriting_input=True) as pdf:  # the stamp's caption is text
        widget = pdf.pages[0].Annots[0]
        widget.Rect = [30, 410, 70, 440]  # over the first word, "Ủy" (36-65 x 418-432 pt)
        appearance = pdf.make_stream(b"BT /Helv 8 Tf 2 12 Td (Nguoi ky) Tj ET")
        appearance.Type, appearance.Subtype, appearance.BBox = (
            pikepdf.Name.XObject,
            pikepdf.Name.Form,
            [0, 0, 40, 30],
        )
        appearance.Resources = pikepdf.Dictionary(Font=pdf.Root.AcroForm.DR.Font)
        widget.AP = pikepdf.Dictionary(N=appearance)
        pdf.save()
    doc = _doc(src, [])
    write_searchable_pdf(doc, tmp_path)
    text = subprocess.run(
        ["pdftotext", "-raw", str(tmp_path / "searchable.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert text.split() == ["Nguoi", "ky", "ban", "nhân", "dân"]


VIETNAMESE = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
)


def test_the_text_layer_font_cut_keeps_every_vietnamese_letter_and_symbol():
    from fontTools.ttLib import TTFont

    from pipeline.outputs.searchable_pdf import text_font_dir

    cmap = TTFont(text_font_dir() / "NotoSans-Regular.ttf").getBestCmap()
    wanted = VIETNAMESE + VIETNAMESE.upper() + "0123456789.,;:!?()[]–—…“”‘’%/§№₫€"
    assert [c for c in wanted if ord(c) not in cmap] == []
    assert (text_font_dir() / "Occulta.ttf").is_file()  # ocrmypdf's last resort stays


def test_every_vietnamese_letter_comes_back_out_of_the_searchable_pdf(tmp_path: Path):
    png = tmp_path / "page.png"
    Image.fromarray(np.full((H, W), 255, np.uint8)).save(png)
    pdf_path = tmp_path / "scan.pdf"
    pdf_path.write_bytes(
        img2pdf.convert(str(png), layout_fun=img2pdf.get_fixed_dpi_layout_fun((DPI, DPI)))
    )
    doc = _doc(pdf_path, [])
    text = VIETNAMESE[:40], VIETNAMESE[40:], VIETNAMESE.upper()[:40], VIETNAMESE.upper()[40:]
    words = [
        Word(text=t, box=Box(x0=50, y0=100 + 60 * i, x1=950, y1=140 + 60 * i), conf=90.0)
        for i, t in enumerate(text)
    ]
    lines = [Line(text=w.text, raw_text="", words=[w], box=w.box) for w in words]
    doc = doc.model_copy(update={"pages": [doc.pages[0].model_copy(update={"lines": lines})]})
    built = build_searchable_pdf(doc)
    assert built is not None
    out = tmp_path / "searchable.pdf"
    with built:
        assert save_pdf(built, out) is None
    extracted = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert extracted.split() == list(text)


def _png_with_exif_after_pixels(path: Path, orientation: int) -> None:
    """A PNG whose eXIf chunk follows its IDAT: legal, and found only by walking every chunk."""
    import struct
    import zlib

    Image.fromarray(np.full((40, 60), 255, np.uint8)).save(path)
    data = path.read_bytes()
    exif = Image.Exif()
    exif[0x0112] = orientation
    body = exif.tobytes()
    chunk = struct.pack(">I", len(body)) + b"eXIf" + body
    chunk += struct.pack(">I", zlib.crc32(b"eXIf" + body) & 0xFFFFFFFF)
    iend = data.rindex(b"IEND") - 4
    path.write_bytes(data[:iend] + chunk + data[iend:])


def test_a_png_is_wrapped_unturned_without_decoding_unless_it_carries_an_exif_orientation(
    tmp_path: Path,
):
    from pipeline.outputs.searchable_pdf import _png_without_exif, open_base

    plain, turned = tmp_path / "plain.png", tmp_path / "turned.png"
    Image.fromarray(np.full((40, 60), 255, np.uint8)).save(plain)
    _png_with_exif_after_pixels(turned, orientation=6)  # view turned 90° clockwise
    assert _png_without_exif(plain) and not _png_without_exif(turned)
    assert not _png_without_exif(tmp_path / "missing.png")
    sizes = {}
    for png in (plain, turned):
        src = Source(path=str(png), sha256="0" * 64, kind="image", size_bytes=1, page_count=1)
        page = Page(number=1, width=60, height=40, dpi=DPI, source="ocr")
        with open_base(Document(source=src, pages=[page]), [page]) as pdf:
            box = pdf.pages[0].mediabox
            sizes[png.name] = (
                float(box[2]),
                float(box[3]),
                int(pdf.pages[0].obj.get("/Rotate", 0)),
            )
    assert sizes["plain.png"] == (60 * 72 / DPI, 40 * 72 / DPI, 0)
    assert sizes["turned.png"][2] == 90  # img2pdf still reads the orientation and turns the page
