"""Word confidence measured on real scans: P(word right | Tesseract confidence), and the page flag
it gives (issue 15).

The real-scan transcripts (`tests/data/realscan/`, issue 11) label every OCR word of a page right
or wrong: each OCR line is located in the page's transcript (`rapidfuzz` partial alignment) and its
words compared with the transcript's words there (`difflib`); a line that matches nothing
(a stamp, a signature overlay the transcript leaves out) is not labelled. Pages split as
`realscan.page_split` says; the table is fitted on dev pages only (pool-adjacent-violators over
confidence bins, so P(right) never falls as confidence rises). A page's expected word error is
the mean of 1 − P(right) over its words, cell words included.
"""

from __future__ import annotations

import json
import re
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from pipeline.realscan import page_image, page_split
from pipeline.textnorm import nfc
from pipeline.types import Page

ROOT = Path(__file__).resolve().parents[2]
REALSCAN = ROOT / "tests" / "data" / "realscan"
OCR_CACHE = ROOT / ".cache" / "bench-ocr-real"  # bench_ocr_real's readings, reused when present
EDGES = (0.0, 30.0, 50.0, 60.0, 70.0, 80.0, 85.0, 90.0, 93.0, 96.0, 100.01)
MIN_LINE_MATCH = 60  # partial-ratio under which an OCR line is text the transcript leaves out

_WORD = re.compile(r"[^\W_]+(?:[./-][^\W_]+)*", re.UNICODE)


def _norm(word: str) -> str:
    m = _WORD.findall(nfc(word))
    return " ".join(m)


def label_words(page: Page, truth: str) -> list[tuple[float, bool]]:
    """(confidence, right) for each OCR word of the page that lies on a transcribed line."""
    flat = " ".join(truth.split())
    out = []
    for line in page.lines:
        words = [w for w in line.words if _norm(w.text)]
        if not words:
            continue
        text = " ".join(_norm(w.text) for w in words)
        al = fuzz.partial_ratio_alignment(text, flat)
        if al is None or al.score < MIN_LINE_MATCH:
            continue
        span = flat[max(0, al.dest_start - 20) : al.dest_end + 20]
        truth_words = [_norm(t) for t in span.split() if _norm(t)]
        ocr = [_norm(w.text) for w in words]
        right = [False] * len(ocr)
        for block in SequenceMatcher(None, ocr, truth_words, autojunk=False).get_matching_blocks():
            for k in range(block.size):
                right[block.a + k] = True
        out += [(w.conf, r) for w, r in zip(words, right, strict=True)]
    return out


def fit_table(labels: list[tuple[float, bool]]) -> list[float]:
    """P(right) per confidence bin of `EDGES`, monotone (pool adjacent violators), with one
    pseudo-count each side so an empty or tiny bin does not read 0 or 1."""
    n = len(EDGES) - 1
    right = [1.0] * n
    total = [2.0] * n
    for conf, ok in labels:
        k = bin_of(conf)
        right[k] += ok
        total[k] += 1
    blocks = [[right[k], total[k], 1] for k in range(n)]
    merged: list[list[float]] = []
    for b in blocks:
        merged.append(b)
        while len(merged) > 1 and merged[-2][0] / merged[-2][1] > merged[-1][0] / merged[-1][1]:
            r, t, c = merged.pop()
            merged[-1] = [merged[-1][0] + r, merged[-1][1] + t, merged[-1][2] + c]
    out: list[float] = []
    for r, t, c in merged:
        out += [round(r / t, 4)] * int(c)
    return out


def bin_of(conf: float) -> int:
    for k in range(len(EDGES) - 1):
        if conf < EDGES[k + 1]:
            return k
    return len(EDGES) - 2


def page_word_confs(page: Page) -> list[float]:
    return [w.conf for li in page.lines for w in li.words] + [
        c.conf for t in page.tables for c in t.cells for _ in c.text.split()
    ]


def expected_word_error(page: Page, table: list[float]) -> float | None:
    confs = page_word_confs(page)
    if not confs or page.source != "ocr":
        return None
    return sum(1.0 - table[bin_of(c)] for c in confs) / len(confs)


def scan_pages(folder: Path = REALSCAN) -> list[dict[str, Any]]:
    """Each transcribed page with its split and its pipeline reading (bench_ocr_real's cache;
    pages not read yet are read here through `reader.read_page_image`)."""
    out = []
    for meta_path in sorted(folder.glob("*.json")):
        text_path = meta_path.with_suffix(".txt")
        if not text_path.exists():
            continue
        meta = json.loads(meta_path.read_text("utf-8"))
        page = _reading(meta_path.stem, meta)
        if page is None:
            continue
        truth = nfc(text_path.read_text("utf-8"))
        out.append(
            {"stem": meta_path.stem, "split": page_split(meta), "page": page, "truth": truth}
        )
    return out


def _reading(stem: str, meta: dict[str, Any]) -> Page | None:
    cached = OCR_CACHE / f"{stem}.json"
    if cached.exists():
        return Page.model_validate(json.loads(cached.read_text("utf-8"))["page"])
    from pipeline.config import Settings
    from pipeline.goldeval import realdocs_root
    from pipeline.ingest import open_input
    from pipeline.pagejob import PageJob, read_page

    path = page_image(stem, meta, realdocs_root())
    if path is None:
        return None
    settings = Settings()
    outcome = read_page(PageJob(open_input(path, settings), 1, settings))
    return outcome.page


def word_error_rate(labels: list[tuple[float, bool]]) -> float:
    return sum(not ok for _, ok in labels) / len(labels) if labels else 0.0
