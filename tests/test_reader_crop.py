"""The page-level OCR call sees only the printed area; words come back in page coordinates."""

from __future__ import annotations

import numpy as np

from pipeline.config import Settings
from pipeline.ocr import OcrWord
from pipeline.preprocess.border import content_box
from pipeline.reader import read_page_image
from pipeline.types import Box


class RecordingEngine:
    """Reads one word at the top-left of whatever image it is given, and notes the image size."""

    name = "recording"

    def __init__(self) -> None:
        self.shapes: list[tuple[int, ...]] = []

    def read(self, image: np.ndarray, *, lang: str, timeout_s: float, psm: int | None = None):  # noqa: ANN201
        self.shapes.append(image.shape)
        return [OcrWord("Kế", Box(x0=5, y0=7, x1=60, y1=40), 96.0, 1, 1, 1)]


def page_with_text_block() -> np.ndarray:
    """A 1200x850 white page whose only ink is a block of "lines" in the middle."""
    page = np.full((1200, 850), 255, np.uint8)
    for y in range(400, 700, 40):  # bands tall enough not to be upscaled
        page[y : y + 20, 200:650] = 0
    return page


def test_content_box_covers_the_ink_with_a_margin_and_ignores_dust() -> None:
    page = page_with_text_block()
    page[20, 20] = 0  # a speck of dust in the corner
    x0, y0, x1, y1 = content_box(page)
    assert x0 < 200 and x1 > 650 and y0 < 400 and y1 > 700
    assert x0 > 150 and y0 > 350  # the speck did not stretch it


def test_full_page_content_is_not_cropped() -> None:
    page = np.full((400, 300), 255, np.uint8)
    page[5:395:20, 5:295] = 0
    assert content_box(page) is None


def test_ocr_sees_the_printed_area_and_words_land_in_page_coordinates() -> None:
    engine = RecordingEngine()
    page = read_page_image(page_with_text_block(), 1, 300, Settings(), engine)
    assert (page.width, page.height) == (850, 1200)  # the clean-up kept the page as it was
    x0, y0, _, _ = content_box(page_with_text_block())
    assert engine.shapes[0][0] < 1200 * 0.6  # the margins were not sent to the OCR
    (word,) = [w for line in page.lines for w in line.words]
    assert (word.box.x0, word.box.y0) == (5 + x0, 7 + y0)
