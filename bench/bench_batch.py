"""Batch throughput, memory and resume cost: `vndoc run` against raw `tesseract -l vie` (issue 13).

The batch mixes real and rendered pages: the 20 real scans of ../shared/realdocs/scans (PNG),
four scanned real PDFs, the seed plan rendered and degraded by pipeline/synth (11 pages) and
three born-digital PDFs (their text layer is read, not OCR'd, when it passes the check).

- raw: every page through `tesseract PAGE stdout -l vie` (psm 3, OMP_THREAD_LIMIT=1), as many
  at once as vndoc has workers; a PDF page is first rendered by `pdftoppm` at the same dpi
  (a user of raw Tesseract must do that too; the render's share is printed apart).
- vndoc: `vndoc run` on the same files, fresh output folder, `--workers` the same count; the
  resident memory (RSS) of its whole process tree (main, workers, Tesseract, pdftoppm) sampled
  every 0.2 s with psutil. RSS counts shared library pages once per process: an upper bound.
- resume: the same run killed with SIGKILL halfway (by its own wall time), then run again;
  the cost is (killed run + resumed run) - uninterrupted run.
- `--big N`: an N-page PDF made by repeating the synth scan, one `vndoc run`, peak RSS and
  pages per minute (the bounded-memory check, target 1.5 GB at 2 workers).

Run: `make bench-batch` (about 10 minutes on 2 idle cores), `make bench-batch-big`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

try:
    import resource
except ImportError:  # not POSIX
    resource = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "realdocs"
SYNTH_SCAN = ROOT / "data" / "raw" / "plan-hatinh-357-scan.pdf"
SCANNED_PDFS = [
    "BCA_KH-589_8p.pdf",
    "BCA_KH-996_4p.pdf",
    "GL_STC_QD-203_7p.pdf",
    "BTC-CucThue_CV-2191_4p.pdf",
]
BORN_DIGITAL = ["B05_GL_QD-3990-SYT_4p.pdf", "B09_QNg_TB-565-UBND_4p.pdf"]
BORN_DIGITAL_PDFS = ["DN_SGDDT_2019_2p.pdf"]
VNDOC = Path(sys.executable).parent / "vndoc"
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def build_batch(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted((REAL / "scans").glob("*.png"))
    sources += [REAL / "pdfs" / n for n in SCANNED_PDFS + BORN_DIGITAL_PDFS]
    sources += [REAL / "born_digital" / n for n in BORN_DIGITAL] + [SYNTH_SCAN]
    missing = [s for s in sources if not s.exists()]
    if missing:
        sys.exit(f"missing inputs (../shared/realdocs, make samples): {missing[:3]}")
    for src in sources:
        shutil.copy2(src, folder / src.name)
    return sorted(folder.iterdir())


def pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(ln.split()[1] for ln in out.stdout.splitlines() if ln.startswith("Pages:")))


def page_list(files: list[Path]) -> list[tuple[Path, int | None]]:
    pages: list[tuple[Path, int | None]] = []
    for f in files:
        if f.suffix.lower() == ".pdf":
            pages += [(f, n) for n in range(1, pdf_pages(f) + 1)]
        else:
            pages.append((f, None))
    return pages


def raw_page(page: tuple[Path, int | None], dpi: int) -> float:
    """Seconds spent rendering (PDF pages); OCR output is discarded."""
    path, number = page
    render = 0.0
    with tempfile.TemporaryDirectory(prefix="bench-raw-") as tmp:
        image = path
        if number is not None:
            start = time.perf_counter()
            stem = Path(tmp) / "p"
            subprocess.run(
                ["pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number)]
                + ["-singlefile", str(path), str(stem)],
                check=True,
            )
            image = stem.with_suffix(".ppm")
            render = time.perf_counter() - start
        subprocess.run(
            ["tesseract", str(image), "stdout", "-l", "vie", "--psm", "3"],
            env=ENV,
            check=True,
            capture_output=True,
        )
    return render


def children_cpu() -> float:
    """CPU seconds of every finished, waited-for descendant (Tesseract under a worker too)."""
    if resource is None:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_raw(pages: list[tuple[Path, int | None]], workers: int, dpi: int) -> dict[str, float]:
    start, cpu = time.perf_counter(), children_cpu()
    with ThreadPoolExecutor(workers) as pool:
        renders = list(pool.map(lambda p: raw_page(p, dpi), pages))
    wall = time.perf_counter() - start
    return {
        "seconds": wall,
        "render_seconds": sum(renders),
        "ppm": len(pages) / wall * 60,
        "cpu": children_cpu() - cpu,
    }


class TreeSampler:
    """Peak summed RSS of a process and all its descendants, sampled in a thread."""

    def __init__(self, pid: int, every_s: float = 0.2) -> None:
        self.root, self.every = psutil.Process(pid), every_s
        self.peak, self.peak_procs = 0, 0
        self.by_role: dict[str, int] = {}  # the largest single process of each kind
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                return
            total = 0
            for p in procs:
                with contextlib.suppress(psutil.Error):  # it ended between two looks
                    rss = p.memory_info().rss
                    total += rss
                    role = "main" if p.pid == self.root.pid else p.name()
                    self.by_role[role] = max(self.by_role.get(role, 0), rss)
            if total > self.peak:
                self.peak, self.peak_procs = total, len(procs)
            self._stop.wait(self.every)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def vndoc_cmd(files: list[Path], out: Path, workers: int, dpi: int) -> list[str]:
    return [str(VNDOC), "run", *map(str, files), "--out", str(out)] + [
        "--workers",
        str(workers),
        "--dpi",
        str(dpi),
        "--quiet",
    ]


def run_vndoc(
    files: list[Path], out: Path, workers: int, dpi: int, kill_after: float | None = None
) -> dict[str, float]:
    start, cpu = time.perf_counter(), children_cpu()
    proc = subprocess.Popen(vndoc_cmd(files, out, workers, dpi), env=ENV, stdout=subprocess.DEVNULL)
    sampler = TreeSampler(proc.pid)
    try:
        proc.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    wall = time.perf_counter() - start
    peak = sampler.stop()
    roles = ", ".join(f"{k} {v / 2**20:.0f}" for k, v in sorted(sampler.by_role.items()))
    print(f"  largest process of each kind, RSS MB: {roles}")
    used = children_cpu() - cpu  # a killed run's orphans are not counted: read it for full runs
    return {"seconds": wall, "peak_rss_mb": peak / 2**20, "rc": float(proc.returncode), "cpu": used}


def report_pages(out: Path) -> tuple[int, int, int]:
    """(pages done, pages taken from checkpoints, inputs failed) from report.json."""
    report = json.loads((out / "report.json").read_text())
    recs = report["inputs"]
    done = sum(r["pages"] for r in recs if r["status"] in ("ok", "skipped"))
    return done, sum(r.get("resumed_pages", 0) for r in recs), report["totals"]["failed"]


def bench_batch(workers: int, dpi: int, work: Path) -> None:
    files = build_batch(work / "in")
    pages = page_list(files)
    print(f"batch: {len(files)} files, {len(pages)} pages, {workers} workers, {dpi} dpi")
    raw = run_raw(pages, workers, dpi)
    full = run_vndoc(files, work / "full", workers, dpi)
    done, _, failed = report_pages(work / "full")
    vn_ppm = done / full["seconds"] * 60
    killed = run_vndoc(files, work / "resume", workers, dpi, kill_after=full["seconds"] / 2)
    stored = len(list((work / "resume").glob("*/pages/0*.json")))
    finished = len(list((work / "resume").glob("*/document.json")))
    resumed = run_vndoc(files, work / "resume", workers, dpi)
    _, from_ckpt, _ = report_pages(work / "resume")
    cost = killed["seconds"] + resumed["seconds"] - full["seconds"]
    rows = [
        ("raw tesseract -l vie", raw["seconds"], raw["ppm"], "", ""),
        ("vndoc run", full["seconds"], vn_ppm, f"{full['peak_rss_mb']:.0f}", f"{failed}"),
    ]
    print("\n| reader | seconds | pages/min | peak RSS of the tree, MB | inputs failed |")
    print("|---|---|---|---|---|")
    for name, secs, ppm, rss, fail in rows:
        print(f"| {name} | {secs:.1f} | {ppm:.1f} | {rss} | {fail} |")
    print(f"\nraw: {raw['render_seconds']:.1f} s of its page time went to pdftoppm renders")
    print(f"vndoc / raw pages per minute: {vn_ppm / raw['ppm']:.2f}")
    print(
        f"CPU seconds a page (all processes, load-independent): raw {raw['cpu'] / len(pages):.2f}, "
        f"vndoc {full['cpu'] / done:.2f}; pages per minute on {workers} idle cores at that rate: "
        f"raw {60 * workers * len(pages) / raw['cpu']:.1f}, vndoc {60 * workers * done / full['cpu']:.1f}"
    )
    print(
        f"resume: killed at {killed['seconds']:.1f} s with {finished} inputs done and "
        f"{stored} pages stored; the rerun took {resumed['seconds']:.1f} s "
        f"({from_ckpt} pages from checkpoints, peak RSS {resumed['peak_rss_mb']:.0f} MB); "
        f"cost of the interruption {cost:.1f} s ({cost / full['seconds']:.1%} of a full run)"
    )


def read_first_pages(volume: Path, out: Path, period: int, workers: int, dpi: int) -> None:
    """Run vndoc on the volume until its first `period` pages are stored, then kill it."""
    pages = out / volume.stem / "pages"
    wanted = [pages / f"{n:04d}.json" for n in range(1, period + 1)]
    proc = subprocess.Popen(
        vndoc_cmd([volume], out, workers, dpi), env=ENV, stdout=subprocess.DEVNULL
    )
    while proc.poll() is None and not all(p.exists() for p in wanted):
        time.sleep(1)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def prefill(folder: Path, period: int, upto: int) -> None:
    """Store pages period+1..upto as copies of the real pages 1..period (the volume repeats
    them), as an interrupted run would have left them."""
    from pipeline import checkpoint
    from pipeline.types import Page

    read = {
        n: Page.model_validate_json(checkpoint.page_file(folder, n).read_bytes())
        for n in range(1, period + 1)
    }
    for k in range(period + 1, upto + 1):
        checkpoint.save_page(folder, read[(k - 1) % period + 1].model_copy(update={"number": k}))


def bench_big(n_pages: int, workers: int, dpi: int, work: Path, stored: int = 0) -> None:
    """One N-page volume (the synth scan repeated). With `stored`, pages 1..stored come from
    checkpoints: the first period of pages is read for real, the rest are copies of them, and
    the measured run reads the remaining pages and assembles all N (the parent's memory at
    assembly is the part that grows with N; a worker's depends on one page)."""
    period = pdf_pages(SYNTH_SCAN)
    copies = -(-n_pages // period)
    trimmed = work / f"volume-{n_pages}.pdf"
    work.mkdir(parents=True, exist_ok=True)
    if not trimmed.exists():
        big = work / "repeated.pdf"
        subprocess.run(
            ["qpdf", "--empty", "--pages", *[str(SYNTH_SCAN)] * copies, "--", str(big)],
            check=True,
        )
        subprocess.run(
            ["qpdf", "--empty", "--pages", str(big), f"1-{n_pages}", "--", str(trimmed)],
            check=True,
        )
        big.unlink()
    print(f"{trimmed.name}: {pdf_pages(trimmed)} pages, {workers} workers, {dpi} dpi")
    if stored:
        read_first_pages(trimmed, work / "out", period, workers, dpi)
        prefill(work / "out" / trimmed.stem, period, stored)
        print(f"pages 1-{stored} stored ({period} read, the rest copies of them)")
    result = run_vndoc([trimmed], work / "out", workers, dpi)
    done, from_ckpt, failed = report_pages(work / "out")
    read = done - from_ckpt
    print(
        f"vndoc run: {result['seconds']:.0f} s, {read} pages read, {from_ckpt} from checkpoints, "
        f"{done} assembled, peak RSS of the process tree {result['peak_rss_mb']:.0f} MB, "
        f"{failed} failed, {result['cpu']:.0f} CPU s in all"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--big", type=int, default=0, help="pages of the one-volume memory run")
    ap.add_argument("--stored", type=int, default=0, help="--big: pages taken as stored")
    ap.add_argument("--work", type=Path, default=None, help="keep files here (default: temp)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="vndoc-bench-batch-"))
    try:
        if args.big:
            bench_big(args.big, args.workers, args.dpi, work, args.stored)
        else:
            bench_batch(args.workers, args.dpi, work)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
