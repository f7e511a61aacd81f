"""Plain text of an official document -> `OfficialDoc`, putting header parts where a real page has them.

Text extracted from PDFs loses the layout: the seed plan has the agency line at the very end and the
national motto before PHỤ LỤC, and the Word-derived files in `shared/realdocs/plans_text/` carry the
header and the Nơi nhận/signature block as two-column `<<TABLE>>` rows with ` / ` line breaks.
Each line is classified on its own, so the order those parts arrive in does not matter.
"""

from __future__ import annotations

import re

from pipeline.synth.model import (
    NATIONAL_MOTTO,
    NATIONAL_NAME,
    Appendix,
    DocHeader,
    DocTable,
    OfficialDoc,
    Paragraph,
    ParaKind,
    Signature,
)
from pipeline.textnorm import nfc, strip_diacritics

DOC_TYPES = {
    "KẾ HOẠCH", "QUYẾT ĐỊNH", "THÔNG BÁO", "CHỈ THỊ", "BÁO CÁO", "TỜ TRÌNH", "NGHỊ QUYẾT",
    "HƯỚNG DẪN", "CÔNG ĐIỆN", "CHƯƠNG TRÌNH", "ĐỀ ÁN", "QUY CHẾ", "QUY ĐỊNH", "THÔNG TƯ",
    "NGHỊ ĐỊNH", "BIÊN BẢN", "GIẤY MỜI", "CÔNG VĂN", "PHƯƠNG ÁN", "KẾT LUẬN", "LỆNH", "CÔNG THƯ",
}  # fmt: skip
_NUMBER = re.compile(r"^Số\s*:", re.IGNORECASE)
_PLACE_DATE = re.compile(r"^(?P<place>[^\d,]{2,40}),\s*ngày\b.*\bnăm\s+\d{4}\.?$")
_AUTHORITY = re.compile(r"^(TM|KT|TL|TUQ|Q|PP)\.\s*\S")
_RECIPIENTS = re.compile(r"^Nơi nhận\s*:", re.IGNORECASE)
_APPENDIX = re.compile(r"^PHỤ LỤC(\s+[IVX\d]+)?\.?$", re.IGNORECASE)
_ROMAN = re.compile(r"^[IVXLC]+\.\s")
_ARABIC = re.compile(r"^\d+(\.\d+)*\.\s")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"\*\*|__")
_MD_RULE = re.compile(r"^:?-{3,}:?$")
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹", "01234567890123456789")
_LEVEL_ONLY = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG")
_BODY_STARTS = ("Căn cứ", "Thực hiện", "Kính gửi", "Triển khai", "Xét đề nghị")


def _key(line: str) -> str:
    return strip_diacritics(line).upper()


def _is_caps(line: str) -> bool:
    return any(ch.isalpha() for ch in line) and line == line.upper()


def _is_national(line: str) -> bool:
    return _key(line).startswith("CONG HOA XA HOI CHU NGHIA")


def _is_motto(line: str) -> bool:
    return _key(line).startswith("DOC LAP - TU DO")


def _is_row(line: str) -> bool:
    return sum(1 for c in line.split("\t") if c.strip()) >= 2


def _flatten_tables(lines: list[str]) -> list[str]:
    """`<<TABLE>>` blocks: layout tables (header, signature) become their cells' lines, left cell
    first; data tables become tab-separated rows."""
    out: list[str] = []
    block: list[str] | None = None
    for line in lines:
        if line.strip() == "<<TABLE>>":
            block = []
        elif line.strip() == "<</TABLE>>" and block is not None:
            layout = any(
                "CONG HOA XA HOI" in _key(r) or _RECIPIENTS.match(r.strip()) for r in block
            )
            for row in block:
                cells = [c.strip() for c in row.split(" | ")]
                if layout:
                    out += [part.strip() for c in cells for part in c.split(" / ") if part.strip()]
                else:
                    out.append("\t".join(cells))
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    return out


def _clean(text: str) -> list[str]:
    # subscript digits (drafter's initials, "PC₁") are not in Times-like fonts: print them as digits
    lines = [nfc(line).translate(_SUBSCRIPTS).strip(" \u00a0") for line in text.splitlines()]
    return [part for line in lines for part in _unmarkdown(line)]


def _unmarkdown(line: str) -> list[str]:
    """A line of a Markdown conversion as the printed document has it: no `#` heading marks or
    `**` emphasis (a page must not print them: they would be ground truth no scan has), pipe
    tables as tab-separated rows, and the two header columns that a conversion ran into one
    line ("CHÍNH PHỦ CỘNG HÒA XÃ HỘI ...") split again."""
    line = _MD_EMPHASIS.sub("", _MD_HEADING.sub("", line)).strip(" \u00a0")
    if line.startswith("|") and line.endswith("|"):
        cells = [c.strip() for c in line[1:-1].split("|")]
        if all(_MD_RULE.match(c) for c in cells):
            return []
        return ["\t".join(cells)]
    at = _key(line).find("CONG HOA XA HOI CHU NGHIA")
    if at > 0 and "|" not in line:
        return [line[:at].strip(), line[at:].strip()]
    return [line]


def _paragraph_kind(text: str) -> ParaKind:
    if _ROMAN.match(text):
        return "heading"
    if _ARABIC.match(text) and len(text) <= 200 and not text.endswith((".", ";")):
        return "subheading"
    if text.startswith("(") and text.rstrip(".").endswith(")") and len(text) < 160:
        return "note"
    return "body"


def _table(rows: list[str]) -> DocTable:
    cells = [tuple(c.strip() for c in r.split("\t")) for r in rows]
    header = cells[0]
    body = tuple(r for r in cells[1:] if r[: len(header)] != header)  # repeated page headers
    return DocTable(header=header, rows=body)


def _body(lines: list[str]) -> tuple[Paragraph | DocTable, ...]:
    """One paragraph per line; a line starting in lower case continues the previous one
    (a page break in the source split it)."""
    out: list[Paragraph | DocTable] = []
    rows: list[str] = []
    for line in [*lines, ""]:
        if _is_row(line):
            rows.append(line)
            continue
        if rows:
            out.append(_table(rows))
            rows = []
        text = line.strip()
        if not text:
            continue
        prev = out[-1] if out else None
        if (
            isinstance(prev, Paragraph)
            and text[0].islower()
            and not prev.text.endswith((".", ":", ";"))
        ):
            out[-1] = Paragraph(f"{prev.text} {text}", prev.kind)
        else:
            out.append(Paragraph(text, _paragraph_kind(text)))
    return tuple(out)


def _closing(lines: list[str]) -> tuple[tuple[str, ...], Signature]:
    recipients: list[str] = []
    authority: list[str] = []
    titles: list[str] = []
    name = ""
    for line in (x.strip() for x in lines):
        if not line or _RECIPIENTS.match(line):
            continue
        if line[0] in "-+–•":
            recipients.append(line)
        elif _AUTHORITY.match(line):
            authority.append(line)
        elif _is_caps(line):
            titles.append(line)
        elif not name and len(line.split()) <= 6:
            name = line
    return tuple(recipients), Signature(tuple(authority), tuple(titles), name)


def _appendix(lines: list[str]) -> tuple[Appendix, list[str]]:
    """PHỤ LỤC heading, title lines, '(Kèm theo ...)' notes, table rows; caps lines after the table
    are returned as stray header lines."""
    title: list[str] = []
    notes: list[str] = []
    rows: list[str] = []
    stray: list[str] = []
    for line in lines[1:]:
        text = line.strip()
        if _is_row(line):
            rows.append(line)
        elif not text:
            continue
        elif rows and _is_caps(text):
            stray.append(text)
        elif text.startswith("("):
            notes.append(text)
        elif notes and not notes[-1].endswith(")"):
            notes[-1] = f"{notes[-1]} {text}"
        else:
            title.append(text)
    table = _table(rows) if rows else None
    heading = lines[0].strip().upper()
    return Appendix(heading=heading, title=tuple(title), notes=tuple(notes), table=table), stray


def _agency_lines(candidates: list[str], place: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(parent agency, agency) lines. A bare 'ỦY BAN NHÂN DÂN TỈNH' gets the place name, and a
    people's committee or council prints as two lines, 'ỦY BAN NHÂN DÂN' / 'TỈNH HÀ TĨNH'."""
    if not candidates:
        return (), ()
    if len(candidates) == 1:
        name = candidates[0]
        if name.endswith(_LEVEL_ONLY) and place:
            name = f"{name} {place.upper()}"
        for body in ("ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN"):
            if name.startswith(body + " "):
                return (), (body, name[len(body) :].strip())
        return (), (name,)
    if candidates[0] in ("ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN"):
        return (), tuple(candidates)
    return (candidates[0],), tuple(candidates[1:])


def _find(lines: list[str], pattern: re.Pattern[str], start: int = 0) -> int | None:
    return next((i for i in range(start, len(lines)) if pattern.match(lines[i].strip())), None)


def _doc_type_index(lines: list[str], start: int) -> int | None:
    for i in range(start, min(len(lines), start + 40)):
        text = lines[i].strip()
        if text.upper() in DOC_TYPES and _is_caps(text):
            return i
    return None


def _title(lines: list[str], start: int) -> int:
    """End index of the title block: consecutive lines after the type, up to a blank line."""
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    first = i
    while i < len(lines) and lines[i].strip() and i - first < 4:
        if i > first and lines[i].strip().startswith(_BODY_STARTS):
            break
        i += 1
    return i


def _head_zone(lines: list[str]) -> tuple[str, str, list[str], list[str]]:
    """Số line, place/date line, caps agency lines and V/v subject lines before the doc type."""
    number = place_date = ""
    agencies: list[str] = []
    subject: list[str] = []
    for line in (x.strip() for x in lines):
        if not line:
            continue
        if _NUMBER.match(line):
            number = line
        elif _PLACE_DATE.match(line):
            place_date = line
        elif line.startswith("V/v") or (subject and line[0].islower()):
            subject.append(line)
        elif _is_caps(line):
            agencies.append(line)
    return number, place_date, agencies, subject


def plan_from_text(text: str) -> OfficialDoc:
    """Parse the plain text of an official document into the model the renderer draws."""
    lines = _flatten_tables(_clean(text))
    national = next((x for x in lines if _is_national(x)), NATIONAL_NAME)
    motto = next((x for x in lines if _is_motto(x)), NATIONAL_MOTTO)
    lines = [x for x in lines if not (_is_national(x) or _is_motto(x))]
    first_text = next((i for i, x in enumerate(lines) if x.strip()), 0)
    i_type = _doc_type_index(lines, first_text)
    head_end = i_type if i_type is not None else _title(lines, first_text)
    number, place_date, agencies, subject = _head_zone(lines[:head_end])
    doc_type = lines[i_type].strip().upper() if i_type is not None else ""
    body_start = _title(lines, i_type + 1) if i_type is not None else head_end
    title = [
        x.strip()
        for x in lines[(i_type + 1) if i_type is not None else body_start : body_start]
        if x.strip()
    ]
    i_rec = _find(lines, _RECIPIENTS, body_start)
    i_app = _find(lines, _APPENDIX, i_rec if i_rec is not None else body_start)
    body_end = i_rec if i_rec is not None else (i_app if i_app is not None else len(lines))
    recipients, sig = _closing(lines[body_end : i_app if i_app is not None else len(lines)])
    appendices, stray = _appendices(lines, i_app)
    match = _PLACE_DATE.match(place_date)
    place = match.group("place").strip() if match else ""
    parent, agency = _agency_lines(agencies or stray, place)
    header = DocHeader(
        agency=agency, number_line=number, place_date=place_date, parent_agency=parent,
        subject=tuple(subject), national_name=national, national_motto=motto,
    )  # fmt: skip
    sig = Signature(
        sig.authority, sig.title, sig.name, seal_text=" ".join(agency), seal=bool(sig.name)
    )
    return OfficialDoc(
        header=header, doc_type=doc_type, title=tuple(title), body=_body(lines[body_start:body_end]),
        recipients=recipients, signature=sig, appendices=appendices,
    )  # fmt: skip


def _appendices(lines: list[str], start: int | None) -> tuple[tuple[Appendix, ...], list[str]]:
    if start is None:
        return (), []
    marks = [i for i in range(start, len(lines)) if _APPENDIX.match(lines[i].strip())]
    out, stray = [], []
    for a, b in zip(marks, [*marks[1:], len(lines)], strict=True):
        app, extra = _appendix(lines[a:b])
        out.append(app)
        stray += extra
    return tuple(out), stray
