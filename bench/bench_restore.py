"""Benchmark the restorer on held-out text; prints a table (`make bench-restore`).

(1) syllable accuracy on held-out text with diacritics stripped: Pháp điển đề mục never seen in
    training, and real administrative documents (../shared/realdocs plans and born-digital text),
    against pyvi's `ViUtils.add_accents` in the same run;
(2) WER on held-out text rendered and OCR'd with Tesseract's `eng` model (legacy OCR);
(3) WER on degraded renders OCR'd with `vie`, before and after, and the share of correct tokens
    changed on clean text;
throughput (syllables/s, one core) and model size.
"""

from __future__ import annotations

import argparse
import glob
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from pipeline.restore import DEFAULT_MODEL, load_restorer  # noqa: E402
from pipeline.restore.corpus import DEFAULT_CORPUS, split_corpus  # noqa: E402
from pipeline.restore.evaluate import (  # noqa: E402
    changed_share,
    sample_lines,
    syllable_accuracy,
    word_error_rate,
)
from pipeline.restore.learn_channel import make_pages, read_pages  # noqa: E402
from pipeline.textnorm import nfc, strip_diacritics, vietnamese_share  # noqa: E402

REALDOCS = Path(__file__).resolve().parents[1].parent / "shared" / "realdocs"


def admin_lines() -> list[str]:
    """Lines of real plans and born-digital documents that carry diacritics (the target domain)."""
    files = sorted(glob.glob(str(REALDOCS / "plans_text" / "*.txt")))
    files += sorted(glob.glob(str(REALDOCS / "born_digital" / "*.txt")))
    out = []
    for f in files:
        if f.endswith(".layout.txt"):
            continue
        for line in nfc(Path(f).read_text("utf-8")).split("\n"):
            line = line.strip()
            if len(line) > 20 and vietnamese_share(line)[1] > 0.3:
                out.append(line)
    return out


def pyvi_restore(lines: list[str]) -> list[str] | None:
    try:
        from pyvi import ViUtils
    except ImportError:
        return None
    return [_pyvi_line(ViUtils, x) for x in lines]


def _pyvi_line(vi_utils, line: str) -> str:  # noqa: ANN001
    """pyvi raises KeyError on some inputs (e.g. `nx` in a code): keep such a line as it is."""
    try:
        return str(vi_utils.add_accents(line))
    except (KeyError, IndexError, ValueError):
        return line


def stripped_rows(restorer, name: str, truth: list[str]) -> list[tuple]:  # noqa: ANN001
    stripped = [strip_diacritics(x) for x in truth]
    t = time.perf_counter()
    ours = restorer.restore("\n".join(stripped), mode="full").text.split("\n")
    secs = time.perf_counter() - t
    ok, total = syllable_accuracy(truth, ours)
    ok_ci, _ = syllable_accuracy(truth, ours, fold_case=True)
    rows = [
        (f"(1) {name}: stripped, syllable acc", "restorer", f"{ok_ci / total:.4f}", f"{total} syl")
    ]
    rows.append((f"(1) {name}: same, case-sensitive", "restorer", f"{ok / total:.4f}", ""))
    base = pyvi_restore(stripped)
    if base is not None:
        ok_b, _ = syllable_accuracy(truth, base, fold_case=True)
        rows.append(
            (f"(1) {name}: stripped, syllable acc", "pyvi add_accents", f"{ok_b / total:.4f}", "")
        )
    rows.append((f"    throughput ({name})", "restorer", f"{total / secs:,.0f} syl/s", "1 core"))
    return rows


def ocr_rows(restorer, held, pages: int, seed: int) -> list[tuple]:  # noqa: ANN001
    paragraphs = [ln for d in held for ln in d.lines if len(ln) > 60]
    page_lines = make_pages(paragraphs, pages, seed)
    rows = []
    for lang in ("eng", "vie"):
        texts = read_pages(page_lines, lang, seed + (lang == "vie"))
        truth, ocr = _paired_lines(page_lines, texts)
        rows.append(
            (
                f"({'2' if lang == 'eng' else '3'}) {lang} OCR: WER",
                "input",
                f"{word_error_rate(truth, ocr):.4f}",
                f"{len(truth)} lines",
            )
        )
        for mode in ("auto", "full", "conservative"):
            res = restorer.restore("\n".join(ocr), mode=mode)
            out = res.text.split("\n")
            rows.append(
                (
                    f"({'2' if lang == 'eng' else '3'}) {lang} OCR: WER",
                    f"restorer {mode} ({res.mode})",
                    f"{word_error_rate(truth, out):.4f}",
                    "",
                )
            )
    return rows


def _paired_lines(pages: list[list[str]], texts: list[str]) -> tuple[list[str], list[str]]:
    """Truth and OCR lines of pages whose OCR kept the line count."""
    truth, ocr = [], []
    for lines, text in zip(pages, texts, strict=True):
        got = [ln for ln in text.split("\n") if ln.strip()]
        if len(got) == len(lines):
            truth += lines
            ocr += got
    return truth, ocr


def clean_rows(restorer, lines: list[str]) -> list[tuple]:  # noqa: ANN001
    """Correctly typed text (lines whose words carry diacritics: file names typed without them
    are left out) must come back unchanged."""
    truth = [ln for ln in lines if vietnamese_share(ln)[1] > 0.3]
    out = restorer.restore("\n".join(truth), mode="conservative").text.split("\n")
    auto = restorer.restore("\n".join(truth), mode="auto")
    return [
        (
            "(3) clean text: correct tokens changed",
            "restorer conservative",
            f"{changed_share(truth, out):.4%}",
            "target < 0.1%",
        ),
        (
            "(3) clean text: correct tokens changed",
            f"restorer auto ({auto.mode})",
            f"{changed_share(truth, auto.text.split(chr(10))):.4%}",
            "",
        ),
    ]


def print_table(rows: list[tuple]) -> None:
    widths = [max(len(str(r[i])) for r in rows) for i in range(4)]
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--lines", type=int, default=1500)
    ap.add_argument("--pages", type=int, default=24, help="pages rendered and OCR'd per language")
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args(argv)
    restorer = load_restorer(args.model)
    _, held = split_corpus(args.corpus)
    rows = [("benchmark", "system", "value", "note")]
    rows += stripped_rows(restorer, "Pháp điển held-out đề mục", sample_lines(held, args.lines))
    rows += stripped_rows(restorer, "real admin docs", admin_lines())
    if args.pages:
        rows += ocr_rows(restorer, held, args.pages, args.seed)
    rows += clean_rows(restorer, sample_lines(held, args.lines) + admin_lines())
    size = sum(p.stat().st_size for p in Path(args.model).iterdir() if p.is_file())
    rows.append(("model size", "restorer", f"{size / 1e6:.1f} MB", str(args.model)))
    print_table(rows)


if __name__ == "__main__":
    main()
