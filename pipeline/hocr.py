"""Tesseract hOCR with LSTM character choices -> words with boxes, confidences and alternatives.

With `-c lstm_choice_mode=2 -c hocr_char_boxes=1` Tesseract writes, for every character it read,
its confidence and the other symbols its LSTM weighed at that position (`ocrx_cinfo` spans with
`x_confs`). On real photocopies the hook above a circumflex (`ô`/`ổ`) is often a near tie the
reader settles wrongly with high word confidence; the runner-up is kept here as a reading of
the whole word (`tô` -> `tổ`), for the text repair to re-score with its language model (issue
11). This module only parses; `pipeline.ocr` runs Tesseract.
"""

from __future__ import annotations

import html
import itertools
import re

from .types import Box

CHOICE_MARGIN = 0.5  # a choice within this share of the position's best confidence is a rival
MAX_RIVALS = 2  # rivals kept per character position
MAX_ALTERNATIVES = 8  # readings kept per word

_BBOX = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)")
_WCONF = re.compile(r"x_wconf (-?[\d.]+)")
_CONF = re.compile(r"x_confs? (-?[\d.]+)")


class _Char:
    __slots__ = ("text", "conf", "choices")

    def __init__(self, conf: float) -> None:
        self.text = ""
        self.conf = conf
        self.choices: list[tuple[str, float]] = []


class _Word:
    __slots__ = ("box", "conf", "chars", "block", "par", "line")

    def __init__(self, box: Box, conf: float, block: int, par: int, line: int) -> None:
        self.box, self.conf, self.block, self.par, self.line = box, conf, block, par, line
        self.chars: list[_Char] = []


_TAG = re.compile(
    # the two character tags Tesseract writes thousands of times a page, matched whole: the
    # symbol read (with its box) and one of the LSTM's choices for it
    r"<span class='ocrx_cinfo' title='x_bboxes [^';]*; x_conf (-?[\d.]+)'>([^<]*)"
    r"|<span class='ocrx_cinfo' id='choice_[^']*' title='x_confs (-?[\d.]+)'>([^<]*)"
    # any other tag
    r"|<(?:span|div|p)\s+class='([a-z_]+)'([^>]*)>([^<]*)"
)
_ID = re.compile(r"\bid='([^']*)'")
_TITLE = re.compile(r"\btitle=(?:'([^']*)'|\"([^\"]*)\")")


def _parse(text: str) -> list[_Word]:
    """The words of an hOCR page, their characters and choices, numbered like Tesseract's TSV
    (block per page, paragraph per block, line per paragraph). One regular expression over the
    tags: an HTML parser costs a quarter of a second a page here, a tenth of the OCR; matching
    the character tags whole halves the regular expression's own 17 ms."""
    words: list[_Word] = []
    block = par = line = 0
    for m in _TAG.finditer(text):
        read_conf, read, choice_conf, choice, cls, attrs, data = m.groups()
        if read_conf is not None:
            if words:
                ch = _Char(float(read_conf))
                ch.text = html.unescape(read)
                words[-1].chars.append(ch)
        elif choice_conf is not None:
            if words and words[-1].chars:
                words[-1].chars[-1].choices.append((html.unescape(choice), float(choice_conf)))
        elif cls == "ocrx_cinfo":
            if not words:
                continue
            t = _TITLE.search(attrs)
            title = (t.group(1) or t.group(2)) if t else ""
            conf = _CONF.search(title)
            if conf is None:
                continue
            chars = words[-1].chars
            ident = _ID.search(attrs)
            if ident and ident.group(1).startswith("choice_"):
                if chars:
                    chars[-1].choices.append((html.unescape(data), float(conf.group(1))))
            elif "x_bboxes" in title:
                ch = _Char(float(conf.group(1)))
                ch.text = html.unescape(data)
                chars.append(ch)
        elif cls == "ocrx_word":
            t = _TITLE.search(attrs)
            title = (t.group(1) or t.group(2)) if t else ""
            b, c = _BBOX.search(title), _WCONF.search(title)
            x0, y0, x1, y1 = (int(v) for v in b.groups()) if b else (0, 0, 0, 0)
            # x_wconf is TSV's float confidence truncated: +0.5 restores it on average, and a
            # cut at a whole number (the repair gate's 95) decides exactly as on the float
            wconf = max(0.0, min(100.0, float(c.group(1)) + 0.5)) if c else 0.0
            words.append(_Word(Box(x0=x0, y0=y0, x1=x1, y1=y1), wconf, block, par, line))
        elif cls in ("ocr_carea", "ocr_photo", "ocr_separator"):  # blocks, numbered as in TSV
            block, par, line = block + 1, 0, 0
        elif cls == "ocr_par":
            par, line = par + 1, 0
        elif cls in ("ocr_line", "ocr_textfloat", "ocr_header", "ocr_caption"):
            line += 1
    return words


def word_alternatives(chars: list[_Char]) -> tuple[str, ...]:
    """Other readings of a word: each position's read symbol or a rival the LSTM scored within
    `CHOICE_MARGIN` of that position's best, combined, the read word itself left out."""
    options = []
    for ch in chars:
        best = max((c for _, c in ch.choices), default=ch.conf)
        rivals = sorted(
            (c, s) for s, c in ch.choices if s and s != ch.text and c >= CHOICE_MARGIN * best
        )
        options.append([ch.text, *[s for _, s in sorted(rivals, reverse=True)[:MAX_RIVALS]]])
    if all(len(o) == 1 for o in options):
        return ()
    read = "".join(o[0] for o in options)
    out = []
    for combo in itertools.product(*options):
        text = "".join(combo)
        if text != read and text.strip():
            out.append(text)
        if len(out) >= MAX_ALTERNATIVES:
            break
    return tuple(out)


def parse_hocr(text: str) -> list[tuple[str, Box, float, int, int, int, tuple[str, ...]]]:
    """(text, box, confidence, block, paragraph, line, alternatives) of every word with text."""
    out = []
    for w in _parse(text):
        word = "".join(ch.text for ch in w.chars).strip()
        if word:
            out.append((word, w.box, w.conf, w.block, w.par, w.line, word_alternatives(w.chars)))
    return out
