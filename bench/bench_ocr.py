"""OCR quality benchmark: raw `tesseract -l vie` vs the pipeline's reader, per degradation kind.

Pages are rendered by the project's Nghị định 30 generator from real texts and degraded in code
(truth = the rendered text), and real born-digital PDFs are rasterized at 150/200/300 dpi (truth =
their text layer). Both readers see the same page in the same worker, one after the other, and
are timed alike (each through `TesseractEngine`, i.e. pytesseract -> `tesseract` TSV, psm 3).

Scoring (`pipeline.metrics.page_errors`) is order-robust at line granularity: every printed line
is a truth unit, and so is every printed line inside a table cell; the header's two columns are
separate units. So raw Tesseract is not charged for reading the header row-wise or a table cell
by cell, nor the pipeline for its column-aware order; misread, dropped and invented text is charged.
A table page is also scored with each cell's text as one unit, and each reader gets the lower of
the two counts: short cell lines ("nhân dân", "đồng nhân") recur in several cells, and matched one
by one they pull spans out of each other's cells, charging a reader that kept every cell whole
for errors it did not make.

The pipeline is scored on the reader's text and again after text repair (as `vndoc run` writes
it). `--dev` reads other plans with other degradations: settings (the repair confidence gate,
the `needs_review` cut) are calibrated there, so the default set stays a measurement.

Run: `python -m bench.bench_ocr` (about 5 minutes on 2 cores), `--quick` (about a minute) or
`--dev --pages 4 --born 4` (the calibration set).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from pipeline.config import Settings
from pipeline.metrics import ErrorCounts, page_errors
from pipeline.ocr import OcrWord, TesseractEngine, get_engine
from pipeline.reader import read_page_image
from pipeline.repair import get_restorer, repair_pages
from pipeline.synth import RenderedPage, degrade_scan, plan_from_text, render_document
from pipeline.synth import degrade as dg
from pipeline.synth.layout import font
from pipeline.synth.table import TABLE_PT, cell_lines
from pipeline.textnorm import nfc

REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs"
PLANS = REALDOCS / "plans_text"
BORN = REALDOCS / "born_digital"
DPI = 300
REVIEW_CER = 0.02  # a page above this CER should be flagged needs_review
REPAIR_GATES = (85.0, 90.0, 95.0, 101.0)  # repair word-confidence gates scored for calibration
DEV_SEED = 500_000  # `--dev`: other pages, other degradations, for calibrating settings


@dataclass(frozen=True)
class Case:
    kind: str
    source: str  # plan text path or born-digital PDF path
    page: int  # 0-based
    seed: int
    dpi: int = DPI


@dataclass(frozen=True)
class Result:
    kind: str
    name: str
    raw: ErrorCounts
    pipe: ErrorCounts  # the reader's text (clean-up + OCR + layout)
    rep: ErrorCounts  # ... after text repair, as `vndoc run` writes it
    rep_gate: dict[str, ErrorCounts]  # ... with other repair confidence gates (calibration)
    raw_s: float
    pipe_s: float
    needs_review: bool
    mean_conf: float
    low_share: float
    applied: list[str]
    seal_truth: bool
    seal_found: bool


# --- degradation kinds: rendered 300-dpi RGB page -> scanned-looking image -------------------


def _body_centre(page: RenderedPage, rng: np.random.Generator) -> tuple[float, float] | None:
    boxes = [li.box for li in page.line_items if li.box is not None and li.region == "body"]
    if not boxes:
        return None
    b = boxes[int(rng.integers(len(boxes)))]
    return (b.cx, b.cy)


def _seal(page: RenderedPage, rng: np.random.Generator) -> np.ndarray:
    img, _ = dg.seal_over_text(page.image, rng, _body_centre(page, rng))
    img = dg.signature_over_text(img, rng, _body_centre(page, rng))
    return dg.apply_scan(img, dg.sample_scan_params(int(rng.integers(1 << 30)), 0.5))


def _mild(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return degrade_scan(img, seed=int(rng.integers(1 << 30)), strength=0.5)


def _skew(page: RenderedPage, rng: np.random.Generator) -> np.ndarray:
    angle = float(rng.uniform(2, 10) * rng.choice([-1, 1]))
    return _mild(dg.skew(page.image, angle), rng)


def _lowdpi(page: RenderedPage, rng: np.random.Generator) -> np.ndarray:
    small = dg.downsample(_mild(page.image, rng), float(rng.uniform(0.4, 0.5)))
    return dg.jpeg_roundtrip(small, int(rng.integers(40, 60)))


def _photocopy(page: RenderedPage, rng: np.random.Generator) -> np.ndarray:
    copy = dg.photocopy(_mild(page.image, rng), rng, strength=float(rng.uniform(0.8, 1.3)))
    return dg.punch_holes(copy, rng) if rng.random() < 0.5 else copy  # half of them filed


def _blue(page: RenderedPage, rng: np.random.Generator) -> np.ndarray:
    return _mild(dg.blue_tint(page.image, float(rng.uniform(0.7, 1.0))), rng)


def _turn(k: int) -> Callable[[RenderedPage, np.random.Generator], np.ndarray]:
    return lambda page, rng: dg.rotate_quadrant(_mild(page.image, rng), k)


KINDS: dict[str, Callable[[RenderedPage, np.random.Generator], np.ndarray]] = {
    "clean": lambda page, rng: page.image,
    "office scan": lambda page, rng: degrade_scan(page.image, seed=int(rng.integers(1 << 30))),
    "skew 2-10°": _skew,
    "rotated 90": _turn(1),
    "rotated 180": _turn(2),
    "rotated 270": _turn(3),
    "seal+signature over text": _seal,
    "low dpi + JPEG": _lowdpi,
    "photocopy + margins": _photocopy,  # and punch holes on half of them
    "phone photo": lambda page, rng: dg.phone_photo(page.image, rng),
    "blue-tinted copy": _blue,
}


# --- truth -----------------------------------------------------------------------------------


@lru_cache(maxsize=2)
def _rendered(path: str) -> list[RenderedPage]:
    return render_document(plan_from_text(nfc(Path(path).read_text(encoding="utf-8"))), dpi=DPI)


def synthetic_truth(page: RenderedPage, whole_cells: bool = False) -> list[str]:
    """Printed lines; a table contributes each printed line of each cell (re-wrapped as drawn),
    or with `whole_cells` each cell's text as one unit."""
    lines = [li.text for li in page.line_items if li.region != "table"]
    pad = DPI / 25.4 * 1.5
    for cell in page.table_cells:
        if cell.box is None:
            continue
        if whole_cells:
            lines.append(cell.text)
            continue
        f = font("bold" if cell.row == 0 else "regular", TABLE_PT, DPI)
        lines += cell_lines(cell.text, f, cell.box.width - 2 * pad) or [cell.text]
    return lines


def page_truths(page: RenderedPage) -> list[list[str]]:
    """The ways a page's truth may be cut into units: by printed line, and for a table page also
    with whole cells."""
    lines = synthetic_truth(page)
    return [lines, synthetic_truth(page, whole_cells=True)] if page.table_cells else [lines]


def best_errors(truths: list[list[str]], lines: list[str]) -> ErrorCounts:
    """A reader's errors under the cut of the truth that suits its text best."""
    return min(
        (page_errors(t, lines) for t in truths), key=lambda e: (e.char_errors, e.word_errors)
    )


@lru_cache(maxsize=4)
def _born_pages(path: str) -> list[str]:
    text = Path(path).with_suffix(".txt").read_text(encoding="utf-8")
    return [nfc(p) for p in text.split("\f")]


def _born_image(case: Case) -> tuple[np.ndarray, list[str]]:
    from pdf2image import convert_from_path

    img = convert_from_path(case.source, dpi=case.dpi, first_page=case.page + 1)[0]
    return np.asarray(img.convert("RGB")), _born_pages(case.source)[case.page].splitlines()


def case_input(case: Case) -> tuple[np.ndarray, list[list[str]], bool]:
    """The image to read, its truth (one or more cuts into units, see `page_truths`), and whether
    it carries a seal."""
    if case.kind.startswith("born-digital"):
        img, truth = _born_image(case)
        return img, [truth], False
    page = _rendered(case.source)[case.page]
    img = KINDS[case.kind](page, np.random.default_rng(case.seed))
    has_seal = page.seal_box is not None or case.kind.startswith("seal")
    return img, page_truths(page), has_seal


# --- one page, both readers ------------------------------------------------------------------


def raw_lines(words: list[OcrWord]) -> list[str]:
    """Tesseract's own lines, in its own order."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    for w in words:
        lines.setdefault((w.block, w.par, w.line), []).append(w.text)
    return [" ".join(ws) for ws in lines.values()]


def run_case(case: Case, engine_name: str = "tesseract") -> Result:
    image, truth, has_seal = case_input(case)
    engine, settings = get_engine(engine_name), Settings()
    restorer = get_restorer(settings.restorer)  # loaded once per worker, before the clock starts
    # raw Tesseract as a user runs it: TSV, without the LSTM choices the pipeline reads (issue 11)
    plain = TesseractEngine(choices=False) if engine_name == "tesseract" else engine
    t0 = time.perf_counter()
    words = plain.read(image, lang=settings.lang, timeout_s=300)
    t1 = time.perf_counter()
    dpi = case.dpi if case.kind.startswith("born-digital") else None
    page = read_page_image(image, 1, dpi, settings, engine)
    (repaired,), _ = repair_pages([page], restorer, max_conf=settings.repair_max_conf)
    t2 = time.perf_counter()
    gates = {
        str(g): best_errors(
            truth, [li.text for li in repair_pages([page], restorer, max_conf=g)[0][0].lines]
        )
        for g in REPAIR_GATES
    }
    seal = any(s.stage == "seal" and s.detail.get("seals") for s in page.stages)
    return Result(
        kind=case.kind,
        name=f"{Path(case.source).stem[:12]}#{case.page + 1}",
        raw=best_errors(truth, raw_lines(words)),
        pipe=best_errors(truth, [li.text for li in page.lines]),
        rep=best_errors(truth, [li.text for li in repaired.lines]),
        rep_gate=gates,
        raw_s=t1 - t0,
        pipe_s=t2 - t1,
        needs_review=page.quality.needs_review,
        mean_conf=page.quality.mean_conf,
        low_share=page.quality.low_conf_share,
        applied=[s.stage for s in page.stages if s.applied],
        seal_truth=has_seal,
        seal_found=seal,
    )


# --- the page set ----------------------------------------------------------------------------


def pick_pages(n: int, dev: bool = False) -> list[tuple[str, int]]:
    """`n` pages over several plans: a first page (header), a closing page (seal), a table page.
    The dev set takes the plans in reverse order, so it shares as few pages as it can."""
    out: list[tuple[str, int]] = []
    plans = sorted(p for p in PLANS.glob("*.txt") if not p.name.endswith(".layout.txt"))
    for path in reversed(plans) if dev else plans:
        pages = _rendered(str(path))
        want = {0, next((i for i, p in enumerate(pages) if p.seal_box), 0)}
        want.add(next((i for i, p in enumerate(pages) if p.table_cells), len(pages) // 2))
        out += [(str(path), i) for i in sorted(want)]
        if len(out) >= n:
            return out[:n]
    return out


def build_cases(n_synth: int, n_born: int, dev: bool = False) -> list[Case]:
    offset = DEV_SEED if dev else 0
    cases = [
        Case(kind, src, page, seed=offset + 1000 * k + i)
        for i, (src, page) in enumerate(pick_pages(n_synth, dev))
        for k, kind in enumerate(KINDS)
    ]
    pdfs = sorted(BORN.glob("*.pdf"))
    for pdf in (pdfs[::-1] if dev else pdfs)[:n_born]:
        real = [p for p in _born_pages(str(pdf)) if p.strip()]
        page = 1 if dev and len(real) > 1 else 0  # dev: second pages
        for dpi in (150, 200, 300):
            cases.append(Case(f"born-digital {dpi} dpi", str(pdf), page, 0, dpi))
    return cases


# --- report ----------------------------------------------------------------------------------


def _sum(rs: list[Result], side: str) -> ErrorCounts:
    total = ErrorCounts()
    for r in rs:
        total = total + getattr(r, side)
    return total


def table(results: list[Result]) -> str:
    by_kind: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_kind[r.kind].append(r)
    head = (
        f"| {'kind':26} | pages | CER raw | CER pipe | CER +repair | WER raw | WER pipe "
        f"| WER +repair | s/page raw | s/page pipe | time ratio |"
    )
    rows = [head, "|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|"]
    kinds = list(by_kind) + ["ALL synthetic", "ALL"]
    for kind in kinds:
        rs = (
            results
            if kind == "ALL"
            else [r for r in results if not r.kind.startswith("born")]
            if kind == "ALL synthetic"
            else by_kind[kind]
        )
        if not rs:
            continue
        raw, pipe, rep = _sum(rs, "raw"), _sum(rs, "pipe"), _sum(rs, "rep")
        traw, tpipe = np.mean([r.raw_s for r in rs]), np.mean([r.pipe_s for r in rs])
        rows.append(
            f"| {kind:26} | {len(rs):5} | {raw.cer:7.2%} | {pipe.cer:8.2%} | {rep.cer:11.2%} "
            f"| {raw.wer:7.2%} | {pipe.wer:8.2%} | {rep.wer:11.2%} | {traw:10.2f} "
            f"| {tpipe:11.2f} | {tpipe / traw:10.2f} |"
        )
    return "\n".join(rows)


def review_report(results: list[Result]) -> str:
    """How well `needs_review` separates pages whose pipeline CER exceeds 2% from the rest."""
    bad = [r.pipe.cer > REVIEW_CER for r in results]
    flag = [r.needs_review for r in results]
    tp = sum(b and f for b, f in zip(bad, flag, strict=True))
    fp = sum(f and not b for b, f in zip(bad, flag, strict=True))
    fn = sum(b and not f for b, f in zip(bad, flag, strict=True))
    tn = len(results) - tp - fp - fn
    return (
        f"needs_review vs pipeline CER > {REVIEW_CER:.0%}: flagged {tp} of {tp + fn} bad pages "
        f"(recall {tp / max(tp + fn, 1):.0%}, precision {tp / max(tp + fp, 1):.0%}), "
        f"{fp} of {fp + tn} good pages flagged (false-alarm rate {fp / max(fp + tn, 1):.0%})\n"
        + conf_sweep(results)
    )


def conf_sweep(results: list[Result], cuts: tuple[float, ...] = (90, 91, 92, 93, 94)) -> str:
    """Recall/precision if pages were flagged by mean word confidence alone: calibrates
    `Settings.review_mean_conf` on this run's pages."""
    bad = [r.pipe.cer > REVIEW_CER for r in results]
    parts = []
    for cut in cuts:
        flag = [r.mean_conf < cut for r in results]
        tp = sum(b and f for b, f in zip(bad, flag, strict=True))
        parts.append(f"<{cut:g}: recall {tp}/{sum(bad)}, precision {tp}/{sum(flag)}")
    return "mean-confidence sweep: " + "; ".join(parts)


def gate_report(results: list[Result]) -> str:
    """CER after repair if changes to confidently read words were let through up to each gate:
    calibrates `Settings.repair_max_conf` on the dev set."""
    parts = []
    for gate in REPAIR_GATES:
        total = ErrorCounts()
        for r in results:
            total = total + r.rep_gate[str(gate)]
        parts.append(f"<{gate:g}: {total.cer:.2%}")
    return "repair confidence gate, CER after repair: " + "; ".join(parts)


def seal_report(results: list[Result]) -> str:
    with_seal = [r for r in results if r.seal_truth]
    without = [r for r in results if not r.seal_truth and not r.kind.startswith("born")]
    hit = sum(r.seal_found for r in with_seal)
    false = sum(r.seal_found for r in without)
    return (
        f"seal detection: {hit}/{len(with_seal)} pages with a seal found, "
        f"{false}/{len(without)} seal-free synthetic pages with a false seal"
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="2 pages per kind, 1 born-digital PDF")
    ap.add_argument("--pages", type=int, default=8, help="synthetic pages per kind")
    ap.add_argument("--born", type=int, default=8, help="born-digital PDFs (first page each)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--kinds", default="", help="comma-separated subset of kinds")
    ap.add_argument("--json", type=Path, help="write per-page results here")
    ap.add_argument(
        "--dev", action="store_true", help="the calibration set: other pages and degradations"
    )
    args = ap.parse_args(argv)
    n_synth, n_born = (2, 1) if args.quick else (args.pages, args.born)
    cases = build_cases(n_synth, n_born, args.dev)
    if args.kinds:
        keep = {k.strip() for k in args.kinds.split(",")}
        cases = [c for c in cases if c.kind in keep or c.kind.split(" ")[0] in keep]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(run_case, cases))
    print(table(results))
    print(review_report(results))
    print(gate_report(results))
    print(seal_report(results))
    print(f"{len(results)} pages in {time.perf_counter() - t0:.0f} s with {args.workers} workers")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
