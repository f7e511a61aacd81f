"""Page-level reading quality from word confidences, and the honest `needs_review` flag."""

from __future__ import annotations

from .config import Settings
from .types import Line, PageQuality


def page_quality(lines: list[Line], settings: Settings) -> PageQuality:
    confs = [w.conf for line in lines for w in line.words]
    if not confs:
        return PageQuality()
    mean = sum(confs) / len(confs)
    low = sum(c < settings.low_conf for c in confs) / len(confs)
    review = mean < settings.review_mean_conf or low > settings.review_low_share
    return PageQuality(mean_conf=round(mean, 2), low_conf_share=round(low, 4), needs_review=review)
