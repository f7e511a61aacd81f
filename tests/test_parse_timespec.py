"""parse_time: printed text kept; dates and recurrence filled where the expression is clear."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.parse.timespec import parse_time

DOC_DATE = date(2019, 10, 17)


@pytest.mark.parametrize(
    ("text", "start", "end", "deadline", "recurrence"),
    [
        ("2019 - 2020", "2019-01-01", "2020-12-31", None, None),
        ("2019 - 2020 và 2021 - 2025", "2019-01-01", "2025-12-31", None, None),
        ("Từ năm 2019 đến năm 2020", "2019-01-01", "2020-12-31", None, None),
        ("Hàng năm", None, None, None, "yearly"),
        ("Hằng năm", None, None, None, "yearly"),
        ("02 lần/năm", None, None, None, "yearly"),
        ("Thường xuyên", None, None, None, "continuous"),
        ("Quý IV năm 2020", "2020-10-01", "2020-12-31", "2020-12-31", None),
        ("trước ngày 30/6/2024", None, None, "2024-06-30", None),
        ("Tháng 6/2026", "2026-06-01", "2026-06-30", "2026-06-30", None),
        ("Trong tháng 8/2025", "2025-08-01", "2025-08-31", "2025-08-31", None),
        ("Năm 2026", "2026-01-01", "2026-12-31", None, None),
        ("Hằng tháng", None, None, None, "monthly"),
    ],
)
def test_time_expressions(
    text: str, start: str | None, end: str | None, deadline: str | None, recurrence: str | None
) -> None:
    spec = parse_time(text, DOC_DATE)
    assert spec.text == text
    assert (spec.start, spec.end, spec.deadline, spec.recurrence) == (
        start,
        end,
        deadline,
        recurrence,
    )


def test_missing_year_comes_from_the_document_date() -> None:
    assert parse_time("Quý IV", DOC_DATE).deadline == "2019-12-31"
    assert parse_time("trước ngày 30/6", date(2024, 1, 5)).deadline == "2024-06-30"
    assert parse_time("Tháng 6", date(2026, 2, 1)).start == "2026-06-01"


def test_missing_year_without_document_date_leaves_dates_empty() -> None:
    spec = parse_time("Quý IV", None)
    assert (spec.start, spec.end, spec.deadline) == (None, None, None)


def test_printed_text_drops_trailing_dot_only() -> None:
    assert parse_time("2019 - 2020.", DOC_DATE).text == "2019 - 2020"


def test_count_per_year_stays_in_text_only() -> None:
    spec = parse_time("02 lần/năm", DOC_DATE)
    assert spec.text == "02 lần/năm" and spec.recurrence == "yearly"


def test_recurring_bound_is_not_pinned_to_the_document_year() -> None:
    spec = parse_time("Trước ngày 31/01 năm liền kề", DOC_DATE)
    assert spec.deadline is None


@pytest.mark.parametrize("odd", ["", "   ", "Theo kế hoạch", "32/13/2020", "Quý V", "🙂"])
def test_odd_text_never_crashes(odd: str) -> None:
    parse_time(odd, DOC_DATE)
