"""Ingest specs: inputs → documents → pages, and every bad input reported with a short reason."""

from __future__ import annotations

import hashlib
import os
import time
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from fixtures import make_pdf, png_header_only, to_cp1258
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption

from pipeline.config import Settings
from pipeline.errors import EncryptedPdf, ImageTooLarge, InputError, UnreadableInput
from pipeline.ingest import (
    assess_text_layer,
    discover_inputs,
    load_page_image,
    open_input,
    read_text_layer,
    read_text_pages,
)
from pipeline.ingest.textfile import text_pages_from_bytes
from pipeline.ingest.textlayer import PdfWord, group_lines, line_text
from pipeline.textnorm import nfc, strip_diacritics

DATA = Path(__file__).parent / "data" / "ingest"
REALDOCS = Path(__file__).parents[2] / "shared" / "realdocs"
FAST = Settings(dpi=72)

VIETNAMESE_PAGE = [
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
    "KẾ HOẠCH",
    "Thực hiện chương trình cải cách hành chính năm 2026",
    "Giao Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành tổ chức triển khai",
    "thực hiện các nhiệm vụ được giao, báo cáo kết quả trước ngày 15 tháng 12.",
    "Ủy ban nhân dân các huyện, thị xã, thành phố có trách nhiệm kiểm tra, đôn đốc.",
]
SIGNATURE_OVERLAY = [
    "Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi",
    "Cơ quan: Tỉnh Quảng Ngãi",
    "Thời gian ký: 07/01/2025 10:09:57",
]


# --- fixtures made in code -------------------------------------------------------------------


def gray_page(size: tuple[int, int] = (120, 160), value: int = 200) -> Image.Image:
    return Image.new("L", size, value)


# --- discovery -------------------------------------------------------------------------------


def test_folder_discovery_is_recursive_sorted_and_skips_hidden_and_unsupported(tmp_path: Path):
    for rel in ["b.pdf", "a/z.PNG", "a/c.txt", "notes.docx", ".hidden.pdf", ".git/x.pdf", "B.TIFF"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    files, errors = discover_inputs([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "B.TIFF", "a/c.txt", "a/z.PNG", "b.pdf",
    ]  # fmt: skip
    assert errors == []


def test_explicit_unsupported_or_missing_paths_are_error_entries(tmp_path: Path):
    docx = tmp_path / "plan.docx"
    docx.write_bytes(b"PK\x03\x04")
    good = tmp_path / "ok.txt"
    good.write_text("xin chào")
    files, errors = discover_inputs([docx, tmp_path / "missing.pdf", good])
    assert files == [good]
    reasons = {p.name: e.reason for p, e in errors}
    assert reasons["plan.docx"].startswith("unsupported file type .docx")
    assert reasons["missing.pdf"] == "no such file or directory"
    assert all(isinstance(e, InputError) for _, e in errors)


def test_a_file_reached_twice_is_listed_once(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_text("một")
    files, _ = discover_inputs([f, tmp_path, f])
    assert files == [f]


# --- bad inputs ------------------------------------------------------------------------------


def test_zero_byte_file_is_reported(tmp_path: Path):
    empty = tmp_path / "empty.pdf"
    empty.touch()
    with pytest.raises(InputError) as err:
        open_input(empty)
    assert err.value.reason == "empty file (0 bytes)"
    assert err.value.one_line() == f"{empty}: bad input: empty file (0 bytes)"


def test_truncated_pdf_is_reported(tmp_path: Path):
    whole = make_pdf(tmp_path / "whole.pdf", [["Trang một"], ["Trang hai"]])
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(InputError) as err:
        open_input(cut)
    assert err.value.reason.startswith("truncated PDF")


def test_pdf_missing_only_its_trailer_opens_with_a_warning(tmp_path: Path):
    whole = make_pdf(tmp_path / "whole.pdf", [["Trang một"], ["Trang hai"]])
    data = whole.read_bytes()
    clipped = tmp_path / "clipped.pdf"
    clipped.write_bytes(data[: data.rindex(b"startxref")])  # poppler rebuilds the xref
    doc = open_input(clipped)
    assert doc.page_count == 2
    assert "truncated" in doc.warnings[0]
    assert load_page_image(doc, 2, FAST).image.shape[2] == 3


def test_corrupt_pdf_is_reported(tmp_path: Path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    with pytest.raises(InputError) as err:
        open_input(bad)
    assert err.value.reason.startswith("corrupt PDF")


def test_password_protected_pdf_is_reported(tmp_path: Path):
    locked = make_pdf(
        tmp_path / "locked.pdf", [["Mật"]], encrypt=StandardEncryption("user", "owner")
    )
    with pytest.raises(EncryptedPdf) as err:
        open_input(locked)
    assert err.value.reason == "password-protected PDF"
    assert err.value.exit_code == 2


def test_pdf_with_only_an_owner_password_opens_and_renders(tmp_path: Path):
    restricted = make_pdf(
        tmp_path / "restricted.pdf", [["Chỉ đọc"]], encrypt=StandardEncryption("", "owner")
    )
    doc = open_input(restricted)
    assert doc.page_count == 1
    assert load_page_image(doc, 1, FAST).image.ndim == 3


@pytest.mark.parametrize(
    ("content", "looks_like"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "a PNG image"),
        ("Kế hoạch số 12\n".encode(), "plain text"),
        (b"PK\x03\x04" + b"\x00" * 64, "a ZIP archive (e.g. .docx/.xlsx)"),
    ],
)
def test_png_renamed_pdf_is_reported(tmp_path: Path, content: bytes, looks_like: str):
    fake = tmp_path / "scan.pdf"
    fake.write_bytes(content)
    with pytest.raises(InputError) as err:
        open_input(fake)
    assert err.value.reason == f"not a PDF: looks like {looks_like}"


def test_pdf_renamed_png_is_reported(tmp_path: Path):
    fake = tmp_path / "scan.png"
    fake.write_bytes(make_pdf(tmp_path / "real.pdf", [["Trang"]]).read_bytes())
    with pytest.raises(InputError, match="not a supported image: looks like a PDF document"):
        open_input(fake)


def test_decompression_bomb_is_refused_without_decoding(tmp_path: Path, monkeypatch):
    bomb = png_header_only(tmp_path / "bomb.png", 50_000, 50_000)  # 2.5 G pixels, 100 bytes

    def no_decoding(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    start = time.perf_counter()
    with pytest.raises(ImageTooLarge) as err:
        open_input(bomb, Settings(max_image_pixels=120_000_000))
    assert time.perf_counter() - start < 1.0
    assert err.value.reason.startswith("image is 2,500,000,000 pixels, over the 120,000,000 limit")
    assert err.value.path == str(bomb)


def test_image_just_over_the_configured_limit_is_refused(tmp_path: Path):
    big = png_header_only(tmp_path / "big.png", 1500, 1000)  # 1.5 M pixels, under Pillow's own
    with pytest.raises(ImageTooLarge, match="1500×1000 = 1,500,000 pixels"):
        open_input(big, Settings(max_image_pixels=1_000_000))


def test_unreadable_path_is_reported(tmp_path: Path):
    folder = tmp_path / "x.pdf"
    folder.mkdir()
    dangling = tmp_path / "gone.pdf"
    dangling.symlink_to(tmp_path / "nowhere.pdf")
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    expected = {
        folder: "not a regular file: a directory",
        dangling: "broken symbolic link",
        fifo: "not a regular file: a FIFO (named pipe)",
        tmp_path / "missing.pdf": "no such file or directory",
    }
    for path, reason in expected.items():
        with pytest.raises(UnreadableInput) as err:
            open_input(path)  # a FIFO must be refused, not opened (that would block)
        assert err.value.reason == reason


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_permission_denied_is_reported(tmp_path: Path):
    locked = tmp_path / "locked.txt"
    locked.write_text("bí mật")
    locked.chmod(0)
    try:
        with pytest.raises(UnreadableInput, match="permission denied"):
            open_input(locked)
    finally:
        locked.chmod(0o600)


def test_permission_denied_is_reported_as_root_too(tmp_path: Path, monkeypatch):
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(b"%PDF-1.4\n")
    real_open = Path.open

    def denied(self: Path, *args, **kwargs):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(UnreadableInput, match="permission denied"):
        open_input(locked)


def test_truncated_png_is_reported_when_opened(tmp_path: Path):
    good = tmp_path / "good.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (200, 200), np.uint8)).save(good)
    cut = tmp_path / "cut.png"
    cut.write_bytes(good.read_bytes()[:-3000])
    with pytest.raises(InputError, match="corrupt image"):
        open_input(cut)


def test_truncated_jpeg_is_reported_when_loaded(tmp_path: Path):
    good = tmp_path / "good.jpg"
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (300, 300, 3), np.uint8)).save(good, quality=95)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    doc = open_input(cut)  # the header is intact: opening stays cheap
    with pytest.raises(InputError, match="corrupt image"):
        load_page_image(doc, 1)


def test_binary_file_named_txt_is_reported(tmp_path: Path):
    fake = tmp_path / "notes.txt"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(InputError, match="not a text file: looks like a PNG image"):
        open_input(fake)


# --- good inputs -----------------------------------------------------------------------------


def test_opened_pdf_has_identity_and_page_count(tmp_path: Path):
    pdf = make_pdf(tmp_path / "doc.pdf", [["Một"], ["Hai"], ["Ba"]])
    doc = open_input(pdf)
    assert (doc.kind, doc.page_count, doc.size_bytes) == ("pdf", 3, pdf.stat().st_size)
    assert doc.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert doc.page_sizes[0] == pytest.approx(A4, abs=0.5)
    assert doc.to_source().page_count == 3


def test_pdf_page_renders_at_settings_dpi(tmp_path: Path):
    doc = open_input(make_pdf(tmp_path / "doc.pdf", [["Một"], ["Hai"]]))
    page = load_page_image(doc, 2, Settings(dpi=100))
    h, w, channels = page.image.shape
    assert (page.dpi, page.dpi_source, page.page_no, channels) == (100, "render", 2, 3)
    assert abs(w - A4[0] / 72 * 100) <= 1 and abs(h - A4[1] / 72 * 100) <= 1
    assert page.image.dtype == np.uint8


def test_a_page_that_cannot_be_rendered_is_an_input_error_naming_the_file(tmp_path: Path):
    pdf = make_pdf(tmp_path / "doc.pdf", [["Một"], ["Hai"]])
    doc = open_input(pdf)
    pdf.write_bytes(pdf.read_bytes()[:200])  # cut short after it was opened (a copy in progress)
    with pytest.raises(InputError) as err:
        load_page_image(doc, 2, Settings(dpi=100))
    assert err.value.path == str(pdf)
    assert "corrupt PDF" in str(err.value)


def test_a_missing_pdftoppm_is_named_as_the_tool_to_install(tmp_path: Path, monkeypatch):
    from pipeline.errors import ToolMissing

    doc = open_input(make_pdf(tmp_path / "doc.pdf", [["Một"]]))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ToolMissing, match="pdftoppm"):
        load_page_image(doc, 1, Settings(dpi=100))


def test_huge_pdf_page_is_rendered_at_a_lower_dpi(tmp_path: Path):
    poster = make_pdf(tmp_path / "poster.pdf", [[]], pagesize=(20 * 72, 20 * 72))
    page = load_page_image(open_input(poster), 1, Settings(dpi=300, max_image_pixels=1_000_000))
    assert page.dpi == 50
    assert page.image.shape[:2] == (1000, 1000)
    assert "rendered at 50 dpi instead of 300" in page.warnings[0]


def test_blank_page_loads(tmp_path: Path):
    doc = open_input(make_pdf(tmp_path / "blank.pdf", [[]]))
    page = load_page_image(doc, 1, FAST)
    assert page.image.min() == 255
    layer, verdict = read_text_layer(doc, 1, Settings())
    assert layer is None
    assert verdict.reason == "no text layer"


def test_multipage_tiff_pages_load_one_by_one(tmp_path: Path):
    tiff = tmp_path / "fax.tif"
    frames = [gray_page(value=v) for v in (10, 120, 240)]
    frames[0].save(tiff, save_all=True, append_images=frames[1:], dpi=(300, 300))
    doc = open_input(tiff)
    assert (doc.kind, doc.page_count, doc.image_format) == ("image", 3, "TIFF")
    for n, value in [(3, 240), (1, 10), (2, 120)]:
        page = load_page_image(doc, n)
        assert page.page_no == n
        assert page.image.shape == (160, 120)
        assert int(page.image[0, 0]) == value
        assert (page.dpi, page.dpi_source) == (300, "metadata")
    with pytest.raises(ValueError):
        load_page_image(doc, 4)


def test_exif_orientation_is_applied(tmp_path: Path):
    photo = tmp_path / "phone.jpg"
    img = Image.new("RGB", (400, 200), "white")
    exif = img.getexif()
    exif[0x0112] = 6  # stored sideways: rotate 90° clockwise to view
    img.save(photo, exif=exif)
    page = load_page_image(open_input(photo), 1)
    assert page.image.shape == (400, 200, 3)


@pytest.mark.parametrize(
    ("mode", "shape"),
    [("1", (20, 30)), ("L", (20, 30)), ("P", (20, 30, 3)), ("RGBA", (20, 30, 3)),
     ("LA", (20, 30)), ("I;16", (20, 30)), ("CMYK", (20, 30, 3))],
)  # fmt: skip
def test_image_modes_become_uint8_rgb_or_gray(tmp_path: Path, mode: str, shape: tuple):
    path = tmp_path / ("img.tif" if mode in ("CMYK", "I;16", "LA") else "img.png")
    Image.new(mode, (30, 20)).save(path)
    page = load_page_image(open_input(path), 1)
    assert page.image.dtype == np.uint8
    assert page.image.shape == shape


def test_transparent_pixels_become_white_paper(tmp_path: Path):
    path = tmp_path / "clear.png"
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(path)
    assert load_page_image(open_input(path), 1).image.min() == 255


def test_sixteen_bit_samples_are_scaled_not_clipped(tmp_path: Path):
    path = tmp_path / "deep.png"
    Image.fromarray(np.full((8, 8), 32768, np.uint16)).save(path)
    assert int(load_page_image(open_input(path), 1).image[0, 0]) == 128


def test_image_dpi_comes_from_metadata_when_plausible(tmp_path: Path):
    scanner, bare, phone = tmp_path / "s.png", tmp_path / "b.png", tmp_path / "p.jpg"
    gray_page((1654, 2339)).save(scanner, dpi=(200, 200))
    gray_page().save(bare)
    Image.new("RGB", (3000, 4000)).save(phone, dpi=(72, 72))  # would be a 55-inch page
    assert load_page_image(open_input(scanner), 1).dpi_source == "metadata"
    assert (load_page_image(open_input(bare), 1).dpi, "default") == (200, "default")
    assert load_page_image(open_input(phone), 1).dpi_source == "default"


# --- text inputs -----------------------------------------------------------------------------


def test_decomposed_text_is_normalized_to_nfc(tmp_path: Path):
    path = tmp_path / "nfd.txt"
    path.write_text(unicodedata.normalize("NFD", "Kế hoạch số 12\nỦy ban nhân dân"), "utf-8")
    doc = open_input(path)
    assert read_text_pages(doc) == ["Kế hoạch số 12\nỦy ban nhân dân"]
    assert unicodedata.is_normalized("NFC", read_text_pages(doc)[0])


@pytest.mark.parametrize(
    ("codec", "name"),
    [("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1258", "cp1258"), ("utf-8", "utf-8")],
)
def test_text_encodings_are_decoded(tmp_path: Path, codec: str, name: str):
    text = "Quyết định về việc giao nhiệm vụ"
    path = tmp_path / "legacy.txt"
    path.write_bytes(to_cp1258(text) if codec == "cp1258" else text.encode(codec))
    doc = open_input(path)
    assert doc.encoding == name
    assert read_text_pages(doc) == [text]


def test_text_pages_split_on_form_feed_with_unix_newlines(tmp_path: Path):
    path = tmp_path / "pages.txt"
    path.write_bytes("Trang 1\r\ndòng 2\fTrang 2\rdòng 2\f".encode())
    doc = open_input(path)
    assert doc.page_count == 2
    assert read_text_pages(doc) == ["Trang 1\ndòng 2", "Trang 2\ndòng 2"]


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=400), st.text(max_size=200).map(str.encode)))
def test_any_bytes_decode_to_nfc_pages_or_are_refused_cleanly(data: bytes):
    try:
        pages, _ = text_pages_from_bytes(data)
    except InputError as err:
        assert err.reason.startswith("not a text file")
        return
    assert pages and all(unicodedata.is_normalized("NFC", p) for p in pages)
    assert not any("\r" in p or "\f" in p for p in pages)


# --- text layers -----------------------------------------------------------------------------


def test_born_digital_text_layer_is_used(tmp_path: Path):
    doc = open_input(make_pdf(tmp_path / "word.pdf", [VIETNAMESE_PAGE]))
    page, verdict = read_text_layer(doc, 1, Settings())
    assert verdict.usable, verdict
    assert page is not None
    assert (page.source, page.dpi, page.number) == ("text_layer", 72, 1)
    assert [line.text for line in page.lines] == VIETNAMESE_PAGE
    first = page.lines[0].words[0]
    assert first.text == "ỦY" and first.box is not None and 70 <= first.box.x0 <= 74
    assert page.stages[0].stage == "text_layer" and page.stages[0].applied


def test_scanned_pdf_text_layer_is_rejected():
    """A scanner's English-model OCR layer (no diacritics) must not replace our OCR."""
    doc = open_input(DATA / "DN_SGDDT_2019_2p.pdf")
    for n in (1, 2):
        page, verdict = read_text_layer(doc, n, Settings())
        assert page is None
        assert verdict.words > 100 and verdict.marked_share < 0.05 and verdict.image_cover > 0.9
        assert not verdict.to_stage_log().applied


def test_signature_overlay_alone_is_not_a_text_layer(tmp_path: Path):
    pdf = make_pdf(tmp_path / "signed.pdf", [SIGNATURE_OVERLAY], scan=gray_page())
    page, verdict = read_text_layer(open_input(pdf), 1, Settings())
    assert page is None
    assert verdict.reason == "only a signature overlay"
    assert verdict.overlay_words == sum(len(line.split()) for line in SIGNATURE_OVERLAY)


def test_signature_overlay_is_left_out_of_a_used_text_layer(tmp_path: Path):
    pdf = make_pdf(tmp_path / "signed.pdf", [VIETNAMESE_PAGE + SIGNATURE_OVERLAY])
    page, verdict = read_text_layer(open_input(pdf), 1, Settings())
    assert verdict.usable and page is not None
    assert [line.text for line in page.lines] == VIETNAMESE_PAGE


def test_diacritic_free_text_layer_is_rejected(tmp_path: Path):
    stripped = [strip_diacritics(line) for line in VIETNAMESE_PAGE]
    page, verdict = read_text_layer(
        open_input(make_pdf(tmp_path / "ascii.pdf", [stripped])), 1, FAST
    )
    assert page is None
    assert verdict.marked_share == 0.0


def test_invisible_ocr_layer_on_a_scan_meets_a_stricter_bar(tmp_path: Path):
    """A layer with a few OCR slips is fine as a Word export but not as a scanner's OCR."""
    slips = ["Tbực cbương trìmh hiộn rnột qiao cảç kêt", "bảọf cáọw Ủyf bạmw tlrực gịao"]
    noisy = [*VIETNAMESE_PAGE, *slips]  # about 84% valid syllables
    plain = make_pdf(tmp_path / "plain.pdf", [noisy])
    scanned = make_pdf(tmp_path / "scan.pdf", [noisy], scan=gray_page(), invisible=True)
    assert read_text_layer(open_input(plain), 1, FAST)[0] is not None
    page, verdict = read_text_layer(open_input(scanned), 1, FAST)
    assert page is None
    assert verdict.image_cover == pytest.approx(1.0)
    assert verdict.reason.startswith("scanned page")


def test_rotated_page_text_layer_is_left_to_ocr(tmp_path: Path):
    doc = open_input(make_pdf(tmp_path / "turned.pdf", [VIETNAMESE_PAGE], rotate=90))
    assert doc.page_sizes[0] == pytest.approx(A4, abs=0.5)  # as displayed, /Rotate applied
    page, verdict = read_text_layer(doc, 1, FAST)
    assert page is None
    assert verdict.reason.startswith("text runs sideways")


def test_text_layer_setting_never_and_always(tmp_path: Path):
    doc = open_input(make_pdf(tmp_path / "mixed.pdf", [VIETNAMESE_PAGE, ["hello world"]]))
    assert read_text_layer(doc, 1, Settings(text_layer="never"))[0] is None
    assert read_text_layer(doc, 2, Settings())[0] is None
    forced, verdict = read_text_layer(doc, 2, Settings(text_layer="always"))
    assert forced is not None and verdict.reason == "forced (text_layer=always)"


def test_header_columns_become_separate_lines():
    def w(text: str, x0: float, top: float) -> PdfWord:
        return PdfWord(text, x0, top, x0 + 6 * len(text), top + 12, 12)

    words = [w("CỘNG", 260, 72.4), w("HÒA", 300, 72), w("ỦY", 108, 72), w("BAN", 130, 72.2),
             w("Độc", 311, 87), w("TỈNH", 109, 87)]  # fmt: skip
    assert [line_text(ln) for ln in group_lines(words)] == ["ỦY BAN", "CỘNG HÒA", "TỈNH", "Độc"]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 500), st.integers(0, 700), st.sampled_from(["a", "bb", "ccc"])),
        max_size=40,
    )
)
def test_line_grouping_keeps_every_word_once(spots: list[tuple[int, int, str]]):
    words = [PdfWord(t, x, y, x + 5 * len(t), y + 10, 10) for x, y, t in spots]
    lines = group_lines(words)
    assert Counter(id(w) for ln in lines for w in ln) == Counter(id(w) for w in words)
    assert all(ln == sorted(ln, key=lambda w: w.x0) for ln in lines)


def test_verdict_numbers_are_logged():
    verdict, content = assess_text_layer(VIETNAMESE_PAGE, image_cover=0.0)
    log = verdict.to_stage_log()
    assert log.applied and content == list(range(len(VIETNAMESE_PAGE)))
    assert set(log.detail) >= {"reason", "words", "valid_share", "marked_share", "image_cover"}
    assert log.detail["valid_share"] == 1.0


# --- real documents (read from ../shared when present) ---------------------------------------


def _real(folder: str, *names: str) -> list[Path]:
    paths = [REALDOCS / folder / n for n in names]
    if not all(p.exists() for p in paths):
        pytest.skip("shared/realdocs not beside the repository")
    return paths


def test_real_scans_text_layers_are_rejected():
    for pdf in _real("pdfs", "QNg_01-TTr_1p.pdf", "TTg_QD-729_1p.pdf", "BCT_TT-21_2p.pdf"):
        doc = open_input(pdf)
        for n in range(1, doc.page_count + 1):
            page, verdict = read_text_layer(doc, n, Settings())
            assert page is None, (pdf.name, n, verdict)


def test_real_born_digital_text_layer_matches_its_exported_text():
    for pdf in _real("born_digital", "B03_HN_TB-453-UBND_1p.pdf", "B11_QNg_TB-542-UBND_2p.pdf"):
        truth = nfc(pdf.with_suffix(".txt").read_text("utf-8")).split("\f")
        doc = open_input(pdf)
        for n in range(1, doc.page_count + 1):
            page, verdict = read_text_layer(doc, n, Settings())
            assert page is not None, (pdf.name, n, verdict)
            got, want = Counter(page.text.split()), Counter(truth[n - 1].split())
            assert sum((got & want).values()) >= 0.95 * sum(want.values()), (pdf.name, n)
