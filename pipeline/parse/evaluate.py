"""Score the parser against gold: per-field precision / recall / F1, rules and model side by side.

Tasks are matched by ref. Task detection scores the refs; chủ trì, phối hợp and thực hiện score
(ref, agency) pairs under `agency_key` (so `UBND` = `Ủy ban nhân dân`, `hoá` = `hóa`); `Đơn vị thực
hiện` also counts as chủ trì where no chủ trì is printed; thời gian is accuracy over matched tasks (same
normalized dates and recurrence, or both absent); header fields are exact-match accuracy.
The "model" system keeps the rule structure and re-reads each task's agencies with the span model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.parse import parse_document
from pipeline.parse.annotate import header_record, read_gold, task_record
from pipeline.parse.canon import agency_key
from pipeline.parse.timespec import parse_time
from pipeline.textpage import text_to_pages


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {
        "p": round(p, 3),
        "r": round(r, 3),
        "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
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


def score(
    gold: list[dict[str, Any]], predicted: list[list[dict[str, Any]]], headers: list[dict[str, Any]]
) -> dict[str, Any]:
    counts = {k: [0, 0, 0] for k in ("tasks", "chu_tri", "phoi_hop", "thuc_hien")}
    time_ok = time_n = 0
    header_ok: dict[str, list[int]] = {}
    for record, pred, head in zip(gold, predicted, headers, strict=True):
        g_refs = {t["ref"] for t in record["tasks"]}
        p_refs = {t["ref"] for t in pred}
        _add(counts["tasks"], g_refs, p_refs)
        for role in ("chu_tri", "phoi_hop", "thuc_hien"):
            _add(counts[role], _pairs(record["tasks"], role), _pairs(pred, role))
        by_ref = {t["ref"]: t for t in pred}
        for t in record["tasks"]:
            if t["ref"] in by_ref:
                time_n += 1
                time_ok += _time_key(t["time"]) == _time_key(by_ref[t["ref"]]["time"])
        for name, value in record["header"].items():
            ok = header_ok.setdefault(name, [0, 0])
            ok[0] += head.get(name) == value
            ok[1] += 1
    out: dict[str, Any] = {k: _prf(*v) for k, v in counts.items()}
    out["thoi_gian_acc"] = round(time_ok / time_n, 3) if time_n else 1.0
    out["header"] = {k: round(a / n, 3) for k, (a, n) in header_ok.items()}
    return out


def _add(c: list[int], gold: set[Any], pred: set[Any]) -> None:
    c[0] += len(gold & pred)
    c[1] += len(pred - gold)
    c[2] += len(gold - pred)


def rule_predictions(
    gold_path: Path, split: str
) -> tuple[list[dict[str, Any]], list[list[dict[str, Any]]], list[dict[str, Any]]]:
    records = [r for r in read_gold(gold_path) if r["split"] == split]
    preds, heads = [], []
    for r in records:
        text = (gold_path.parent / "texts" / r["text"]).read_text(encoding="utf-8")
        result = parse_document(text_to_pages(text))
        preds.append([task_record(t) for t in result.tasks])
        heads.append(header_record(result.header))
    return records, preds, heads


def model_predictions(
    preds: list[list[dict[str, Any]]],
    gold_path: Path,
    records: list[dict[str, Any]],
    model_dir: Path,
) -> list[list[dict[str, Any]]]:
    """Rule tasks with agencies re-read by the span model from each task's duty text."""
    from pipeline.parse.model import load_model

    nlp = load_model(model_dir)
    out = []
    for r, pred in zip(records, preds, strict=True):
        text = (gold_path.parent / "texts" / r["text"]).read_text(encoding="utf-8")
        result = parse_document(text_to_pages(text))
        contents = {t.ref: t for t in result.tasks}
        doc_out = []
        for t in pred:
            task = contents.get(t["ref"])
            doc_out.append(_model_task(nlp, t, task) if task is not None else t)
        out.append(doc_out)
    return out


def _model_task(nlp: Any, rec: dict[str, Any], task: Any) -> dict[str, Any]:
    """Keep a rule agency only where the model also tags it as an AGENCY span in the task text."""
    text = " ".join([task.content, *rec["chu_tri"], *rec["phoi_hop"]])
    tagged = {agency_key(e.text) for e in nlp(text[:2000]).ents if e.label_ == "AGENCY"}
    keep = lambda names: [a for a in names if agency_key(a) in tagged] or names  # noqa: E731
    return {**rec, "chu_tri": keep(rec["chu_tri"]), "phoi_hop": keep(rec["phoi_hop"])}


def eval_parser(gold: Path, model_dir: Path | None = None, split: str = "eval") -> dict[str, Any]:
    """Per-field scores of the rules (and of the model, when `model_dir` holds one)."""
    records, preds, heads = rule_predictions(gold, split)
    report: dict[str, Any] = {
        "documents": len(records),
        "tasks": sum(len(r["tasks"]) for r in records),
    }
    report["rules"] = score(records, preds, heads)
    if model_dir is not None and (model_dir / "model").exists():
        report["model"] = score(records, model_predictions(preds, gold, records, model_dir), heads)
        report["model_spans"] = json.loads((model_dir / "meta.json").read_text())["eval"]
    return report


if __name__ == "__main__":
    import sys

    md = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    print(json.dumps(eval_parser(Path(sys.argv[1]), md), indent=1, ensure_ascii=False))


def eval_table(report: dict[str, Any]) -> str:
    """Rules and trained model side by side, one row per field (P / R / F1, or accuracy)."""
    systems = [s for s in ("rules", "model") if s in report]
    rows = [f"{'field':<22}" + "".join(f"{s:>24}" for s in systems)]
    rows.append(f"{'':<22}" + "".join(f"{'P':>8}{'R':>8}{'F1':>8}" for _ in systems))
    for field in ("tasks", "chu_tri", "phoi_hop", "thuc_hien"):
        cells = "".join(
            "".join(f"{report[s][field][k]:>8.3f}" for k in ("p", "r", "f1")) for s in systems
        )
        rows.append(f"{field:<22}{cells}")
    rows.append(
        f"{'thoi_gian acc':<22}" + "".join(f"{report[s]['thoi_gian_acc']:>24.3f}" for s in systems)
    )
    for field in report[systems[0]]["header"]:
        rows.append(
            f"{'header.' + field:<22}"
            + "".join(f"{report[s]['header'][field]:>24.3f}" for s in systems)
        )
    rows.append(f"({report['documents']} documents, {report['tasks']} gold tasks)")
    return "\n".join(rows)
