"""A two-column zone read at low confidence is read again side by side; a good one is not."""

from __future__ import annotations

import numpy as np

from pipeline.ocr import OcrWord
from pipeline.types import Box
from pipeline.zones import reread_column_zones


def w(text: str, x: int, y: int, conf: float, block: int) -> OcrWord:
    return OcrWord(text, Box(x0=x, y0=y, x1=x + 60 * len(text) // 3, y1=y + 40), conf, block, 1, y)


class SideReader:
    """Reads a crop as one confident line per row of the zone, and notes what it was asked."""

    name = "side-reader"

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[int, ...], int | None]] = []

    def read(self, image: np.ndarray, *, lang: str, timeout_s: float, psm: int | None = None):  # noqa: ANN201
        self.calls.append((image.shape, psm))
        return [OcrWord("Nơi", Box(x0=10, y0=25, x1=90, y1=65), 95.0, 1, 1, 1)]


def zone(conf: float) -> list[OcrWord]:
    """Recipients on the left, the signer's title on the right, three rows."""
    out = []
    for y in (1500, 1560, 1620):
        out += [w("nhận:", 200, y, conf, 1), w("Bộ", 400, y, conf, 1)]
        out += [w("CHỦ", 1500, y, conf, 2), w("TỊCH", 1700, y, conf, 2)]
    return out


def test_poorly_read_zone_is_read_again_side_by_side_as_single_columns() -> None:
    engine, page = SideReader(), np.full((3500, 2480), 230, np.uint8)
    words, log = reread_column_zones(page, zone(40.0), engine, "vie", 30, 37.5)
    assert log.applied and [psm for _, psm in engine.calls] == [4, 4]
    assert all(word.conf == 95.0 for word in words) and len(words) == 2
    assert {word.box.y0 for word in words} == {1500 - 20 + 25}  # back in page coordinates


def test_well_read_zone_is_left_alone() -> None:
    engine, page = SideReader(), np.full((3500, 2480), 230, np.uint8)
    words, log = reread_column_zones(page, zone(93.0), engine, "vie", 30, 37.5)
    assert not log.applied and engine.calls == [] and words == zone(93.0)
