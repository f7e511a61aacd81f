"""Where an agency name starts and ends on real documents (issue 10, classes 3 and 6): cells that
lost their line breaks, names with a place clause, acronyms, cut cells. Each case is re-typed from
a dev document of the real gold (P02, P03, P10, P11, P20, B08, QNg_660)."""

from __future__ import annotations

import pytest

from pipeline.parse.agencies import split_agencies
from pipeline.parse.duty import read_duty
from pipeline.parse.tasks import read_roles


def test_two_ministries_whose_cell_lost_its_line_break_are_two_bodies() -> None:
    cell = "Bộ Thông tin và Truyền thông Bộ Khoa học và Công nghệ"  # P20, appendix row I.8
    assert split_agencies(cell) == ["Bộ Thông tin và Truyền thông", "Bộ Khoa học và Công nghệ"]
    assert split_agencies("Sở Y tế Sở Tài chính") == ["Sở Y tế", "Sở Tài chính"]


@pytest.mark.parametrize(
    "name",
    [
        "Văn phòng Bộ Công an",  # a unit of the ministry
        "Thanh tra Bộ Xây dựng",
        "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",  # `Bộ đội` is no second ministry
        "Các đơn vị thuộc Sở Y tế",
        "Phòng Kế hoạch thuộc Sở Tài chính",
    ],
)
def test_a_body_named_inside_another_name_is_not_split_off(name: str) -> None:
    assert split_agencies(name) == [name]


def test_a_head_word_left_alone_by_a_cut_cell_names_no_one() -> None:
    cell = "Bộ Thông tin và Truyền thông, Bộ Khoa học và Công nghệ, Bộ "  # P20 I.3, page cut
    assert split_agencies(cell) == ["Bộ Thông tin và Truyền thông", "Bộ Khoa học và Công nghệ"]
    assert split_agencies("Các cơ quan Đảng, Quốc hội") == ["Các cơ quan Đảng", "Quốc hội"]
    assert split_agencies("Bộ") == ["Bộ"]  # alone, it is all the cell says


def test_a_support_cell_that_is_the_lead_cells_overflow_adds_no_partner() -> None:
    lead = "Bộ Công an, Bộ Nông nghiệp và Phát triển nông thôn, Bộ Khoa học và Công nghệ"
    overflow = "nghiệp và phát triển nông thôn, Bộ Khoa học và Công nghệ"  # P20 V.108
    assert read_roles(lead, overflow, "").phoi_hop == []
    assert read_roles(lead, "Bộ Tài chính", "").phoi_hop == ["Bộ Tài chính"]


@pytest.mark.parametrize(
    ("sentence", "lead"),
    [
        (
            "Các cơ quan Trung ương đóng trên địa bàn tỉnh phối hợp giải quyết các thủ tục.",
            "Các cơ quan Trung ương đóng trên địa bàn tỉnh",
        ),
        (
            "UBND các xã, phường thuộc địa bàn phụ trách tăng cường kiểm tra.",
            "UBND các xã, phường thuộc địa bàn phụ trách",
        ),
        (
            "Giao Trung tâm chủ trì phối hợp với VCCI và các đơn vị liên quan tham mưu.",
            "Trung tâm",
        ),
    ],
)
def test_a_name_runs_over_its_place_clause(sentence: str, lead: str) -> None:
    duty = read_duty(sentence)
    assert duty is not None and duty.chu_tri == [lead]


def test_an_acronym_of_roman_numeral_letters_is_an_agency() -> None:
    duty = read_duty("Giao Trung tâm chủ trì phối hợp với VCCI và các đơn vị liên quan tham mưu.")
    assert duty is not None and duty.phoi_hop == ["VCCI", "các đơn vị liên quan"]


def test_the_body_a_duty_addresses_before_its_colon_does_the_work() -> None:
    text = "Đối với Nhà đầu tư Dự án cao tốc Tân Phú - Bảo Lộc: Khẩn trương nộp hồ sơ."  # P10
    duty = read_duty(text, section_agencies=["Nhà đầu tư"])
    assert duty is not None and duty.chu_tri == ["Nhà đầu tư Dự án cao tốc Tân Phú - Bảo Lộc"]
    field = "Đối với công tác giải phóng mặt bằng: Tập trung chi trả bồi thường."
    duty = read_duty(field, section_agencies=["Sở Xây dựng"])
    assert duty is not None and duty.chu_tri == ["Sở Xây dựng"]  # a field of work, not a body


def test_a_subject_of_bodies_joined_by_semicolons_names_them_all() -> None:
    text = "Các sở, ban, ngành; UBND các xã, phường, đặc khu đưa nội dung CCHC vào các cuộc họp."
    duty = read_duty(text)  # P03 II.3.c
    assert duty is not None and duty.chu_tri == [
        "Các sở, ban, ngành",
        "UBND các xã, phường, đặc khu",
    ]


def test_an_economic_zone_board_keeps_its_industrial_parks() -> None:
    board = "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi"  # QNg_660
    duty = read_duty(f"Phối hợp chặt chẽ với Ủy ban MTTQ Việt Nam tỉnh, {board} tổ chức.", ["Sở X"])
    assert duty is not None and board in duty.chu_tri
    assert split_agencies(f"{board}; Sở Y tế và các sở liên quan") == [
        board,
        "Sở Y tế",
        "các sở liên quan",
    ]


def test_the_body_addressed_before_a_comma_does_the_work_its_heads_are_told_to_do() -> None:
    text = (  # P02 II.7.g
        "Đối với các cơ quan Trung ương đóng trên địa bàn tỉnh, thủ trưởng cơ quan, đơn vị bám"
        " sát chương trình hành động của bộ, ngành chủ quản."
    )
    duty = read_duty(text)
    assert duty is not None and duty.chu_tri == ["các cơ quan Trung ương đóng trên địa bàn tỉnh"]
    named = read_duty("Đối với các xã chưa hoàn thành, giao UBND huyện kiểm tra, đôn đốc.")
    assert named is not None and named.chu_tri == ["UBND huyện"]  # the clause names its doer
    group = read_duty("Đối với các sở, ban, ngành: rà soát thủ tục hành chính.")
    assert group is not None and group.chu_tri == ["các sở, ban, ngành"]


def test_a_part_that_joins_its_audience_to_its_content_and_forms_holds_work() -> None:
    from pipeline.parse import parse_document
    from pipeline.textpage import text_to_pages

    text = (  # P03: `II. ĐỐI TƯỢNG, NỘI DUNG VÀ HÌNH THỨC`, item 3.c
        "KẾ HOẠCH\nTuyên truyền cải cách hành chính năm 2026\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nSở Nội vụ chủ trì tuyên truyền.\n"
        "II. ĐỐI TƯỢNG, NỘI DUNG VÀ HÌNH THỨC TUYÊN TRUYỀN\n1. Đối tượng tuyên truyền\n"
        "Cán bộ, công chức, viên chức và Nhân dân.\n3. Hình thức tuyên truyền\n"
        "c) Các sở, ban, ngành; UBND các xã, phường, đặc khu đưa nội dung CCHC vào các cuộc họp"
        " thường kỳ của cơ quan, đơn vị, địa phương.\n"
    )
    tasks = {t.ref: t for t in parse_document(text_to_pages(text)).tasks}
    assert list(tasks) == ["II.3.c"]  # the purpose part still assigns nothing
    assert tasks["II.3.c"].chu_tri == ["Các sở, ban, ngành", "UBND các xã, phường, đặc khu"]


ROW_CUT_BY_A_BREAK = """KẾ HOẠCH
Thực hiện chuyển đổi số năm 2025
PHỤ LỤC
| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |
|---|---|---|---|---|
| 1. | Xây dựng cơ sở dữ liệu dân cư | Bộ Công an | Bộ Tư pháp | 2025 |
| 2. | Hoàn thành các nhiệm vụ: (1) định danh tàu thuyền; | Bộ Công an, Bộ Nông nghiệp | | 2025 |
|  | (2) định danh địa điểm; (3) sàn giao dịch. | và Phát triển nông thôn | | |
| 3. | Số hóa hồ sơ | Bộ Nội vụ | | 2026 |
"""


def test_a_lead_cell_cut_by_a_break_runs_on_into_the_row_above() -> None:
    """P20 V.108's shape: a row cut by a break, its lead name cut in two. The second part opens in
    lower case with no head word: it ends the name above, it leads no task of its own, and the
    row keeps where each of its parts was read."""
    from pipeline.parse import parse_document
    from pipeline.textpage import text_to_pages

    tasks = {t.ref: t for t in parse_document(text_to_pages(ROW_CUT_BY_A_BREAK)).tasks}
    assert list(tasks) == ["PL.1", "PL.2", "PL.3"]
    assert tasks["PL.2"].chu_tri == ["Bộ Công an", "Bộ Nông nghiệp và Phát triển nông thôn"]
    assert "(3) sàn giao dịch" in tasks["PL.2"].content
    assert {e.line for e in tasks["PL.2"].evidence} == {6, 7}
    assert {e.line for e in tasks["PL.1"].evidence} == {5}
