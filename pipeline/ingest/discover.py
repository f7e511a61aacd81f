"""Input discovery: command-line paths → a deterministic list of document files.

Explicitly named paths that cannot be used become error entries (the batch reports them and goes
on); files inside folders that are not documents are skipped silently, as are hidden files.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Literal

from pipeline.errors import InputError, PipelineError, UnreadableInput

Kind = Literal["pdf", "image", "text"]

SUFFIX_KINDS: dict[str, Kind] = {
    ".pdf": "pdf",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
    ".txt": "text",
}


def kind_for_suffix(path: Path) -> Kind | None:
    """The input kind a file name promises (case-insensitive suffix), or None if unsupported."""
    return SUFFIX_KINDS.get(path.suffix.lower())


def describe_file_type(mode: int) -> str:
    """Name a non-regular file type for error messages."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def path_problem(path: Path) -> PipelineError | None:
    """Why a path named as a document file cannot be read, or None when it is a regular file."""
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return UnreadableInput("broken symbolic link", str(path))
        return UnreadableInput("no such file or directory", str(path))
    except PermissionError:
        return UnreadableInput("permission denied", str(path))
    except OSError as exc:
        return UnreadableInput(exc.strerror or type(exc).__name__, str(path))
    if not stat.S_ISREG(st.st_mode):
        return UnreadableInput(f"not a regular file: {describe_file_type(st.st_mode)}", str(path))
    return None


def _walk_folder(folder: Path, errors: list[tuple[Path, PipelineError]]) -> list[Path]:
    """Supported, non-hidden files under `folder`, sorted by their path relative to it."""

    def on_error(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        reason = "permission denied" if isinstance(exc, PermissionError) else str(exc.strerror)
        errors.append((where, UnreadableInput(f"cannot list folder: {reason}", str(where))))

    found: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith(".") and kind_for_suffix(Path(name)) is not None:
                found.append(Path(root) / name)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _explicit_file(path: Path) -> PipelineError | None:
    problem = path_problem(path)
    if problem is not None:
        return problem
    if kind_for_suffix(path) is None:
        supported = " ".join(sorted(SUFFIX_KINDS))
        shown = path.suffix or "(no suffix)"
        return InputError(f"unsupported file type {shown} (supported: {supported})", str(path))
    return None


def discover_inputs(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, PipelineError]]]:
    """Expand files and folders (recursively) into document files, in argument order.

    Folders expand sorted by relative path so a batch is reproducible; a file reached twice is
    listed once. Returns (files, errors); nothing here raises for a bad input.
    """
    files: list[Path] = []
    errors: list[tuple[Path, PipelineError]] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            candidates = _walk_folder(path, errors)
        else:
            problem = _explicit_file(path)
            if problem is not None:
                errors.append((path, problem))
                continue
            candidates = [path]
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                files.append(candidate)
    return files, errors
