"""A second look at two-column zones that Tesseract read badly.

Tesseract's page segmentation (psm 3) sometimes runs the lines of a recipients list into the
signature block beside it, or loses a line between them (a seal and a signature next to a
tight list do it): the zone then reads at a low confidence. Each side of such a zone is read
again on its own as a single column (psm 4), and the new words are kept when Tesseract is more
sure of them. Cheap (a fifth of a second a side), and only where the first reading was poor.

The signer block around a black seal is the other zone read again: on a 1-bit copy Tesseract
takes the seal and the print around it for a picture and returns nothing there, so the block is
read once more with the seal painted out (`preprocess.rings`), and what it adds is the words
the first reading did not have.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .layout import column_zones, group_rows, split_segments
from .ocr import OcrEngine, OcrWord, shift_word
from .preprocess.rings import Ring, erase_seal, find_dark_seals
from .types import Box, StageLog

ZONE_CONF = 85.0  # a zone read with a lower mean word confidence is read again side by side
PAD = 20  # px above and below the zone
SEAL_BLOCK = (1.2, 2.0, 4.0, 1.6)  # signer block around a seal, in its radii: left, up, right, down
SEAL_BLOCK_ID = 90_000  # line keys of the re-read signer blocks, apart from the page's and sides'


def reread_column_zones(
    gray: np.ndarray,
    words: list[OcrWord],
    engine: OcrEngine,
    lang: str,
    timeout: float,
    min_gap: float,
) -> tuple[list[OcrWord], StageLog]:
    """The page's words with poorly read two-column zones read again; and what was done."""
    h, w = gray.shape[:2]
    rows = group_rows(split_segments(words, min_gap)) if words else []
    out, reread = list(words), []
    for k, (a, b, gutter) in enumerate(column_zones(rows, w)):
        old = [wd for r in rows[a : b + 1] for s in r for wd in s.words]
        before = _mean_conf(old)
        if before >= ZONE_CONF:
            continue
        y0 = max(0, min(wd.box.y0 for wd in old) - PAD)
        y1 = min(h, max(wd.box.y1 for wd in old) + PAD)
        new: list[OcrWord] = []
        for side, (x0, x1) in enumerate(((0, gutter), (gutter, w))):
            crop = np.ascontiguousarray(gray[y0:y1, x0:x1])
            got = engine.read(crop, lang=lang, timeout_s=timeout, psm=4)
            block = 10_000 * (k + 1) + 1_000 * side  # keep the sides' line keys apart
            new += [
                replace(nw, block=nw.block + block) for nw in (shift_word(g, x0, y0) for g in got)
            ]
        after = _mean_conf(new)
        if new and after > before:
            gone = {id(wd) for wd in old}
            out = [wd for wd in out if id(wd) not in gone] + new
            reread.append(
                {"y0": y0, "y1": y1, "conf_before": round(before, 1), "conf_after": round(after, 1)}
            )
    return out, StageLog(stage="reread_zones", applied=bool(reread), detail={"zones": reread})


def _mean_conf(words: list[OcrWord]) -> float:
    """Mean word confidence weighted by length, so a garbled long line weighs what it should."""
    n = sum(len(wd.text) for wd in words)
    return sum(wd.conf * len(wd.text) for wd in words) / n if n else 100.0


def reread_seal_zones(
    gray: np.ndarray, words: list[OcrWord], engine: OcrEngine, lang: str, timeout: float
) -> tuple[list[OcrWord], StageLog]:
    """The page's words plus those the first reading lost around a dark seal; and what was done.

    The signer block (Nghị định 30/2020: the seal covers about a third of the signature, on its
    left, so the title and name sit above, beside and below it) is cut from the page with the
    seal painted out and read as one
    column (psm 4). A new word is kept when no word of the first reading covers it and it is not
    a run of marks.
    """
    h, w = gray.shape[:2]
    out, zones = list(words), []
    for k, ring in enumerate(find_dark_seals(gray)):
        x0, y0, x1, y1 = _seal_block(ring, w, h)
        crop = erase_seal(gray, ring)[y0:y1, x0:x1]
        got = engine.read(np.ascontiguousarray(crop), lang=lang, timeout_s=timeout, psm=4)
        block = SEAL_BLOCK_ID + 1_000 * k
        new = [
            replace(nw, block=nw.block + block)
            for nw in (shift_word(g, x0, y0) for g in got)
            if _wordlike(nw.text) and not any(_covers(old.box, nw.box) for old in words)
        ]
        out += new
        zones.append({**ring.box(), "added": len(new)})
    return out, StageLog(stage="reread_seals", applied=bool(zones), detail={"seals": zones})


def _seal_block(ring: Ring, w: int, h: int) -> tuple[int, int, int, int]:
    left, up, right, down = SEAL_BLOCK
    r = ring.radius
    return (
        max(0, int(ring.x - left * r)),
        max(0, int(ring.y - up * r)),
        min(w, int(ring.x + right * r)),
        min(h, int(ring.y + down * r)),
    )


def _wordlike(text: str) -> bool:
    """Letters and digits at least half the word: the signature's strokes beside the painted-out
    seal read as runs of marks (`Z⁄2⁄_———`, S08), which no word of the block is."""
    return 2 * sum(ch.isalnum() for ch in text) >= len(text)


def _covers(old: Box, new: Box) -> bool:
    """Whether a first-reading word overlaps a third or more of a re-read word's box."""
    ix = min(old.x1, new.x1) - max(old.x0, new.x0)
    iy = min(old.y1, new.y1) - max(old.y0, new.y0)
    return ix > 0 and iy > 0 and ix * iy * 3 >= max(1, new.width * new.height)
