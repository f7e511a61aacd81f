"""Legacy font encodings (TCVN3, VNI, VISCII) are detected and converted to Unicode at the edge.

Issue 10, class 9. The fixtures in tests/data/legacy are the seed plan 357/KH-UBND re-typed in
each encoding by encoders independent of the converter (glibc iconv, the VNI-Windows chart; see
make_fixtures.py there). TCVN3 (VN3) cannot type toned capitals, so its copy carries them as ABC
typists did: lowercase codes in `.VnTimeH` headings ("CéNG HOµ"), "ñy ban" in running text.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from fixtures import to_cp1258
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest.legacy import (
    convert_words,
    detect_and_convert,
    detect_encoding,
    restore_capitals,
)
from pipeline.ingest.textfile import decode_text
from pipeline.textnorm import nfc

DATA = Path(__file__).parent / "data"
LEGACY = DATA / "legacy"
SEED = nfc((DATA / "plan-hatinh-357.txt").read_text(encoding="utf-8"))
SERIF = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")


def words(text: str) -> list[str]:
    # The seed's one subscript (PC₁) exists in no legacy encoding; VISCII has no curly quotes.
    for absent in "“”₁?":
        text = text.replace(absent, "")
    return text.split()


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "viscii"])
def test_legacy_text_file_decodes_to_the_seed_text(encoding: str):
    text, codec = decode_text((LEGACY / f"plan-357-{encoding}.txt").read_bytes())
    assert codec == encoding
    if encoding == "tcvn3":
        heading, text = text.split("\n", 4)[:4], text.split("\n", 4)[4]
        assert heading == [
            "ỦY BAN NHÂN DÂN",
            "TỈNH HÀ TĨNH",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
        ]
    got, want = words(nfc(text)), words(SEED)
    assert len(got) == len(want)
    wrong = [(g, w) for g, w in zip(got, want, strict=True) if g != w]
    if encoding == "tcvn3":  # "của ủy ban": a name's toned capital that VN3 could not type
        assert all(g.lower() == w.lower() and w.startswith("Ủ") for g, w in wrong), wrong
    else:
        assert not wrong


@pytest.mark.parametrize(
    ("encoding", "shown_as"), [("tcvn3", "cp1252"), ("vni", "cp1252"), ("viscii", "latin-1")]
)
def test_utf8_copy_of_the_mojibake_is_converted_too(encoding: str, shown_as: str):
    data = (LEGACY / f"plan-357-{encoding}.txt").read_bytes()
    as_bytes = decode_text(data)
    as_utf8 = decode_text(data.decode(shown_as).encode("utf-8"))
    assert as_utf8 == as_bytes


def test_unicode_ascii_and_other_languages_are_left_alone():
    texts = [
        SEED,
        (DATA / "legacy-ocr-excerpt.txt").read_text(encoding="utf-8"),
        "Ke hoach so 357/KH-UBND ngay 17 thang 10 nam 2019",
        "The quick brown fox jumps over the lazy dog. Signed by: Nguyen Van A.",
        "Señor niño, año de España; À bientôt, garçon; Müller, Straße, Übergröße.",
        "",
    ]
    for text in texts:
        assert detect_and_convert(text) == (text, None)


def test_vietnamese_ansi_still_decodes_as_windows_1258():
    data = to_cp1258("Kế hoạch số 357 của Ủy ban nhân dân tỉnh Hà Tĩnh về phòng ngừa")
    text, codec = decode_text(data)
    assert codec == "cp1258"
    assert nfc(text) == "Kế hoạch số 357 của Ủy ban nhân dân tỉnh Hà Tĩnh về phòng ngừa"


def test_capitals_typed_over_lowercase_codes_are_read_as_capitals():
    assert restore_capitals("CộNG HòA Xã HộI CHủ NGHĩA VIệT NAM") == (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )
    assert restore_capitals("III. NHIệM Vụ") == "III. NHIỆM VỤ"
    assert restore_capitals("10. ủy ban nhân dân các huyện") == "10. Ủy ban nhân dân các huyện"
    for kept in ("Số: 357/KH-UBND", "Hà Tĩnh, ngày 17", "đơn vị chủ trì", "của ủy ban"):
        assert restore_capitals(kept) == kept
    assert restore_capitals("ủy ban", paragraph=False) == "ủy ban"  # a PDF line may continue


def test_pdf_words_follow_their_fonts():
    texts = ["céng", "hoµ", "Ký", "bởi:", "Nguyễn", "ViÖt"]
    fonts = ["ABCDEF+.VnTimeH", ".VnTimeH,Bold", "Arial", "Arial", "Arial", ".VnTime"]
    converted, encoding = convert_words(texts, fonts)
    assert encoding == "tcvn3"
    # .VnTimeH draws capitals; the Unicode signature stamp in Arial is left as it is.
    assert converted == ["CỘNG", "HOÀ", "Ký", "bởi:", "Nguyễn", "Việt"]


def test_pdf_minus_is_the_letter_u_with_horn_only_beside_letters():
    text, encoding = detect_and_convert(
        "Trung \u2212¬ng vµ ®Þa ph\u2212¬ng, 5 \u2212 3 = 2, c\u2212êng"
    )
    assert encoding == "tcvn3"
    assert text == "Trung ương và địa phương, 5 − 3 = 2, cường"


def test_vni_breve_hook_is_converted():
    assert detect_and_convert("Vieäc naøy chaúng haïn laø keá hoaïch cuûa UÛy ban")[0] == (
        "Việc này chẳng hạn là kế hoạch của Ủy ban"
    )


@given(st.text(max_size=200))
def test_detection_never_crashes_and_keeps_nfc_unicode_vietnamese(text: str):
    out, encoding = detect_and_convert(text)
    assert isinstance(out, str)
    assert encoding in (None, "tcvn3", "vni", "viscii")


@given(st.sampled_from(SEED.split("\n\n")))
def test_any_paragraph_of_the_seed_is_unicode(paragraph: str):
    assert detect_encoding(paragraph) is None


def _face(name: str, pdf_name: bytes) -> str:
    """The Liberation face registered under a PDF font name of our choosing (`.VnTimeH`)."""
    if name not in pdfmetrics.getRegisteredFontNames():
        font = TTFont(name, SERIF)
        font.face.name = pdf_name
        pdfmetrics.registerFont(font)
    return name


@pytest.mark.skipif(not SERIF.exists(), reason="fonts-liberation2 not installed")
def test_pdf_page_in_vntime_fonts_is_converted_by_font_and_read_not_ocred(tmp_path: Path):
    """Heading in `.VnTimeH` typed with lowercase codes, body in `.VnTime`, a name in a Unicode
    font: the heading comes out in capitals, the body in Unicode, the Unicode line untouched."""
    from pipeline.config import Settings
    from pipeline.ingest.document import open_input
    from pipeline.ingest.textlayer import read_text_layer

    caps, body = _face("VnTimeH", b".VnTimeH"), _face("VnTime", b".VnTime")
    plain = _face("PlainSerif", b"LiberationSerif")
    lines = [
        (caps, "céng hoµ x· héi chñ nghÜa viÖt nam"),
        (body, "§éc lËp - Tù do - H¹nh phóc"),
        *[
            (body, line)
            for line in (LEGACY / "plan-357-tcvn3.txt")
            .read_bytes()
            .decode("cp1252")
            .split("\n")[60:72]
            if line.strip()
        ],
        (plain, "Giám đốc Sở Nguyễn Văn An"),
    ]
    path = tmp_path / "vntime.pdf"
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    y = A4[1] - 60
    for font, line in lines:
        for part in textwrap.wrap(line.replace("\xad", "\u2212"), 90):
            canvas.setFont(font, 11)
            canvas.drawString(50, y, part)
            y -= 15
    canvas.save()
    page, verdict = read_text_layer(open_input(path), 1, Settings())
    assert page is not None, verdict.reason
    assert verdict.encoding == "tcvn3"
    texts = [line.text for line in page.lines]
    assert texts[:2] == ["CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert "Chủ trì: Sở Thông tin và Truyền thông" in texts
    assert texts[-1] == "Giám đốc Sở Nguyễn Văn An"


def tcvn3_pdf(path: Path, text: str) -> Path:
    """A PDF whose text layer is TCVN3, as `.VnTime` Word exports are: each byte's Latin-1
    character (drawn with a Unicode font), ư (0xAD) extracted as U+2212 as real ones give it."""
    if "LegacySerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("LegacySerif", SERIF))
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    y = A4[1] - 60
    for paragraph in text.replace("\xad", "\u2212").split("\n"):
        for line in textwrap.wrap(paragraph, 95) or [""]:
            if y < 60:
                canvas.showPage()
                y = A4[1] - 60
            canvas.setFont("LegacySerif", 11)
            canvas.drawString(50, y, line)
            y -= 15
    canvas.save()
    return path


@pytest.mark.skipif(not SERIF.exists(), reason="fonts-liberation2 not installed")
def test_vndoc_run_reads_legacy_text_and_pdf_text_layers_as_unicode(tmp_path: Path):
    """End to end: a TCVN3 `.txt` and a PDF with a TCVN3 text layer (plan sections I-III) give
    the seed's tasks, `source.encoding` says tcvn3, and no page of the PDF is OCR'd."""
    raw = (LEGACY / "plan-357-tcvn3.txt").read_bytes()
    lines = raw.decode("cp1252").split("\n")
    end = next(i for i, line in enumerate(lines) if line.startswith("IV. "))
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "plan-tcvn3.txt").write_bytes(raw)
    tcvn3_pdf(inputs / "plan-tcvn3-layer.pdf", "\n".join(lines[:end]))
    result = CliRunner().invoke(
        app, ["run", str(inputs), "--out", str(tmp_path / "out"), "--quiet", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    text_doc = json.loads((tmp_path / "out" / "plan-tcvn3" / "document.json").read_text())
    pdf_doc = json.loads((tmp_path / "out" / "plan-tcvn3-layer" / "document.json").read_text())
    for doc in (text_doc, pdf_doc):
        assert doc["source"]["encoding"] == "tcvn3"
        assert any("TCVN3" in w for w in doc["warnings"])
        assert doc["header"]["number_symbol"] == "357/KH-UBND"
        assert doc["header"]["doc_type"] == "KẾ HOẠCH"
        section_three = [t for t in doc["tasks"] if t["ref"].startswith("III.")]
        assert [t["ref"] for t in section_three] == [f"III.{i}" for i in range(1, 6)]
        assert section_three[0]["chu_tri"] == ["Sở Thông tin và Truyền thông"]
        assert section_three[1]["chu_tri"] == ["Sở Thông tin và Truyền thông", "Công an tỉnh"]
    assert {p["source"] for p in pdf_doc["pages"]} == {"text_layer"}
    assert len(text_doc["tasks"]) >= 30  # the per-agency duties of section VI as well
