"""`vndoc run` end to end on a real one-page scan and the seed plan's text: every output, checked
as a round trip against text.txt, document.json and tasks.json."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import numpy as np
import pikepdf
import pyarrow.parquet as pq
import pytest
from lxml import etree
from openpyxl import load_workbook
from PIL import Image
from rapidfuzz.distance import Levenshtein
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.export import load_document
from pipeline.outputs.searchable_pdf import build_searchable_pdf

pytestmark = pytest.mark.tesseract

ROOT = Path(__file__).resolve().parents[1]
SCAN = ROOT / "data/raw/S07_VPCP_CV-3722_scan_p01.png"
PLAN = ROOT / "data/raw/plan-hatinh-357.txt"
XSD = ROOT / "tests/data/alto/alto-4-4.xsd"
ALTO = "{http://www.loc.gov/standards/alto/ns-v4#}"
runner = CliRunner()


def _run(out: Path) -> None:
    args = ["run", str(SCAN), str(PLAN), "--out", str(out), "--workers", "1", "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outputs")
    _run(folder)
    return folder


def _words(text: str) -> list[str]:
    return text.split()


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _assert_same_text(reference: str, extracted: str) -> None:
    ref, got = " ".join(_words(reference)), " ".join(_words(extracted))
    assert Levenshtein.normalized_distance(ref, got) <= 0.01  # CER
    assert Levenshtein.normalized_distance(_words(reference), _words(extracted)) <= 0.01  # order


def test_run_writes_every_output(out: Path):
    scan = out / SCAN.stem
    assert (scan / "searchable.pdf").is_file() and (scan / "alto/page-0001.xml").is_file()
    assert (scan / "hocr/page-0001.hocr").is_file()
    assert (out / PLAN.stem / "alto/page-0001.xml").is_file()
    assert not (out / PLAN.stem / "searchable.pdf").exists()  # a text input has no scan
    for name in ("tasks.xlsx", "tasks.parquet", "documents.parquet", "catalogue.sqlite"):
        assert (out / name).is_file(), name
    doc = load_document(scan)
    assert doc is not None and not [w for w in doc.warnings if "output" in w or "PDF/A" in w]


def test_searchable_pdf_text_is_our_final_text_in_reading_order(out: Path):
    folder = out / SCAN.stem
    _assert_same_text((folder / "text.txt").read_text(), _pdftotext(folder / "searchable.pdf"))


def test_searchable_pdf_is_pdfa_2b_with_srgb_intent(out: Path):
    with pikepdf.open(out / SCAN.stem / "searchable.pdf") as pdf:
        meta = pdf.open_metadata()
        assert meta.pdfa_status == "2B"
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1" and "/DestOutputProfile" in intent


def test_searchable_pdf_keeps_the_scan_pixels(out: Path):
    with pikepdf.open(out / SCAN.stem / "searchable.pdf") as pdf:
        images = list(pdf.pages[0].get_images().values())
        assert len(images) == 1
        got = np.asarray(pikepdf.PdfImage(images[0]).as_pil_image().convert("RGB"))
    with Image.open(SCAN) as img:
        assert np.array_equal(got, np.asarray(img.convert("RGB")))


def _strings(alto: Path) -> list[etree._Element]:
    return list(etree.parse(str(alto)).iter(f"{ALTO}String"))


def test_alto_validates_and_its_words_are_document_json_words(out: Path):
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    for name in (SCAN.stem, PLAN.stem):
        doc = load_document(out / name)
        assert doc is not None
        for page in doc.pages:
            alto = out / name / f"alto/page-{page.number:04d}.xml"
            assert schema.validate(etree.parse(str(alto))), schema.error_log.last_error
            words = [w for line in page.lines for w in line.text.split()]
            strings = _strings(alto)
            assert [s.get("CONTENT") for s in strings] == words
            assert all(0 <= float(s.get("WC")) <= 1 for s in strings)


def test_alto_keeps_the_raw_ocr_of_repaired_words(out: Path):
    doc = load_document(out / SCAN.stem)
    assert doc is not None and doc.repairs
    alternatives = [
        (s.get("CONTENT"), a.text)
        for s in _strings(out / SCAN.stem / "alto/page-0001.xml")
        for a in s.iter(f"{ALTO}ALTERNATIVE")
    ]
    # every word whose final text differs from what the reader read, in order
    changed = [
        (final, w.text)
        for line in doc.pages[0].lines
        if len(line.text.split()) == len(line.words)
        for final, w in zip(line.text.split(), line.words, strict=True)
        if final != w.text
    ]
    assert changed and set(changed) <= set(alternatives)
    whole_word = {(r["replacement"], r["original"]) for r in doc.repairs}
    assert whole_word & set(alternatives)  # the repairs log and ALTO tell the same change


def test_alto_and_pdf_words_lie_on_the_printed_words_of_the_scan(out: Path):
    with Image.open(SCAN) as img:
        gray = np.asarray(img.convert("L"))
    strings = [s for s in _strings(out / SCAN.stem / "alto/page-0001.xml") if s.get("HPOS")]
    inked = 0
    for s in strings:
        x, y = int(float(s.get("HPOS"))), int(float(s.get("VPOS")))
        w, h = int(float(s.get("WIDTH"))), int(float(s.get("HEIGHT")))
        inked += gray[y : y + h + 1, x : x + w + 1].min(initial=255) < 128
    assert inked >= 0.97 * len(strings)
    # the PDF's text layer sits where ALTO says (PDF points = pixels * 72 / 200 dpi here)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(out / SCAN.stem / "searchable.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pdf_words: dict[str, list[tuple[float, float]]] = {}
    for m in re.finditer(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<', html
    ):
        x0, y0, x1, y1 = (float(v) * 200 / 72 for v in m.groups()[:4])
        pdf_words.setdefault(m.group(5), []).append(((x0 + x1) / 2, (y0 + y1) / 2))
    close = total = 0
    for s in strings:
        spots = pdf_words.get(s.get("CONTENT"), [])
        if len(spots) != 1:
            continue
        cx = float(s.get("HPOS")) + float(s.get("WIDTH")) / 2
        cy = float(s.get("VPOS")) + float(s.get("HEIGHT")) / 2
        total += 1
        close += abs(spots[0][0] - cx) < 15 and abs(spots[0][1] - cy) < 15
    assert total > 50 and close >= 0.95 * total


def test_a_scanned_pdf_keeps_its_image_streams_and_loses_its_old_text_layer(
    out: Path, tmp_path: Path
):
    import img2pdf

    doc = load_document(out / SCAN.stem)
    assert doc is not None
    pdf_path = tmp_path / "scan.pdf"
    pdf_path.write_bytes(
        img2pdf.convert(str(SCAN), layout_fun=img2pdf.get_fixed_dpi_layout_fun((200, 200)))
    )
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:  # an old, wrong OCR layer
        page = pdf.pages[0]
        font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
        )
        page.add_resource(font, pikepdf.Name.Font, pikepdf.Name.F9)
        page.contents_add(pdf.make_stream(b"BT 3 Tr /F9 12 Tf 72 72 Td (GARBAGE OCR) Tj ET"))
        original = bytes(next(iter(page.get_images().values())).read_raw_bytes())
        pdf.save()
    source = doc.source.model_copy(update={"path": str(pdf_path), "kind": "pdf"})
    built = build_searchable_pdf(doc.model_copy(update={"source": source}))
    assert built is not None
    target = tmp_path / "searchable.pdf"
    built.save(target)
    with pikepdf.open(target) as pdf:
        assert bytes(next(iter(pdf.pages[0].get_images().values())).read_raw_bytes()) == original
    text = _pdftotext(target)
    assert "GARBAGE" not in text
    _assert_same_text((out / SCAN.stem / "text.txt").read_text(), text)


def _tasks_json(out: Path) -> list[dict]:
    return json.loads((out / "tasks.json").read_text())


def _comparable(value: object) -> object:
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def test_parquet_rows_equal_tasks_json(out: Path):
    expected = _tasks_json(out)
    rows = pq.read_table(out / "tasks.parquet").to_pylist()
    assert len(rows) == len(expected) > 0
    for got, want in zip(rows, expected, strict=True):
        assert {k: _comparable(got[k]) for k in want} == want


def test_xlsx_rows_equal_tasks_json(out: Path):
    expected = _tasks_json(out)
    ws = load_workbook(out / "tasks.xlsx")["tasks"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected, strict=True):
        for k, v in want.items():
            if isinstance(v, list):  # lists joined readably; an empty one is an empty cell
                v = "; ".join(str(x) for x in v)
            assert _comparable(got[k]) == (v if v != "" else None), k  # Excel keeps no ""


def test_sqlite_rows_equal_tasks_json(out: Path):
    expected = _tasks_json(out)
    with sqlite3.connect(out / "catalogue.sqlite") as con:
        rows = con.execute(
            "SELECT d.name, t.row_json FROM tasks t JOIN documents d ON d.id = t.document_id"
            " ORDER BY d.name, t.seq"
        ).fetchall()
        leads = con.execute("SELECT count(*) FROM task_agencies WHERE role = 'chủ trì'").fetchone()[
            0
        ]
    key = lambda r: (r["document"], r["ref"], r["title"])  # noqa: E731
    got = sorted((json.loads(r) for _, r in rows), key=key)
    want = sorted(expected, key=key)
    assert len(got) == len(want) > 0
    for g, w in zip(got, want, strict=True):
        assert {k: g[k] for k in w} == w
    assert leads == sum(len(r["chu_tri"]) for r in expected)


def test_rerun_skips_everything_and_rebuilds_only_missing_outputs(out: Path):
    before = (out / "catalogue.sqlite").read_bytes()
    shutil.rmtree(out / SCAN.stem / "alto")
    pdf_time = (out / SCAN.stem / "searchable.pdf").stat().st_mtime_ns
    result = runner.invoke(app, ["run", str(SCAN), str(PLAN), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0 and result.output.count("skipped") >= 2
    assert (out / SCAN.stem / "alto/page-0001.xml").is_file()
    assert (out / SCAN.stem / "searchable.pdf").stat().st_mtime_ns == pdf_time
    assert (out / "catalogue.sqlite").read_bytes() == before  # nothing to redo, byte for byte


def test_export_rebuilds_a_deleted_output(out: Path):
    before = pq.read_table(out / "tasks.parquet").to_pylist()
    (out / "tasks.parquet").unlink()
    result = runner.invoke(app, ["export", str(out), "--to", "parquet"])
    assert result.exit_code == 0, result.output
    key = lambda r: (r["document"], r["ref"], r["title"])  # noqa: E731
    assert sorted(pq.read_table(out / "tasks.parquet").to_pylist(), key=key) == sorted(
        before, key=key
    )


def test_hocr_reads_back_through_ocrmypdfs_parser_with_the_same_words(out: Path):
    from ocrmypdf.hocrtransform import HocrParser

    doc = load_document(out / SCAN.stem)
    assert doc is not None
    tree = HocrParser(out / SCAN.stem / "hocr/page-0001.hocr").parse()
    assert [w.text for w in tree.words] == [
        w for line in doc.pages[0].lines for w in line.text.split()
    ]
    assert tree.dpi == doc.pages[0].dpi
