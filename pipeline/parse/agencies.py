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
    # the heads of bodies, named by their post (a Chỉ thị gives work to them)
    "Chánh Văn phòng",
    "Chánh Thanh tra",
    "Chánh án",
    "Viện trưởng",
    "Cục trưởng",
    "Chi cục trưởng",
    "Bộ trưởng",
    "Tổng Giám đốc",
    "Trưởng Ban",
    "Trưởng ban",
    "Trưởng phòng",
    "Quốc hội",
    "Kiểm toán",
    "Bảo hiểm",
    "Thông tấn xã",
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


# Lower-case group phrases that open a new entry after a comma: `Bộ Tài chính, bộ, ngành liên quan`.
_GROUP_START = re.compile(r"^(?:bộ|sở|ban),\s*(?:ban,\s*)?(?:ngành|cơ quan)\b")
_GROUP_WORD = re.compile(r"(?:^|\s)(?:các|Các|bộ|sở|ban|ngành)\s*$|^\s*(?:các|Các)\s")
# `và` before a new body joins two entries, never inside a name: `Sở Khoa học và Công nghệ` keeps
# its `và` (no head word follows it), `Bộ Quốc phòng và các bộ, ngành` splits.
_AND_NEW = re.compile(
    r"\s+và\s+(?!các Khu công nghiệp)(?=(?:các|Các|Bộ|Sở|UBND|Ủy ban|Công an|Ban|Văn phòng|Viện|Ngân hàng|Tòa án|"
    r"Quốc hội|Mặt trận|Hội|Liên đoàn|Tỉnh đoàn|Đài|Báo|Trung tâm|Chi cục|Cục)\s)"
)


def _split_commas(chunk: str) -> list[str]:
    parts = chunk.split(",")
    out: list[str] = [parts[0]]
    for i, part in enumerate(parts[1:], start=1):
        group = _GROUP_START.match(",".join(parts[i:]).strip()) and not _GROUP_WORD.search(out[-1])
        if opens_agency(part) or group:
            out.append(part)
        else:
            out[-1] = out[-1] + "," + part
    return out


def _split_and(text: str) -> list[str]:
    """Split at `và` before a new body, except between two acronyms (`Văn phòng HĐND và UBND`)."""
    out, start = [], 0
    for m in _AND_NEW.finditer(text):
        before = text[start : m.start()].split()
        after = text[m.end() :].split()[:1]
        if before and after and before[-1].isupper() and after[0].isupper():
            continue
        parts = text[start : m.start()].split(",")
        if re.match(r"\s*(?:các|Các)\s", parts[0]) and not any(map(opens_agency, parts[1:])):
            continue  # `Các cơ quan ban, ngành ở Trung ương và các địa phương`: one group phrase
        out.append(text[start : m.start()])
        start = m.end()
    return [*out, text[start:]]


# Two bodies of one rank whose cell lost the line break between them (`Bộ Thông tin và Truyền
# thông Bộ Khoa học và Công nghệ`): the second head follows a word of the first name, not a link.
# `Văn phòng Bộ Công an`, `Bộ Chỉ huy Bộ đội Biên phòng` and `… thuộc Sở Y tế` stay whole.
_PEER = re.compile(r"(?<=\w)\s+(?=(?:Bộ|Sở)\s+\w)")


def _opens_peer(text: str, head: str) -> bool:
    words = text.split()
    return len(words) > 1 and words[0] == head and words[1][:1].isupper()


def _split_peers(name: str) -> list[str]:
    head = name.split()[0] if name.split() else ""
    if head not in ("Bộ", "Sở") or not _opens_peer(name, head):
        return [name]
    out = [name]
    for cut in reversed(list(_PEER.finditer(name))):
        first, tail = out[0][: cut.start()], out[0][cut.end() :]
        linked = first.split()[-1] in ("của", "thuộc", "và", "với", "tại", "trực")
        if _opens_peer(tail, head) and not linked and len(first.split()) >= 3:
            out[0:1] = [first, tail]
    return out


def _split_lines(text: str) -> str:
    """A cell broken over lines holds one body a line when each line is a whole name: the
    break before a line that opens a name, after one that is more than a bare head word
    (`Lãnh đạo / Sở Y tế` is one name), becomes a `;`."""
    pieces = re.split(r"\s*(?:\n|\s/\s)\s*", text)
    out = pieces[0]
    for prev, piece in zip(pieces, pieces[1:], strict=False):
        whole = prev.strip(" ,;.") not in AGENCY_HEADS and not prev.rstrip().endswith(
            (",", "và", "-", "–", "của", "thuộc")
        )
        out += ("; " if whole and opens_agency(piece) and head_len(prev) else " ") + piece
    return out


def head_len(text: str) -> int:
    m = _HEAD.match(text.strip()) or _ACRONYM.match(text.strip())
    return m.end() if m else 0


def split_agencies(text: str) -> list[str]:
    """`Sở Tư pháp, Công an tỉnh; các sở, ban, ngành cấp tỉnh.` → three names, as printed."""
    return split_agencies_noted(text)[0]


_PAREN = re.compile(r"\(([^()]*)\)")
# Head words that name no body without what follows them (`Quốc hội`, `Chính phủ` do).
_NEEDS_NAME = frozenset(
    {"Bộ", "Sở", "Ban", "Cục", "Chi cục", "Tổng cục", "Phòng", "Trung tâm", "Viện", "Vụ", "Hội"}
    | {"Đoàn", "Tổ", "Ủy ban", "Uỷ ban", "UBND", "Văn phòng", "Các", "các", "Cơ quan"}
)
# The verb that gave the work is no part of a name: `Đề nghị Tòa án nhân dân tối cao`.
MODAL_VERB = re.compile(r"^(?:Đề nghị|đề nghị|Giao|giao|Mời|mời|Yêu cầu|yêu cầu)\s+(?=\S)")


def split_agencies_noted(text: str) -> tuple[list[str], list[str]]:
    """Names as `split_agencies`, and the role notes printed in parentheses beside them:
    `NHNN (chủ trì đánh giá … về RT); Bộ Công an (chủ trì … về TTKB)` → [NHNN, Bộ Công an] and
    [`NHNN: chủ trì đánh giá … về RT`, `Bộ Công an: chủ trì … về TTKB`]. A parenthesis that
    names a body (`Văn phòng UBND tỉnh (Trung tâm Phục vụ hành chính công)`) stays in the name."""
    if not text or not text.strip() or _BY_REFERENCE.match(text.strip()):
        return [], []
    kept: list[str] = []

    def hide(m: re.Match[str]) -> str:  # parentheses kept whole while the list is split
        kept.append(m.group(0))
        return f"\x00{len(kept) - 1}\x01"

    hidden = _PAREN.sub(hide, text)
    hidden = _split_lines(_LIST_BREAK.sub(";", hidden.strip()))
    names: list[str] = []
    notes: list[str] = []
    for chunk in hidden.split(";"):
        for piece in _split_and(_BULLET.sub("", chunk.strip())):
            for name in (p for part in _split_commas(piece) for p in _split_peers(part)):
                cleaned, note = _unhide(_clean(MODAL_VERB.sub("", _clean(name))), kept)
                if cleaned and cleaned not in names:
                    names.append(cleaned)
                    notes += [f"{cleaned}: {note}"] if note else []
    # a head word left alone by a cut cell (`…, Bộ Khoa học và Công nghệ, Bộ`) names no one
    whole = [n for n in names if n not in _NEEDS_NAME] if len(names) > 1 else names
    return whole, [n for n in notes if n.split(":")[0] in whole]


def _unhide(name: str, kept: list[str]) -> tuple[str, str | None]:
    note = None

    def back(m: re.Match[str]) -> str:
        nonlocal note
        inner = kept[int(m.group(1))]
        if opens_agency(inner[1:-1]):
            return inner
        note = inner[1:-1].strip()
        return ""

    return _clean(re.sub(r"\x00(\d+)\x01", back, name)), note
