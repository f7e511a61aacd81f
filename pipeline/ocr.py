"""The only module that runs Tesseract: page image -> words with boxes, confidences and line keys.

Engines sit behind a small protocol and a registry so tests can swap in a fake with canned output
and inject crashes or timeouts without the binary.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from .errors import OcrError, ToolMissing
from .hocr import parse_hocr
from .types import Box

# One OpenMP thread per Tesseract process: the page, not the thread, is the unit of parallel work
# (OCRmyPDF does the same); more threads per process only oversubscribe the cores.
os.environ["OMP_THREAD_LIMIT"] = "1"


@dataclass(frozen=True)
class OcrWord:
    text: str
    box: Box
    conf: float
    block: int
    par: int
    line: int
    alternatives: tuple[str, ...] = ()  # other readings from the LSTM's choices (hOCR)


@contextmanager
def _image_file(image: np.ndarray) -> Iterator[str]:
    """The image as an uncompressed PGM/PPM file for Tesseract to read.

    pytesseract would write a PNG; compressing a noisy 300-dpi scan costs up to a second, a
    third of Tesseract's own time on the page, for a file read once and deleted.
    """
    import cv2

    with tempfile.TemporaryDirectory(prefix="vndoc-ocr-") as folder:
        if image.ndim == 3:
            path = os.path.join(folder, "page.ppm")
            code = cv2.COLOR_RGBA2BGR if image.shape[2] == 4 else cv2.COLOR_RGB2BGR
            cv2.imwrite(path, cv2.cvtColor(image, code))
        else:
            path = os.path.join(folder, "page.pgm")
            cv2.imwrite(path, image)
        yield path


def shift_word(word: OcrWord, dx: int, dy: int) -> OcrWord:
    """The word read on a crop, placed back in the coordinates of the image it was cut from."""
    b = word.box
    return replace(word, box=Box(x0=b.x0 + dx, y0=b.y0 + dy, x1=b.x1 + dx, y1=b.y1 + dy))


class OcrEngine(Protocol):
    name: str

    def read(
        self, image: np.ndarray, *, lang: str, timeout_s: float, psm: int | None = None
    ) -> list[OcrWord]: ...


class TesseractEngine:
    """Tesseract through pytesseract: hOCR with the LSTM's character choices (`choices`, the
    default; each word carries its `alternatives`, issue 11), or TSV (`image_to_data`)."""

    name = "tesseract"

    def __init__(self, psm: int = 3, oem: int = 1, choices: bool = True) -> None:
        self.psm, self.oem, self.choices = psm, oem, choices

    def read(
        self, image: np.ndarray, *, lang: str, timeout_s: float, psm: int | None = None
    ) -> list[OcrWord]:
        """Words of the page; `psm` overrides the page segmentation mode for this call."""
        import pytesseract

        if shutil.which("tesseract") is None:
            raise ToolMissing("tesseract is not installed (run `make install`)")
        config = f"--psm {psm or self.psm} --oem {self.oem} -c preserve_interword_spaces=1"
        try:
            with _image_file(image) as path:
                if self.choices:
                    hocr = pytesseract.image_to_pdf_or_hocr(
                        path,
                        lang=lang,
                        config=f"{config} -c lstm_choice_mode=2 -c hocr_char_boxes=1",
                        timeout=timeout_s,
                        extension="hocr",
                    )
                    return words_from_hocr(hocr.decode("utf-8"))
                data = pytesseract.image_to_data(
                    path,
                    lang=lang,
                    config=config,
                    timeout=timeout_s,
                    output_type=pytesseract.Output.DICT,
                )
        except RuntimeError as exc:  # pytesseract signals its timeout this way
            raise OcrError(f"tesseract timed out after {timeout_s:.0f}s") from exc
        except pytesseract.TesseractError as exc:
            raise OcrError(f"tesseract failed: {str(exc.message).strip()[:300]}") from exc
        return words_from_tsv(data)

    def orientation(self, image: np.ndarray, *, timeout_s: float = 30.0) -> int | None:
        """Tesseract OSD (`--psm 0`): clockwise degrees that make the page upright, or None when
        OSD fails (too little text) or is unsure."""
        import pytesseract

        try:
            with _image_file(image) as path:
                osd = pytesseract.image_to_osd(
                    path,
                    config="--psm 0 -c min_characters_to_try=10",
                    timeout=timeout_s,
                    output_type=pytesseract.Output.DICT,
                )
        except (RuntimeError, pytesseract.TesseractError):
            return None
        if float(osd.get("orientation_conf", 0)) < 1.0:
            return None
        return int(osd["rotate"]) % 360


def words_from_tsv(data: dict[str, list]) -> list[OcrWord]:
    """Keep level-5 (word) rows with text; Tesseract reports conf -1 for non-words."""
    words = []
    for i, level in enumerate(data["level"]):
        text = str(data["text"][i]).strip()
        if int(level) != 5 or not text:
            continue
        x, y, w, h = (int(data[k][i]) for k in ("left", "top", "width", "height"))
        conf = max(0.0, min(100.0, float(data["conf"][i])))
        words.append(
            OcrWord(
                text=text,
                box=Box(x0=x, y0=y, x1=x + w, y1=y + h),
                conf=conf,
                block=int(data["block_num"][i]),
                par=int(data["par_num"][i]),
                line=int(data["line_num"][i]),
            )
        )
    return words


def words_from_hocr(text: str) -> list[OcrWord]:
    """Words of Tesseract's hOCR, each with its alternatives (`pipeline.hocr`)."""
    return [
        OcrWord(word, box, conf, block, par, line, alts)
        for word, box, conf, block, par, line, alts in parse_hocr(text)
    ]


class FakeEngine:
    """Canned output for tests: a callable maps the image to words (or raises)."""

    name = "fake"

    def __init__(self, reader: Callable[[np.ndarray], list[OcrWord]] | None = None) -> None:
        self.reader = reader or (lambda image: [])

    def read(
        self, image: np.ndarray, *, lang: str, timeout_s: float, psm: int | None = None
    ) -> list[OcrWord]:
        return self.reader(image)


ENGINES: dict[str, Callable[[], OcrEngine]] = {
    "tesseract": TesseractEngine,
    "fake": FakeEngine,
}


def get_engine(name: str) -> OcrEngine:
    try:
        return ENGINES[name]()
    except KeyError:
        raise ValueError(f"unknown OCR engine {name!r}; known: {sorted(ENGINES)}") from None


def tesseract_languages() -> set[str]:
    """Installed Tesseract language packs (empty if Tesseract is missing)."""
    import pytesseract

    try:
        return set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError):
        return set()
