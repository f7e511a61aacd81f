"""Syllable n-gram language model: hashed keys in an open-addressing table, uint8 log-probs.

Scoring is stupid backoff (Brants et al. 2007, "Large language models in machine translation"):
the relative frequency of the longest n-gram seen, times 0.4 per order dropped. It needs no
normalisation pass, prunes cleanly, and is as good as Kneser-Ney once the corpus has tens of
millions of tokens. Every query is vectorised: the decoder asks for thousands of n-grams at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

SPECIALS = ("<unk>", "<s>", "</s>", "<num>", "<code>", "<p>")
UNK, BOS, EOS, NUM, CODE, PUNCT = range(len(SPECIALS))
BACKOFF = float(np.log(0.4))
_Q_STEP = 0.08  # natural-log units per uint8 step: covers log-probs down to -20
_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xBF58476D1CE4E5B9)


def mix(h: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Fold one more (older) token into n-gram keys: keys grow from the predicted word backwards."""
    x = (h ^ ids.astype(np.uint64)) * _M1
    return (x ^ (x >> np.uint64(31))) * _M2


def first_key(ids: np.ndarray) -> np.ndarray:
    return mix(np.full(len(ids), 0x243F6A8885A308D3, dtype=np.uint64), ids)


def window_keys(ids: np.ndarray, order: int) -> np.ndarray:
    """Keys of all n-grams of `order` in `ids` (one per start position that fits)."""
    n = len(ids) - order + 1
    key = first_key(ids[order - 1 : order - 1 + n])
    for back in range(1, order):
        key = mix(key, ids[order - 1 - back : order - 1 - back + n])
    return key


def quantize(logp: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(-logp / _Q_STEP), 0, 254).astype(np.uint8)


@dataclass
class HashTable:
    """Linear-probing table; a uint32 slot packs a 24-bit key fingerprint and a uint8 value.

    Four bytes per slot keeps the model small; a false hit needs a 24-bit fingerprint collision
    on one of a few probes (about 1 in 3 million lookups).
    """

    slots: np.ndarray  # uint32, size 2**bits, 0 = empty

    @classmethod
    def build(cls, keys: np.ndarray, values: np.ndarray, load: float = 0.75) -> HashTable:
        bits = max(10, int(np.ceil(np.log2(max(len(keys), 1) / load))))
        size = 1 << bits
        slots = np.zeros(size, dtype=np.uint32)
        packed = (_fingerprint(keys) << np.uint32(8)) | values.astype(np.uint32)
        slot = (keys & np.uint64(size - 1)).astype(np.int64)
        pending = np.arange(len(keys))
        while len(pending):
            s = slot[pending]
            free = slots[s] == 0
            _, first = np.unique(s[free], return_index=True)
            win = pending[free][first]
            slots[slot[win]] = packed[win]
            placed = np.zeros(len(keys), dtype=bool)
            placed[win] = True
            pending = pending[~placed[pending]]
            slot[pending] = (slot[pending] + 1) & (size - 1)
        return cls(slots)

    def get(self, keys: np.ndarray) -> np.ndarray:
        """Stored values for `keys`, -1 where absent (int16)."""
        mask = len(self.slots) - 1
        out = np.full(len(keys), -1, dtype=np.int16)
        idx = np.arange(len(keys))
        slot = (keys & np.uint64(mask)).astype(np.int64)
        kfp = _fingerprint(keys)
        while len(idx):
            f = self.slots[slot]
            hit = (f >> np.uint32(8)) == kfp
            out[idx[hit]] = f[hit] & np.uint32(0xFF)
            go = ~hit & (f != 0)
            idx, slot, kfp = idx[go], (slot[go] + 1) & mask, kfp[go]
        return out


def _fingerprint(keys: np.ndarray) -> np.ndarray:
    """24 bits of the key not used for the slot index, never 0 (0 marks an empty slot)."""
    return ((keys >> np.uint64(40)).astype(np.uint32) & np.uint32(0xFFFFFF)) | np.uint32(1)


@dataclass
class NgramLM:
    vocab: list[str]
    order: int
    table: HashTable
    unk_logp: float
    backoff: float = BACKOFF  # log of the stupid-backoff factor (tuned on a dev sample)

    def __post_init__(self) -> None:
        self.index = {w: i for i, w in enumerate(self.vocab)}
        # unigrams are asked for on every query: a dense array beats the hash table
        self.unigram = self.table.get(first_key(np.arange(len(self.vocab), dtype=np.int32)))

    def ids(self, words: list[str]) -> np.ndarray:
        return np.array([self.index.get(w, UNK) for w in words], dtype=np.int32)

    def score(self, hist: np.ndarray, word: np.ndarray) -> np.ndarray:
        """log p(word | hist) for rows of `hist` (M x order-1, oldest first) and `word` (M,).

        Orders are tried shortest first and only rows found so far go on: pruning keeps every
        suffix of a kept n-gram, so a missing bigram means no longer n-gram can be there.
        """
        key = first_key(word)
        best = np.full(len(word), self.unk_logp + self.backoff * (self.order - 1), dtype=np.float32)
        q = self.unigram[word]
        found = q >= 0
        rows, key = np.flatnonzero(found), key[found]
        best[rows] = -q[found] * _Q_STEP + self.backoff * (self.order - 1)
        for k in range(2, self.order + 1):
            if not len(rows):
                break
            key = mix(key, hist[rows, 1 - k])
            q = self.table.get(key)
            found = q >= 0
            rows, key = rows[found], key[found]
            best[rows] = -q[found] * _Q_STEP + self.backoff * (self.order - k)
        return best

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            slots=self.table.slots,
            order=self.order,
            unk_logp=self.unk_logp,
            vocab=np.array("\n".join(self.vocab)),
        )

    @classmethod
    def load(cls, path: Path) -> NgramLM:
        z = np.load(path)
        table = HashTable(z["slots"])
        vocab = str(z["vocab"]).split("\n")
        return cls(vocab, int(z["order"]), table, float(z["unk_logp"]))
