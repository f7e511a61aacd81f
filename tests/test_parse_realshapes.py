"""Shapes of real documents the parser had not seen (issue 10), each a general rule.

Fixtures are re-typed in the layouts real plans use (city plans listing time and place before
the lead, scanned appendix pages whose letters and colons OCR garbles), not copied from the
frozen test split.
"""

from __future__ import annotations

from pipeline.parse import parse_document
from pipeline.textpage import text_to_pages


def tasks_of(text: str):
    return parse_document(text_to_pages(text)).tasks


FIELD_BLOCKS_ANY_ORDER = """\
III. NỘI DUNG THỰC HIỆN
1. Tổ chức Hội nghị sơ kết công tác chuyển đổi số năm 2026
- Thời gian dự kiến: Tháng 6/2026.
- Địa điểm: Hội trường Ủy ban nhân dân thành phố.
- Thành phần: Lãnh đạo các phòng, ban, đơn vị.
- Đơn vị chủ trì: Phòng Văn hóa, Khoa học và Thông tin.
- Đơn vị phối hợp: Văn phòng HĐND và UBND thành phố; Phòng Tài chính - Kế hoạch.
- Kinh phí: Từ nguồn ngân sách thành phố.
2. Tổ chức Cuộc thi tìm hiểu pháp luật trực tuyến
- Địa điểm thực hiện: Trên Cổng thông tin điện tử thành phố.
- Thời gian dự kiến: Quý III/2026.
Cuộc thi dành cho cán bộ, công chức, viên chức và người lao động.
- Đơn vị chủ trì: Phòng Tư pháp.
- Đơn vị phối hợp: Trung tâm Văn hóa - Thể thao và Truyền thông.
"""


def test_field_blocks_in_any_order_give_one_task_per_numbered_item():
    tasks = tasks_of(FIELD_BLOCKS_ANY_ORDER)
    assert [t.ref for t in tasks] == ["III.1", "III.2"]
    first, second = tasks
    assert first.title.startswith("Tổ chức Hội nghị sơ kết")
    assert first.chu_tri == ["Phòng Văn hóa, Khoa học và Thông tin"]
    assert first.phoi_hop == ["Văn phòng HĐND và UBND thành phố", "Phòng Tài chính - Kế hoạch"]
    assert first.thoi_gian is not None and first.thoi_gian.text == "Tháng 6/2026"
    assert second.chu_tri == ["Phòng Tư pháp"]
    assert second.thoi_gian is not None and "Quý III/2026" in second.thoi_gian.text
    assert all(t.kind == "item" for t in tasks)


GARBLED_LETTERS = """\
PHỤ LỤC
1. Rà soát, cập nhật danh mục thủ tục hành chính
a) Đơn vị chủ trì: Sở Tư pháp.
b) Đơn vị phối hợp: Các sở, ban, ngành tỉnh.
c) Thời gian hoàn thành: Trước ngày 30/9/2026.
2. Số hóa kết quả giải quyết thủ tục hành chính
8) Đơn vị chủ trì Văn phòng Ủy ban nhân dân tỉnh.
Đơn vị phối hợp: Sở Khoa học và Công nghệ.
c} Thời gian hoàn thành: Quý IV năm 2026.
3. Đánh giá mức độ hài lòng của người dân
a} Đơn vị chủ trì; Sở Nội vụ.
"""


def test_lettered_duty_fields_even_garbled_belong_to_their_item():
    tasks = tasks_of(GARBLED_LETTERS)
    assert [t.ref for t in tasks] == ["1", "2", "3"]
    assert tasks[0].chu_tri == ["Sở Tư pháp"]
    assert tasks[0].phoi_hop == ["Các sở, ban, ngành tỉnh"]
    assert tasks[0].thoi_gian is not None and tasks[0].thoi_gian.deadline == "2026-09-30"
    # `8)` for `a)`, a lost `b)`, a label without its colon, `c}` for `c)`
    assert tasks[1].chu_tri == ["Văn phòng Ủy ban nhân dân tỉnh"]
    assert tasks[1].phoi_hop == ["Sở Khoa học và Công nghệ"]
    assert tasks[1].thoi_gian is not None and "Quý IV" in tasks[1].thoi_gian.text
    assert tasks[2].chu_tri == ["Sở Nội vụ"]  # `;` read for the colon


def test_an_item_with_only_place_and_budget_fields_is_not_a_task():
    text = """\
II. TỔ CHỨC THỰC HIỆN
1. Kinh phí thực hiện
- Kinh phí: Từ nguồn ngân sách nhà nước.
- Địa điểm: Tại trụ sở cơ quan.
"""
    assert tasks_of(text) == []


TWO_TEXT_COLUMNS = """\
PHỤ LỤC
KẾ HOẠCH HÀNH ĐỘNG
<<TABLE>>
STT | Nội dung hành động | Hành động cụ thể | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành
1 | Hoàn thiện thể chế về phòng, chống rửa tiền | Rà soát, sửa đổi Luật Phòng, chống rửa tiền | Ngân hàng Nhà nước Việt Nam | Bộ Tư pháp; Bộ Công an | Năm 2027
2 |  | Ban hành Nghị định hướng dẫn về nhận biết khách hàng | Ngân hàng Nhà nước Việt Nam | Bộ Tài chính | Quý IV/2027
3 |  | Xây dựng cơ sở dữ liệu về giao dịch đáng ngờ | Bộ Công an | Ngân hàng Nhà nước Việt Nam | 12/2028
4 | Nâng cao năng lực điều tra | Đào tạo điều tra viên về tội phạm rửa tiền | Bộ Công an | Viện kiểm sát nhân dân tối cao | Hằng năm
<</TABLE>>
"""


def test_row_action_is_the_title_and_the_spanning_cell_its_objective():
    tasks = tasks_of(TWO_TEXT_COLUMNS)
    assert [t.ref for t in tasks] == ["PL.1", "PL.2", "PL.3", "PL.4"]
    assert tasks[1].title == "Ban hành Nghị định hướng dẫn về nhận biết khách hàng"
    assert tasks[1].objective == "Hoàn thiện thể chế về phòng, chống rửa tiền"
    assert tasks[2].objective == "Hoàn thiện thể chế về phòng, chống rửa tiền"
    assert tasks[3].objective == "Nâng cao năng lực điều tra"
    assert all(t.kind == "table_row" for t in tasks)


CONTINUATION_PAGE = """\
<<TABLE>>
7 | Tổ chức tập huấn nghiệp vụ cho cán bộ làm công tác cải cách hành chính | Sở Nội vụ | Các sở, ban, ngành; UBND các xã, phường | Quý II/2026
8 | Kiểm tra việc thực hiện thủ tục hành chính tại bộ phận một cửa | Văn phòng UBND tỉnh | Sở Tư pháp | Tháng 9/2026
9 | Khảo sát mức độ hài lòng của người dân | Sở Nội vụ | Bưu điện tỉnh | Trước ngày 30/11/2026
<</TABLE>>
"""


def test_a_page_continuing_a_table_without_its_header_has_its_columns_read_from_the_cells():
    tasks = tasks_of(CONTINUATION_PAGE)
    assert [t.ref for t in tasks] == ["PL.7", "PL.8", "PL.9"]
    assert tasks[0].chu_tri == ["Sở Nội vụ"]
    assert tasks[0].phoi_hop == ["Các sở, ban, ngành", "UBND các xã, phường"]
    assert tasks[1].thoi_gian is not None and tasks[1].thoi_gian.deadline == "2026-09-30"
    assert tasks[2].title.startswith("Khảo sát mức độ hài lòng")


def test_a_headerless_grid_of_figures_is_no_task_table():
    text = "<<TABLE>>\n1 | Hồ Ea Kao | 12,5 | 2020\n2 | Hồ Buôn Triết | 8,1 | 2021\n<</TABLE>>\n"
    assert tasks_of(text) == []


COMBINED_AGENCY_COLUMN = """\
PHỤ LỤC
<<TABLE>>
TT | Nhiệm vụ | Đơn vị chủ trì/phối hợp | Thời gian
1 | Đánh giá rủi ro quốc gia về rửa tiền | Ngân hàng Nhà nước Việt Nam (chủ trì đánh giá về rửa tiền); Bộ Công an (chủ trì đánh giá về tài trợ khủng bố); Bộ Tài chính | 10/7/2026 - 13/7/2026
2 | Cập nhật danh sách cảnh báo | Bộ Công an / Bộ Ngoại giao / Ngân hàng Nhà nước Việt Nam | 122027
3 | Báo cáo kết quả thực hiện | Đề nghị Tòa án nhân dân tối cao; Viện kiểm sát nhân dân tối cao | 12/2027 : “wH: »
<</TABLE>>
"""


def test_a_combined_lead_and_support_cell_and_role_notes_in_parentheses():
    tasks = tasks_of(COMBINED_AGENCY_COLUMN)
    first, second, third = tasks
    assert first.chu_tri == ["Ngân hàng Nhà nước Việt Nam"]
    assert first.phoi_hop == ["Bộ Công an", "Bộ Tài chính"]
    assert first.notes == [
        "Ngân hàng Nhà nước Việt Nam: chủ trì đánh giá về rửa tiền",
        "Bộ Công an: chủ trì đánh giá về tài trợ khủng bố",
    ]
    assert first.thoi_gian is not None
    assert (first.thoi_gian.start, first.thoi_gian.end) == ("2026-07-10", "2026-07-13")
    # a line-broken cell: one body a line, never glued
    assert second.chu_tri == ["Bộ Công an"]
    assert second.phoi_hop == ["Bộ Ngoại giao", "Ngân hàng Nhà nước Việt Nam"]
    assert second.thoi_gian is not None and second.thoi_gian.text == "12/2027"
    assert "time read as `12/2027` from `122027`" in second.notes
    # the request verb is no part of the name; seal debris is no part of the time
    assert third.chu_tri == ["Tòa án nhân dân tối cao"]
    assert third.modality == "request"
    assert third.thoi_gian is not None and third.thoi_gian.deadline == "2027-12-31"


def test_agency_cells_split_into_bodies_without_repeats():
    from pipeline.parse.agencies import split_agencies

    assert split_agencies(
        "Ngân hàng Nhà nước Việt Nam\nNgân hàng Nhà nước Việt Nam\nBộ Công an"
    ) == [
        "Ngân hàng Nhà nước Việt Nam",
        "Bộ Công an",
    ]
    assert split_agencies("Lãnh đạo\nSở Y tế") == ["Lãnh đạo Sở Y tế"]  # a name wrapped
    assert split_agencies("Bộ Quốc phòng, Viện Hàn lâm Khoa học và Công nghệ và các bộ, ngành") == [
        "Bộ Quốc phòng",
        "Viện Hàn lâm Khoa học và Công nghệ",
        "các bộ, ngành",
    ]
    assert split_agencies("Bộ Tài chính, bộ, ngành liên quan") == [
        "Bộ Tài chính",
        "bộ, ngành liên quan",
    ]
    assert split_agencies("Văn phòng HĐND và UBND thành phố") == [
        "Văn phòng HĐND và UBND thành phố"
    ]


ATTACHED_PROGRAMME = """\
CHÍNH PHỦ
Số: 03/NQ-CP
NGHỊ QUYẾT
Điều 1. Ban hành kèm theo Nghị quyết này Chương trình hành động của Chính phủ.
Điều 2. Nghị quyết này có hiệu lực thi hành kể từ ngày ký.
Nơi nhận:
- Như Điều 3;
- Lưu: VT.
TM. CHÍNH PHỦ
THỦ TƯỚNG
CHƯƠNG TRÌNH HÀNH ĐỘNG CỦA CHÍNH PHỦ
I. MỤC TIÊU
1. Thể chế hóa đầy đủ các chủ trương của Đảng.
II. NHIỆM VỤ CỤ THỂ
Nhằm đạt được mục tiêu đề ra, trong thời gian tới, bên cạnh các nhiệm vụ thường xuyên, các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ, Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương cần cụ thể hóa và tổ chức triển khai thực hiện các nhiệm vụ sau đây:
1. Nâng cao nhận thức về chuyển đổi số
a) Xây dựng chương trình tuyên truyền sâu rộng về chuyển đổi số.
b) Giao Bộ Nội vụ chủ trì, phối hợp với Bộ Tài chính sửa đổi chế độ đãi ngộ, hoàn thành trong năm 2025.
"""


def test_a_decisions_attached_programme_is_read_with_its_lead_in():
    tasks = {t.ref: t for t in tasks_of(ATTACHED_PROGRAMME)}
    assert set(tasks) == {"II.1.a", "II.1.b"}
    groups = [
        "các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ",
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
    ]
    assert tasks["II.1.a"].chu_tri == groups
    assert tasks["II.1.a"].thoi_gian is None  # `các nhiệm vụ thường xuyên` names work, not time
    assert tasks["II.1.b"].chu_tri == ["Bộ Nội vụ"]
    assert tasks["II.1.b"].phoi_hop == ["Bộ Tài chính"]
    assert tasks["II.1.b"].modality == "assign"


def test_names_are_neither_cut_short_nor_padded_nor_labels():
    from pipeline.parse.duty import read_duty

    assert read_duty("Phòng Tổ chức cán bộ chủ trì, phối hợp với Phòng Tài chính").chu_tri == [
        "Phòng Tổ chức cán bộ"
    ]
    assert read_duty("Cơ quan chỉ đạo: Ủy ban nhân dân thành phố") is None
    assert read_duty(
        "Giao các Bộ: Công an, Tư pháp, Nông nghiệp và Môi trường có ý kiến"
    ).chu_tri == [
        "Bộ Công an",
        "Bộ Tư pháp",
        "Bộ Nông nghiệp và Môi trường",
    ]
    duty = read_duty("Đề nghị Tòa án nhân dân tối cao phối hợp thực hiện.")
    assert duty.chu_tri == ["Tòa án nhân dân tối cao"] and duty.modality == "request"
    assert (
        read_duty("Mời Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh tham gia giám sát.").modality
        == "invite"
    )


PER_AGENCY_DUTIES = """\
IV. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính
- Tham mưu bố trí kinh phí thực hiện Kế hoạch.
- Hướng dẫn thanh quyết toán kinh phí theo quy định.
2. Ban Chỉ đạo xoá nhà tạm, nhà dột nát huyện Bình Sơn
- Chủ trì, phối hợp với UBND các xã rà soát đối tượng hỗ trợ, hoàn thành trước ngày 30/6/2025.
"""


def test_duties_under_an_agency_heading_say_whose_they_are():
    tasks = tasks_of(PER_AGENCY_DUTIES)
    assert [t.ref for t in tasks] == ["IV.1.1", "IV.1.2", "IV.2"]
    assert all(t.kind == "duty" for t in tasks)
    assert tasks[0].responsible == "Sở Tài chính"
    assert tasks[2].responsible == "Ban Chỉ đạo xoá nhà tạm, nhà dột nát huyện Bình Sơn"
    assert tasks[2].phoi_hop == ["UBND các xã"]


UNNUMBERED_DISPATCH = """\
VĂN PHÒNG CHÍNH PHỦ
Số: 3722/VPCP-CN
V/v cơ chế đặc thù xây dựng công trình khẩn cấp
Kính gửi:
- Các Bộ: Công an, Tư pháp, Tài chính;
- Ủy ban nhân dân tỉnh Đồng Nai.
Xét đề nghị của Ủy ban nhân dân tỉnh Đồng Nai tại văn bản số 92/TTr-UBND ngày 21 tháng 4 năm 2026, Phó Thủ tướng có ý kiến như sau:
Giao các Bộ: Công an, Tài chính, Tư pháp có ý kiến đối với đề xuất của Ủy ban nhân dân tỉnh Đồng Nai, gửi trước ngày 10 tháng 5 năm 2026.
Văn phòng Chính phủ thông báo để các Bộ, cơ quan biết, thực hiện./.
Nơi nhận:
- Như trên;
"""


def test_a_dispatch_without_numbers_gives_work_in_its_paragraphs_not_its_addressees():
    tasks = tasks_of(UNNUMBERED_DISPATCH)
    assert [t.ref for t in tasks] == ["1"]
    assert tasks[0].chu_tri == ["Bộ Công an", "Bộ Tài chính", "Bộ Tư pháp"]
    assert tasks[0].thoi_gian is not None and tasks[0].thoi_gian.deadline == "2026-05-10"


def test_cooperation_opening_a_duty_after_a_manner_word_hands_the_lead_over():
    from pipeline.parse.duty import read_duty

    duty = read_duty(
        "- Khẩn trương, phối hợp Trung tâm Phát triển quỹ đất hoàn thành bồi thường", ["UBND huyện"]
    )
    assert duty.chu_tri == ["Trung tâm Phát triển quỹ đất"] and duty.phoi_hop == ["UBND huyện"]


def test_a_group_heading_keeps_its_qualifying_clause_as_one_name():
    text = """\
VI. TỔ CHỨC THỰC HIỆN
11. Các Doanh nghiệp cung cấp dịch vụ viễn thông, internet trên địa bàn
Phối hợp với Sở Thông tin và Truyền thông, Công an tỉnh thực hiện tốt các nội dung tại Kế hoạch này.
"""
    (task,) = tasks_of(text)
    assert task.kind == "duty"
    assert task.responsible == "Các Doanh nghiệp cung cấp dịch vụ viễn thông, internet trên địa bàn"
    assert task.chu_tri == ["Sở Thông tin và Truyền thông", "Công an tỉnh"]
    assert task.phoi_hop == ["Các Doanh nghiệp cung cấp dịch vụ viễn thông, internet trên địa bàn"]
