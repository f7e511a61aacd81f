"""A blank page (the back of a one-sided original in a duplex scan) is recognised after the
clean-up and never handed to Tesseract, which would read the paper's grain (issue 13)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline.config import Settings
from pipeline.ocr import OcrWord
from pipeline.preprocess.blank import blank_page
from pipeline.reader import read_page_image
from pipeline.types import Box

REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs"


class CountingEngine:
    name = "counting"

    def __init__(self) -> None:
        self.calls = 0

    def read(self, image: np.ndarray, *, lang: str, timeout_s: float, psm: int | None = None):  # noqa: ANN201
        self.calls += 1
        return [OcrWord("Trang", Box(x0=5, y0=7, x1=90, y1=40), 96.0, 1, 1, 1)]


def grainy_paper(seed: int = 3) -> np.ndarray:
    """A4 at 300 dpi: off-white paper with the grain and tint of a real scan."""
    rng = np.random.default_rng(seed)
    paper = rng.normal(236, 5, (3508, 2480)).clip(0, 255).astype(np.uint8)
    return cv2.GaussianBlur(paper, (5, 5), 0)


def with_word(page: np.ndarray, text: str = "Trang") -> np.ndarray:
    out = page.copy()
    cv2.putText(out, text, (1100, 3300), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 30, 3)
    return out


def test_grainy_paper_is_blank_and_a_lone_word_is_not():
    assert blank_page(grainy_paper()).applied
    assert not blank_page(with_word(grainy_paper())).applied


def test_a_dark_page_is_never_called_blank():
    photo = np.full((1000, 700), 60, np.uint8)  # a photograph or an inverted scan
    assert not blank_page(photo).applied


def test_a_blank_page_is_not_read_and_says_so():
    engine = CountingEngine()
    page = read_page_image(grainy_paper(), 2, 300, Settings(), engine)
    assert engine.calls == 0
    assert page.lines == [] and page.warnings == ["blank page: no text found"]
    assert any(s.stage == "blank" and s.applied for s in page.stages)


def test_a_page_with_one_word_is_read():
    engine = CountingEngine()
    page = read_page_image(with_word(grainy_paper()), 2, 300, Settings(), engine)
    assert engine.calls >= 1 and page.lines


@pytest.mark.skipif(not REALDOCS.is_dir(), reason="needs ../shared/realdocs")
def test_the_blank_backs_of_a_real_duplex_scan_are_blank_and_its_faint_page_is_not():
    from pipeline.ingest import load_page_image, open_input
    from pipeline.preprocess import clean_page, is_blank

    doc = open_input(REALDOCS / "pdfs" / "BCA_KH-589_8p.pdf")  # pages 2, 4, 6, 8: blank backs
    for number, blank in ((2, True), (8, True), (7, False)):  # 7: a faint, low-contrast copy
        image = load_page_image(doc, number, Settings(dpi=150)).image
        _, logs = clean_page(image)
        assert is_blank(logs) is blank, number
