"""Smoke run of the OCR benchmark code: page set, truth, scoring and the printed table."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `bench/` is not an installed package
from bench import bench_ocr as bo  # noqa: E402
from pipeline.metrics import ErrorCounts, cer, page_errors, wer  # noqa: E402

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.skipif(not bo.PLANS.exists(), reason="shared plans not available")


def test_page_errors_ignore_reading_order_but_charge_lost_and_invented_text() -> None:
    truth = ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 12/KH-UBND"]
    assert page_errors(truth, truth[::-1]).char_errors == 0
    merged = ["ỦY BAN NHÂN DÂN   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 12/KH-UBND"]
    assert page_errors(truth, merged).char_errors == 0
    lost = page_errors(truth, truth[:2])
    assert lost.char_errors == len("Số: 12/KH-UBND") and lost.word_errors == 2
    assert page_errors(truth, [*truth, "@@@"]).char_errors == 3


def test_plain_rates_and_pooling() -> None:
    assert cer("abc", "abd") == pytest.approx(1 / 3)
    assert wer("một hai ba", "một hai") == pytest.approx(1 / 3)
    total = ErrorCounts(1, 10, 1, 2) + ErrorCounts(1, 30, 0, 6)
    assert total.cer == pytest.approx(2 / 40) and total.wer == pytest.approx(1 / 8)


def test_recurring_phrases_do_not_make_a_line_steal_another_lines_text() -> None:
    # a real reading of a page that prints "Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024"
    # three times, cut at different places; matched longest line first only, lines claimed
    # each other's spans and 91 edits were counted where about 30 were made
    page = json.loads((DATA / "recurring_phrases_page.json").read_text(encoding="utf-8"))
    errors = page_errors(page["truth"], page["ocr"])
    assert errors.chars == 1835
    assert errors.char_errors <= 35


def test_every_kind_degrades_a_rendered_page_and_truth_covers_table_cells() -> None:
    (src, page_no), *_ = bo.pick_pages(1)
    page = bo._rendered(src)[page_no]
    truth = bo.synthetic_truth(page)
    assert truth and all(isinstance(t, str) for t in truth)
    for kind, fn in bo.KINDS.items():
        img = fn(page, np.random.default_rng(0))
        assert img.dtype == np.uint8 and img.ndim == 3, kind


def test_a_table_page_is_scored_fairly_whether_cells_are_read_whole_or_line_by_line() -> None:
    src = next(s for s, _ in bo.pick_pages(3))
    page = next(p for p in bo._rendered(src) if p.table_cells)
    cuts = bo.page_truths(page)
    assert len(cuts) == 2
    by_line, whole = cuts
    assert bo.best_errors(cuts, whole).char_errors == 0  # a reader keeping each cell's text
    assert bo.best_errors(cuts, by_line[::-1]).char_errors == 0  # raw, line by line
    dropped = [t for t in whole if t != max(whole, key=len)]
    assert bo.best_errors(cuts, dropped).char_errors > 0  # a lost cell is still charged


def test_fake_engine_run_prints_a_table_with_review_and_seal_lines() -> None:
    (src, page_no), *_ = bo.pick_pages(1)
    result = bo.run_case(bo.Case("clean", src, page_no, seed=1), engine_name="fake")
    assert result.pipe.chars > 0 and result.pipe.cer == 1.0  # the fake engine reads nothing
    out = bo.table([result])
    assert "clean" in out and "ALL" in out
    assert "needs_review" in bo.review_report([result])
    assert "seal detection" in bo.seal_report([result])
