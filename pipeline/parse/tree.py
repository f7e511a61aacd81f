"""The document's tree, built once: numbered parts, items and task tables as nodes, in order.

Every task is read from exactly one node, by the node's kind (`read.read_tasks`): a `table` node's
rows (`tasks.table_tasks`), a `fields` node's duty fields (`tasks.prose_tasks`), a `sentences`
node's assigning sentences (`sentences.sentence_tasks`). A table sits where it was printed, under
the part or item open above it, so its rows get their section from the tree like any item. Body lines after the closing formula are left out, until a document attached after
the signature (`CHƯƠNG TRÌNH HÀNH ĐỘNG`, a `PHỤ LỤC`) opens a new outline. A lettered heading that
is a field label (`a) Đơn vị chủ trì: …`, OCR's `8)`) is a field line of its item, not an item.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pipeline.parse.doclines import DocLine
from pipeline.parse.fields import match_field
from pipeline.parse.outline import Heading, Outline, classify_heading, ref_of
from pipeline.parse.phrases import time_phrase
from pipeline.parse.tables import TaskTable

_CLOSING = re.compile(
    r"^(Nơi nhận|Trân trọng|Nay(,)? thông báo|Trên đây|\(?Thông báo này|Quyết định này|"
    r"Kế hoạch này|Văn bản này|Yêu cầu các|Trong quá trình (tổ chức )?thực hiện,? nếu|"
    # `Yêu cầu Thủ trưởng các sở, ... nghiêm túc triển khai thực hiện Chỉ thị này./.`
    r"Yêu cầu .{0,400}(?:Chỉ thị|Kế hoạch|Quyết định|Thông báo|Công văn|Văn bản) này\W*$|"
    # `Văn phòng Chính phủ thông báo để các Bộ, cơ quan biết, thực hiện./.`
    r".{0,80}\bthông báo (?:để|cho|đến) .{0,120}\bbiết\b)"
)
# The title of a document attached after the signature (`ban hành kèm theo Quyết định ...`).
_ATTACHED = re.compile(
    r"^(?:KẾ HOẠCH|CHƯƠNG TRÌNH|QUY CHẾ|QUY ĐỊNH|ĐỀ ÁN|PHƯƠNG ÁN|HƯỚNG DẪN|KỊCH BẢN)\b"
)


@dataclass
class Node:
    """A numbered item (its heading, the lines before its first sub-item, its sub-items), or a
    task table printed inside the item or part above it (`table`, no heading, no lines)."""

    heading: Heading | None
    path: list[Heading]
    lines: list[DocLine] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    table: TaskTable | None = None

    @property
    def ref(self) -> str:
        return ref_of(self.path)

    @property
    def kind(self) -> str:
        """`table`, `fields` (its own lines hold a role field: chủ trì, phối hợp, thực hiện) or
        `sentences` (the rest)."""
        if self.table is not None:
            return "table"
        roles = [f[0] for line in self.lines if (f := match_field(line.text))]
        if any(r in ("chu_tri", "phoi_hop", "thuc_hien") for r in roles):
            return "fields"
        return "sentences"  # time and place alone (an event's logistics) name no one

    @property
    def items(self) -> list[Node]:
        """The numbered sub-items, tables left out."""
        return [c for c in self.children if c.table is None]

    def walk(self) -> list[Node]:
        """This node and every node below it, in reading order."""
        return [self, *(n for c in self.children for n in c.walk())]


def _role_field(title: str) -> bool:
    """`a) Đơn vị chủ trì: …` numbers a field; `II. Địa điểm: …` is a part of the document."""
    found = match_field(title)
    return found is not None and found[0] != "other"


# A closing paragraph that gives concrete work: a report with a deadline or a set frequency.
_REPORT_ASKED = re.compile(r"^(?:Yêu cầu|Đề nghị)\s(?P<before>.{0,400}?)\bbáo cáo\b")


def _closing_task(line: DocLine, outline: Outline) -> DocLine | None:
    """The closing paragraph (`Yêu cầu các sở … gửi báo cáo … trước 11h00 ngày thứ 5 hằng
    tuần`) as the next item of the list it follows (`3` after items 1-2, `VI.12` after VI.11,
    `1` with no list), or None when it only closes the document: an exhortation, a conditional
    `nếu có khó khăn … báo cáo`, a report with no time."""
    m = _REPORT_ASKED.match(line.text)
    if m is None or "nếu" in m.group("before") or time_phrase(line.text) is None:
        return None
    if re.search(r"(?:Chỉ thị|Kế hoạch|Quyết định|Thông báo|Công văn|Văn bản) này\W*$", line.text):
        return None
    numbers = [h for h in outline.path() if h.marker.isdigit()]
    after = int(numbers[-1].marker) if numbers else 0
    return replace(line, text=f"{after + 1}. {line.text}")


def build_tree(lines: list[DocLine], tables: Sequence[TaskTable] = ()) -> Node:
    """The outline as a tree of nodes, each with the body lines up to its first child; each task
    table a leaf under the node open where it starts (the root after the closing formula)."""
    root = Node(None, [])
    stack: list[Node] = [root]
    outline = Outline()
    closed = False
    closing_task: Node | None = None
    pending = sorted(tables, key=lambda t: t.anchor)

    def place(before: tuple[int, int] | None) -> None:
        while pending and (before is None or pending[0].anchor < before):
            parent = root if closed else stack[-1]
            parent.children.append(Node(None, list(parent.path), table=pending.pop(0)))

    def attach(heading: Heading) -> Node:
        """A node for `heading` under the nearest open node of a higher level."""
        heading = outline.push(heading)
        node = Node(heading, outline.path())
        while len(stack) > 1 and stack[-1].heading.level >= heading.level:  # type: ignore[union-attr]
            stack.pop()
        stack[-1].children.append(node)
        return node

    for line in lines:
        place((line.page, line.line if line.line is not None else 0))
        heading = classify_heading(line)
        if heading and heading.level >= 2 and _role_field(heading.title):
            line, heading = replace(line, text=heading.title), None
        if closed:
            attached = _ATTACHED.match(line.text) and line.text.isupper()
            if not (attached or (heading and heading.level == 0)):
                continue
            # a decision's attached plan or an appendix starts after the signature: a new outline
            closed, stack, outline = False, [root], Outline()
            if attached:
                continue
        if closing_task is not None:  # the closing task's paragraph, wrapped over more lines
            closing_task.lines.append(line)
        elif _CLOSING.match(line.text):
            if (numbered := _closing_task(line, outline)) is None:
                closed = True
                continue
            line, closing_task = numbered, attach(classify_heading(numbered))  # type: ignore[arg-type]
        if closing_task is not None:
            closed = line.text.rstrip().endswith((".", ";", ":"))
            closing_task = None if closed else closing_task
            continue
        if line.text.strip().isdigit() and len(line.text.strip()) <= 3:
            continue  # a page number between two pages of text
        if heading:
            stack.append(attach(heading))
        else:
            stack[-1].lines.append(line)
    place(None)
    return root
