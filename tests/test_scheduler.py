"""Executors: one protocol for serial, process-pool and Dask runs; workers end with their parent;
`vndoc run` uses every usable core by default (issue 13)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil
import pytest
from fixtures import make_pdf
from PIL import Image
from typer.testing import CliRunner

from pipeline import runner as runner_module
from pipeline.cli import app
from pipeline.config import Settings
from pipeline.runner import run_batch
from pipeline.scheduler import (
    DaskExecutor,
    PoolExecutor,
    SerialExecutor,
    make_executor,
    usable_cores,
)

ROOT = Path(__file__).resolve().parents[1]
SCAN_PDF = ROOT / "data" / "raw" / "plan-hatinh-357-scan.pdf"
REAL_SCAN = ROOT / "data" / "raw" / "S07_VPCP_CV-3722_scan_p01.png"
SETTINGS = Settings(ocr_engine="fake", restorer="none")


def square(n: int) -> int:
    return n * n


def negative(n: int) -> int:
    return -n


def test_every_executor_runs_the_same_jobs_to_the_same_results():
    jobs = list(range(12))
    want = sorted(n * n for n in jobs)
    assert sorted(SerialExecutor().map(square, jobs, negative)) == want
    assert sorted(PoolExecutor(2).map(square, iter(jobs), negative)) == want


def test_make_executor_picks_by_workers_and_scheduler():
    assert make_executor(1).name == "serial"
    assert make_executor(2).name == "pool"


def test_run_uses_every_usable_core_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    seen: dict[str, object] = {}

    def fake_run_batch(inputs, out, settings, **kwargs):  # type: ignore[no-untyped-def]
        seen.update(kwargs)
        return runner_module.BatchResult(records=[], out_dir=out)

    monkeypatch.setattr(runner_module, "run_batch", fake_run_batch)
    result = CliRunner().invoke(app, ["run", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert seen["workers"] == usable_cores() == len(os.sched_getaffinity(0))
    assert seen["scheduler"] is None


def mixed_batch(folder: Path) -> list[Path]:
    """Born-digital PDF pages, a multi-page TIFF, a real scan, legacy text and a corrupt PDF."""
    folder.mkdir()
    lines = ["KẾ HOẠCH", "1. Sở Tư pháp chủ trì rà soát văn bản.", "Thời gian: năm 2021."]
    make_pdf(folder / "born.pdf", [[f"Trang {i}", *lines] for i in range(1, 4)])
    frames = [Image.fromarray(np.full((300, 200), 255, np.uint8)) for _ in range(2)]
    frames[0].save(folder / "blank.tif", save_all=True, append_images=frames[1:])
    (folder / "plan.txt").write_text("KẾ HOẠCH\n1. Sở Nội vụ chủ trì tập huấn.\n", "utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<")
    paths = sorted(folder.iterdir())
    return [*paths, REAL_SCAN] if REAL_SCAN.exists() else paths


# Byte-compared; the archival formats written from document.json (searchable PDF, ...) carry
# their creation time, so only their presence is compared.
SAME_BYTES = ("document.json", "text.txt", "tasks.csv", "tasks.json")


def outputs(out: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(out)): p.read_bytes() if p.name in SAME_BYTES else None
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "report.json"
    }


def test_dask_local_cluster_writes_what_the_process_pool_writes(tmp_path: Path):
    inputs = mixed_batch(tmp_path / "in")
    pool = run_batch(inputs, tmp_path / "pool", SETTINGS, workers=2)
    dask = run_batch(inputs, tmp_path / "dask", SETTINGS, workers=2, scheduler="local")
    statuses = [(r.path, r.status, r.error) for r in pool.records]
    assert statuses == [(r.path, r.status, r.error) for r in dask.records]
    assert sorted(s for _, s, _ in statuses).count("ok") == len(inputs) - 1
    assert outputs(tmp_path / "pool") == outputs(tmp_path / "dask")
    compared = [v for v in outputs(tmp_path / "pool").values() if v is not None]
    assert len(compared) == 2 * (len(inputs) - 1) + 2


def test_dask_executor_reports_a_job_that_kills_its_worker():
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        ex = DaskExecutor("local", 2)
        try:
            got = sorted(ex.map(die_on_three, range(6), negative))
        finally:
            ex.close()
    assert got == [-3, 0, 1, 4, 16, 25]


def die_on_three(n: int) -> int:
    if n == 3:
        os._exit(1)
    return n * n


def _wait_for(cond, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.tesseract
@pytest.mark.slow
def test_kill_9_of_vndoc_run_leaves_no_worker_and_the_rerun_resumes(tmp_path: Path):
    if not SCAN_PDF.exists():
        pytest.skip("needs data/raw (make samples)")
    out = tmp_path / "out"
    vndoc = Path(sys.executable).parent / "vndoc"
    cmd = [str(vndoc), "run", str(SCAN_PDF), "--out", str(out)]
    cmd += ["--workers", "2", "--restorer", "none", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    main = psutil.Process(proc.pid)
    pages = out / SCAN_PDF.stem / "pages"
    try:
        assert _wait_for(lambda: len(list(pages.glob("0*.json"))) >= 2, 120), "no page stored"
        family = main.children(recursive=True)
        assert sum("tesseract" in p.name() or "python" in p.name() for p in family) >= 2
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        _, alive = psutil.wait_procs(family, timeout=10)
        assert alive == [], [(p.pid, p.name()) for p in alive]
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not (out / SCAN_PDF.stem / "document.json").exists()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    (rec,) = json.loads((out / "report.json").read_text())["inputs"]
    assert rec["status"] == "ok" and rec["resumed_pages"] >= 2
    assert rec["page_seconds"].count(None) == rec["resumed_pages"]
