"""Header fields of real scanned first pages (dev gold: QNg_04-CT, QNg_660-TB, S09 QĐ-707,
B12-pdf), as the OCR and the layout give them: a signing certificate stamped over the right
column, a handwritten day with a bar for its 1, a seal's specks before the type line, a công điện."""

from __future__ import annotations

from pipeline.parse.doclines import DocLine
from pipeline.parse.header import doc_type_of, parse_header


def _atoms(*rows: tuple[str, str]) -> list[DocLine]:
    return [DocLine(text, 1, i, region=region) for i, (region, text) in enumerate(rows)]


def _header(*rows: tuple[str, str]):  # type: ignore[no-untyped-def]
    atoms = _atoms(*rows)
    return parse_header(atoms, atoms)[0]


L, R, B = "header_left", "header_right", "body"


def test_a_certificate_over_the_right_column_leaves_the_left_column_read() -> None:
    h = _header(
        (L, "ỦY BAN NHÂN DÂN"),
        (L, "TỈNH QUẢNG NGÃI"),
        (L, "Số:04+ /CT-UBND"),
        (R, "TRUNG TÂM CÔNG"),
        (R, "BÁO VÀ TIN HỌC"),
        (R, "ttcbth(@)quangngai.gov.vn"),
        (R, "18.03.2024 09:29:39"),
        (R, "+07:00"),
        (R, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (R, "Độc lập - Tự do - Hạnh phúc"),
        (R, "Quảng Ngãi, ngày 15 tháng 3 năm 2024"),
        (B, "CHỈ THỊ"),
        (B, "Về việc tăng cường công tác phòng, chống tham nhũng"),
        (B, "Trong thời gian qua, công tác phòng, chống tham nhũng"),
    )
    assert h.agency == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
    assert h.number_symbol == "04/CT-UBND"
    assert (h.place, h.date) == ("Quảng Ngãi", "2024-03-15")
    assert h.title == "Về việc tăng cường công tác phòng, chống tham nhũng"


def test_a_handwritten_day_read_with_a_bar_for_its_one() -> None:
    h = _header(
        (L, "ỦY BAN NHÂN DÂN"),
        (L, "Số: 660 /TB-UBND"),
        (R, "Quảng Ngãi, ngày 3| tháng 12 năm 2024"),
        (B, "THÔNG BÁO"),
        (B, "Kết luận của Chủ tịch UBND tỉnh"),
    )
    assert (h.place, h.date) == ("Quảng Ngãi", "2024-12-31")
    assert h.date_text == "Quảng Ngãi, ngày 3| tháng 12 năm 2024"
    assert h.number_symbol == "660/TB-UBND"


def test_the_prime_ministers_decision_under_a_seal() -> None:
    h = _header(
        (B, "Người ký: CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ"),
        (B, "Email: thongtinchinhphu@chinhphu.vn"),
        (B, "Cơ quan: VĂN PHÒNG CHÍNH PHỦ."),
        (B, "Thời gian ký: 24.04.2026 16:36:42 +07:00"),
        (B, "THỊ"),
        (B, "THỦ TƯỚNG CHÍNH PHỦ"),
        (B, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (L, "Số: 707/QĐ-TTg"),
        (R, "Độc lập - Tự do - Hạnh phúc"),
        (B, "ca 2N j QUYẾT ĐỊNH"),
        (B, "Về việc ban hành Kế hoạch hành động quốc gia"),
        (B, "Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;"),
    )
    assert h.agency == "THỦ TƯỚNG CHÍNH PHỦ"
    assert h.doc_type == "QUYẾT ĐỊNH"
    assert h.number_symbol == "707/QĐ-TTg"


def test_specks_before_a_type_line_but_not_words() -> None:
    assert doc_type_of("ca 2N j QUYẾT ĐỊNH") == "QUYẾT ĐỊNH"
    assert doc_type_of("BAN HÀNH QUYẾT ĐỊNH") is None


def test_a_cong_dien_address_line_ends_its_title() -> None:
    h = _header(
        (B, "VĂN PHÒNG CHÍNH PHỦ"),
        (L, "Số: 2003 /CĐ-VPCP"),
        (R, "Hà Nội, ngày 07 tháng 10 năm 2025"),
        (B, "CÔNG ĐIỆN"),
        (B, "mời dự Hội nghị triển khai Chương trình mục tiêu quốc gia"),
        (B, "phòng, chống ma túy đến năm 2030"),
        (B, "VĂN PHÒNG CHÍNH PHỦ điện:"),
        (B, "- Các Bộ: Công an, Quốc phòng;"),
    )
    assert h.title == (
        "mời dự Hội nghị triển khai Chương trình mục tiêu quốc gia phòng, chống ma túy đến năm 2030"
    )


def test_an_agencys_contact_email_keeps_the_agency() -> None:
    h = _header(
        (L, "UBND TỈNH GIA LAI"),
        (L, "SỞ Y TẾ"),
        (L, "Email: syt@gialai.gov.vn"),
        (L, "Số: 3990/QĐ-SYT"),
        (R, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (R, "Gia Lai, ngày 30 tháng 7 năm 2026"),
        (B, "QUYẾT ĐỊNH"),
        (B, "Ban hành quy trình xử lý văn bản"),
    )
    assert (h.parent_agency, h.agency) == ("UBND TỈNH GIA LAI", "SỞ Y TẾ")
    assert h.number_symbol == "3990/QĐ-SYT"
