"""Signed PDFs: the number and the day stamped into the blanks at signing are part of the page.

A real signed dispatch (B08, Sở Nông nghiệp và Môi trường Gia Lai, page 1 kept in
tests/data/textlayer) prints `Số:      /SNNMT-CNTY` and `ngày      tháng 8 năm 2026`; the signing
software stamps `8680` and `04` on top as signature widgets. Read through the content stream
alone, the document had no number and no date."""

from __future__ import annotations

from pathlib import Path

from pipeline.config import Settings
from pipeline.ingest.document import open_input
from pipeline.ingest.stamps import stamped_values
from pipeline.ingest.textlayer import read_text_layer
from pipeline.parse import parse_document

SIGNED = Path(__file__).parent / "data" / "textlayer" / "B08_signed_p1.pdf"


def test_the_stamped_number_and_day_complete_the_header() -> None:
    page, verdict = read_text_layer(open_input(SIGNED), 1, Settings())
    assert verdict.usable and page is not None
    header = parse_document([page]).header
    assert header.number_symbol == "8680/SNNMT-CNTY"
    assert header.date == "2026-08-04"


def test_a_signer_stamp_and_the_printed_label_under_a_stamp_stay_out() -> None:
    number = (140.0, 90.0, 180.0, 120.0)
    signer = (380.0, 5.0, 575.0, 56.0)
    drawn = [
        ((120.0, 95.0, 138.0, 109.0), "Số:"),
        ((142.5, 95.5, 168.5, 107.3), "8680"),
        ((150.0, 100.0, 160.0, 110.0), "Số:"),  # printed by the page under the widget
        *[
            ((400.0 + 20 * i, 10.0, 415.0 + 20 * i, 20.0), w)
            for i, w in enumerate(["Ký", "bởi:", "Sở", "Nông", "nghiệp", "18.11.2024", "07:25:14"])
        ],
    ]
    printed = [((150.0, 100.0, 160.0, 110.0), "Số:")]
    assert [t for _, t in stamped_values(drawn, [number, signer], printed)] == ["8680"]
