"""One settings object with defaults in one place, overridable from the CLI, saved with outputs."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# the writers of pipeline/outputs (WRITERS), issue 12
OutputFormat = Literal["pdf", "alto", "hocr", "xlsx", "parquet", "sqlite"]


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    dpi: int = Field(300, ge=72, le=600, description="rasterization dpi for PDF pages")
    lang: str = Field("vie", description="Tesseract language(s)")
    ocr_engine: str = Field("tesseract", description="registered OCR engine name")
    ocr_timeout_s: float = Field(180.0, gt=0, le=3600, description="per page")
    max_image_pixels: int = Field(
        120_000_000, ge=1_000_000, description="larger images are refused (decompression bombs)"
    )
    restorer: str = Field("auto", description="registered text-repair name: auto, none, ...")
    repair_max_conf: float = Field(
        95.0, ge=0, le=100, description="on good OCR, only words read below this are repaired"
    )
    text_layer: Literal["auto", "never", "always"] = Field(
        "auto", description="use a PDF page's text layer: after a quality check, never, or always"
    )
    low_conf: float = Field(60.0, ge=0, le=100, description="a word under this is low-confidence")
    review_mean_conf: float = Field(
        92.0,
        ge=0,
        le=100,
        description="a page whose mean word confidence is under this needs review",
    )
    review_low_share: float = Field(
        0.03, ge=0, le=1, description="or whose share of low-confidence words is over this"
    )
    keep_intermediate: bool = False
    outputs: tuple[OutputFormat, ...] = Field(
        ("pdf", "alto", "hocr", "xlsx", "parquet", "sqlite"),
        description="outputs beyond document.json/text.txt/tasks.csv/json (pipeline/outputs)",
    )
    pdfa: bool = Field(True, description="searchable.pdf as validated PDF/A-2b")
    optimize: bool = Field(False, description="re-encode lossless page images of searchable.pdf")
