"""A PDF page's own text layer, used instead of OCR only when it is trustworthy.

Real archives carry three kinds of text layer: the exact text of a Word export (use it), the
digital-signature overlay stamped on a scan at signing ("Ký bởi: …", "Thời gian ký: …": not the
page's content), and an invisible OCR layer from the scanner, often made with an English model
that drops every diacritic (garbage). The verdict keeps the measured numbers so the runner can
log why a page was read or OCR'd.

Two more faults of real text layers are handled here (issue 10, classes 9 and 10). A page typed
in a legacy font (TCVN3 `.VnTime`, VNI) is converted to Unicode before it is judged (`legacy.py`),
so it is read, not OCR'd. And a Word export that puts Vietnamese letters in a second subset of
the same font ("BCDEEE+TimesNewRomanPSMT" beside "BCDFEE+…") must not have its words cut at each
change of subset: words are built from glyph geometry alone, glyphs closer than a fraction of a
space are joined, and a page whose syllables still come out split ("t ỉ nh", "V ă n") fails the
quality check and is OCR'd.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from pipeline.ingest.legacy import conversion_warning
from pipeline.ingest.pdfwords import (
    WORD_GAP_EM,
    PdfWord,
    after_space_glyph,
    group_lines,
    join_touching,
    line_text,
    main_font,
    split_syllable_share,
    to_unicode,
)
from pipeline.ingest.stamps import stamp_words
from pipeline.textnorm import vietnamese_share
from pipeline.types import Box, Line, Page, StageLog, Word

if TYPE_CHECKING:
    from pipeline.config import Settings
    from pipeline.ingest.document import InputDoc

# Thresholds, calibrated on /work/shared/realdocs (53 born-digital pages all pass, 51 scanned
# pages all fail): born-digital pages score valid >= 0.86 (Tây Nguyên place names such as Đăk,
# Krông, Ia are not Kinh syllables), marked >= 0.64, words >= 56; the English-model OCR layer of
# DN_SGDDT_2019 scores 0.65 / 0.01; the other scans carry no page text (their signature stamps
# are annotations). Legacy-font mojibake (TCVN3/VNI) scores about 0.4-0.5 valid.
MIN_WORDS = 10
MIN_LETTER_TOKENS = 5
MIN_VALID_SHARE = 0.75
MIN_MARKED_SHARE = 0.30
MAX_JUNK_SHARE = 0.05
MAX_SIDEWAYS_SHARE = 0.5
SCAN_COVER = 0.5  # a page this covered by images is a scan: its text layer is someone's OCR
SCAN_MIN_WORDS = 30
SCAN_MIN_VALID_SHARE = 0.90
SCAN_MIN_MARKED_SHARE = 0.50
# Share of words that are fragments of a split syllable (a fragment that joins its neighbour into
# a valid syllable). Words cut at each font-subset switch: 0.8-4.5% a page in B05 and B06; built
# from geometry: 0 on all 53 born-digital pages, and 0 over the 30 real plain texts of realdocs.
MAX_SPLIT_SHARE = 0.01

# Lines that belong to a signing tool's stamp. Strong markers identify the overlay; weak ones
# (agency, e-mail, bare timestamps) are dropped only on a page that has a strong marker.
_OVERLAY_STRONG = re.compile(
    r"^\s*(ký bởi|người ký|thời gian ký|ngày ký|signed by|signature valid|digitally signed)\b",
    re.IGNORECASE,
)
_OVERLAY_WEAK = re.compile(
    r"^\s*(cơ quan\s*:|email\s*:|e-mail\s*:|chức vụ\s*:|\S+@\S+\.\S+$|[+-]\d\d:\d\d$|"
    r"\d{1,2}[./-]\d{1,2}[./-]\d{4}\s+\d{1,2}:\d\d(:\d\d)?(\s*[+-]\d\d:\d\d)?$)",
    re.IGNORECASE,
)
# Unmapped glyphs: pdfminer's "(cid:N)", NULs from a ToUnicode map to 0, replacement and
# private-use characters.
_JUNK = re.compile(r"\(cid:\d+\)|[\x00-\x08\x0e-\x1f\ufffd\ue000-\uf8ff]")


@dataclass(frozen=True)
class TextLayerVerdict:
    """Whether a page's text layer is used, why, and the numbers the decision rested on."""

    usable: bool
    reason: str
    words: int = 0
    valid_share: float = 0.0
    marked_share: float = 0.0
    image_cover: float = 0.0
    overlay_words: int = 0
    junk_share: float = 0.0
    sideways_share: float = 0.0
    split_share: float = 0.0
    encoding: str | None = None  # the legacy font encoding the layer was converted from

    def to_stage_log(self) -> StageLog:
        detail: dict[str, Any] = {
            "reason": self.reason,
            "words": self.words,
            "valid_share": round(self.valid_share, 3),
            "marked_share": round(self.marked_share, 3),
            "image_cover": round(self.image_cover, 3),
            "overlay_words": self.overlay_words,
            "junk_share": round(self.junk_share, 3),
            "sideways_share": round(self.sideways_share, 3),
            "split_share": round(self.split_share, 3),
        }
        if self.encoding:
            detail["encoding"] = self.encoding
        return StageLog(stage="text_layer", applied=self.usable, detail=detail)


def split_overlay(texts: list[str]) -> tuple[list[int], list[int]]:
    """(content line indexes, signature-overlay line indexes) for a page's line texts."""
    strong = any(_OVERLAY_STRONG.match(t) for t in texts)
    overlay = [
        i
        for i, t in enumerate(texts)
        if _OVERLAY_STRONG.match(t) or (strong and _OVERLAY_WEAK.match(t))
    ]
    dropped = set(overlay)
    content = [i for i in range(len(texts)) if i not in dropped]
    return content, overlay


def _rejection(
    words: int,
    letters: int,
    valid: float,
    marked: float,
    junk: float,
    cover: float,
    split: float = 0.0,
) -> str | None:
    """The first quality rule a layer fails, or None when it passes."""
    rules = [
        (junk > MAX_JUNK_SHARE, f"unmapped glyphs in {junk:.0%} of words"),
        (split > MAX_SPLIT_SHARE, f"split syllables in {split:.0%} of words"),
        (words < MIN_WORDS, f"too few words ({words} < {MIN_WORDS})"),
        (letters < MIN_LETTER_TOKENS, f"too few words of letters ({letters})"),
        (valid < MIN_VALID_SHARE, f"valid syllables {valid:.2f} < {MIN_VALID_SHARE}"),
        (marked < MIN_MARKED_SHARE, f"words with diacritics {marked:.2f} < {MIN_MARKED_SHARE}"),
    ]
    if cover >= SCAN_COVER:  # someone else's OCR under a scan: demand near-clean text
        rules += [
            (words < SCAN_MIN_WORDS, f"scanned page: too few words ({words} < {SCAN_MIN_WORDS})"),
            (valid < SCAN_MIN_VALID_SHARE, f"scanned page: valid syllables {valid:.2f} < 0.9"),
            (marked < SCAN_MIN_MARKED_SHARE, f"scanned page: diacritics {marked:.2f} < 0.5"),
        ]
    return next((reason for failed, reason in rules if failed), None)


def assess_text_layer(
    line_texts: list[str], image_cover: float, mode: str = "auto", sideways_share: float = 0.0
) -> tuple[TextLayerVerdict, list[int]]:
    """Judge a page's text layer from its line texts; also return the content line indexes.

    `sideways_share` is the share of words that do not run left to right on the displayed page
    (a rotated page): their lines cannot be rebuilt reliably, so OCR, which detects orientation,
    reads the page instead.
    """
    content, overlay = split_overlay(line_texts)
    tokens = [tok for i in content for tok in line_texts[i].split()]
    overlay_words = sum(len(line_texts[i].split()) for i in overlay)
    text = "\n".join(line_texts[i] for i in content)
    valid, marked = vietnamese_share(text)
    letters = sum(1 for t in re.findall(r"\w+", text) if t.isalpha())
    junk = sum(1 for t in tokens if _JUNK.search(t)) / len(tokens) if tokens else 0.0
    split = split_syllable_share([line_texts[i] for i in content])
    if mode == "always":
        usable, reason = True, "forced (text_layer=always)"
    elif not tokens:
        usable, reason = False, "only a signature overlay" if overlay_words else "no text layer"
    elif sideways_share > MAX_SIDEWAYS_SHARE:
        usable, reason = False, f"text runs sideways in {sideways_share:.0%} of words"
    else:
        rejection = _rejection(len(tokens), letters, valid, marked, junk, image_cover, split)
        usable, reason = rejection is None, rejection or "text layer passes the quality check"
    verdict = TextLayerVerdict(
        usable,
        reason,
        len(tokens),
        valid,
        marked,
        image_cover,
        overlay_words,
        junk,
        sideways_share,
        split,
    )
    return verdict, content


def image_cover(images: list[dict[str, Any]], width: float, height: float) -> float:
    """Share of the page area under images (clipped to the page; overlaps may count twice)."""
    area = 0.0
    for im in images:
        x0, x1 = max(0.0, float(im["x0"])), min(width, float(im["x1"]))
        y0, y1 = max(0.0, float(im["top"])), min(height, float(im["bottom"]))
        area += max(0.0, x1 - x0) * max(0.0, y1 - y0)
    return min(1.0, area / (width * height)) if width > 0 and height > 0 else 0.0


def to_line(words: list[PdfWord]) -> Line:
    records = [
        Word(
            text=w.text,
            box=Box(
                x0=math.floor(w.x0),
                y0=math.floor(w.top),
                x1=math.ceil(w.x1),
                y1=math.ceil(w.bottom),
            ),
        )
        for w in words
    ]
    text = line_text(words)
    box = Box.enclosing([r.box for r in records if r.box is not None])
    return Line(text=text, raw_text=text, words=records, box=box)


def _extract_page(doc: InputDoc, page_no: int) -> tuple[list[PdfWord], float, float, float]:
    """(words as printed, width, height, image cover) for one page, via pdfplumber, with the
    number and date stamped into the blanks at signing (`stamps.py`).

    Words are cut on geometry and size only: a change of font subset inside a word is not a
    word break (issue 10, class 10). Texts are raw (legacy bytes not yet converted, not NFC).
    """
    import pdfplumber  # imported here: only PDF pages with a text layer pay its import time

    with pdfplumber.open(doc.path, pages=[page_no]) as pdf:
        page = pdf.pages[0]
        raw = page.extract_words(
            keep_blank_chars=False,
            use_text_flow=False,
            x_tolerance_ratio=WORD_GAP_EM,
            extra_attrs=["size"],
            return_chars=True,
        )
        cover = image_cover(page.images, float(page.width), float(page.height))
        width, height = float(page.width), float(page.height)
        spaced = after_space_glyph(page.chars)
        annotated = bool(page.page_obj.annots)  # unresolved: cheap, and only these may hold stamps
    words = [
        PdfWord(
            w["text"],
            w["x0"],
            w["top"],
            w["x1"],
            w["bottom"],
            float(w["size"]),
            bool(w.get("upright", True)),
            main_font(w.get("chars", [])),
            bool(w.get("chars")) and id(w["chars"][0]) in spaced,
        )
        for w in raw
        if w["text"].strip()
    ]
    printed = [((w.x0, w.top, w.x1, w.bottom), w.text) for w in words]
    stamps = stamp_words(doc.path, page_no, printed) if annotated else []
    for (x0, top, x1, bottom), text in stamps:
        words.append(PdfWord(text, x0, top, x1, bottom, bottom - top, spaced=True))
    return words, width, height, cover


def read_text_layer(
    doc: InputDoc, page_no: int, settings: Settings
) -> tuple[Page | None, TextLayerVerdict]:
    """The page from its text layer, or None (OCR it instead), with the verdict to log.

    Coordinates of the returned page are PDF points (Page.dpi = 72). Signature-overlay lines are
    left out of the page.
    """
    if doc.kind != "pdf":
        raise ValueError(f"{doc.path}: only PDF pages have a text layer")
    if not 1 <= page_no <= doc.page_count:
        raise ValueError(f"{doc.path}: page {page_no} outside 1..{doc.page_count}")
    if settings.text_layer == "never":
        return None, TextLayerVerdict(False, "disabled (text_layer=never)")
    try:
        words, width, height, cover = _extract_page(doc, page_no)
    except Exception as exc:  # noqa: BLE001 - pdfminer raises anything on broken PDFs; OCR copes
        return None, TextLayerVerdict(False, f"text layer unreadable ({type(exc).__name__})")
    lines, encoding = to_unicode([join_touching(ln) for ln in group_lines(words)])
    sideways = sum(not w.upright for w in words) / len(words) if words else 0.0
    texts = [line_text(ln) for ln in lines]
    verdict, content = assess_text_layer(texts, cover, settings.text_layer, sideways)
    verdict = replace(verdict, encoding=encoding)
    if not verdict.usable:
        return None, verdict
    page = Page(
        number=page_no,
        width=round(width),
        height=round(height),
        dpi=72,
        source="text_layer",
        lines=[to_line(lines[i]) for i in content],
        stages=[verdict.to_stage_log()],
        warnings=[conversion_warning(encoding, f"page {page_no}: text layer")] if encoding else [],
    )
    return page, verdict
