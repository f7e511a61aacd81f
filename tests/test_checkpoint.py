"""Page checkpoints: a run killed inside a document resumes at its first unfinished page and
writes the same document.json as a run never interrupted (issue 13)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fixtures import make_pdf
from PIL import Image

from pipeline import checkpoint
from pipeline.config import Settings
from pipeline.runner import run_batch
from pipeline.scheduler import SerialExecutor

# The fake OCR engine (empty pages for images) and no restorer: what is under test is the
# bookkeeping, not the reading.
SETTINGS = Settings(ocr_engine="fake", restorer="none")
LINES = [
    "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH",
    "Số: 357/KH-UBND",
    "KẾ HOẠCH",
    "1. Sở Tư pháp chủ trì, phối hợp với các sở, ngành rà soát văn bản.",
    "Thời gian thực hiện: trong năm 2021.",
    "2. Sở Nội vụ chủ trì tập huấn cán bộ, công chức cấp xã.",
    "Thời gian thực hiện: quý III năm 2021.",
]


class Killed(Exception):
    """Stands for SIGKILL: the run stops between two pages, nothing else runs."""


class StopAfter(SerialExecutor):
    """Serial pages, killed after `n` have come back; counts the pages it read."""

    def __init__(self, n: int | None = None) -> None:
        super().__init__()
        self.n, self.read = n, 0

    def map(self, fn: Callable[[Any], Any], jobs: Iterable[Any], crashed: Any) -> Iterator[Any]:
        for out in super().map(fn, jobs, crashed):
            if self.n is not None and self.read >= self.n:
                raise Killed
            self.read += 1
            yield out


def batch(folder: Path) -> list[Path]:
    folder.mkdir()
    pages = [[f"Trang {i + 1}", *LINES[i % 3 :], f"Hết trang {i + 1}"] for i in range(5)]
    pdf = make_pdf(folder / "plan.pdf", pages)
    frames = [Image.fromarray(np.full((300, 200), 255, np.uint8)) for _ in range(3)]
    frames[0].save(folder / "blank.tif", save_all=True, append_images=frames[1:])
    return [pdf, folder / "blank.tif"]


def outputs(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name in ("document.json", "text.txt", "tasks.csv", "tasks.json")
    }


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict[str, bytes]]:
    root = tmp_path_factory.mktemp("ckpt")
    inputs = batch(root / "in")
    result = run_batch(inputs, root / "out", SETTINGS)
    assert [r.status for r in result.records] == ["ok", "ok"]
    return inputs, outputs(root / "out")


@pytest.mark.parametrize("kill_after", [1, 3, 5, 7])
def test_killed_run_resumes_at_the_first_unfinished_page_and_writes_the_same_outputs(
    tmp_path: Path, reference: tuple[list[Path], dict[str, bytes]], kill_after: int
):
    inputs, expected = reference
    out = tmp_path / "out"
    with pytest.raises(Killed):
        run_batch(inputs, out, SETTINGS, executor=StopAfter(kill_after))
    stored = sorted(p.name for p in out.glob("*/pages/[0-9]*.json"))
    pdf_done = kill_after >= 5  # then its folder has document.json and no pages/ any more
    assert len(stored) == kill_after - 5 * pdf_done
    resumed = StopAfter()
    result = run_batch(inputs, out, SETTINGS, executor=resumed)
    assert resumed.read == 8 - kill_after  # only the pages not stored are read again
    assert [r.status for r in result.records] == ["skipped" if pdf_done else "ok", "ok"]
    assert sum(r.resumed_pages for r in result.records) == kill_after - 5 * pdf_done
    assert outputs(out) == expected
    assert not list(out.glob("*/pages"))  # checkpoints go once document.json holds the pages


def test_force_redoes_every_page_despite_checkpoints(tmp_path: Path):
    inputs = batch(tmp_path / "in")
    with pytest.raises(Killed):
        run_batch(inputs, tmp_path / "out", SETTINGS, executor=StopAfter(2))
    again = StopAfter()
    result = run_batch(inputs, tmp_path / "out", SETTINGS, executor=again, force=True)
    assert again.read == 8 and all(r.resumed_pages == 0 for r in result.records)


def test_pages_stored_for_other_settings_or_another_file_are_not_reused(tmp_path: Path):
    folder = tmp_path / "doc"
    checkpoint.start(folder, "aaa", SETTINGS)
    (folder / "pages" / "0001.json").write_text("{}")
    assert checkpoint.stored_pages(folder, "aaa", SETTINGS) == {1}
    # The restorer only acts on the assembled document: its pages stay good.
    assert checkpoint.stored_pages(folder, "aaa", SETTINGS.model_copy(update={"restorer": "auto"}))
    # so are the output formats: a resume that asks for other outputs keeps the pages
    other_outputs = SETTINGS.model_copy(update={"outputs": (), "pdfa": False, "optimize": True})
    assert checkpoint.stored_pages(folder, "aaa", other_outputs) == {1}
    assert checkpoint.stored_pages(folder, "aaa", SETTINGS.model_copy(update={"dpi": 200})) == set()
    checkpoint.start(folder, "aaa", SETTINGS)
    assert checkpoint.stored_pages(folder, "bbb", SETTINGS) == set()


def test_an_unreadable_stored_page_fails_the_input_once_and_is_read_again(tmp_path: Path):
    inputs = batch(tmp_path / "in")
    out = tmp_path / "out"
    with pytest.raises(Killed):
        run_batch(inputs[:1], out, SETTINGS, executor=StopAfter(2))
    (out / "plan" / "pages" / "0002.json").write_text('{"number": 2, "trunc')
    first = run_batch(inputs[:1], out, SETTINGS, executor=StopAfter())
    assert first.records[0].status == "failed" and "stored page 2" in (first.records[0].error or "")
    again = StopAfter()
    second = run_batch(inputs[:1], out, SETTINGS, executor=again)
    assert second.records[0].status == "ok" and again.read == 1


class Recording(SerialExecutor):
    """Serial pages; remembers the order of (input name, page) it was handed."""

    def __init__(self) -> None:
        super().__init__()
        self.order: list[tuple[str, int]] = []

    def map(self, fn: Callable[[Any], Any], jobs: Iterable[Any], crashed: Any) -> Iterator[Any]:
        def seen(jobs: Iterable[Any]) -> Iterator[Any]:
            for job in jobs:
                self.order.append((job.doc.path.name, job.page_no))
                yield job

        yield from super().map(fn, seen(jobs), crashed)


def test_longest_input_is_read_first_so_the_last_assembly_is_short(tmp_path: Path):
    """The input read last is assembled while the workers idle: it should be a short one."""
    folder = tmp_path / "in"
    folder.mkdir()
    Image.fromarray(np.full((300, 200), 255, np.uint8)).save(folder / "a-one.png")
    frames = [Image.fromarray(np.full((300, 200), 255, np.uint8)) for _ in range(3)]
    frames[0].save(folder / "b-three.tif", save_all=True, append_images=frames[1:])
    run = Recording()
    result = run_batch(
        [folder / "a-one.png", folder / "b-three.tif"], tmp_path / "out", SETTINGS, executor=run
    )
    assert run.order == [
        ("b-three.tif", 1),
        ("b-three.tif", 2),
        ("b-three.tif", 3),
        ("a-one.png", 1),
    ]
    assert [Path(r.path).name for r in result.records] == ["a-one.png", "b-three.tif"]
