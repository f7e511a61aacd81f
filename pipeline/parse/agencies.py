"""Split a chủ trì / phối hợp value into agency names, keeping group phrases whole.

A semicolon always separates agencies. A comma separates them only when the text after it opens a
new agency name (a capitalised head such as `Sở`, `Công an`, `UBND`, an acronym, or a collective
`các ...`); otherwise it sits inside a name or a group phrase: `các sở, ban, ngành`,
`cơ quan, đơn vị`, `Sở Văn hóa, Thể thao và Du lịch`.
"""

from __future__ import annotations

import re

# Capitalised heads that open an agency name (longest first so `Bộ Chỉ huy` wins over `Bộ`).
_HEAD_WORDS = (
    "Sở",
    "Ban",
    "Bộ",
    "UBND",
    "Ủy ban",
    "Uỷ ban",
    "Công an",
    "Văn phòng",
    "Cục",
    "Chi cục",
    "Tổng cục",
    "Trung tâm",
    "Đài",
    "Báo",
    "Hội",
    "Hội đồng",
    "Liên đoàn",
    "Liên minh",
    "Đoàn",
    "Mặt trận",
    "Tỉnh đoàn",
    "Thành đoàn",
    "Tỉnh ủy",
    "Thành ủy",
    "Huyện ủy",
    "Bộ Chỉ huy",
    "Bộ đội",
    "Kho bạc",
    "Ngân hàng",
    "Thanh tra",
    "Viện",
    "Viện kiểm sát",
    "Trường",
    "Bệnh viện",
    "Tòa án",
    "Cảnh sát",
    "Phòng",
    "Công ty",
    "Tổng công ty",
    "Tập đoàn",
    "Quỹ",
    "Học viện",
    "Đại học",
    "Chính phủ",
    "Thủ tướng",
    "Cơ quan",
    "Cổng",
    "Tạp chí",
    "Điện lực",
    "Cảng vụ",
    "Hải quan",
    "Lãnh đạo",
    "Chủ tịch",
    "Giám đốc",
    "Thủ trưởng",
    "Người đứng đầu",
    "Các",
    "các",
    "Tổ",
    "Nhà đầu tư",
    "Chủ đầu tư",
)
# Longest first so that `Bộ Chỉ huy` is tried before `Bộ`.
AGENCY_HEADS: tuple[str, ...] = tuple(sorted(_HEAD_WORDS, key=len, reverse=True))
_HEAD = re.compile(r"^(?:" + "|".join(re.escape(h) for h in AGENCY_HEADS) + r")(?=\s|$|[:(])")
_ACRONYM = re.compile(r"^[A-ZĐ][A-ZĐ0-9&]{1,}(?=\s|$|[-(])")
_BULLET = re.compile(r"^\s*[-+•*–]\s*")
# A line break (or a Word-cell break ` / `) followed by a bullet starts a new list entry; any
# other line break only wraps a name (`Lãnh đạo / Sở Y tế`).
_LIST_BREAK = re.compile(r"\s*(?:\n|\s/\s)\s*(?=[-+•–]\s)")
_WRAP = re.compile(r"\s*(?:\n|\s/\s)\s*")
# `Theo phân công tại Quyết định số ...`: the agencies are named in another document, not here.
_BY_REFERENCE = re.compile(r"^Theo\s+(?:phân công|quy định|Quyết định|Kế hoạch|Phương án)\b")


def opens_agency(part: str) -> bool:
    """True when `part` starts like an agency name (a head word, an acronym, or `các ...`)."""
    part = part.strip()
    return bool(_HEAD.match(part) or _ACRONYM.match(part))


def _clean(name: str) -> str:
    name = _BULLET.sub("", name).strip()
    name = re.sub(r"\s+", " ", name)
    return name.rstrip(" .;,").strip()


def _split_commas(chunk: str) -> list[str]:
    parts = chunk.split(",")
    out: list[str] = [parts[0]]
    for part in parts[1:]:
        if opens_agency(part):
            out.append(part)
        else:
            out[-1] = out[-1] + "," + part
    return out


def split_agencies(text: str) -> list[str]:
    """`Sở Tư pháp, Công an tỉnh; các sở, ban, ngành cấp tỉnh.` → three names, as printed."""
    if not text or not text.strip() or _BY_REFERENCE.match(text.strip()):
        return []
    text = _WRAP.sub(" ", _LIST_BREAK.sub(";", text.strip()))
    names: list[str] = []
    for chunk in text.split(";"):
        for name in _split_commas(_BULLET.sub("", chunk.strip())):
            cleaned = _clean(name)
            if cleaned:
                names.append(cleaned)
    return names
