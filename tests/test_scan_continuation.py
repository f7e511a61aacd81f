"""A scanned appendix page that continues a task table from an earlier page, read alone
(issue 10, class 2): no header row, so the columns' roles come from what the cells hold."""

from __future__ import annotations

import io
from pathlib import Path

import img2pdf
import pytest
from fixtures import vietnamese_font
from pdf2image import convert_from_path
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipeline.config import Settings
from pipeline.export import load_document
from pipeline.runner import run_batch

pytestmark = pytest.mark.tesseract

ROWS = [
    ["7", "Tập huấn nghiệp vụ cải cách hành chính", "Sở Nội vụ", "Quý II/2026"],
    ["8", "Kiểm tra bộ phận một cửa cấp xã", "Văn phòng UBND tỉnh", "Tháng 9/2026"],
    ["9", "Khảo sát mức độ hài lòng của người dân", "Sở Nội vụ", "Tháng 11/2026"],
    ["10", "Số hóa hồ sơ thủ tục hành chính", "Sở Tư pháp", "Quý IV/2026"],
]


def scanned_continuation_page(tmp: Path) -> Path:
    """A ruled table without its header row, printed, then scanned (200-dpi grey image PDF)."""
    vector = tmp / "printed.pdf"
    c = canvas.Canvas(str(vector), pagesize=A4, invariant=1)
    c.setFont(vietnamese_font(), 11)
    xs = [50, 85, 300, 420, 545]
    ys = [780 - 40 * i for i in range(len(ROWS) + 1)]
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for r, row in enumerate(ROWS):
        for k, cell in enumerate(row):
            c.drawString(xs[k] + 5, ys[r] - 25, cell)
    c.showPage()
    c.save()
    page = convert_from_path(str(vector), dpi=200, grayscale=True)[0]
    png = io.BytesIO()
    page.save(png, format="PNG")
    scan = tmp / "continuation.pdf"
    scan.write_bytes(img2pdf.convert(png.getvalue()))
    return scan


def test_a_scanned_continuation_page_alone_yields_its_rows_as_tasks(tmp_path: Path):
    scan = scanned_continuation_page(tmp_path)
    result = run_batch([scan], tmp_path / "out", Settings(dpi=200, outputs=()), workers=1)
    assert result.records[0].status == "ok", result.records[0].error
    doc = load_document(tmp_path / "out" / "continuation")
    assert doc is not None and {p.source for p in doc.pages} == {"ocr"}
    tasks = {t.ref: t for t in doc.tasks}
    assert list(tasks) == ["PL.7", "PL.8", "PL.9", "PL.10"]
    assert tasks["PL.8"].chu_tri == ["Văn phòng UBND tỉnh"]
    assert (
        tasks["PL.10"].thoi_gian is not None and tasks["PL.10"].thoi_gian.deadline == "2026-12-31"
    )
    assert all(t.kind == "table_row" for t in tasks.values())
