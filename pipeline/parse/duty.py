"""Who does what, read from a duty sentence: `Giao Sở A chủ trì, phối hợp với Sở B ...`.

The shapes official documents use (Nghị định 30/2020 leaves the wording free, these are the
conventions of plans and conclusion notices):
- an assignment verb and its object: `Giao Sở A ...`, `Đề nghị Sở A ...`, `Yêu cầu Sở A ...`
  (also mid-sentence: `Trên cơ sở ..., giao Sở Tài chính chủ trì`);
- a subject first: `Sở A chủ trì, phối hợp với Sở B ...`, `UBND các huyện chịu trách nhiệm:`;
- inside a per-agency section (`1. Sở Thông tin và Truyền thông` then `- Chủ trì, phối hợp với
  Công an tỉnh ...`) the section's agency is the subject; `Phối hợp với Sở B ...` there means
  Sở B leads and the section's agency co-operates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.parse.phrases import (
    agency_phrase,
    head_at,
    opens_predicate,
    split_phrase,
    time_phrase,
)

_ASSIGN = re.compile(
    r"(?:^|[\s,;:(])(?P<v>[Gg]iao(?:\s+cho)?|[Đđ]ề nghị|[Yy]êu cầu|[Mm]ời)\s+(?=\S)"
)
# How the work is given (issue 10): a request to a body outside the issuer's authority, an
# assignment to one under it, an invitation. The verb is never part of the agency's name.
MODALITY = {"giao": "assign", "yêu cầu": "assign", "đề nghị": "request", "mời": "invite"}
_COOP = re.compile(r"\b(?:[Pp]hối hợp|cùng)(?:\s+chặt chẽ)?(?:\s+với)?\s+(?=\S)")
_LEAD = re.compile(r"^[-+•–*]?\s*(?:[Đđ]ồng\s+)?[Cc]hủ trì\b")
# `Phối hợp (với) B ...` under agency A: B leads, A co-operates; an adverb of manner may come first.
_MANNER = r"(?:[Cc]hủ động|[Tt]ích cực|[Tt]hường xuyên|[Kk]hẩn trương|[Tt]ập trung|[Kk]ịp thời)"
_COOP_FIRST = re.compile(
    rf"^[-+•–*]?\s*(?:{_MANNER}(?:\s*(?:,|và)\s*{_MANNER.lower()})?[\s,]+)?"
    r"(?:[Pp]hối hợp|[Tt]ham gia phối hợp)(?:\s+chặt chẽ)?(?:\s+với)?\s+(?=\S)"
)
_BULLET = re.compile(r"^[-+•–*]\s*")
_NOT_SUBJECT = ("Các nội dung", "Các chỉ tiêu", "Các nhiệm vụ", "Các giải pháp", "các nội dung")


@dataclass
class Duty:
    """Agencies and time read from one duty sentence."""

    chu_tri: list[str] = field(default_factory=list)
    phoi_hop: list[str] = field(default_factory=list)
    time: str | None = None
    lead_in: bool = False  # the sentence ends with `:` and hands its agencies to the items below
    modality: str | None = None  # request | assign | invite, from the verb that gave the work


def _names(text: str, pos: int) -> tuple[list[str], int]:
    phrase = agency_phrase(text, pos)
    if phrase is None:
        return [], pos
    return [n for n in split_phrase(phrase.text) if n not in _BARE_POSTS], phrase.end


# A post without its body names no one: `phối hợp với Lãnh đạo` (whose?) is not a partner.
_BARE_POSTS = frozenset(
    {"Lãnh đạo", "Giám đốc", "Chủ tịch", "Thủ trưởng", "Người đứng đầu", "Trưởng Ban", "Trưởng ban"}
)


# After `phối hợp với`, a body may be named by its function in lower case: `cơ quan thú y`,
# `lực lượng cảnh sát giao thông`. Only there: elsewhere `cơ quan` is a common noun.
_GENERIC_PARTNER = re.compile(
    r"(?:cơ quan|lực lượng)(?:\s+(?!(?:để|và|trong|tại|theo)\b)[a-zđà-ỹ]+){1,4}"
)


def _partners(text: str, pos: int) -> list[str]:
    names, _ = _names(text, pos)
    if names:
        return names
    m = _GENERIC_PARTNER.match(text, pos)
    if m is None:
        return []
    words = m.group(0).split()
    for k in range(2, len(words)):  # the name ends where the predicate starts
        if opens_predicate(" ".join(words[k:])):
            words = words[:k]
            break
    return [" ".join(words)]


def _coop_after(text: str, pos: int) -> list[str]:
    """Agencies after every `phối hợp (với)` at or after `pos`: a duty often names its partners
    in a later clause (`...; đồng thời, ... phối hợp với Sở B ...`)."""
    out: list[str] = []
    for m in _COOP.finditer(text, pos):
        names = _partners(text, m.end())
        out += [n for n in names if n not in out]
    return out


# A generic noun alone names no one (`Cơ quan chỉ đạo: Ủy ban nhân dân thành phố` is a label).
_BARE = frozenset({"Cơ quan", "cơ quan", "Đơn vị", "đơn vị", "Bộ phận", "Tổ", "Ban", "Hội"})


def subject_of(text: str) -> list[str]:
    """Agencies at the very start of the text (a subject or a per-agency heading), or []."""
    body = _BULLET.sub("", text)
    if body.startswith(_NOT_SUBJECT) or not head_at(body, 0):
        return []
    names, end = _names(body, 0)
    while m := re.match(r"\s*;\s*", body[end:]):  # `Các sở, ban, ngành; UBND các xã … đưa …`
        more, after = _names(body, end + m.end())
        if not more:
            break
        names, end = names + [n for n in more if n not in names], after
    return [] if names and all(n in _BARE for n in names) else names


_ADDRESSED = re.compile(r"^Đối với\s+")


def _addressed(body: str) -> tuple[list[str], int]:
    """The body a duty names before its colon or comma (`Đối với Nhà đầu tư …: <duty>`, `Đối
    với các cơ quan Trung ương …, thủ trưởng cơ quan bám sát …`): it, not the section's agency,
    does the work. `Đối với công tác …:` names a field of work, not a body. Returns the names
    and where the phrase ends ([] and 0 when the duty addresses none)."""
    m = _ADDRESSED.match(body)
    phrase = agency_phrase(body, m.end()) if m else None
    comma = body.find(",", m.end()) if m and phrase else -1
    ran_on = phrase and not body[phrase.end :].lstrip().startswith((":", ","))
    if phrase and ran_on and phrase.start < comma < phrase.end:
        # `Đối với các cơ quan Trung ương …, thủ trưởng cơ quan … bám sát`: the phrase ran into
        # the clause's own subject
        cut = agency_phrase(body[:comma], phrase.start)
        phrase = cut if cut and cut.end == comma else None
    after = body[phrase.end :].lstrip() if phrase else ""
    if phrase is None or not after.startswith((":", ",")):
        return [], 0
    rest = after[1:].strip()
    if not rest:
        return [], 0  # a heading that hands its agency to the items below
    if after[0] == "," and (head_at(rest, 0) or _ASSIGN.search(rest)):
        return [], 0  # `Đối với các xã chưa đạt, giao UBND huyện …`: the clause names its doer
    return [n for n in split_phrase(phrase.text) if n not in _BARE_POSTS], phrase.end


def read_duty(text: str, section_agencies: list[str] | None = None) -> Duty | None:
    """The duty a sentence assigns, or None when it names no responsible agency."""
    body = _BULLET.sub("", text.strip())
    duty = Duty(time=time_phrase(body), lead_in=body.rstrip().endswith(":"))
    names, end = _addressed(body)
    if names:  # `Đối với Nhà đầu tư Dự án X: Khẩn trương nộp …`
        duty.chu_tri, duty.phoi_hop = names, _coop_after(body, end)
        return duty
    if section_agencies and _COOP_FIRST.match(text):
        lead = _partners(body, _COOP_FIRST.match(text).end() - (len(text) - len(body)))  # type: ignore[union-attr]
        duty.chu_tri, duty.phoi_hop = lead, list(section_agencies)
        return duty if duty.chu_tri else None
    if section_agencies and _LEAD.match(text):
        duty.chu_tri = list(section_agencies)
        duty.phoi_hop = _coop_after(body, 0)
        return duty
    for m in _ASSIGN.finditer(body):
        if section_agencies and m.start() > 0 and not m.group("v").lower().startswith("giao"):
            break  # inside a section, `đề nghị X` mid-sentence is the section agency's request
        names, end = _names(body, m.end())
        if names:
            verb = m.group("v").lower()
            duty.modality = MODALITY["giao" if verb.startswith("giao") else verb]
            duty.chu_tri = names
            duty.lead_in = duty.lead_in or not body[end:].strip(" .:")  # `a) Giao Sở Tài chính`
            duty.phoi_hop = _coop_after(body, end)
            return duty
    names, end = (subject_of(body), 0)
    if names:
        phrase = agency_phrase(body, 0)
        duty.chu_tri = names
        duty.phoi_hop = _coop_after(body, phrase.end if phrase else end)
        return duty
    if duty.lead_in and (names := _lead_in_subject(body)):
        duty.chu_tri = names
        return duty
    if section_agencies:
        duty.chu_tri = list(section_agencies)
        duty.phoi_hop = _coop_after(body, 0)
        return duty
    return None


# A lead-in's subject may follow introductory clauses: `Nhằm đạt được mục tiêu ..., bên cạnh
# ..., các Bộ, cơ quan ngang Bộ ... cần cụ thể hóa và triển khai các nhiệm vụ sau đây:` — the
# agency phrase right before a modal or duty verb is who the items below are given to.
_MODAL = re.compile(
    r"\s*(?:cần|phải|có trách nhiệm|chịu trách nhiệm|tập trung|khẩn trương|chủ động|"
    r"thực hiện|triển khai|tổ chức thực hiện|tiếp tục)\b"
)


_NAME_PART = re.compile(
    r"(?:cơ quan|đơn vị|thành phố|tỉnh|ngành|địa phương|tổ chức|doanh nghiệp|bộ|sở|ban|"
    r"đoàn thể|huyện|xã|phường)\b"
)


def _lead_in_subject(body: str) -> list[str]:
    """The comma-joined name parts right before the first modal verb, walking back from it to
    the first part that is no name (`bên cạnh các nhiệm vụ thường xuyên`)."""
    for m in _MODAL.finditer(body):
        parts = body[: m.start()].split(",")
        taken: list[str] = []
        for part in reversed(parts):
            piece = part.strip()
            if not piece or not (head_at(piece, 0) or _NAME_PART.match(piece)):
                break
            taken.insert(0, piece)
        if taken and head_at(taken[0], 0) and agency_phrase(taken[0], 0):
            return split_phrase(", ".join(taken))
    return []
