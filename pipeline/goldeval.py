"""The parser measured as a user meets it: every gold document read from its source, then scored.

Text documents are parsed from their NFC copy under `tests/data/gold/texts/`; born-digital and
scanned PDFs, and single scanned page images (`scans/*.png`), go through the whole pipeline
(text-layer check or clean-up + OCR, then repair) from `../shared/realdocs` (or
`$VNDOC_REALDOCS`), so scanned gold measures OCR and parser together.
Reading a page costs seconds, so its repaired pages are cached under `.cache/goldeval/`,
keyed by the file's hash, the pages read and the code of every stage before the parser: changing
the parser reuses the cache, changing the reader does not.

Splits are reported apart (`pipeline.splits`): dev may be looked at and tuned on, test may not.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from .config import Settings
from .ingest import open_input
from .pagejob import PageJob, read_page
from .parse import parse_document
from .parse.annotate import header_record, read_gold, task_record
from .parse.canon import agency_key
from .parse.evaluate import KINDS, score
from .repair import get_restorer, repair_pages
from .splits import ocr_tuned
from .textpage import text_to_pages
from .trust.spans import MAX_CHARS, Tagger, tagger_of
from .types import Page

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "goldeval"


def realdocs_root() -> Path:
    return Path(os.environ.get("VNDOC_REALDOCS", ROOT.parent / "shared" / "realdocs"))


# What runs after the cached pages, or never for them: changing it keeps the cache.
_AFTER_READING = frozenset(
    {
        "parse", "trust", "outputs", "review", "synth", "checkpoint.py", "scheduler.py",
        "export.py", "cli.py", "goldeval.py", "analysis.py", "splits.py", "schema.py",
        "ocr_errors.py", "runner.py", "realscan.py", "metrics.py",
    }
)  # fmt: skip


@cache
def _reader_code_hash() -> str:
    """Hash of every stage that runs before the parser (cache key part)."""
    h = hashlib.sha256()
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        if path.relative_to(ROOT / "pipeline").parts[0] not in _AFTER_READING:
            h.update(path.read_bytes())
    meta = ROOT / "models" / "restorer" / "meta.json"
    if meta.exists():
        h.update(meta.read_bytes())
    return h.hexdigest()[:16]


def _source_pages(path: Path, pages: list[int] | None, settings: Settings) -> list[Page]:
    """The pages of a PDF or a page image (`open_input` tells them apart), read and repaired."""
    doc = open_input(path, settings)
    numbers = pages or list(range(1, doc.page_count + 1))
    key = hashlib.sha256(
        f"{doc.sha256}:{numbers}:{_reader_code_hash()}:{settings.model_dump_json()}".encode()
    ).hexdigest()[:24]
    cached = CACHE / f"{path.stem}-{key}.json"
    if cached.exists():
        return [Page.model_validate(p) for p in json.loads(cached.read_text(encoding="utf-8"))]
    read = []
    for n in numbers:
        outcome = read_page(PageJob(doc, n, settings))
        if outcome.error is not None:
            raise outcome.error
        assert outcome.page is not None
        read.append(outcome.page)
    repaired, _ = repair_pages(
        read, get_restorer(settings.restorer), max_conf=settings.repair_max_conf
    )
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".tmp")
    tmp.write_text(json.dumps([p.model_dump(mode="json") for p in repaired]), encoding="utf-8")
    tmp.replace(cached)
    return repaired


def gold_pages(record: dict[str, Any], gold_dir: Path, settings: Settings) -> list[Page]:
    """The pages of one gold document, read the way `vndoc run` reads its source."""
    if record.get("input_kind", "text") == "text":
        text = (gold_dir / "texts" / record["text"]).read_text(encoding="utf-8")
        return text_to_pages(text)
    return _source_pages(realdocs_root() / record["source"], record.get("pages"), settings)


def predictions(
    records: list[dict[str, Any]], gold_dir: Path, settings: Settings
) -> tuple[list[list[dict[str, Any]]], list[dict[str, Any]], list[Any]]:
    preds, heads, results = [], [], []
    for r in records:
        result = parse_document(gold_pages(r, gold_dir, settings))
        preds.append([task_record(t) for t in result.tasks])
        heads.append(header_record(result.header))
        results.append(result)
    return preds, heads, results


def model_predictions(
    preds: list[list[dict[str, Any]]], results: list[Any], model_dir: Path
) -> list[list[dict[str, Any]]]:
    """Rule tasks with agencies re-read by the span model from each task's duty text, after the
    name corrections learned from reviewed documents (`corrections.json`, if the model has one)."""
    from .parse.model import load_model

    tag = tagger_of(load_model(model_dir))
    corrections = load_corrections(model_dir)
    out = []
    for pred, result in zip(preds, results, strict=True):
        contents = {t.ref: t for t in result.tasks}
        out.append([_model_task(tag, t, contents[t["ref"]], corrections) for t in pred])
    return out


def load_corrections(model_dir: Path) -> dict[str, Any]:
    """`{"tails": [...], "names": {printed: corrected}}` learned from reviews (issue 14)."""
    try:
        data = json.loads((model_dir / "corrections.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"tails": [], "names": {}}
    return {"tails": list(data.get("tails", [])), "names": dict(data.get("names", {}))}


def correct_agencies(names: list[str], corrections: dict[str, Any]) -> list[str]:
    """A name reviewers corrected takes their correction; a name ending in a tail that
    reviewers cut off other names (`… theo kế hoạch`) loses it, if two words remain."""
    out: list[str] = []
    for name in names:
        name = corrections["names"].get(name, name)
        for tail in corrections["tails"]:
            head = name[: -len(tail)].rstrip(" ,;") if name.endswith(" " + tail) else ""
            if len(head.split()) >= 2:
                name = head
                break
        if name not in out:
            out.append(name)
    return out


def _model_task(
    tag: Tagger, rec: dict[str, Any], task: Any, corrections: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Keep a rule agency only where the model also tags it as an AGENCY span in the task text."""
    fixed = corrections or {"tails": [], "names": {}}
    lead, support = (correct_agencies(rec[k], fixed) for k in ("chu_tri", "phoi_hop"))
    tagged = tag("; ".join(p for p in [task.content, *lead, *support] if p)[:MAX_CHARS])
    keep = lambda names: [a for a in names if agency_key(a) in tagged] or names  # noqa: E731
    return {**rec, "chu_tri": keep(lead), "phoi_hop": keep(support)}


def evaluate_gold(
    gold: Path,
    model_dir: Path | None = None,
    splits: tuple[str, ...] = ("dev", "test"),
    settings: Settings | None = None,
    baseline_dir: Path | None = None,
) -> dict[str, Any]:
    """Per split: rules (and rules + span model, and rules + a baseline model to compare it
    with, e.g. the model before reviewed documents were added) per field, kind and document."""
    settings = settings or Settings()
    report: dict[str, Any] = {}
    records = read_gold(gold)
    for split in splits:
        chosen = [r for r in records if r["split"] == split]
        preds, heads, results = predictions(chosen, gold.parent, settings)
        part: dict[str, Any] = {
            "documents": len(chosen),
            "tasks": sum(len(r["tasks"]) for r in chosen),
            "rules": score(chosen, preds, heads),
        }
        for kind in ("text", "born_digital", "scanned"):
            idx = [i for i, r in enumerate(chosen) if r.get("input_kind", "text") == kind]
            if idx:
                part[f"rules_{kind}"] = score(
                    [chosen[i] for i in idx], [preds[i] for i in idx], [heads[i] for i in idx]
                )
        # scanned documents none of whose pages the OCR repairs were chosen on (`ocr_tuned`)
        idx = [
            i
            for i, r in enumerate(chosen)
            if r.get("input_kind") == "scanned" and not ocr_tuned(r["source"])
        ]
        if idx:
            part["rules_scanned_ocr_untuned"] = score(
                [chosen[i] for i in idx], [preds[i] for i in idx], [heads[i] for i in idx]
            )
        if model_dir is not None and (model_dir / "model").exists():
            part["model"] = score(chosen, model_predictions(preds, results, model_dir), heads)
        if baseline_dir is not None and (baseline_dir / "model").exists():
            part["baseline"] = score(chosen, model_predictions(preds, results, baseline_dir), heads)
        report[split] = part
    return report


def _field_rows(scores: dict[str, dict[str, Any]]) -> list[str]:
    names = list(scores)
    rows = [f"{'field':<22}" + "".join(f"{n:>24}" for n in names)]
    rows.append(f"{'':<22}" + "".join(f"{'P':>8}{'R':>8}{'F1':>8}" for _ in names))
    for field in ("tasks", "tasks_by_ref", "chu_tri", "phoi_hop", "thuc_hien"):
        cells = "".join(
            "".join(f"{scores[n][field][k]:>8.3f}" for k in ("p", "r", "f1")) for n in names
        )
        rows.append(f"{field:<22}{cells}")
    for field in ("thoi_gian_acc", "title_acc"):
        cells = "".join(
            f"{scores[n][field]:>24.3f}" if scores[n][field] is not None else f"{'-':>24}"
            for n in names
        )
        rows.append(f"{field:<22}{cells}")
    for field in scores[names[0]]["header"]:
        rows.append(
            f"{'header.' + field:<22}"
            + "".join(f"{scores[n]['header'][field]:>24.3f}" for n in names)
        )
    return rows


def eval_table(report: dict[str, Any]) -> str:
    """Each split: fields (rules, by input kind, model), tasks per kind, then every document."""
    out = []
    for split, part in report.items():
        out.append(f"== {split}: {part['documents']} documents, {part['tasks']} gold tasks ==")
        systems = {"rules": part["rules"]}
        systems |= {k[6:]: v for k, v in part.items() if k.startswith("rules_")}
        if "baseline" in part:
            systems["rules+baseline"] = part["baseline"]
        if "model" in part:
            systems["rules+model"] = part["model"]
        out += _field_rows(systems)
        if "baseline" in part and "model" in part:
            out.append(
                "change, model - baseline (F1): "
                + ", ".join(
                    f"{f} {part['model'][f]['f1'] - part['baseline'][f]['f1']:+.3f}"
                    for f in ("chu_tri", "phoi_hop", "thuc_hien")
                )
            )
        out.append(f"{'kind':<12}{'gold':>6}{'task F1':>9}{'lead F1':>9}{'supp F1':>9}{'time':>7}")
        for kind in KINDS:
            k = part["rules"]["by_kind"].get(kind)
            if k:
                n = k["tasks"]["tp"] + k["tasks"]["fn"]
                out.append(
                    f"{kind:<12}{n:>6}{k['tasks']['f1']:>9.3f}{k['chu_tri']['f1']:>9.3f}"
                    f"{k['phoi_hop']['f1']:>9.3f}{k['thoi_gian_acc']:>7.3f}"
                )
        out.append(
            f"{'document':<26}{'input':>13}{'gold':>5}{'pred':>5}{'task':>7}{'lead':>7}"
            f"{'supp':>7}{'time':>7}{'worst':>7}"
        )
        for d in part["rules"]["documents"]:
            out.append(
                f"{d['id'][:26]:<26}{d['input_kind']:>13}{d['gold_tasks']:>5}"
                f"{d['predicted_tasks']:>5}{d['tasks']['f1']:>7.3f}{d['chu_tri']['f1']:>7.3f}"
                f"{d['phoi_hop']['f1']:>7.3f}{d['thoi_gian_acc']:>7.3f}{d['worst']:>7.3f}"
            )
        out.append("")
    return "\n".join(out)
