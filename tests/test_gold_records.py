"""The real-document gold (`tests/data/gold/docs/*.json`, issue 10): its format, and its sources.

A record's source is a text copy, a PDF, or a single scanned page image (`scans/*.png`) under
`../shared/realdocs`; `pipeline.goldeval` reads the last two through the same path as `vndoc run`.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from pipeline import goldeval
from pipeline.ingest import open_input
from pipeline.parse.annotate import read_gold
from pipeline.types import Page

GOLD = Path(__file__).parent / "data" / "gold"
DOCS = sorted((GOLD / "docs").glob("*.json"))
HEADER = {
    "agency", "number_symbol", "doc_type", "place", "date", "title", "signer_name", "signer_title",
}  # fmt: skip
TASK = {
    "ref", "kind", "title", "objective", "responsible", "modality", "chu_tri", "phoi_hop",
    "thuc_hien", "time",
}  # fmt: skip


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_a_docs_record_has_the_documented_fields(path: Path) -> None:
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["id"] == path.stem
    assert record["input_kind"] in ("text", "born_digital", "scanned")
    assert (record["text"] is None) == (record["input_kind"] != "text")
    if record["source"].endswith(".png"):
        assert record["input_kind"] == "scanned" and record["pages"] is None
    assert set(record["header"]) == HEADER
    refs = [t["ref"] for t in record["tasks"]]
    assert len(refs) == len(set(refs)), "a ref twice"
    for task in record["tasks"]:
        # The PDF twins of issue-5 records (B08-pdf ...) predate `objective` and `modality`.
        assert TASK - {"objective", "modality"} <= set(task) <= TASK, task["ref"]
        assert task["kind"] in ("item", "table_row", "duty")
        assert task.get("modality") in ("request", "assign", "invite", None)
        assert (task["responsible"] is not None) == (task["kind"] == "duty"), task["ref"]
        for role in ("chu_tri", "phoi_hop", "thuc_hien"):
            assert len(task[role]) == len(set(task[role])), (task["ref"], role)
    for text in _strings(record):
        assert unicodedata.is_normalized("NFC", text)


def test_gold_ids_are_unique() -> None:
    ids = [r["id"] for r in read_gold(GOLD / "gold.jsonl")]
    assert len(ids) == len(set(ids))


def test_every_source_opens_and_holds_the_pages_read() -> None:
    root = goldeval.realdocs_root()
    if not root.is_dir():
        pytest.skip("shared/realdocs not beside the repository")
    for path in DOCS:
        record = json.loads(path.read_text(encoding="utf-8"))
        if record["input_kind"] == "text":
            continue
        doc = open_input(root / record["source"])  # identifies and counts pages; reads no text
        assert doc.kind == ("image" if record["source"].endswith(".png") else "pdf"), record["id"]
        assert all(1 <= n <= doc.page_count for n in record["pages"] or []), record["id"]


def test_a_page_image_record_is_read_as_one_scanned_page(tmp_path, monkeypatch) -> None:
    from PIL import Image

    (tmp_path / "scans").mkdir()
    Image.new("L", (400, 560), 255).save(tmp_path / "scans" / "S99_page_p01.png")
    seen = []

    def read_page(job):
        seen.append((job.doc.kind, job.page_no))
        page = Page(number=job.page_no, width=400, height=560, source="ocr")
        return SimpleNamespace(page=page, error=None)

    monkeypatch.setenv("VNDOC_REALDOCS", str(tmp_path))
    monkeypatch.setattr(goldeval, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(goldeval, "read_page", read_page)
    monkeypatch.setattr(goldeval, "repair_pages", lambda pages, *a, **k: (pages, []))
    record = {"input_kind": "scanned", "source": "scans/S99_page_p01.png", "pages": None}
    pages = goldeval.gold_pages(record, GOLD, goldeval.Settings())
    assert seen == [("image", 1)]
    assert [p.number for p in pages] == [1]
    # Read once: the second time comes from the cache.
    assert goldeval.gold_pages(record, GOLD, goldeval.Settings())[0].number == 1
    assert seen == [("image", 1)]
