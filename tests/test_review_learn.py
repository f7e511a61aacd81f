"""The learning loop (issue 14): reviewers' corrections of one kind of error, made on some
documents, become gold, retrain the span model, and fix that kind on documents nobody reviewed.

The error: a field block's lead agency read with the qualifier printed after it
(`Đơn vị chủ trì: Sở Y tế theo kế hoạch` → `Sở Y tế theo kế hoạch`). Reviewers cut the names
on eight documents; two other documents, with other agencies, are the test split. What the
parser learns is in the model folder: the span model retrained on the reviewed documents as
gold, and `corrections.json`, the name cuts the reviewers made.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.export import load_document, load_reviewed
from pipeline.goldeval import correct_agencies, evaluate_gold, load_corrections
from pipeline.parse.annotate import task_record
from pipeline.review.store import HeaderEdit, ReviewEdit, TaskEdit, TimeEdit, save_review

QUALIFIERS = [
    "theo kế hoạch",
    "theo chức năng, nhiệm vụ",
    "trong phạm vi quản lý",
    "theo quy định",
    "theo thẩm quyền",
]
REVIEWED = [
    "Sở Y tế",
    "Sở Tư pháp",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Công an tỉnh",
    "Sở Xây dựng",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Tài nguyên và Môi trường",
    "Ban Quản lý khu kinh tế tỉnh",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Khoa học và Công nghệ",
    "Bộ Chỉ huy quân sự tỉnh",
]
HELD_OUT = ["Sở Công Thương", "Sở Giao thông vận tải", "Sở Giáo dục và Đào tạo"]
PARTNERS = ["Sở Kế hoạch và Đầu tư", "Ban Dân tộc tỉnh", "Đài Phát thanh - Truyền hình tỉnh"]


def plan(number: int, leads: list[tuple[str, str]]) -> str:
    items = "\n".join(
        f"{k + 1}. Nhiệm vụ số {k + 1}\n- Đơn vị chủ trì: {lead} {q}\n"
        f"- Đơn vị phối hợp: {PARTNERS[k % 3]}\n- Thời gian: trong năm 2021"
        for k, (lead, q) in enumerate(leads)
    )
    return (
        f"ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\nSố: {number}/KH-UBND\n"
        f"Hà Tĩnh, ngày 1 tháng 3 năm 2021\nKẾ HOẠCH\nThực hiện nhiệm vụ năm 2021\n"
        f"I. NHIỆM VỤ\n{items}\n"
    )


def reviewed_docs() -> list[list[tuple[str, str]]]:
    return [
        [(REVIEWED[(3 * i + k) % 12], QUALIFIERS[(i + 2 * k) % 5]) for k in range(3)]
        for i in range(8)
    ]


def held_out_docs() -> list[list[tuple[str, str]]]:
    return [
        [(HELD_OUT[k], QUALIFIERS[(k + 1) % 5]) for k in range(3)],
        [(HELD_OUT[2 - k], QUALIFIERS[(k + 3) % 5]) for k in range(3)],
    ]


def correct(folder: Path) -> None:
    """What a reviewer does on the page: cut each lead agency after the agency's name."""
    doc = load_document(folder)
    assert doc is not None
    names = REVIEWED + HELD_OUT
    tasks = [
        TaskEdit(
            origin=[i],
            ref=t.ref,
            title=t.title,
            content=t.content,
            chu_tri=[next(n for n in names if a.startswith(n)) for a in t.chu_tri],
            phoi_hop=t.phoi_hop,
            thuc_hien=t.thuc_hien,
            thoi_gian=TimeEdit(text=t.thoi_gian.text if t.thoi_gian else ""),
        )
        for i, t in enumerate(doc.tasks)
    ]
    h = doc.header
    header = HeaderEdit(agency=h.agency, number_symbol=h.number_symbol, doc_type=h.doc_type,
                        place=h.place, date=h.date, date_text=h.date_text, title=h.title)  # fmt: skip
    save_review(folder, ReviewEdit(header=header, tasks=tasks))


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A `vndoc run` over six plans, their reviews, and a gold folder whose test split holds
    the two plans nobody reviewed (with the names cut right)."""
    tmp = tmp_path_factory.mktemp("loop")
    inputs = tmp / "inputs"
    inputs.mkdir()
    for i, leads in enumerate(reviewed_docs()):
        (inputs / f"plan-{i}.txt").write_text(plan(100 + i, leads), encoding="utf-8")
    out = tmp / "out"
    result = CliRunner().invoke(
        app, ["run", str(inputs), "--out", str(out), "--restorer", "none", "-q", "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    for folder in sorted(out.glob("plan-*")):
        correct(folder)
    gold = tmp / "gold"
    (gold / "texts").mkdir(parents=True)
    with (gold / "gold.jsonl").open("w", encoding="utf-8") as fh:
        for i, leads in enumerate(held_out_docs()):
            text = plan(200 + i, leads)
            (gold / "texts" / f"held-{i}.txt").write_text(text, encoding="utf-8")
            tasks = [
                {**task_record({"ref": f"I.{k + 1}", "chu_tri": [lead]}), "kind": "item"}
                | {"phoi_hop": [PARTNERS[k % 3]], "time": "trong năm 2021", "title": ""}
                for k, (lead, _) in enumerate(leads)
            ]
            record = {"id": f"held-{i}", "text": f"held-{i}.txt", "split": "test", "header": {}}
            fh.write(json.dumps({**record, "tasks": tasks}, ensure_ascii=False) + "\n")
    return {"out": out, "gold": gold / "gold.jsonl", "model": tmp / "model"}


def test_a_rerun_keeps_the_reviewed_values_in_tasks_csv(loop: dict[str, Path]):
    doc, reviewed = load_reviewed(loop["out"] / "plan-0")  # type: ignore[misc]
    assert reviewed and doc.tasks[0].chu_tri == [REVIEWED[0]]
    result = CliRunner().invoke(
        app,
        [
            "run",
            str(loop["out"].parent / "inputs"),
            "--out",
            str(loop["out"]),
            "-q",
            "--restorer",
            "none",
        ],
    )
    assert result.exit_code == 0
    rows = json.loads((loop["out"] / "tasks.json").read_text(encoding="utf-8"))
    assert all(r["reviewed"] for r in rows) and rows[0]["chu_tri"] == [REVIEWED[0]]


def test_corrections_on_some_documents_fix_the_same_error_on_others(loop: dict[str, Path]):
    result = CliRunner().invoke(
        app,
        ["train", "parser", "--gold", str(loop["gold"]), "--out", str(loop["model"]),
         "--epochs", "25", "--reviews", str(loop["out"])],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    meta = json.loads((loop["model"] / "meta.json").read_text(encoding="utf-8"))
    assert len(meta["reviews"]) == 8 and meta["train_examples"] > 0
    report = evaluate_gold(loop["gold"], loop["model"], ("test",))["test"]
    if report["rules"]["chu_tri"]["f1"] == 1.0:
        pytest.skip("the rules no longer glue a qualifier to a lead: pick another kind of error")
    assert report["rules"]["chu_tri"]["f1"] == 0.0  # every held-out lead carries its qualifier
    assert report["model"]["chu_tri"]["f1"] == 1.0  # the retrained parser cuts them all
    assert report["model"]["phoi_hop"]["f1"] == report["rules"]["phoi_hop"]["f1"] == 1.0
    shown = CliRunner().invoke(
        app, ["eval", "parser", "--gold", str(loop["gold"]), "--model", str(loop["model"]),
              "--baseline", str(loop["model"]), "--split", "test"],
    )  # fmt: skip
    assert shown.exit_code == 0 and "rules+baseline" in shown.output
    assert "chu_tri +0.000" in shown.output  # the same model beside itself: no change


def test_only_the_kind_of_error_reviewers_corrected_is_cut(loop: dict[str, Path]):
    corrections = load_corrections(loop["model"])
    assert set(corrections["tails"]) == set(QUALIFIERS)
    assert correct_agencies(["Sở Công Thương theo kế hoạch"], corrections) == ["Sở Công Thương"]
    assert correct_agencies(["Sở Công Thương theo hướng dẫn"], corrections) == [
        "Sở Công Thương theo hướng dẫn"  # a tail no reviewer cut stays
    ]
    assert correct_agencies(["UBND theo quy định"], corrections) == ["UBND theo quy định"]


def test_a_reviewed_test_split_document_is_never_trained_on(loop: dict[str, Path], tmp_path: Path):
    from pipeline.review.learn import gold_with_reviews

    held = loop["gold"].parent / "texts" / "held-0.txt"
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "renamed-copy.txt").write_bytes(held.read_bytes())  # same file, another name
    out = tmp_path / "out"
    assert (
        CliRunner()
        .invoke(app, ["run", str(inputs), "--out", str(out), "-q", "--restorer", "none"])
        .exit_code
        == 0
    )
    correct(out / "renamed-copy")
    merged = gold_with_reviews(loop["gold"], [out], tmp_path / "work")
    assert merged["reviews"] == [] and "frozen test split" in merged["skipped"][0]
