"""Header shapes: number spellings, công văn, split lines, lost layout, Word header tables."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.parse import parse_document
from pipeline.textpage import text_to_pages


def _header(text: str):  # type: ignore[no-untyped-def]
    return parse_document(text_to_pages(text)).header


@pytest.mark.parametrize("printed", ["Số: 357/KH-UBND", "Số 357 /KH-UBND", "Số:357/KH-UBND"])
def test_number_and_symbol_spellings(printed: str) -> None:
    h = _header(f"ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\n{printed}\nKẾ HOẠCH\nVề việc A\nCăn cứ B;")
    assert (h.number, h.symbol, h.number_symbol) == ("357", "KH-UBND", "357/KH-UBND")
    assert h.agency == "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH" and h.parent_agency is None


def test_symbol_on_its_own_line_after_the_motto() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 453\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập – Tự do – Hạnh phúc\n/TB-UBND\nHà Nội, ngày 29 tháng 4 năm 2026\nTHÔNG BÁO\n"
        "Về việc treo cờ Tổ quốc\nNhân dịp Đại hội,"
    )
    h = _header(text)
    assert h.number_symbol == "453/TB-UBND"
    assert h.agency == "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"
    assert h.doc_type == "THÔNG BÁO" and h.title == "Về việc treo cờ Tổ quốc"
    assert h.date == "2026-04-29" and h.place == "Hà Nội"


def test_cong_van_title_is_the_vv_lines_and_date_may_wrap() -> None:
    text = (
        "UBND TỈNH GIA LAI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 8680/SNNMT-CNTY\nGia Lai, ngày 04\ntháng 8 năm 2026\n"
        "V/v tăng cường kiểm tra, giám sát dịch\nbệnh động vật\nKính gửi: UBND các xã"
    )
    h = _header(text)
    assert h.doc_type == "CÔNG VĂN"
    assert h.title == "V/v tăng cường kiểm tra, giám sát dịch bệnh động vật"
    assert (h.parent_agency, h.agency) == ("UBND TỈNH GIA LAI", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG")
    assert h.date == "2026-08-04" and h.date_text == "Gia Lai, ngày 04 tháng 8 năm 2026"


def test_word_header_table_and_blank_draft_number() -> None:
    text = (
        "<<TABLE>>\nỦY BAN NHÂN DÂN / TỈNH LÂM ĐỒNG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / "
        "Độc lập - Tự do - Hạnh phúc\nSố:           /KH-UBND | Lâm Đồng, ngày         tháng 01 năm 2026\n"
        "<</TABLE>>\nKẾ HOẠCH\nTuyên truyền Cải cách hành chính năm 2026\nTiếp tục thực hiện X."
    )
    h = _header(text)
    assert h.agency == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert (h.number, h.symbol, h.number_symbol) == (None, "KH-UBND", "/KH-UBND")
    assert h.place == "Lâm Đồng" and h.date is None
    assert h.title == "Tuyên truyền Cải cách hành chính năm 2026"


def test_signing_overlay_at_the_top_is_not_the_agency() -> None:
    text = (
        "TRUNG TÂM CÔNG\nBÁO VÀ TIN HỌC\nttcbth@quangngai.gov.vn\n18.11.2024 07:25:14\n+07:00\n"
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 565\n/TB-UBND\nTHÔNG BÁO\nKết luận của Phó Chủ tịch"
    )
    h = _header(text)
    assert h.agency == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
    assert h.number_symbol == "565/TB-UBND"


def test_interleaved_recipients_and_signature_columns() -> None:
    text = (
        "Nơi nhận:\nTM. ỦY BAN NHÂN DÂN\n- Đ/c Bí thư Thành ủy;\nKT. CHỦ TỊCH\n"
        "- Thường trực Thành ủy;\n(để b/c)\nPHÓ CHỦ TỊCH\n- Lưu: VT, ĐTDG\nTrương Việt Dũng"
    )
    h = _header(text)
    assert h.recipients == [
        "Đ/c Bí thư Thành ủy",
        "Thường trực Thành ủy; (để b/c)",
        "Lưu: VT, ĐTDG",
    ]
    assert h.signer.authority == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
    assert (h.signer.title, h.signer.name) == ("PHÓ CHỦ TỊCH", "Trương Việt Dũng")


@pytest.mark.parametrize("odd", ["", "\f\f", "🙂", "Số:", "| a |\n|---|", "<<TABLE>>"])
def test_odd_inputs_never_crash(odd: str) -> None:
    parse_document(text_to_pages(odd))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Số:", "/KH-UBND", "KẾ HOẠCH", "V/v", "Nơi nhận:", "KT. CHỦ TỊCH",
                                 "1. Việc", "Chủ trì:", "- Phối hợp: Sở A,", "a | b | c", "\t", "\f",
                                 "PHỤ LỤC", "STT\tNội dung\tChủ trì", "Hà Nội, ngày"]) | st.text(),
                max_size=12))  # fmt: skip
def test_any_mix_of_header_and_task_fragments_never_crashes(parts: list[str]) -> None:
    result = parse_document(text_to_pages("\n".join(parts)))
    assert all(0.0 <= t.confidence <= 1.0 for t in result.tasks)
