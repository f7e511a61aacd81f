"""One page image -> a `Page`: clean-up, ruled tables, OCR, lines in reading order, quality.

This is the unit of parallel work: it runs in a worker process and returns a picklable record.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from .cells import blank_tables, read_cells
from .config import Settings
from .grid import Grid, erase_rules, find_grids, scale_grid
from .layout import build_lines
from .ocr import OcrEngine, OcrWord, shift_word
from .preprocess import clean_page, is_blank
from .preprocess.border import content_box
from .preprocess.ink import to_ocr_gray
from .quality import page_quality
from .specks import drop_specks
from .types import Page, StageLog
from .zones import reread_column_zones, reread_seal_zones


def read_page_image(
    image: np.ndarray,
    number: int,
    dpi: int | None,
    settings: Settings,
    engine: OcrEngine,
    keep_dir: Path | None = None,
) -> Page:
    osd = getattr(engine, "orientation", None)
    snaps: dict[str, np.ndarray] | None = {} if keep_dir is not None else None
    gray, stages = clean_page(image, osd, snaps)
    h, w = gray.shape[:2]
    grids: list[Grid] = []
    words: list[OcrWord] = []
    page_input: np.ndarray | None = None
    if not is_blank(stages):  # a blank back: Tesseract would only read its paper's grain
        grids = find_grids(gray)
        stages.append(StageLog(stage="tables", applied=bool(grids), detail={"count": len(grids)}))
        lang, timeout = settings.lang, settings.ocr_timeout_s
        if grids:
            unruled = erase_rules(gray)
            page_input = blank_tables(unruled, grids)
        else:
            page_input = gray
        words = drop_specks(read_content(page_input, engine, lang, timeout))
        words, log = reread_column_zones(page_input, words, engine, lang, timeout, _min_gap(dpi))
        stages.append(log)
        words, log = reread_seal_zones(page_input, words, engine, lang, timeout)
        words = drop_specks(words)
        stages.append(log)
        if grids:
            words += drop_specks(read_cells(unruled, grids, engine, lang=lang, timeout_s=timeout))
    if keep_dir is not None:
        stage_images = {f"1.{k}": v for k, v in (snaps or {}).items()}
        ocr_input = {} if page_input is None else {"2-ocr-input": page_input}
        _keep(keep_dir, number, {"0-input": image, **stage_images, **ocr_input})
    lines, tables = build_lines(words, grids, w, h, min_gap=_min_gap(dpi))
    warnings = [] if words else ["blank page: no text found"]
    return Page(
        number=number,
        width=w,
        height=h,
        dpi=dpi,
        source="ocr",
        lines=lines,
        tables=tables,
        quality=page_quality(lines, settings, tables),
        stages=stages,
        warnings=warnings,
    )


def read_content(gray: np.ndarray, engine: OcrEngine, lang: str, timeout: float) -> list[OcrWord]:
    """OCR of the page's printed area only, words in page coordinates.

    Tesseract's page analysis costs time per pixel; empty margins (and the corners a deskew
    adds) are a third of a page or more, and cutting them makes a skewed page's OCR ~20% faster.
    """
    box = content_box(gray)
    if box is None:
        return engine.read(gray, lang=lang, timeout_s=timeout)
    x0, y0, x1, y1 = box
    words = engine.read(np.ascontiguousarray(gray[y0:y1, x0:x1]), lang=lang, timeout_s=timeout)
    return [shift_word(w, x0, y0) for w in words]


def _min_gap(dpi: int | None) -> float:
    """A gap wider than ~1/8 inch between words on one row separates columns."""
    return (dpi or 300) / 8


def relayout_text_layer(page: Page, rendered: np.ndarray | None = None) -> Page:
    """Re-read a PDF text layer's words through the same column-aware layout as OCR words.

    `rendered` (the page as a picture at any resolution) lets ruled tables be found the same way
    as on scans: their rules are drawn, not written, so only the image shows them; the grid is
    scaled to the text layer's coordinates and its words fall into the cells.
    """
    words = [
        OcrWord(text=w.text, box=w.box, conf=w.conf, block=0, par=0, line=i)
        for i, line in enumerate(page.lines)
        for w in line.words
        if w.box is not None
    ]
    if not words:
        return page
    grids: list[Grid] = []
    if rendered is not None:
        gray, _ = to_ocr_gray(rendered) if rendered.ndim == 3 else (rendered, [])
        scale = page.width / gray.shape[1]
        grids = [scale_grid(g, scale) for g in find_grids(gray)]
    lines, tables = build_lines(words, grids, page.width, page.height, min_gap=_min_gap(page.dpi))
    log = StageLog(stage="tables", applied=bool(grids), detail={"count": len(grids)})
    return page.model_copy(update={"lines": lines, "tables": tables, "stages": [*page.stages, log]})


def _keep(folder: Path, number: int, images: dict[str, np.ndarray]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, img in images.items():
        out = img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_RGB2BGR)
        cv2.imwrite(str(folder / f"page-{number:04d}-{name}.png"), out)
