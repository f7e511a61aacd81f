"""Tasks written as sentences: assignments, lead-ins handed down to items, per-agency sections.

The body is read as a tree of numbered items. An item is a task when its own paragraph assigns
work (`Giao Sở A chủ trì ...`, `Sở A rà soát ...`); a lead-in that ends with `:` (`Giao Sở Nội
vụ:` or `2. Giao Sở A ... chịu trách nhiệm:`) hands its agencies to each item or bullet below it;
a heading that is only an agency name (`1. Sở Thông tin và Truyền thông`, `7. Trách nhiệm của các
sở, ban, ngành`) makes each of its bullets or paragraphs one task of that agency. Parts that state
purposes, assessments or budgets (`I. MỤC ĐÍCH, YÊU CẦU`, `I. ĐÁNH GIÁ CHUNG`) assign nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from pipeline.parse.doclines import DocLine
from pipeline.parse.duty import Duty, read_duty, subject_of
from pipeline.parse.outline import Heading
from pipeline.parse.phrases import agency_phrase, opens_predicate, time_phrase
from pipeline.parse.timespec import parse_time
from pipeline.parse.tree import Node
from pipeline.textnorm import strip_diacritics
from pipeline.types import Task

_BULLET = re.compile(r"^[-+•–*]\s*")
# The execution clause of an act restates who applies it; nothing in it is trackable work.
_EXECUTION = re.compile(
    r"chịu trách nhiệm thi hành (?:Quyết định|Nghị quyết|Chỉ thị|Thông tư|Nghị định)? ?này"
)
_NO_DUTY = re.compile(
    r"\b(MUC DICH|YEU CAU|DANH GIA|KET QUA|TINH HINH|CAN CU|SU CAN THIET|KINH PHI|QUAN DIEM|"
    r"MUC TIEU|PHAM VI|DOI TUONG|THANH PHAN|DIA DIEM)\b"
)
_WRAP_WIDTH = 55  # a line this short was not wrapped: the paragraph ends there
_SECTION_PREFIX = re.compile(r"^(?:Trách nhiệm của|Đối với|Nhiệm vụ của)\s+")


def units(node: Node, wrapped: bool = True) -> list[list[DocLine]]:
    """The node's own paragraphs: the heading line opens the first; a bullet opens a new one;
    in text wrapped at the page width (PDF text) a line after one that ends a sentence or falls
    short of the width opens a new one; in paragraph-per-line text (Word) every line does."""
    head = [replace(node.heading.line, text=node.heading.title)] if node.heading else []
    out: list[list[DocLine]] = [head] if head else []
    for line in node.lines:
        prev = out[-1][-1].text.rstrip() if out else ""
        ended = (
            not wrapped
            or prev.endswith((".", ":", "./."))  # `;` often ends a printed line mid-paragraph
            or len(prev) < _WRAP_WIDTH
        )
        if not out or _BULLET.match(line.text) or ended:
            out.append([line])
        else:
            out[-1].append(line)
    return out


def _text(unit: list[DocLine]) -> str:
    return " ".join(dl.text for dl in unit)


_RELATIVE = re.compile(r"\s+được\s+[a-zà-ỹđ ]{2,25}")


def section_agencies(title: str) -> list[str]:
    """Agencies when a heading is only an agency name (a per-agency section), else [].
    `Các cơ quan, đơn vị được kiểm tra` (a name with a passive qualifier) counts as one name."""
    title = _SECTION_PREFIX.sub("", title.strip().rstrip(":."))
    names: list[str] = []
    for part in title.split(";"):
        part = part.strip()
        phrase = agency_phrase(part, 0)
        if phrase is not None and _RELATIVE.fullmatch(part[phrase.end :].rstrip(":. ")):
            names.append(part.rstrip(":. "))
            continue
        if phrase is not None and len(phrase.text) < 0.85 * len(part.rstrip(":. ")):
            # `Các doanh nghiệp cung cấp dịch vụ viễn thông, internet trên địa bàn`: a heading
            # that is a name with its qualifying clause, when no duty verb follows the name
            if (
                not part.startswith(("Các ", "các "))
                or len(title.split()) > 16
                or _DUTY_VERB.search(part[phrase.end :])
            ):
                return []
            names.append(part.rstrip(":. "))
            continue
        if phrase is None:
            return []
        names += subject_of(part)
    return names


_DUTY_VERB = re.compile(
    r"\b(?:chủ trì|phối hợp|thực hiện|triển khai|có trách nhiệm|chịu trách nhiệm|tổ chức|"
    r"chỉ đạo|hướng dẫn|tham mưu|xây dựng|rà soát|báo cáo|theo dõi|kiểm tra|đôn đốc|bố trí)\b"
)


def _assigns_nothing(heading: Heading | None) -> bool:
    """Purpose, assessment, budget or attendance parts: their sentences assign no work."""
    if heading is None or not (heading.level <= 1 or len(heading.title.split()) <= 6):
        return False
    title = strip_diacritics(heading.title).upper()
    return bool(_NO_DUTY.search(title)) and not _WORK_TOO.search(title)


# A heading that joins such a part to one that carries work (`ĐỐI TƯỢNG, NỘI DUNG VÀ HÌNH THỨC
# TUYÊN TRUYỀN`, `KẾT QUẢ ... VÀ NHIỆM VỤ ...`) holds work: its own purpose sub-part says so.
_WORK_TOO = re.compile(
    r"\b(NOI DUNG|NHIEM VU|GIAI PHAP|HINH THUC|HOAT DONG|TO CHUC THUC HIEN|PHAN CONG)\b"
)


@dataclass(frozen=True)
class _Ctx:
    doc_date: date | None
    wrapped: bool = True


def _make(
    ref: str,
    unit_text: str,
    duty: Duty,
    node: Node,
    ctx: _Ctx,
    lines: list[DocLine],
    responsible: list[str] | None = None,
) -> Task:
    """One task; under a per-agency section (`responsible`) it is that agency's duty."""
    time = duty.time or time_phrase(unit_text)
    title = _BULLET.sub("", unit_text)
    if (
        node.heading
        and lines
        and lines[0].line == node.heading.line.line
        and lines[0].page == node.heading.line.page
    ):
        title = node.heading.title
    return Task(
        ref=ref,
        title=re.split(r"(?<=[^.\s]{2})\.(?:\s|$)", title, maxsplit=1)[0][:300],
        content=unit_text,
        chu_tri=duty.chu_tri,
        phoi_hop=duty.phoi_hop,
        thoi_gian=parse_time(time, ctx.doc_date) if time else None,
        section=[h.text for h in node.path[:-1]],
        kind="duty" if responsible else "item",
        responsible="; ".join(responsible) if responsible else None,
        modality=duty.modality,
        source="prose",
        pages=sorted({dl.page for dl in lines}),
        confidence=0.8 if time else 0.7,
        evidence=[dl.evidence() for dl in lines[:1]],
    )


def _inherit(own: Duty | None, given: Duty) -> Duty:
    if own is not None and own.chu_tri and not own.lead_in:
        phoi = own.phoi_hop or ([] if own.chu_tri != given.chu_tri else given.phoi_hop)
        return Duty(own.chu_tri, phoi, own.time, False, own.modality)
    return Duty(
        list(given.chu_tri),
        list(given.phoi_hop),
        own.time if own else None,
        False,
        (own.modality if own else None) or given.modality,
    )


def _own_duty(us: list[list[DocLine]], section: list[str]) -> Duty | None:
    """The first duty stated in the item's own paragraphs (its heading paragraph first)."""
    for u in us:
        if (duty := read_duty(_text(u), section or None)) and duty.chu_tri:
            return duty
    return None


def _walk(node: Node, given: Duty | None, section: list[str], ctx: _Ctx) -> list[Task]:
    if node.kind != "sentences" or _assigns_nothing(node.heading):
        return []
    us = units(node, ctx.wrapped)
    title = node.heading.title if node.heading else ""
    if (
        node.heading
        and ctx.wrapped
        and us
        and len(us[0]) > 1
        and not opens_predicate(us[0][1].text)
    ):
        title = _text(us[0])  # a heading wrapped inside a name: its paragraph decides, not its line
    agencies = section_agencies(title) if node.heading else []
    if agencies:  # the heading is only a name: lines run on after it are its first paragraph
        body = ([us[0][1:]] if len(us[0]) > 1 else []) + us[1:]
        return _section_tasks(node, body, agencies, ctx)
    first = read_duty(_text(us[0]), section or None) if us and node.heading else None
    bullets = [u for u in _fold_details(us[1:]) if _BULLET.match(u[0].text)]
    if first and first.chu_tri and not first.lead_in and bullets and len(us) == len(bullets) + 1:
        # `2. Đề nghị Giám đốc Công an tỉnh, ... tổ chức thực hiện` and only bullets below: the
        # colon was not printed (or not read), the heading still hands its agencies down
        first.lead_in = not _text(us[0]).rstrip().endswith((".", ";"))
    if first and first.lead_in and first.chu_tri:  # `2. Giao Sở A ... chịu trách nhiệm:`
        tasks = _bare_units(node, bullets or ([] if node.items else us[1:]), first, ctx)
        return tasks + [t for c in node.items for t in _walk(c, first, section, ctx)]
    if node.heading is None:  # text under a part heading, before its first item
        lead = _own_duty(us, section)
        lead = lead if lead and lead.lead_in else given
        return [t for c in node.items for t in _walk(c, lead, section, ctx)]
    if given is not None and not node.items:
        whole = " ".join(_text(u) for u in us)
        own = _own_duty(us, section) or _own_duty(us, given.chu_tri)  # own subject first
        duty = _inherit(own, given)
        lines = [dl for u in us for dl in u]
        return [_make(node.ref, whole, duty, node, ctx, lines, section)]
    tasks = _unit_tasks(node, us, section, ctx)
    lead = given
    for u in us[1:]:
        if (d := read_duty(_text(u), section or None)) and d.lead_in and d.chu_tri:
            lead = d
    return tasks + [t for c in node.items for t in _walk(c, lead, section, ctx)]


def _fold_details(us: list[list[DocLine]]) -> list[list[DocLine]]:
    """`+` bullets under a `-` bullet are details of its task, not tasks of their own."""
    return [u + [dl for sub in subs for dl in sub] for u, subs in _nest(us)]


def _unit_tasks(node: Node, us: list[list[DocLine]], section: list[str], ctx: _Ctx) -> list[Task]:
    """Tasks from a node's own paragraphs: one per duty bullet, or one for the whole item."""
    us = _fold_details(us)
    duties = [(u, read_duty(_text(u), section or None)) for u in us]
    lead = next((d for _, d in duties if d and d.lead_in and d.chu_tri), None)
    bullets = [u for u in us[1:] if _BULLET.match(u[0].text)]
    if lead is not None and bullets:
        return _bare_units(node, bullets, lead, ctx)
    own = duties[0][1]
    bullet_duties = [(u, d) for u, d in duties[1:] if d and d.chu_tri and _BULLET.match(u[0].text)]
    if bullet_duties and not (own and own.chu_tri and not own.lead_in):
        return [
            _make(f"{node.ref}.{k}", _text(u), d, node, ctx, u, section)
            for k, (u, d) in enumerate(bullet_duties, start=1)
        ]
    own_paras = [(u, d) for u, d in duties[1:] if d and d.chu_tri and not d.lead_in]
    if not bullet_duties and len(own_paras) >= 2 and not (own and own.chu_tri):
        # several paragraphs, each with its own subject (`Sở A có trách nhiệm ...`, `Sở B ...`)
        return [
            _make(f"{node.ref}.{k}", _text(u), d, node, ctx, u, section)
            for k, (u, d) in enumerate(own_paras, start=1)
        ]
    hit = next((d for _, d in duties if d and d.chu_tri), None)
    if hit is None or (hit.lead_in and node.items):
        return []
    whole = " ".join(_text(u) for u in us)
    hit = Duty(hit.chu_tri, hit.phoi_hop, hit.time or time_phrase(whole), False, hit.modality)
    return [_make(node.ref, whole, hit, node, ctx, [dl for u in us for dl in u], section)]


def _bare_units(node: Node, us: list[list[DocLine]], lead: Duty | None, ctx: _Ctx) -> list[Task]:
    if lead is None:
        return []
    out = []
    for k, u in enumerate(us, start=1):
        own = read_duty(_text(u), lead.chu_tri)
        duty = _inherit(own, lead) if own is None or own.chu_tri != lead.chu_tri else own
        ref = f"{node.ref}.{k}".lstrip(".") if len(us) > 1 or not node.ref else node.ref
        out.append(_make(ref, _text(u), duty, node, ctx, u))
    return out


def _nest(us: list[list[DocLine]]) -> list[tuple[list[DocLine], list[list[DocLine]]]]:
    """`+` bullets under the `-` bullet above them: (unit, its `+` units)."""
    out: list[tuple[list[DocLine], list[list[DocLine]]]] = []
    for u in us:
        if u[0].text.lstrip().startswith("+") and out and out[-1][0][0].text.lstrip()[:1] == "-":
            out[-1][1].append(u)
        else:
            out.append((u, []))
    return out


def _section_tasks(
    node: Node, us: list[list[DocLine]], agencies: list[str], ctx: _Ctx
) -> list[Task]:
    """A per-agency section: each paragraph or bullet is one duty of the section's agency. A `-`
    bullet that only names another agency (`- Trung tâm A:`) hands it to its `+` bullets; any
    other `-` bullet keeps its `+` bullets as details of one task."""
    tasks: list[Task] = []
    groups = _nest(us)
    for k, (u, subs) in enumerate(groups, start=1):
        ref = f"{node.ref}.{k}" if len(groups) > 1 else node.ref
        lead = section_agencies(_BULLET.sub("", _text(u))) if subs else []
        if lead:
            for j, sub in enumerate(subs, start=1):
                text = _text(sub)
                duty = read_duty(text, lead) or Duty(list(lead))
                tasks.append(_make(f"{ref}.{j}", text, duty, node, ctx, sub, lead))
            continue
        lines = u + [dl for sub in subs for dl in sub]
        text = " ".join(_text(x) for x in [u, *subs])
        duty = read_duty(text, agencies) or Duty(list(agencies))
        if duty.lead_in and node.items:
            break
        tasks.append(_make(ref, text, duty, node, ctx, lines, agencies))
    for child in node.items:
        tasks += _walk(child, Duty(list(agencies)), agencies, ctx)
    return tasks


_HANDS_ON = re.compile(r"(?:sau đây|như sau)\W*$")
_GIVES = re.compile(r"\b(?:[Gg]iao|[Đđ]ề nghị|[Yy]êu cầu|[Mm]ời|chủ trì|có trách nhiệm)\b")


def _unnumbered_tasks(root: Node, ctx: _Ctx) -> list[Task]:
    """A dispatch without numbered items gives work in plain paragraphs (`Giao các Bộ: …`):
    each paragraph that gives work to a named body is a task, numbered `1`, `2`, … in order.
    The `Kính gửi:` list of addressees gives none."""
    tasks: list[Task] = []
    addressees = False
    for u in units(root, ctx.wrapped):
        text = _text(u)
        if text.startswith("Kính gửi"):
            addressees = True
            continue
        if addressees and (_BULLET.match(text) or len(text) < 80 and text.rstrip().endswith(";")):
            continue
        addressees = False
        duty = read_duty(text)
        if duty is None or not duty.chu_tri or not _GIVES.search(text):
            continue
        if duty.lead_in or _HANDS_ON.search(text):
            continue  # `… thực hiện các nhiệm vụ sau đây`: the work is in what follows
        tasks.append(_make(str(len(tasks) + 1), text, duty, root, ctx, u))
    return tasks


def is_wrapped(lines: list[DocLine]) -> bool:
    """Whether the text was wrapped at a page width (most lines 50-100 characters) rather than
    written one paragraph per line."""
    lengths = sorted(len(dl.text) for dl in lines) or [0]
    return lengths[len(lengths) // 2] < 90


def sentence_tasks(root: Node, wrapped: bool, doc_date: date | None) -> list[Task]:
    """Tasks read from duty sentences: the `sentences` nodes of the tree, not below a `fields`
    node (its sub-items are details of its task) and not in appendix parts."""
    kids = [c for c in root.items if not (c.heading and c.heading.level == 0)]
    ctx = _Ctx(doc_date, wrapped)
    bare = not root.items and root.kind == "sentences"
    tasks: list[Task] = _unnumbered_tasks(root, ctx) if bare else []
    for child in kids:
        tasks += _walk(child, None, [], ctx)
    return [t for t in tasks if not _EXECUTION.search(t.content)]
