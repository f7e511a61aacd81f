"""Specks of dust read as punctuation are dropped; real punctuation and words stay."""

from __future__ import annotations

from pipeline.ocr import OcrWord
from pipeline.specks import drop_specks
from pipeline.types import Box


def word(text: str, x: int, w: int, h: int) -> OcrWord:
    return OcrWord(text, Box(x0=x, y0=100, x1=x + w, y1=100 + h), 90.0, 1, 1, 1)


LINE = [word(t, 100 * i, 80, 40) for i, t in enumerate(["Nơi", "nhận:", "Bộ", "Nội", "vụ;"])]


def test_dust_read_as_punctuation_is_dropped() -> None:
    specks = [word(":", 900, 3, 3), word("_", 950, 2, 2), word("`", 990, 4, 3)]
    assert drop_specks(LINE + specks) == LINE


def test_bullets_colons_and_short_words_stay() -> None:
    kept = [
        word("-", 900, 12, 4),
        word(":", 950, 4, 20),
        word("a", 990, 6, 8),
        word("1", 1000, 5, 5),
    ]
    assert drop_specks(LINE + kept) == LINE + kept


def test_too_few_words_to_judge_keeps_everything() -> None:
    few = [word("Số", 0, 60, 40), word(".", 100, 3, 3)]
    assert drop_specks(few) == few
