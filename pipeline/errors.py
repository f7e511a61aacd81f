"""Typed errors: each carries the exit code and a one-line reason fit for the batch report."""

from __future__ import annotations


class PipelineError(Exception):
    """Base of every error the pipeline reports for one input; the batch goes on."""

    exit_code = 1
    kind = "error"

    def __init__(self, reason: str, path: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path

    def one_line(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.kind}: {self.reason}".replace("\n", " ")


class InputError(PipelineError):
    """The input cannot be read as a document (empty, corrupt, encrypted, not a document)."""

    exit_code = 2
    kind = "bad input"


class UnreadableInput(InputError):
    kind = "unreadable"


class EncryptedPdf(InputError):
    kind = "encrypted"


class ImageTooLarge(InputError):
    kind = "too large"


class OcrError(PipelineError):
    """Tesseract failed or timed out on a page."""

    exit_code = 3
    kind = "ocr failed"


class ToolMissing(PipelineError):
    """A system program the pipeline needs (tesseract, pdftoppm) is not installed."""

    exit_code = 4
    kind = "missing tool"
