"""Train the restorer: `python -m pipeline.restore.train [--corpus DIR] [--out DIR]`.

Reads ../shared/corpus (legal text only: Pháp điển, VLC laws, ALQAC articles), holds out whole
đề mục, counts a pruned syllable n-gram LM, builds the syllable inventory, learns the OCR channels
from the project's own renders, and writes `models/restorer/` with a `meta.json`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from pipeline.restore.channel import Channel
from pipeline.restore.corpus import DEFAULT_CORPUS, corpus_fingerprint, split_corpus, wiki_lines
from pipeline.restore.counts import build_vocab, count_ngrams, encode, line_symbols
from pipeline.restore.lm import HashTable, NgramLM
from pipeline.textnorm import is_vietnamese_syllable

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "models" / "restorer"
CODE_VERSION = "restore-ngram-2"
CODE_PART_MIN = 3  # upper-case runs kept as code parts (`bgtvt`, `bqp`), with their counts


class TrainConfig(BaseModel):
    """Every knob of a training run; saved as settings.json next to the model."""

    model_config = ConfigDict(extra="forbid")

    order: int = Field(5, ge=2, le=6)
    min_counts: tuple[int, ...] = (1, 1, 2, 3, 3)
    legal_weight: int = Field(2, ge=1, le=4, description="legal text is counted this many times")
    wiki: bool = Field(True, description="add Vietnamese Wikipedia (general language) once")
    vocab_min_count: int = Field(2, ge=1)
    variant_min_count: int = Field(2, ge=1)
    max_variants: int = Field(12, ge=1)
    beam: int = Field(8, ge=1, le=64)
    backoff_alpha: float = Field(0.2, gt=0, le=1, description="stupid-backoff factor per order")
    tone_style: str = "old"
    ocr_pages: int = Field(200, ge=0, description="pages rendered and OCR'd per OCR channel")
    eng_ocr_pages: int | None = Field(
        600, ge=0, description="pages for the eng channel (None: ocr_pages); its debris is varied"
    )
    vie_unseen_penalty: float = Field(
        1.5, ge=0, description="extra cost of a diacritic slip never seen"
    )
    conservative_min_confidence: float = Field(0.98, ge=0.5, le=1.0)
    margin: float = Field(16.0, gt=0, description="log-prob beam below a line's best hypothesis")
    cache_weight: float = Field(1.5, ge=0, description="document cache weight (0: off)")
    cache_floor: float = Field(0.8, ge=0, le=1, description="lines below it are decoded again")
    cache_window: int = Field(20, ge=1, description="lines each side that feed the cache")
    legacy_channel_weight: float = Field(
        2.0, gt=0, description="legacy OCR: channel log-probs times this against the LM"
    )
    legacy_context: int = Field(
        4, ge=0, description="legacy OCR: slots of the lines around a line decoded with it"
    )
    seed: int = 7


def build_variants(counts: Counter[str], cfg: TrainConfig) -> dict[str, list[str]]:
    """Diacritic-free key -> attested syllables, most frequent first."""
    from pipeline.restore.syllables import syllable_key

    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for word, n in counts.items():
        single = len(word) == 1 and word.isalpha()
        if n >= cfg.variant_min_count and (is_vietnamese_syllable(word) or single):
            groups[syllable_key(word)].append((n, word))
    out = {}
    for key, items in groups.items():
        items.sort(key=lambda x: (-x[0], x[1]))
        out[key] = [w for _, w in items[: cfg.max_variants]]
    return dict(sorted(out.items()))


def acronym_counts(lines: list[str]) -> Counter[str]:
    """Upper-case runs anywhere, codes included (`NĐ` in 30/2020/NĐ-CP), lower-cased."""
    found: Counter[str] = Counter()
    for line in lines:
        found.update(m.lower() for m in _UPPER_RUN.findall(line))
    return found


_UPPER_RUN = re.compile(r"(?<![^\W\d_])[A-ZĐ]{2,}(?![^\W\d_])")


def build_acronyms(counts: Counter[str], min_count: int = 5) -> dict[str, str]:
    """Acronyms spelled with Đ (`hđnd`, `qđ`, `nđ`) by their stripped form, where that form is
    at least 90% of the time the Đ spelling in the corpus."""
    from pipeline.restore.syllables import syllable_key

    by_key: Counter[str] = Counter()
    for word, n in counts.items():
        if word.isalpha():
            by_key[syllable_key(word)] += n
    out = {}
    for word, n in counts.items():
        if "đ" in word and n >= min_count and word.isalpha() and not is_vietnamese_syllable(word):
            key = syllable_key(word)
            if n >= 0.9 * by_key[key] and len(key) > 1:
                out[key] = word
    return dict(sorted(out.items()))


def train_lm(lines: list[str], extra: list[str], cfg: TrainConfig) -> tuple[NgramLM, Counter[str]]:
    """Legal lines weighted `legal_weight` times, general lines once (Brants-style counts)."""
    sents = line_symbols(lines, cfg.tone_style) * cfg.legal_weight
    sents += line_symbols(extra, cfg.tone_style)
    vocab, counts = build_vocab(sents, cfg.vocab_min_count)
    seq = encode(sents, vocab, cfg.order)
    keys, vals = count_ngrams(seq, cfg.order, cfg.min_counts)
    unk_logp = math.log(0.5 / len(seq))
    return NgramLM(vocab, cfg.order, HashTable.build(keys, vals), unk_logp), counts


def train(cfg: TrainConfig, corpus: Path, out: Path) -> dict:
    t0 = time.time()
    train_docs, held_docs = split_corpus(corpus)
    lines = [line for d in train_docs for line in d.lines]
    extra = wiki_lines(corpus) if cfg.wiki else []
    lm, counts = train_lm(lines, extra, cfg)
    upper_runs = acronym_counts(lines)
    channel = Channel(
        build_variants(counts, cfg),
        acronyms=build_acronyms(upper_runs),
        code_parts={w: n for w, n in sorted(upper_runs.items()) if n >= CODE_PART_MIN},
    )
    out.mkdir(parents=True, exist_ok=True)
    channel_log: dict = {}
    if cfg.ocr_pages:
        from pipeline.restore.learn_channel import learn_channels

        paragraphs = [line for line in lines if len(line) > 60]
        learn_channels(channel, paragraphs, cfg, channel_log)
        channel.vie_other_logp -= cfg.vie_unseen_penalty
    lm.save(out / "lm.npz")
    (out / "channel.json").write_text(json.dumps(channel.to_json(), ensure_ascii=False), "utf-8")
    settings = {
        "beam": cfg.beam,
        "backoff_alpha": cfg.backoff_alpha,
        "tone_style": cfg.tone_style,
        "min_confidence": {"conservative": cfg.conservative_min_confidence},
        "margin": cfg.margin,
        "cache_weight": cfg.cache_weight,
        "cache_floor": cfg.cache_floor,
        "cache_window": cfg.cache_window,
        "legacy_channel_weight": cfg.legacy_channel_weight,
        "legacy_context": cfg.legacy_context,
    }
    (out / "settings.json").write_text(json.dumps(settings, indent=2), "utf-8")
    meta = _meta(cfg, corpus, train_docs, held_docs, lines, lm, time.time() - t0, out)
    meta["channel"] = channel_log
    (out / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), "utf-8")
    return meta


def _meta(cfg, corpus, train_docs, held_docs, lines, lm, seconds, out) -> dict:  # noqa: ANN001
    from pipeline.restore.evaluate import evaluate_stripped

    held = [d.doc_id for d in held_docs]
    files = sorted(p.name for p in out.iterdir() if p.name != "meta.json")
    return {
        "code_version": CODE_VERSION,
        "config": cfg.model_dump(),
        "corpus_sha256": corpus_fingerprint(corpus),
        "held_out_demuc": held,
        "train_lines_legal": len(lines),
        "train_docs": len(train_docs),
        "vocab": len(lm.vocab),
        "train_seconds": round(seconds, 1),
        "files": {f: (out / f).stat().st_size for f in files},
        "files_sha256": {f: hashlib.sha256((out / f).read_bytes()).hexdigest() for f in files},
        "metrics": evaluate_stripped(out, held_docs),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--config", type=Path, help="JSON file with TrainConfig fields")
    ap.add_argument("--order", type=int)
    ap.add_argument("--ocr-pages", type=int)
    args = ap.parse_args(argv)
    data = json.loads(args.config.read_text()) if args.config else {}
    if args.order:
        data["order"] = args.order
    if args.ocr_pages is not None:
        data["ocr_pages"] = args.ocr_pages
    meta = train(TrainConfig(**data), args.corpus, args.out)
    print(
        json.dumps({k: meta[k] for k in ("train_seconds", "vocab", "files", "metrics")}, indent=2)
    )


if __name__ == "__main__":
    main()
