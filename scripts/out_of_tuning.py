"""The parser's readings of dev documents it had not been corrected on yet (issue 15's calibration).

The rules were corrected while looking at every dev document, so on dev they are right ~95% of
the time and a calibration fitted there says "0.95" where, on a document nobody has tuned for,
about half the values are right. The dev documents annotated under issue 10 (those not in
`splits.TUNED_BEFORE_ISSUE_10`) were unseen by the parser of commit 5c6aec8, the last one before
issue 10's fixes: its readings of them are what the rules do on an unseen document, with their
real evidence and confidences. This script runs that parser (its `pipeline/` taken from git into
a temporary folder, in a subprocess) over today's pages of those documents and writes its tasks
and header to `tests/data/gold/out_of_tuning.json`, which `vndoc train trust` adds to the dev rows.

    .venv/bin/python scripts/out_of_tuning.py [--commit 5c6aec8]

Only dev documents are read; the test split stays out.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.config import Settings  # noqa: E402
from pipeline.parse.annotate import read_gold  # noqa: E402
from pipeline.splits import PDF_TWINS_OF_TUNED, TUNED_BEFORE_ISSUE_10  # noqa: E402
from pipeline.trust.labels import cached_pages  # noqa: E402

GOLD = ROOT / "tests" / "data" / "gold" / "gold.jsonl"
OUT = ROOT / "tests" / "data" / "gold" / "out_of_tuning.json"
BEFORE_ISSUE_10 = "5c6aec8"
# Fields today's page records carry that the old models do not know (their models forbid extras).
NEW_FIELDS = {"alternatives", "review_reasons", "expected_word_error"}

_RUN_OLD = """
import json, sys
from pipeline.types import Page
from pipeline.parse import parse_document
docs = json.load(sys.stdin)
out = {}
for doc_id, pages in docs.items():
    result = parse_document([Page.model_validate(p) for p in pages])
    out[doc_id] = {"header": result.header.model_dump(mode="json"),
                   "tasks": [t.model_dump(mode="json") for t in result.tasks]}
json.dump(out, sys.stdout, ensure_ascii=False)
"""


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in NEW_FIELDS}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def unseen_dev_records(gold: Path = GOLD) -> list[dict[str, Any]]:
    """Dev documents the parser before issue 10 was never corrected on."""
    tuned = TUNED_BEFORE_ISSUE_10 | PDF_TWINS_OF_TUNED
    return [r for r in read_gold(gold) if r["split"] == "dev" and r["id"] not in tuned]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--commit", default=BEFORE_ISSUE_10)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    settings = Settings()
    records = unseen_dev_records()
    pages = {
        r["id"]: [_strip(p.model_dump(mode="json")) for p in cached_pages(r, GOLD.parent, settings)]
        for r in records
    }
    with tempfile.TemporaryDirectory(prefix="vndoc-old-parser-") as folder:
        got = subprocess.run(
            ["git", "archive", args.commit, "pipeline"], cwd=ROOT, capture_output=True
        )
        if got.returncode != 0:  # a shallow clone or no git: the committed readings stand
            print(f"{args.commit} not in this checkout's history: {args.out} left as it is")
            return
        archive = got.stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        read = subprocess.run(
            [sys.executable, "-c", _RUN_OLD],
            input=json.dumps(pages, ensure_ascii=False),
            capture_output=True,
            text=True,
            check=True,
            cwd=folder,
            env={"PYTHONPATH": folder, "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"},
        ).stdout
    out = {"commit": args.commit, "documents": json.loads(read)}
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tasks = sum(len(d["tasks"]) for d in out["documents"].values())
    print(f"{args.out}: {len(out['documents'])} dev documents, {tasks} tasks read by {args.commit}")


if __name__ == "__main__":
    main()
