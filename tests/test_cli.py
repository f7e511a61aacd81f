"""The `vndoc` command as a user runs it: outputs, resume, bad inputs, help."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from fixtures import make_pdf, png_header_only
from PIL import Image
from reportlab.lib.pdfencrypt import StandardEncryption
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.schema import schemas

DATA = Path(__file__).parent / "data"
SEED = DATA / "plan-hatinh-357.txt"
runner = CliRunner()


def vndoc(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_help_documents_every_command_and_run_option():
    top = vndoc("--help")
    assert top.exit_code == 0
    for command in ("run", "restore", "schema"):
        assert command in top.output
    run_help = vndoc("run", "--help").output
    for option in ("--out", "--workers", "--dpi", "--text-layer", "--force", "--keep-intermediate"):
        assert option in run_help


def test_seed_text_gives_every_output_and_its_twelve_tasks(tmp_path: Path):
    result = vndoc("run", SEED, "--out", tmp_path, "--quiet")
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "plan-hatinh-357" / "document.json").read_text())
    jsonschema.validate(doc, schemas()["document"])
    assert doc["source"]["sha256"] and doc["source"]["page_count"] == 1
    assert doc["header"]["number_symbol"] == "357/KH-UBND"
    text = (tmp_path / "plan-hatinh-357" / "text.txt").read_text()
    assert "Chủ trì: Sở Thông tin và Truyền thông" in text
    rows = read_csv(tmp_path / "tasks.csv")
    assert [r["ref"] for r in rows if r["ref"][:3] in ("III", "PL.")] == [
        *(f"III.{i}" for i in range(1, 6)),
        *(f"PL.{i}" for i in range(1, 8)),
    ]
    assert json.loads((tmp_path / "tasks.json").read_text())[0]["ref"] == rows[0]["ref"]
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["totals"]["ok"] == 1 and report["inputs"][0]["status"] == "ok"


def test_rerun_skips_complete_inputs_and_redoes_changed_ones(tmp_path: Path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEED, inputs / "a.txt")
    shutil.copy(SEED, inputs / "b.txt")
    out = tmp_path / "out"
    assert vndoc("run", inputs, "--out", out, "-q").exit_code == 0
    (inputs / "b.txt").write_text(SEED.read_text() + "\nThêm một dòng.\n")
    vndoc("run", inputs, "--out", out, "-q")
    report = json.loads((out / "report.json").read_text())
    assert {r["output"]: r["status"] for r in report["inputs"]} == {"a": "skipped", "b": "ok"}
    rows = read_csv(out / "tasks.csv")  # skipped inputs still count in the batch
    assert {r["document"] for r in rows} == {"a", "b"}
    assert len(rows) == report["totals"]["tasks"] >= 2 * 12


def test_interrupted_write_leaves_no_complete_document_and_rerun_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    real_replace = os.replace

    def interrupted(src: str, dst: str | Path) -> None:
        if Path(dst).name == "document.json":
            raise KeyboardInterrupt  # Ctrl-C after the temp file is written, before the rename
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", interrupted)
    result = runner.invoke(app, ["run", str(SEED), "--out", str(tmp_path), "-q"])
    assert result.exit_code != 0
    folder = tmp_path / "plan-hatinh-357"
    assert sorted(p.name for p in folder.iterdir()) == ["text.txt"]  # no temp file left behind
    monkeypatch.setattr(os, "replace", real_replace)
    assert vndoc("run", SEED, "--out", tmp_path, "-q").exit_code == 0
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["inputs"][0]["status"] == "ok"  # redone, not skipped
    assert (folder / "document.json").exists()


def bad_inputs(folder: Path) -> dict[str, str]:
    """Each bad input and a word its reported reason must contain."""
    folder.mkdir()
    (folder / "empty.pdf").write_bytes(b"")
    whole = make_pdf(folder / "whole.tmp", [["Trang một"], ["Trang hai"]])
    (folder / "truncated.pdf").write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    whole.unlink()
    make_pdf(
        folder / "locked.pdf",
        [["Bí mật"]],
        encrypt=StandardEncryption("user-pw", ownerPassword="owner-pw"),
    )
    Image.new("RGB", (40, 40), "white").save(folder / "photo.png")
    shutil.move(folder / "photo.png", folder / "renamed.pdf")
    png_header_only(folder / "bomb.png", 60_000, 60_000)
    (folder / "gone.pdf").symlink_to(folder / "deleted-since.pdf")  # an unreadable path
    return {
        "empty.pdf": "empty",
        "truncated.pdf": "PDF",
        "locked.pdf": "password",
        "renamed.pdf": "PNG",
        "bomb.png": "pixels",
        "gone.pdf": "gone.pdf",
    }


@pytest.mark.tesseract
def test_bad_inputs_are_reported_and_the_batch_completes(tmp_path: Path):
    folder = tmp_path / "in"
    expected = bad_inputs(folder)
    shutil.copy(SEED, folder / "seed.txt")
    Image.fromarray(np.full((800, 600), 255, np.uint8)).save(folder / "blank.png")
    result = vndoc("run", folder, "--out", tmp_path / "out", "-q")
    assert result.exit_code != 0
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    by_name = {Path(r["path"]).name: r for r in report["inputs"]}
    for name, word in expected.items():
        rec = by_name[name]
        assert rec["status"] == "failed", name
        assert name in rec["error"] and word.lower() in rec["error"].lower(), rec["error"]
        assert name in result.output  # the terminal names the file too
        assert "\n" not in rec["error"]
    assert by_name["seed.txt"]["status"] == "ok" and by_name["seed.txt"]["tasks"] >= 12
    assert by_name["blank.png"]["status"] == "ok" and by_name["blank.png"]["tasks"] == 0
    assert (tmp_path / "out" / "seed" / "document.json").exists()


def test_restore_command_names_an_unreadable_file(tmp_path: Path):
    result = runner.invoke(app, ["restore", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2 and "missing.txt" in result.output


def test_restore_command_reads_stdin_and_prints_repaired_text():
    result = runner.invoke(
        app,
        ["restore", "-", "--changes"],
        input="Thuc hien Ke hoach so 09/KH-UBND ngay 12/01/2024\n",
    )
    assert result.exit_code == 0, result.output
    assert "Thực hiện Kế hoạch số 09/KH-UBND ngày 12/01/2024" in result.output
    assert "hoach -> hoạch" in result.output  # --changes lists each change
