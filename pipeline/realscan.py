"""The real-scan benchmark's pages (issue 11): where each transcript's image is, and its split.

A transcript's sidecar (`tests/data/realscan/<stem>.json`) names its page one of two ways:
- `"image"`: a page image of `../shared/realdocs/scans` (S07–S31, the first pages of the scanned
  documents). Its split is `splits.scan_split` of the image's name, the rule frozen first.
- `"pdf"` and `"page"`: a later page of a scanned PDF of `../shared/realdocs/pdfs` (X01–,
  transcribed after the two frozen splits were found to disagree). It takes the split its
  document has in the parser gold (`splits.gold_split`), so a document is dev or test for both
  benchmarks alike. It is rendered at 200 dpi, as the scans were, once, into `.cache/realscan/`.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import Any

from .splits import gold_split, scan_split

SCAN_DPI = 200  # the resolution `../shared/realdocs/scans` was rendered at
ROOT = Path(__file__).resolve().parents[1]
RENDERED = ROOT / ".cache" / "realscan"


def page_split(meta: dict[str, Any]) -> str:
    """`dev` or `test` for a transcribed page, from its sidecar."""
    if "pdf" in meta:
        return gold_split(PurePath(meta["pdf"]).stem, meta["pdf"])
    return scan_split(PurePath(meta["image"]).name)


def page_image(stem: str, meta: dict[str, Any], realdocs: Path) -> Path | None:
    """The page's image file (a PDF page rendered on first use), or None when the shared
    material is not there."""
    if "pdf" not in meta:
        image = realdocs / meta["image"]
        return image if image.exists() else None
    source = realdocs / meta["pdf"]
    out = RENDERED / f"{stem}.png"
    if out.exists() or not source.exists():
        return out if out.exists() else None
    from PIL import Image

    from .config import Settings
    from .ingest import open_input
    from .ingest.pdf import render_pdf_page

    settings = Settings(dpi=SCAN_DPI)
    rendered = render_pdf_page(open_input(source, settings), int(meta["page"]), settings)
    RENDERED.mkdir(parents=True, exist_ok=True)
    part = out.with_suffix(".part.png")
    Image.fromarray(rendered.image).save(part, dpi=(SCAN_DPI, SCAN_DPI))
    part.replace(out)  # atomic: a killed render never leaves a page that looks complete
    return out
