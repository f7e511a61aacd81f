"""A born-digital input keeps its own text layer in searchable.pdf: no second layer over it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli import app

PAGE = Path(__file__).parent / "data" / "textlayer" / "B06-page5.pdf"


def _pdftotext(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_a_born_digital_pdf_keeps_its_text_layer_once(tmp_path: Path):
    result = CliRunner().invoke(
        app, ["run", str(PAGE), "--out", str(tmp_path), "--outputs", "pdf", "--workers", "1", "-q"]
    )
    assert result.exit_code == 0, result.output
    searchable = tmp_path / PAGE.stem / "searchable.pdf"
    assert _pdftotext(searchable) == _pdftotext(PAGE)
