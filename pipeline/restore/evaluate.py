"""Score a restorer on held-out text: syllable accuracy on stripped input, WER on OCR'd input."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from pipeline.restore.syllables import normalize_word
from pipeline.restore.tokens import tokenize
from pipeline.textnorm import strip_diacritics

EVAL_LINES = 1500
EVAL_SEED = 11


def sample_lines(docs: Sequence, n: int = EVAL_LINES, seed: int = EVAL_SEED) -> list[str]:  # noqa: ANN001
    """Runs of 20 consecutive lines from held-out documents, as a document is restored whole
    (so `d)` after `c)` has its context), drawn with a fixed seed until `n` lines."""
    rng = random.Random(seed)
    docs = [d for d in docs if len(d.lines) > 20]
    out: list[str] = []
    while docs and len(out) < n:
        doc = rng.choice(docs)
        start = rng.randrange(len(doc.lines) - 20)
        out.extend(ln for ln in doc.lines[start : start + 20] if len(ln) > 20)
    return out[:n]


def _words(line: str, fold_case: bool) -> list[str]:
    words = [normalize_word(t.text) for t in tokenize(line) if t.kind == "word"]
    return [w.lower() for w in words] if fold_case else words


def syllable_accuracy(
    truth: list[str], output: list[str], fold_case: bool = False
) -> tuple[int, int]:
    """(correct, total) over word tokens, tone placement normalised on both sides."""
    ok = total = 0
    for t_line, o_line in zip(truth, output, strict=True):
        t_words, o_words = _words(t_line, fold_case), _words(o_line, fold_case)
        if len(t_words) != len(o_words):
            total += len(t_words)
            continue
        total += len(t_words)
        ok += sum(a == b for a, b in zip(t_words, o_words, strict=True))
    return ok, total


def evaluate_stripped(model_dir: Path, held_docs: Sequence, n: int = EVAL_LINES) -> dict:  # noqa: ANN001
    from pipeline.restore import load_restorer

    restorer = load_restorer(model_dir, cached=False)
    truth = sample_lines(held_docs, n)
    stripped = [strip_diacritics(x) for x in truth]
    out = restorer.restore("\n".join(stripped), mode="full").text.split("\n")
    ok, total = syllable_accuracy(truth, out)
    return {"stripped_syllable_accuracy": round(ok / max(total, 1), 5), "stripped_syllables": total}


def word_error_rate(truth: list[str], output: list[str]) -> float:
    """Word-level edit distance over whitespace tokens / reference words (tone style normalised)."""
    from pipeline.restore.align import edit_distance

    errors = words = 0
    for t_line, o_line in zip(truth, output, strict=True):
        ref = [normalize_word(w) for w in t_line.split()]
        hyp = [normalize_word(w) for w in o_line.split()]
        errors += edit_distance(ref, hyp)
        words += len(ref)
    return errors / max(words, 1)


def changed_share(truth: list[str], output: list[str]) -> float:
    """Share of correct word tokens that the restorer changed (tone style aside)."""
    changed = total = 0
    for t_line, o_line in zip(truth, output, strict=True):
        t_words, o_words = _words(t_line, False), _words(o_line, False)
        total += len(t_words)
        changed += sum(a != b for a, b in zip(t_words, o_words, strict=False))
        changed += abs(len(t_words) - len(o_words))
    return changed / max(total, 1)
