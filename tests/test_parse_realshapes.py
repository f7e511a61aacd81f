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
