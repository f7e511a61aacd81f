"""Tasks: numbered items that carry chủ trì / phối hợp / thời gian fields, and task-table rows.

An item (a node of `tree.build_tree`) becomes a task only when at least one duty field is printed
under it: plans number their purpose, scope and budget sections the same way as their tasks, and
only the fields tell them apart (`fields.py` says what a field label is).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from pipeline.parse.agencies import MODAL_VERB, split_agencies_noted
from pipeline.parse.canon import agency_key
from pipeline.parse.doclines import DocLine
from pipeline.parse.duty import MODALITY, read_duty
from pipeline.parse.fields import match_field
from pipeline.parse.outline import Heading, ref_of
from pipeline.parse.tables import runs_on
from pipeline.parse.timespec import clean_time_cell, parse_time
from pipeline.parse.tree import Node
from pipeline.types import Evidence, Task

_BULLET = re.compile(r"^[-+•–*]\s*")
_FIRST_SENTENCE = re.compile(r"^(.+?[^.\s]{2})\.(?:\s|$)")


def _continues(value: str, text: str) -> bool:
    """Whether `text` carries on a field value wrapped onto the next line."""
    if _BULLET.match(text) or not value:
        return False
    return value.rstrip().endswith((",", ";", "và")) or text[:1].islower()


@dataclass
class _Segment:
    content: list[DocLine] = field(default_factory=list)
    fields: dict[str, tuple[str, list[DocLine]]] = field(default_factory=dict)


@dataclass
class _Item:
    heading: Heading | None
    path: list[Heading]
    segments: list[_Segment] = field(default_factory=lambda: [_Segment()])

    def add_content(self, line: DocLine) -> None:
        if self.segments[-1].fields:
            self.segments.append(_Segment())
        self.segments[-1].content.append(line)

    def add_field(self, kind: str, value: str, line: DocLine) -> str:
        """Add a field; the key it is stored under (each `other` label has its own)."""
        if kind == "other":  # several never split the item
            kind = f"other{len(self.segments[-1].fields)}"
        elif kind in self.segments[-1].fields:
            self.segments.append(_Segment())
        self.segments[-1].fields[kind] = (value, [line])
        return kind

    def extend_field(self, kind: str, text: str, line: DocLine) -> None:
        value, lines = self.segments[-1].fields[kind]
        self.segments[-1].fields[kind] = (f"{value} {text}".strip(), [*lines, line])


def confidence(has: dict[str, bool], confs: list[float]) -> float:
    """1.0 for a task with all fields read from clean lines; less per missing field and for
    low-confidence OCR evidence."""
    score = (
        1.0 - 0.3 * (not has["chu_tri"]) - 0.2 * (not has["time"]) - 0.05 * (not has["phoi_hop"])
    )
    low = min(confs, default=100.0)
    return round(max(0.0, min(1.0, score * (0.5 + 0.5 * low / 100.0))), 3)


def _title_of(text: str) -> str:
    text = _BULLET.sub("", text).strip()
    m = _FIRST_SENTENCE.match(text)
    return m.group(1) if m else text.rstrip(".")


def _task(
    ref: str,
    title: str,
    seg: _Segment,
    section: list[str],
    doc_date: date | None,
    head: DocLine | None,
) -> Task:
    fields = {k: v for k, (v, _) in seg.fields.items()}
    doer = fields.get("thuc_hien", "")
    if "chủ trì" in doer and (duty := read_duty(doer)) and duty.chu_tri:
        # `Đơn vị thực hiện: Sở A chủ trì, phối hợp với Sở B` names both roles in one value
        fields["chu_tri"] = fields.get("chu_tri") or "; ".join(duty.chu_tri)
        fields["phoi_hop"] = fields.get("phoi_hop") or "; ".join(duty.phoi_hop)
        doer = ""
    lines = ([head] if head else []) + [dl for _, (_, ls) in seg.fields.items() for dl in ls]
    pages = sorted({dl.page for dl in lines + seg.content})
    has = {k: bool(fields.get(k)) for k in ("chu_tri", "phoi_hop", "time")}
    has["chu_tri"] = has["chu_tri"] or bool(doer)
    roles = read_roles(fields.get("chu_tri", ""), fields.get("phoi_hop", ""), doer)
    time, time_note = clean_time_cell(fields.get("time", ""))
    return Task(
        ref=ref,
        title=title,
        content="\n".join(dl.text for dl in seg.content),
        chu_tri=roles.chu_tri,
        phoi_hop=roles.phoi_hop,
        thuc_hien=roles.thuc_hien,
        thoi_gian=parse_time(time, doc_date) if time else None,
        modality=roles.modality,
        notes=roles.notes + ([time_note] if time_note else []),
        section=section,
        source="prose",
        pages=pages,
        confidence=confidence(has, [dl.conf for dl in lines + seg.content]),
        evidence=[dl.evidence() for dl in lines],
    )


_ROLES = {"chu_tri", "phoi_hop", "thuc_hien"}


def _merge_roleless(segments: list[_Segment], with_heading: bool) -> list[_Segment]:
    """Segments that will be tasks. A field block split by a line of prose (`- Thời gian: …`,
    `- Địa điểm: …`, a sentence, then `- Đơn vị chủ trì: …`) is one task: fields of a segment
    naming no agency go to the next segment that does (or the one before); alone, they are a
    task only under a numbered heading (a stray `Thời gian: …` line is none)."""
    out: list[_Segment] = []
    carry: _Segment | None = None
    for seg in segments:
        if not seg.fields:
            continue
        if not set(seg.fields) & _ROLES:
            carry = carry or _Segment()
            carry.content += seg.content
            carry.fields = {**seg.fields, **carry.fields}
            continue
        if carry is not None:
            seg = _Segment(carry.content + seg.content, {**carry.fields, **seg.fields})
            carry = None
        out.append(seg)
    if carry is not None:
        if out:
            last = out[-1]
            out[-1] = _Segment(last.content + carry.content, {**carry.fields, **last.fields})
        elif "time" in carry.fields and with_heading:
            out.append(carry)
    return out


def _item_tasks(item: _Item, doc_date: date | None) -> list[Task]:
    segs = _merge_roleless(item.segments, item.heading is not None)
    base = ref_of(item.path)
    section = [h.text for h in item.path[:-1]] if item.heading else [h.text for h in item.path]
    out = []
    for k, seg in enumerate(segs):
        head = item.heading.line if item.heading and k == 0 else None
        if item.heading and (len(segs) == 1 or not seg.content):
            title = item.heading.title
        else:  # several bullet tasks under one heading: each is titled by its own first line
            title = _title_of(seg.content[0].text) if seg.content else ""
        ref = base if len(segs) == 1 and base else f"{base}.{k + 1}".lstrip(".")
        out.append(_task(ref, title, seg, section, doc_date, head))
    return out


def prose_tasks(root: Node, doc_date: date | None) -> list[Task]:
    """Tasks written as numbered items or bullets followed by their duty fields: each node of
    the tree with fields among its own lines."""
    tasks: list[Task] = []
    for node in root.walk():
        if node.kind != "fields":
            continue
        item = _Item(node.heading, node.path) if node.heading else None
        pending: str | None = None  # the field whose value may continue on the next line
        for line in node.lines:
            if found := match_field(line.text):
                item = item or _Item(None, node.path)
                pending = item.add_field(found[0], found[1], line)
                continue
            if item and pending and _continues(item.segments[-1].fields[pending][0], line.text):
                item.extend_field(pending, line.text, line)
                continue
            pending = None
            if item:
                item.add_content(line)
        tasks += _item_tasks(item, doc_date) if item else []
    return tasks


@dataclass
class _Roles:
    chu_tri: list[str]
    phoi_hop: list[str]
    thuc_hien: list[str]
    notes: list[str]
    modality: str | None


def read_roles(lead: str, support: str, doer: str) -> _Roles:
    """The agency lists of a field block or a table row, with their role notes, and how the work
    was given when a verb opens the lead (`Đề nghị Tòa án nhân dân tối cao`)."""
    verb = MODAL_VERB.match(lead.strip())
    (chu_tri, n1), (phoi_hop, n2), (thuc_hien, n3) = (
        split_agencies_noted(v) for v in (lead, support, doer)
    )
    phoi_hop = _without_overflow(phoi_hop, chu_tri)
    return _Roles(
        chu_tri,
        phoi_hop,
        thuc_hien,
        notes=n1 + n2 + n3,
        modality=MODALITY.get(verb.group(0).strip().lower()) if verb else None,
    )


def _without_overflow(names: list[str], other: list[str]) -> list[str]:
    """A list that opens with the lower-case tail of a name in the other role (`nghiệp và phát
    triển nông thôn, Bộ Khoa học và Công nghệ` beside `…, Bộ Nông nghiệp và Phát triển nông
    thôn, Bộ Khoa học và Công nghệ`) is that cell's overflow, not a second list: its fragment
    and the names the other role already holds go."""
    first = names[0] if names else ""
    if not runs_on(first) or not any(o.lower().endswith(" " + first.lower()) for o in other):
        return names
    keys = {agency_key(o) for o in other}
    return [n for n in names[1:] if agency_key(n) not in keys]


def table_tasks(node: Node, k: int, doc_date: date | None) -> list[Task]:
    """One task per data row of the document's `k`-th table node: ref `PL.<STT>`
    (`PL.<group>.<STT>` under roman group rows; later tables `PL2.`, `PL3.` ...); the section is
    the path the table sits in."""
    table = node.table
    assert table is not None
    prefix = "PL" if k == 0 else f"PL{k + 1}"
    section = [h.text for h in node.path]
    tasks: list[Task] = []
    prev = 0
    for n, row in enumerate(table.rows, start=1):
        stt = row_number(row.stt, prev) if row.stt or not row.group else str(n)
        prev = int(stt) if stt.isdigit() else prev
        ref = f"{prefix}.{row.group}.{stt}" if row.group else f"{prefix}.{stt}"
        tasks.append(_row_task(ref, row.cells, section, row.page, row.evidence, doc_date))
    return tasks


def row_number(printed: str, previous: int) -> str:
    """The STT of a row: as printed when it is a number; OCR noise around a number (`2)`) is
    dropped; an unreadable one (`ø`) or a blank one takes the next number in sequence."""
    if printed.isdigit():
        return str(int(printed))  # `09` is row 9
    digits = re.fullmatch(r"\W*(\d{1,4})\W*", printed)
    if digits:
        return digits.group(1)
    if re.fullmatch(r"[IVXLC]+", printed):
        return printed  # a roman group number, kept as printed
    return str(previous + 1)


def _row_task(
    ref: str,
    cells: dict[str, str],
    section: list[str],
    page: int,
    evidence: list[Evidence],
    doc_date: date | None,
) -> Task:
    content = cells.get("content", "")
    time, time_note = clean_time_cell(cells.get("time", ""))
    has = {k: bool(cells.get(k)) for k in ("chu_tri", "phoi_hop", "time")}
    has["chu_tri"] = has["chu_tri"] or bool(cells.get("thuc_hien"))
    roles = read_roles(
        cells.get("chu_tri", ""), cells.get("phoi_hop", ""), cells.get("thuc_hien", "")
    )
    return Task(
        ref=ref,
        title=_title_of(content),
        content=content,
        objective=cells.get("objective", "") if cells.get("objective") != content else "",
        chu_tri=roles.chu_tri,
        phoi_hop=roles.phoi_hop,
        thuc_hien=roles.thuc_hien,
        modality=roles.modality,
        notes=roles.notes + ([time_note] if time_note else []),
        thoi_gian=parse_time(time, doc_date) if time else None,
        section=section,
        kind="table_row",
        source="table",
        pages=sorted({page} | {e.page for e in evidence}),
        confidence=confidence(has, [e.conf for e in evidence]),
        evidence=evidence,
    )


def dedupe_refs(tasks: list[Task]) -> list[Task]:
    """Refs are keys: a repeated ref gets `-2`, `-3`, ... in reading order."""
    seen: dict[str, int] = {}
    out = []
    for task in tasks:
        n = seen.get(task.ref, 0) + 1
        seen[task.ref] = n
        out.append(task if n == 1 else task.model_copy(update={"ref": f"{task.ref}-{n}"}))
    return out
