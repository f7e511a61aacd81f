"""Field confidence on the real gold's test split: reliability, ECE, review-flag recall (issue 15).

`make bench-trust` (after `make train-trust`): the calibration in `models/trust/v1.json` was fitted
on the dev split only; this prints, on test, the reliability table (confidence bins vs observed
accuracy), the expected calibration error and the recall / flagged share of the review flag at the
model's cut, overall, per field and per input kind, then the dev figures stored in the model.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipeline.trust.train import GOLD, MODEL, evaluate, report_table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, default=MODEL)
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--split", default="test")
    ap.add_argument("--json", type=Path, help="also write the report here")
    args = ap.parse_args()
    report = evaluate(args.model, args.gold, args.split)
    print(report_table(report))
    meta = json.loads(args.model.read_text(encoding="utf-8"))["meta"]
    for name in ("metrics_dev_out_of_fold", "metrics_dev_in_sample"):
        m = meta[name]
        print(
            f"{name}: {m['fields']} fields, {m['wrong']} wrong, ECE {m['ece']:.4f}, "
            f"recall {m['recall']:.3f}, flagged {m['flagged_share']:.3f}"
        )
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
