"""The document tree (issue 10's design): items and task tables are nodes of one tree, each task
is read from exactly one node by the node's kind, and tasks come out in the order printed."""

from __future__ import annotations

from pipeline.parse import parse_document
from pipeline.parse.doclines import body_lines
from pipeline.parse.tables import find_task_tables
from pipeline.parse.tree import Node, build_tree
from pipeline.textpage import text_to_pages

PLAN = """\
KẾ HOẠCH
Triển khai chuyển đổi số năm 2026
I. MỤC ĐÍCH, YÊU CẦU
Nâng cao chất lượng phục vụ người dân.
II. NHIỆM VỤ
1. Giao Sở Khoa học và Công nghệ chủ trì xây dựng kho dữ liệu dùng chung trước ngày 30/6/2026.
2. Các nhiệm vụ cụ thể
<<TABLE>>
STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian
1 | Số hóa hồ sơ thủ tục hành chính | Sở Nội vụ | Sở Tư pháp | Quý III/2026
2 | Kết nối cơ sở dữ liệu đất đai | Sở Nông nghiệp và Môi trường | Sở Tài chính | 12/2026
<</TABLE>>
3. Tuyên truyền
- Đơn vị chủ trì: Sở Văn hóa, Thể thao và Du lịch
- Thời gian: Thường xuyên
III. TỔ CHỨC THỰC HIỆN
Giao Sở Nội vụ theo dõi, báo cáo kết quả trước ngày 15/12/2026.
"""


def _tree(text: str) -> Node:
    pages = text_to_pages(text)
    return build_tree(body_lines(pages), find_task_tables(pages))


def _kinds(root: Node) -> dict[str, str]:
    return {n.ref or "root": n.kind for n in root.walk() if n.heading or n.table}


def test_a_task_table_is_a_node_under_the_item_it_is_printed_in() -> None:
    root = _tree(PLAN)
    tables = [n for n in root.walk() if n.table is not None]
    assert len(tables) == 1
    item = next(n for n in root.walk() if n.ref == "II.2")
    assert tables[0] in item.children
    assert item.items == []  # a table is no numbered sub-item
    assert _kinds(root)["II.3"] == "fields"
    assert _kinds(root)["II.1"] == "sentences"


def test_each_task_is_read_once_in_reading_order_with_its_section_from_the_tree() -> None:
    tasks = parse_document(text_to_pages(PLAN)).tasks
    assert [t.ref for t in tasks] == ["II.1", "PL.1", "PL.2", "II.3", "III"]
    assert [t.kind for t in tasks] == ["item", "table_row", "table_row", "item", "item"]
    assert tasks[1].section == ["II. NHIỆM VỤ", "2. Các nhiệm vụ cụ thể"]
    assert tasks[2].chu_tri == ["Sở Nông nghiệp và Môi trường"]
    assert tasks[3].chu_tri == ["Sở Văn hóa, Thể thao và Du lịch"]


def test_a_field_block_item_is_not_read_again_as_sentences() -> None:
    text = (
        "II. NHIỆM VỤ\n1. Giao Sở Tư pháp rà soát văn bản quy phạm pháp luật\n"
        "- Đơn vị chủ trì: Sở Tư pháp\n- Đơn vị phối hợp: Sở Nội vụ\n- Thời gian: Quý II/2026\n"
    )
    tasks = parse_document(text_to_pages(text)).tasks
    assert [(t.ref, t.chu_tri, t.phoi_hop) for t in tasks] == [
        ("II.1", ["Sở Tư pháp"], ["Sở Nội vụ"])
    ]


def test_an_appendix_table_after_the_signature_is_kept_at_the_root() -> None:
    text = (
        "1. Giao Sở Tài chính bố trí kinh phí thực hiện.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n"
        "KT. CHỦ TỊCH\n<<TABLE>>\nSTT | Nội dung công việc | Cơ quan chủ trì | Thời hạn\n"
        "1 | Lập danh mục dự án | Sở Xây dựng | Tháng 5/2026\n<</TABLE>>\n"
    )
    root = _tree(text)
    assert [n.table is not None for n in root.children] == [False, True]
    tasks = parse_document(text_to_pages(text)).tasks
    assert [(t.ref, t.chu_tri, t.section) for t in tasks] == [
        ("1", ["Sở Tài chính"], []),
        ("PL.1", ["Sở Xây dựng"], []),
    ]


def test_an_events_time_and_place_name_no_one_and_give_no_task() -> None:
    text = (
        "UBND tỉnh thông báo tổ chức Hội nghị nêu trên như sau:\n1. Thành phần\n"
        "- Đồng chí Phó Chủ tịch UBND tỉnh;\n- Lãnh đạo các sở, ngành liên quan.\n"
        "2. Thời gian: Vào lúc 08 giờ 00 phút, ngày 09/11/2024.\n3. Địa điểm: Hội trường UBND tỉnh.\n"
        "4. Phân công nhiệm vụ:\n- Giao Ban Dân tộc tỉnh chuẩn bị nội dung phát biểu trước ngày "
        "07/11/2024.\n"
    )
    root = _tree(text)
    assert {n.ref: n.kind for n in root.walk() if n.heading}["1"] == "sentences"
    tasks = parse_document(text_to_pages(text)).tasks
    assert [(t.ref, t.chu_tri) for t in tasks] == [("4.1", ["Ban Dân tộc tỉnh"])]


def test_a_closing_request_for_a_report_with_a_time_is_the_lists_next_item() -> None:
    body = "1. Giao Sở Tư pháp rà soát văn bản trước ngày 30/6/2026.\n2. Giao Sở Nội vụ tổng hợp.\n"
    report = (
        "Yêu cầu các sở, ban, ngành, địa phương thực hiện nghiêm túc và gửi báo cáo về UBND "
        "tỉnh trước 11h00 ngày thứ 5 hằng tuần.\nNơi nhận:\n- Như trên;\n"
    )
    tasks = parse_document(text_to_pages(body + report)).tasks
    assert [t.ref for t in tasks] == ["1", "2", "3"]
    assert tasks[2].chu_tri == ["các sở, ban, ngành, địa phương"]
    assert tasks[2].thoi_gian and tasks[2].thoi_gian.recurrence == "weekly"
    for closing in (
        "Yêu cầu các sở, ban, ngành nghiêm túc triển khai thực hiện Kế hoạch này./.\n",
        "Đề nghị các đơn vị nếu có khó khăn, vướng mắc kịp thời báo cáo trước ngày 10/7/2026.\n",
        "Yêu cầu các sở, ban, ngành thực hiện và báo cáo kết quả.\n",  # no time: no task
    ):
        assert [t.ref for t in parse_document(text_to_pages(body + closing)).tasks] == ["1", "2"]
