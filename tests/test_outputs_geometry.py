"""Boxes on the cleaned page map back onto the original scan: each geometric clean-up stage's
transform, rebuilt from its log, undone (outputs/geometry.py)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from pipeline.outputs.geometry import page_geometry
from pipeline.outputs.words import place_words
from pipeline.preprocess.border import unwarp_page
from pipeline.preprocess.deskew import rotate
from pipeline.types import Box, Line, Page, StageLog, Word


def _dot_page(w: int = 900, h: int = 1200, at: tuple[int, int] = (300, 200)) -> np.ndarray:
    img = np.full((h, w), 255, np.uint8)
    cv2.circle(img, at, 6, 0, -1)
    return img


def _dot(img: np.ndarray) -> tuple[float, float]:
    ys, xs = np.nonzero(img < 128)
    return float(xs.mean()), float(ys.mean())


def _page(img: np.ndarray, stages: list[StageLog]) -> Page:
    return Page(
        number=1, width=img.shape[1], height=img.shape[0], dpi=300, source="ocr", stages=stages
    )


@pytest.mark.parametrize("k", [0, 1, 2, 3])
@pytest.mark.parametrize("angle", [0.0, 3.5, -11.0])
@pytest.mark.parametrize("factor", [None, 1.8])
def test_turn_deskew_and_upscale_are_undone(k: int, angle: float, factor: float | None):
    original = _dot_page()
    img = np.ascontiguousarray(np.rot90(original, k)) if k else original
    stages = [StageLog(stage="orient", applied=k != 0, detail={"rotation": (-90 * k) % 360})]
    if angle:
        img = rotate(img, angle)
    stages.append(StageLog(stage="deskew", applied=bool(angle), detail={"angle": angle}))
    if factor:
        img = cv2.resize(img, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    stages.append(StageLog(stage="upscale", applied=bool(factor), detail={"factor": factor or 1}))
    geo = page_geometry(_page(img, stages))
    x, y = geo.point(*_dot(img))
    ox, oy = _dot(original)
    assert abs(x - ox) < 2.5 and abs(y - oy) < 2.5
    assert abs(geo.source_size[0] - original.shape[1]) <= 2
    assert abs(geo.source_size[1] - original.shape[0]) <= 2


def test_perspective_page_crop_is_undone():
    photo = np.full((1400, 1100), 30, np.uint8)  # a page photographed on a dark desk
    quad = np.array([[120, 90], [980, 140], [1010, 1300], [90, 1260]], np.int32)
    cv2.fillConvexPoly(photo, quad, 250)
    cv2.circle(photo, (400, 500), 7, 0, -1)
    cut, log = unwarp_page(photo)
    assert log.applied and log.detail["source_size"] == [1100, 1400]
    geo = page_geometry(_page(cut, [log]))
    assert not geo.is_affine
    x, y = geo.point(*_dot(cut))
    assert abs(x - 400) < 3 and abs(y - 500) < 3


def test_a_page_without_geometric_stages_maps_to_itself():
    geo = page_geometry(_page(_dot_page(), []))
    assert geo.box(Box(x0=10, y0=20, x1=30, y1=40)) == Box(x0=10, y0=20, x1=30, y1=40)
    assert geo.rotation == 0 and geo.skew == 0


def _line(text: str, raw: list[str]) -> Line:
    words = [
        Word(text=t, box=Box(x0=100 * i, y0=0, x1=100 * i + 80, y1=30), conf=90.0 - i)
        for i, t in enumerate(raw)
    ]
    return Line(
        text=text, raw_text=" ".join(raw), words=words, box=Box.enclosing([w.box for w in words])
    )  # type: ignore[misc]


def test_repaired_words_keep_their_boxes_and_the_raw_text():
    placed = place_words(_line("Sở Y tế", ["Sớ", "Y", "tế"]))
    assert [p.text for p in placed] == ["Sở", "Y", "tế"]
    assert [p.raw for p in placed] == ["Sớ", None, None]
    assert placed[1].box == Box(x0=100, y0=0, x1=180, y1=30)


def test_a_repair_that_splits_a_word_shares_its_box():
    placed = place_words(_line("Ủy ban nhân dân", ["Ủy", "bannhân", "dân"]))
    assert [p.text for p in placed] == ["Ủy", "ban", "nhân", "dân"]
    ban, nhan = placed[1].box, placed[2].box
    assert ban and nhan and ban.x0 == 100 and nhan.x1 == 180 and ban.x1 <= nhan.x0
    assert placed[1].raw == "bannhân"


def test_a_table_row_read_cell_by_cell_is_placed_in_its_cells():
    from pipeline.outputs.words import placed_lines
    from pipeline.types import Table, TableCell

    body = _line("Kế hoạch này", ["Kế", "hoạch", "này"])
    cells = [
        TableCell(row=0, col=0, text="1", box=Box(x0=0, y0=100, x1=100, y1=400)),
        TableCell(
            row=0,
            col=1,
            text="Rà soát, hoàn chỉnh hệ thống văn bản quy phạm pháp luật về phòng ngừa",
            box=Box(x0=100, y0=100, x1=700, y1=400),
        ),
        TableCell(row=0, col=2, text="", box=Box(x0=700, y0=100, x1=900, y1=400)),
        TableCell(
            row=0,
            col=3,
            text="Sở Thông tin và Truyền thông",
            box=Box(x0=900, y0=100, x1=1200, y1=400),
        ),
    ]
    row_text = "\t".join(c.text for c in cells)
    row = Line(
        text=row_text, raw_text=row_text, region="table", box=Box(x0=0, y0=100, x1=1200, y1=400)
    )
    page = Page(
        number=1,
        width=1300,
        height=1800,
        dpi=300,
        source="ocr",
        lines=[body, row],
        tables=[Table(n_rows=1, n_cols=4, cells=cells, first_line=1)],
    )
    printed = placed_lines(page, 1)
    assert [w.text for pl in printed for w in pl.words] == row_text.split()
    assert len(printed) >= 4  # the long cell wraps over several lines
    for pl in printed:
        cell = next(c for c in cells if c.box and c.box.x0 <= pl.box.x0 < c.box.x1)  # type: ignore[union-attr]
        assert cell.box and pl.box and cell.box.y0 <= pl.box.y0 and pl.box.y1 <= cell.box.y1
        assert pl.box.x1 <= cell.box.x1
