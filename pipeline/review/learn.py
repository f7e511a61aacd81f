"""The learning loop: reviewed documents (`review.json`) become gold records and train the parser.

`vndoc train parser --reviews DIR...` gathers every reviewed document under the folders, turns
each into a gold record with `annotate.document_to_gold` (always the `dev` side: the frozen test
split is never trained on), writes a gold folder that holds the project's gold plus those records
(texts are the reviewed documents' final text, so spans are found in what the parser reads), and
trains the span model on it. Next to the model it writes `corrections.json`: how reviewers cut
agency names (`Sở Y tế theo kế hoạch` → `Sở Y tế`: the tail ` theo kế hoạch`), which the
evaluation applies to the rules' names before the model re-reads them, so a correction made on
some documents fixes the same kind of error on others. A reviewed document whose source is a test-split gold document is
left out and listed, so a review can never leak the test split into training.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path, PurePath
from typing import Any

from ..export import REVIEW_JSON, document_text, load_document, load_reviewed
from ..parse.annotate import document_to_gold, read_gold


def reviewed_documents(dirs: list[Path]) -> list[tuple[str, Any]]:
    """(name, reviewed Document) for every `<stem>/review.json` under `dirs` that applies."""
    out = []
    for root in dirs:
        for review in sorted(root.glob(f"*/{REVIEW_JSON}")):
            loaded = load_reviewed(review.parent)
            if loaded is not None and loaded[1]:
                out.append((f"{root.name}/{review.parent.name}", loaded[0]))
    return out


ROLES = ("chu_tri", "phoi_hop", "thuc_hien")


def _name_pairs(machine: Any, reviewed: Any) -> list[tuple[str, str]]:
    """(printed, corrected) agency names of the tasks a reviewer kept (matched by origin order:
    same ref, n-th task with it), where one name is the start of the other."""
    pairs = []
    seen: dict[str, int] = {}
    by_ref: dict[tuple[str, int], Any] = {}
    for t in machine.tasks:
        n = seen.get(t.ref, 0)
        seen[t.ref] = n + 1
        by_ref[(t.ref, n)] = t
    seen = {}
    for t in reviewed.tasks:
        n = seen.get(t.ref, 0)
        seen[t.ref] = n + 1
        old = by_ref.get((t.ref, n))
        for role in ROLES if old is not None else ():
            before, after = getattr(old, role), getattr(t, role)
            for m in (a for a in before if a not in after):
                for r in (a for a in after if a not in before):
                    if m.startswith(r) or r.startswith(m):
                        pairs.append((m, r))
    return pairs


def learned_corrections(dirs: list[Path]) -> dict[str, Any]:
    """Name corrections the reviewers made: exact (`names`) and the tails they cut (`tails`,
    longest first, each with how many names lost it)."""
    tails: Counter[str] = Counter()
    names: dict[str, str] = {}
    for root in dirs:
        for review in sorted(root.glob(f"*/{REVIEW_JSON}")):
            machine, loaded = load_document(review.parent), load_reviewed(review.parent)
            if machine is None or loaded is None or not loaded[1]:
                continue
            for printed, corrected in _name_pairs(machine, loaded[0]):
                names[printed] = corrected
                if printed.startswith(corrected + " "):
                    tails[printed[len(corrected) :].strip(" ,;")] += 1
    ordered = sorted(tails, key=lambda t: (-len(t), t))
    return {"tails": ordered, "tail_counts": dict(tails), "names": names}


def _test_sources(gold: Path) -> set[str]:
    """File names and sha256 of every test-split gold document's source that is at hand (its
    text under `texts/`, its PDF under the real-documents folder)."""
    from ..goldeval import realdocs_root
    from ..ingest.sniff import sha256_file

    keys = set()
    for record in read_gold(gold):
        if record["split"] != "test":
            continue
        for key, folder in (("source", realdocs_root()), ("text", gold.parent / "texts")):
            if record.get(key):
                keys.add(PurePath(record[key]).name)
                path = folder / record[key]
                if path.is_file():
                    keys.add(sha256_file(path))
    return keys


def _link(src: Path, dst: Path) -> None:
    try:
        os.symlink(src.resolve(), dst)
    except OSError:
        shutil.copy2(src, dst)


def gold_with_reviews(gold: Path, dirs: list[Path], work: Path) -> dict[str, Any]:
    """Write `work/gold.jsonl` (+ `texts/`, `docs/`): `gold`'s records and one `dev` record per
    reviewed document. Returns {"gold": path, "reviews": [ids], "skipped": [reasons]}."""
    work.mkdir(parents=True, exist_ok=True)
    texts = work / "texts"
    texts.mkdir(exist_ok=True)
    if gold.parent.joinpath("texts").is_dir():
        for src in gold.parent.joinpath("texts").iterdir():
            if not (texts / src.name).exists():
                _link(src, texts / src.name)
    docs = gold.parent / "docs"
    if docs.is_dir() and not (work / "docs").exists():
        _link(docs, work / "docs")
    lines = gold.read_text(encoding="utf-8").splitlines() if gold.is_file() else []
    held_out = _test_sources(gold) if gold.is_file() else set()
    used, skipped = [], []
    for i, (name, doc) in enumerate(reviewed_documents(dirs)):
        source_name = PurePath(doc.source.path).name
        if source_name in held_out or doc.source.sha256 in held_out:
            skipped.append(f"{name}: its source {source_name} is in the frozen test split")
            continue
        text_name = f"review-{i:04d}-{doc.source.sha256[:12]}.txt"
        (texts / text_name).write_text(document_text(doc), encoding="utf-8")
        record = document_to_gold(doc.model_dump(mode="json"), f"review:{name}", text_name)
        lines.append(json.dumps(record, ensure_ascii=False))
        used.append(record["id"])
    merged = work / "gold.jsonl"
    merged.write_text("\n".join(line for line in lines if line) + "\n", encoding="utf-8")
    return {"gold": merged, "reviews": used, "skipped": skipped}


def train_with_reviews(
    gold: Path, dirs: list[Path], out_dir: Path, epochs: int = 15
) -> dict[str, Any]:
    """Train the span model on `gold` plus the reviewed documents under `dirs` into `out_dir`;
    the merged gold is kept in `out_dir/gold-with-reviews/` and named in meta.json."""
    from spacy.util import fix_random_seed

    from ..parse.train import train

    fix_random_seed(0)  # numpy/thinc too, so the same reviews give the same model
    work = out_dir / "gold-with-reviews"
    if work.exists():
        shutil.rmtree(work)
    merged = gold_with_reviews(gold, dirs, work)
    meta = train(merged["gold"], out_dir, epochs=epochs)
    corrections = learned_corrections(dirs)
    (out_dir / "corrections.json").write_text(
        json.dumps(corrections, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    meta["corrections"] = {"tails": len(corrections["tails"]), "names": len(corrections["names"])}
    meta["reviews"] = merged["reviews"]
    meta["reviews_skipped"] = merged["skipped"]
    meta["gold"] = str(gold)
    (out_dir / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return meta
