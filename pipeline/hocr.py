"""Tesseract hOCR with LSTM character choices -> words with boxes, confidences and alternatives.

With `-c lstm_choice_mode=2 -c hocr_char_boxes=1` Tesseract writes, for every character it read,
its confidence and the other symbols its LSTM weighed at that position (`ocrx_cinfo` spans with
`x_confs`). On real photocopies the hook above a circumflex (`ô`/`ổ`) is often a near tie the
reader settles wrongly with high word confidence; the runner-up is kept here as a reading of
the whole word (`tô` -> `tổ`), for the text repair to re-score with its language model (issue
11). This module only parses; `pipeline.ocr` runs Tesseract.
"""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser

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


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[_Word] = []
        self.keys = {"ocr_carea": 0, "ocr_par": 0, "ocr_line": 0}
        self.target: list[str] | None = None  # where the next text goes

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        cls, title, ident = a.get("class", ""), a.get("title", ""), a.get("id", "")
        self.target = None
        if cls in ("ocr_photo", "ocr_separator"):  # blocks without text, numbered as in TSV
            self.keys["ocr_carea"] += 1
        elif cls in self.keys:
            self.keys[cls] += 1
            if cls == "ocr_carea":
                self.keys["ocr_par"] = self.keys["ocr_line"] = 0
            elif cls == "ocr_par":
                self.keys["ocr_line"] = 0
        elif cls in ("ocr_textfloat", "ocr_header", "ocr_caption"):
            self.keys["ocr_line"] += 1
        elif cls == "ocrx_word":
            m, c = _BBOX.search(title), _WCONF.search(title)
            x0, y0, x1, y1 = (int(v) for v in m.groups()) if m else (0, 0, 0, 0)
            conf = max(0.0, min(100.0, float(c.group(1)))) if c else 0.0
            k = self.keys
            box = Box(x0=x0, y0=y0, x1=x1, y1=y1)
            self.words.append(_Word(box, conf, k["ocr_carea"], k["ocr_par"], k["ocr_line"]))
        elif cls == "ocrx_cinfo" and self.words:
            m = _CONF.search(title)
            if ident.startswith("choice_") and m and self.words[-1].chars:
                self.words[-1].chars[-1].choices.append(("", float(m.group(1))))
                self.target = ["choice"]
            elif "x_bboxes" in title and m:
                self.words[-1].chars.append(_Char(float(m.group(1))))
                self.target = ["char"]

    def handle_endtag(self, tag: str) -> None:
        self.target = None

    def handle_data(self, data: str) -> None:
        if self.target is None or not self.words or not self.words[-1].chars:
            return
        char = self.words[-1].chars[-1]
        if self.target == ["char"]:
            char.text += data
        elif char.choices:
            sym, conf = char.choices[-1]
            char.choices[-1] = (sym + data, conf)


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
    parser = _Parser()
    parser.feed(text)
    out = []
    for w in parser.words:
        word = "".join(ch.text for ch in w.chars).strip()
        if word:
            out.append((word, w.box, w.conf, w.block, w.par, w.line, word_alternatives(w.chars)))
    return out
