"""The only module that runs Tesseract: page image -> words with boxes, confidences and line keys.

Engines sit behind a small protocol and a registry so tests can swap in a fake with canned output
and inject crashes or timeouts without the binary.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Protocol

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
                        config=f"{config} -c lstm_choice_mode=2 -c lstm_choice_iterations=1 "
                        "-c hocr_char_boxes=1",
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


def _image_bytes(image: np.ndarray) -> tuple[bytes, int, int, int, int]:
    """The arguments of tesserocr's `SetImageBytes`: 8-bit grey or RGB pixels, width, height,
    bytes per pixel and per line (an alpha channel is dropped)."""
    pixels = np.ascontiguousarray(image if image.ndim == 2 else image[:, :, :3])
    if pixels.dtype != np.uint8:
        pixels = pixels.astype(np.uint8)
    h, w = pixels.shape[:2]
    depth = 1 if pixels.ndim == 2 else 3
    return pixels.tobytes(), w, h, depth, w * depth


class TesseractApiEngine:
    """Tesseract in this process through tesserocr (libtesseract): the `vie` model is loaded
    once per process and kept, where the CLI pays a process start and a model load on every
    call (~0.12 s: a small crop cost 0.13 s by the CLI, 0.05 s here; issue 13). The same
    library, settings and output (hOCR with choices, or TSV) as `TesseractEngine`; the image is
    handed over as raw pixels, with no file. One Tesseract handle is not thread-safe: calls are
    serialized by a lock (a worker reads one page at a time anyway)."""

    name = "tesseract"

    def __init__(self, psm: int = 3, oem: int = 1, choices: bool = True) -> None:
        self.psm, self.oem, self.choices = psm, oem, choices
        self._apis: dict[str, object] = {}  # lang -> tesserocr.PyTessBaseAPI
        self._lock = threading.Lock()
        self._cli = TesseractEngine(psm, oem, choices)  # the fallback for OSD
        self._osd: Any = None  # the `osd` model's handle, False where it cannot be loaded

    def _api(self, lang: str):  # type: ignore[no-untyped-def]
        import tesserocr

        api = self._apis.get(lang)
        if api is None:
            try:
                api = tesserocr.PyTessBaseAPI(
                    lang=lang,
                    oem=self.oem,  # tesserocr.OEM values are the CLI numbers
                    variables={
                        "preserve_interword_spaces": "1",
                        "hocr_char_boxes": "1",
                        # the runner-up symbols come from the first beam search; the default five
                        # cascading iterations cost ~10% of the page's recognition and changed
                        # the alternatives of 5% of words on real scans, not the text
                        "lstm_choice_iterations": "1",
                    },
                )
            except RuntimeError as exc:
                raise OcrError(f"tesseract cannot load language {lang!r}: {exc}") from exc
            self._apis[lang] = api
        return api

    def read(
        self, image: np.ndarray, *, lang: str, timeout_s: float, psm: int | None = None
    ) -> list[OcrWord]:
        """Words of the page; `psm` overrides the page segmentation mode for this call."""
        pixels = _image_bytes(image)
        with self._lock:
            api = self._api(lang)
            api.SetPageSegMode(psm or self.psm)  # tesserocr.PSM: the CLI numbers
            api.SetVariable("lstm_choice_mode", "2" if self.choices else "0")
            api.SetImageBytes(*pixels)
            if not api.Recognize(timeout=max(1, int(timeout_s * 1000))):
                api.Clear()
                raise OcrError(f"tesseract timed out after {timeout_s:.0f}s")
            text = api.GetHOCRText(0) if self.choices else api.GetTSVText(0)
            api.Clear()
        if self.choices:
            return words_from_hocr(text)
        return words_from_tsv(tsv_columns(text))

    def orientation(self, image: np.ndarray, *, timeout_s: float = 30.0) -> int | None:
        """`TesseractEngine.orientation` through the library: the `osd` model loaded once per
        process (0.10 s a call against the command's 0.43; the same answers on 24 real pages
        turned four ways). The command is the fallback where the library cannot load it."""
        import tesserocr

        pixels = _image_bytes(image)
        with self._lock:
            if self._osd is None:
                try:
                    self._osd = tesserocr.PyTessBaseAPI(
                        lang="osd",
                        psm=tesserocr.PSM.OSD_ONLY,
                        variables={"min_characters_to_try": "10"},
                    )
                except RuntimeError:
                    self._osd = False
            if self._osd is False:
                found = None
            else:
                self._osd.SetImageBytes(*pixels)
                found = self._osd.DetectOrientationScript()
                self._osd.Clear()
        if self._osd is False:
            return self._cli.orientation(image, timeout_s=timeout_s)
        if not found or float(found.get("orient_conf", 0)) < 1.0:
            return None
        return (360 - int(found["orient_deg"])) % 360  # the command's "Rotate": clockwise


_TSV_FIELDS = (
    *("level", "page_num", "block_num", "par_num", "line_num", "word_num"),
    *("left", "top", "width", "height", "conf", "text"),
)


def tsv_columns(text: str) -> dict[str, list]:
    """The API's TSV rows (no header line) as the columns `image_to_data` gives."""
    cols: dict[str, list] = {k: [] for k in _TSV_FIELDS}
    for row in text.splitlines():
        cells = row.split("\t")
        if len(cells) < len(_TSV_FIELDS):
            cells += [""] * (len(_TSV_FIELDS) - len(cells))
        for key, cell in zip(_TSV_FIELDS, cells, strict=False):
            cols[key].append(cell)
    # pytesseract's image_to_data gives whole-number confidences; the same words, the same numbers
    cols["conf"] = [int(float(c)) if c.strip() else -1 for c in cols["conf"]]
    return cols


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


def has_tesserocr() -> bool:
    """tesserocr (libtesseract in this process) is installed and loads."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return False
    return True


def tesseract() -> OcrEngine:
    """Tesseract in this process (tesserocr) when installed, else the `tesseract` CLI."""
    return TesseractApiEngine() if has_tesserocr() else TesseractEngine()


ENGINES: dict[str, Callable[[], OcrEngine]] = {
    "tesseract": tesseract,
    "tesseract-cli": TesseractEngine,
    "fake": FakeEngine,
}

_KEPT = {"tesseract"}  # engines that hold a loaded model: one object per process, kept
_loaded: dict[tuple[int, str], OcrEngine] = {}


def get_engine(name: str) -> OcrEngine:
    """The engine registered as `name`; an engine that loads a model is made once per process
    and handed out again (a worker reads every page with one loaded Tesseract)."""
    try:
        make = ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown OCR engine {name!r}; known: {sorted(ENGINES)}") from None
    if name not in _KEPT:
        return make()
    key = (os.getpid(), name)  # a forked child must not share its parent's handle
    if key not in _loaded:
        _loaded[key] = make()
    return _loaded[key]


def tesseract_languages() -> set[str]:
    """Installed Tesseract language packs (empty if Tesseract is missing)."""
    import pytesseract

    try:
        return set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError):
        return set()
