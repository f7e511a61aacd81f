"""Whether a value was read under a seal (issue 15: layout trouble, "a seal over the cell").

The clean-up records each red seal's box in the page's `seal` stage, in pixels of the input image
(`preprocess.ink.find_seals`); word boxes are pixels of the cleaned page (turned, levelled,
upscaled), so they are taken back to the input image (`outputs.geometry`) before the two meet.
`seal_on_page` says a page has a seal; this says the value's own words lie under it.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.outputs.geometry import page_geometry
from pipeline.types import Box, Page


def seal_boxes(page: Page) -> list[Box]:
    """The seals found on the page, on its input image."""
    return [
        Box(**s)
        for log in page.stages
        if log.stage == "seal" and log.applied
        for s in log.detail.get("seals", [])
    ]


def _centre_inside(box: Box, seal: Box) -> bool:
    return seal.x0 <= box.cx <= seal.x1 and seal.y0 <= box.cy <= seal.y1


def under_seal(page: Page, boxes: Iterable[Box]) -> bool:
    """A box (a word of the value, on the cleaned page) whose centre lies inside a seal's box."""
    seals = seal_boxes(page)
    if not seals:
        return False
    geo = page_geometry(page) if page.source == "ocr" else None
    for box in boxes:
        on_input = geo.box(box) if geo is not None else box
        if any(_centre_inside(on_input, s) for s in seals):
            return True
    return False
