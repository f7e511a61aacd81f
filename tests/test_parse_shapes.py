"""Task shapes met in the real plans of issue 5: `+` bullets under a per-agency bullet, paragraphs
with their own subjects, co-operation written first, merged table rows, agencies named only by
reference, and the time phrases those documents print."""

from __future__ import annotations

import pytest

from pipeline.parse import parse_document
from pipeline.parse.phrases import time_phrase
from pipeline.parse.timespec import parse_time
from pipeline.textpage import text_to_pages


def _tasks(text: str):  # type: ignore[no-untyped-def]
    return parse_document(text_to_pages(text)).tasks


def test_plus_bullets_under_an_agency_bullet_are_its_tasks() -> None:
    text = (
        "1. UBND các xã, phường\n- Tăng cường quản lý các cơ sở chăn nuôi.\n"
        "- Trung tâm Dịch vụ sự nghiệp công các xã, phường:\n+ Tổ chức tiêm phòng.\n"
        "+ Phối hợp truy xuất nguồn gốc động vật.\n"
    )
    got = {t.ref: t.chu_tri for t in _tasks(text)}
    assert got == {
        "1.1": ["UBND các xã, phường"],
        "1.2.1": ["Trung tâm Dịch vụ sự nghiệp công các xã, phường"],
        "1.2.2": ["Trung tâm Dịch vụ sự nghiệp công các xã, phường"],
    }


def test_plus_bullets_under_a_duty_bullet_are_its_details() -> None:
    text = (
        "a) Trung tâm Phát triển quỹ đất tỉnh\n- Đẩy nhanh việc chi trả tiền bồi thường.\n"
        "- Chủ trì, phối hợp với Ban Quản lý dự án đầu tư xây dựng số 1 giải phóng mặt bằng "
        "trước ngày 30/4/2026, trong đó:\n+ Đối với dự án A: bàn giao mặt bằng.\n"
        "+ Đối với dự án B: bàn giao mặt bằng.\n"
    )
    tasks = _tasks(text)
    assert [t.ref for t in tasks] == ["a.1", "a.2"]
    assert tasks[1].phoi_hop == ["Ban Quản lý dự án đầu tư xây dựng số 1"]
    assert tasks[1].thoi_gian and tasks[1].thoi_gian.deadline == "2026-04-30"


def test_paragraphs_with_their_own_subjects_are_separate_tasks() -> None:
    text = (
        "1. Công tác triển khai\nCác sở, ban, ngành có trách nhiệm xây dựng kế hoạch.\n"
        "Sở Nội vụ có trách nhiệm theo dõi, đôn đốc việc thực hiện Kế hoạch.\n"
    )
    got = {t.ref: t.chu_tri for t in _tasks(text)}
    assert got == {"1.1": ["Các sở, ban, ngành"], "1.2": ["Sở Nội vụ"]}


@pytest.mark.parametrize("opening", ["Phối hợp với", "Tích cực phối hợp với", "Phối hợp"])
def test_co_operation_written_first_under_an_agency_makes_the_partner_lead(opening: str) -> None:
    text = f"2. UBND xã Đạ Huoai:\n- {opening} Trung tâm Phát triển quỹ đất tỉnh lập phương án.\n"
    task = _tasks(text)[0]
    assert task.chu_tri == ["Trung tâm Phát triển quỹ đất tỉnh"]
    assert task.phoi_hop == ["UBND xã Đạ Huoai"]


def test_partners_named_in_a_later_clause_are_kept() -> None:
    text = (
        "1. Sở Nội vụ:\na) Thông báo nội dung chương trình. Trong quá trình thực hiện, Sở Nội vụ "
        "phối hợp với Báo và Phát thanh, Truyền hình tỉnh nghiên cứu phương thức tuyên truyền.\n"
    )
    assert _tasks(text)[0].phoi_hop == ["Báo và Phát thanh, Truyền hình tỉnh"]


def test_merged_table_rows_with_their_own_lead_are_two_tasks() -> None:
    text = (
        "STT | Nhiệm vụ | Thời gian hoàn thành | Chủ trì thực hiện | Phối hợp thực hiện\n"
        "I | Công tác chỉ đạo |  |  | \n"
        "1 | Ban hành kế hoạch kiểm tra | Tháng 01 | Sở Nội vụ | Các cơ quan, đơn vị\n"
        " |  | Tháng 01 | Các cơ quan, đơn vị |  \n"
        "2 | Tổng kết | Hằng năm | Theo phân công tại Quyết định số 1/QĐ-UBND | Sở Nội vụ\n"
        "09 | Khảo sát | Hằng năm | Sở Nội vụ | \n"
    )
    got = {t.ref: (t.chu_tri, t.phoi_hop) for t in _tasks(text)}
    assert got == {
        "PL.I.1": (["Sở Nội vụ"], ["Các cơ quan, đơn vị"]),
        "PL.I.1-2": (["Các cơ quan, đơn vị"], []),
        "PL.I.2": ([], ["Sở Nội vụ"]),
        "PL.I.9": (["Sở Nội vụ"], []),
    }


@pytest.mark.parametrize(
    ("sentence", "found", "recurrence"),
    [("Báo cáo UBND tỉnh; định kỳ 02 tuần/lần tổng hợp.", "định kỳ 02 tuần/lần", "biweekly"),
     ("Phát sóng (mỗi tháng 02 chuyên mục).", "mỗi tháng", "monthly"),
     ("Ban hành kế hoạch chậm nhất là ngày 30/01/2026.", "chậm nhất là ngày 30/01/2026", None),
     ("Tổ chức hội nghị trong tháng 5 năm 2026.", "trong tháng 5 năm 2026", None)],
)  # fmt: skip
def test_time_phrases_of_real_plans(sentence: str, found: str, recurrence: str | None) -> None:
    assert time_phrase(sentence) == found
    assert parse_time(found).recurrence == recurrence


WRAPPED_NAME = """\
Phó Chủ tịch UBND tỉnh kết luận và chỉ đạo như sau:
1. Công ty TNHH MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ
Quảng Ngãi tiếp thu các ý kiến tại cuộc họp, khẩn trương rà soát, báo cáo
toàn bộ quá trình cổ phần hóa và những vấn đề phát sinh trong thời gian qua.
Trường hợp không đảm bảo điều kiện cổ phần hóa thì phối hợp với các cơ
quan, đơn vị liên quan đề xuất hướng xử lý, báo cáo trước ngày 08/02/2025.
2. Các doanh nghiệp cung cấp dịch vụ viễn thông, internet trên địa bàn
Phối hợp với Sở Khoa học và Công nghệ triển khai các giải pháp bảo đảm an toàn
thông tin mạng trong suốt thời gian thực hiện kế hoạch của tỉnh năm 2025.
"""


def test_a_numbered_line_wrapped_inside_a_name_is_one_paragraph() -> None:
    tasks = {t.ref: t for t in _tasks(WRAPPED_NAME)}
    assert sorted(tasks) == ["1", "2"]  # not `1.1`, `1.2`: the name is not a heading
    assert tasks["1"].chu_tri == [
        "Công ty TNHH MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ Quảng Ngãi"
    ]
    assert tasks["1"].thoi_gian and tasks["1"].thoi_gian.deadline == "2025-02-08"
    # a heading that is only a name, followed by its duty: the duty's partner leads
    assert tasks["2"].chu_tri == ["Sở Khoa học và Công nghệ"]
    assert (
        tasks["2"].responsible
        == "Các doanh nghiệp cung cấp dịch vụ viễn thông, internet trên địa bàn"
    )


def test_a_partner_named_by_its_function_in_lower_case() -> None:
    text = (
        "1. UBND các xã, phường\n- Phối hợp với cơ quan thú y tổ chức lấy mẫu giám sát.\n"
        "- Tổ chức kiểm tra vận chuyển động vật, phối hợp với lực lượng cảnh sát giao thông "
        "kiểm soát các phương tiện.\n- Phối hợp tuyên truyền các quy định về thú y.\n"
    )
    got = {t.ref: (t.chu_tri, t.phoi_hop) for t in _tasks(text)}
    assert got["1.1"] == (["cơ quan thú y"], ["UBND các xã, phường"])
    assert got["1.2"] == (["UBND các xã, phường"], ["lực lượng cảnh sát giao thông"])
    assert got["1.3"] == (["UBND các xã, phường"], [])  # no body follows: the section leads
