"""The runner: pages are read in parallel, documents are assembled, parsed and written.

`read_page` (pipeline/pagejob.py) is the unit of parallel work: a worker reads one page of one
input and returns a `Page`. The parent stores each page as a checkpoint as it arrives
(pipeline/checkpoint.py), and when an input's last page is in it repairs the text, parses the
structure and writes the outputs. Where pages run (this process, a process pool, a Dask cluster)
is the executor's business (pipeline/scheduler.py); the runner only hands it jobs.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from . import __version__, checkpoint
from .config import Settings
from .errors import PipelineError
from .export import (
    TaskRow,
    is_complete,
    load_document,
    load_reviewed,
    task_rows,
    write_document,
    write_report,
    write_tasks,
)
from .ingest import InputDoc, discover_inputs, open_input, read_text_pages
from .ingest.legacy import source_encoding
from .outputs import write_batch_outputs, write_document_outputs
from .pagejob import PageJob, PageOutcome, crashed, init_worker, read_page
from .parse import parse_document
from .repair import get_restorer, repair_pages
from .scheduler import Executor, make_executor
from .textpage import text_to_pages
from .trust import attach_trust
from .types import Document, Page, Source

GENERATOR = f"vndoc {__version__}"


__all__ = ["Executor", "PageJob", "PageOutcome", "read_page", "run_batch"]


# --- documents -------------------------------------------------------------------------------


def assemble(doc: InputDoc, pages: list[Page], settings: Settings) -> Document:
    """Repair the text, parse the structure, and build the output record."""
    pages = sorted(pages, key=lambda p: p.number)
    pages, repairs = repair_pages(
        pages, get_restorer(settings.restorer), max_conf=settings.repair_max_conf
    )
    parsed = parse_document(pages)
    document = Document(
        generator=GENERATOR,
        source=Source(
            path=str(doc.path),
            sha256=doc.sha256,
            kind=doc.kind,
            size_bytes=doc.size_bytes,
            page_count=doc.page_count,
            encoding=source_encoding(doc.kind, doc.encoding, pages),
        ),
        header=parsed.header,
        pages=pages,
        tasks=parsed.tasks,
        repairs=repairs,
        warnings=[*doc.warnings, *(w for p in pages for w in p.warnings), *parsed.warnings],
    )
    return attach_trust(document)  # field confidences and review flags (issue 15)


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
    page_seconds: list[float | None] = field(default_factory=list)  # None: stored by a past run
    resumed_pages: int = 0  # pages taken from checkpoints of an interrupted run

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
    scheduler: str | None = None,
) -> BatchResult:
    """Process every input into `out_dir`; inputs already done (same sha256) are skipped, and
    an input that was interrupted resumes at its first page not stored.

    Pages run on `executor` when given, else on the one `workers` and `scheduler` ask for
    (scheduler.make_executor: a Dask cluster address or `local`, a process pool, serial)."""
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
    run = executor or make_executor(workers, scheduler, init_worker)
    try:
        _process(docs, out_dir, settings, run, force, notify, report)
    finally:
        if executor is None:
            run.close()
    result = BatchResult(records=records, out_dir=out_dir)
    _write_batch(result, settings, started)
    return result


@dataclass
class _Pending:
    """A paged input while its pages come in: they are stored, not held in memory."""

    doc: InputDoc
    rec: InputRecord
    folder: Path
    todo: list[int]
    left: int = 0
    seconds: dict[int, float] = field(default_factory=dict)
    errors: list[PipelineError] = field(default_factory=list)


def _process(
    docs: dict[Path, tuple[InputDoc, InputRecord]],
    out_dir: Path,
    settings: Settings,
    run: Executor,
    force: bool,
    notify: Progress,
    report: Callable[[InputRecord], None],
) -> None:
    pending: dict[Path, _Pending] = {}
    for doc, rec in docs.values():
        if doc.kind == "text":
            start = time.perf_counter()
            _finish(doc, rec, partial(text_document_pages, doc), out_dir, settings, start)
            notify("advance", doc.page_count)
            report(rec)
            continue
        item = _resume(doc, rec, out_dir / (rec.output or doc.path.stem), settings, force)
        notify("advance", rec.resumed_pages)
        if item.todo:
            pending[doc.path.resolve()] = item
        else:  # every page was stored before the run was stopped
            _finish_pages(item, out_dir, settings)
            report(rec)
    # Longest inputs first: the input read last is assembled (repair, parse, outputs) by this
    # process alone while the workers idle, so it had better be a short one (issue 13).
    order = sorted(pending.values(), key=lambda item: -len(item.todo))
    for outcome in run.map(read_page, _page_jobs(order, settings), crashed):
        notify("advance", 1)
        item = pending[outcome.job.doc.path]
        _collect(item, outcome)
        if item.left == 0:
            del pending[outcome.job.doc.path]
            _finish_pages(item, out_dir, settings)
            report(item.rec)


def _resume(
    doc: InputDoc, rec: InputRecord, folder: Path, settings: Settings, force: bool
) -> _Pending:
    if force:
        checkpoint.clear(folder)
    stored = checkpoint.stored_pages(folder, doc.sha256, settings)
    checkpoint.start(folder, doc.sha256, settings)
    todo = [n for n in range(1, doc.page_count + 1) if n not in stored]
    rec.resumed_pages = doc.page_count - len(todo)
    return _Pending(doc, rec, folder, todo, left=len(todo))


def _page_jobs(items: list[_Pending], settings: Settings) -> Iterator[PageJob]:
    """Jobs in input order, made lazily. Paths are absolute so that a cluster worker in another
    working directory finds the same files (the shared-storage assumption)."""
    for item in items:
        doc = replace(item.doc, path=item.doc.path.resolve())
        keep = item.folder.resolve() if settings.keep_intermediate else None
        for n in item.todo:
            yield PageJob(doc, n, settings, keep)


def _collect(item: _Pending, outcome: PageOutcome) -> None:
    item.left -= 1
    number = outcome.job.page_no
    item.seconds[number] = outcome.seconds
    error = outcome.error
    if outcome.page_json is not None:
        try:
            checkpoint.save_page_json(item.folder, number, outcome.page_json)
        except OSError as exc:
            error = PipelineError(f"page {number}: cannot store the page: {exc}")
    if error is not None:
        error.path = str(item.doc.path)  # the path as the user gave it, not the job's absolute one
        item.errors.append(error)


def _finish_pages(item: _Pending, out_dir: Path, settings: Settings) -> None:
    doc, rec = item.doc, item.rec
    rec.page_seconds = [
        round(item.seconds[n], 3) if n in item.seconds else None
        for n in range(1, doc.page_count + 1)
    ]
    spent = sum(item.seconds.values())
    if item.errors:
        rec.fail(min(item.errors, key=lambda e: e.reason))
        rec.seconds = round(spent, 3)
        return
    numbers = range(1, doc.page_count + 1)
    load = partial(checkpoint.load_pages, item.folder, numbers)
    _finish(doc, rec, load, out_dir, settings, time.perf_counter() - spent)
    if rec.status == "ok" and not settings.keep_intermediate:
        checkpoint.clear(item.folder)


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
        folder = out_dir / (rec.output or doc.path.stem)
        write_document(folder, document)
        write_document_outputs(document, folder, settings)  # pdf, alto, catalogue (issue 12)
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
    """tasks.csv/json, the batch formats and report.json; the batch's documents are read one
    at a time (memory bounded by one document, not by the batch: issue 13)."""
    out = result.out_dir
    rows: list[TaskRow] = []

    def documents() -> Iterator[tuple[str, Document]]:
        for rec in result.records:
            if rec.status in ("ok", "skipped") and rec.output:
                loaded = load_reviewed(out / rec.output)  # a reviewer's corrections first
                if loaded is not None:
                    (doc, reviewed), loaded = loaded, None
                    rows.extend(task_rows(doc, rec.output, reviewed=reviewed))
                    yield rec.output, doc
                    del doc  # let it go before the next one is read

    write_batch_outputs(out, documents(), settings)  # xlsx, parquet; outputs a skipped input lacks
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
