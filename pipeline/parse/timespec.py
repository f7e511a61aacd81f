"""Read a printed time expression (thời gian thực hiện / hoàn thành) into dates and a recurrence.

The printed text is always kept; start/end/deadline are filled only where the expression is clear.
A missing year is taken from the document's date (a plan dated 2019 that says `Quý IV` means
Q4 2019). Periods of implementation (`2019 - 2020`) give start/end; completion bounds (`trước ngày
30/6/2024`, `Quý IV năm 2020`, `Tháng 6/2026`) also give a deadline.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from pipeline.textnorm import strip_diacritics
from pipeline.types import TimeSpec

_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_RECURRENCE = (
    (re.compile(r"\b0?2 tuan\s*/\s*lan"), "biweekly"),
    (re.compile(r"\b(hang|moi) tuan\b|lan\s*/\s*tuan|\b0?1 tuan\s*/\s*lan"), "weekly"),
    (re.compile(r"\b(hang|moi) thang\b|lan\s*/\s*thang|\b0?1 thang\s*/\s*lan"), "monthly"),
    (re.compile(r"\b0?3 thang\s*/\s*lan"), "quarterly"),
    (re.compile(r"\b(hang|moi) quy\b|lan\s*/\s*quy"), "quarterly"),
    (re.compile(r"\b(hang|moi) nam\b|lan\s*/\s*nam|\bdinh ky nam\b"), "yearly"),
    (re.compile(r"\bthuong xuyen\b|\blien tuc\b"), "continuous"),
)
_DMY = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4})|\s+nam\s+(\d{4}))?"
_BEFORE = re.compile(r"\b(?:truoc|cham nhat|khong qua|han chot)(?:\s+ngay)?\s+" + _DMY)
_RANGE_DAYS = re.compile(r"\btu\s+(?:ngay\s+)?" + _DMY + r"\s+den(?:\s+het)?\s+(?:ngay\s+)?" + _DMY)
_RANGE_BARE = re.compile(_DMY + r"\s*-\s*" + _DMY)  # `10/7/2026 - 13/7/2026`
_QUARTER = re.compile(r"\bquy\s+(iv|iii|ii|i|[1-4])\b(?:\s*(?:/|nam)\s*(\d{4}))?")
_MONTH = re.compile(
    r"(?:\bthang\s+(\d{1,2})(?:\s*(?:/|nam)\s*(\d{4}))?|^\s*(\d{1,2})\s*/\s*(\d{4})\s*$)"
)
_YEAR_RANGE = re.compile(r"(\d{4})\s*(?:-|den(?:\s+het)?(?:\s+nam)?)\s*(\d{4})")
_YEAR = re.compile(r"(?<![\d/])(\d{4})(?![\d/])")
_SINGLE_DATE = re.compile(r"\bngay\s+" + _DMY + r"|^\s*" + _DMY + r"\s*$")
_DAY_MONTH = re.compile(r"\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})(?:\s+nam\s+(\d{4}))?")
_NEXT_YEAR = re.compile(r"\bnam (lien ke|ke tiep|sau)\b")
_UNTIL_YEAR = re.compile(r"\bden(?:\s+het)?\s+nam\s+(\d{4})")


def _day(y: int | None, m: int, d: int) -> date | None:
    if y is None or not 1 <= m <= 12 or not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return date(y, m, d)


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _year_of(found: str | None, doc_date: date | None) -> int | None:
    if found:
        return int(found)
    return doc_date.year if doc_date else None


def _dmy(groups: tuple[str | None, ...], doc_date: date | None) -> date | None:
    d, m, y1, y2 = groups[:4]
    if d is None or m is None:
        return None
    return _day(_year_of(y1 or y2, doc_date), int(m), int(d))


def recurrence_of(key: str) -> str | None:
    for pattern, name in _RECURRENCE:
        if pattern.search(key):
            return name
    return None


def _dates(key: str, doc_date: date | None) -> tuple[date | None, date | None, date | None]:
    """(start, end, deadline) from the first rule that matches, most specific first."""
    if m := _BEFORE.search(key):
        return None, None, _dmy(m.groups(), doc_date)
    if m := _RANGE_DAYS.search(key):
        return _dmy(m.groups()[:4], doc_date), _dmy(m.groups()[4:], doc_date), None
    if (m := _RANGE_BARE.search(key)) and (m.group(3) or m.group(4)) and (m.group(7) or m.group(8)):
        return _dmy(m.groups()[:4], doc_date), _dmy(m.groups()[4:], doc_date), None
    if m := _DAY_MONTH.search(key):
        return None, None, _dmy((m.group(1), m.group(2), m.group(3), None), doc_date)
    if m := _QUARTER.search(key):
        y = _year_of(m.group(2), doc_date)
        if y is None:
            return None, None, None
        q = _ROMAN_Q[m.group(1)]
        end = _month_end(y, 3 * q)
        return date(y, 3 * q - 2, 1), end, end
    if (m := _MONTH.search(key)) and 1 <= int(m.group(1) or m.group(3)) <= 12:
        y = _year_of(m.group(2) or m.group(4), doc_date)
        if y is None:
            return None, None, None
        mo = int(m.group(1) or m.group(3))
        end = _month_end(y, mo)
        return date(y, mo, 1), end, end
    if ranges := _YEAR_RANGE.findall(key):
        years = [int(y) for pair in ranges for y in pair]
        return date(min(years), 1, 1), date(max(years), 12, 31), None
    if re.search(r"\bca nam\b", key) and doc_date is not None:  # `Cả năm`: the plan's year
        return date(doc_date.year, 1, 1), date(doc_date.year, 12, 31), None
    if m := _UNTIL_YEAR.search(key):
        return None, date(int(m.group(1)), 12, 31), None
    if m := _SINGLE_DATE.search(key):
        g = m.groups()
        return None, None, _dmy(g[:4] if g[0] else g[4:], doc_date)
    if (years := _YEAR.findall(key)) and len(set(years)) == 1:
        y = int(years[0])
        return date(y, 1, 1), date(y, 12, 31), None
    return None, None, None


def parse_time(text: str, doc_date: date | None = None) -> TimeSpec:
    """`Quý IV năm 2020` → start 2020-10-01, end = deadline 2020-12-31; text kept as printed."""
    printed = re.sub(r"\s+", " ", text or "").strip().rstrip(".").strip()
    key = strip_diacritics(printed).lower().replace("–", "-").replace("—", "-")
    recurrence = recurrence_of(key)
    # A recurring or "next year" bound has no single year: do not pin it to the document's year.
    implied = None if (recurrence or _NEXT_YEAR.search(key)) else doc_date
    start, end, deadline = _dates(key, implied)
    return TimeSpec(
        text=printed,
        start=_iso(start),
        end=_iso(end),
        deadline=_iso(deadline),
        recurrence=recurrence,
    )


_GLUED_MONTH = re.compile(r"^(0?[1-9]|1[0-2])\s*(20\d{2})$")  # `122027`: the slash was lost


def clean_time_cell(text: str) -> tuple[str, str | None]:
    """A time cell as printed, less what is not time: seal or stamp debris after it
    (`12/2027 : “wH: »` → `12/2027`), and a month glued to its year (`122027` → `12/2027`).
    Returns the text and a note of the repair, or None when nothing changed."""
    printed = re.sub(r"\s+", " ", text or "").strip()
    kept: list[str] = []
    for token in printed.split(" "):
        if _DEBRIS.search(token) or _mixed_case(token.strip(".,;:")):
            break
        kept.append(token)
    cleaned = " ".join(kept).rstrip(" :;,")
    if m := _GLUED_MONTH.match(cleaned):
        cleaned = f"{m.group(1)}/{m.group(2)}"
    if cleaned == printed or not cleaned:
        return printed, None
    return cleaned, f"time read as `{cleaned}` from `{printed}`"


# Marks no time is printed with: quotes and guillemets of a seal's ring, OCR's stray symbols.
_DEBRIS = re.compile(r"[^\w\s/.,:;()\-–%]")


def _mixed_case(word: str) -> bool:
    """`wH`: no word is cased like that."""
    return word[:1].islower() and any(c.isupper() for c in word[1:])
