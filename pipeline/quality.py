"""Page-level reading quality from word confidences, and the honest `needs_review` flag.

The two confidence cuts (`Settings.review_mean_conf`, `review_low_share`) were chosen on the OCR
benchmark's calibration set (`python -m bench.bench_ocr --dev`), not on the set it is reported on.
Confidence alone misses confident garbage (seal rings and noise read as letters), so the flag
also looks at how much of the page reads as Vietnamese syllables (`textnorm.vietnamese_share`).
"""

from __future__ import annotations

from .config import Settings
from .textnorm import vietnamese_share
from .types import Line, PageQuality, Table

MIN_SYLLABLE_SHARE = 0.8  # real Vietnamese prose scores above ~0.9 (textnorm.vietnamese_share)
MIN_WORDS_FOR_SHARE = 30  # a few words (a cover page, a stamp) say too little to judge


def cell_confidences(tables: list[Table]) -> list[float]:
    """A table cell keeps one confidence for its text (cells are read in one stacked call): each
    of its words counts with it, so a page read through its cells is not scored 100 (issue 15)."""
    return [c.conf for t in tables for c in t.cells for _ in c.text.split()]


def page_quality(
    lines: list[Line], settings: Settings, tables: list[Table] | None = None
) -> PageQuality:
    confs = [w.conf for line in lines for w in line.words] + cell_confidences(tables or [])
    if not confs:
        return PageQuality()
    mean = sum(confs) / len(confs)
    low = sum(c < settings.low_conf for c in confs) / len(confs)
    reasons = []
    if mean < settings.review_mean_conf:
        reasons.append(f"mean word confidence {mean:.1f} < {settings.review_mean_conf:g}")
    if low > settings.review_low_share:
        reasons.append(f"{low:.1%} of words under confidence {settings.low_conf:g}")
    if len(confs) >= MIN_WORDS_FOR_SHARE:
        share, _ = vietnamese_share(" ".join(line.text for line in lines))
        if share < MIN_SYLLABLE_SHARE:
            reasons.append(f"only {share:.0%} of the words are Vietnamese syllables")
    return PageQuality(
        mean_conf=round(mean, 2),
        low_conf_share=round(low, 4),
        needs_review=bool(reasons),
        review_reasons=reasons,
    )
