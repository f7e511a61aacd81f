"""Acceptance: the seed plan rendered and degraded into a scanned PDF by our own generator, then
read end to end by `run_batch`, yields its header and its 12 tasks, field by field."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_parse_seed import APPENDIX, PROSE

from pipeline.config import Settings
from pipeline.export import load_document
from pipeline.runner import run_batch
from pipeline.synth import render_scan_pdf
from pipeline.types import Document, Task

SEED = Path(__file__).parent / "data" / "plan-hatinh-357.txt"

pytestmark = [pytest.mark.tesseract, pytest.mark.slow]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Document:
    tmp = tmp_path_factory.mktemp("scan")
    pdf = render_scan_pdf(SEED.read_text(encoding="utf-8"), tmp / "seed-scan.pdf")
    result = run_batch([pdf], tmp / "out", Settings(dpi=200), workers=2)
    assert result.records[0].status == "ok", result.records[0].error
    doc = load_document(tmp / "out" / "seed-scan")
    assert doc is not None
    return doc


def task(doc: Document, ref: str) -> Task:
    found = [t for t in doc.tasks if t.ref == ref]
    assert found, f"{ref} missing; got {[t.ref for t in doc.tasks]}"
    return found[0]


def test_scan_has_no_text_layer_and_was_read_by_ocr(scanned: Document) -> None:
    assert scanned.source.kind == "pdf" and scanned.source.page_count == len(scanned.pages)
    assert {p.source for p in scanned.pages} == {"ocr"}


def test_scan_yields_the_twelve_refs(scanned: Document) -> None:
    refs = [t.ref for t in scanned.tasks if t.ref.startswith(("III.", "PL."))]
    assert refs == [f"III.{i}" for i in range(1, 6)] + [f"PL.{i}" for i in range(1, 8)]


@pytest.mark.parametrize(("ref", "chu_tri", "phoi_hop", "time", "title", "content"), PROSE)
def test_scan_section_three_tasks_field_by_field(
    scanned: Document, ref: str, chu_tri: list[str], phoi_hop: list[str], time: str,
    title: str, content: str,
) -> None:  # fmt: skip
    t = task(scanned, ref)
    assert (t.chu_tri, t.phoi_hop) == (chu_tri, phoi_hop)
    assert t.thoi_gian is not None and t.thoi_gian.text == time
    assert t.title.startswith(title) and t.content.startswith(content)
    assert t.pages and all(2 <= p <= 5 for p in t.pages)
    assert t.evidence and all(e.box is not None for e in t.evidence)


@pytest.mark.parametrize(("ref", "chu_tri", "time", "content"), APPENDIX)
def test_scan_appendix_rows_field_by_field(
    scanned: Document, ref: str, chu_tri: list[str], time: str, content: str
) -> None:
    t = task(scanned, ref)
    assert t.source == "table" and t.chu_tri == chu_tri
    assert t.phoi_hop[0] == "Các sở, ban, ngành cấp tỉnh" and len(t.phoi_hop) == 2
    assert t.thoi_gian is not None and t.thoi_gian.text == time
    assert t.content.startswith(content)


def test_scan_header_fields(scanned: Document) -> None:
    h = scanned.header
    assert h.agency == "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"
    assert h.number_symbol == "357/KH-UBND" and h.doc_type == "KẾ HOẠCH"
    assert (h.place, h.date) == ("Hà Tĩnh", "2019-10-17")
    assert h.title is not None and h.title.startswith("Triển khai thực hiện Đề án")
    assert h.signer.authority == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
    assert h.evidence["number_symbol"].page == 1
