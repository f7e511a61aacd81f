"""Letter-level OCR channel: how the English model reads each Vietnamese letter.

The token table of `channel.py` knows only OCR tokens seen in training; legacy OCR keeps making
new ones (`trivdéng`, `ng6i`, `tir`). Here each letter of the intended syllable is read as a
piece of 0-3 characters (`ư` -> `ir`, `ồ` -> `6`, `ớ` -> `o’`, `đ` -> `d`), and
P(OCR token | syllable) is the best product over the ways to cut the token into pieces (a
Viterbi approximation of the stochastic edit distance, Ristad & Yianilos 1998). The piece
probabilities are learned by EM from the aligned (OCR token, syllable) pairs of the renders, so
every syllable of the inventory can be scored against any token, vectorised over the inventory.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from pipeline.textnorm import strip_diacritics, strip_tone

MAX_PIECE = 3  # OCR characters one letter may turn into (`ợ` -> `gd’` is the worst seen)
UNSEEN_LOGP = -9.0  # per OCR character of a piece never learned for the letter
_NEG = np.float32(-1e9)


@dataclass
class GlyphChannel:
    """log P(piece | letter) for learned pieces; everything else costs `UNSEEN_LOGP` a char."""

    emit: dict[str, dict[str, float]]
    syllables: list[str] = field(default_factory=list)  # the inventory scored by `best`

    def __post_init__(self) -> None:
        letters = sorted({c for s in self.syllables for c in s} | set(self.emit))
        self._letter = {c: i + 1 for i, c in enumerate(letters)}  # 0 pads short syllables
        self._by_len: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        groups: dict[int, list[int]] = defaultdict(list)
        for k, s in enumerate(self.syllables):
            groups[len(s)].append(k)
        for n, idx in groups.items():
            codes = np.array([[self._letter[c] for c in self.syllables[k]] for k in idx])
            self._by_len[n] = (np.array(idx), codes.astype(np.int64))
        by_piece: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for c, pieces in self.emit.items():
            for piece, lp in pieces.items():
                by_piece[piece].append((self._letter[c], lp))
        self._by_piece = {
            piece: (np.array([i for i, _ in v]), np.array([lp for _, lp in v], dtype=np.float32))
            for piece, v in by_piece.items()
        }

    def logp(self, token: str, syllable: str) -> float:
        """log P(token | syllable), best cut (`tir` | `từ`: t->t, ừ->ir)."""
        return float(_viterbi(token, [syllable], self._piece_logp)[0])

    def _piece_logp(self, letter: str, piece: str) -> float:
        found = self.emit.get(letter, {}).get(piece)
        return found if found is not None else UNSEEN_LOGP * max(len(piece), 1)

    def best(self, token: str, k: int = 12, floor: float = -14.0) -> list[tuple[str, float]]:
        """The `k` syllables of the inventory most likely to be read as `token`, above `floor`."""
        scores = self.score_all(token)
        if not len(scores):
            return []
        top = np.argsort(-scores, kind="stable")[:k]
        return [(self.syllables[i], round(float(scores[i]), 3)) for i in top if scores[i] > floor]

    def score_all(self, token: str) -> np.ndarray:
        """log P(token | s) for every syllable s of the inventory (Viterbi over the cuts,
        vectorised over the syllables of each length)."""
        m = len(token)
        pieces = [(a, b) for b in range(m + 1) for a in range(max(0, b - MAX_PIECE), b + 1)]
        pid = {p: i for i, p in enumerate(pieces)}
        unseen = [UNSEEN_LOGP * max(b - a, 1) for a, b in pieces]
        table = np.tile(np.array(unseen, dtype=np.float32), (len(self._letter) + 1, 1))
        table[0] = _NEG  # padding
        for j, (a, b) in enumerate(pieces):
            found = self._by_piece.get(token[a:b])
            if found is not None:
                table[found[0], j] = found[1]
        # shift[k][j - k] is the piece token[j - k : j] that ends at j
        shift = [np.array([pid[(j - k, j)] for j in range(k, m + 1)]) for k in range(MAX_PIECE + 1)]
        out = np.full(len(self.syllables), _NEG, dtype=np.float32)
        for n, (idx, codes) in self._by_len.items():
            if m > MAX_PIECE * n:
                continue
            f = np.full((len(idx), m + 1), _NEG, dtype=np.float32)
            f[:, 0] = 0.0
            for i in range(n):
                row = table[codes[:, i]]
                g = f + row[:, shift[0]]
                for k in range(1, min(MAX_PIECE, m) + 1):
                    np.maximum(g[:, k:], f[:, : m + 1 - k] + row[:, shift[k]], out=g[:, k:])
                f = g
            out[idx] = f[:, m]
        return out

    def to_json(self) -> dict:
        return {"emit": self.emit}

    @classmethod
    def from_json(cls, data: dict, syllables: list[str]) -> GlyphChannel:
        return cls({c: dict(v) for c, v in data["emit"].items()}, syllables)


def _viterbi(token: str, syllables: list[str], logp) -> list[float]:  # noqa: ANN001
    out = []
    m = len(token)
    for s in syllables:
        f = [0.0] + [-1e9] * m
        for c in s:
            g = [-1e9] * (m + 1)
            for j in range(m + 1):
                for a in range(max(0, j - MAX_PIECE), j + 1):
                    if f[a] > -1e8:
                        g[j] = max(g[j], f[a] + logp(c, token[a:j]))
            f = g
        out.append(f[m])
    return out


def learn_glyphs(pairs: Iterable[tuple[str, str]], iterations: int = 5) -> dict:
    """EM over the cuts of each (OCR token, syllable) pair into one piece per letter.

    Starts from a prior that reads each letter as itself or its bare form; each round spreads
    every pair's count over its cuts by their probability and re-estimates P(piece | letter)
    (`_estimate`).
    """
    joint = Counter(pairs)
    emit: dict[str, dict[str, float]] = {}
    for _ in range(iterations):
        counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for (o, t), n in joint.items():
            if len(o) > MAX_PIECE * len(t) or len(o) > 12:
                continue
            for c, piece, w in _expected(o, t, emit):
                counts[c][piece] += n * w
        emit = _estimate(counts)
    return {c: dict(sorted(v.items(), key=lambda x: -x[1])) for c, v in sorted(emit.items())}


SMOOTH = 2.0  # pseudo-readings a letter borrows from its toneless form (`ố` from `ô`)


def _estimate(counts: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """P(piece | letter), each letter's counts blended with `SMOOTH` pseudo-counts spread like
    its toneless letter's (a rare `ỗ` reads like `ô`), pieces below half a reading dropped."""
    base: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for c, cnt in counts.items():
        for piece, v in cnt.items():
            base[strip_tone(c)[0]][piece] += v
    emit: dict[str, dict[str, float]] = {}
    for c, cnt in counts.items():
        family = base[strip_tone(c)[0]]
        fam_total = sum(family.values())
        total = sum(cnt.values()) + SMOOTH
        probs = {
            piece: (cnt.get(piece, 0.0) + SMOOTH * v / fam_total) / total
            for piece, v in family.items()
            if cnt.get(piece, 0.0) + SMOOTH * v / fam_total >= 0.5
        }
        emit[c] = {piece: round(math.log(p), 3) for piece, p in probs.items()}
    return emit


def _prior(letter: str, piece: str) -> float:
    if piece == letter:
        return -0.5
    if piece == strip_diacritics(letter):
        return -1.5
    return -6.0 * max(len(piece), 1)


def _expected(o: str, t: str, emit: dict) -> list[tuple[str, str, float]]:
    """(letter, piece, posterior weight) of each cut step, by forward-backward over the cuts."""

    def lp(c: str, piece: str) -> float:
        if not emit:
            return _prior(c, piece)
        found = emit.get(c, {}).get(piece)
        return found if found is not None else UNSEEN_LOGP * max(len(piece), 1)

    n, m = len(t), len(o)
    fw = np.full((n + 1, m + 1), -np.inf)
    fw[0, 0] = 0.0
    steps: list[tuple[int, int, int, float]] = []
    for i in range(n):
        for b in range(m + 1):
            for a in range(max(0, b - MAX_PIECE), b + 1):
                if fw[i, a] > -np.inf:
                    s = lp(t[i], o[a:b])
                    fw[i + 1, b] = np.logaddexp(fw[i + 1, b], fw[i, a] + s)
                    steps.append((i, a, b, s))
    bw = np.full((n + 1, m + 1), -np.inf)
    bw[n, m] = 0.0
    for i, a, b, s in reversed(steps):
        bw[i, a] = np.logaddexp(bw[i, a], s + bw[i + 1, b])
    total = fw[n, m]
    if total == -np.inf:
        return []
    out = []
    for i, a, b, s in steps:
        w = math.exp(fw[i, a] + s + bw[i + 1, b] - total)
        if w > 1e-3:
            out.append((t[i], o[a:b], w))
    return out
