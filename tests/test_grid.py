"""Ruled tables: cells found from ruling lines, merged cells as spans, words dropped into cells."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.grid import erase_rules, find_grids
from pipeline.layout import build_lines
from pipeline.ocr import OcrWord
from pipeline.types import Box

XS = [
    200,
    330,
    1100,
    1500,
    1900,
    2200,
]  # 5 columns: STT | Nội dung | Chủ trì | Phối hợp | Thời gian
YS = [1000, 1100, 1400, 1700]  # header row + 2 rows


def ruled_page(merge_row2_cols_2_3: bool = False) -> np.ndarray:
    page = np.full((3508, 2480), 255, np.uint8)
    for y in YS:
        cv2.line(page, (XS[0], y), (XS[-1], y), 0, 3)
    for i, x in enumerate(XS):
        for r in range(len(YS) - 1):
            if merge_row2_cols_2_3 and i == 3 and r == 2:
                continue  # no rule between chủ trì and phối hợp on the last row
            cv2.line(page, (x, YS[r]), (x, YS[r + 1]), 0, 3)
    cv2.putText(page, "Noi dung", (400, 1060), cv2.FONT_HERSHEY_SIMPLEX, 1.5, 0, 3)
    return page


def test_fully_ruled_table_gives_its_cell_grid():
    (grid,) = find_grids(ruled_page())
    assert len(grid.rows) == len(YS) and len(grid.cols) == len(XS)
    assert all(abs(a - b) <= 3 for a, b in zip(grid.cols, XS, strict=True))
    assert len(grid.cells) == (len(YS) - 1) * (len(XS) - 1)


def test_page_edge_framing_a_table_is_not_taken_for_its_rules():
    # a phone photo's crop leaves the paper's edge as lines along the top and both sides, around
    # (not touching) the table: it must not become a second grid that reads every cell again
    page = ruled_page()
    h, w = page.shape
    cv2.line(page, (10, 10), (w - 60, 10), 0, 4)
    cv2.line(page, (10, 10), (10, 1900), 0, 4)
    cv2.line(page, (w - 60, 10), (w - 60, 1900), 0, 4)
    (grid,) = find_grids(page)
    assert len(grid.rows) == len(YS) and len(grid.cols) == len(XS)


def test_missing_rule_becomes_a_column_span():
    (grid,) = find_grids(ruled_page(merge_row2_cols_2_3=True))
    merged = [c for c in grid.cells if c.col_span > 1]
    assert len(merged) == 1
    assert (merged[0].row, merged[0].col, merged[0].col_span) == (2, 2, 2)


def test_text_without_rules_has_no_table():
    page = np.full((1200, 1000), 255, np.uint8)
    for i in range(10):
        cv2.putText(page, "Ke hoach so 357", (50, 80 + 90 * i), cv2.FONT_HERSHEY_SIMPLEX, 1.5, 0, 3)
    assert find_grids(page) == []


def test_erasing_rules_keeps_text_ink():
    page = ruled_page()
    clean = erase_rules(page)
    assert clean[YS[1], 700] == 255  # a rule pixel is gone
    assert (clean[1020:1070, 400:560] < 128).sum() > 200  # the header text is still there


def test_words_fall_into_their_cells_and_rows_become_tab_lines():
    (grid,) = find_grids(ruled_page())

    def word(text: str, x: int, y: int) -> OcrWord:
        return OcrWord(text, Box(x0=x, y0=y, x1=x + 20 * len(text), y1=y + 40), 90.0, 1, 1, 0)

    words = [
        word("1", 250, 1200),
        word("Rà", 400, 1150),
        word("soát", 480, 1150),
        word("Sở", 1150, 1200),
        word("TTTT", 1220, 1200),
        word("Hàng", 1950, 1200),
        word("năm", 2050, 1200),
    ]
    lines, (table,) = build_lines(words, [grid], 2480, 3508)
    assert table.rows()[1][:5] == ["1", "Rà soát", "Sở TTTT", "", "Hàng năm"]
    assert [line.region for line in lines] == ["table"] * 3
    assert lines[1].text == "1\tRà soát\tSở TTTT\t\tHàng năm"
    assert table.first_line == 0


def _qualifying_components(both: np.ndarray) -> int:
    """Components of a rule mask as big as `find_grids` needs (its own size filter)."""
    h, w = both.shape
    _, _, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    return sum(1 for x, y, bw, bh, _ in stats[1:] if bw >= w * 0.3 and bh >= h * 0.03)


def test_the_pooled_precheck_never_turns_away_a_component_big_enough_for_a_grid():
    from pipeline.grid import _may_hold_a_grid

    rng = np.random.default_rng(7)
    seen = {True: 0, False: 0}
    for _ in range(300):
        h, w = int(rng.integers(301, 900)), int(rng.integers(301, 700))
        both = np.zeros((h, w), np.uint8)
        for _ in range(int(rng.integers(1, 9))):  # rule pieces: thick bands, as dilated rules are
            if rng.random() < 0.5:
                y, x = int(rng.integers(0, h)), int(rng.integers(0, w))
                both[y : y + 3, x : x + int(rng.integers(5, w))] = 255
            else:
                y, x = int(rng.integers(0, h)), int(rng.integers(0, w))
                both[y : y + int(rng.integers(5, h // 8)), x : x + 3] = 255
        big = _qualifying_components(both) > 0
        seen[big] += 1
        if big:
            assert _may_hold_a_grid(both)
    assert seen[True] > 20 and seen[False] > 20  # both cases were tried


def test_a_page_of_prose_is_turned_away_before_labelling_and_a_table_is_not():
    from pipeline.grid import _may_hold_a_grid, ruling_masks

    prose = np.full((1400, 1000), 255, np.uint8)
    for y in range(100, 1300, 40):
        cv2.putText(prose, "Uy ban nhan dan tinh", (80, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    cv2.line(prose, (300, 60), (560, 60), 0, 2)  # the motto's underline
    h, v = ruling_masks(prose)
    assert not _may_hold_a_grid(cv2.bitwise_or(h, v))
    h, v = ruling_masks(ruled_page())
    assert _may_hold_a_grid(cv2.bitwise_or(h, v))
