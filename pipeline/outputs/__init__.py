"""Outputs for archivists and analysts, one module per format, all reading the typed `Document`.

| format  | written                         | module            |
|---------|---------------------------------|-------------------|
| pdf     | DIR/<stem>/searchable.pdf       | searchable_pdf.py |
| alto    | DIR/<stem>/alto/page-NNNN.xml   | alto.py           |
| hocr    | DIR/<stem>/hocr/page-NNNN.hocr  | hocr.py           |
| sqlite  | DIR/catalogue.sqlite            | catalogue.py      |
| xlsx    | DIR/tasks.xlsx                  | tables.py         |
| parquet | DIR/tasks.parquet, documents.parquet | tables.py    |

Per-document formats are written as each document finishes (the catalogue is updated then, so
an interrupted batch leaves it consistent); batch formats when the batch is done, from rows
gathered one document at a time (`tables.BatchRows`): the documents of a batch are read one
after another and never held all at once. The runner and `vndoc export` call the same two entry
points; stages never import this package.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

from ..config import Settings
from ..export import DOCUMENT_JSON, load_reviewed, write_document
from ..types import Document
from .records import BatchRows

log = logging.getLogger(__name__)

Docs = Iterable[tuple[str, Document]]  # may be a generator: each document is read once


@dataclass(frozen=True)
class Writer:
    scope: Literal["document", "batch"]
    write: Callable[..., list[str]]  # document: (doc, folder, settings); batch: (out, rows)
    present: Callable[[Document, Path], bool] = lambda doc, folder: False
    describe: str = ""


def _pdf(doc: Document, folder: Path, settings: Settings) -> list[str]:
    from .searchable_pdf import write_searchable_pdf

    return write_searchable_pdf(doc, folder, pdfa=settings.pdfa, optimize=settings.optimize)


def _pdf_present(doc: Document, folder: Path) -> bool:
    return doc.source.kind == "text" or (folder / "searchable.pdf").is_file()


def _alto(doc: Document, folder: Path, settings: Settings) -> list[str]:
    from .alto import write_alto

    return write_alto(doc, folder)


def _alto_present(doc: Document, folder: Path) -> bool:
    from .alto import ALTO_DIR, alto_name

    return all((folder / ALTO_DIR / alto_name(p.number)).is_file() for p in doc.pages)


def _hocr(doc: Document, folder: Path, settings: Settings) -> list[str]:
    from .hocr import write_hocr

    return write_hocr(doc, folder)


def _hocr_present(doc: Document, folder: Path) -> bool:
    from .hocr import HOCR_DIR, hocr_name

    return all((folder / HOCR_DIR / hocr_name(p.number)).is_file() for p in doc.pages)


def _sqlite(doc: Document, folder: Path, settings: Settings) -> list[str]:
    from .catalogue import update_catalogue

    update_catalogue(folder.parent, [(folder.name, doc)])
    return []


def _xlsx(out_dir: Path, rows: BatchRows) -> list[str]:
    from .tables import write_xlsx

    return write_xlsx(out_dir, rows)


def _parquet(out_dir: Path, rows: BatchRows) -> list[str]:
    from .tables import write_parquet

    return write_parquet(out_dir, rows)


WRITERS: dict[str, Writer] = {
    "pdf": Writer("document", _pdf, _pdf_present, "searchable PDF/A-2b of each scanned input"),
    "alto": Writer("document", _alto, _alto_present, "ALTO 4 XML per page"),
    "hocr": Writer("document", _hocr, _hocr_present, "hOCR per page"),
    "sqlite": Writer("document", _sqlite, describe="catalogue.sqlite, updated per document"),
    "xlsx": Writer("batch", _xlsx, describe="tasks.xlsx: tasks, documents, agencies sheets"),
    "parquet": Writer("batch", _parquet, describe="tasks.parquet and documents.parquet"),
}
FORMATS = tuple(WRITERS)


def _run(fmt: str, what: str, call: Callable[[], list[str]]) -> list[str]:
    try:
        return call()
    except Exception as exc:  # one format failing must not lose the document or the batch
        log.warning("%s output failed for %s: %s", fmt, what, exc)
        return [f"{fmt} output failed: {type(exc).__name__}: {exc}"]


def write_document_outputs(
    doc: Document,
    folder: Path,
    settings: Settings,
    *,
    only_missing: bool = False,
    record: bool = True,
) -> Document:
    """Write the per-document formats of `settings.outputs` for `doc` into `folder` (the
    catalogue into its parent), after its document.json. A format that fails is named in the
    document's warnings, and document.json is rewritten with them (the catalogue, written
    last, records them too); the document comes back with them."""
    before = len(doc.warnings)
    for fmt in sorted(settings.outputs, key=lambda f: f == "sqlite"):
        writer = WRITERS[fmt]
        if writer.scope != "document" or (only_missing and writer.present(doc, folder)):
            continue
        new = _run(fmt, folder.name, partial(writer.write, doc, folder, settings))
        new = [w for w in new if w not in doc.warnings]
        if new:
            doc = doc.model_copy(update={"warnings": [*doc.warnings, *new]})
    if record and len(doc.warnings) > before and (folder / DOCUMENT_JSON).is_file():
        write_document(folder, doc)
    return doc


def write_batch_outputs(out_dir: Path, docs: Docs, settings: Settings) -> list[str]:
    """The batch formats over `docs`, read one at a time; per-document outputs that a skipped
    document lacks (asked for now, not when it was processed) are written too, and the
    catalogue is brought up to date (a no-op for documents already in it)."""
    warnings: list[str] = []
    rows = BatchRows()
    for name, doc in docs:
        # `doc` may be a reviewer's version (review.json): document.json is never rewritten here
        out = write_document_outputs(doc, out_dir / name, settings, only_missing=True, record=False)
        warnings += out.warnings[len(doc.warnings) :]
        rows.add(name, doc)
        del doc, out  # let it go before the next one is read
    return warnings + _write_batch_formats(out_dir, rows, settings.outputs)


def _write_batch_formats(out_dir: Path, rows: BatchRows, formats: Sequence[str]) -> list[str]:
    """The batch-wide files (tables, catalogue) of `formats`, then the catalogue compacted."""
    warnings: list[str] = []
    for fmt in formats:
        writer = WRITERS[fmt]
        if writer.scope == "batch":
            warnings += _run(fmt, str(out_dir), partial(writer.write, out_dir, rows))
    if "sqlite" in formats:
        warnings += _run("sqlite", str(out_dir), partial(_compact_catalogue, out_dir))
    return warnings


def _compact_catalogue(out_dir: Path) -> list[str]:
    from .catalogue import update_catalogue

    update_catalogue(out_dir, [], compact=True)
    return []


def iter_documents(out_dir: Path) -> Iterator[tuple[str, Document]]:
    """Every `<stem>/document.json` under `out_dir`, by folder name, read one at a time; a
    document a reviewer corrected comes as reviewed (`review.json`, issue 14), so exports
    prefer those values."""
    for path in sorted(out_dir.glob("*/document.json")):
        loaded = load_reviewed(path.parent)
        if loaded is not None:
            doc, loaded = loaded[0], None
            yield path.parent.name, doc
            del doc


def documents_in(out_dir: Path) -> list[tuple[str, Document]]:
    """`iter_documents` as a list (every document in memory: for small folders)."""
    return list(iter_documents(out_dir))


def export_outputs(out_dir: Path, formats: Iterable[str], settings: Settings) -> list[str]:
    """`vndoc export`: rebuild `formats` from the document.json files of `out_dir`, one
    document in memory at a time."""
    chosen = settings.model_copy(update={"outputs": tuple(formats)})
    warnings: list[str] = []
    rows = BatchRows()
    for name, doc in iter_documents(out_dir):
        out = write_document_outputs(doc, out_dir / name, chosen, record=False)
        warnings += [f"{name}: {w}" for w in out.warnings[len(doc.warnings) :]]
        rows.add(name, doc)
        del doc, out  # let it go before the next one is read
    return warnings + _write_batch_formats(out_dir, rows, chosen.outputs)
