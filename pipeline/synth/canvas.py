"""A flowing page canvas: draws text at measured positions, breaks pages, records the truth.

Every printed line is recorded as a `Line` with its box and region at the moment it is drawn, so
the truth can never disagree with the pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

from pipeline.synth.layout import Font, Geometry, PageSpec, font, line_height
from pipeline.synth.model import RenderedPage
from pipeline.synth.seal import blend_ink
from pipeline.types import Box, Line, Region, TableCell

INK = (20, 20, 20)


@dataclass
class Ink:
    """A coverage mask to blend over the finished page (seal, signature)."""

    mask: np.ndarray
    x: int
    y: int
    color: tuple[int, int, int]
    opacity: float


@dataclass
class PageDraft:
    image: Image.Image
    lines: list[Line] = field(default_factory=list)
    cells: list[TableCell] = field(default_factory=list)
    inks: list[Ink] = field(default_factory=list)
    seal_box: Box | None = None

    @property
    def draw(self) -> ImageDraw.ImageDraw:
        return ImageDraw.Draw(self.image)


class Flow:
    """Top-to-bottom cursor over A4 pages; `ensure` starts a new page when a block would not fit."""

    def __init__(self, geo: Geometry, spec: PageSpec) -> None:
        self.geo = geo
        self.spec = spec
        self.pages: list[PageDraft] = []
        self.y = 0.0
        self.new_page()

    @property
    def page(self) -> PageDraft:
        return self.pages[-1]

    def new_page(self) -> None:
        img = Image.new("RGB", (self.geo.width, self.geo.height), (255, 255, 255))
        self.pages.append(PageDraft(image=img))
        self.y = float(self.geo.top)
        if len(self.pages) > 1:  # decree: page numbers centred in the top margin from page 2 on
            f = font("regular", self.spec.body_pt - 1, self.geo.dpi)
            baseline = self.geo.top * 0.55 + f.getmetrics()[0] / 2
            cx = (self.geo.left + self.geo.right) / 2
            self.centred(str(len(self.pages)), f, cx, baseline, "margin")

    def room(self) -> float:
        return self.geo.bottom - self.y

    def ensure(self, height: float) -> None:
        if height > self.room() and self.y > self.geo.top:
            self.new_page()

    def skip(self, height: float) -> None:
        self.y += height

    def baseline(self, f: Font, spacing: float | None = None) -> float:
        """Baseline of a line whose top is at the cursor, the glyphs centred in the line pitch."""
        ascent, descent = f.getmetrics()
        lh = line_height(f, self.spec.line_spacing if spacing is None else spacing)
        return self.y + (lh - ascent - descent) / 2 + ascent

    def words(
        self, words: list[str], xs: list[float], baseline: float, f: Font, region: Region
    ) -> Line | None:
        if not words:
            return None
        draw = self.page.draw
        for w, x in zip(words, xs, strict=True):
            draw.text((x, baseline), w, font=f, fill=INK, anchor="ls")
        ascent, descent = f.getmetrics()
        x1 = xs[-1] + f.getlength(words[-1])
        box = Box(
            x0=int(xs[0]),
            y0=int(baseline - ascent),
            x1=int(np.ceil(x1)),
            y1=int(baseline + descent),
        )
        text = " ".join(words)
        line = Line(text=text, raw_text=text, box=box, region=region, block=len(self.page.lines))
        self.page.lines.append(line)
        return line

    def left(self, text: str, f: Font, x: float, baseline: float, region: Region) -> Line | None:
        words = text.split()
        space = f.getlength(" ")
        xs, cur = [], x
        for w in words:
            xs.append(cur)
            cur += f.getlength(w) + space
        return self.words(words, xs, baseline, f, region)

    def centred(
        self, text: str, f: Font, cx: float, baseline: float, region: Region
    ) -> Line | None:
        return self.left(text, f, cx - f.getlength(text) / 2, baseline, region)

    def rule(self, x0: float, x1: float, y: float, width: int | None = None) -> None:
        w = width or max(1, round(self.geo.dpi / 200))
        self.page.draw.line([(x0, y), (x1, y)], fill=INK, width=w)

    def rect(self, box: Box, width: int) -> None:
        self.page.draw.rectangle((box.x0, box.y0, box.x1, box.y1), outline=INK, width=width)

    def finish(self) -> list[RenderedPage]:
        out = []
        for i, p in enumerate(self.pages, start=1):
            arr = np.array(p.image, dtype=np.uint8)
            for ink in p.inks:
                blend_ink(arr, ink.mask, ink.x, ink.y, ink.color, ink.opacity)
            out.append(
                RenderedPage(
                    image=arr,
                    lines=tuple(line.text for line in p.lines),
                    line_items=tuple(p.lines),
                    table_cells=tuple(p.cells),
                    seal_box=p.seal_box,
                    dpi=self.geo.dpi,
                    number=i,
                )
            )
        return out
