"""Page checkpoints: each finished page of an input kept as DIR/<stem>/pages/NNNN.json.

A killed run loses only the pages in flight: the next run reads which pages are stored and
sends only the others to the workers (issue 13). Every page is written atomically and the
document is always assembled from the stored files, so a resumed run's document.json is the
same, byte for byte, as an uninterrupted one's. `pages/source.json` names the input (sha256)
and the settings that shape a page; pages stored under other ones are thrown away, not mixed.
Once document.json is written the folder is removed: the document holds every page.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from .config import Settings
from .errors import PipelineError
from .export import atomic_write_bytes, atomic_write_json
from .types import Page

PAGES_DIR = "pages"
MANIFEST = "source.json"
# Settings used only when the document is assembled from its pages: changing them keeps pages.
# The output formats are written from the assembled document too (pipeline/outputs).
_ASSEMBLY_ONLY = {"restorer", "repair_max_conf", "keep_intermediate", "outputs", "pdfa", "optimize"}


def page_key(settings: Settings) -> str:
    """A digest of the settings that change what a page reads as."""
    shaping = {k: v for k, v in settings.model_dump().items() if k not in _ASSEMBLY_ONLY}
    return hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()[:16]


def page_file(folder: Path, number: int) -> Path:
    return folder / PAGES_DIR / f"{number:04d}.json"


def stored_pages(folder: Path, sha256: str, settings: Settings) -> set[int]:
    """Numbers of the pages already stored for this input and settings; stale ones removed."""
    pages = folder / PAGES_DIR
    manifest = {"sha256": sha256, "settings": page_key(settings)}
    try:
        current = json.loads((pages / MANIFEST).read_text())
    except (OSError, ValueError):
        current = None
    if current != manifest:
        clear(folder)
        return set()
    return {int(p.stem) for p in pages.glob("[0-9]*.json") if p.stem.isdigit()}


def start(folder: Path, sha256: str, settings: Settings) -> None:
    """Name the input and settings the pages about to be stored belong to."""
    manifest = {"sha256": sha256, "settings": page_key(settings)}
    path = folder / PAGES_DIR / MANIFEST
    try:
        if json.loads(path.read_text()) == manifest:
            return
    except (OSError, ValueError):
        pass
    atomic_write_json(path, manifest)


def save_page_json(folder: Path, number: int, data: bytes) -> None:
    """A page already serialised (`PageOutcome.page_json`), stored as it came."""
    atomic_write_bytes(page_file(folder, number), data)


def load_pages(folder: Path, numbers: range) -> list[Page]:
    """The stored pages, in order. A page file that does not read is removed, so the next run
    reads that page again, and the error is raised."""
    pages = []
    for n in numbers:
        path = page_file(folder, n)
        try:
            pages.append(Page.model_validate_json(path.read_bytes()))
        except (OSError, ValueError) as exc:
            path.unlink(missing_ok=True)
            raise PipelineError(
                f"stored page {n} unreadable ({type(exc).__name__}); rerun"
            ) from exc
    return pages


def clear(folder: Path) -> None:
    shutil.rmtree(folder / PAGES_DIR, ignore_errors=True)
