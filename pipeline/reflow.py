"""Printed lines -> logical lines: undo the line wrapping of OCR'd paragraphs and headings.

An OCR page gives one `Line` per printed line, so a numbered heading or a `Chủ trì:` field that
wraps arrives in pieces. Nghị định 30/2020 body text is justified with a first-line indent, so a
printed line that runs to the right margin, followed by one that starts back at the left margin
with no new item marker and no paragraph gap, is the same paragraph. Text inputs already hold one
paragraph per line and pass through unchanged (their lines have no boxes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from .types import Box, Line

# A line that starts one of these begins a new logical line even when the previous one ran full.
_NEW_ITEM = re.compile(
    r"""^(
        [-+•–—*]\s                                   # bullets
      | [IVXLC]{1,6}[.)]\s                           # I. II. ...
      | \d{1,2}(\.\d{1,2}){0,3}[.)]?\s               # 1. 1.1. 2)
      | [a-zđ][).]\s                                 # a) b.
      | \(\d{1,2}\)\s                                # (1)
      | (Điều|Chương|Mục|Phụ\s+lục|PHỤ\s+LỤC)\b     # articles, chapters, annexes
      | [^\s:]{1,12}(\s[^\s:]{1,12}){0,5}:(\s|$)     # a short field label: `Chủ trì:`, `Thời gian thực hiện:`
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class LogicalLine:
    text: str
    lines: tuple[int, ...]  # indices into the page's lines
    box: Box | None
    conf: float


def _margins(lines: list[Line]) -> tuple[float, float, float] | None:
    """Left margin, right margin and typical line pitch of the page's body lines."""
    boxes = [ln.box for ln in lines if ln.box is not None and ln.region == "body"]
    if len(boxes) < 3:
        return None
    wide = sorted(b.x1 for b in boxes)
    right = wide[int(len(wide) * 0.9)]
    left = sorted(b.x0 for b in boxes)[int(len(boxes) * 0.1)]
    gaps = [b.y0 - a.y0 for a, b in zip(boxes, boxes[1:], strict=False) if b.y0 > a.y0]
    pitch = median(gaps) if gaps else max(b.height for b in boxes) * 1.5
    return left, right, pitch


def continues(prev: Line, line: Line, margins: tuple[float, float, float]) -> bool:
    """Whether `line` is the wrapped continuation of `prev` on the same page."""
    left, right, pitch = margins
    if prev.box is None or line.box is None or prev.region != "body" or line.region != "body":
        return False
    height = max(prev.box.height, 1)
    full = prev.box.x1 >= right - 2.5 * height
    at_left = line.box.x0 <= left + 1.2 * height
    close = 0 < line.box.y0 - prev.box.y0 <= 1.6 * pitch
    ends_sentence = prev.text.rstrip().endswith(
        (".", ":")
    )  # `;` often ends a printed line mid-paragraph
    return full and at_left and close and not ends_sentence and not _NEW_ITEM.match(line.text)


def reflow(lines: list[Line]) -> list[LogicalLine]:
    """Join wrapped printed lines into logical lines, keeping which printed lines each came from."""
    margins = _margins(lines)
    out: list[LogicalLine] = []
    for i, line in enumerate(lines):
        if out and margins and continues(lines[out[-1].lines[-1]], line, margins):
            last = out[-1]
            box = last.box.union(line.box) if last.box and line.box else last.box or line.box
            n = len(last.lines)
            out[-1] = LogicalLine(
                text=f"{last.text} {line.text}",
                lines=(*last.lines, i),
                box=box,
                conf=(last.conf * n + line.conf) / (n + 1),
            )
        else:
            out.append(LogicalLine(line.text, (i,), line.box, line.conf))
    return out
