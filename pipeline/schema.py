"""JSON Schemas of the output contract, generated from the records themselves.

The committed copies under `schema/` are what downstream users read; a test keeps them equal to
what the code produces, so the documented contract cannot drift from the real one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from .export import TaskRow, atomic_write_json
from .types import SCHEMA_VERSION, Document

SCHEMA_FILES = {"document": "document.schema.json", "tasks": "tasks.schema.json"}


def schemas() -> dict[str, dict[str, Any]]:
    doc = Document.model_json_schema()
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["title"] = f"vndoc document.json (schema_version {SCHEMA_VERSION})"
    tasks = TypeAdapter(list[TaskRow]).json_schema()
    tasks["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    tasks["title"] = f"vndoc tasks.json (schema_version {SCHEMA_VERSION})"
    return {"document": doc, "tasks": tasks}


def write_schemas(folder: Path) -> None:
    for name, schema in schemas().items():
        atomic_write_json(folder / SCHEMA_FILES[name], schema)


def load_committed(folder: Path) -> dict[str, Any]:
    return {n: json.loads((folder / f).read_text()) for n, f in SCHEMA_FILES.items()}
