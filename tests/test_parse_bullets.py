"""Bullet-form tasks (`- Cơ quan chủ trì:` ...), outline refs, and what is not a field."""

from __future__ import annotations

from pipeline.parse import parse_document
from pipeline.textpage import text_to_pages

PLAN = """UBND TỈNH KIÊN GIANG
SỞ THÔNG TIN VÀ TRUYỀN THÔNG
Số: 12/KH-STTTT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Kiên Giang, ngày 5 tháng 3 năm 2024
KẾ HOẠCH
Chuyển đổi số năm 2024
trên địa bàn tỉnh
Căn cứ Quyết định số 1/QĐ-UBND ngày 02/01/2024 của UBND tỉnh;
I. MỤC TIÊU
1. Hoàn thành các chỉ tiêu chuyển đổi số
II. NHIỆM VỤ
1. Phát triển hạ tầng số
- Nâng cấp mạng truyền số liệu chuyên dùng.
- Cơ quan chủ trì: Sở Thông tin và Truyền thông.
- Cơ quan phối hợp: Các sở, ban, ngành tỉnh; UBND các huyện,
thành phố.
- Thời gian thực hiện: Quý IV.
2. Phát triển dữ liệu số
a) Xây dựng kho dữ liệu dùng chung
- Thời gian thực hiện: trước ngày 30/6/2024
- Đơn vị chủ trì: Sở Nội vụ
b) Chuẩn hóa dữ liệu
Sở Tư pháp chủ trì, phối hợp với các cơ quan liên quan rà soát dữ liệu.
3. Tuyên truyền
- Tổ chức hội thi chuyển đổi số.
- Cơ quan chủ trì: Sở Văn hóa, Thể thao và Du lịch.
- Thời gian thực hiện: Tháng 6/2024.
- Tổ chức tập huấn kỹ năng số.
- Cơ quan chủ trì: Tỉnh đoàn.
- Thời gian thực hiện: Hằng năm.
Nơi nhận:
- UBND tỉnh;
- Lưu: VT.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Nguyễn Văn An
"""


def _parse():  # type: ignore[no-untyped-def]
    return parse_document(text_to_pages(PLAN))


def test_bullet_fields_make_a_task_with_wrapped_value() -> None:
    task = next(t for t in _parse().tasks if t.ref == "II.1")
    assert task.title == "Phát triển hạ tầng số"
    assert task.content == "- Nâng cấp mạng truyền số liệu chuyên dùng."
    assert task.chu_tri == ["Sở Thông tin và Truyền thông"]
    assert task.phoi_hop == ["Các sở, ban, ngành tỉnh", "UBND các huyện, thành phố"]
    assert task.thoi_gian is not None and task.thoi_gian.deadline == "2024-12-31"
    assert task.section == ["II. NHIỆM VỤ"]


def test_fields_in_any_order_under_a_lettered_item() -> None:
    task = next(t for t in _parse().tasks if t.ref == "II.2.a")
    assert task.chu_tri == ["Sở Nội vụ"]
    assert task.thoi_gian is not None and task.thoi_gian.deadline == "2024-06-30"
    assert task.section == ["II. NHIỆM VỤ", "2. Phát triển dữ liệu số"]


def test_prose_duty_sentence_is_a_task_but_items_without_agencies_are_not() -> None:
    by_ref = {t.ref: t for t in _parse().tasks}
    assert "I.1" not in by_ref
    sentence = by_ref["II.2.b"]
    assert sentence.chu_tri == ["Sở Tư pháp"]
    assert sentence.phoi_hop == ["các cơ quan liên quan"]
    assert "Chủ trì:" not in sentence.content


def test_several_bullet_tasks_under_one_heading_get_numbered_refs() -> None:
    tasks = [t for t in _parse().tasks if t.ref.startswith("II.3")]
    assert [t.ref for t in tasks] == ["II.3.1", "II.3.2"]
    assert [t.title for t in tasks] == [
        "Tổ chức hội thi chuyển đổi số",
        "Tổ chức tập huấn kỹ năng số",
    ]
    assert tasks[0].chu_tri == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert tasks[1].thoi_gian is not None and tasks[1].thoi_gian.recurrence == "yearly"


def test_missing_fields_lower_confidence() -> None:
    by_ref = {t.ref: t for t in _parse().tasks}
    assert by_ref["II.1"].confidence == 1.0
    assert by_ref["II.2.a"].confidence < 1.0  # no phối hợp


def test_header_with_parent_agency_and_multi_line_title() -> None:
    h = _parse().header
    assert h.parent_agency == "UBND TỈNH KIÊN GIANG"
    assert h.agency == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    assert h.number_symbol == "12/KH-STTTT"
    assert h.title == "Chuyển đổi số năm 2024 trên địa bàn tỉnh"
    assert h.date == "2024-03-05"
    assert h.signer.authority == ["KT. GIÁM ĐỐC"]
    assert (h.signer.title, h.signer.name) == ("PHÓ GIÁM ĐỐC", "Nguyễn Văn An")
    assert h.recipients == ["UBND tỉnh", "Lưu: VT"]
