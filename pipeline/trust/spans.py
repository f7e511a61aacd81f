"""Rules against the span model: does the parser's spaCy model read the agencies the rules gave?

Issue 15 asks field confidence to weigh "disagreement between the rules and the span model". A
`Tagger` maps a task's text to the agency keys the model tags in it (as `goldeval._model_task`
reads a task: its content, then the rule names, so a name cut in the wrong place shows). The
committed model (`models/parser/v1`) was trained on the dev gold, so on dev its agreement would
be agreement with the answers: `fold_taggers` cross-fits it instead, one model per fold of dev
documents trained without that fold, each scoring only the fold it never saw (test is scored by
the committed model, which never saw test).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.parse.canon import agency_key
from pipeline.types import Task

Tagger = Callable[[str], frozenset[str]]

ROOT = Path(__file__).resolve().parents[2]
SPAN_MODEL = ROOT / "models" / "parser" / "v1"
FOLD_CACHE = ROOT / ".cache" / "trust-spans"
FOLDS = 5
MAX_CHARS = 2000  # as `goldeval._model_task`: a long table row's text is cut, not the model's time


def task_text(task: Task) -> str:
    """What the model reads for a task: its content, then each rule agency on its own."""
    names = [*task.chu_tri, *task.phoi_hop, *task.thuc_hien]
    return "; ".join(p for p in [task.content or task.title, *names] if p)[:MAX_CHARS]


def tagger_of(nlp: Any) -> Tagger:
    def tag(text: str) -> frozenset[str]:
        ents = nlp(text).ents if text else ()
        return frozenset(agency_key(e.text.strip(" ;,.:")) for e in ents if e.label_ == "AGENCY")

    return tag


@cache
def load_tagger(model_dir: Path = SPAN_MODEL) -> Tagger | None:
    """The span model at `model_dir` as a tagger, or None when there is none (the feature then
    reads 0, as for a value the model agrees with) or spaCy cannot load it."""
    if not (model_dir / "model").is_dir():
        return None
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from pipeline.parse.model import load_model

        return tagger_of(load_model(model_dir))
    except (ImportError, OSError, ValueError):
        return None


def document_group(doc_id: str) -> str:
    """B08 and B08-pdf are one document read two ways: they share a fold."""
    return doc_id.removesuffix("-pdf")


def folds(doc_ids: Iterable[str], k: int = FOLDS) -> dict[str, int]:
    """Each document's fold: its group's place among the sorted groups, modulo k (a fixed rule,
    so a rerun cross-fits the same way)."""
    ids = sorted(set(doc_ids))
    groups = sorted({document_group(d) for d in ids})
    place = {g: i % k for i, g in enumerate(groups)}
    return {d: place[document_group(d)] for d in ids}


def fit_fold(gold: Path, records: list[dict[str, Any]], out_dir: Path) -> Path:
    """A span model trained on `records` (the dev documents outside one fold) by the parser's
    own `train`, in `out_dir` (a cache, never committed); kept when already there."""
    from spacy.util import fix_random_seed

    from pipeline.parse.train import train

    if (out_dir / "model").is_dir():
        return out_dir
    work = out_dir / "gold"
    work.mkdir(parents=True, exist_ok=True)
    if not (work / "texts").exists():
        (work / "texts").symlink_to((gold.parent / "texts").resolve())
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    (work / "gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    fix_random_seed(0)  # numpy/thinc too: the same fold gives the same model
    train(work / "gold.jsonl", out_dir)
    return out_dir


def _fold_key(records: list[dict[str, Any]]) -> str:
    h = hashlib.sha256(json.dumps(records, ensure_ascii=False, sort_keys=True).encode())
    for name in ("train.py", "model.py", "annotate.py"):
        h.update((ROOT / "pipeline" / "parse" / name).read_bytes())
    return h.hexdigest()[:16]


def fold_taggers(
    gold: Path, records: list[dict[str, Any]], cache_dir: Path = FOLD_CACHE, k: int = FOLDS
) -> dict[str, Tagger]:
    """For each dev document, a tagger from a span model that never saw its fold."""
    dev = [r for r in records if r["split"] == "dev"]
    fold = folds([r["id"] for r in dev], k)
    out: dict[str, Tagger] = {}
    for f in sorted(set(fold.values())):
        train_on = [r for r in dev if fold[r["id"]] != f]
        model_dir = fit_fold(gold, train_on, cache_dir / f"fold{f}-{_fold_key(train_on)}")
        tag = load_tagger(model_dir)
        if tag is not None:
            out |= {d: tag for d, g in fold.items() if g == f}
    return out
