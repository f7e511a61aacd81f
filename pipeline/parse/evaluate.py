"""Score parser output against gold: per field, per document and per task kind.

Tasks are matched by ref. Task detection scores the refs; chủ trì, phối hợp and thực hiện score
(ref, agency) pairs under `agency_key` (so `UBND` = `Ủy ban nhân dân`, `hoá` = `hóa`); `Đơn vị thực
hiện` also counts as chủ trì where no chủ trì is printed; thời gian is accuracy over matched tasks
(same normalized dates and recurrence, or both absent); a title counts as right when it and the
gold title share most of their words (table rows are where a wrong column shows); header fields
are exact-match accuracy. Pure functions over records: reading the documents is `pipeline.goldeval`.
"""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz

from pipeline.parse.canon import agency_key
from pipeline.parse.timespec import parse_time

ROLES = ("chu_tri", "phoi_hop", "thuc_hien")
KINDS = ("item", "table_row", "duty")
TITLE_MATCH = 80  # token-set similarity (0-100) at which a title counts as the same


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {
        "p": round(p, 3),
        "r": round(r, 3),
        "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def _pairs(tasks: list[dict[str, Any]], role: str) -> set[tuple[str, str]]:
    out = set()
    for t in tasks:
        names = t.get(role) or (t.get("thuc_hien", []) if role == "chu_tri" else [])
        out |= {(t["ref"], agency_key(a)) for a in names}
    return out


def _time_key(text: str | None) -> tuple[Any, ...] | None:
    if not text:
        return None
    spec = parse_time(text)
    key = (spec.start, spec.end, spec.deadline, spec.recurrence)
    return key if any(key) else (spec.text.casefold(),)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", (text or "").casefold()))


def title_matches(gold: str, predicted: str) -> bool:
    """Same title, give or take punctuation, case and a few words of spill-over."""
    g, p = _words(gold), _words(predicted)
    if not g:
        return True
    return fuzz.token_set_ratio(g, p) >= TITLE_MATCH and fuzz.ratio(g, p) >= TITLE_MATCH - 30


def same_task(gold_title: str, predicted_title: str) -> bool:
    """Whether a predicted task is the gold task by its words: the shorter title stands almost
    word for word inside the longer (a heading against its item's first sentence, a title cut at
    another clause). Refs are a numbering convention; this is the content."""
    g, p = _words(gold_title), _words(predicted_title)
    return min(len(g), len(p)) >= 12 and fuzz.partial_ratio(g, p) >= ALIGN_MATCH


ALIGN_MATCH = 90


class Counts:
    """Running counts of one scoring: tp/fp/fn per role, time and title hits."""

    def __init__(self) -> None:
        self.prf = {k: [0, 0, 0] for k in ("tasks", "tasks_by_ref", *ROLES)}
        self.time = [0, 0]
        self.title = [0, 0]
        self.by_title = 0

    def add(self, gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> None:
        _add(self.prf["tasks_by_ref"], {t["ref"] for t in gold}, {t["ref"] for t in pred})
        pred = align(gold, pred)
        self.by_title += sum(1 for t in pred if t.get("_aligned"))
        _add(self.prf["tasks"], {t["ref"] for t in gold}, {t["ref"] for t in pred})
        for role in ROLES:
            _add(self.prf[role], _pairs(gold, role), _pairs(pred, role))
        by_ref = {t["ref"]: t for t in pred}
        for t in gold:
            p = by_ref.get(t["ref"])
            if p is None:
                continue
            self.time[1] += 1
            self.time[0] += _time_key(t.get("time")) == _time_key(p.get("time"))
            if t.get("title"):
                self.title[1] += 1
                self.title[0] += title_matches(t["title"], p.get("title") or "")

    def report(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: _prf(*v) for k, v in self.prf.items()}
        out["thoi_gian_acc"] = round(self.time[0] / self.time[1], 3) if self.time[1] else 1.0
        out["title_acc"] = round(self.title[0] / self.title[1], 3) if self.title[1] else None
        out["matched"] = self.time[1]
        out["matched_by_title"] = self.by_title
        return out


def align(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Predicted tasks keyed to gold: by ref where the refs agree, then a task whose ref differs
    (numbering conventions: `Điều 2.1.a` or `2.1.a`, an unnumbered paragraph's `1`) takes the
    ref of the unmatched gold task whose title it matches best, one to one, in reading order."""
    refs = {t["ref"] for t in gold}
    taken = {t["ref"] for t in pred if t["ref"] in refs}
    open_gold = [t for t in gold if t["ref"] not in taken and t.get("title")]
    out = []
    for t in pred:
        if t["ref"] in refs or not t.get("title"):
            out.append(t)
            continue
        best = max(
            open_gold,
            key=lambda g: fuzz.partial_ratio(_words(g["title"]), _words(t["title"])),
            default=None,
        )
        if best is not None and same_task(best["title"], t["title"]):
            open_gold.remove(best)
            out.append({**t, "ref": best["ref"], "_aligned": True})
        else:
            out.append(t)
    return out


def _add(c: list[int], gold: set[Any], pred: set[Any]) -> None:
    c[0] += len(gold & pred)
    c[1] += len(pred - gold)
    c[2] += len(gold - pred)


def _of_kind(
    gold: list[dict[str, Any]], pred: list[dict[str, Any]], kind: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Gold tasks of `kind`, and the predicted tasks that claim it (or match one by ref)."""
    g = [t for t in gold if t.get("kind") == kind]
    refs = {t["ref"] for t in g}
    p = [t for t in pred if t.get("kind") == kind or (not t.get("kind") and t["ref"] in refs)]
    return g, p


def worst_field(report: dict[str, Any]) -> float:
    """The lowest of detection, lead, support F1 and time accuracy: the issue's per-document bar."""
    return min(
        report["tasks"]["f1"],
        report["chu_tri"]["f1"],
        report["phoi_hop"]["f1"],
        report["thoi_gian_acc"],
    )


def score(
    gold: list[dict[str, Any]],
    predicted: list[list[dict[str, Any]]],
    headers: list[dict[str, Any]],
) -> dict[str, Any]:
    """Scores over the documents together, per kind, and per document."""
    total, kinds = Counts(), {k: Counts() for k in KINDS}
    header_ok: dict[str, list[int]] = {}
    documents = []
    for record, pred, head in zip(gold, predicted, headers, strict=True):
        total.add(record["tasks"], pred)
        one = Counts()
        one.add(record["tasks"], pred)
        for kind in KINDS:
            kinds[kind].add(*_of_kind(record["tasks"], pred, kind))
        for name, value in record["header"].items():
            ok = header_ok.setdefault(name, [0, 0])
            ok[0] += head.get(name) == value
            ok[1] += 1
        doc = one.report()
        documents.append(
            {
                "id": record["id"],
                "input_kind": record.get("input_kind", "text"),
                "gold_tasks": len(record["tasks"]),
                "predicted_tasks": len(pred),
                "worst": round(worst_field(doc), 3),
                **doc,
            }
        )
    out = total.report()
    out["header"] = {k: round(a / n, 3) for k, (a, n) in header_ok.items()}
    out["by_kind"] = {k: c.report() for k, c in kinds.items() if c.prf["tasks"] != [0, 0, 0]}
    out["documents"] = documents
    return out
