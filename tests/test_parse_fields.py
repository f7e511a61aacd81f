"""Schema 1.1 fields and header shapes: `Đơn vị thực hiện` as its own role, canonical agency
forms, urgency/confidentiality marks, the 29 document types of Nghị định 30/2020, signer
authority lines, and header lines as OCR misreads them."""

from __future__ import annotations

import pytest

from pipeline.parse import parse_document
from pipeline.parse.header import DOC_TYPES
from pipeline.textpage import text_to_pages

HEAD = "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nSố: 12/KH-UBND\nLâm Đồng, ngày 05 tháng 3 năm 2026\n"


def _parse(text: str):  # type: ignore[no-untyped-def]
    return parse_document(text_to_pages(text))


def test_don_vi_thuc_hien_is_its_own_role() -> None:
    text = "KẾ HOẠCH\nVề việc A\n1. Rà soát dữ liệu\n- Đơn vị thực hiện: Công an tỉnh.\n"
    task = _parse(HEAD + text).tasks[0]
    assert task.thuc_hien == ["Công an tỉnh"] and task.chu_tri == []


def test_thuc_hien_value_that_names_a_lead_fills_chu_tri_and_phoi_hop() -> None:
    text = (
        "1. Ban hành quy trình\n- Đơn vị thực hiện: Văn phòng UBND tỉnh chủ trì, phối hợp với "
        "Sở Khoa học và Công nghệ.\n- Thời gian hoàn thành: Trong tháng 8/2025.\n"
    )
    task = _parse(HEAD + text).tasks[0]
    assert task.chu_tri == ["Văn phòng UBND tỉnh"] and task.thuc_hien == []
    assert task.phoi_hop == ["Sở Khoa học và Công nghệ"]


def test_table_column_don_vi_thuc_hien_fills_thuc_hien() -> None:
    text = "STT | Nội dung | Đơn vị thực hiện | Thời hạn\n1 | Rà soát | Sở Tư pháp | Quý II/2026\n"
    task = _parse(HEAD + text).tasks[0]
    assert task.thuc_hien == ["Sở Tư pháp"] and task.chu_tri == []


def test_canonical_agency_forms_are_filled() -> None:
    text = "1. Tuyên truyền\n- Chủ trì: UBND tỉnh.\n- Phối hợp: Sở TT&TT, các sở, ban, ngành.\n"
    task = _parse(HEAD + text).tasks[0]
    assert task.chu_tri_canonical == ["Ủy ban nhân dân tỉnh"]
    assert task.phoi_hop_canonical == ["Sở Thông tin và Truyền thông", "các sở, ban, ngành"]


def test_tables_separated_by_a_paragraph_are_two_tables() -> None:
    table = "TT | Nội dung | Chủ trì | Thời gian\n1 | Việc A | Sở Y tế | Tháng 3/2026\n"
    text = HEAD + table + "b) Tổ chức chương trình đối với các xã, phường như sau:\n" + table
    assert [t.ref for t in _parse(text).tasks] == ["PL.1", "PL2.1"]


@pytest.mark.parametrize(
    "marks", [["KHẨN"], ["THƯỢNG KHẨN"], ["HỎA TỐC"], ["HỎA TỐC HẸN GIỜ"], ["MẬT", "KHẨN"],
              ["TỐI MẬT"], ["TUYỆT MẬT"]],
)  # fmt: skip
def test_urgency_and_confidentiality_marks_as_printed(marks: list[str]) -> None:
    text = HEAD + "\n".join(marks) + "\nCÔNG ĐIỆN\nVề việc phòng chống bão\nCăn cứ A."
    assert _parse(text).header.marks == marks


def test_no_marks_when_none_is_printed() -> None:
    assert _parse(HEAD + "KẾ HOẠCH\nVề việc A\nCăn cứ B.").header.marks == []


@pytest.mark.parametrize("doc_type", [t for t in DOC_TYPES if t != "CÔNG VĂN"][:28])
def test_every_administrative_document_type(doc_type: str) -> None:
    h = _parse(HEAD + f"{doc_type}\nVề việc thử nghiệm\nCăn cứ Luật A.").header
    assert (h.doc_type, h.title) == (doc_type, "Về việc thử nghiệm")


def test_cong_van_is_known_by_its_vv_line() -> None:
    h = _parse(HEAD + "V/v triển khai nhiệm vụ\nKính gửi: Sở A").header
    assert (h.doc_type, h.title) == ("CÔNG VĂN", "V/v triển khai nhiệm vụ")


def test_the_29_types_of_decree_30_are_all_known() -> None:
    assert len(set(DOC_TYPES[:29])) == 29 and "CÔNG VĂN" in DOC_TYPES[:29]


@pytest.mark.parametrize(
    ("authority", "title"),
    [("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
     ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"), ("TUQ. CHỦ TỊCH", "GIÁM ĐỐC SỞ NỘI VỤ"),
     ("Q. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")],
)  # fmt: skip
def test_signer_authority_lines(authority: str, title: str) -> None:
    text = (
        HEAD + f"KẾ HOẠCH\nVề việc A\nNơi nhận:\n- Như trên;\n{authority}\n{title}\nNguyễn Văn An"
    )
    signer = _parse(text).header.signer
    assert (signer.authority, signer.title, signer.name) == ([authority], title, "Nguyễn Văn An")


def test_lower_case_so_from_ocr() -> None:
    h = _parse("TRƯỜNG ĐẠI HỌC CÔNG THƯƠNG\nsố: 9/KH-DCT\nKẾ HOẠCH\nKhảo sát\nCăn cứ A.").header
    assert h.number_symbol == "9/KH-DCT"


def test_thang_misread_with_another_tone() -> None:
    h = _parse(
        "ỦY BAN NHÂN DÂN\nSố: 5/KH-UBND\nHà Nội, ngày 28 thẳng 4 năm 2026\nKẾ HOẠCH\nA"
    ).header
    assert h.date == "2026-04-28" and h.place == "Hà Nội"


def test_vv_misread_as_vw_still_names_a_cong_van() -> None:
    h = _parse("BỘ CÔNG AN\nSố: 2388/C04-P2\nVW tham mưu ban hành Nghị quyết\nKính gửi: A").header
    assert h.doc_type == "CÔNG VĂN" and h.title == "V/v tham mưu ban hành Nghị quyết"
