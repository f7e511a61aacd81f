"""Document cache: a second look at uncertain lines, biased towards the document's own words.

A held-out text on oil wells says `giếng` and `dầu` where the corpus at large prefers `giềng` and
`đầu`; a 5-gram sees four words back, the document sees them all. After the first pass, each
reading chosen for an ambiguous position is counted (weighted by its confidence); lines with an
uncertain position are decoded again with log((count + 1) / (key total + n)) x weight added to
each reading's channel score (a unigram cache, Kuhn & De Mori 1990).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from pipeline.restore.decoder import Lattice


def cache_counts(
    lattices: list[Lattice], chosen: list[np.ndarray], conf: list[np.ndarray]
) -> list[dict[int, float]]:
    """Per lattice: LM id -> confidence-weighted count of the times it was chosen where there
    was a choice."""
    out = []
    for lat, ch, cf in zip(lattices, chosen, conf, strict=True):
        counts: dict[int, float] = defaultdict(float)
        for ids, c, p in zip(lat.ids, ch, cf, strict=True):
            if len(ids) > 1:
                counts[int(ids[c])] += float(p)
        out.append(counts)
    return out


def nearby(per_line: list[dict[int, float]], k: int, window: int) -> dict[int, float]:
    """Counts of the lattices within `window` of lattice k, k itself left out (no self-support)."""
    total: dict[int, float] = defaultdict(float)
    for j in range(max(0, k - window), min(len(per_line), k + window + 1)):
        if j != k:
            for i, c in per_line[j].items():
                total[i] += c
    return total


def uncertain(conf: np.ndarray, floor: float) -> bool:
    return bool(len(conf)) and float(conf.min()) < floor


def biased(lat: Lattice, counts: dict[int, float], weight: float) -> Lattice:
    """The lattice with each ambiguous position's channel scores shifted towards the cache."""
    channel = []
    for ids, ch in zip(lat.ids, lat.channel, strict=True):
        if len(ids) > 1:
            c = np.array([counts.get(int(i), 0.0) for i in ids], dtype=np.float32)
            ch = ch + weight * np.log((c + 1.0) / (c.sum() + len(c)))
        channel.append(ch)
    return Lattice(lat.ids, channel)
