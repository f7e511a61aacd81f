"""The runner: page-parallel workers, crash isolation, real scans end to end."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline import pagejob
from pipeline.config import Settings
from pipeline.ingest import open_input
from pipeline.pagejob import crashed
from pipeline.runner import PageJob, PageOutcome, read_page, run_batch
from pipeline.scheduler import PoolExecutor

SCANS = Path(__file__).resolve().parents[2] / "shared" / "realdocs" / "scans"


def crash_on_page_two(job: PageJob) -> PageOutcome:
    """A worker that dies hard (as a segfault would) on page 2 and works on the others."""
    if job.page_no == 2:
        os._exit(1)
    return PageOutcome(job, None, None, 0.0)


def white_tiff(path: Path, pages: int) -> Path:
    frames = [Image.fromarray(np.full((300, 200), 255, np.uint8)) for _ in range(pages)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    return path


def test_a_crashing_worker_fails_only_its_page_after_a_retry(tmp_path: Path):
    doc = open_input(white_tiff(tmp_path / "three.tif", 3), Settings())
    jobs = [PageJob(doc, n, Settings()) for n in (1, 2, 3)]
    outcomes = list(PoolExecutor(2).map(crash_on_page_two, jobs, crashed))
    by_page = {o.job.page_no: o for o in outcomes}
    assert sorted(by_page) == [1, 2, 3]
    assert by_page[1].error is None and by_page[3].error is None
    assert by_page[2].error is not None and "crashed" in by_page[2].error.reason


def test_unexpected_exception_in_a_page_is_reported_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    doc = open_input(white_tiff(tmp_path / "one.tif", 1), Settings())

    def broken(*args, **kwargs):
        raise ValueError("odd pixels")

    monkeypatch.setattr(pagejob, "load_page_image", broken)
    outcome = read_page(PageJob(doc, 1, Settings()))
    assert outcome.page is None and outcome.error is not None
    assert "ValueError: odd pixels" in outcome.error.one_line()
    assert "one.tif" in outcome.error.one_line()


@pytest.mark.tesseract
def test_parallel_run_gives_the_same_documents_as_serial(tmp_path: Path):
    scans = sorted(SCANS.glob("S0[78]*.png")) if SCANS.exists() else []
    if len(scans) < 2:
        pytest.skip("needs ../shared/realdocs/scans")
    serial = run_batch(scans, tmp_path / "serial", Settings())
    parallel = run_batch(scans, tmp_path / "parallel", Settings(), workers=2)
    assert [r.status for r in serial.records] == [r.status for r in parallel.records] == ["ok"] * 2
    for scan in scans:
        a = (tmp_path / "serial" / scan.stem / "text.txt").read_text()
        b = (tmp_path / "parallel" / scan.stem / "text.txt").read_text()
        assert a == b and len(a) > 500


@pytest.mark.tesseract
@pytest.mark.slow
def test_real_scans_run_without_crashing_and_yield_text(tmp_path: Path):
    names = ["S10_CP_NQ-115", "S14_DCT_KH-753", "S20_DN_SGDDT_2019", "S29_LD_to-trinh-512"]
    scans = [p for n in names for p in SCANS.glob(f"{n}*.png")] if SCANS.exists() else []
    if not scans:
        pytest.skip("needs ../shared/realdocs/scans")
    result = run_batch(scans, tmp_path, Settings(), workers=2)
    assert [r.status for r in result.records] == ["ok"] * len(scans), [
        r.error for r in result.records
    ]
    from pipeline.export import load_document

    docs = [load_document(tmp_path / p.stem) for p in scans]
    assert all(d is not None and len(d.pages[0].lines) > 20 for d in docs)
    # Seals, stamps and a phone capture still defeat some header fields before scan clean-up.
    found = [d.header.number_symbol for d in docs if d is not None]
    assert sum(bool(f) for f in found) >= len(scans) // 2, found


def ruled_table_pdf(path: Path) -> Path:
    """A born-digital page: a paragraph, then a ruled 3 x 3 task table drawn as vectors."""
    from fixtures import vietnamese_font
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = vietnamese_font()
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont(font, 12)
    for i, text in enumerate(
        ["Ủy ban nhân dân tỉnh giao các cơ quan, đơn vị thực hiện các nhiệm vụ sau đây"] * 6
    ):
        c.drawString(72, 780 - 18 * i, text)
    xs, ys = [72, 110, 330, 520], [640, 610, 570, 530]
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    rows = [["STT", "Nội dung", "Đơn vị chủ trì"], ["1", "Rà soát văn bản", "Sở Tư pháp"],
            ["2", "Tập huấn cán bộ", "Sở Nội vụ"]]  # fmt: skip
    for r, row in enumerate(rows):
        for k, cell in enumerate(row):
            c.drawString(xs[k] + 6, ys[r] - 20, cell)
    c.showPage()
    c.save()
    return path


def test_text_layer_page_keeps_its_ruled_table_as_cells(tmp_path: Path):
    doc = open_input(ruled_table_pdf(tmp_path / "born.pdf"), Settings())
    outcome = read_page(PageJob(doc, 1, Settings()))
    assert outcome.error is None and outcome.page is not None
    page = outcome.page
    assert page.source == "text_layer"
    (table,) = page.tables
    assert table.rows() == [
        ["STT", "Nội dung", "Đơn vị chủ trì"],
        ["1", "Rà soát văn bản", "Sở Tư pháp"],
        ["2", "Tập huấn cán bộ", "Sở Nội vụ"],
    ]
    assert [line.region for line in page.lines].count("table") == 3
    from pipeline.parse import parse_document

    tasks = parse_document([page]).tasks
    assert [(t.ref, t.chu_tri, t.source) for t in tasks] == [
        ("PL.1", ["Sở Tư pháp"], "table"),
        ("PL.2", ["Sở Nội vụ"], "table"),
    ]
