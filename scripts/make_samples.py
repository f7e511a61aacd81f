"""Write the sample inputs in data/raw/: the seed plan as text and as a synthetic scanned PDF,
plus two small real scans. Idempotent: files whose bytes would not change are left alone."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.synth import render_scan_pdf  # noqa: E402

SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "plan-hatinh-357.txt"
REAL_SCANS = ("S07_VPCP_CV-3722_scan_p01.png", "S26_TTg_CV-464_scan_p01.png")


def copy_if_changed(src: Path, dst: Path) -> bool:
    if dst.exists() and dst.read_bytes() == src.read_bytes():
        return False
    tmp = dst.with_suffix(dst.suffix + ".tmp")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)
    return True


def make_scan_pdf(text: str, out: Path) -> bool:
    """The seed rendered as a degraded 200-dpi scan; rewritten only if its bytes change."""
    tmp = render_scan_pdf(text, out.with_name(out.stem + ".new.pdf"), title=out.stem)
    if out.exists() and out.read_bytes() == tmp.read_bytes():
        tmp.unlink()
        return False
    os.replace(tmp, out)
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "raw")
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    seed = args.shared / "seeds" / SEED.name
    changed = [copy_if_changed(seed, args.out / SEED.name)]
    changed.append(
        make_scan_pdf(seed.read_text(encoding="utf-8"), args.out / "plan-hatinh-357-scan.pdf")
    )
    for name in REAL_SCANS:
        changed.append(copy_if_changed(args.shared / "realdocs" / "scans" / name, args.out / name))
    print(f"samples in {args.out}: {sum(changed)} written, {len(changed) - sum(changed)} unchanged")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
