"""Scoring the parser against gold: per field, per document, per kind, and honest about refs."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.goldeval import eval_table, evaluate_gold
from pipeline.parse.evaluate import align, score, title_matches


def task(ref, title="", chu_tri=(), phoi_hop=(), time=None, kind="item"):
    return {
        "ref": ref,
        "kind": kind,
        "title": title,
        "chu_tri": list(chu_tri),
        "phoi_hop": list(phoi_hop),
        "thuc_hien": [],
        "time": time,
    }


def test_a_task_numbered_another_way_is_matched_by_its_title_once():
    gold = [task("Điều 2.1.a", "Rà soát danh mục thủ tục hành chính"), task("2", "Báo cáo kết quả")]
    pred = [
        task("2.1.a", "Rà soát danh mục thủ tục hành chính."),
        task("9", "Rà soát danh mục thủ tục hành chính"),  # a second claim on the same gold task
    ]
    refs = [t["ref"] for t in align(gold, pred)]
    assert refs == ["Điều 2.1.a", "9"]


def test_scores_count_agencies_under_their_canonical_key_and_report_each_document_and_kind():
    gold = [
        {
            "id": "D1",
            "header": {"agency": "UBND TỈNH"},
            "tasks": [
                task("1", "Tổ chức hội nghị", ["Sở Nội vụ"], ["UBND các huyện"], "Quý IV/2026"),
                task("PL.1", "Số hóa hồ sơ", ["Sở Tư pháp"], kind="table_row"),
            ],
        }
    ]
    pred = [
        [
            task(
                "1",
                "Tổ chức hội nghị",
                ["Sở Nội Vụ"],
                ["Ủy ban nhân dân các huyện"],
                "quý IV năm 2026",
            ),
            task("PL.2", "Khác", ["Sở Tư pháp"], kind="table_row"),
        ]
    ]
    report = score(gold, pred, [{"agency": "UBND TỈNH"}])
    assert report["tasks"]["f1"] == 0.5
    assert report["chu_tri"]["tp"] == 1 and report["phoi_hop"]["f1"] == 1.0
    assert report["thoi_gian_acc"] == 1.0
    assert report["by_kind"]["table_row"]["tasks"]["f1"] == 0.0
    assert report["by_kind"]["item"]["tasks"]["f1"] == 1.0
    assert report["documents"][0]["worst"] == 0.5


def test_titles_match_through_punctuation_not_across_different_actions():
    assert title_matches(
        "Rà soát, sửa đổi Luật Phòng, chống rửa tiền", "Rà soát sửa đổi Luật phòng chống rửa tiền."
    )
    assert not title_matches("Hoàn thiện thể chế về phòng, chống rửa tiền", "Đào tạo điều tra viên")


def test_eval_prints_dev_and_test_apart(tmp_path: Path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text(
        "1. Giao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp rà soát.\n", encoding="utf-8"
    )
    rec = {
        "id": "A",
        "text": "a.txt",
        "header": {},
        "tasks": [task("1", "Giao Sở Nội vụ chủ trì", ["Sở Nội vụ"], ["Sở Tư pháp"])],
    }
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({**rec, "split": "train"})
        + "\n"
        + json.dumps({**rec, "id": "B", "split": "test"})
        + "\n",
        encoding="utf-8",
    )
    report = evaluate_gold(gold)
    assert set(report) == {"dev", "test"}
    assert report["dev"]["rules"]["chu_tri"]["f1"] == 1.0
    table = eval_table(report)
    assert "== dev: 1 documents" in table and "== test: 1 documents" in table
