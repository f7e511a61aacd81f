"""Acceptance: the Hà Tĩnh plan 357/KH-UBND read from text yields its header and its 12 tasks."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.parse import ParseResult, parse_document
from pipeline.textpage import text_to_pages

SEED = Path(__file__).parent / "data" / "plan-hatinh-357.txt"
STTTT = "Sở Thông tin và Truyền thông"
CA = "Công an tỉnh"
GROUP = ["Các sở, ban, ngành cấp tỉnh", "UBND cấp huyện"]


@pytest.fixture(scope="module")
def result() -> ParseResult:
    return parse_document(text_to_pages(SEED.read_text(encoding="utf-8")))


def test_seed_yields_the_twelve_field_and_table_tasks(result: ParseResult) -> None:
    """The 12 tasks of section III (duty fields) and the appendix table, in reading order; the
    per-agency duties of section VI (`1. Sở Thông tin và Truyền thông` then `- ...`) are real
    tasks too since issue 5 and sit between them; nothing else is a task."""
    refs = [t.ref for t in result.tasks]
    twelve = [f"III.{i}" for i in range(1, 6)] + [f"PL.{i}" for i in range(1, 8)]
    assert [r for r in refs if r in twelve] == twelve
    assert all(r in twelve or r.startswith("VI.") for r in refs)
    assert refs[:5] == twelve[:5] and refs[-7:] == twelve[5:]


# ref, chủ trì, phối hợp, thời gian as printed, title start, content start
PROSE = [
    ("III.1", [STTTT], ["Sở Tư pháp", CA, "các sở, ban, ngành cấp tỉnh", "UBND cấp huyện"],
     "2019 - 2020", "Hoàn chỉnh hệ thống văn bản quy phạm", "- Rà soát và sửa đổi, bổ sung"),
    ("III.2", [STTTT, CA], ["Sở Nội vụ", "các sở, ban, ngành cấp tỉnh", "UBND cấp huyện"],
     "2019 - 2020", "Xây dựng lực lượng phòng ngừa", "- Lựa chọn những người có trình độ"),
    ("III.3", [STTTT, CA], GROUP, "2019 - 2025",
     "Nâng cao năng lực kỹ thuật, nghiệp vụ", "- Nâng cao năng lực phát hiện"),
    ("III.4", [STTTT], GROUP, "2019 - 2020 và 2021 - 2025",
     "Thông tin tuyên truyền giáo dục", "Sở Thông tin và Truyền thông chủ trì, phối hợp"),
    ("III.5", GROUP, ["Các cơ quan ban, ngành ở Trung ương và các địa phương trong nước"],
     "2019 - 2020 và 2021 - 2025", "Tăng cường phối hợp với các cơ quan",
     "- Các sở, ban, ngành, địa phương chủ động"),
]  # fmt: skip


@pytest.mark.parametrize(("ref", "chu_tri", "phoi_hop", "time", "title", "content"), PROSE)
def test_section_three_items_are_read_field_by_field(
    result: ParseResult, ref: str, chu_tri: list[str], phoi_hop: list[str], time: str,
    title: str, content: str,
) -> None:  # fmt: skip
    task = next(t for t in result.tasks if t.ref == ref)
    assert task.chu_tri == chu_tri
    assert task.phoi_hop == phoi_hop
    assert task.thoi_gian is not None and task.thoi_gian.text == time
    assert task.title.startswith(title)
    assert task.content.startswith(content)
    assert "Chủ trì:" not in task.content and "Thời gian thực hiện:" not in task.content
    assert task.section == ["III. NỘI DUNG"]
    assert task.source == "prose" and task.pages == [1] and task.confidence == 1.0


APPENDIX = [
    ("PL.1", [STTTT], "Hàng năm", "Rà soát, hoàn chỉnh hệ thống văn bản"),
    ("PL.2", [STTTT], "Hàng năm", "Biên soạn tài liệu tuyên truyền"),
    ("PL.3", [STTTT, "Sở Nội vụ"], "2019 - 2025", "Xây dựng đội ngũ cán bộ"),
    ("PL.4", [STTTT], "Hàng năm", "Tổ chức các lớp tập huấn"),
    ("PL.5", [STTTT], "Hàng năm", "Rà soát, trang bị phương tiện"),
    ("PL.6", [CA], "Hàng năm", "Thu thập, lập danh sách tài khoản"),
    ("PL.7", [STTTT, CA], "02 lần/năm", "Tổ chức Hội thảo cấp tỉnh"),
]


@pytest.mark.parametrize(("ref", "chu_tri", "time", "content"), APPENDIX)
def test_appendix_rows_are_read_by_column_name(
    result: ParseResult, ref: str, chu_tri: list[str], time: str, content: str
) -> None:
    task = next(t for t in result.tasks if t.ref == ref)
    assert task.source == "table"
    assert task.chu_tri == chu_tri
    assert task.phoi_hop[0] == "Các sở, ban, ngành cấp tỉnh" and len(task.phoi_hop) == 2
    assert task.thoi_gian is not None and task.thoi_gian.text == time
    assert task.content.startswith(content)
    assert task.section == ["PHỤ LỤC"]


def test_appendix_times_are_interpreted(result: ParseResult) -> None:
    by_ref = {t.ref: t for t in result.tasks}
    assert by_ref["PL.1"].thoi_gian.recurrence == "yearly"  # type: ignore[union-attr]
    assert by_ref["PL.3"].thoi_gian.start == "2019-01-01"  # type: ignore[union-attr]
    assert by_ref["PL.3"].thoi_gian.end == "2025-12-31"  # type: ignore[union-attr]
    assert by_ref["PL.7"].thoi_gian.recurrence == "yearly"  # type: ignore[union-attr]


def test_numbered_items_without_a_responsible_agency_are_not_tasks(result: ParseResult) -> None:
    assert not any(t.ref.startswith(("I.", "II.", "IV.", "V.")) for t in result.tasks)


def test_per_agency_section_duties_are_tasks_of_that_agency(result: ParseResult) -> None:
    by_ref = {t.ref: t for t in result.tasks}
    assert by_ref["VI.1.4"].chu_tri == [STTTT] and by_ref["VI.1.4"].phoi_hop == [CA]
    assert by_ref["VI.4"].chu_tri == ["Sở Tư pháp"]
    # `- Phối hợp với Sở B ...` under agency A: B leads, A co-operates
    assert by_ref["VI.5.1"].chu_tri == [STTTT]
    assert by_ref["VI.5.1"].phoi_hop == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert by_ref["VI.1.5"].thoi_gian.deadline == "2020-12-31"  # type: ignore[union-attr]


def test_seed_header_fields(result: ParseResult) -> None:
    h = result.header
    assert h.agency == "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"
    assert (h.number, h.symbol, h.number_symbol) == ("357", "KH-UBND", "357/KH-UBND")
    assert h.doc_type == "KẾ HOẠCH"
    assert (h.place, h.date, h.date_text) == (
        "Hà Tĩnh",
        "2019-10-17",
        "Hà Tĩnh, ngày 17 tháng 10 năm 2019",
    )
    assert h.title is not None and h.title.startswith("Triển khai thực hiện Đề án")
    assert h.title.endswith("giai đoạn 2019 - 2025")
    assert h.signer.authority == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
    assert (h.signer.title, h.signer.name) == ("PHÓ CHỦ TỊCH", "Đặng Quốc Vinh")
    assert h.recipients[0] == "Văn phòng Chính phủ"
    assert h.recipients[-1] == "Lưu: VT, PC₁"
    assert len(h.recipients) == 11


def test_seed_header_evidence_points_at_the_printed_lines(result: ParseResult) -> None:
    lines = text_to_pages(SEED.read_text(encoding="utf-8"))[0].lines
    ev = result.header.evidence
    assert lines[ev["number_symbol"].line].text == "Số: 357/KH-UBND"  # type: ignore[index]
    assert lines[ev["doc_type"].line].text == "KẾ HOẠCH"  # type: ignore[index]
    assert lines[ev["agency"].line].text == "ỦY BAN NHÂN DÂN TỈNH"  # type: ignore[index]
    assert lines[ev["signer"].line].text == "TM. ỦY BAN NHÂN DÂN"  # type: ignore[index]


def test_task_evidence_points_at_field_lines(result: ParseResult) -> None:
    lines = text_to_pages(SEED.read_text(encoding="utf-8"))[0].lines
    task = result.tasks[0]
    texts = [lines[e.line].text for e in task.evidence if e.line is not None]
    assert texts[0].startswith("1. Hoàn chỉnh")
    assert "Chủ trì: Sở Thông tin và Truyền thông" in texts
    appendix = next(t for t in result.tasks if t.ref == "PL.5")
    assert all(lines[e.line].text.startswith("5\t") for e in appendix.evidence)  # type: ignore[index]
