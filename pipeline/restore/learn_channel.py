"""Learn the OCR channels from the project's own renders of corpus text.

`eng` channel: clean-ish renders read with Tesseract's English model, as legacy OCR was made.
`vie` channel: degraded renders (downsampled, blurred, speckled) read with the Vietnamese model.
Each page's output is aligned with the truth; counts of (OCR token, true syllable) become
P(OCR token | syllable), the channel of the noisy-channel decoder.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from multiprocessing import Pool
from typing import Any

import numpy as np

from pipeline.restore.align import align_page, edit_distance
from pipeline.restore.glyphs import learn_glyphs
from pipeline.restore.render import FONTS, degrade, ocr, render_page, wrap
from pipeline.restore.syllables import normalize_tone, syllable_key
from pipeline.textnorm import is_vietnamese_syllable

PAGE_LINES = 20


def make_pages(paragraphs: list[str], n_pages: int, seed: int) -> list[list[str]]:
    """`n_pages` pages of wrapped lines from randomly drawn paragraphs."""
    rng = random.Random(seed)
    pages = []
    for _ in range(n_pages):
        lines: list[str] = []
        while len(lines) < PAGE_LINES:
            lines.extend(wrap(rng.choice(paragraphs)))
        pages.append(lines[:PAGE_LINES])
    return pages


def _read_page(job: tuple[list[str], str, int]) -> str:
    """Render one page the way `lang` OCR meets it, and OCR it (runs in a worker process)."""
    lines, lang, seed = job
    rng = np.random.default_rng(seed)
    if lang == "eng":
        img = render_page(
            lines, size=int(rng.integers(28, 52)), font=FONTS[int(rng.integers(0, 3))]
        )
        if rng.random() < 0.5:
            img = degrade(img, rng, float(rng.uniform(0.75, 1.0)))
    else:
        img = degrade(render_page(lines, size=36), rng, float(rng.uniform(0.45, 0.8)))
    return ocr(img, lang)


def read_pages(pages: list[list[str]], lang: str, seed: int, workers: int = 2) -> list[str]:
    jobs = [(p, lang, seed * 100_003 + i) for i, p in enumerate(pages)]
    if workers <= 1:
        return [_read_page(j) for j in jobs]
    with Pool(workers) as pool:
        return pool.map(_read_page, jobs, chunksize=1)


def aligned_pairs(pages: list[list[str]], texts: list[str]) -> list[tuple[str, str]]:
    """(OCR token lower-cased, true syllable lower-cased, old tone style) for syllable truths."""
    out = []
    for lines, text in zip(pages, texts, strict=True):
        for o, t in align_page(text, lines):
            low = normalize_tone(t.lower())
            if is_vietnamese_syllable(low) or (len(low) == 1 and low.isalpha()):
                out.append((normalize_tone(o.lower()), low))
    return out


def channel_table(pairs: Iterable[tuple[str, str]], min_count: int = 1) -> dict[str, list]:
    """OCR token -> [(syllable, log P(token | syllable))], most likely first."""
    joint = Counter(pairs)
    per_truth: Counter[str] = Counter()
    for (_, t), n in joint.items():
        per_truth[t] += n
    table: dict[str, list] = defaultdict(list)
    for (o, t), n in joint.items():
        if n >= min_count:
            table[o].append((t, round(math.log(n / per_truth[t]), 3)))
    return {o: sorted(v, key=lambda x: -x[1]) for o, v in sorted(table.items())}


def char_map(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """For each non-letter OCR character, the letter it most often stands for (`6` -> `o`)."""
    from pipeline.restore.align import char_pairs

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for o, t in pairs:
        if len(o) == len(t) or not o.isalpha():
            for a, b in char_pairs(o, syllable_key(t)):
                if a and not a.isalpha() and b:
                    counts[a][b] += 1
    return {a: c.most_common(1)[0][0] for a, c in sorted(counts.items()) if sum(c.values()) >= 3}


def vie_confusions(pairs: list[tuple[str, str]], prior: float = 20.0) -> tuple[dict, float, float]:
    """vie OCR channel: smoothed P(read | syllable) for the pairs seen, the rate a syllable is read
    right (the prior for syllables never seen), and the floor for unseen diacritic variants.

    Each syllable's counts are blended with `prior` pseudo-readings at the global rates, so a
    syllable seen twice cannot claim it is misread half the time.
    """
    near = [(o, t) for o, t in pairs if is_vietnamese_syllable(o) and edit_distance(o, t) <= 2]
    same = [(o, t) for o, t in near if syllable_key(o) == syllable_key(t)]
    keep = sum(1 for o, t in same if o == t) / max(len(same), 1)
    slip = (1 - keep) / 8  # spread over the ~8 diacritic variants of a key
    joint = Counter(near)
    per_truth: Counter[str] = Counter()
    for (_, t), n in joint.items():
        per_truth[t] += n
    table: dict[str, list] = defaultdict(list)
    for (o, t), n in joint.items():
        base = keep if o == t else slip
        p = (n + prior * base) / (per_truth[t] + prior)
        table[o].append((t, round(math.log(p), 3)))
    out = {o: sorted(v, key=lambda x: -x[1]) for o, v in sorted(table.items())}
    return out, math.log(keep), math.log(max(slip, 1e-5))


def learn_channels(channel: Any, paragraphs: list[str], cfg: Any, log: dict) -> None:  # noqa: ANN401
    """Fill `channel.ocr_table` and `channel.glyph_emit` (eng) and `channel.vie_confusion` (vie)
    in place."""
    n_eng = cfg.ocr_pages if cfg.eng_ocr_pages is None else cfg.eng_ocr_pages
    eng_pages = make_pages(paragraphs, n_eng, cfg.seed)
    eng_pairs = aligned_pairs(eng_pages, read_pages(eng_pages, "eng", cfg.seed))
    channel.ocr_table = channel_table(eng_pairs)
    channel.char_map = char_map(eng_pairs)
    channel.glyph_emit = learn_glyphs(eng_pairs)
    vie_pages = make_pages(paragraphs, cfg.ocr_pages, cfg.seed + 1)
    vie_pairs = aligned_pairs(vie_pages, read_pages(vie_pages, "vie", cfg.seed + 1))
    channel.vie_confusion, channel.vie_keep_logp, channel.vie_other_logp = vie_confusions(vie_pairs)
    keep = round(math.exp(channel.vie_keep_logp), 4)
    log.update(eng_pairs=len(eng_pairs), vie_pairs=len(vie_pairs), vie_keep_rate=keep)
