"""Canonical agency names: one key for the spellings of one agency, and a gazetteer grown from data.

The same agency is printed many ways: `UBND tỉnh` / `Ủy ban nhân dân tỉnh`, `Sở TT&TT` / `Sở Thông
tin và Truyền thông`, old and new tone placement (`hoá` / `hóa`, `Uỷ` / `Ủy`), a capital or not at
the start of a group (`Các sở` / `các sở`). `canonical_agency` maps them to one form; the
gazetteer counts the printed forms seen for each canonical form so the most frequent spelling can
be shown and new names are learnt from every parsed document, not from a list of one province.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from pipeline.textnorm import nfc

_ABBREVIATIONS = (
    (r"\bUBND\b", "Ủy ban nhân dân"),
    (r"\bHĐND\b", "Hội đồng nhân dân"),
    (r"\bBCĐ\b", "Ban Chỉ đạo"),
    (r"\bMTTQ\b", "Mặt trận Tổ quốc"),
    (r"\bVPUB\b", "Văn phòng Ủy ban nhân dân"),
    (r"\bTT\s*&\s*TT\b|\bTTTT\b|\bTT-TT\b", "Thông tin và Truyền thông"),
    (r"\bKH\s*&\s*ĐT\b|\bKHĐT\b", "Kế hoạch và Đầu tư"),
    (r"\bKH\s*&\s*CN\b|\bKHCN\b", "Khoa học và Công nghệ"),
    (r"\bLĐTB\s*&\s*XH\b|\bLĐTBXH\b", "Lao động - Thương binh và Xã hội"),
    (r"\bVHTT\s*&\s*DL\b|\bVHTTDL\b", "Văn hóa, Thể thao và Du lịch"),
    (r"\bGD\s*&\s*ĐT\b|\bGDĐT\b", "Giáo dục và Đào tạo"),
    (r"\bNN\s*&\s*PTNT\b|\bNNPTNT\b", "Nông nghiệp và Phát triển nông thôn"),
    (r"\bTN\s*&\s*MT\b|\bTNMT\b", "Tài nguyên và Môi trường"),
    (r"\bBQL\b", "Ban Quản lý"),
)
# Old-style tone placement on the second vowel of oa/oe/uy → the placement Nghị định 30 uses.
_TONES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
    "Uỷ": "Ủy", "Uý": "Úy",
}  # fmt: skip
# Only an open syllable moves its mark (`hoá` → `hóa`); with a final consonant both styles put it
# on the second vowel (`hoạch`, `Đoàn`), and `qu` is a consonant (`quý` stays).
_TONE_RE = re.compile("(?<![qQ])(?:" + "|".join(_TONES) + ")(?![a-zđ])")


def normalize_tones(text: str) -> str:
    """`hoá` → `hóa`, `Uỷ ban` → `Ủy ban` (only where no consonant follows the vowel pair)."""
    return _TONE_RE.sub(lambda m: _TONES[m.group(0)], text)


def canonical_agency(name: str) -> str:
    """One spelling per agency: abbreviations expanded, tones placed the modern way, a leading
    `Các` lower-cased, spaces and `-` spacing squashed, trailing punctuation dropped."""
    text = normalize_tones(nfc(name)).strip(" .;,:")
    for pattern, full in _ABBREVIATIONS:
        text = re.sub(pattern, full, text)
    text = re.sub(r"\s*[-–—]\s*", " - ", text)  # OCR reads the en dash as an em dash
    text = re.sub(r"\s+", " ", text).strip()
    if text.startswith("Các "):
        text = "các " + text[4:]
    return text


def agency_key(name: str) -> str:
    """A matching key: the canonical form, case-folded."""
    return canonical_agency(name).casefold()


class Gazetteer:
    """Canonical agency names with the printed spellings seen for each, grown from documents."""

    def __init__(self) -> None:
        self.forms: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, names: Iterable[str]) -> None:
        for name in names:
            if name.strip():
                self.forms[canonical_agency(name)][name.strip()] += 1

    def display(self, name: str) -> str:
        """The most frequent printed spelling of the agency `name` names."""
        seen = self.forms.get(canonical_agency(name))
        return seen.most_common(1)[0][0] if seen else name

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and canonical_agency(name) in self.forms

    def __len__(self) -> int:
        return len(self.forms)

    def save(self, path: Path) -> None:
        data = {k: dict(v) for k, v in sorted(self.forms.items())}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Gazetteer:
        gaz = cls()
        for key, forms in json.loads(path.read_text(encoding="utf-8")).items():
            gaz.forms[key] = Counter(forms)
        return gaz
