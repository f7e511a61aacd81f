"""Values stamped into a signed PDF's blanks: the number and the day, written at signing.

Vietnamese e-signing (the government's signing software) leaves `Số:      /SNNMT-CNTY` and
`ngày      tháng 8 năm 2026` blank in the Word export and stamps the number (`8680`) and the
day (`04`) on top as signature-field widgets. Their text is in the widgets' appearance streams,
not in the page's content stream, so a text-layer reader that follows the content stream reads a
document with no number and no date (all five signed born-digital plans of the dev gold did).
Poppler draws appearance streams, so `pdftotext -bbox` gives those words with their boxes; here
they are taken back for the widgets that hold a short value. The large widget that shows who
signed and when (`Ký bởi: …`, an e-mail, `18.11.2024 07:25:14 +07:00`) is a stamp about the file,
not part of the page's text, and stays out.
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

MAX_STAMP_WORDS = 2  # `8680`, `04`, `565/TB-UBND`; a signer's stamp has a dozen words
MAX_STAMP_CHARS = 24
_HIDDEN = 2 | 32  # annotation flags Hidden, NoView
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)

Rect = tuple[float, float, float, float]  # x0, top, x1, bottom in points from the top-left


def widget_rects(path: Path, page_no: int) -> list[Rect]:
    """Boxes of the page's visible widgets that have an appearance, from the top-left of the
    crop box (pikepdf: pdfplumber's `annots` recurses forever on a widget that points back at
    its page, as the real B09 does)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        page = pdf.pages[page_no - 1]
        x0, _, _, y1 = (float(v) for v in page.cropbox)
        rects = []
        for annot in page.obj.get("/Annots") or []:
            flags = int(annot.get("/F", 0))
            rect = annot.get("/Rect")
            if annot.get("/Subtype") != "/Widget" or "/AP" not in annot or flags & _HIDDEN:
                continue
            if not isinstance(rect, pikepdf.Array) or len(rect) != 4:
                continue
            ax0, ay0, ax1, ay1 = (float(v) for v in rect)
            rects.append(
                (min(ax0, ax1) - x0, y1 - max(ay0, ay1), max(ax0, ax1) - x0, y1 - min(ay0, ay1))
            )
    return rects


def page_words(path: Path, page_no: int) -> list[tuple[Rect, str]]:
    """Every word poppler draws on the page, appearance streams included, with its box."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page_no), "-l", str(page_no), str(path), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    return [
        ((float(m[1]), float(m[2]), float(m[3]), float(m[4])), html.unescape(m[5]))
        for m in _WORD.finditer(out)
    ]


def _inside(box: Rect, rect: Rect) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return rect[0] <= cx <= rect[2] and rect[1] <= cy <= rect[3]


def _same(a: Rect, b: Rect) -> bool:
    return abs(a[0] - b[0]) < 2 and abs(a[1] - b[1]) < 2


def stamped_values(
    words: list[tuple[Rect, str]], rects: list[Rect], printed: list[tuple[Rect, str]]
) -> list[tuple[Rect, str]]:
    """The words drawn inside widgets that hold a short value, leaving out the words the page's
    content stream prints there (`printed`, the `Số:` label under the stamp); a widget with more
    than a short value is left out whole."""
    out = []
    for rect in rects:
        inside = [
            (box, text)
            for box, text in words
            if text.strip()
            and _inside(box, rect)
            and not any(t == text and _same(box, b) for b, t in printed)
        ]
        chars = sum(len(text) for _, text in inside)
        if 0 < len(inside) <= MAX_STAMP_WORDS and chars <= MAX_STAMP_CHARS:
            out += inside
    return out


def stamp_words(
    path: Path, page_no: int, printed: list[tuple[Rect, str]]
) -> list[tuple[Rect, str]]:
    """The short values stamped on the page at signing; none when it has no widget, or when
    the file or poppler cannot tell (the page's own text is read all the same)."""
    try:
        rects = widget_rects(path, page_no)
        return stamped_values(page_words(path, page_no), rects, printed) if rects else []
    except Exception:  # noqa: BLE001 - a broken widget or a poppler failure costs the stamp only
        return []
