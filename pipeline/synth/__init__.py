"""Synthetic scans of Vietnamese official documents with known ground truth (tests, samples, benchmarks)."""

from __future__ import annotations

from pipeline.synth.degrade import ScanParams, degrade_scan, sample_scan_params
from pipeline.synth.model import (
    Appendix,
    DocHeader,
    DocTable,
    OfficialDoc,
    Paragraph,
    RenderedPage,
    Signature,
)
from pipeline.synth.pdfout import write_image_pdf
from pipeline.synth.plan import plan_from_text
from pipeline.synth.render import render_document
from pipeline.synth.samples import render_scan_pdf

__all__ = [
    "Appendix",
    "DocHeader",
    "DocTable",
    "OfficialDoc",
    "Paragraph",
    "RenderedPage",
    "ScanParams",
    "Signature",
    "degrade_scan",
    "plan_from_text",
    "render_document",
    "render_scan_pdf",
    "sample_scan_params",
    "write_image_pdf",
]
