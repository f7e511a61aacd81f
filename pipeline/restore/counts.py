"""Turn training lines into LM symbol ids and count n-grams with numpy (sort + unique, no dicts).

Symbols: a word is its lower-case form with tone placement normalised; numbers, document codes and
punctuation become a few classes, so `ngày <num> tháng <num>` is learned once for every date.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np

from pipeline.restore.lm import BOS, CODE, EOS, NUM, PUNCT, SPECIALS, UNK, quantize, window_keys
from pipeline.restore.syllables import normalize_tone
from pipeline.restore.tokens import Token, tokenize

LM_PUNCT = tuple(',.;:()-/"“”%?!')


def symbol(tok: Token, style: str = "old") -> str:
    """The LM symbol of a token (before mapping rare words to <unk>)."""
    if tok.kind == "word":
        return normalize_tone(tok.text.lower(), style)  # type: ignore[arg-type]
    if tok.kind == "num":
        return SPECIALS[NUM]
    if tok.kind == "code":
        return SPECIALS[CODE]
    if tok.kind == "punct":
        return tok.text if tok.text in LM_PUNCT else SPECIALS[PUNCT]
    return SPECIALS[UNK]


def line_symbols(lines: Iterable[str], style: str = "old") -> list[list[str]]:
    return [[symbol(t, style) for t in tokenize(line)] for line in lines]


def build_vocab(sentences: list[list[str]], min_count: int) -> tuple[list[str], Counter[str]]:
    counts: Counter[str] = Counter()
    for s in sentences:
        counts.update(s)
    words = sorted((w for w, c in counts.items() if c >= min_count and w not in SPECIALS), key=str)
    return [*SPECIALS, *words], counts


def encode(sentences: list[list[str]], vocab: list[str], order: int) -> np.ndarray:
    """One int32 array: each sentence as <s>*(order-1) ids </s>."""
    index = {w: i for i, w in enumerate(vocab)}
    pad = [BOS] * (order - 1)
    flat: list[int] = []
    for s in sentences:
        flat.extend(pad)
        flat.extend(index.get(w, UNK) for w in s)
        flat.append(EOS)
    return np.array(flat, dtype=np.int32)


def count_ngrams(
    seq: np.ndarray, order: int, min_counts: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """(keys, quantized stupid-backoff log-probs) for orders 1..order, pruned by `min_counts`."""
    is_eos = np.concatenate([[0], np.cumsum(seq == EOS)])
    all_keys, all_vals = [], []
    prev_keys = prev_counts = np.empty(0, dtype=np.int64)
    total = float(np.sum(seq != BOS))
    lines = float(np.sum(seq == EOS))
    for k in range(1, order + 1):
        n = len(seq) - k + 1
        starts = np.arange(n)
        valid = (is_eos[starts + k - 1] - is_eos[starts] == 0) & (seq[k - 1 :] != BOS)
        keys = window_keys(seq, k)
        ukeys, first, counts = np.unique(keys[valid], return_index=True, return_counts=True)
        if k == 1:
            logp = np.log(counts / total)
        else:
            ctx = window_keys(seq[: len(seq) - 1], k - 1)[:n][valid][first]
            found = np.minimum(np.searchsorted(prev_keys, ctx), len(prev_keys) - 1)
            # a context of <s> pads only is never counted as an n-gram of its own: every line
            # has one, so the first word of a line is predicted from the number of lines
            at_start = seq[starts[valid][first] + k - 2] == BOS
            ctx_counts = np.where(at_start, lines, prev_counts[found])
            logp = np.log(counts / ctx_counts)
        keep = counts >= min_counts[k - 1]
        all_keys.append(ukeys[keep])
        all_vals.append(quantize(logp[keep]))
        prev_keys, prev_counts = ukeys, counts
    return np.concatenate(all_keys), np.concatenate(all_vals)
