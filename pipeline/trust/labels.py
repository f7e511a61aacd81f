"""Labelled fields from the real gold: every predicted value marked right or wrong (issue 15).

Predicted tasks are matched to gold as `parse.evaluate` scores them (by ref, then a task numbered
another way by its words). An agency entry is
right when its `agency_key` is in the gold list of its role for that ref (`Đơn vị thực hiện`
counts as chủ trì, as in the parser scores); an empty role is right when gold has none; thời gian
when `evaluate._time_key` matches; a title by `evaluate.title_matches` (documents annotated
without titles leave it unlabelled); a header field by exact match. A task whose ref is not in
gold has every field wrong.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.config import Settings
from pipeline.parse import ParseResult, parse_document
from pipeline.parse.annotate import header_record, task_record
from pipeline.parse.canon import agency_key
from pipeline.parse.evaluate import _time_key, align, title_matches
from pipeline.types import Page

from .features import Context, FieldValue, header_fields, task_fields
from .spans import Tagger


@dataclass
class Labelled:
    doc: str
    split: str
    input_kind: str
    field: FieldValue
    right: bool
    in_gold: bool = True  # the value's task (by ref) is in gold; header fields always


def _keys(names: list[str] | None) -> set[str]:
    return {agency_key(a) for a in names or []}


def label_task_field(fv: FieldValue, gold: dict[str, Any] | None, pred_time: str) -> bool | None:
    if gold is None:
        return False
    lead = _keys(gold.get("chu_tri")) or _keys(gold.get("thuc_hien"))
    if fv.role == "title":
        return title_matches(gold["title"], fv.value) if gold.get("title") else None
    if fv.role == "thoi_gian":
        return _time_key(gold.get("time")) == _time_key(pred_time or None)
    if not fv.value:  # an empty role
        return not (lead if fv.role == "chu_tri" else _keys(gold.get("phoi_hop")))
    key = agency_key(fv.value)
    if fv.role == "chu_tri":
        return key in lead
    if fv.role == "phoi_hop":
        return key in _keys(gold.get("phoi_hop"))
    return key in _keys(gold.get("thuc_hien")) | _keys(gold.get("chu_tri"))


def cached_pages(record: dict[str, Any], gold_dir: Path, settings: Settings) -> list[Page]:
    """The document's pages as `goldeval` reads them; a scanned PDF whose exact cache entry is
    gone (the reader's code changed since) falls back to its newest cached reading rather than
    OCR it again, and says so on stderr."""
    from pipeline import goldeval
    from pipeline.ingest import open_input

    if record.get("input_kind", "text") == "text":
        return goldeval.gold_pages(record, gold_dir, settings)
    path = goldeval.realdocs_root() / record["source"]
    doc = open_input(path, settings)
    numbers = record.get("pages") or list(range(1, doc.page_count + 1))
    key = hashlib.sha256(
        f"{doc.sha256}:{numbers}:{goldeval._reader_code_hash()}:{settings.model_dump_json()}".encode()
    ).hexdigest()[:24]
    older = sorted(goldeval.CACHE.glob(f"{path.stem}-*.json"), key=lambda p: p.stat().st_mtime)
    if not (goldeval.CACHE / f"{path.stem}-{key}.json").exists() and older:
        print(
            f"trust: {path.name}: pages from an earlier reader ({older[-1].name})", file=sys.stderr
        )
        return [Page.model_validate(p) for p in json.loads(older[-1].read_text(encoding="utf-8"))]
    return goldeval.gold_pages(record, gold_dir, settings)


def document_fields(
    record: dict[str, Any],
    pages: list[Page],
    gazetteer: frozenset[str],
    word_table: tuple[float, ...] = (),
    read: ParseResult | None = None,
    tag: Tagger | None = None,
) -> list[Labelled]:
    """Every predicted field of the document, labelled; `read` is another parser's reading of
    the same pages (`out_of_tuning.json`) instead of today's; `tag` a span model that never saw
    the document (`spans.py`)."""
    result = parse_document(pages) if read is None else read
    ctx = Context.of(pages, [], gazetteer, result.tasks, word_table, tag)
    gold_by_ref: dict[str, dict[str, Any]] = {}
    for t in record["tasks"]:
        gold_by_ref.setdefault(t["ref"], t)
    # the gold ref each task answers to, as `vndoc eval parser` matches them (ref, then content)
    matched = align(record["tasks"], [task_record(t) for t in result.tasks])
    kind = record.get("input_kind", "text")
    out = []
    for i, task in enumerate(result.tasks):
        gold = gold_by_ref.get(matched[i]["ref"])
        pred_time = task.thoi_gian.text if task.thoi_gian else ""
        for fv in task_fields(i, task, ctx):
            right = label_task_field(fv, gold, pred_time)
            if right is not None:
                out.append(
                    Labelled(record["id"], record["split"], kind, fv, right, gold is not None)
                )
    head = header_record(result.header)
    for fv in header_fields(result.header, ctx):
        if fv.name in record.get("header", {}):
            right = head.get(fv.name) == record["header"][fv.name]
            out.append(Labelled(record["id"], record["split"], kind, fv, right))
    return out


def gold_agencies(records: list[dict[str, Any]]) -> dict[str, frozenset[str]]:
    """Per document, the agency keys of its gold (the gazetteer is grown from the others)."""
    return {
        r["id"]: frozenset(
            agency_key(a)
            for t in r["tasks"]
            for role in ("chu_tri", "phoi_hop", "thuc_hien")
            for a in t.get(role) or []
        )
        for r in records
    }
