"""Duty field labels (`- Đơn vị chủ trì: …`, `Thời gian dự kiến: …`, `Địa điểm: …`).

A label needs its colon (`Chủ trì:`), so prose such as `Chủ trì, phối hợp với ...` is never read
as a field; OCR's `;` for the colon, a lost colon before a name, and garbled list markers are
tolerated. The tree reads a lettered heading that is a label (`a) Đơn vị chủ trì: …`) as a field
line of its item, and the field finder groups fields by item.
"""

from __future__ import annotations

import re

from pipeline.textnorm import strip_diacritics

_BULLET = re.compile(r"^[-+•–*]\s*")
# A bullet, or a letter/number marker as OCR garbles it (`a}`, `b]`, `8)`), before a field label.
_MARKER = re.compile(r"^(?:[-+•–*]|[a-zđ0-9]{1,2}\s*[)}\]])\s*")
# A label ends at its colon; OCR reads that colon as `;` now and then, or loses it before a name
# (`Đơn vị chủ trì Sở Nội vụ`): a role label then needs a capital or a digit right after it.
_END = r"\s*(?:[:;]|(?=\s+\S))"
_ROLE = r"(?:(?:co quan|don vi)(?:, don vi)?\s+)"
_FIELDS = (
    ("chu_tri", re.compile(rf"^(?:{_ROLE}?chu tri(?:\s+thuc hien)?\s*[:;]|{_ROLE}chu tri{_END})")),
    ("thuc_hien", re.compile(rf"^{_ROLE}thuc hien{_END}")),
    (
        "phoi_hop",
        re.compile(rf"^(?:{_ROLE}?phoi hop(?:\s+thuc hien)?\s*[:;]|{_ROLE}phoi hop{_END})"),
    ),
    # `Thời gian:`, `Thời gian dự kiến:`, `Thời hạn hoàn thành:`, `Thời gian tổ chức:` ...
    # (not `Thời gian ký:` of a digital signature's overlay)
    ("time", re.compile(r"^(?:thoi gian|thoi han)(?!\s+ky\b)(?:\s+[a-z]+){0,3}\s*:")),
    ("time", re.compile(r"^tien do(?:\s+thuc hien)?\s*:")),
    # Fields of an item that assign nothing but belong to it (issue 10: field blocks come in any
    # order; read as prose, `- Địa điểm: …` opened a phantom second task).
    (
        "other",
        re.compile(
            r"^(?:dia diem|kinh phi|nguon kinh phi|thanh phan|hinh thuc|san pham|ket qua|"
            r"noi dung|doi tuong|quy mo|phuong thuc|so luong|yeu cau|muc tieu|chi tieu|"
            r"co quan chi dao|co quan thuong truc|lanh dao chi dao|chu tri hoi nghi)"
            r"(?:\s+[a-z]+){0,3}\s*:"
        ),
    ),
)


def match_field(text: str) -> tuple[str, str] | None:
    """`- Cơ quan chủ trì: Sở A` → ("chu_tri", "Sở A"); None for any other line."""
    body = _MARKER.sub("", text)
    key = strip_diacritics(body).lower()  # same length as `body` for NFC text
    for kind, pattern in _FIELDS:
        if m := pattern.match(key):
            value = body[m.end() :].strip()
            if not key[: m.end()].rstrip().endswith((":", ";")) and not value[:1].isupper():
                continue  # no colon: only a name (a capital) may follow the label
            return kind, value
    return None
