"""Header fields of an administrative document (thể thức, Nghị định 30/2020/NĐ-CP, Phụ lục I).

The layout rule the parser leans on: the issuing agency (with its parent above it) and `Số: .../...`
sit top left, the motto and `<place>, ngày ... tháng ... năm ...` top right, then the document type
and its trích yếu (or, for a công văn, the `V/v ...` line under the number), and at the end the
`Nơi nhận:` list on the left and the signature block (TM./KT./TL. lines, title, name) on the right.
Text inputs may have lost that layout (columns interleaved or the agency line moved to the end), so
each field is found by its own shape, not by its position, and positions only break ties.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import date

from pipeline.parse.doclines import DocLine, clean_text
from pipeline.parse.signature import find_recipients, find_signer
from pipeline.textnorm import squash_spaces, strip_diacritics
from pipeline.types import Evidence, Header

# Nghị định 30/2020/NĐ-CP, Điều 7 (hệ thống văn bản hành chính), plus common legal types.
DOC_TYPES = (
    "NGHỊ QUYẾT",
    "QUYẾT ĐỊNH",
    "CHỈ THỊ",
    "QUY CHẾ",
    "QUY ĐỊNH",
    "THÔNG CÁO",
    "THÔNG BÁO",
    "HƯỚNG DẪN",
    "CHƯƠNG TRÌNH",
    "KẾ HOẠCH",
    "PHƯƠNG ÁN",
    "ĐỀ ÁN",
    "DỰ ÁN",
    "BÁO CÁO",
    "BIÊN BẢN",
    "TỜ TRÌNH",
    "HỢP ĐỒNG",
    "CÔNG VĂN",
    "CÔNG ĐIỆN",
    "BẢN GHI NHỚ",
    "BẢN THỎA THUẬN",
    "GIẤY ỦY QUYỀN",
    "GIẤY MỜI",
    "GIẤY GIỚI THIỆU",
    "GIẤY NGHỈ PHÉP",
    "PHIẾU GỬI",
    "PHIẾU CHUYỂN",
    "PHIẾU BÁO",
    "THƯ CÔNG",
    "NGHỊ ĐỊNH",
    "THÔNG TƯ",
    "THÔNG TƯ LIÊN TỊCH",
    "LUẬT",
    "PHÁP LỆNH",
)
_TYPE_KEYS = {strip_diacritics(t): t for t in DOC_TYPES}

# `số:` in lower case is a common OCR slip on the bold header line.
_NUMBER = re.compile(
    r"^[Ss]ố\s*[:.]?\s*(?P<num>\d+[a-zA-Z]?(?:/\d{4})?)?[+*'`|,.]?"  # a speck after a number
    r"\s*(?:/\s*(?P<sym>[A-ZĐ][\wĐđ.\-/]*))?\s*$"
)
_SYMBOL_BARE = re.compile(r"^/\s*(?P<sym>[A-ZĐ][\wĐđ.\-/]*)\s*$")


# Glyphs OCR gives for the one stroke of a 1 (`3|` is 31, `1]` is 11, `{5` is 15).
_STROKES = str.maketrans("|lI[]{}", "1111111")


def slot_number(token: str | None) -> int | None:
    """What a day or month slot reads: its digits, a stroke glyph glued to a digit read as 1;
    debris (`#Ÿ`, `!†`, a lone `|`) reads as nothing."""
    if not token or len(token) > 2 or not any(c in "0123456789" for c in token):
        return None
    digits = token.translate(_STROKES)
    return int(digits) if all(c in "0123456789" for c in digits) else None


def _readings(token: str | None, alts: dict[str, tuple[str, ...]]) -> list[int]:
    if token is None:
        return []
    return [n for t in (token, *alts.get(token, ())) if (n := slot_number(t))]


def date_of(
    year: str | None, day: str | None, month: str | None, alts: dict[str, tuple[str, ...]]
) -> str | None:
    """The first real date among the slots' readings, the printed one first, then the OCR
    engine's other readings of the word (`ngày 45`, second choice `{5`: the 15th, a handwritten
    1 taken for a 4). `31 tháng 2` with no other reading is a typo, not a date."""
    if not year:
        return None
    days, months = (_readings(slot, alts) for slot in (day, month))
    for d in days:
        for mo in months:
            with contextlib.suppress(ValueError):
                return date(int(year), mo, d).isoformat()
    return None


class _SymbolOnly:
    """`/QĐ-SYT` on its own line; spaces a text layer puts around `-` (`/QĐ -SYT`) are dropped."""

    @staticmethod
    def match(text: str) -> re.Match[str] | None:
        return _SYMBOL_BARE.match(re.sub(r"\s*-\s*", "-", text))


_SYMBOL_ONLY = _SymbolOnly()
# A handwritten day or month often comes out of OCR as debris (`#Ÿ`, `!†`) or with a stroke
# glyph for its 1 (`3|`): the slot takes any short token and `slot_number` says what it reads.
_DAY_OR_DEBRIS = r"(?P<{0}>[^\s/]{{1,3}}(?=[\s/]))?"
# `tháng` is read with any tone or vowel mark by OCR (`thẳng`, `thang`): only th?ng is required.
_MONTH_WORD = r"th[aáàảãạăắằẳẵặâấầẩẫậ]ng"
_DATE = re.compile(
    r"^(?P<place>[^\d,;:()]{2,40}?)\s*,\s*ngày\s*"
    + _DAY_OR_DEBRIS.format("d")
    + r"\s*(?:/|"
    + _MONTH_WORD
    + r")\s*"
    + _DAY_OR_DEBRIS.format("m")
    + r"\s*(?:/|năm)\s*(?P<y>\d{4})?"  # a draft: blanks
)
# The `V/v` (về việc) opener of a công văn, and how OCR reads it: `VW`, `V/V`, `v/v`, `V/w`.
_VV = re.compile(r"^(?:[Vv]\s*/\s*[vVwW]|VW|Vw)(?=\s+\S)")
# Urgency and confidentiality marks (Nghị định 30/2020, Phụ lục I, mục II.11), longest first.
MARKS = ("HỎA TỐC HẸN GIỜ", "THƯỢNG KHẨN", "HỎA TỐC", "KHẨN", "TUYỆT MẬT", "TỐI MẬT", "MẬT")
_MARK_KEYS = {strip_diacritics(m): m for m in MARKS}
_DATE_START = re.compile(r"^[^\d,;:()]{2,40},\s*ngày\b")
_OVERLAY = re.compile(
    r"\S+@\S+\.\w+|^\d{2}\.\d{2}\.\d{4}\s+\d{2}:\d{2}|^\+\d{2}:\d{2}$|"
    r"^(?:Người ký|Ký bởi|Thời gian ký|Email|Cơ quan)\s*:"
)
# A công điện's address line (`VĂN PHÒNG CHÍNH PHỦ điện:`) or a bullet opens the body, not a title.
_ADDRESS = re.compile(r"\bđiện\s*:\s*$|^[-–•]\s")
_RULE = re.compile(r"^[_\-–=*. ]{3,}$")
_BODY_OPENERS = re.compile(
    r"^(Căn cứ|Thực hiện|Theo |Tiếp tục|Ngày \d|Nhân dịp|Để |Trên cơ sở|Sau khi|Xét |Kính gửi|"
    r"Vừa qua|Trong (thời gian|năm)|Hiện nay|Nhằm |Điều \d|[IVX]+\.\s|\d+\.\s|[a-zđ]\)\s)"
)
_PLACE_LEVELS = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG", "ĐẶC KHU")
# Capitalised words that open an agency name in the header (an upper-case line starting with one).
_AGENCY_HEADS = (
    "ỦY BAN",
    "UỶ BAN",
    "UBND",
    "HĐND",
    "HỘI ĐỒNG",
    "SỞ",
    "BỘ",
    "BAN",
    "VĂN PHÒNG",
    "CHÍNH PHỦ",
    "TRUNG TÂM",
    "CỤC",
    "CHI CỤC",
    "TỔNG CỤC",
    "CÔNG AN",
    "TỈNH ỦY",
    "THÀNH ỦY",
    "HUYỆN ỦY",
    "ĐẢNG ỦY",
    "TRƯỜNG",
    "BỆNH VIỆN",
    "KHO BẠC",
    "NGÂN HÀNG",
    "THANH TRA",
    "VIỆN",
    "TÒA ÁN",
    "ĐÀI",
    "BÁO",
    "HỘI",
    "ĐOÀN",
    "MẶT TRẬN",
    "PHÒNG",
    "TỔ",
    "CÔNG TY",
    "TẬP ĐOÀN",
    "ĐẠI HỌC",
    "HỌC VIỆN",
    "QUỐC HỘI",
    "KIỂM TOÁN",
    "BỘ CHỈ HUY",
    "BỘ TƯ LỆNH",
    "LIÊN ĐOÀN",
    "LIÊN MINH",
    "THỦ TƯỚNG",  # `THỦ TƯỚNG CHÍNH PHỦ` issues the Prime Minister's decisions
)


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def is_motto(text: str) -> bool:
    key = strip_diacritics(text).upper()
    return key.startswith(("CONG HOA XA HOI", "DOC LAP", "CONG HOA XHCN"))


def doc_type_of(text: str) -> str | None:
    """The canonical type name when the line is exactly a type line (no trailing colon), or
    ends with one after a few specks a seal left on the scan (`ca 2N j QUYẾT ĐỊNH`)."""
    text = squash_spaces(clean_text(text))
    words = text.split()
    for cut in range(min(4, len(words))):
        if cut and any(len(w) > 2 for w in words[:cut]):
            break
        tail = " ".join(words[cut:])
        if (
            _is_upper(tail)
            and not tail.endswith(":")
            and (found := _TYPE_KEYS.get(strip_diacritics(tail)))
        ):
            return found
    return None


def _starts_with_head(text: str) -> bool:
    return any(text == h or text.startswith(h + " ") for h in _AGENCY_HEADS)


def _agency_units(atoms: list[DocLine]) -> list[list[DocLine]]:
    """Group upper-case header lines into agency names: a new name opens at an agency head word;
    any other line (`TỈNH HÀ TĨNH`, the tail of a long name) continues the previous one."""
    units: list[list[DocLine]] = []
    for atom in atoms:
        if units and not _starts_with_head(atom.text):
            units[-1].append(atom)
        else:
            units.append([atom])
    return units


def _join(atoms: list[DocLine]) -> str:
    return squash_spaces(" ".join(a.text for a in atoms))


# The words of the bodies that issue signing certificates (`TRUNG TÂM CÔNG BÁO VÀ TIN HỌC`,
# `CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ`, `BAN CƠ YẾU CHÍNH PHỦ`): an agency's own header line above a
# contact e-mail (`SỞ Y TẾ`) is never taken for one.
_ISSUER_WORDS = frozenset(
    "TRUNG TÂM CÔNG BÁO VÀ TIN HỌC CỔNG THÔNG ĐIỆN TỬ CHÍNH PHỦ BAN CƠ YẾU".split()
)


def _runs(hits: list[int]) -> list[list[int]]:
    """Indexes grouped into runs, one other atom at most between two of a run."""
    runs: list[list[int]] = []
    for i in hits:
        if runs and i - runs[-1][-1] <= 2:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def without_overlay(atoms: list[DocLine]) -> list[DocLine]:
    """The atoms without a signing-certificate overlay (`TRUNG TÂM CÔNG BÁO VÀ TIN HỌC` /
    e-mail / `18.03.2024 09:29:39` / `+07:00`, or `Người ký: …` / `Thời gian ký: …`) near the
    top. The overlay is cut out, not everything before it: a scan signed over its right column
    is read left column first, and the number and the agency stand before the overlay."""
    hits = [i for i, a in enumerate(atoms[:14]) if _OVERLAY.search(a.text)]
    drop: set[int] = set()
    for run in _runs(hits):
        start, region = run[0], atoms[run[0]].region
        while start > 0 and run[0] - start < 3 and atoms[start - 1].region == region:
            if not set(atoms[start - 1].text.split()) <= _ISSUER_WORDS:
                break
            start -= 1  # the certificate's issuer above its e-mail (`TRUNG TÂM CÔNG / BÁO …`)
        drop.update(range(start, run[-1] + 1))
    return [a for i, a in enumerate(atoms) if i not in drop]


def tucked_under(before: list[DocLine], anchor: DocLine) -> list[DocLine]:
    """The lines just before `anchor` in reading order that start below its top and overlap
    it: OCR orders lines by where their boxes begin, and a seal's specks beside the type line
    (`ca 2N j QUYẾT ĐỊNH`) can stretch its box down over the title's first line, which then
    comes first. Those lines belong after the anchor."""
    out: list[DocLine] = []
    for atom in reversed(before[-2:]):
        box, top = atom.box, anchor.box
        if (
            box is None
            or top is None
            or atom.page != anchor.page
            or not top.y0 < box.y0 < top.y1
            or _is_upper(atom.text)
        ):
            break
        out.insert(0, atom)
    return out


def _agency_candidate(atom: DocLine) -> bool:
    text = atom.text
    return (
        _is_upper(text)
        and (len(text.split()) >= 2 or len(text) >= 4)  # `THỊ`: a speck of the seal, read as text
        and len(text) <= 90
        and not is_motto(text)
        and not _RULE.match(text)
        and doc_type_of(text) is None
        and not _NUMBER.match(text)
        and not _SYMBOL_ONLY.match(text)
    )


class _HeaderReader:
    """Finds each header field in the atom stream; one small method per field."""

    def __init__(self, atoms: list[DocLine], all_atoms: list[DocLine]) -> None:
        self.atoms = without_overlay(atoms)
        self.all = all_atoms
        self.fields: dict[str, str | None] = {}
        self.evidence: dict[str, Evidence] = {}
        self.marks: list[str] = []

    def _put(self, name: str, value: str | None, where: list[DocLine] | DocLine) -> None:
        self.fields[name] = value
        first = where[0] if isinstance(where, list) else where
        self.evidence[name] = first.evidence()

    def _first(
        self, pred: Callable[[DocLine], bool], start: int = 0, stop: int | None = None
    ) -> int | None:
        for i in range(start, min(stop or len(self.atoms), len(self.atoms))):
            if pred(self.atoms[i]):
                return i
        return None

    def read_number(self) -> None:
        i = self._first(lambda a: bool(_NUMBER.match(a.text)))
        if i is None:
            return
        m = _NUMBER.match(self.atoms[i].text)
        assert m
        num, sym = m.group("num"), m.group("sym")
        if not sym:
            for later in self.atoms[i + 1 : i + 7]:
                if s := _SYMBOL_ONLY.match(later.text):
                    sym = s.group("sym")
                    break
        if not (num or sym):
            return
        self._put("number_symbol", f"{num or ''}/{sym}" if sym else num, self.atoms[i])
        self.fields["number"], self.fields["symbol"] = num, sym

    def read_type(self) -> int:
        i = self._first(lambda a: doc_type_of(a.text) is not None, stop=60)
        vv = self._first(lambda a: bool(_VV.match(a.text)), stop=60)
        if i is not None:
            self._put("doc_type", doc_type_of(self.atoms[i].text), self.atoms[i])
            early = tucked_under(self.atoms[:i], self.atoms[i])
            self._read_title([*early, *self.atoms[i + 1 : i + 9]])
        elif vv is not None:
            self._put("doc_type", "CÔNG VĂN", self.atoms[vv])
            self._read_title(self.atoms[vv : vv + 8])
        return min(x for x in (i, vv, 60) if x is not None)  # where the agency zone ends

    def _read_title(self, atoms: list[DocLine]) -> None:
        taken: list[DocLine] = []
        for atom in atoms:
            text = atom.text
            if taken and (
                _BODY_OPENERS.match(text)
                or _ADDRESS.search(text)
                or _is_upper(text)
                or _RULE.match(text)
                or _NUMBER.match(text)
                or _DATE_START.match(text)
                or is_motto(text)
            ):
                break
            if not taken and (_RULE.match(text) or _BODY_OPENERS.match(text)):
                return
            taken.append(atom)
            if len(taken) >= 6:
                break
        if taken:
            self._put("title", _VV.sub("V/v", _join(taken)), taken)

    def read_date(self) -> None:
        for i, atom in enumerate(self.atoms[:80]):
            text = atom.text
            if not _DATE_START.match(text) or len(text) > 90:
                continue
            m = _DATE.match(text)
            alts = dict(atom.alternatives)
            for later in self.atoms[i + 1 : i + 3]:  # `ngày` / `tháng` / `năm` split over lines
                if m is not None:
                    break
                text = f"{text} {later.text}"
                alts.update(later.alternatives)
                m = _DATE.match(text)
            if m is None:
                continue
            self._put("place", m.group("place").strip(), atom)
            self._put("date_text", squash_spaces(m.group(0)), atom)
            if found := date_of(m.group("y"), m.group("d"), m.group("m"), alts):
                self._put("date", found, atom)
            return

    def read_agency(self, stop: int) -> None:
        zone = [a for a in self.atoms[:stop] if _agency_candidate(a) and not _VV.match(a.text)]
        # the left column's, unless there is no column layout or it holds only the number
        cands = [a for a in zone if a.region == "header_left"] or zone
        units = _agency_units(cands)
        if not units:  # the layout was lost: take a lone agency line anywhere (e.g. at the end)
            lone = [a for a in self.all if _agency_candidate(a) and _starts_with_head(a.text)]
            units = [lone[:1]] if lone else []
        if not units:
            return
        self._put("agency", _join(units[-1]), units[-1])
        if len(units) > 1:
            self._put("parent_agency", _join(units[0]), units[0])

    def read_marks(self) -> None:
        """KHẨN, HỎA TỐC, MẬT ... printed as a line (or a cell) of their own on the first page."""
        found: list[str] = []
        for atom in self.atoms[:60]:
            text = squash_spaces(atom.text.strip(" .*:"))
            mark = _MARK_KEYS.get(strip_diacritics(text).upper()) if _is_upper(text) else None
            if mark and text not in found:
                found.append(text)
        if found:
            self.marks = found

    def complete_agency(self) -> None:
        """`ỦY BAN NHÂN DÂN TỈNH` with the place name lost: complete it from the date line."""
        agency, place = self.fields.get("agency"), self.fields.get("place")
        if isinstance(agency, str) and isinstance(place, str) and agency.endswith(_PLACE_LEVELS):
            self.fields["agency"] = f"{agency} {place.upper()}"


def parse_header(atoms: list[DocLine], all_atoms: list[DocLine]) -> tuple[Header, list[str]]:
    """Header fields from the first page's atoms (`atoms`) and the whole document (`all_atoms`)."""
    reader = _HeaderReader(atoms, all_atoms)
    reader.read_number()
    stop = reader.read_type()
    reader.read_date()
    reader.read_agency(stop)
    reader.complete_agency()
    reader.read_marks()
    signer, signer_ev = find_signer(all_atoms)
    recipients, rec_ev = find_recipients(all_atoms)
    evidence = dict(reader.evidence)
    if signer_ev is not None:
        evidence["signer"] = signer_ev
    if rec_ev is not None:
        evidence["recipients"] = rec_ev
    f = reader.fields
    header = Header(
        agency=f.get("agency"),
        parent_agency=f.get("parent_agency"),
        number=f.get("number"),
        symbol=f.get("symbol"),
        number_symbol=f.get("number_symbol"),
        doc_type=f.get("doc_type"),
        place=f.get("place"),
        date=f.get("date"),
        date_text=f.get("date_text"),
        title=f.get("title"),
        signer=signer,
        recipients=recipients,
        marks=reader.marks,
        evidence=evidence,
    )
    warnings = [
        f"header: no {name} found" for name in ("number_symbol", "doc_type") if not f.get(name)
    ]
    return header, warnings
