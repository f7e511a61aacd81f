"""The trained restorer: tokens -> candidate lattices -> beam search -> changed tokens.

What is not a Vietnamese word never enters a lattice with more than one reading: numbers, codes,
punctuation, Latin words and acronyms (`UBND`, `SIM`, `TTg` in a mixed-case line) pass through, so
they survive byte for byte. Line breaks are kept: each input line is one lattice.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from pipeline.restore.adapt import biased, cache_counts, nearby, uncertain
from pipeline.restore.channel import Channel
from pipeline.restore.counts import symbol
from pipeline.restore.decoder import Lattice, confidences, decode
from pipeline.restore.lm import CODE, NUM, UNK, NgramLM
from pipeline.restore.modes import channel_flavor, detect_mode, tokenize_lines
from pipeline.restore.syllables import (
    ToneStyle,
    is_syllable_key,
    normalize_word,
    syllable_key,
    transfer_case,
)
from pipeline.restore.tokens import Token, core_kind, item_dash, merge_debris, split_glued
from pipeline.textnorm import is_vietnamese_syllable, strip_diacritics

BATCH_LINES = 2000
ALTERNATIVE_LOGP = math.log(0.05)  # a reading the OCR's LSTM weighed (chosen on real-scan dev)
NUMBER_AS_WORD = math.log(0.1)  # a short number in legacy OCR read as a word: extra cost
NUMBER_FLOOR = -10.0  # readings of a number the letter channel finds less likely are not offered
# called for every word of every line: the same few thousand strings, so cache them
_strip = lru_cache(maxsize=1 << 16)(strip_diacritics)
_normalize = lru_cache(maxsize=1 << 16)(normalize_word)
_ZERO = np.zeros(1, dtype=np.float32)


@dataclass(frozen=True)
class Change:
    """One changed token: offsets index the original line."""

    line: int
    start: int
    end: int
    original: str
    replacement: str
    confidence: float


@dataclass(frozen=True)
class Restoration:
    text: str
    changes: list[Change]
    mode: str


@dataclass
class Slot:
    """A token of a line, its readings (None: kept as it is) and their lattice arrays."""

    token: Token
    readings: list[tuple[str, float]] | None
    ids: np.ndarray  # LM ids of the readings, or of the token's own symbol
    channel: np.ndarray
    fixed: bool = False  # a code: its one reading replaces the text, the LM sees <code>
    heading: bool = False  # in an all-caps line


class NgramRestorer:
    """Noisy-channel restorer: `Channel` candidates scored by an `NgramLM`."""

    def __init__(self, lm: NgramLM, channel: Channel, settings: dict) -> None:
        self.lm = lm
        self.channel = channel
        self.beam = int(settings.get("beam", 8))
        self.lm.backoff = math.log(float(settings.get("backoff_alpha", 0.4)))
        self.tone_style: ToneStyle | None = settings.get("tone_style", "old")
        self.min_confidence = dict(settings.get("min_confidence", {"conservative": 0.9}))
        self.margin = float(settings.get("margin", 16.0))
        self.cache_weight = float(settings.get("cache_weight", 1.5))
        self.cache_floor = float(settings.get("cache_floor", 0.8))
        self.cache_window = int(settings.get("cache_window", 20))
        # legacy OCR: its channel is sharper than its raw log-probs say, and its lines are
        # wrapped mid-sentence, so each borrows context from the lines around it
        self.legacy_weight = float(settings.get("legacy_channel_weight", 2.0))
        self.context = {"legacy": int(settings.get("legacy_context", 4))}
        self._cache: dict[tuple[str, str, bool], tuple] = {}

    @classmethod
    def load(cls, path: Path) -> NgramRestorer:
        lm = NgramLM.load(path / "lm.npz")
        channel = Channel.from_json(json.loads((path / "channel.json").read_text("utf-8")))
        settings = json.loads((path / "settings.json").read_text("utf-8"))
        return cls(lm, channel, settings)

    def restore(
        self,
        text: str,
        mode: str = "auto",
        alternatives: dict[tuple[int, int], list[str]] | None = None,
    ) -> Restoration:
        """`alternatives`: other readings the OCR engine weighed for a token, keyed by (line,
        token start); they join the token's candidates at `ALTERNATIVE_LOGP` (issue 11)."""
        tokens = tokenize_lines(text)
        mode = detect_mode(tokens) if mode == "auto" else mode
        if mode not in ("full", "conservative", "none"):
            raise ValueError(f"unknown restore mode {mode!r}")
        if mode == "none":
            return Restoration(text, [], mode)
        flavor = channel_flavor(tokens) if mode == "full" else "vie"
        spaces: list[Change] = []
        if flavor == "legacy":
            known = self.channel.knows
            lines = text.split("\n")
            tokens = [merge_debris(t, ln, known) for t, ln in zip(tokens, lines, strict=True)]
            tokens, spaces = self._resegment(tokens)
            tokens, dashes = _item_dashes(tokens, lines)
            spaces += dashes
        changes: list[Change] = []
        for lo in range(0, len(tokens), BATCH_LINES):
            batch = tokens[lo : lo + BATCH_LINES]
            changes.extend(self._restore_lines(batch, lo, flavor, mode, alternatives or {}))
        # a space goes in after the word it follows was replaced (`_apply` is stable)
        changes = sorted(changes + spaces, key=lambda c: (c.line, c.start))
        return Restoration(_apply(text.split("\n"), changes), changes, mode)

    def _resegment(self, lines: list[list[Token]]) -> tuple[list[list[Token]], list[Change]]:
        """Glued legacy tokens split where the channel reads the parts and not the whole
        (`ngay23` -> `ngay 23`, see `split_glued`), with the spaces as zero-width changes."""
        out, spaces = [], []
        for i, tokens in enumerate(lines):
            split, gaps = split_glued(tokens, self._readable)
            out.append(split)
            spaces += [Change(i, at, at, "", " ", 1.0) for at in gaps]
        return out, spaces

    def _readable(self, text: str) -> float | None:
        """The legacy channel's best reading of `text` the language model knows (log-prob),
        or None."""
        found = self.channel.candidates(text, "legacy") or []
        return max((lp for w, lp in found if w in self.lm.index), default=None)

    def _restore_lines(
        self,
        lines: list[list[Token]],
        first: int,
        flavor: str,
        mode: str,
        alternatives: dict[tuple[int, int], list[str]] | None = None,
    ) -> list[Change]:
        slots = [self._slots(tokens, flavor) for tokens in lines]
        for (at_line, at), alts in (alternatives or {}).items():
            row = at_line - first
            for k, slot in enumerate(slots[row] if 0 <= row < len(slots) else []):
                if slot.token.start == at:
                    slots[row][k] = self._offered(slot, alts)
        pieces = [(i, a, b) for i, ln in enumerate(slots) for a, b in _segments(ln)]
        width = self.context.get(flavor, 0)
        spans = [_with_context(slots, i, a, b, width) for i, a, b in pieces]
        lattices = [Lattice([s.ids for s in seq], [s.channel for s in seq]) for seq, _, _ in spans]
        decoded = decode(self.lm, lattices, self.beam, self.margin)
        probs = confidences(self.lm, lattices, decoded)
        own = [(lo, hi) for _, lo, hi in spans]
        if self.cache_weight and mode == "full":
            decoded, probs = self._second_look(lattices, decoded, probs, own)
        chosen = [np.zeros(len(ln), dtype=np.int64) for ln in slots]
        conf = [np.ones(len(ln), dtype=np.float32) for ln in slots]
        for (i, a, b), ch, cf, (lo, hi) in zip(pieces, decoded, probs, own, strict=True):
            chosen[i][a:b] = ch[lo:hi]
            conf[i][a:b] = cf[lo:hi]
        floor = self.min_confidence.get(mode, 0.0)
        out = []
        marker = ""
        opens = True  # does the next line open a sentence?
        for i, (line_slots, ch, cf) in enumerate(zip(slots, chosen, conf, strict=True)):
            marker = _list_marker(line_slots, ch, marker)
            starts = _sentence_starts(line_slots, opens) if flavor == "legacy" else None
            for k, (slot, c, p) in enumerate(zip(line_slots, ch, cf, strict=True)):
                if slot.readings or slot.token.kind in ("word", "odd"):
                    start = None if starts is None else starts[k]
                    change = self._change(first + i, slot, int(c), float(p), floor, start)
                    if change:
                        out.append(change)
            opens = not line_slots or line_slots[-1].token.text in _SENTENCE_END
        return out

    def _second_look(
        self,
        lattices: list[Lattice],
        decoded: list[np.ndarray],
        probs: list[np.ndarray],
        own: list[tuple[int, int]],
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Decode uncertain pieces again with the document cache (see `adapt`); `own`: each
        lattice's own positions, the rest being context borrowed from the lines around it."""
        mine = [
            Lattice(lat.ids[lo:hi], lat.channel[lo:hi])
            for lat, (lo, hi) in zip(lattices, own, strict=True)
        ]
        counts = cache_counts(
            mine,
            [d[lo:hi] for d, (lo, hi) in zip(decoded, own, strict=True)],
            [p[lo:hi] for p, (lo, hi) in zip(probs, own, strict=True)],
        )
        redo = [
            k
            for k, (p, (lo, hi)) in enumerate(zip(probs, own, strict=True))
            if uncertain(p[lo:hi], self.cache_floor)
        ]
        if not redo:
            return decoded, probs
        again = [
            biased(lattices[k], nearby(counts, k, self.cache_window), self.cache_weight)
            for k in redo
        ]
        new_dec = decode(self.lm, again, self.beam, self.margin)
        new_probs = confidences(self.lm, again, new_dec)
        decoded, probs = list(decoded), list(probs)
        for k, d, p in zip(redo, new_dec, new_probs, strict=True):
            decoded[k], probs[k] = d, p
        return decoded, probs

    def _offered(self, slot: Slot, alternatives: list[str]) -> Slot:
        """The slot with the OCR engine's own alternatives among its readings: a reading the
        LSTM nearly chose costs `ALTERNATIVE_LOGP`, far less than a blind diacritic variant."""
        tok = slot.token
        if tok.kind not in ("word", "odd") or slot.fixed:
            return slot
        if slot.readings:
            readings, ids = list(slot.readings), [int(i) for i in slot.ids]
            channel = [float(c) for c in slot.channel]
        else:  # no candidates of its own: keeping the token as read is one reading
            readings, ids, channel = [(tok.text.lower(), 0.0)], [int(slot.ids[0])], [0.0]
        index = {r: k for k, (r, _) in enumerate(readings)}
        added = False
        for alt in alternatives:
            low = _normalize(alt.lower(), self.tone_style) if self.tone_style else alt.lower()
            if low in index:
                k = index[low]
                channel[k] = max(channel[k], ALTERNATIVE_LOGP)
                added = True
            elif low in self.lm.index:
                index[low] = len(readings)
                readings.append((low, ALTERNATIVE_LOGP))
                ids.append(self.lm.index[low])
                channel.append(ALTERNATIVE_LOGP)
                added = True
        if not added:
            return slot
        arr = (np.array(ids, np.int32), np.array(channel, np.float32))
        return Slot(tok, readings, *arr, heading=slot.heading)

    def _slots(self, tokens: list[Token], flavor: str) -> list[Slot]:
        if _is_heading(tokens):
            return [self._slot(tok, flavor, True) for tok in tokens]
        runs = _capital_runs(tokens) if flavor == "legacy" else set()
        return [self._slot(tok, flavor, k in runs) for k, tok in enumerate(tokens)]

    def _slot(self, tok: Token, flavor: str, heading: bool) -> Slot:
        if not _is_latin(tok.text):  # 中文, Привет: not ours to touch
            return Slot(tok, None, np.array([UNK], np.int32), _ZERO)
        if tok.kind == "code" and flavor != "vie":
            fixed = self.channel.restore_code(tok.text, ocr=flavor == "legacy")
            ids = np.array([CODE], dtype=np.int32)
            return Slot(tok, [(fixed, 0.0)] if fixed != tok.text else None, ids, _ZERO, True)
        if tok.kind == "num" and flavor == "legacy" and len(tok.text) <= 2 and tok.text.isdigit():
            key = (tok.text, "num", False)
            if key not in self._cache:
                self._cache[key] = self._number_readings(tok.text)
            return Slot(tok, *self._cache[key])
        if tok.kind not in ("word", "odd"):
            return Slot(tok, None, np.array([self.lm.index.get(symbol(tok), UNK)], np.int32), _ZERO)
        key = (tok.text, flavor, heading)
        if key not in self._cache:
            acronym = _is_acronym(tok.text) and not heading
            self._cache[key] = self._readings(tok, flavor, acronym, heading)
        readings, ids, channel = self._cache[key]
        return Slot(tok, readings, ids, channel, heading=heading)

    def _readings(self, tok: Token, flavor: str, acronym: bool, heading: bool = False) -> tuple:
        """Readings the LM knows, with their ids and channel log-probs (cached per token)."""
        cands = None
        low = tok.text.lower()
        if flavor == "legacy" and heading and tok.kind == "word" and not _plausible(tok.text):
            # a heading in capitals is words (`THU TUGNG CHINH PHU`): the letter channel's
            # readings, beside the token itself where the LM knows it as an acronym (`UBND`)
            known = [(low, 0.0)] if low in self.lm.index else []
            cands = list(dict(known + (self.channel.candidates(tok.text, "legacy") or [])).items())
        elif tok.kind == "word" and tok.text.isupper() and not _plausible(tok.text):
            # UBND in a heading: a learned OCR reading (HQI -> HỘI) or a Đ spelling, no guesses;
            # but capitals carrying tone or vowel marks are a misread word, not an acronym
            # (`QUYÉT` for QUYẾT on a real photocopy, issue 11)
            acronym = flavor != "legacy" and not (flavor == "vie" and _marked(tok.text))
            flavor = "legacy-exact" if flavor == "legacy" else flavor
        if cands is not None:
            pass
        elif acronym and flavor == "legacy" and _plausible(tok.text):
            # `BO` in legacy OCR may be Bộ, `SIM` is SIM: learned readings or the word itself
            cands = [(low, 0.0), *(self.channel.candidates(tok.text, "legacy-exact") or [])]
        elif flavor == "vie" and self._known_name(low):
            cands = None  # `Đăk`, `Păh`: no syllable, but a word the language model knows
        elif not acronym or flavor == "strip":
            cands = self.channel.candidates(tok.text, flavor)
            if acronym and cands:
                cands = [c for c in cands if c[0] in self.channel.acronyms.values()]
        elif low_acronym := self.channel.acronyms.get(tok.text.lower()):
            cands = [(low_acronym, 0.0)]
        readings = [c for c in cands or [] if c[0] in self.lm.index] or None
        if not readings:
            return None, np.array([self.lm.index.get(symbol(tok), UNK)], np.int32), _ZERO
        ids = np.array([self.lm.index[w] for w, _ in readings], dtype=np.int32)
        weight = self.legacy_weight if flavor.startswith("legacy") else 1.0
        return readings, ids, weight * np.array([lp for _, lp in readings], dtype=np.float32)

    def _known_name(self, low: str) -> bool:
        """A marked word whose letters no Vietnamese syllable has (`đăk`, `păh`) yet in the
        LM's vocabulary: a place or ethnic name, not a misreading to repair by edit distance
        (issue 11; `quyét` has the letters of quyết and is repaired)."""
        return (
            not low.isascii()
            and low in self.lm.index
            and not is_syllable_key(syllable_key(low))
            and not is_vietnamese_syllable(low)
        )

    def _number_readings(self, text: str) -> tuple:
        """A short number in legacy OCR may be a word in digits (`14` for là, `86` for số, `6`
        for ở): the number itself, or what the channel reads (its learned OCR tokens, then the
        letter channel), at a cost; the LM decides."""
        found = self.channel.candidates(text, "legacy") or []
        found = sorted((c for c in found if c[1] >= NUMBER_FLOOR), key=lambda c: -c[1])[:6]
        words = [(w, lp + NUMBER_AS_WORD) for w, lp in found if w in self.lm.index]
        if not words:
            return None, np.array([NUM], np.int32), _ZERO
        readings = [(text, 0.0), *words]
        ids = np.array([NUM] + [self.lm.index[w] for w, _ in words], dtype=np.int32)
        channel = np.array([lp for _, lp in readings], dtype=np.float32)
        return readings, ids, channel * self.legacy_weight

    def _change(
        self, line: int, slot: Slot, c: int, p: float, floor: float, start: bool | None = None
    ) -> Change | None:
        """`start`: for legacy OCR, whether the token opens a sentence (None for other text)."""
        tok = slot.token
        if slot.fixed and slot.readings:
            return Change(line, tok.start, tok.end, tok.text, slot.readings[0][0], 0.9)
        if tok.kind not in ("word", "odd") and not slot.readings:
            return None
        if slot.readings:
            reading = slot.readings[c][0]
            only_marks = _strip(reading) == _strip(tok.text).lower()
            keep_case = only_marks or tok.text.isupper() or tok.text[1:].islower()
            # Adding marks keeps the letters' case exactly (stripped text round-trips); a token
            # whose letters change (`gO` -> gỡ, OCR debris) takes the case of its first letter.
            new = transfer_case(tok.text if keep_case else tok.text[0], reading)
            capitals = tok.text.isupper() and sum(ch.isalpha() for ch in tok.text) > 1
            if start is not None and not capitals:
                new = _ocr_case(tok.text, reading, start)
            elif (
                capitals and reading != tok.text.lower() and not (only_marks and _marked(tok.text))
            ):
                # `BO` read by an English model is `Bộ`; an acronym (`HĐND`) stays in capitals
                # and capitals carrying marks in good OCR are a word in capitals (`KÉẺ` KẾ)
                acro = reading in self.channel.acronym_spellings
                caps = slot.heading or acro or (start is None and _marked(tok.text))
                new = reading.upper() if caps else reading.capitalize()
            if new != tok.text and p < floor:
                new, p = tok.text, 1.0 - p
        else:
            new, p = tok.text, 1.0
        if self.tone_style:
            new = _normalize(new, self.tone_style)
        if new == tok.text:
            return None
        return Change(line, tok.start, tok.end, tok.text, new, round(p, 4))


_SENTENCE_END = frozenset(".:!?")


def _sentence_starts(slots: list[Slot], opens: bool) -> list[bool]:
    """Per token: does it open a sentence (first word after `.`, `:`, a list marker `a)`...)?"""
    out = []
    for slot in slots:
        out.append(opens)
        text = slot.token.text
        if slot.token.kind == "punct":
            opens = opens or text in _SENTENCE_END or text == ")"
        elif slot.token.kind != "num":
            opens = False
    return out


def _ocr_case(token: str, reading: str, start: bool) -> str:
    """Case of a legacy-OCR word: capitals inside a word are misread marks (`dOng` for động),
    and a capital first letter that is not the reading's letter is a look-alike (`Ia` for là,
    `Géng` for động), so that word is capitalised only where a sentence starts."""
    first = token[0]
    same_letter = _strip(first).lower() == _strip(reading[0])
    capital = first.isupper() if same_letter else start and first.isupper()
    return reading[:1].upper() + reading[1:] if capital else reading


_ACRONYM = re.compile(r"^[A-ZĐ][A-ZĐ]+[a-z]?$|^[A-ZĐ][a-z]?[A-ZĐ]+$")


def _is_acronym(word: str) -> bool:
    """`UBND`, `SIM`, `TTg`, `HĐND`, `NĐ`, `ThS`; not OCR debris such as `huGn` or `DGi`."""
    return bool(_ACRONYM.match(word))


def _marked(word: str) -> bool:
    """Marks other than the Đ stroke: an acronym (`HĐND`) carries none."""
    plain = word.replace("Đ", "D").replace("đ", "d")
    return _strip(plain) != plain


def _plausible(word: str) -> bool:
    low = word.lower()
    return is_syllable_key(low) or is_vietnamese_syllable(low)


def _is_heading(tokens: list[Token]) -> bool:
    """Words in capitals are words, not acronyms, when capitals make half the line and at least
    two of them could be syllables (`KE HOACH`, `UBND TINH KIEN GIANG`); `SIM` or `UBND` in a
    mixed-case line stays an acronym."""
    words = [t.text for t in tokens if t.kind == "word"]
    caps = [w for w in words if len(w) > 1 and w.isupper()]
    return sum(1 for w in caps if _plausible(w)) >= 2 and len(caps) >= 0.5 * len(words)


def _item_dashes(
    lines: list[list[Token]], texts: list[str]
) -> tuple[list[list[Token]], list[Change]]:
    """Legacy OCR: each line's misread item dash (`~`, `—`, see `item_dash`) as a change, its
    tokens made punctuation so the decoder does not read the tilde as a letter."""
    out, changes = [], []
    for i, (tokens, text) in enumerate(zip(lines, texts, strict=True)):
        found = item_dash(text)
        if found is None:
            out.append(tokens)
            continue
        a, b, new = found
        changes.append(Change(i, a, b, text[a:b], new, 1.0))
        out.append([piece for t in tokens for piece in _cut_at(t, b)])
    return out, changes


def _cut_at(tok: Token, at: int) -> list[Token]:
    """`tok` as punctuation up to offset `at`, and what follows it as a token of its own
    (`~—Cac`: the dash, then the word)."""
    if tok.end <= at:
        return [Token(tok.text, tok.start, tok.end, "punct")]
    if tok.start >= at:
        return [tok]
    cut = at - tok.start
    rest = tok.text[cut:]
    return [
        Token(tok.text[:cut], tok.start, at, "punct"),
        Token(rest, at, tok.end, core_kind(rest)),
    ]


def _capital_runs(tokens: list[Token]) -> set[int]:
    """Positions of words in capitals set side by side (`CONG AN TINH LAM DONG` before the
    motto `Độc lập - Tự do - Hạnh phúc` on one OCR line): a header block's agency name,
    printed in capitals (Nghị định 30/2020, Phụ lục I), beside mixed-case text. A run is two or
    more such words with nothing between them, two of which could be syllables; a lone
    capital word (`BO truong`, Bộ) is left to the look-alike rules."""
    out: set[int] = set()
    run: list[int] = []
    for k, tok in enumerate([*tokens, Token("", 0, 0, "punct")]):
        if tok.kind == "word" and len(tok.text) > 1 and tok.text.isupper():
            run.append(k)
            continue
        if len(run) >= 2 and sum(_plausible(tokens[j].text) for j in run) >= 2:
            out.update(run)
        run = []
    return out


def _with_context(
    slots: list[list[Slot]], i: int, a: int, b: int, width: int
) -> tuple[list[Slot], int, int]:
    """Slots of piece (i, a, b) with up to `width` slots of the lines before and after it, and
    where the piece's own slots start and end. A wrapped line's first word follows the last
    words of the line above, and its last word is followed by the next line, not by </s>; an
    empty line (a paragraph break) gives no context."""
    own = slots[i][a:b]
    left = slots[i - 1][-width:] if width and a == 0 and i > 0 else []
    right = slots[i + 1][:width] if width and b == len(slots[i]) and i + 1 < len(slots) else []
    return left + own + right, len(left), len(left) + len(own)


MAX_SEGMENT = 240  # positions decoded together; longer lines are cut after punctuation


def _segments(slots: list[Slot]) -> list[tuple[int, int]]:
    """Cut a very long line (a paragraph without breaks) into pieces ending at punctuation, so
    lock-step decoding is not held up by one line; short lines are one piece."""
    if len(slots) <= MAX_SEGMENT:
        return [(0, len(slots))]
    out, start = [], 0
    for k, slot in enumerate(slots):
        long_enough = k + 1 - start >= MAX_SEGMENT // 2
        at_stop = slot.token.kind == "punct" and slot.token.text in ".;:,!?"
        if (long_enough and at_stop) or k + 1 - start >= MAX_SEGMENT:
            out.append((start, k + 1))
            start = k + 1
    if start < len(slots):
        out.append((start, len(slots)))
    return out


def _is_latin(text: str) -> bool:
    """Latin script (Vietnamese included) or OCR debris; not CJK, Cyrillic, Greek..."""
    return all(ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF or not c.isalpha() for c in text)


_LETTERS = "abcdđeghiklmnopqrstuvxy"  # the order of list items: a) b) c) d) đ) e) g) ...


def _list_marker(slots: list[Slot], chosen: np.ndarray, previous: str) -> str:
    """Legal lists run a) b) c) d) đ) e): a stripped `d)` after `d)` is `đ)`, after `c)` is `d)`.

    The language model cannot tell, since each line is decoded alone; the previous marker can.
    Fixes `chosen` in place and returns this line's marker ('' when it has none).
    """
    if len(slots) < 2 or slots[1].token.text != ")" or len(slots[0].token.text) != 1:
        return previous
    first = slots[0]
    letter = first.token.text.lower()
    if first.readings and letter == "d" and previous in ("c", "d"):
        want = "d" if previous == "c" else "đ"
        for k, (reading, _) in enumerate(first.readings):
            if reading == want:
                chosen[0] = k
    if first.readings:
        letter = first.readings[int(chosen[0])][0]
    return letter if letter in _LETTERS else previous


def _apply(lines: list[str], changes: list[Change]) -> str:
    out = list(lines)
    for ch in sorted(changes, key=lambda c: (c.line, -c.start)):
        s = out[ch.line]
        out[ch.line] = s[: ch.start] + ch.replacement + s[ch.end :]
    return "\n".join(out)
