"""The `vndoc` command line: each command parses its arguments and calls one library function."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from . import __version__
from .config import Settings

OUTPUT_FORMATS = ("pdf", "alto", "hocr", "xlsx", "parquet", "sqlite")  # pipeline.outputs.WRITERS

# searchable.pdf options, the same for `run` and `export`
PdfaOption = Annotated[
    bool, typer.Option("--pdfa/--no-pdfa", help="searchable.pdf as validated PDF/A-2b.")
]
OptimizeOption = Annotated[
    bool, typer.Option("--optimize", help="Re-encode lossless page images of searchable.pdf.")
]

app = typer.Typer(
    help="Digitize Vietnamese official documents: scans, PDFs and legacy OCR text in, "
    "structured tasks (chủ trì / phối hợp / thời gian) out.",
    no_args_is_help=True,
    add_completion=False,
)
err_console = Console(stderr=True, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vndoc {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """vndoc: Vietnamese official documents to data."""


@app.command()
def run(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="Files or folders (searched recursively): PDF, PNG, JPG, TIFF, TXT."),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path(
        "data/processed"
    ),
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-j",
            min=1,
            help="Worker processes (page-parallel); default: the usable cores.",
            show_default=False,
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Run pages on a Dask cluster: tcp://HOST:8786, or `local` for a LocalCluster "
            "of --workers processes here. Default: a process pool on this machine."
        ),
    ] = None,
    dpi: Annotated[int, typer.Option(help="Rasterization dpi for PDF pages.")] = 300,
    lang: Annotated[str, typer.Option(help="Tesseract language(s).")] = "vie",
    text_layer: Annotated[
        str,
        typer.Option(help="Use PDF text layers: auto (after a quality check), never, always."),
    ] = "auto",
    restorer: Annotated[
        str, typer.Option(help="Text repair: auto (the model in models/ if present), none.")
    ] = "auto",
    force: Annotated[
        bool, typer.Option("--force", help="Redo inputs whose outputs are already complete.")
    ] = False,
    keep_intermediate: Annotated[
        bool, typer.Option("--keep-intermediate", help="Write each clean-up stage's page image.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    outputs: Annotated[
        str,
        typer.Option(
            help="Outputs beyond document.json, text.txt and tasks.csv/json, comma-separated: "
            "pdf (searchable.pdf), alto (alto/page-NNNN.xml), hocr (hocr/page-NNNN.hocr), "
            "xlsx (tasks.xlsx), parquet "
            "(tasks.parquet, documents.parquet), sqlite (catalogue.sqlite); `none` for none."
        ),
    ] = ",".join(OUTPUT_FORMATS),
    pdfa: PdfaOption = True,
    optimize: OptimizeOption = False,
) -> None:
    """Process INPUTS into OUT: per input OUT/<stem>/document.json, text.txt, searchable.pdf
    (the scan with our text, PDF/A-2b), alto/page-NNNN.xml (ALTO 4) and hocr/; for the batch
    OUT/tasks.csv, tasks.json, tasks.xlsx, tasks.parquet, documents.parquet, catalogue.sqlite
    (updated as each document finishes) and report.json. Inputs whose outputs are complete and
    whose sha256 is unchanged are skipped. Exit code 0 if every input succeeded, else non-zero."""
    from .runner import run_batch
    from .scheduler import usable_cores

    if text_layer not in ("auto", "never", "always"):
        raise typer.BadParameter("must be auto, never or always", param_hint="--text-layer")
    mode: Literal["auto", "never", "always"] = text_layer  # type: ignore[assignment]
    settings = Settings(
        dpi=dpi,
        lang=lang,
        text_layer=mode,
        restorer=restorer,
        keep_intermediate=keep_intermediate,
        outputs=_output_formats(outputs, "--outputs"),  # type: ignore[arg-type]
        pdfa=pdfa,
        optimize=optimize,
    )
    show = not quiet and sys.stderr.isatty()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        disable=not show,
    ) as bar:
        task = bar.add_task("pages", total=None)

        def on_progress(event: str, n: int) -> None:
            if event == "total":
                bar.update(task, total=n)
            else:
                bar.advance(task, n)

        def on_result(rec) -> None:  # type: ignore[no-untyped-def]
            if rec.status == "failed":
                bar.console.print(f"[red]FAILED[/red] {rec.error}", markup=True, highlight=False)
            elif not quiet:
                resumed = f", {rec.resumed_pages} stored before" if rec.resumed_pages else ""
                bar.console.print(
                    f"{rec.status:7s} {rec.path} ({rec.pages} pages{resumed}, {rec.tasks} tasks)",
                    markup=False,
                    highlight=False,
                )

        result = run_batch(
            inputs,
            out,
            settings,
            workers=workers or usable_cores(),
            force=force,
            scheduler=scheduler,
            progress=on_progress,
            on_result=on_result,
        )
    recs = result.records
    ok = sum(r.status == "ok" for r in recs)
    skipped = sum(r.status == "skipped" for r in recs)
    tasks = sum(r.tasks for r in recs if r.status in ("ok", "skipped"))
    err_console.print(
        f"done: {ok} processed, {skipped} skipped, {len(result.failed)} failed, {tasks} tasks "
        f"-> {out}/tasks.csv (report: {out}/report.json)",
        markup=False,
        highlight=False,
    )
    raise typer.Exit(result.exit_code)


def _output_formats(text: str, hint: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in text.split(",") if n.strip() and n.strip() != "none")
    unknown = [n for n in names if n not in OUTPUT_FORMATS]
    if unknown:
        raise typer.BadParameter(
            f"unknown {', '.join(unknown)}; choose from {', '.join(OUTPUT_FORMATS)}",
            param_hint=hint,
        )
    return names


@app.command()
def export(
    folder: Annotated[Path, typer.Argument(help="An output folder of `vndoc run`.")],
    to: Annotated[
        str,
        typer.Option("--to", help=f"Comma-separated: {', '.join(OUTPUT_FORMATS)} (default: all)."),
    ] = ",".join(OUTPUT_FORMATS),
    pdfa: PdfaOption = True,
    optimize: OptimizeOption = False,
) -> None:
    """Rebuild outputs from the document.json files of FOLDER (no OCR, no parsing): searchable
    PDFs need each document's source file where document.json says it is."""
    from .outputs import export_outputs, iter_documents

    formats = _output_formats(to, "--to")
    if next(iter_documents(folder), None) is None:
        err_console.print(f"{folder}: no <stem>/document.json here", markup=False)
        raise typer.Exit(2)
    warnings = export_outputs(folder, formats, Settings(pdfa=pdfa, optimize=optimize))
    for w in warnings:
        err_console.print(w, markup=False, highlight=False)
    err_console.print(f"exported {', '.join(formats)} -> {folder}", markup=False)
    raise typer.Exit(1 if any("output failed" in w for w in warnings) else 0)


@app.command()
def schema(
    out: Annotated[
        Path | None, typer.Option(help="Write the schema files into this folder instead.")
    ] = None,
) -> None:
    """Print (or write) the JSON Schemas of document.json and of a tasks.json row."""
    from .schema import schemas, write_schemas

    if out is not None:
        write_schemas(out)
        return
    typer.echo(json.dumps(schemas(), ensure_ascii=False, indent=2))


train_app = typer.Typer(help="Train a model from the project's own data.", no_args_is_help=True)
eval_app = typer.Typer(help="Evaluate a model against gold data.", no_args_is_help=True)
app.add_typer(train_app, name="train")
app.add_typer(eval_app, name="eval")

GOLD = Path("tests/data/gold/gold.jsonl")
PARSER_MODEL = Path("models/parser/v1")


@train_app.command("parser")
def train_parser(
    gold: Annotated[Path, typer.Option(help="Gold annotations (JSONL).")] = GOLD,
    out: Annotated[Path, typer.Option(help="Model folder to write.")] = PARSER_MODEL,
    epochs: Annotated[int, typer.Option(min=1, help="Training epochs.")] = 15,
    reviews: Annotated[
        list[Path] | None,
        typer.Option(
            "--reviews",
            help="Also train on the reviewed documents (review.json) of this `vndoc run` "
            "output folder; repeat for more folders.",
        ),
    ] = None,
) -> None:
    """Train the agency/time span model of the parser from GOLD's dev split (plus reviewed
    documents) into OUT."""
    if reviews:
        from .review.learn import train_with_reviews

        meta = train_with_reviews(gold, list(reviews), out, epochs=epochs)
        err_console.print(
            f"{len(meta['reviews'])} reviewed documents added to the gold"
            + "".join(f"\nleft out: {s}" for s in meta["reviews_skipped"]),
            markup=False,
            highlight=False,
        )
    else:
        from .parse.train import train

        meta = train(gold, out, epochs=epochs)
    typer.echo(json.dumps(meta.get("eval", meta), ensure_ascii=False, indent=1))


TRUST_MODEL = Path("models/trust/v1.json")


@train_app.command("trust")
def train_trust(
    gold: Annotated[Path, typer.Option(help="Gold annotations (JSONL; docs/ beside it).")] = GOLD,
    out: Annotated[Path, typer.Option(help="Calibration file to write.")] = TRUST_MODEL,
) -> None:
    """Fit the per-field confidence calibration and review cut on GOLD's dev split into OUT."""
    from .trust.train import train

    meta = train(gold, out)["meta"]
    typer.echo(json.dumps(meta, ensure_ascii=False, indent=1))


@eval_app.command("trust")
def eval_trust(
    gold: Annotated[Path, typer.Option(help="Gold annotations (JSONL; docs/ beside it).")] = GOLD,
    model: Annotated[Path, typer.Option(help="Fitted calibration.")] = TRUST_MODEL,
    split: Annotated[str, typer.Option(help="dev or test.")] = "test",
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
) -> None:
    """Reliability table, expected calibration error and the review flag's recall on a split."""
    from .trust.train import evaluate, report_table

    report = evaluate(model, gold, split)
    typer.echo(
        json.dumps(report, ensure_ascii=False, indent=1) if as_json else report_table(report)
    )


@eval_app.command("parser")
def eval_parser(
    gold: Annotated[Path, typer.Option(help="Gold annotations (JSONL).")] = GOLD,
    model: Annotated[Path, typer.Option(help="Trained model folder.")] = PARSER_MODEL,
    split: Annotated[
        str, typer.Option(help="dev, test, or all (each printed on its own).")
    ] = "all",
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(help="Another model folder (e.g. before reviews) to show beside MODEL."),
    ] = None,
) -> None:
    """Rules and trained model on the gold documents: per split, field, kind and document."""
    from .goldeval import eval_table, evaluate_gold

    splits = ("dev", "test") if split == "all" else (split,)
    report = evaluate_gold(gold, model, splits, baseline_dir=baseline)
    typer.echo(json.dumps(report, ensure_ascii=False, indent=1) if as_json else eval_table(report))


@app.command()
def review(
    folder: Annotated[
        Path,
        typer.Argument(
            help="A `vndoc run` output folder.", exists=True, file_okay=False, dir_okay=True
        ),
    ],
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8765,
    host: Annotated[
        str, typer.Option(help="Address to listen on; only this machine by default.")
    ] = "127.0.0.1",
) -> None:
    """Serve a local review page over FOLDER: each scan beside its header fields and tasks,
    corrections saved to FOLDER/<stem>/review.json (document.json is never changed)."""
    from .review.app import serve

    err_console.print(
        f"reviewing {folder} at http://{host}:{port}/  (Ctrl+C to stop)",
        markup=False,
        highlight=False,
    )
    serve(folder, host=host, port=port)


def _read_input(path: str) -> str:
    from .textnorm import nfc

    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    return nfc(data.decode("utf-8-sig"))


@app.command()
def restore(
    file: Annotated[str, typer.Argument(help="A text file, or - for standard input.")],
    mode: Annotated[
        str, typer.Option(help="auto, full (no/garbled diacritics) or conservative (good OCR).")
    ] = "auto",
    changes: Annotated[
        bool, typer.Option("--changes", help="Also print each change to stderr.")
    ] = False,
) -> None:
    """Print FILE with Vietnamese diacritics restored and OCR errors corrected."""
    from .restore import restore_text

    try:
        text = _read_input(file)
    except (OSError, UnicodeDecodeError) as exc:
        err_console.print(f"{file}: cannot read: {exc}", markup=False)
        raise typer.Exit(2) from exc
    result = restore_text(text, mode=mode)
    sys.stdout.write(result.text)
    if changes:
        for c in result.changes:
            err_console.print(
                f"{c.line + 1}:{c.start}: {c.original} -> {c.replacement} ({c.confidence:.2f})",
                markup=False,
            )
