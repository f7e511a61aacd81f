"""Beam search over candidate lattices, all lines in lock-step so numpy calls are shared.

A lattice is one line: for each position, candidate LM ids with channel log-probs (a fixed token
has one candidate). Hypotheses that end in the same n-1 words are merged (only the best survives,
as in Viterbi); at most `beam` survive per line and step. Lines run longest first, so the lines
still running at any step are a prefix of the batch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.restore.lm import BOS, EOS, NgramLM, first_key, mix

MARGIN = 1e9  # log-prob beam: hypotheses this far below their line's best are dropped


@dataclass
class Lattice:
    """Candidates of one line; the decoder appends </s> itself."""

    ids: list[np.ndarray]  # per position: int32 LM ids
    channel: list[np.ndarray]  # per position: float32 log-probs


def _flatten(lattices: list[Lattice]) -> tuple[np.ndarray, ...]:
    """Per line: candidate start offsets per position, counts, and the flat candidate arrays."""
    ids, ch, counts = [], [], []
    for lat in lattices:
        for a, b in zip(lat.ids, lat.channel, strict=True):
            ids.append(a)
            ch.append(b)
            counts.append(len(a))
        ids.append(np.array([EOS], dtype=np.int32))
        ch.append(np.zeros(1, dtype=np.float32))
        counts.append(1)
    cnt = np.array(counts, dtype=np.int64)
    starts = np.cumsum(cnt) - cnt
    return np.concatenate(ids), np.concatenate(ch).astype(np.float32), starts, cnt


def decode(
    lm: NgramLM, lattices: list[Lattice], beam: int = 8, margin: float = MARGIN
) -> list[np.ndarray]:
    """Best candidate index for every position of every lattice."""
    if not lattices:
        return []
    lengths = np.array([len(lat.ids) + 1 for lat in lattices])
    order = np.argsort(-lengths, kind="stable")
    lats = [lattices[i] for i in order]
    lens = lengths[order]
    cand_id, cand_ch, starts, counts = _flatten(lats)
    line_off = np.concatenate([[0], np.cumsum(lens)[:-1]])
    steps = _search(lm, lens, line_off, cand_id, cand_ch, starts, counts, beam, margin)
    chosen = _traceback(steps, lens)
    out: list[np.ndarray] = [np.empty(0)] * len(lattices)
    for rank, line in enumerate(order):
        pos = line_off[rank] + np.arange(lens[rank] - 1)
        out[line] = chosen[rank][:-1] - starts[pos]
    return out


def _search(lm, lens, line_off, cand_id, cand_ch, starts, counts, beam, margin):  # noqa: ANN001, ANN202
    n_hist = lm.order - 1
    n_lines = len(lens)
    h_line = np.arange(n_lines)
    h_hist = np.full((n_lines, n_hist), BOS, dtype=np.int32)
    h_score = np.zeros(n_lines, dtype=np.float32)
    h_ref = np.arange(n_lines)  # index of each live hypothesis in the previous step's arrays
    steps = []
    for t in range(int(lens[0])):
        pos = line_off[h_line] + t
        cc = counts[pos]
        rep = np.repeat(np.arange(len(h_line)), cc)
        within = np.arange(len(rep)) - np.repeat(np.cumsum(cc) - cc, cc)
        cidx = starts[pos][rep] + within
        w = cand_id[cidx]
        hist = h_hist[rep]
        score = h_score[rep] + cand_ch[cidx] + lm.score(hist, w)
        new_hist = np.concatenate([hist[:, 1:], w[:, None]], axis=1) if n_hist else hist
        line = h_line[rep]
        near = _near_best(line, score, margin)
        rep, cidx, line, new_hist, score = (a[near] for a in (rep, cidx, line, new_hist, score))
        keep = _prune(line, new_hist, score, beam)
        steps.append((h_ref[rep[keep]], cidx[keep], line[keep]))
        h_line, h_hist, h_score = line[keep], new_hist[keep], score[keep]
        alive = lens[h_line] > t + 1
        h_ref = np.flatnonzero(alive)
        h_line, h_hist, h_score = h_line[alive], h_hist[alive], h_score[alive]
    return steps


def _near_best(line: np.ndarray, score: np.ndarray, margin: float) -> np.ndarray:
    """Mask of hypotheses within `margin` of their line's best: the rest could not make the beam
    in any realistic continuation, and dropping them first makes the sorts in `_prune` cheaper."""
    start = np.flatnonzero(np.concatenate([[True], line[1:] != line[:-1]]))
    best = np.maximum.reduceat(score, start)
    return score >= np.repeat(best, np.diff(np.append(start, len(line)))) - margin


def _prune(line: np.ndarray, hist: np.ndarray, score: np.ndarray, beam: int) -> np.ndarray:
    """Indices of survivors, grouped by line, best first within a line."""
    srt = np.lexsort((-score, line))
    key = first_key(line[srt].astype(np.int32))
    for j in range(hist.shape[1]):
        key = mix(key, hist[srt, j])
    _, first = np.unique(key, return_index=True)
    srt = srt[np.sort(first)]
    ln = line[srt]
    group_start = np.flatnonzero(np.concatenate([[True], ln[1:] != ln[:-1]]))
    sizes = np.diff(np.concatenate([group_start, [len(ln)]]))
    rank = np.arange(len(ln)) - np.repeat(group_start, sizes)
    return srt[rank < beam]


def _traceback(steps, lens) -> list[np.ndarray]:  # noqa: ANN001
    """Walk back-pointers from each line's best final hypothesis (first of its group)."""
    line_off = np.concatenate([[0], np.cumsum(lens)[:-1]])
    flat = np.empty(int(np.sum(lens)), dtype=np.int64)
    cur = np.empty(0, dtype=np.int64)
    for t in range(len(steps) - 1, -1, -1):
        parent, cidx, line = steps[t]
        ending = np.flatnonzero(lens == t + 1)
        if len(ending):
            is_first = np.concatenate([[True], line[1:] != line[:-1]])
            firsts = np.flatnonzero(is_first)
            best = firsts[np.searchsorted(line[firsts], ending)]
            cur = np.concatenate([cur, best])
        flat[line_off[: len(cur)] + t] = cidx[cur]
        cur = parent[cur]
    return [flat[o : o + n] for o, n in zip(line_off, lens, strict=True)]


def confidences(lm: NgramLM, lattices: list[Lattice], chosen: list[np.ndarray]) -> list[np.ndarray]:
    """Posterior of the chosen candidate at each position, the rest of the line held fixed.

    Each alternative is scored by its channel log-prob plus every n-gram it takes part in (the
    word itself and the next n-1 words); a softmax over the alternatives gives the confidence.
    """
    n_hist = lm.order - 1
    padded: list[int] = []
    centers, lasts, sizes, pairs_id, pairs_ch = [], [], [], [], []
    where: list[tuple[int, int, int, int]] = []
    base = 0
    for lat_no, (lat, ch) in enumerate(zip(lattices, chosen, strict=True)):
        ids = [int(a[c]) for a, c in zip(lat.ids, ch, strict=True)]
        padded.extend([BOS] * n_hist + ids + [EOS])
        end = base + n_hist + len(ids)  # index of </s>
        for t, (a, b) in enumerate(zip(lat.ids, lat.channel, strict=True)):
            if len(a) > 1:
                centers.append(base + n_hist + t)
                lasts.append(end)
                sizes.append(len(a))
                pairs_id.append(a)
                pairs_ch.append(b)
                where.append((len(sizes) - 1, lat_no, t, int(ch[t])))
        base = end + 1
    out = [np.ones(len(lat.ids), dtype=np.float32) for lat in lattices]
    if not sizes:
        return out
    seq = np.array(padded, dtype=np.int32)
    size_arr = np.array(sizes)
    center = np.repeat(np.array(centers), size_arr)
    last = np.repeat(np.array(lasts), size_arr)
    cand = np.concatenate(pairs_id)
    score = np.concatenate(pairs_ch).astype(np.float32)
    offs = np.arange(-n_hist, 0)
    for j in range(n_hist + 1):
        g = center + j
        ok = g <= last
        gi = np.minimum(g, last)
        hidx = gi[:, None] + offs
        hist = np.where(hidx == center[:, None], cand[:, None], seq[hidx])
        word = cand if j == 0 else seq[gi]
        score += np.where(ok, lm.score(hist, word), 0.0)
    starts = np.cumsum(size_arr) - size_arr
    group = np.repeat(np.arange(len(sizes)), size_arr)
    p = np.exp(score - np.maximum.reduceat(score, starts)[group])
    total = np.add.reduceat(p, starts)
    for k, lat_no, t, c in where:
        out[lat_no][t] = p[starts[k] + c] / total[k]
    return out
