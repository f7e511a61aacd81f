"""PDF text layers placed glyph by glyph: words come from geometry, split syllables are caught.

Issue 10, class 10. A real Word export (B06, Sở Y tế Gia Lai, page 5 kept in tests/data/textlayer
with its `pdftotext` text) sets Vietnamese letters in a second subset of Times New Roman; cutting
words at each font change gave "t ỉ nh", "V ă n phòng". The synthetic fixtures redraw that: each
glyph drawn on its own, Vietnamese letters in a second font name, spaces only as gaps.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from pipeline.config import Settings
from pipeline.ingest.document import open_input
from pipeline.ingest.pdfwords import split_syllable_share
from pipeline.ingest.textlayer import MAX_SPLIT_SHARE, assess_text_layer, read_text_layer
from pipeline.textnorm import nfc

DATA = Path(__file__).parent / "data"
REAL_PAGE = DATA / "textlayer" / "B06-page5.pdf"
SERIF = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
LINES = [
    "Lãnh đạo Sở Y tế làm việc theo Quy chế làm việc của Sở Y tế tỉnh Gia Lai;",
    "Điều 5. Giám đốc, các Phó Giám đốc, Trưởng các phòng, Chánh Văn phòng Sở,",
    "Trung tâm Kiểm soát bệnh tật trực thuộc Sở chịu trách nhiệm thi hành Kế hoạch này.",
    "Phòng Nghiệp vụ Y chủ trì, phối hợp với các đơn vị liên quan triển khai thực hiện.",
]


def _fonts() -> tuple[str, str]:
    """The same face under two PDF font names, as Word's two subsets of Times New Roman."""
    if "GlyphLatin" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("GlyphLatin", SERIF))
        viet = TTFont("GlyphViet", SERIF)
        viet.face.name = b"LiberationSerif-VN"  # a second BaseFont name for the same glyphs
        pdfmetrics.registerFont(viet)
    return "GlyphLatin", "GlyphViet"


def draw_glyph_by_glyph(path: Path, size: float, tracking: float = 0.0) -> Path:
    """Each glyph drawn alone at its own position; non-ASCII letters in the second font; no
    space glyphs, a space is only a gap of the space's width."""
    latin, viet = _fonts()
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    y = A4[1] - 80
    for line in LINES:
        x = 60.0
        for ch in line:
            font = latin if ch.isascii() else viet
            if ch != " ":
                canvas.setFont(font, size)
                canvas.drawString(x, y, ch)
            x += pdfmetrics.stringWidth(ch, font, size) + tracking
        y -= size * 1.6
    canvas.save()
    return path


def page_lines(path: Path) -> list[str]:
    page, verdict = read_text_layer(open_input(path), 1, Settings())
    assert page is not None, verdict.reason
    return [line.text for line in page.lines]


@pytest.mark.skipif(not SERIF.exists(), reason="fonts-liberation2 not installed")
def test_words_are_not_cut_where_the_font_changes_inside_them(tmp_path: Path):
    assert page_lines(draw_glyph_by_glyph(tmp_path / "glyphs.pdf", 14)) == LINES


@pytest.mark.skipif(not SERIF.exists(), reason="fonts-liberation2 not installed")
@pytest.mark.parametrize(("size", "tracking"), [(10, 0.0), (12, 0.4), (16, 0.0)])
def test_glyphs_without_space_glyphs_make_words_by_their_gaps(
    tmp_path: Path, size: float, tracking: float
):
    """10-point type has 2.5-point spaces, under pdfplumber's default 3-point word gap."""
    assert page_lines(draw_glyph_by_glyph(tmp_path / "glyphs.pdf", size, tracking)) == LINES


@pytest.mark.skipif(not SERIF.exists(), reason="fonts-liberation2 not installed")
def test_condensed_words_parted_by_a_space_glyph_stay_apart(tmp_path: Path):
    """B08's heading is condensed: its words stand 0.1 em apart, but a space glyph parts them."""
    latin, _ = _fonts()
    path = tmp_path / "condensed.pdf"
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    heading = "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"
    text = canvas.beginText(60, A4[1] - 80)
    text.setFont(latin, 13)
    text.setCharSpace(-1.0)
    text.textLine(heading)
    text.setCharSpace(0)
    for line in LINES:
        text.textLine(line)
    canvas.drawText(text)
    canvas.save()
    assert page_lines(path) == [heading, *LINES]


def test_real_page_reads_word_for_word_like_pdftotext():
    page, verdict = read_text_layer(open_input(REAL_PAGE), 1, Settings())
    assert page is not None and verdict.split_share == 0.0
    ours = Counter(word.text for line in page.lines for word in line.words)
    reference = Counter(nfc((REAL_PAGE.with_suffix(".pdftotext.txt")).read_text()).split())
    missed = reference - ours
    assert sum(missed.values()) <= 0.01 * sum(reference.values()), missed
    text = page.text
    for phrase in ("Sở Y tế tỉnh Gia Lai;", "Trưởng các phòng", "Chánh Văn phòng"):
        assert phrase in text


def test_split_syllables_fail_the_quality_check():
    split = [
        "Lãnh đạo S ở Y t ế l à m vi ệ c theo Quy ch ế l à m vi ệ c c ủ a S ở Y t ế t ỉ nh Gia Lai;",
        "Đ i ề u 5. Gi á m đố c, c á c Ph ó Gi á m đố c, Tr ưở ng c á c ph ò ng, Ch á nh V ă n",
        "tr ự c thu ộ c S ở K ế ho ạch này",
    ]
    verdict, _ = assess_text_layer(split, image_cover=0.0)
    assert not verdict.usable
    assert "split syllables" in verdict.reason
    assert verdict.split_share > MAX_SPLIT_SHARE


def test_real_prose_has_no_split_syllables():
    for name in ("plan-hatinh-357.txt", "legacy-ocr-excerpt.txt"):
        lines = nfc((DATA / name).read_text(encoding="utf-8")).splitlines()
        assert split_syllable_share(lines) == 0.0, name
    assert split_syllable_share(["UBND TP. Hà Nội; Phòng A, B và C; mục a, b"]) == 0.0
