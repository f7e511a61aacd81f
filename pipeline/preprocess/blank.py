"""Blank pages: the backs of one-sided originals in a duplex scan, and empty separator sheets.

An archive's volume scanned two-sided is up to half blank backs. Tesseract binarises such a page
by Otsu, which turns the paper's grain into thousands of specks, and reads them: a blank back of
a real scanned plan cost the reader ~1.8 CPU s (its grain turned, levelled, zones re-read)
against ~1.3 s for a page of text, and gave junk words (raw Tesseract: 0.6 s). After the
clean-up has whitened the scanner's edges and flattened the light, a blank page has almost no
pixel far darker than its paper; any printing has many. Measured on real pages (the scanned
PDFs of ../shared/realdocs at 150 and 300 dpi): the four blank backs of a duplex-scanned plan
have 0.6-1.4 pixels in 100,000 more than 64 grey levels under the paper, the faintest pages
with printing (a low-contrast copy, a nearly empty last page) 850-2,300, and a lone short word
on an A4 page about 13. The cut, 5 in 100,000, keeps any page with a word on it; a page with
nothing but a page number may count as blank.
"""

from __future__ import annotations

import numpy as np

from ..grid import paper_level
from ..types import StageLog

INK_STEP = 64  # grey levels under the paper a pixel must be to count as ink
BLANK_SHARE = 5e-5  # of the page's pixels: fewer ink pixels than this is a blank page
DARKEST_PAPER = 128  # a page whose paper is darker than this is a photo or inverted: not judged


def blank_page(gray: np.ndarray) -> StageLog:
    """`applied` when the page holds no printing, with the share of ink pixels it has."""
    paper = paper_level(gray)
    share = float(np.count_nonzero(gray < paper - INK_STEP)) / gray.size
    blank = paper >= DARKEST_PAPER and share < BLANK_SHARE
    return StageLog(stage="blank", applied=blank, detail={"ink_share": round(share, 7)})
