"""The unit of parallel work: read one page of one input into a `Page`, in any worker process.

Kept apart from the runner so a worker imports only what reading a page needs (the reader,
not the parser or the restorer): about 100 MB and a second less per worker process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .config import Settings
from .errors import PipelineError
from .ingest import InputDoc, load_page_image, read_text_layer
from .ocr import get_engine
from .reader import read_page_image, relayout_text_layer
from .types import Page


@dataclass(frozen=True)
class PageJob:
    doc: InputDoc
    page_no: int
    settings: Settings
    keep_dir: Path | None = None


@dataclass(frozen=True)
class PageOutcome:
    """A page read, as the JSON of its `Page`: the bytes cross from the worker to the runner
    and go to the page's checkpoint file as they are (a pickled `Page` cost 8 ms a page to
    pickle and unpickle, then 0.4 ms to write as JSON)."""

    job: PageJob
    page_json: bytes | None
    error: PipelineError | None
    seconds: float

    @property
    def page(self) -> Page | None:
        return None if self.page_json is None else Page.model_validate_json(self.page_json)


def read_page(job: PageJob) -> PageOutcome:
    """Read one page: its PDF text layer when that passes the quality check, else OCR."""
    start = time.perf_counter()
    try:
        data = _read_page(job).model_dump_json().encode("utf-8")
        return PageOutcome(job, data, None, time.perf_counter() - start)
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


def crashed(job: PageJob) -> PageOutcome:
    """The outcome of a page whose worker process died on it, again."""
    err = PipelineError(f"page {job.page_no}: worker process crashed", str(job.doc.path))
    return PageOutcome(job, None, err, 0.0)


def init_worker() -> None:
    """One OpenCV thread per worker: the page, not the thread, is the unit of parallel work."""
    import cv2

    cv2.setNumThreads(1)
