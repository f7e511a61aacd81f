"""The frozen splits are a rule on file names, fixed before the work of issues 10 and 11."""

from pipeline.splits import TUNED_BEFORE_ISSUE_10, gold_split, scan_split


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
