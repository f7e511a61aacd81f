"""The runner: pages are read in parallel, documents are assembled, parsed and written.

`read_page` is the unit of parallel work (a worker reads one page of one input and returns a
`Page`); the parent collects pages, and when an input's last page arrives it repairs the text,
parses the structure and writes the outputs. A serial and a process-pool executor share that
protocol, so tests run serially and a crashing worker is retried, then reported.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from . import __version__
from .config import Settings
from .errors import PipelineError
from .export import (
    TaskRow,
    is_complete,
    load_document,
    task_rows,
    write_document,
    write_report,
    write_tasks,
)
from .ingest import (
    InputDoc,
    discover_inputs,
    load_page_image,
    open_input,
    read_text_layer,
    read_text_pages,
)
from .ocr import get_engine
from .parse import parse_document
from .reader import read_page_image, relayout_text_layer
from .repair import get_restorer, repair_pages
from .textpage import text_to_pages
from .types import Document, Page, Source

GENERATOR = f"vndoc {__version__}"


@dataclass(frozen=True)
class PageJob:
    doc: InputDoc
    page_no: int
    settings: Settings
    keep_dir: Path | None = None


@dataclass(frozen=True)
class PageOutcome:
    job: PageJob
    page: Page | None
    error: PipelineError | None
    seconds: float


def read_page(job: PageJob) -> PageOutcome:
    """Read one page: its PDF text layer when that passes the quality check, else OCR."""
    start = time.perf_counter()
    try:
        page = _read_page(job)
        return PageOutcome(job, page, None, time.perf_counter() - start)
    except PipelineError as exc:
        return PageOutcome(job, None, exc, time.perf_counter() - start)
    except Exception as exc:  # a bug or a library failure on odd input: report it, go on
        err = PipelineError(f"page {job.page_no}: {type(exc).__name__}: {exc}", str(job.doc.path))
        return PageOutcome(job, None, err, time.perf_counter() - start)


def _read_page(job: PageJob) -> Page:
    doc, settings = job.doc, job.settings
    stages = []
    if doc.kind == "pdf":
        page, verdict = read_text_layer(doc, job.page_no, settings)
        if page is not None:
            # A low-resolution rendering is enough to see a table's rules.
            picture = load_page_image(doc, job.page_no, settings.model_copy(update={"dpi": 100}))
            return relayout_text_layer(page, picture.image)
        stages.append(verdict.to_stage_log())
    loaded = load_page_image(doc, job.page_no, settings)
    keep = job.keep_dir / "intermediate" if job.keep_dir else None
    page = read_page_image(
        loaded.image, job.page_no, loaded.dpi, settings, get_engine(settings.ocr_engine), keep
    )
    return page.model_copy(
        update={"stages": stages + page.stages, "warnings": [*loaded.warnings, *page.warnings]}
    )


# --- executors -------------------------------------------------------------------------------


Executor = Callable[[list[PageJob]], Iterator[PageOutcome]]


def serial_executor(jobs: list[PageJob]) -> Iterator[PageOutcome]:
    for job in jobs:
        yield read_page(job)


def _init_worker() -> None:
    import cv2

    cv2.setNumThreads(1)


def _pooled(
    jobs: list[PageJob], workers: int, fn: Callable[[PageJob], PageOutcome]
) -> Generator[PageOutcome, None, list[PageJob]]:
    """Yield each finished page; return the pages lost when a worker process died."""
    lost: list[PageJob] = []
    with ProcessPoolExecutor(
        workers, mp_context=get_context("spawn"), initializer=_init_worker
    ) as pool:
        futures: dict[Future[PageOutcome], PageJob] = {pool.submit(fn, j): j for j in jobs}
        for fut in as_completed(futures):
            try:
                yield fut.result()
            except BrokenProcessPool:
                lost.append(futures[fut])
    return lost


def pool_executor(workers: int, fn: Callable[[PageJob], PageOutcome] = read_page) -> Executor:
    """Page-parallel processes. When a worker dies (a segfault, the OOM killer) every page in
    flight is lost with it; each lost page is then retried alone, so only the page that kills
    its worker again is reported, and its neighbours are not."""

    def run(jobs: list[PageJob]) -> Iterator[PageOutcome]:
        lost = yield from _pooled(jobs, workers, fn)
        for job in sorted(lost, key=lambda j: (str(j.doc.path), j.page_no)):
            if (yield from _pooled([job], 1, fn)):
                err = PipelineError(
                    f"page {job.page_no}: worker process crashed", str(job.doc.path)
                )
                yield PageOutcome(job, None, err, 0.0)

    return run


# --- documents -------------------------------------------------------------------------------


def assemble(doc: InputDoc, pages: list[Page], settings: Settings) -> Document:
    """Repair the text, parse the structure, and build the output record."""
    pages = sorted(pages, key=lambda p: p.number)
    pages, repairs = repair_pages(
        pages, get_restorer(settings.restorer), max_conf=settings.repair_max_conf
    )
    parsed = parse_document(pages)
    return Document(
        generator=GENERATOR,
        source=Source(
            path=str(doc.path),
            sha256=doc.sha256,
            kind=doc.kind,
            size_bytes=doc.size_bytes,
            page_count=doc.page_count,
        ),
        header=parsed.header,
        pages=pages,
        tasks=parsed.tasks,
        repairs=repairs,
        warnings=[*doc.warnings, *(w for p in pages for w in p.warnings), *parsed.warnings],
    )


def text_document_pages(doc: InputDoc) -> list[Page]:
    pages = []
    for i, text in enumerate(read_text_pages(doc)):
        for page in text_to_pages(text):
            pages.append(page.model_copy(update={"number": i + 1}))
    return pages


# --- batch -----------------------------------------------------------------------------------


@dataclass
class InputRecord:
    path: str
    output: str | None = None
    status: str = "pending"  # ok | skipped | failed
    sha256: str | None = None
    pages: int = 0
    tasks: int = 0
    seconds: float = 0.0
    error: str | None = None
    error_kind: str | None = None
    exit_code: int = 0
    page_seconds: list[float] = field(default_factory=list)

    def fail(self, err: PipelineError) -> None:
        self.status, self.error = "failed", err.one_line()
        self.error_kind, self.exit_code = err.kind, err.exit_code


@dataclass
class BatchResult:
    records: list[InputRecord]
    out_dir: Path

    @property
    def failed(self) -> list[InputRecord]:
        return [r for r in self.records if r.status == "failed"]

    @property
    def exit_code(self) -> int:
        codes = {r.exit_code for r in self.failed}
        return 0 if not codes else (codes.pop() if len(codes) == 1 else 1)


Progress = Callable[[str, int], None]  # (event, amount): "total" pages, "advance" pages


def output_names(paths: list[Path]) -> dict[Path, str]:
    """Each input's output folder: its stem, disambiguated by a path hash when stems collide."""
    stems: dict[str, int] = {}
    for p in paths:
        stems[p.stem] = stems.get(p.stem, 0) + 1
    return {
        p: p.stem
        if stems[p.stem] == 1
        else f"{p.stem}-{hashlib.sha256(str(p.resolve()).encode()).hexdigest()[:8]}"
        for p in paths
    }


def run_batch(
    inputs: list[Path],
    out_dir: Path,
    settings: Settings,
    *,
    workers: int = 1,
    force: bool = False,
    progress: Progress | None = None,
    on_result: Callable[[InputRecord], None] | None = None,
    executor: Executor | None = None,
) -> BatchResult:
    """Process every input into `out_dir`; inputs already done (same sha256) are skipped."""
    started = datetime.now(UTC)
    notify = progress or (lambda event, n: None)
    report = on_result or (lambda rec: None)
    paths, discovery_errors = discover_inputs(inputs)
    records = [_failed_record(p, e) for p, e in discovery_errors]
    for rec in records:
        report(rec)
    names = output_names(paths)
    docs: dict[Path, tuple[InputDoc, InputRecord]] = {}
    for path in paths:
        rec = InputRecord(path=str(path), output=names[path])
        records.append(rec)
        try:
            doc = open_input(path, settings)
        except PipelineError as err:
            rec.fail(err)
            report(rec)
            continue
        rec.sha256, rec.pages = doc.sha256, doc.page_count
        if not force and is_complete(out_dir / names[path], doc.sha256):
            loaded = load_document(out_dir / names[path])
            rec.status, rec.tasks = "skipped", len(loaded.tasks) if loaded else 0
            report(rec)
            continue
        docs[path] = (doc, rec)
    notify("total", sum(d.page_count for d, _ in docs.values()))
    _process(docs, out_dir, settings, workers, executor, notify, report)
    result = BatchResult(records=records, out_dir=out_dir)
    _write_batch(result, settings, started)
    return result


def _process(
    docs: dict[Path, tuple[InputDoc, InputRecord]],
    out_dir: Path,
    settings: Settings,
    workers: int,
    executor: Executor | None,
    notify: Progress,
    report: Callable[[InputRecord], None],
) -> None:
    jobs: list[PageJob] = []
    for doc, rec in docs.values():
        if doc.kind == "text":
            start = time.perf_counter()
            _finish(doc, rec, partial(text_document_pages, doc), out_dir, settings, start)
            notify("advance", doc.page_count)
            report(rec)
            continue
        keep = out_dir / rec.output if settings.keep_intermediate and rec.output else None
        jobs += [PageJob(doc, n, settings, keep) for n in range(1, doc.page_count + 1)]
    run = executor or (pool_executor(workers) if workers > 1 else serial_executor)
    got: dict[Path, list[PageOutcome]] = {}
    for outcome in run(jobs):
        notify("advance", 1)
        doc = outcome.job.doc
        got.setdefault(doc.path, []).append(outcome)
        if len(got[doc.path]) == doc.page_count:
            _finish_pages(doc, docs[doc.path][1], got.pop(doc.path), out_dir, settings)
            report(docs[doc.path][1])


def _finish_pages(
    doc: InputDoc,
    rec: InputRecord,
    outcomes: list[PageOutcome],
    out_dir: Path,
    settings: Settings,
) -> None:
    rec.page_seconds = [round(o.seconds, 3) for o in sorted(outcomes, key=lambda o: o.job.page_no)]
    errors = [o.error for o in outcomes if o.error is not None]
    if errors:
        first = min(errors, key=lambda e: e.reason)
        rec.fail(first)
        rec.seconds = round(sum(rec.page_seconds), 3)
        return
    pages = [o.page for o in outcomes if o.page is not None]
    _finish(doc, rec, lambda: pages, out_dir, settings, time.perf_counter() - sum(rec.page_seconds))


def _finish(
    doc: InputDoc,
    rec: InputRecord,
    pages: Callable[[], list[Page]],
    out_dir: Path,
    settings: Settings,
    start: float,
) -> None:
    try:
        document = assemble(doc, pages(), settings)
        write_document(out_dir / (rec.output or doc.path.stem), document)
    except PipelineError as err:
        err.path = err.path or str(doc.path)
        rec.fail(err)
    except Exception as exc:  # never lose the batch to one document
        rec.fail(PipelineError(f"{type(exc).__name__}: {exc}", str(doc.path)))
    else:
        rec.status, rec.tasks = "ok", len(document.tasks)
    rec.seconds = round(time.perf_counter() - start, 3)


def _failed_record(path: Path, err: PipelineError) -> InputRecord:
    rec = InputRecord(path=str(path))
    err.path = err.path or str(path)
    rec.fail(err)
    return rec


def _write_batch(result: BatchResult, settings: Settings, started: datetime) -> None:
    out = result.out_dir
    rows: list[TaskRow] = []
    for rec in result.records:
        if rec.status in ("ok", "skipped") and rec.output:
            doc = load_document(out / rec.output)
            if doc is not None:
                rows += task_rows(doc, rec.output)
    write_tasks(out, rows)
    write_report(out, batch_report(result, settings, started))


def batch_report(result: BatchResult, settings: Settings, started: datetime) -> dict[str, Any]:
    recs = result.records
    return {
        "generator": GENERATOR,
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": settings.model_dump(),
        "totals": {
            "inputs": len(recs),
            "ok": sum(r.status == "ok" for r in recs),
            "skipped": sum(r.status == "skipped" for r in recs),
            "failed": len(result.failed),
            "pages": sum(r.pages for r in recs if r.status == "ok"),
            "tasks": sum(r.tasks for r in recs if r.status in ("ok", "skipped")),
        },
        "exit_code": result.exit_code,
        "inputs": [vars(r) for r in recs],
    }
