"""Train the span model from the gold JSONL: `train(gold, out_dir)` writes `models/parser/<v>/`.

Follows spaCy's lifecycle: examples from the text records of the gold's dev split
(`pipeline.splits`), a small tok2vec + NER (hash embeddings, width 64: a few MB, about half a
minute on 2 cores), `meta.json` with the span metrics on the test split's text records (reported,
never used to choose anything), the data hash and the settings, and the grown agency gazetteer.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from pathlib import Path
from typing import Any

from spacy.training import Example

from pipeline.parse.annotate import read_gold, span_examples
from pipeline.parse.canon import Gazetteer
from pipeline.parse.model import blank_pipeline

NER_CONFIG = {
    "model": {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 64,
        "maxout_pieces": 2,
        "use_upper": True,
        "tok2vec": {
            "@architectures": "spacy.HashEmbedCNN.v2",
            "pretrained_vectors": None,
            "width": 64,
            "depth": 2,
            "embed_size": 2000,
            "window_size": 1,
            "maxout_pieces": 3,
            "subword_features": True,
        },
    }
}


def examples_of(gold: Path, split: str) -> list[tuple[str, list[tuple[int, int, str]]]]:
    texts = gold.parent / "texts"
    out = []
    for record in read_gold(gold):
        if record["split"] == split and record.get("text"):
            text = (texts / record["text"]).read_text(encoding="utf-8")
            out += span_examples(record, text)
    return out


def _to_examples(nlp: Any, data: list[tuple[str, list[tuple[int, int, str]]]]) -> list[Example]:
    out = []
    for text, spans in data:
        doc = nlp.make_doc(text)
        ents: list[Any] = []
        for start, end, label in spans:
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None and all(span.end <= e.start or span.start >= e.end for e in ents):
                ents.append(span)
        out.append(
            Example.from_dict(
                doc, {"entities": [(s.start_char, s.end_char, s.label_) for s in ents]}
            )
        )
    return out


def train(gold: Path, out_dir: Path, epochs: int = 15, seed: int = 0) -> dict[str, Any]:
    """Train on the `dev` split, score spans on `test`, write model + meta.json + gazetteer."""
    random.seed(seed)
    nlp = blank_pipeline()
    nlp.add_pipe("ner", config=NER_CONFIG)
    train_data = _to_examples(nlp, examples_of(gold, "dev"))
    eval_data = _to_examples(nlp, examples_of(gold, "test"))
    started = time.time()
    optimizer = nlp.initialize(lambda: train_data, sgd=None)
    losses: dict[str, float] = {}
    for _ in range(epochs):
        random.shuffle(train_data)
        losses = {}
        for i in range(0, len(train_data), 16):
            nlp.update(train_data[i : i + 16], sgd=optimizer, drop=0.2, losses=losses)
    scores = nlp.evaluate(eval_data)
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir / "model")
    gaz = Gazetteer()
    for record in read_gold(gold):
        gaz.add(a for t in record["tasks"] for k in ("chu_tri", "phoi_hop") for a in t[k])
    gaz.save(out_dir / "gazetteer.json")
    meta = {
        "name": "vndoc-parser-spans",
        "version": out_dir.name,
        "labels": ["AGENCY", "TIME"],
        "train_examples": len(train_data),
        "eval_examples": len(eval_data),
        "epochs": epochs,
        "seconds": round(time.time() - started, 1),
        "final_loss": round(float(losses.get("ner", 0.0)), 3),
        "eval": {k: round(float(scores.get(k) or 0.0), 3) for k in ("ents_p", "ents_r", "ents_f")},
        "eval_per_type": {
            label: {k: round(float(v), 3) for k, v in vals.items()}
            for label, vals in (scores.get("ents_per_type") or {}).items()
        },
        "data_sha256": hashlib.sha256(gold.read_bytes()).hexdigest(),
        "config": NER_CONFIG,
    }
    (out_dir / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return meta


if __name__ == "__main__":
    import sys

    print(json.dumps(train(Path(sys.argv[1]), Path(sys.argv[2])), indent=1, ensure_ascii=False))
