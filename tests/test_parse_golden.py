"""Golden outputs: the header and tasks `parse_document(text_to_pages(...))` gives for a few real
documents, compared field by field. A change that moves them must be deliberate: regenerate with

    VNDOC_REGEN_GOLDEN=1 .venv/bin/pytest -q tests/test_parse_golden.py

and review the diff of `tests/data/golden/*.json` before committing it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from pipeline.parse import parse_document
from pipeline.textpage import text_to_pages

TEXTS = Path(__file__).parent / "data" / "gold" / "texts"
GOLDEN = Path(__file__).parent / "data" / "golden"
DOCUMENTS = {
    "P03": "P03_LD_KH-tuyen-truyen-CCHC-2026.txt",  # duty sentences, per-agency sections, tables
    "P10": "P10_LD_TB-ket-luan-2-tuyen-cao-toc.txt",  # lead-ins, `-`/`+` bullets, deadlines
    "P13": "P13_LD_CV-trien-khai-nhiem-vu-CQDP-2-cap.txt",  # duty fields, Đơn vị thực hiện
    "B08": "B08_GL_CV-8680-SNNMT_3p.txt",  # PDF text layer, công văn, per-agency bullets
}
REGEN = os.environ.get("VNDOC_REGEN_GOLDEN") == "1"


def parsed(name: str) -> dict[str, Any]:
    """The parser's output for a golden document, without evidence (line positions)."""
    result = parse_document(text_to_pages((TEXTS / DOCUMENTS[name]).read_text(encoding="utf-8")))
    return {
        "header": result.header.model_dump(exclude={"evidence"}),
        "tasks": [t.model_dump(exclude={"evidence"}) for t in result.tasks],
    }


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_parser_output_matches_golden(name: str) -> None:
    path = GOLDEN / f"{name}.json"
    got = parsed(name)
    if REGEN:
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    want = json.loads(path.read_text(encoding="utf-8"))
    assert got["header"] == want["header"]
    assert [t["ref"] for t in got["tasks"]] == [t["ref"] for t in want["tasks"]]
    for g, w in zip(got["tasks"], want["tasks"], strict=True):
        assert g == w, g["ref"]
