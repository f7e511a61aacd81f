"""The closing block: `Nơi nhận:` recipients and the signer (authority lines, title, name).

In text extracted from a two-column layout the recipients (left) and the signature (right) arrive
interleaved (`- Bộ A;` / `KT. CHỦ TỊCH` / `- Sở B;` / `PHÓ CHỦ TỊCH`), so both readers skip the
other column's lines instead of stopping at them.
"""

from __future__ import annotations

import re

from pipeline.parse.doclines import DocLine
from pipeline.textnorm import squash_spaces
from pipeline.types import Evidence, Signer

_AUTHORITY = re.compile(r"^(TM|KT|TL|TUQ|Q)\s*\.\s*\S")
_POSITION_WORDS = (
    "CHỦ TỊCH",
    "GIÁM ĐỐC",
    "TRƯỞNG",
    "CHỦ NHIỆM",
    "THỦ TƯỚNG",
    "CHÁNH",
    "BÍ THƯ",
    "TỔNG THƯ KÝ",
    "THỨ TRƯỞNG",
    "BỘ TRƯỞNG",
    "HIỆU TRƯỞNG",
    "TỔNG KIỂM TOÁN",
)
_RECIPIENTS = re.compile(r"^Nơi\s*nhận\s*:?\s*(.*)$", re.IGNORECASE)
_BULLET = re.compile(r"^[-+•–]\s*")
_PAGE_NO = re.compile(r"^\d{1,3}$")
_STOP = re.compile(r"^(PHỤ LỤC|Phụ lục|CỘNG HÒA|ỦY BAN|UBND|[IVX]+\.\s)")


def _upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def is_authority(text: str) -> bool:
    return bool(_AUTHORITY.match(text)) and _upper(text)


def is_position(text: str) -> bool:
    """An upper-case signer title such as `PHÓ CHỦ TỊCH` or `KT. GIÁM ĐỐC`'s `PHÓ GIÁM ĐỐC`."""
    return (
        _upper(text)
        and not is_authority(text)
        and len(text.split()) <= 8
        and any(w in text for w in _POSITION_WORDS)
    )


def is_person_name(text: str) -> bool:
    """`Đặng Quốc Vinh`: two to five capitalised alphabetic words."""
    words = text.split()
    return 2 <= len(words) <= 5 and all(
        w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words
    )


def _name_after(atoms: list[DocLine], start: int) -> str | None:
    for atom in atoms[start : start + 14]:
        if is_person_name(atom.text):
            return atom.text
        if _STOP.match(atom.text) and not is_position(atom.text):
            return None
    return None


def find_signer(atoms: list[DocLine]) -> tuple[Signer, Evidence | None]:
    """Authority lines, the title under them and the name under that; the first block wins."""
    first = next((i for i, a in enumerate(atoms) if is_authority(a.text)), None)
    if first is None:
        nn = next((i for i, a in enumerate(atoms) if _RECIPIENTS.match(a.text)), None)
        if nn is None:
            return Signer(), None
        first = nn
    authority: list[str] = []
    title_at: int | None = None
    for i in range(first, min(first + 30, len(atoms))):
        text = atoms[i].text
        if is_authority(text):
            authority.append(squash_spaces(text))
        elif is_position(text):
            title_at = i
            break
    if title_at is None and not authority:
        return Signer(), None
    name = _name_after(atoms, (title_at if title_at is not None else first) + 1)
    title = squash_spaces(atoms[title_at].text) if title_at is not None else None
    where = atoms[first] if authority else atoms[title_at or first]
    return Signer(name=name, title=title, authority=authority), where.evidence()


def _clean_entry(text: str) -> str:
    return squash_spaces(_BULLET.sub("", text)).rstrip(" ;.,").strip()


def _is_other_column(text: str) -> bool:
    return (
        is_authority(text)
        or is_position(text)
        or is_person_name(text)
        or bool(_PAGE_NO.match(text))
    )


def find_recipients(atoms: list[DocLine]) -> tuple[list[str], Evidence | None]:
    """`Nơi nhận:` entries, leading `- ` and trailing `;`/`.` stripped, `Lưu: ...` kept."""
    start = next((i for i, a in enumerate(atoms) if _RECIPIENTS.match(a.text)), None)
    if start is None:
        return [], None
    m = _RECIPIENTS.match(atoms[start].text)
    assert m
    raw: list[str] = [m.group(1)] if m.group(1).strip() else []
    for atom in atoms[start + 1 : start + 60]:
        text = atom.text
        if _is_other_column(text):
            continue
        if (
            _STOP.match(text)
            or len(text) > 160
            or (raw and raw[-1].lstrip("-+ ").startswith("Lưu"))
        ):
            break
        aside = text.startswith("(") and text.endswith(")")  # `(để b/c)` glosses the lines above
        if raw and aside:
            raw[-1] = f"{raw[-1].rstrip()} {text}"
        elif _BULLET.match(text) or not raw or raw[-1].rstrip().endswith((";", ".")):
            raw.append(text)
        else:
            raw[-1] = f"{raw[-1]} {text}"
    entries = [e for e in (_clean_entry(r) for r in raw) if e]
    return entries, atoms[start].evidence()
