"""A black seal on a 1-bit copy is found by its ring and painted out, and the signer block it hid
from Tesseract is read again (issue 11; fixture: realdocs S08's signer block, a dev page)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline.ocr import OcrWord, TesseractEngine
from pipeline.preprocess.rings import Ring, erase_seal, find_dark_seals
from pipeline.types import Box
from pipeline.zones import SEAL_BLOCK_ID, reread_seal_zones

BLOCK = Path(__file__).parent / "data" / "seals" / "S08_signer_block.png"
AT = (850, 1700)  # where the block was cut from the 1670 x 2356 page (200 dpi)
SEAL = (1078, 1940, 167)  # its seal as measured on the whole page


def s08_page() -> np.ndarray:
    """The signer block back on a blank page of the scan's size, so millimetres measure right."""
    page = np.full((2356, 1670), 255, np.uint8)
    block = cv2.imread(str(BLOCK), cv2.IMREAD_GRAYSCALE)
    x, y = AT
    page[y : y + block.shape[0], x : x + block.shape[1]] = block
    return page


def text_page() -> np.ndarray:
    """Lines of print and a ruled box, no seal."""
    page = np.full((2356, 1670), 255, np.uint8)
    for k in range(40):
        cv2.putText(page, "Dieu 1. Giao cac Bo, nganh", (200, 200 + 50 * k), 0, 1.2, 0, 3)
    cv2.rectangle(page, (900, 300), (1400, 800), 0, 4)
    return page


def test_black_seal_on_a_1bit_copy_is_found_by_its_ring() -> None:
    [ring] = find_dark_seals(s08_page())
    x, y, r = SEAL
    assert abs(ring.x - x) <= 6 and abs(ring.y - y) <= 6 and abs(ring.radius - r) <= 6


def test_print_and_boxes_are_no_seal() -> None:
    assert find_dark_seals(text_page()) == []


def test_erased_seal_leaves_paper_in_its_disc_and_the_print_beside_it() -> None:
    page = s08_page()
    ring = find_dark_seals(page)[0]
    out = erase_seal(page, ring)
    disc = np.zeros(page.shape, np.uint8)
    cv2.circle(disc, (ring.x, ring.y), ring.radius, 1, thickness=-1)
    assert (out[disc == 1] == 255).all()
    name = (slice(2066, 2112), slice(1218, 1420))  # `Minh Hưng`, right of the ring
    assert np.array_equal(out[name], page[name])


class BlockReader:
    """Reads the signer block as Tesseract does once the seal is gone, and notes its calls."""

    name = "block-reader"

    def __init__(self, words: list[OcrWord]) -> None:
        self.words, self.calls = words, []

    def read(self, image: np.ndarray, *, lang: str, timeout_s: float, psm: int | None = None):  # noqa: ANN201
        self.calls.append((image.shape, psm))
        return self.words


def word(text: str, x: int, y: int) -> OcrWord:
    return OcrWord(text, Box(x0=x, y0=y, x1=x + 30 * len(text), y1=y + 30), 90.0, 1, 1, 1)


def test_signer_block_is_read_again_and_only_new_words_are_added() -> None:
    page = s08_page()
    ring = find_dark_seals(page)[0]
    x0 = int(ring.x - 1.2 * ring.radius)
    y0 = int(ring.y - 2.0 * ring.radius)
    first = [word("nhận:", 300, 1800)]
    engine = BlockReader(
        [word("Minh", 1240 - x0, 2070 - y0), word("Z⁄2⁄_———", 1240 - x0, 1870 - y0)]
        + [word("nhận:", 300 - x0, 1800 - y0)]  # already read: not added twice
    )
    words, log = reread_seal_zones(page, first, engine, "vie", 30)
    assert [psm for _, psm in engine.calls] == [4] and log.applied
    new = words[1:]
    assert [w.text for w in new] == ["Minh"]  # the signature's strokes read as marks are not
    assert (new[0].box.x0, new[0].box.y0) == (1240, 2070)
    assert new[0].block >= SEAL_BLOCK_ID


def test_page_without_seal_is_not_read_again() -> None:
    engine = BlockReader([word("x", 0, 0)])
    words, log = reread_seal_zones(text_page(), [], engine, "vie", 30)
    assert not log.applied and engine.calls == [] and words == []


@pytest.mark.tesseract
def test_signer_title_and_name_under_a_black_seal_are_read() -> None:
    engine = TesseractEngine()
    page = s08_page()
    before = {w.text for w in engine.read(page, lang="vie", timeout_s=60)}
    words, _ = reread_seal_zones(page, [], engine, "vie", 60)
    after = {w.text for w in words}
    assert not {"Minh", "Hưng"} & before  # Tesseract takes the block for a picture
    assert {"TƯỚNG", "Minh", "Hưng"} <= after


def test_ring_box_is_the_seal_square() -> None:
    assert Ring(100, 200, 50).box() == {"x0": 50, "y0": 150, "x1": 150, "y1": 250}
