"""The in-process Tesseract (tesserocr) reads exactly what the `tesseract` CLI reads (issue 13)."""

from __future__ import annotations

import shutil
import threading

import numpy as np
import pytest

from pipeline import ocr
from pipeline.errors import OcrError
from pipeline.ocr import TesseractApiEngine, TesseractEngine, get_engine, tsv_columns

needs_cli = pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")
needs_api = pytest.mark.skipif(not ocr.has_tesserocr(), reason="needs tesserocr")


def _page() -> np.ndarray:
    """A small printed Vietnamese page, rendered in code so the text is known."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (1400, 420), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", 40
    )
    lines = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Sở Tài chính chủ trì, phối hợp với các sở, ngành.",
    ]
    for i, line in enumerate(lines):
        draw.text((60, 60 + 110 * i), line, font=font, fill=0)
    return np.asarray(img)


@pytest.mark.tesseract
@needs_cli
@needs_api
@pytest.mark.parametrize("choices", [True, False], ids=["hocr-choices", "tsv"])
@pytest.mark.parametrize("psm", [None, 4, 6])
def test_in_process_engine_reads_what_the_cli_reads(choices: bool, psm: int | None):
    page = _page()
    cli = TesseractEngine(choices=choices).read(page, lang="vie", timeout_s=60, psm=psm)
    api = TesseractApiEngine(choices=choices).read(page, lang="vie", timeout_s=60, psm=psm)
    assert api == cli
    assert any("Độc" in w.text for w in api)


@pytest.mark.tesseract
@needs_api
def test_colour_and_grey_pages_read_alike_in_process():
    grey = _page()
    rgb = np.repeat(grey[:, :, None], 3, axis=2)
    engine = TesseractApiEngine()
    assert engine.read(rgb, lang="vie", timeout_s=60) == engine.read(grey, lang="vie", timeout_s=60)


@pytest.mark.tesseract
@needs_api
def test_engine_is_loaded_once_per_process_and_shared_by_threads():
    engine = get_engine("tesseract")
    assert get_engine("tesseract") is engine
    assert isinstance(engine, TesseractApiEngine)
    page, results = _page(), []

    def read() -> None:
        results.append(engine.read(page, lang="vie", timeout_s=60))

    threads = [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 3 and results[0] == results[1] == results[2]


@pytest.mark.tesseract
@needs_cli
@needs_api
def test_in_process_osd_turns_a_real_page_as_the_cli_does():
    from pathlib import Path

    import cv2

    scan = (
        Path(__file__).resolve().parents[2] / "shared/realdocs/scans/S07_VPCP_CV-3722_scan_p01.png"
    )
    if not scan.is_file():
        pytest.skip("needs ../shared/realdocs")
    page = cv2.imread(str(scan), cv2.IMREAD_GRAYSCALE)
    cli, api = TesseractEngine(), TesseractApiEngine()
    for k, upright in ((0, 0), (1, 90), (2, 180), (3, 270)):  # k quarter turns counter-clockwise
        turned = np.ascontiguousarray(np.rot90(page, k))
        assert api.orientation(turned) == cli.orientation(turned) == upright


@pytest.mark.tesseract
@needs_api
def test_osd_of_a_blank_page_is_unsure_not_an_error():
    assert TesseractApiEngine().orientation(np.full((600, 400), 255, np.uint8)) is None


def test_without_tesserocr_the_cli_engine_is_used(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(ocr, "has_tesserocr", lambda: False)
    monkeypatch.setattr(ocr, "_loaded", {})
    assert isinstance(get_engine("tesseract"), TesseractEngine)


@pytest.mark.tesseract
@needs_api
def test_unknown_language_is_an_ocr_error():
    with pytest.raises(OcrError):
        TesseractApiEngine().read(_page(), lang="xxx", timeout_s=10)


def test_tsv_rows_become_image_to_data_columns():
    row = "5\t1\t1\t1\t1\t1\t10\t20\t30\t40\t91.7\tNgười"
    cols = tsv_columns(row + "\n")
    assert cols["text"] == ["Người"] and cols["conf"] == [91] and cols["left"] == ["10"]
    (word,) = ocr.words_from_tsv(cols)
    assert (word.box.x0, word.box.y1, word.conf) == (10, 60, 91.0)
