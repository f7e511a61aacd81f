"""Vietnamese text repair: diacritics restoration and OCR post-correction (issue 4).

`restore_text(text)` repairs text with no diacritics, legacy English-model OCR and Vietnamese OCR
with tone-mark errors, keeping numbers, codes, acronyms, Latin words, case and line breaks.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Protocol

from pipeline.restore.model import Change, NgramRestorer, Restoration
from pipeline.restore.modes import detect_mode

DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "restorer"

__all__ = [
    "Change",
    "Restoration",
    "Restorer",
    "ModelMissing",
    "detect_mode",
    "load_restorer",
    "restore_text",
]


class Restorer(Protocol):
    def restore(self, text: str, mode: str = "auto") -> Restoration: ...


class ModelMissing(FileNotFoundError):
    """The trained restorer is not where it should be (run `make train-restorer`)."""


def load_restorer(path: Path | None = None, cached: bool = True) -> Restorer:
    """Load the trained model from `path` (default models/restorer); no network, cached."""
    path = Path(path or DEFAULT_MODEL).resolve()
    return _load(path) if cached else _load.__wrapped__(path)


@lru_cache(maxsize=4)
def _load(path: Path) -> Restorer:
    needed = ("lm.npz", "channel.json", "settings.json")
    missing = [n for n in needed if not (path / n).is_file()]
    if missing:
        raise ModelMissing(f"restorer model files missing in {path}: {', '.join(missing)}")
    return NgramRestorer.load(path)


def restore_text(text: str, mode: str = "auto") -> Restoration:
    """Repair `text` (NFC) with the default model."""
    return load_restorer().restore(text, mode)
