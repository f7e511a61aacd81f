"""Table areas are blanked for the page-level OCR pass without changing the paper's tone."""

from __future__ import annotations

import numpy as np

from pipeline.cells import blank_tables
from pipeline.grid import erase_rules, find_grids


def grey_copy_with_table() -> np.ndarray:
    """A grey (200) photocopy with a line of text above a ruled 2x3 table."""
    page = np.full((900, 700), 200, np.uint8)
    page[100:120, 100:600:14] = 30  # a row of "letters" above the table
    for y in (300, 420, 540):
        page[y : y + 3, 80:620] = 20
    for x in (80, 300, 617):
        page[300:543, x : x + 3] = 20
    for x in range(120, 260, 14):  # text in a cell: letter-sized blobs
        page[350:362, x : x + 7] = 30
    return page


def test_blanked_table_takes_the_paper_tone_not_white() -> None:
    page = grey_copy_with_table()
    grids = find_grids(page)
    assert len(grids) == 1
    out = blank_tables(page, grids)
    b = grids[0].box
    assert abs(int(np.median(out[b.y0 : b.y1 + 1, b.x0 : b.x1 + 1])) - 200) <= 2
    assert (out[100:120, 100:600:14] == 30).all()  # text outside the table kept


def test_erased_rules_take_the_paper_tone() -> None:
    page = grey_copy_with_table()
    out = erase_rules(page)
    assert out[301, 200] == 200 and out[400, 81] == 200
    assert (out[350:362, 120:127] == 30).all()  # cell text kept
