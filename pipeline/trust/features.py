"""Features of one extracted value: what its words, its repairs, its agency and its task say about
whether it is right (issue 15).

Every task field (title, each chủ trì / phối hợp / thực hiện entry, an empty role, thời gian) and
every header field becomes a `FieldValue` with a fixed vector of features in [0, 1]. Pure
functions over a typed `Document` (or its parts): the calibration (`calibrate.py`) turns the vector
into the probability that the value is right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from rapidfuzz import fuzz, process

from pipeline.parse.agencies import opens_agency
from pipeline.parse.annotate import HEADER_FIELDS
from pipeline.parse.canon import agency_key
from pipeline.textnorm import is_vietnamese_syllable
from pipeline.types import Box, Evidence, Header, Page, Task

from .seals import seal_boxes, under_seal
from .spans import Tagger, task_text
from .words import bin_of

ROLES = ("chu_tri", "phoi_hop", "thuc_hien")
NEAR_AGENCY = 88  # rapidfuzz ratio at which an unknown agency is one OCR slip from a known one

# The feature vector, in order. Each is in [0, 1]; `bias` is always 1.
FEATURES = (
    "bias",
    "is_title",
    "is_agency",
    "is_empty_role",
    "is_time",
    "is_header",
    "kind_table",
    "kind_duty",
    "read_ocr",
    "read_text_layer",
    "conf_deficit_min",
    "conf_deficit_mean",
    "low_conf_share",
    "unsure_share",
    "no_words_found",
    "repaired",
    "not_syllable_share",
    "agency_unknown",
    "agency_near_known",
    "agency_no_head",
    "agency_long",
    "agency_glued",
    "time_unparsed",
    "time_absent",
    "title_empty",
    "title_long",
    "many_entries",
    "multi_page",
    "seal_on_page",
    "page_flagged",
    "no_lead",
    "task_conf_deficit",
    "ref_repeated",
    "ref_deep",
    "ref_article",
    "ref_unnumbered",
    "time_clock",
    "agency_person",
    "found_by_sentence",
    "header_empty",
    "doc_no_lead_share",
    "word_error_expected",
    "word_error_worst",
    "agency_bare",
    "agency_two_heads",
    "lstm_alternatives",
    "table_continued",
    "value_under_seal",
    "agency_model_disagrees",
    "model_agency_unassigned",
    "split_cell",
)

# Features `vndoc train trust` weighs on dev before keeping (`train.choose_features`): a model
# fitted without one carries weight 0 for it.
CANDIDATES = (
    "value_under_seal",
    "agency_model_disagrees",
    "model_agency_unassigned",
    "split_cell",
)
SPAN_FEATURES = ("agency_model_disagrees", "model_agency_unassigned")


@dataclass
class FieldValue:
    """One value to be trusted or checked. `task` is the index in `Document.tasks` (None for a
    header field); `name` is the key it is reported under (`chu_tri[1]`, `thoi_gian`, `date`)."""

    task: int | None
    name: str
    role: str
    value: str
    features: dict[str, float] = field(default_factory=dict)

    def vector(self) -> list[float]:
        return [1.0] + [float(self.features.get(f, 0.0)) for f in FEATURES[1:]]


@dataclass(frozen=True)
class Context:
    """What the features read besides the value: the pages, the repairs, the known agencies."""

    pages: dict[int, Page]
    repairs: dict[tuple[int, int], list[str]]
    gazetteer: frozenset[str] = frozenset()
    no_lead_share: float = 0.0  # of the document's tasks: a structure the parser half-read
    word_table: tuple[float, ...] = ()  # P(OCR word right) per `words.EDGES` bin, from real scans
    tag: Tagger | None = None  # the span model's agencies in a task's text (`spans.py`)

    @staticmethod
    def of(
        pages: Iterable[Page],
        repairs: Iterable[dict],
        gazetteer: Iterable[str] = (),
        tasks: list[Task] | None = None,
        word_table: Iterable[float] = (),
        tag: Tagger | None = None,
    ) -> Context:
        by_line: dict[tuple[int, int], list[str]] = {}
        for r in repairs:
            if r.get("line") is not None:
                by_line.setdefault((int(r["page"]), int(r["line"])), []).append(
                    str(r.get("replacement", ""))
                )
        tasks = tasks or []
        no_lead = sum(not t.chu_tri and not t.thuc_hien for t in tasks) / max(1, len(tasks))
        return Context(
            {p.number: p for p in pages},
            by_line,
            frozenset(gazetteer),
            no_lead,
            tuple(word_table),
            tag,
        )


_TOKEN = re.compile(r"\w+", re.UNICODE)
_SECOND_HEAD = re.compile(r"\S\s+(?:Bộ|Sở|UBND|Ủy ban|Ban|Cục|Văn phòng)\s+[A-ZĐÂĂÊÔƠƯ]")
_SENTENCE_ROLE = re.compile(r"\b(?:chủ trì|phối hợp|[Gg]iao|Đề nghị|Yêu cầu)\b")
# a clock time or a signature time stamp is when a meeting is or a file was signed, not a deadline
_CLOCK = re.compile(r"\d{1,2}\s*(?:giờ|h\b|:\d{2})|\+07:00")
# a person's title rather than a body (`Giám đốc Công an tỉnh`, `Chủ tịch UBND`)
_PERSON = re.compile(
    r"^(?:các\s+)?(?:Giám đốc|Chủ tịch|Thủ trưởng|Người đứng đầu|Bộ trưởng|Viện trưởng|Trưởng|"
    r"Lãnh đạo|Phó)\b",
    re.IGNORECASE,
)


def tokens(text: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(text or "")]


def _words_under(value: str, evidence: list[Evidence], ctx: Context) -> tuple[list[float], int]:
    """Confidences of the OCR words on the evidence lines that belong to the value, and how many
    of them the LSTM weighed other readings for (`Word.alternatives`). A value read through a
    table cell has no word list (the cell keeps one confidence): the cell's counts."""
    want = set(tokens(value))
    confs: list[float] = []
    doubted = 0
    for ev in evidence:
        page = ctx.pages.get(ev.page)
        if page is None or ev.line is None or not 0 <= ev.line < len(page.lines):
            continue
        line = page.lines[ev.line]
        if not line.words:
            if want & set(tokens(line.text)) or line.region == "table":
                confs += [ev.conf] * max(1, len(want & set(tokens(line.text))))
            continue
        under = [w for w in line.words if set(tokens(w.text)) & want]
        confs += [w.conf for w in under]
        doubted += sum(bool(w.alternatives) for w in under)
    return confs, doubted


def _longest_run(seq: list[str], value: list[str]) -> tuple[int, int]:
    """(start in `seq`, length) of the longest run of `value`'s tokens, in order, in `seq`."""
    m = SequenceMatcher(None, seq, value, autojunk=False).find_longest_match(
        0, len(seq), 0, len(value)
    )
    return (m.a, m.size) if m.size else (0, 0)


def _value_boxes(value: str, evidence: list[Evidence], ctx: Context) -> dict[int, list[Box]]:
    """Per page, the boxes of the value's own words: on each evidence line, the longest run of
    the value's tokens in order, if it holds three of them (or all of a shorter value), so
    `Sở Tư pháp` is not found in `Sở Y tế` by its head word. A table cell's line has no words:
    its box, when its text holds such a run."""
    want = tokens(value)
    need = min(3, len(want))
    out: dict[int, list[Box]] = {}
    for ev in evidence:
        page = ctx.pages.get(ev.page)
        if not need or page is None or ev.line is None or not 0 <= ev.line < len(page.lines):
            continue
        line = page.lines[ev.line]
        if not line.words:
            box = line.box or ev.box
            if box is not None and _longest_run(tokens(line.text), want)[1] >= need:
                out.setdefault(ev.page, []).append(box)
            continue
        seq = [(t, w) for w in line.words for t in tokens(w.text)]
        start, n = _longest_run([t for t, _ in seq], want)
        if n >= need:
            out.setdefault(ev.page, []).extend(w.box for _, w in seq[start : start + n] if w.box)
    return out


def _repaired(value: str, evidence: list[Evidence], ctx: Context) -> bool:
    """A word of the value that the restorer wrote: in the line's text, not in what was read
    (`Line.raw_text`), or listed in the document's repairs for that line."""
    want = set(tokens(value))
    for ev in evidence:
        page = ctx.pages.get(ev.page)
        if page is not None and ev.line is not None and 0 <= ev.line < len(page.lines):
            line = page.lines[ev.line]
            if (set(tokens(line.text)) - set(tokens(line.raw_text))) & want:
                return True
        for replacement in ctx.repairs.get((ev.page, ev.line if ev.line is not None else -1), []):
            if set(tokens(replacement)) & want:
                return True
    return False


def _page_features(pages: list[int], ctx: Context) -> dict[str, float]:
    read = [ctx.pages[n] for n in pages if n in ctx.pages]
    if not read:
        return {}
    return {
        "read_ocr": sum(p.source == "ocr" for p in read) / len(read),
        "read_text_layer": sum(p.source == "text_layer" for p in read) / len(read),
        "seal_on_page": float(any(s.stage == "seal" and s.applied for p in read for s in p.stages)),
        "page_flagged": float(any(p.quality.needs_review for p in read)),
        "multi_page": float(len(set(pages)) > 1),
    }


def _text_features(value: str, evidence: list[Evidence], ctx: Context) -> dict[str, float]:
    out: dict[str, float] = {}
    confs, doubted = _words_under(value, evidence, ctx)
    if confs:
        out["lstm_alternatives"] = doubted / len(confs)
        out["conf_deficit_min"] = (100.0 - min(confs)) / 100.0
        out["conf_deficit_mean"] = (100.0 - sum(confs) / len(confs)) / 100.0
        out["low_conf_share"] = sum(c < 60 for c in confs) / len(confs)
        out["unsure_share"] = sum(c < 90 for c in confs) / len(confs)
        if ctx.word_table and any(p.source == "ocr" for p in ctx.pages.values()):
            wrong = [1.0 - ctx.word_table[bin_of(c)] for c in confs]
            out["word_error_expected"] = sum(wrong) / len(wrong)
            out["word_error_worst"] = max(wrong)
    else:
        out["no_words_found"] = float(bool(value.strip()))
    toks = _TOKEN.findall(value or "")
    words = [t for t in toks if not t.isdigit() and not t.isupper()]
    if words:
        out["not_syllable_share"] = sum(not is_vietnamese_syllable(t) for t in words) / len(words)
    out["repaired"] = float(_repaired(value, evidence, ctx))
    out["value_under_seal"] = _sealed(value, evidence, ctx)
    return out


def _sealed(value: str, evidence: list[Evidence], ctx: Context) -> float:
    """A seal stamped over the value's own words (its ink is taken out before OCR, but the print
    under it comes out faint or broken); `seal_on_page` only says the page has one."""
    sealed = [e for e in evidence if e.page in ctx.pages and seal_boxes(ctx.pages[e.page])]
    if not sealed:
        return 0.0
    boxes = _value_boxes(value, sealed, ctx)
    return float(any(under_seal(ctx.pages[n], b) for n, b in boxes.items()))


def agency_features(name: str, gazetteer: frozenset[str]) -> dict[str, float]:
    key = agency_key(name)
    out = {"agency_no_head": float(not opens_agency(name))}
    out["agency_person"] = float(bool(_PERSON.search(name)))
    # a head word alone (`Bộ`) or a second body's head inside one name (`Bộ A Bộ B`): a cut or a
    # join in the wrong place
    out["agency_bare"] = float(len(tokens(name)) <= 1)
    out["agency_two_heads"] = float(bool(_SECOND_HEAD.search(name)))
    n = len(tokens(name))
    out["agency_long"] = min(1.0, max(0.0, (n - 8) / 12))
    out["agency_glued"] = float(bool(re.search(r"\b(?:và|,)\s+(?:Sở|Bộ|UBND|Ủy ban)\b", name)))
    if gazetteer and key not in gazetteer:
        near = process.extractOne(key, gazetteer, scorer=fuzz.ratio)
        if near is not None and near[1] >= NEAR_AGENCY:
            out["agency_near_known"] = 1.0
        else:
            out["agency_unknown"] = 1.0
    return out


def _task_common(task: Task, ctx: Context) -> dict[str, float]:
    out = _page_features(task.pages or sorted({e.page for e in task.evidence}), ctx)
    out["kind_table"] = float(task.kind == "table_row" or task.source == "table")
    out["kind_duty"] = float(task.kind == "duty")
    out["no_lead"] = float(not task.chu_tri and not task.thuc_hien)
    out["task_conf_deficit"] = 1.0 - task.confidence  # the parser's score (before attach_trust)
    out["doc_no_lead_share"] = ctx.no_lead_share
    # a table row on a page whose table goes on from the page before (a continuation page: the
    # header row is not repeated, a cell may be split across the break)
    first = (task.pages or [0])[0]
    before = ctx.pages.get(first - 1)
    out["table_continued"] = float(
        out["kind_table"] > 0 and before is not None and bool(before.tables)
    )
    # a table row whose cells run on over more than one printed row (a page or chunk break cut
    # the row, and its parts were joined): where a cell's text is most often cut or misplaced
    out["split_cell"] = float(
        out["kind_table"] > 0 and len({(e.page, e.line) for e in task.evidence}) > 1
    )
    # a task read from a sentence (`Giao Sở A chủ trì, phối hợp với B …`) rather than from fields
    out["found_by_sentence"] = float(
        task.kind == "item" and bool(_SENTENCE_ROLE.search(task.title))
    )
    # how the task was numbered: a repeated ref (`PL.1-2`, `dedupe_refs`), a deep outline path, an
    # article (`Điều 2.1`) or a bullet under no number are where the outline is most often misread
    out["ref_repeated"] = float(bool(re.search(r"-\d+$", task.ref)))
    out["ref_deep"] = min(1.0, max(0.0, (len(task.ref.split(".")) - 2) / 3))
    out["ref_article"] = float(task.ref.startswith("Điều"))
    out["ref_unnumbered"] = float(
        not re.match(r"^(?:PL\d*\.|[IVXLC]+\b|\d|Điều|[a-zđ]\))", task.ref)
    )
    return out


def span_features(task: Task, ctx: Context) -> dict[str, dict[str, float]]:
    """Per agency key the rules gave (and `""` for an empty role): where the span model
    disagrees. An entry the model does not tag in the task's text; an agency it tags that the
    rules gave to no role. Empty without a model (`Context.tag`)."""
    if ctx.tag is None:
        return {}
    tagged = ctx.tag(task_text(task))
    given = {agency_key(a) for a in (*task.chu_tri, *task.phoi_hop, *task.thuc_hien)}
    out = {k: {"agency_model_disagrees": float(k not in tagged)} for k in given}
    out[""] = {"model_agency_unassigned": float(bool(tagged - given))}
    return out


def task_fields(index: int, task: Task, ctx: Context) -> list[FieldValue]:
    """Every field of one task with its features."""
    common = _task_common(task, ctx)
    spans = span_features(task, ctx)
    ev = task.evidence
    out = []
    title = FieldValue(index, "title", "title", task.title)
    title.features = {
        **common,
        **_text_features(task.title, ev[:1], ctx),
        "is_title": 1.0,
        "title_empty": float(not task.title.strip()),
        "title_long": min(1.0, max(0.0, (len(tokens(task.title)) - 25) / 25)),
    }
    out.append(title)
    for role in ROLES:
        names: list[str] = getattr(task, role)
        if not names and (role == "phoi_hop" or (role == "chu_tri" and not task.thuc_hien)):
            empty = FieldValue(index, role, role, "")
            empty.features = {**common, **spans.get("", {}), "is_empty_role": 1.0}
            out.append(empty)
        for k, name in enumerate(names):
            fv = FieldValue(index, f"{role}[{k}]", role, name)
            fv.features = {
                **common,
                **_text_features(name, ev, ctx),
                **agency_features(name, ctx.gazetteer),
                **spans.get(agency_key(name), {}),
                "is_agency": 1.0,
                "many_entries": min(1.0, (len(names) - 1) / 8),
            }
            out.append(fv)
    spec = task.thoi_gian
    time = FieldValue(index, "thoi_gian", "thoi_gian", spec.text if spec else "")
    time.features = {**common, "is_time": 1.0, "time_absent": float(spec is None)}
    if spec is not None:
        time.features |= _text_features(spec.text, ev, ctx)
        time.features["time_clock"] = float(bool(_CLOCK.search(spec.text)))
        time.features["time_unparsed"] = float(
            not any((spec.start, spec.end, spec.deadline, spec.recurrence))
        )
    out.append(time)
    return out


def header_value(header: Header, name: str) -> str | None:
    if name == "signer_name":
        return header.signer.name
    if name == "signer_title":
        return header.signer.title
    value = getattr(header, name)
    return value if isinstance(value, str) or value is None else str(value)


def header_fields(header: Header, ctx: Context) -> list[FieldValue]:
    """The compared header fields (`annotate.HEADER_FIELDS`) with their features."""
    out = []
    for name in HEADER_FIELDS:
        value = header_value(header, name) or ""
        key = {"signer_name": "signer", "signer_title": "signer", "date": "date"}.get(name, name)
        ev = header.evidence.get(key) or header.evidence.get(name)
        evidence = [ev] if ev else []
        fv = FieldValue(None, name, f"header.{name}", value)
        fv.features = {**_page_features([e.page for e in evidence], ctx), "is_header": 1.0}
        if value:
            fv.features |= _text_features(value, evidence, ctx)
            # the header keeps one anchor line per field (the signer's `KT. CHỦ TỊCH`), while
            # the title and name the seal is stamped over sit lines below it: the whole page
            page = [
                Evidence(page=e.page, line=i)
                for e in evidence
                if e.page in ctx.pages
                for i in range(len(ctx.pages[e.page].lines))
            ]
            fv.features["value_under_seal"] = _sealed(value, page, ctx)
        else:
            fv.features["header_empty"] = 1.0
        out.append(fv)
    return out
