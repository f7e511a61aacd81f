"""Candidate readings of one token with channel log-probs log P(observed | intended).

Three channels, one per kind of broken text:
- `strip`: text typed without diacritics; every syllable with the same diacritic-free key is an
  equally likely intent (the language model alone decides);
- `legacy`: OCR made with an English model; readings come from the token table learned by
  aligning such OCR of rendered corpus text with its truth, plus the stripped readings;
- `vie`: good Vietnamese OCR; the token is most likely right, and its diacritic variants are
  weighted by the learned tone / vowel-mark confusions.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from pipeline.restore.glyphs import GlyphChannel
from pipeline.restore.syllables import is_syllable_key, normalize_tone, syllable_key
from pipeline.textnorm import has_diacritics, is_vietnamese_syllable

Candidates = list[tuple[str, float]]

HORN_TAILS = "’'?"
STRIPPED_LOGP = math.log(0.5)  # legacy OCR: a bare-ASCII token is a stripped reading half the time
GLYPH_K = 12  # readings the letter channel offers for a legacy token
GLYPH_FLOOR = -14.0  # ... at least this likely (log P(token | syllable))
LATIN_LOGP = math.log(0.1)  # legacy OCR: `fax`, `email`, `slot` may be what was printed
PART_DOMINANCE = 20  # see `Channel.restore_code`
# capitals the English model reads for one another in codes (typography: Q is O with a
# tail): OCR letter -> the letters it may stand for
LOOK_ALIKE = {"o": "q"}
# letter -> OCR piece -> log-prob for look-alikes real scans show and the renders the letter
# channel was learned from never did: S read as 5 (`56` for số, issue 11); learned pieces win
GLYPH_LOOK_ALIKES = {"s": {"5": -6.0}}
VIE_KEEP_LOGP = math.log(0.97)  # vie OCR: share of syllables read right (measured on renders)
NEAR_LOGP = math.log(0.02)  # per edit, for OCR debris never seen in training (no letter model)


@dataclass
class Channel:
    variants: dict[str, list[str]]  # key -> syllables, most frequent first
    ocr_table: dict[str, Candidates] = field(default_factory=dict)  # eng OCR token -> readings
    vie_confusion: dict[str, Candidates] = field(
        default_factory=dict
    )  # vie OCR syllable -> intents
    vie_other_logp: float = math.log(0.003)
    vie_keep_logp: float = VIE_KEEP_LOGP
    acronyms: dict[str, str] = field(default_factory=dict)  # `hdnd` -> `hđnd`, `nd` -> `nđ`
    char_map: dict[str, str] = field(default_factory=dict)  # OCR debris -> letter: `6` -> `o`
    glyph_emit: dict[str, dict[str, float]] = field(default_factory=dict)  # see `glyphs`
    code_parts: dict[str, int] = field(default_factory=dict)  # upper-case runs seen -> count

    def __post_init__(self) -> None:
        self.acronym_spellings = frozenset(self.acronyms.values())
        self._parts = self.code_parts
        self._plain: tuple[dict[str, int], dict[str, str]] | None = None  # `_plain_index`
        self._part_index = _deletion_index({p: [] for p in self.code_parts}, depth=1)
        self._near = _deletion_index(self.variants)
        self.glyphs: GlyphChannel | None = None
        if self.glyph_emit:
            inventory = sorted({s for group in self.variants.values() for s in group})
            self.glyphs = GlyphChannel(_with_look_alikes(self.glyph_emit), inventory)
            self._glyph_index = {s: i for i, s in enumerate(inventory)}
        self._cache: dict[tuple[str, str], Candidates | None] = {}

    def knows(self, token: str) -> bool:
        """Is `token` an English-OCR reading seen in training (`co’`, `dữ?`), or a word with a
        horn tail that has readings with ơ/ư (`si?` -> sử, `tw’` -> từ)?"""
        low = normalize_tone(token.lower())
        return low in self.ocr_table or bool(self._horn_tail(low))

    def _horn_tail(self, low: str) -> Candidates:
        """`su?`, `to’`: the tail is the horn the English model could not draw."""
        if len(low) < 2 or low[-1] not in HORN_TAILS or not low[:-1].isalpha():
            return []
        found = self.candidates(low[:-1], "legacy") or []
        return [(s, lp) for s, lp in found if "\u031b" in unicodedata.normalize("NFD", s)]

    def restore_code(self, code: str, ocr: bool = False) -> str:
        """`15/ND-CP` -> `15/NĐ-CP`: upper-case parts of a code whose Đ was stripped. With `ocr`
        (legacy OCR), a part rare in the corpus that is one edit from a part at least
        `PART_DOMINANCE` times as frequent as it and as any other such part is that part
        misread: `TT-BGTVIT` -> `TT-BGTVT`, `QD-BOP` -> `QĐ-BQP`, `NB-CP` -> `NĐ-CP`."""
        parts = re.split(r"([/.-])", code)
        for i, part in enumerate(parts):
            if not (part.isupper() and part.isalpha()):
                continue
            if ocr and len(part) > 1:
                part = self._likely_part(part)
            found = self.acronyms.get(part.lower())
            parts[i] = found.upper() if found else part
        return "".join(parts)

    def _likely_part(self, part: str) -> str:
        low = part.lower()
        if _provincial_twin(low, self._parts):
            return part
        alike = self._look_alike_part(low)
        if alike:
            return alike.upper()
        near = sorted(
            ((self._parts[k], k) for k in _near_keys(low, self._part_index, depth=1)),
            reverse=True,
        )
        if not near:
            return part
        rivals = [self._parts.get(low, 0), *(n for n, _ in near[1:2])]
        best, word = near[0]
        return word.upper() if best >= PART_DOMINANCE * max(max(rivals), 1) else part

    def _look_alike_part(self, low: str) -> str | None:
        """`OD` -> `QĐ`: one capital swapped for its look-alike (`LOOK_ALIKE`, Q read without
        its tail), where the part so spelt (Đ or D) is `PART_DOMINANCE` times as frequent as
        the part as read and as any other such swap (issue 11, real `eng` OCR of codes)."""
        counts, spelling = self._plain_index()
        found = sorted(
            (
                (counts.get(swap, 0), swap)
                for i, ch in enumerate(low)
                for alt in LOOK_ALIKE.get(ch, "")
                for swap in [low[:i] + alt + low[i + 1 :]]
            ),
            reverse=True,
        )
        if not found or not found[0][0]:
            return None
        rivals = [counts.get(low.replace("đ", "d"), 0), *(n for n, _ in found[1:2])]
        top, swap = found[0]
        return spelling[swap] if top >= PART_DOMINANCE * max(max(rivals), 1) else None

    def _plain_index(self) -> tuple[dict[str, int], dict[str, str]]:
        """Code parts by their Đ-less spelling: summed counts, and the likeliest spelling."""
        if self._plain is None:
            counts: dict[str, int] = {}
            spelling: dict[str, str] = {}
            for k, n in self._parts.items():
                plain = k.replace("đ", "d")
                counts[plain] = counts.get(plain, 0) + n
                if plain not in spelling or n > self._parts[spelling[plain]]:
                    spelling[plain] = k
            self._plain = (counts, spelling)
        return self._plain

    def candidates(self, token: str, flavor: str) -> Candidates | None:
        """Readings of `token` (lower-case, old tone style), or None to keep it as it is."""
        key = (token, flavor)
        if key not in self._cache:
            self._cache[key] = self._candidates(token, flavor)
        return self._cache[key]

    def _candidates(self, token: str, flavor: str) -> Candidates | None:
        low = normalize_tone(token.lower())
        if flavor == "strip":
            return self._stripped(low) if low.isascii() else None
        if flavor == "vie":
            return self._vie(low)
        return self._legacy(low, near=flavor != "legacy-exact")

    def _stripped(self, low: str) -> Candidates | None:
        found = self.variants.get(low)
        if low in self.acronyms:
            return [(self.acronyms[low], 0.0), (low, math.log(0.2))]
        return [(s, 0.0) for s in found] if found else None

    def _vie(self, low: str) -> Candidates | None:
        if len(low) < 2:
            return None  # list letters `a)`, `đ)` are never OCR slips worth a guess
        variants = self.variants.get(syllable_key(low), [])
        if not is_vietnamese_syllable(low):
            # `tôt`, `sat`: no such syllable, so some diacritic variant was meant
            learned = self.vie_confusion.get(low, [])
            found = dict(learned) or {s: self.vie_keep_logp for s in variants}
            if not found and low.isalpha() and not low.isascii():
                # `qiìy`, `qujên`, `kéẻ`: marked letters that make no syllable are a misread
                # word (issue 11, damaged photocopies), so syllables a few edits away are
                # offered (a name the LM knows, `Đăk`, is kept by the restorer); a plain-ASCII
                # non-syllable may be a Latin word and is kept; and none shorter by more than a
                # letter (`sởcủa` is two words glued, not `của`)
                size = len(syllable_key(low)) - 1
                near = self._near_readings(low).items()
                found = {s: lp for s, lp in near if len(syllable_key(s)) >= size}
            return list(found.items()) or None
        key = syllable_key(low)
        # a valid syllable is only doubted up to its diacritics: letter swaps learned from
        # degraded renders (bay -> này) cost more good words than they repair
        found = {s: lp for s, lp in self.vie_confusion.get(low, []) if syllable_key(s) == key}
        found.setdefault(low, self.vie_keep_logp)
        for s in variants:
            found.setdefault(s, self.vie_other_logp)
        return list(found.items()) if len(found) > 1 else None

    def _legacy(self, low: str, near: bool = True) -> Candidates | None:
        found: dict[str, float] = {}
        if low.isascii() and low.isalpha():
            for s in self.variants.get(low, []):
                found[s] = STRIPPED_LOGP
        elif has_diacritics(low) and is_vietnamese_syllable(low):
            found[low] = STRIPPED_LOGP
        for s, lp in self.ocr_table.get(low, []):
            found[s] = max(found.get(s, -99.0), lp)
        if low in self.acronyms:
            found[self.acronyms[low]] = 0.0
        if near and self.glyphs is not None:
            found = self._glyph_readings(low, found)
        if not found:
            found = dict(self._horn_tail(low))
        if not found and near:
            found = self._near_readings(low)
        if low.isascii() and low.isalpha() and not is_syllable_key(low):
            # no Vietnamese syllable strips to it: a Latin word (kept when the LM knows it) or
            # debris; the language model weighs the word itself against the repairs
            found.setdefault(low, LATIN_LOGP)
        return list(found.items()) or None

    def _glyph_readings(self, low: str, found: dict[str, float]) -> dict[str, float]:
        """Add the syllables the letter channel finds likeliest to be read as `low` (`tir` ->
        từ, `6ng` -> ống, `giéng` -> giếng), each at the better of its two channel scores."""
        assert self.glyphs is not None
        out = dict(found)
        for s, lp in self.glyphs.best(low, GLYPH_K, GLYPH_FLOOR):
            out[s] = max(out.get(s, -99.0), lp)
        return out

    def _near_readings(self, low: str) -> dict[str, float]:
        """Unseen debris: map odd characters to letters, then take syllables whose key is within
        two deletions (`ngu6i` -> `nguoi` -> người; `lvong` -> `luong`, `long`)."""
        ascii_form = syllable_key("".join(self.char_map.get(c, c) for c in low))
        if not ascii_form.isalpha():
            return {}
        found: dict[str, float] = {}
        for key, dist in _near_keys(ascii_form, self._near).items():
            for s in self.variants.get(key, []):
                found.setdefault(s, NEAR_LOGP * (dist + 1))
        return found

    def to_json(self) -> dict:
        return {
            "variants": self.variants,
            "ocr_table": self.ocr_table,
            "vie_confusion": self.vie_confusion,
            "vie_other_logp": self.vie_other_logp,
            "vie_keep_logp": self.vie_keep_logp,
            "acronyms": self.acronyms,
            "char_map": self.char_map,
            "glyph_emit": self.glyph_emit,
            "code_parts": self.code_parts,
        }

    @classmethod
    def from_json(cls, data: dict) -> Channel:
        def pairs(table: dict) -> dict[str, Candidates]:
            return {k: [(w, float(lp)) for w, lp in v] for k, v in table.items()}

        return cls(
            variants=data["variants"],
            ocr_table=pairs(data.get("ocr_table", {})),
            vie_confusion=pairs(data.get("vie_confusion", {})),
            vie_other_logp=data.get("vie_other_logp", math.log(0.003)),
            vie_keep_logp=data.get("vie_keep_logp", VIE_KEEP_LOGP),
            acronyms=data.get("acronyms", {}),
            char_map=data.get("char_map", {}),
            glyph_emit=data.get("glyph_emit", {}),
            code_parts=data.get("code_parts", []),
        )


def _with_look_alikes(emit: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    out = {letter: dict(pieces) for letter, pieces in emit.items()}
    for letter, pieces in GLYPH_LOOK_ALIKES.items():
        for piece, lp in pieces.items():
            out.setdefault(letter, {}).setdefault(piece, lp)
    return out


def _deletions(word: str, depth: int = 2) -> dict[str, int]:
    out = {word: 0}
    frontier = {word}
    for d in range(1, depth + 1):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        for w in frontier:
            out.setdefault(w, d)
    return out


def _provincial_twin(low: str, parts: dict[str, int]) -> bool:
    """`stnmt`, `syt`, `sgdđt`: a provincial department's code (Sở ...) mirrors its ministry's
    (Bộ ..., `btnmt`, `byt`, `bgdđt`) with S for B. The corpus is national law, which names
    the ministries' codes and seldom the departments', so such a part is no misreading of its
    ministry's code (issue 11: `6326/TTr-STNMT` had become `BTNMT`)."""
    return len(low) > 2 and low[0] == "s" and ("b" + low[1:]) in parts


def _deletion_index(
    variants: dict[str, list[str]], depth: int = 2
) -> dict[str, list[tuple[str, int]]]:
    """SymSpell index: every key's strings within `depth` deletions -> (key, deletions)."""
    index: dict[str, list[tuple[str, int]]] = {}
    for key in variants:
        if len(key) > 1:
            for d, n in _deletions(key, depth).items():
                index.setdefault(d, []).append((key, n))
    return index


def _near_keys(
    word: str, index: dict[str, list[tuple[str, int]]], depth: int = 2
) -> dict[str, int]:
    """Keys within edit distance ~`depth` of `word` (upper bound: deletions on both sides)."""
    best: dict[str, int] = {}
    for d, n in _deletions(word, depth).items():
        for key, m in index.get(d, []):
            dist = max(n, m)
            if dist <= depth and dist < best.get(key, 9):
                best[key] = dist
    return best
