"""Issue 5 task shapes written as sentences, lead-ins, per-agency sections; sentence times; canon."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.parse import parse_document
from pipeline.parse.canon import Gazetteer, canonical_agency
from pipeline.parse.duty import read_duty
from pipeline.parse.phrases import time_phrase
from pipeline.parse.timespec import parse_time
from pipeline.textpage import text_to_pages


def _tasks(body: str):  # type: ignore[no-untyped-def]
    return {t.ref: t for t in parse_document(text_to_pages(body)).tasks}


def test_subject_sentence_with_lead_and_partners_and_deadline() -> None:
    d = read_duty(
        "Sở Nội vụ chủ trì, phối hợp với Sở Tài chính và các đơn vị liên quan xây dựng "
        "đề án, hoàn thành trước ngày 30/6/2026."
    )
    assert d is not None and d.chu_tri == ["Sở Nội vụ"]
    assert d.phoi_hop == ["Sở Tài chính", "các đơn vị liên quan"]
    assert d.time == "trước ngày 30/6/2026"


@pytest.mark.parametrize("verb", ["Giao", "Đề nghị", "Yêu cầu"])
def test_assignment_verbs_name_the_lead(verb: str) -> None:
    d = read_duty(f"{verb} Sở Y tế chủ trì, phối hợp với Công an tỉnh kiểm tra an toàn thực phẩm.")
    assert d is not None and d.chu_tri == ["Sở Y tế"] and d.phoi_hop == ["Công an tỉnh"]


def test_assignment_in_mid_sentence() -> None:
    d = read_duty("Trên cơ sở báo cáo của Công ty, giao Sở Tài chính chủ trì rà soát.")
    assert d is not None and d.chu_tri == ["Sở Tài chính"]


def test_lead_in_hands_agencies_to_each_lettered_item() -> None:
    tasks = _tasks(
        "II. NHIỆM VỤ\n1. Về cải cách thể chế\n"
        "Giao Sở Tư pháp chủ trì, phối hợp với các cơ quan, đơn vị liên quan:\n"
        "a) Rà soát văn bản quy phạm pháp luật.\nb) Tham mưu bãi bỏ văn bản không còn phù hợp.\n"
    )
    assert set(tasks) == {"II.1.a", "II.1.b"}
    assert tasks["II.1.b"].chu_tri == ["Sở Tư pháp"]
    assert tasks["II.1.b"].phoi_hop == ["các cơ quan, đơn vị liên quan"]


def test_per_agency_section_bullets_and_co_operation_reading() -> None:
    tasks = _tasks(
        "VI. TỔ CHỨC THỰC HIỆN\n1. Sở Thông tin và Truyền thông\n"
        "- Chủ trì, phối hợp với Công an tỉnh kiểm tra dịch vụ Internet.\n"
        "- Tổ chức tập huấn hằng năm.\n2. Sở Văn hóa, Thể thao và Du lịch\n"
        "Phối hợp với Sở Thông tin và Truyền thông tuyên truyền.\n"
    )
    assert tasks["VI.1.1"].chu_tri == ["Sở Thông tin và Truyền thông"]
    assert tasks["VI.1.1"].phoi_hop == ["Công an tỉnh"]
    assert tasks["VI.1.2"].thoi_gian.recurrence == "yearly"  # type: ignore[union-attr]
    assert tasks["VI.2"].chu_tri == ["Sở Thông tin và Truyền thông"]
    assert tasks["VI.2"].phoi_hop == ["Sở Văn hóa, Thể thao và Du lịch"]


def test_purpose_and_assessment_parts_assign_nothing() -> None:
    tasks = _tasks("I. ĐÁNH GIÁ CHUNG\nUBND tỉnh xác định các chương trình quan trọng.\n")
    assert tasks == {}


def test_field_value_naming_both_roles_is_split() -> None:
    tasks = _tasks(
        "1. Nhiệm vụ\n(1) Ban hành quy trình điện tử.\n"
        "- Đơn vị thực hiện: Văn phòng UBND tỉnh chủ trì, phối hợp với Sở Tư pháp.\n"
        "- Thời gian hoàn thành: Trong tháng 8/2025.\n"
    )
    task = tasks["1.(1)"]
    assert task.chu_tri == ["Văn phòng UBND tỉnh"] and task.phoi_hop == ["Sở Tư pháp"]


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("báo cáo UBND tỉnh trước ngày 20/02/2025.", "trước ngày 20/02/2025"),
        ("hoàn thành trong tháng 02/2026.", "trong tháng 02/2026"),
        ("công khai chậm nhất vào ngày 05 hằng tháng", "chậm nhất vào ngày 05 hằng tháng"),
        (
            "theo Chỉ thị số 01/CT-UBND ngày 03/01/2024; định kỳ hằng tuần báo cáo",
            "định kỳ hằng tuần",
        ),
        ("gửi trước 14 giờ ngày 08 tháng 10 năm 2025 để", "trước 14 giờ ngày 08 tháng 10 năm 2025"),
        ("tổ chức từ ngày 11/9/2026 đến ngày 20/9/2026", "từ ngày 11/9/2026 đến ngày 20/9/2026"),
        ("tiếp tục rà soát văn bản", None),
    ],
)
def test_time_phrases_in_sentences(sentence: str, found: str | None) -> None:
    assert time_phrase(sentence) == found


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("Cả năm", ("2026-01-01", "2026-12-31", None, None)),
        ("Quý II/2026", ("2026-04-01", "2026-06-30", "2026-06-30", None)),
        ("từ ngày 11/9/2026 đến ngày 20/9/2026", ("2026-09-11", "2026-09-20", None, None)),
        ("Hàng quý", (None, None, None, "quarterly")),
    ],
)
def test_more_time_normalizations(text: str, fields: tuple[str | None, ...]) -> None:
    spec = parse_time(text, date(2026, 1, 15))
    assert (spec.start, spec.end, spec.deadline, spec.recurrence) == fields


def test_agency_canonical_form_unifies_spellings() -> None:
    assert canonical_agency("UBND tỉnh") == canonical_agency("Ủy ban nhân dân tỉnh")
    assert canonical_agency("Sở TT&TT") == "Sở Thông tin và Truyền thông"
    assert canonical_agency("Sở Văn hoá, Thể thao và Du lịch") == "Sở Văn hóa, Thể thao và Du lịch"
    assert canonical_agency("Uỷ ban nhân dân") == "Ủy ban nhân dân"
    assert canonical_agency("Các sở, ban, ngành.") == "các sở, ban, ngành"
    # OCR reads the en dash of a scanned `Lao động – Thương binh` as an em dash
    assert canonical_agency("Sở Lao động — Thương binh và Xã hội") == canonical_agency(
        "Sở Lao động – Thương binh và Xã hội"
    )


def test_gazetteer_grows_and_shows_the_most_frequent_spelling() -> None:
    gaz = Gazetteer()
    gaz.add(["UBND tỉnh", "UBND tỉnh", "Ủy ban nhân dân tỉnh", "Sở TT&TT"])
    assert len(gaz) == 2 and "Ủy ban nhân dân tỉnh" in gaz
    assert gaz.display("Ủy ban nhân dân tỉnh") == "UBND tỉnh"
