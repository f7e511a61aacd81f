"""The frozen splits are a rule on file names, fixed before the work of issues 10 and 11."""

import json
from pathlib import Path

from pipeline.splits import TUNED_BEFORE_ISSUE_10, gold_split, scan_split

GOLD = Path(__file__).parent / "data" / "gold" / "gold.jsonl"


def test_documents_tuned_on_before_issue_10_stay_dev():
    for doc_id in TUNED_BEFORE_ISSUE_10:
        assert gold_split(doc_id, "anything.txt") == "dev"


def test_new_gold_documents_are_split_by_their_source_name():
    # Written down when the rule was fixed: these are the splits it gives.
    assert (
        gold_split("P20", "plans_text/P20_CP_NQ-03-NQ-CP_ChuongTrinhHanhDong_secondary-md.txt")
        == "dev"
    )
    assert gold_split("QNg_04-CT_4p", "pdfs/QNg_04-CT_4p.pdf") == "dev"
    assert gold_split("P04", "plans_text/P04_LD_KH-thi-dua-CCHC-2026.txt") == "test"
    assert gold_split("B02", "born_digital/B02_HN_QD-2280-UBND_20p.pdf") == "test"
    assert gold_split("BCA_KH-996_4p", "pdfs/BCA_KH-996_4p.pdf") == "test"


def test_scan_pages_are_split_by_image_name():
    assert scan_split("S07_VPCP_CV-3722_scan_p01.png") == "test"
    assert scan_split("S08_TTg_QD-729_scan_p01.png") == "dev"
    assert scan_split("S31_BCA_KH-589_bluescan_p01.png") == "test"
    assert scan_split("S29_LD_to-trinh-512_phonescan_p01.png") == "dev"


def test_every_gold_document_is_in_the_split_the_rule_gives():
    from pathlib import Path

    from pipeline.parse.annotate import read_gold

    records = read_gold(Path(__file__).parent / "data" / "gold" / "gold.jsonl")
    for record in records:
        assert record["split"] == gold_split(record["id"], record["source"]), record["id"]
    assert sum(r["split"] == "test" for r in records) >= 12
    assert len(records) >= 30


def test_gold_documents_with_a_page_the_ocr_was_tuned_on_are_named():
    from pipeline.splits import SCAN_PAGE_SOURCES, ocr_tuned

    assert ocr_tuned("pdfs/TTg_QD-729_1p.pdf")  # its page 1 is S08, a dev page of the OCR bench
    assert ocr_tuned("scans/S14_DCT_KH-753_scan_p01.png")  # a page read as a document itself
    assert not ocr_tuned("pdfs/BCA_KH-589_8p.pdf")  # S31 is an OCR test page
    assert not ocr_tuned("plans_text/P04_LD_KH-thi-dua-CCHC-2026.txt")  # no scanned page at all
    sidecars = (Path(__file__).parent / "data" / "realscan").glob("*.json")
    first_pages = [p for p in sidecars if "image" in json.loads(p.read_text("utf-8"))]
    assert len(SCAN_PAGE_SOURCES) == len(first_pages)


def test_a_later_pdf_page_takes_its_documents_split_in_the_parser_gold():
    from pipeline.parse.annotate import read_gold
    from pipeline.realscan import page_split

    gold = {r["source"]: r["split"] for r in read_gold(GOLD) if r.get("source")}
    for source in ("pdfs/QNg_04-CT_4p.pdf", "pdfs/BCA_KH-589_8p.pdf", "pdfs/CP_NQ-115_2p.pdf"):
        assert page_split({"pdf": source, "page": 2}) == gold[source]
    # a first page keeps the rule frozen for it, even where the two disagree (S10 is CP_NQ-115's)
    assert page_split({"image": "scans/S10_CP_NQ-115_scan_p01.png"}) == "test"
    assert gold["pdfs/CP_NQ-115_2p.pdf"] == "dev"


def test_a_later_pdf_page_is_rendered_once_at_the_scans_resolution(tmp_path, monkeypatch):
    from PIL import Image

    import pipeline.realscan as rs

    realdocs = Path(__file__).resolve().parents[2] / "shared" / "realdocs"
    if not (realdocs / "pdfs" / "CP_NQ-115_2p.pdf").is_file():
        return
    monkeypatch.setattr(rs, "RENDERED", tmp_path)
    meta = {"pdf": "pdfs/CP_NQ-115_2p.pdf", "page": 2}
    path = rs.page_image("X06_test", meta, realdocs)
    assert path == tmp_path / "X06_test.png" and not list(tmp_path.glob("*.part.png"))
    with Image.open(path) as img:
        assert round(img.info["dpi"][0]) == rs.SCAN_DPI and img.width > 1500
    stamp = path.stat().st_mtime_ns
    assert rs.page_image("X06_test", meta, realdocs) == path and path.stat().st_mtime_ns == stamp
    assert rs.page_image("X99", {"pdf": "pdfs/missing.pdf", "page": 1}, realdocs) is None


def test_every_real_scan_page_maps_to_a_document_in_the_shared_material():
    from pipeline.splits import SCAN_PAGE_SOURCES

    realdocs = Path(__file__).resolve().parents[2] / "shared" / "realdocs"
    if not realdocs.is_dir():
        return  # the mapping is data; without ../shared there is nothing to check it against
    for page, source in SCAN_PAGE_SOURCES.items():
        assert (realdocs / "scans" / page).is_file(), page
        folder = "pdfs" if source.endswith(".pdf") else "scans"
        assert (realdocs / folder / source).is_file(), source
