"""Gold annotations: the JSONL format, a draft from the parser, and corrected outputs → training data.

One JSON object per line (see `tests/data/gold/README.md`):
`{"id", "text" (file name under texts/), "split" ("dev"|"test"), "header": {field: value},
"tasks": [{"ref", "chu_tri": [...], "phoi_hop": [...], "thuc_hien": [...], "time": str|null}]}`.
Spans for the span model are not stored: they are found again in the text from the gold agency
and time strings (`span_examples`), so one correction fixes both the task and the spans.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.parse import parse_document
from pipeline.textnorm import nfc
from pipeline.textpage import text_to_pages

HEADER_FIELDS = (
    "agency",
    "number_symbol",
    "doc_type",
    "place",
    "date",
    "title",
    "signer_name",
    "signer_title",
)


def read_gold(path: Path) -> list[dict[str, Any]]:
    """Every gold document: the JSONL file's records, then `docs/*.json` beside it (issue 10).

    Records of the JSONL file are text inputs annotated under issue 5; their old `train`/`eval`
    splits both became `dev` when the frozen test split was fixed (`pipeline.splits`)."""
    records = [
        _legacy_record(json.loads(line))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line
    ]
    docs = path.parent / "docs"
    if docs.is_dir():
        records += [json.loads(p.read_text(encoding="utf-8")) for p in sorted(docs.glob("*.json"))]
    return records


def _legacy_record(record: dict[str, Any]) -> dict[str, Any]:
    out = {"input_kind": "text", "source": f"texts/{record['text']}", "pages": None, **record}
    if out["split"] in ("train", "eval"):
        out["split"] = "dev"
    return out


def header_record(header: Any) -> dict[str, Any]:
    """The compared header fields of a `Header` (or of a `document.json` header dict)."""
    h = header if isinstance(header, dict) else header.model_dump()
    signer = h.get("signer") or {}
    out = {k: h.get(k) for k in HEADER_FIELDS if not k.startswith("signer")}
    out["signer_name"] = signer.get("name")
    out["signer_title"] = signer.get("title")
    return out


def task_record(task: Any) -> dict[str, Any]:
    t = task if isinstance(task, dict) else task.model_dump()
    time = t.get("thoi_gian") or None
    return {
        "ref": t["ref"],
        "kind": t.get("kind"),
        "title": t.get("title") or "",
        "chu_tri": list(t.get("chu_tri") or []),
        "phoi_hop": list(t.get("phoi_hop") or []),
        "thuc_hien": list(t.get("thuc_hien") or []),
        "time": time["text"] if time else None,
    }


def draft_gold(text: str, doc_id: str, source: str, split: str) -> dict[str, Any]:
    """A starting point for an annotator: the parser's reading, to be corrected by hand."""
    result = parse_document(text_to_pages(text))
    return {
        "id": doc_id,
        "text": source,
        "split": split,
        "header": header_record(result.header),
        "tasks": [task_record(t) for t in result.tasks],
    }


def document_to_gold(document: dict[str, Any], doc_id: str, text_name: str) -> dict[str, Any]:
    """A reviewer-corrected `document.json` → one gold record (training split)."""
    return {
        "id": doc_id,
        "text": text_name,
        "split": "dev",
        "header": header_record(document.get("header") or {}),
        "tasks": [task_record(t) for t in document.get("tasks") or []],
    }


def _find_all(haystack: str, needle: str) -> Iterator[int]:
    if not needle:
        return
    for m in re.finditer(re.escape(needle), haystack):
        yield m.start()


def span_examples(
    record: dict[str, Any], text: str
) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """(line, [(start, end, label)]) for every text line that holds a gold agency (AGENCY) or
    time (TIME) string; lines without one are kept too (as negatives) when they hold a duty
    word, so the model learns where names stop."""
    names = {a for t in record["tasks"] for k in ("chu_tri", "phoi_hop", "thuc_hien") for a in t[k]}
    times = {t["time"] for t in record["tasks"] if t.get("time")}
    out: list[tuple[str, list[tuple[int, int, str]]]] = []
    for raw in nfc(text).splitlines():
        for line in re.split(r"\s*(?:\|| / )\s*", raw) if "|" in raw else [raw]:
            line = line.strip()
            if len(line) < 8:
                continue
            spans: list[tuple[int, int, str]] = []
            for label, needles in (("TIME", times), ("AGENCY", names)):
                for needle in sorted(needles, key=len, reverse=True):
                    for start in _find_all(line, needle):
                        end = start + len(needle)
                        if all(end <= s or start >= e for s, e, _ in spans):
                            spans.append((start, end, label))
            duty_word = re.search(r"chủ trì|phối hợp|[Gg]iao |Đề nghị|Yêu cầu", line)
            if spans or duty_word:
                out.append((line, sorted(spans)))
    return out
