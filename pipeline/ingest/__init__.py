"""Ingest: command-line paths → opened inputs → pages (images, text layers, text).

Bad inputs never crash a batch: discovery returns them as error entries and opening raises a
typed PipelineError with a one-line reason.
"""

from __future__ import annotations

from pipeline.ingest.discover import SUFFIX_KINDS, discover_inputs, kind_for_suffix
from pipeline.ingest.document import InputDoc, open_input
from pipeline.ingest.images import DEFAULT_IMAGE_DPI, PageImage, to_array
from pipeline.ingest.pages import load_page_image, read_text_pages
from pipeline.ingest.textfile import decode_text, split_pages
from pipeline.ingest.textlayer import TextLayerVerdict, assess_text_layer, read_text_layer

__all__ = [
    "DEFAULT_IMAGE_DPI",
    "SUFFIX_KINDS",
    "InputDoc",
    "PageImage",
    "TextLayerVerdict",
    "assess_text_layer",
    "decode_text",
    "discover_inputs",
    "kind_for_suffix",
    "load_page_image",
    "open_input",
    "read_text_layer",
    "read_text_pages",
    "split_pages",
    "to_array",
]
