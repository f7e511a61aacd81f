"""Real-scan OCR benchmark: raw `tesseract -l vie` vs the pipeline vs the pipeline + repair (issue 11).

Truth: exact transcripts of real scanned pages (`tests/data/realscan/<stem>.txt`, hand-corrected
from OCR and checked twice against the image; the sidecar `<stem>.json` names the image under
`../shared/realdocs` or a page of a scanned PDF there, the page's kind, and what was left out:
stamps, handwriting, signature overlays). Pages are split dev/test by fixed rules
(`pipeline.realscan.page_split`: a first-page image by a hash of its name, a later PDF page by
its document's split in the parser gold): settings are chosen on dev only, test is the
measurement.

Scoring is `bench_ocr`'s, order-robust at line granularity (`pipeline.metrics.page_errors`), and
each reader's word errors are split by class (`pipeline.ocr_errors`): tone mark, punctuation,
letter, word lost, word added; reading order is counted apart, as lines out of printed order.

Legacy OCR (issue 4 on real pages): the same images read by `tesseract -l eng`, then restored by
`vndoc restore --mode auto` (the restorer's `restore`), with the same truth.

Run: `python -m bench.bench_ocr_real` (`make bench-ocr-real`; 2-4 minutes on 2 cores),
`--split dev` while tuning. `--reuse` scores the OCR cached by the last run (under `.cache/`)
again, for trying repair settings without re-reading the pages (its time ratio is the cached
run's OCR time plus this run's repair time).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from pipeline.config import Settings
from pipeline.metrics import ErrorCounts, page_errors
from pipeline.ocr import OcrWord, TesseractEngine, get_engine
from pipeline.ocr_errors import CLASSES, page_classes
from pipeline.preprocess import clean_page
from pipeline.reader import read_page_image
from pipeline.realscan import page_image, page_split
from pipeline.repair import get_restorer, repair_pages
from pipeline.textnorm import nfc
from pipeline.types import Page

ROOT = Path(__file__).resolve().parents[1]
REALSCAN = ROOT / "tests" / "data" / "realscan"
REALDOCS = ROOT.parent / "shared" / "realdocs"
SEEDS = ROOT.parent / "shared" / "seeds"
CACHE = ROOT / ".cache" / "bench-ocr-real"
REPAIR_GATES = (90.0, 95.0, 98.0, 101.0)  # word-confidence gates scored for calibration (dev)
READERS = ("raw", "pipe", "rep")


@dataclass(frozen=True)
class ScanPage:
    stem: str
    image: Path
    truth: list[str]
    split: str
    kind: str
    ignore: tuple[str, ...] = ()  # text the transcript leaves out (stamps, overlays, handwriting)


@dataclass
class PageResult:
    stem: str
    split: str
    kind: str
    raw: ErrorCounts
    pipe: ErrorCounts
    rep: ErrorCounts
    classes: dict[str, dict[str, int]]  # reader -> error class -> count
    raw_s: float
    pipe_s: float
    eng_raw: ErrorCounts
    eng_rep: ErrorCounts
    gates: dict[str, ErrorCounts] = field(default_factory=dict)
    repairs: list[str] = field(default_factory=list)


def load_pages(folder: Path = REALSCAN) -> list[ScanPage]:
    """Every transcribed page with its sidecar; image and split as `pipeline.realscan` says."""
    pages = []
    for meta_path in sorted(folder.glob("*.json")):
        meta = json.loads(meta_path.read_text("utf-8"))
        text_path = meta_path.with_suffix(".txt")
        if not text_path.exists():
            continue
        image = page_image(meta_path.stem, meta, REALDOCS)
        if image is None:
            continue
        truth = [ln for ln in nfc(text_path.read_text("utf-8")).splitlines() if ln.strip()]
        kind = ",".join(meta.get("kind") or [])
        ignore = excluded_text(meta.get("excluded") or [])
        pages.append(ScanPage(meta_path.stem, image, truth, page_split(meta), kind, ignore))
    return pages


_QUOTED = re.compile(r"'([^']+)'|\(([^()]*:[^()]*)\)")


def excluded_text(entries: list[str]) -> tuple[str, ...]:
    """The printed or written text of the regions a transcript leaves out, as quoted in its
    sidecar (`'SAO Y / Bộ Công an'`, `(Người ký: ... / Thời gian ký: ...)`), one piece per
    `/`-separated part: a reader that reads it is not charged for it."""
    out = []
    for entry in entries:
        for quoted, paren in _QUOTED.findall(entry):
            out += [part.strip() for part in (quoted or paren).split(" / ") if part.strip()]
    return tuple(out)


def raw_lines(words: list[OcrWord]) -> list[str]:
    """Tesseract's own lines, in its own order."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    for w in words:
        lines.setdefault((w.block, w.par, w.line), []).append(w.text)
    return [" ".join(ws) for ws in lines.values()]


# --- reading (cached) ------------------------------------------------------------------------


def read_scan(page: ScanPage, reuse: bool = False) -> dict:
    """OCR of one page by both readers and by the `eng` model, with the readers' times."""
    cached = CACHE / f"{page.stem}.json"
    if reuse and cached.exists():
        return json.loads(cached.read_text("utf-8"))
    settings = Settings()
    engine = get_engine(settings.ocr_engine)
    plain = TesseractEngine(choices=False)  # raw Tesseract as a user runs it: TSV, no choices
    image, dpi = _load(page.image, settings)
    t0 = time.perf_counter()
    words = plain.read(image, lang=settings.lang, timeout_s=300)
    t1 = time.perf_counter()
    read = read_page_image(image, 1, dpi, settings, engine)
    t2 = time.perf_counter()
    # legacy OCR as an old system made it: the `eng` model over the page, turned upright and
    # levelled (an unlevelled page costs raw Tesseract whole lines, which no repair restores)
    upright, _ = clean_page(image, getattr(plain, "orientation", None))
    eng = plain.read(upright, lang="eng", timeout_s=300)
    out = {
        "raw": raw_lines(words),
        "page": read.model_dump(mode="json"),
        "eng": raw_lines(eng),
        "raw_s": t1 - t0,
        "read_s": t2 - t1,
    }
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(out, ensure_ascii=False), "utf-8")
    return out


def _load(path: Path, settings: Settings) -> tuple[np.ndarray, int]:
    """The page as `vndoc run` loads an image file (EXIF, mode, dpi from the metadata)."""
    from PIL import Image

    from pipeline.ingest.images import metadata_dpi, to_array

    with Image.open(path) as img:
        dpi = metadata_dpi(img)
        return to_array(img), round(dpi) if dpi else 200


# --- scoring ---------------------------------------------------------------------------------


def score(page: ScanPage, read: dict, gates: tuple[float, ...] = REPAIR_GATES) -> PageResult:
    settings = Settings()
    restorer = get_restorer(settings.restorer)
    pipe_page = Page.model_validate(read["page"])
    t0 = time.perf_counter()
    (repaired,), repairs = repair_pages([pipe_page], restorer, max_conf=settings.repair_max_conf)
    rep_s = time.perf_counter() - t0
    texts = {
        "raw": read["raw"],
        "pipe": [li.text for li in pipe_page.lines],
        "rep": [li.text for li in repaired.lines],
    }
    counts = {k: page_errors(page.truth, v, page.ignore) for k, v in texts.items()}
    classes = {k: dict(page_classes(page.truth, v, page.ignore)) for k, v in texts.items()}
    gate_counts = {
        str(g): page_errors(
            page.truth,
            [li.text for li in repair_pages([pipe_page], restorer, max_conf=g)[0][0].lines],
            page.ignore,
        )
        for g in gates
    }
    eng_text = "\n".join(read["eng"])
    eng_fixed = restorer.restore(eng_text, mode="auto").text if restorer else eng_text
    return PageResult(
        stem=page.stem,
        split=page.split,
        kind=page.kind,
        raw=counts["raw"],
        pipe=counts["pipe"],
        rep=counts["rep"],
        classes=classes,
        raw_s=read["raw_s"],
        pipe_s=read["read_s"] + rep_s,
        eng_raw=page_errors(page.truth, read["eng"], page.ignore),
        eng_rep=page_errors(page.truth, eng_fixed.split("\n"), page.ignore),
        gates=gate_counts,
        repairs=[f"{r['original']}→{r['replacement']}" for r in repairs],
    )


def run_page(args: tuple[ScanPage, bool]) -> PageResult:
    page, reuse = args
    return score(page, read_scan(page, reuse))


def seed_excerpt() -> tuple[ErrorCounts, ErrorCounts] | None:
    """The shared legacy-OCR excerpt against its hand-written truth (`seed-excerpt.truth.txt`)."""
    truth_path = REALSCAN.parent / "legacy" / "legacy-ocr-excerpt.truth.txt"  # by hand
    src = SEEDS / "legacy-ocr-excerpt.txt"
    if not truth_path.exists() or not src.exists():
        return None
    truth = nfc(truth_path.read_text("utf-8")).splitlines()
    text = nfc(src.read_text("utf-8"))
    restorer = get_restorer(Settings().restorer)
    fixed = restorer.restore(text, mode="auto").text if restorer else text
    return page_errors(truth, text.splitlines()), page_errors(truth, fixed.split("\n"))


# --- report ----------------------------------------------------------------------------------


def _sum(rs: list[PageResult], side: str) -> ErrorCounts:
    total = ErrorCounts()
    for r in rs:
        total = total + getattr(r, side)
    return total


def _mean_wer(rs: list[PageResult], side: str) -> float:
    return float(np.mean([getattr(r, side).wer for r in rs])) if rs else 0.0


def page_table(results: list[PageResult]) -> str:
    head = (
        "| page | split | kind | CER raw | CER pipe | CER +repair | WER raw | WER pipe "
        "| WER +repair | eng WER raw | eng WER restored | time ratio |"
    )
    rows = [head, "|" + "|".join("---" for _ in head.split("|")[1:-1]) + "|"]
    for r in sorted(results, key=lambda r: (r.split, r.stem)):
        rows.append(
            f"| {r.stem} | {r.split} | {r.kind} | {r.raw.cer:.2%} | {r.pipe.cer:.2%} "
            f"| {r.rep.cer:.2%} | {r.raw.wer:.2%} | {r.pipe.wer:.2%} | {r.rep.wer:.2%} "
            f"| {r.eng_raw.wer:.2%} | {r.eng_rep.wer:.2%} | {r.pipe_s / r.raw_s:.2f} |"
        )
    return "\n".join(rows)


def summary_table(results: list[PageResult]) -> str:
    head = (
        "| split | pages | CER raw | CER pipe | CER +repair | WER raw | WER pipe | WER +repair "
        "| mean page WER raw / +repair | pages worse than raw | eng WER raw → restored "
        "| time ratio |"
    )
    rows = [head, "|" + "|".join("---" for _ in head.split("|")[1:-1]) + "|"]
    for split in ("dev", "test", "all"):
        rs = [r for r in results if split in ("all", r.split)]
        if not rs:
            continue
        raw, pipe, rep = _sum(rs, "raw"), _sum(rs, "pipe"), _sum(rs, "rep")
        eng_raw, eng_rep = _sum(rs, "eng_raw"), _sum(rs, "eng_rep")
        worse = sum(r.rep.word_errors > r.raw.word_errors for r in rs)
        ratio = sum(r.pipe_s for r in rs) / max(sum(r.raw_s for r in rs), 1e-9)
        rows.append(
            f"| {split} | {len(rs)} | {raw.cer:.2%} | {pipe.cer:.2%} | {rep.cer:.2%} "
            f"| {raw.wer:.2%} | {pipe.wer:.2%} | {rep.wer:.2%} "
            f"| {_mean_wer(rs, 'raw'):.2%} / {_mean_wer(rs, 'rep'):.2%} | {worse} "
            f"| {eng_raw.wer:.2%} → {eng_rep.wer:.2%} | {ratio:.2f} |"
        )
    return "\n".join(rows)


def class_table(results: list[PageResult]) -> str:
    head = "| split | reader | " + " | ".join(CLASSES) + " | lines out of order |"
    rows = [head, "|" + "|".join("---" for _ in head.split("|")[1:-1]) + "|"]
    for split in ("dev", "test"):
        rs = [r for r in results if r.split == split]
        for reader in READERS:
            total: Counter[str] = Counter()
            for r in rs:
                total.update(r.classes[reader])
            cells = " | ".join(str(total[c]) for c in CLASSES)
            rows.append(f"| {split} | {reader} | {cells} | {total['order']} |")
    return "\n".join(rows)


def gate_report(results: list[PageResult]) -> str:
    parts = []
    for split in ("dev", "test"):
        rs = [r for r in results if r.split == split]
        cells = []
        for g in sorted({g for r in rs for g in r.gates}, key=float):
            total = ErrorCounts()
            for r in rs:
                total = total + r.gates[g]
            cells.append(f"<{float(g):g}: {total.wer:.2%}")
        if cells:
            parts.append(f"{split}: " + "; ".join(cells))
    return "repair confidence gate, WER after repair — " + " | ".join(parts)


ABLATION = (  # (label, alternatives, add_marks, punctuation, placement-only filter, gate)
    ("repair as calibrated on rendered pages (gate 95)", False, False, False, False, 95.0),
    ("+ no change that only moves a tone mark", False, False, False, True, 95.0),
    ("+ mark-adding changes pass the gate", False, True, False, True, 95.0),
    ("+ punctuation", False, True, True, True, 95.0),
    ("+ LSTM alternatives (all of issue 11)", True, True, True, True, 95.0),
    ("all, gate off", True, True, True, True, 101.0),
    ("all, gate 90", True, True, True, True, 90.0),
)


def ablation(pages: list[ScanPage]) -> str:
    """WER after repair with issue 11's repairs added one at a time, on the cached OCR."""
    import pipeline.repair as rp

    restorer = get_restorer(Settings().restorer)
    read = [(p, Page.model_validate(read_scan(p, reuse=True)["page"])) for p in pages]
    keep_placement = rp._placement_only
    rows = []
    for label, alts, add, punct, placement, gate in ABLATION:
        rp._placement_only = keep_placement if placement else (lambda c: False)  # type: ignore[assignment]
        total = ErrorCounts()
        for p, page in read:
            src = page if alts else _without_alternatives(page)
            (out,), _ = rp.repair_pages(
                [src], restorer, max_conf=gate, add_marks=add, punctuation=punct
            )
            total = total + page_errors(p.truth, [li.text for li in out.lines], p.ignore)
        rows.append(f"| {label} | {total.wer:.2%} | {total.cer:.2%} |")
    rp._placement_only = keep_placement  # type: ignore[assignment]
    return "| repair | WER | CER |\n|---|---|---|\n" + "\n".join(rows)


def _without_alternatives(page: Page) -> Page:
    lines = [
        li.model_copy(
            update={"words": [w.model_copy(update={"alternatives": []}) for w in li.words]}
        )
        for li in page.lines
    ]
    return page.model_copy(update={"lines": lines})


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "test", "all"), default="all")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--reuse", action="store_true", help="score the cached OCR of the last run")
    ap.add_argument("--repairs", action="store_true", help="list every repair per page")
    ap.add_argument("--json", type=Path, help="write per-page results here")
    ap.add_argument(
        "--ablation", action="store_true", help="issue 11's repairs one at a time (cached OCR)"
    )
    args = ap.parse_args(argv)
    pages = [p for p in load_pages() if args.split in ("all", p.split)]
    if args.ablation:
        print(ablation([p for p in pages if args.split != "all" or p.split == "dev"]))
        return
    t0 = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(run_page, [(p, args.reuse) for p in pages]))
    print(page_table(results))
    print()
    print(summary_table(results))
    print()
    print("word errors by class:")
    print(class_table(results))
    print(gate_report(results))
    seed = seed_excerpt()
    if seed:
        print(f"legacy OCR excerpt (../shared/seeds): WER {seed[0].wer:.2%} → {seed[1].wer:.2%}")
    if args.repairs:
        for r in results:
            print(f"{r.stem} ({r.split}): " + "; ".join(r.repairs))
    print(f"{len(results)} pages in {time.perf_counter() - t0:.0f} s with {args.workers} workers")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
