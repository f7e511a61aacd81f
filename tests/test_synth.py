"""Specification of the synthetic scan generator: layout, ground truth, degradation, PDF output."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pdfplumber
import pytest
from PIL import Image

from pipeline.synth import (
    DocTable,
    degrade_scan,
    plan_from_text,
    render_document,
    sample_scan_params,
    write_image_pdf,
)
from pipeline.synth.layout import font, wrap_text
from pipeline.textnorm import nfc, squash_spaces

SEED = Path(__file__).parent / "data" / "plan-hatinh-357.txt"  # a copy of the shared seed
TASK_LINE = re.compile(r"^(Chủ trì|Phối hợp|Thời gian thực hiện):")


@pytest.fixture(scope="module")
def seed_text() -> str:
    return nfc(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def doc(seed_text: str):
    return plan_from_text(seed_text)


@pytest.fixture(scope="module")
def pages(doc):
    return render_document(doc, dpi=100)


def test_plan_puts_header_parts_where_a_real_page_has_them(doc) -> None:
    h = doc.header
    assert h.agency == ("ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH")
    assert h.number_line == "Số: 357/KH-UBND"
    assert h.place_date == "Hà Tĩnh, ngày 17 tháng 10 năm 2019"
    assert h.national_name == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert h.national_motto == "Độc lập - Tự do - Hạnh phúc"
    assert doc.doc_type == "KẾ HOẠCH"
    assert doc.title[0].startswith("Triển khai thực hiện Đề án")


def test_plan_reads_closing_block_and_appendix_table(doc) -> None:
    assert doc.recipients[0] == "- Văn phòng Chính phủ;"
    assert doc.recipients[-1] == "- Lưu: VT, PC1."  # subscript ₁ printed as a digit
    assert doc.signature.authority == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH")
    assert doc.signature.title == ("PHÓ CHỦ TỊCH",)
    assert doc.signature.name == "Đặng Quốc Vinh"
    (app,) = doc.appendices
    assert app.heading == "PHỤ LỤC"
    assert app.table is not None and len(app.table.header) == 6
    assert [r[0] for r in app.table.rows] == [
        str(i) for i in range(1, 8)
    ]  # repeated header dropped


def test_paragraph_split_by_a_page_break_is_joined(doc) -> None:
    texts = [p.text for p in doc.body if not isinstance(p, DocTable)]
    assert any("đủ khả năng phát hiện, ngăn chặn" in t for t in texts)
    assert not any(t.startswith("hiện, ngăn chặn") for t in texts)


def test_seed_renders_to_expected_pages_with_two_column_header(pages) -> None:
    assert len(pages) == 11
    first = pages[0]
    left = [ln for ln in first.line_items if ln.region == "header_left"]
    right = [ln for ln in first.line_items if ln.region == "header_right"]
    assert [ln.text for ln in left] == ["ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH", "Số: 357/KH-UBND"]
    assert [ln.text for ln in right][0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert max(ln.box.x1 for ln in left) < min(ln.box.x0 for ln in right)
    # Số and the date share a row; truth lists the left column, then the right, then the body
    assert abs(left[-1].box.y1 - right[-1].box.y1) <= 2
    assert first.lines[:6] == tuple(ln.text for ln in left + right)
    assert first.lines[6] == "KẾ HOẠCH"


def test_truth_contains_every_task_line(seed_text: str, pages) -> None:
    truth = squash_spaces(" ".join(line for p in pages for line in p.lines))
    tasks = [ln.strip() for ln in seed_text.splitlines() if TASK_LINE.match(ln.strip())]
    assert len(tasks) >= 15
    for task in tasks:
        assert task in truth


def test_table_rows_are_truth_lines_and_header_repeats_on_next_page(doc, pages) -> None:
    table = doc.appendices[0].table
    rows = [ln for p in pages for ln in p.lines if " | " in ln]
    header = " | ".join(table.header)
    assert rows.count(header) == 2  # the table continues onto a second page
    for row in table.rows:
        assert " | ".join(row) in rows


def test_table_cells_and_seal_lie_inside_the_page(pages) -> None:
    cells = [(p, c) for p in pages for c in p.table_cells]
    assert len(cells) >= 6 * 9
    for p, c in cells:
        h, w = p.image.shape[:2]
        assert 0 <= c.box.x0 < c.box.x1 <= w and 0 <= c.box.y0 < c.box.y1 <= h
    seals = [p for p in pages if p.seal_box is not None]
    assert len(seals) == 1
    box, img = seals[0].seal_box, seals[0].image
    patch = img[box.y0 : box.y1, box.x0 : box.x1].astype(int)
    assert ((patch[..., 0] - patch[..., 2]) > 60).mean() > 0.02  # red ink is there


def test_no_printed_line_runs_off_the_text_area(pages) -> None:
    for p in pages:
        h, w = p.image.shape[:2]
        for ln in p.line_items:
            assert ln.box.x0 >= 0 and ln.box.x1 <= w - 15 * 100 / 25.4 + 2, ln.text
            assert ln.box.y0 >= 0 and ln.box.y1 <= h


def test_rendered_image_is_rgb_a4_at_requested_dpi(pages) -> None:
    img = pages[0].image
    assert img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3
    assert img.shape[:2] == (round(297 * 100 / 25.4), round(210 * 100 / 25.4))
    assert pages[0].dpi == 100


def test_wrap_never_exceeds_width() -> None:
    f = font("regular", 14, 150)
    text = "Thông tư số 38/2016/TT-BTTTT " * 20 + "x" * 300
    for line in wrap_text(text, f, 500):
        assert f.getlength(line) <= 500


def test_degrade_scan_is_deterministic_for_a_seed(pages) -> None:
    img = pages[2].image
    a = degrade_scan(img, seed=7)
    b = degrade_scan(img, seed=7)
    c = degrade_scan(img, seed=8)
    assert a.shape == img.shape and a.dtype == np.uint8
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    assert abs(sample_scan_params(7).angle) <= 1.0
    assert a.mean() < img.mean()  # grey paper


def test_write_image_pdf_has_pages_and_no_text_layer(tmp_path: Path, pages) -> None:
    out = tmp_path / "scan.pdf"
    write_image_pdf([p.image for p in pages[:3]], out, 100, grayscale=True)
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 3
        assert all(not page.extract_words() for page in pdf.pages)
        assert abs(pdf.pages[0].width - 595) < 2  # A4 width in points at the given dpi
    first = out.read_bytes()
    write_image_pdf([p.image for p in pages[:3]], out, 100, grayscale=True)
    assert out.read_bytes() == first  # no timestamps: same pages, same bytes
    assert not [f for f in os.listdir(tmp_path) if f != "scan.pdf"]


def test_harder_degradations_are_deterministic_and_keep_uint8(pages) -> None:
    from pipeline.synth import degrade as d

    img = pages[0].image
    rng = lambda: np.random.default_rng(3)  # noqa: E731
    results = {
        "rotate": d.rotate_quadrant(img, 1),
        "low_dpi": d.downsample(img, 0.5),
        "photocopy": d.photocopy(img, rng()),
        "phone": d.shadow(d.perspective(img, rng()), rng()),
        "blue": d.blue_tint(img, 1.0),
    }
    assert results["rotate"].shape[:2] == img.shape[1::-1][:2]
    assert results["low_dpi"].shape[0] == round(img.shape[0] / 2)
    assert np.array_equal(results["photocopy"], d.photocopy(img, rng()))
    assert results["photocopy"][:, :2].mean() < 40  # dark copier margin
    blue = results["blue"].reshape(-1, 3).mean(axis=0)
    assert blue[2] > blue[0]
    assert all(r.dtype == np.uint8 for r in results.values())


def levenshtein(a: str, b: str) -> int:
    """Edit distance, one numpy row at a time (insertions via a running minimum)."""
    if not a or not b:
        return len(a) or len(b)
    bb = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    cols = np.arange(len(b) + 1)
    prev = cols.copy()
    for i, ch in enumerate(a, start=1):
        sub = prev[:-1] + (bb != ord(ch))
        cur = np.empty_like(prev)
        cur[0] = i
        cur[1:] = np.minimum(prev[1:] + 1, sub)
        prev = np.minimum.accumulate(cur - cols) + cols
    return int(prev[-1])


def test_levenshtein_counts_edits() -> None:
    assert levenshtein("kế hoạch", "kể hoach") == 2
    assert levenshtein("", "abc") == 3
    assert levenshtein("abc", "abc") == 0
    assert levenshtein("abcdef", "azced") == 3


@pytest.mark.tesseract
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_tesseract_reads_rendered_body_with_low_cer(doc, tmp_path: Path) -> None:
    page = render_document(doc, dpi=300)[0]
    body = [ln for ln in page.line_items if ln.region == "body" and ln.text != "KẾ HOẠCH"]
    top = min(ln.box.y0 for ln in body) - 10
    crop = tmp_path / "body.png"
    Image.fromarray(page.image[top:]).save(crop, dpi=(300, 300))
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    run = subprocess.run(
        ["tesseract", str(crop), "-", "-l", "vie", "--psm", "6"],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )  # fmt: skip
    ocr = squash_spaces(nfc(run.stdout).replace("\n", " "))
    truth = squash_spaces(" ".join(ln.text for ln in body))
    cer = levenshtein(ocr, truth) / len(truth)
    assert cer < 0.03, f"CER {cer:.3%}"


def test_markdown_source_prints_as_the_document_not_its_markup() -> None:
    text = "\n".join([
        "# CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM  ",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 03/NQ-CP  ",
        "Hà Nội, ngày 09 tháng 01 năm 2025",
        "# NGHỊ QUYẾT",
        "## Ban hành Chương trình hành động của Chính phủ",
        "",
        "# CHÍNH PHỦ",
        "",
        "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;",
        "",
        "**Điều 1.** Ban hành kèm theo Nghị quyết này Chương trình hành động.",
        "PHỤ LỤC I",
        "| TT  | Chỉ tiêu | Đơn vị |",
        "| --- | -------- | ------ |",
        "| **I** | **Đến năm 2030** |  |",
        "| 1   | Tiềm lực khoa học | Thứ bậc |",
    ])  # fmt: skip
    doc = plan_from_text(text)
    assert doc.header.agency == ("CHÍNH PHỦ",)
    assert doc.header.national_name == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert doc.doc_type == "NGHỊ QUYẾT"
    assert doc.title == ("Ban hành Chương trình hành động của Chính phủ",)
    body = [p.text for p in doc.body if not isinstance(p, DocTable)]
    assert "Điều 1. Ban hành kèm theo Nghị quyết này Chương trình hành động." in body
    assert not any("#" in t or "*" in t for t in body)
    (app,) = doc.appendices
    assert app.table is not None and app.table.header == ("TT", "Chỉ tiêu", "Đơn vị")
    assert app.table.rows == (("I", "Đến năm 2030", ""), ("1", "Tiềm lực khoa học", "Thứ bậc"))
