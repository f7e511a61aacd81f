"""Agency and time phrases inside running sentences (`Giao Sở Y tế chủ trì, phối hợp với ...`).

Field labels and table columns say where an agency list starts and ends; a sentence does not. An
agency phrase opens at a head word (`Sở`, `UBND`, `các`, ...) and runs while the words can belong
to a name: capitalised syllables (Vietnamese names capitalise each word's first syllable, so the
syllable after a capital may be lower case: `Sở Tư pháp`), joiners (`và`, `-`) in front of a
capital, and the lower-case tails of group phrases and places (`các sở, ban, ngành`, `tỉnh`,
`liên quan`). Anything else (a verb: `chủ trì`, `rà soát`) closes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.parse.agencies import AGENCY_HEADS
from pipeline.parse.timespec import recurrence_of
from pipeline.textnorm import strip_diacritics

_TOKEN = re.compile(r"[\w&]+(?:[./][\w&]+)*|[^\w\s]")
# Lower-case words (and two-word pairs) that continue an agency or group phrase.
_TAILS = {
    "tỉnh", "huyện", "xã", "phường", "thị", "thành", "phố", "đặc", "khu", "sở", "ban", "ngành",
    "cơ", "quan", "đơn", "vị", "địa", "phương", "đoàn", "thể", "liên", "có", "cấp", "trực",
    "thuộc", "chuyên", "môn", "trung", "ương", "doanh", "nghiệp", "hội", "tổ", "chức", "nhân",
    "dân", "nhà", "nước", "các", "quốc", "gia", "thôn", "nông", "kinh", "tế", "công", "nghệ",
    "hành", "chính", "quản", "lý", "dự", "án", "đầu", "tư", "xây", "dựng", "vụ", "phục",
    "mình", "chủ", "tịch", "lãnh", "đạo", "trưởng", "thủ", "ngoài", "quỹ", "đất", "sự", "trường",
    "dịch", "quân", "ngang", "bộ", "cán", "biên", "bàn", "trị", "tối", "cao", "kiểm", "sát",
    "tốc",
}  # fmt: skip
# Lower-case words that can never continue a name: they open the predicate.
_CLOSERS = {
    "chủ trì", "phối hợp", "theo", "chịu", "tiếp", "khẩn", "thực hiện", "rà", "tham", "tổ chức",
    "chủ động", "nghiên", "báo", "xây dựng", "hướng", "có trách", "kịp", "hoàn", "đề", "tập",
    "triển", "chỉ", "trình", "cùng", "để", "tích", "thường", "nghiêm", "phụ", "quan tâm",
    "bố", "sớm", "căn", "được", "đã", "là", "về", "với", "tại", "trên", "đối", "nhằm", "thì",
    "cần", "phải", "khi", "trước", "sau", "gửi", "xem", "đôn", "kiểm", "lập", "ban hành",
    "bảo", "đẩy", "tăng", "nâng", "phát", "thống", "giải", "xử", "cung", "chuẩn", "tổng",
    "đánh", "công bố", "chấp", "lựa", "quyết", "làm", "đăng", "cập", "giám", "thẩm", "dự", "cử", "mời", "xác",
    "trực tiếp",
}  # fmt: skip
_JOIN = {"và", "-", "–", "—", "&"}  # OCR reads the en dash of `Lao động – Thương binh` as —
_HEAD_WORDS = sorted(AGENCY_HEADS, key=len, reverse=True)
_GROUP_HEADS = ("các", "Các", "Thủ trưởng", "Người đứng đầu", "Lãnh đạo", "Chủ tịch", "Giám đốc")


_NOT_HEAD = re.compile(
    r"(?:[Tt]ổ chức|[Cc]ác (?:nội dung|nhiệm vụ|giải pháp|chỉ tiêu|hoạt động|dự án|chương trình)|"
    r"Trường hợp|Báo cáo|Ban hành|Hội (?:nghị|thảo|thi)|Phòng(?:,| ngừa| chống)|Cơ quan nhà nước|"
    r"(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\b|Đoàn kết)(?!\w)"
)


@dataclass(frozen=True)
class Phrase:
    """An agency phrase found in a sentence: its text as printed and its character span."""

    text: str
    start: int
    end: int


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _is_cap(word: str) -> bool:
    return word[:1].isupper() or (len(word) > 1 and word.isupper())


def head_at(text: str, pos: int) -> int:
    """Length of the agency head word at `pos`, or 0."""
    rest = text[pos:]
    if _NOT_HEAD.match(rest):
        return 0
    for head in _HEAD_WORDS:
        printed = rest[: len(head)]
        same = printed == head or (
            printed[:1] == head[:1] and printed.lower() == head.lower() and not printed.isupper()
        )
        if same and (len(rest) == len(head) or not rest[len(head)].isalnum()):
            return len(head)
    m = re.match(r"[A-ZĐ][A-ZĐ0-9&]{1,}(?![\w])", rest)
    return len(m.group(0)) if m else 0


def _closes(toks: list[tuple[str, int, int]], i: int) -> bool:
    word = toks[i][0].lower()
    pair = f"{word} {toks[i + 1][0].lower()}" if i + 1 < len(toks) else word
    return pair in _CLOSERS or (word in _CLOSERS and pair not in _TAILS_PAIRS)


def opens_predicate(text: str) -> bool:
    """Whether `text` opens with a predicate word (`Phối hợp với …`, `chủ trì …`), whatever its case."""
    toks = _tokens(text.lstrip("-+• "))[:2]
    return bool(toks) and _closes([(t.lower(), a, b) for t, a, b in toks], 0)


_TAILS_PAIRS = {
    "có liên", "cơ quan", "thành phố", "thị xã", "đặc khu", "tổ chức", "đơn vị", "dự án", "kiểm sát",
}  # fmt: skip


# Syllables that open a predicate on their own (`triển khai`) but close a capitalised name word
# (`Phát triển`, `Chương trình`).
_NAME_SECOND = {"triển", "trình"}


def _name_word(toks: list[tuple[str, int, int]], i: int) -> bool:
    """`Trung tâm Phát triển quỹ đất`: the syllable completes the capitalised word before it;
    `Ban Quản lý dự án đầu tư xây dựng`: `xây dựng` after `đầu tư` is a noun, not a verb."""
    if toks[i][0] in _NAME_SECOND and i > 0 and toks[i - 1][0][:1].isupper():
        return True
    return toks[i][0] == "xây" and i > 1 and (toks[i - 2][0], toks[i - 1][0]) == ("đầu", "tư")


def _continues(toks: list[tuple[str, int, int]], i: int, prev_cap: bool) -> bool:
    """Whether token i can still belong to the agency phrase."""
    word = toks[i][0]
    nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
    if toks[i - 1][0].lower() == "các" and word.isalpha():
        return True  # `các tổ chức, đoàn thể`: the noun after `các` is never a predicate
    if word == "trên" and nxt == "địa":
        return True  # `các địa phương trên địa bàn tỉnh`
    if word == "đóng" and nxt in ("trên", "tại"):
        return True  # `các cơ quan Trung ương đóng trên địa bàn tỉnh`
    if (toks[i - 1][0], word, nxt) == ("bàn", "phụ", "trách") or (
        i > 1 and (toks[i - 2][0], toks[i - 1][0], word) == ("bàn", "phụ", "trách")
    ):
        return True  # `UBND các xã, phường thuộc địa bàn phụ trách`: whose area, not a verb
    if _closes(toks, i) and not _is_cap(word) and not _name_word(toks, i):
        return False
    if _is_cap(word) or word.isdigit():
        return True
    if word in _JOIN:
        return bool(nxt) and (_is_cap(nxt) or nxt in ("các", "UBND", "địa", "đơn", "cơ", "xã"))
    if word == "số":
        return nxt.isdigit()
    if word == ":":
        return toks[i - 1][0] in ("Sở", "sở", "Bộ", "bộ") and bool(nxt) and _is_cap(nxt)
    if word == ",":
        if not nxt:
            return False
        return _is_cap(nxt) or (nxt.lower() in _TAILS and not _closes(toks, i + 1))
    if word == "có":
        return nxt == "liên"  # `có liên quan`, never `có ý kiến`
    if word == "phòng" and toks[i - 1][0] == "biên":
        return True  # `Bộ đội biên phòng`
    if word.lower() in _TAILS:
        return True
    return prev_cap and word.isalpha() and word.islower()


# Bodies named by their mandate, in lower case: `Ban Chỉ đạo xoá nhà tạm, nhà dột nát huyện Bình
# Sơn`, `Hội đồng thi đua, khen thưởng tỉnh`, `Tổ công tác liên ngành`.
_MANDATE = re.compile(r"^(?:Ban Chỉ đạo|Ban chỉ đạo|Hội đồng|Tổ công tác|Tổ giúp việc)\s")


def _mandate_continues(toks: list[tuple[str, int, int]], i: int) -> bool:
    word = toks[i][0]
    nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
    if word == ",":
        return bool(nxt) and nxt.isalpha() and nxt.islower() and not _closes(toks, i + 1)
    return word.isalpha() and word.islower() and not _closes(toks, i)


def agency_phrase(text: str, pos: int) -> Phrase | None:
    """The agency phrase that opens at `pos` (which must start a head word), or None."""
    if not head_at(text, pos):
        return None
    toks = [t for t in _tokens(text) if t[1] >= pos]
    mandate = bool(_MANDATE.match(text[pos:]))
    end, prev_cap, i = pos, True, 0
    while i < len(toks):
        word, _s, e = toks[i]
        if i > 0 and not (
            _continues(toks, i, prev_cap) or (mandate and _mandate_continues(toks, i))
        ):
            break
        if i == 0 or word not in _JOIN | {",", ":"}:
            end = e
        prev_cap = _is_cap(word)
        i += 1
    phrase = text[pos:end].rstrip(" ,-–")
    m = re.match(r"\s*\(([^()]{2,80})\)", text[pos + len(phrase) :])
    if m and head_at(m.group(1), 0):  # `Văn phòng UBND tỉnh (Trung tâm Phục vụ hành chính công)`
        phrase = text[pos : pos + len(phrase) + m.end()]
    return Phrase(phrase, pos, pos + len(phrase)) if phrase else None


def split_phrase(text: str) -> list[str]:
    """Split a sentence agency phrase into names: `,` or `và` before a new head, `Sở: A, B`."""
    if m := re.match(r"^(?:các|Các)\s+(Sở|sở|Bộ|bộ)\s*:\s*(.+)$", text):
        kind = m.group(1).capitalize()
        out: list[str] = []
        other = False  # after a body of another kind (`Công ty …`), capitals continue its name
        for part in re.split(r",\s*(?=[A-ZĐ])|\s+và\s+(?=các\b)", m.group(2)):
            if not part:
                continue
            named = head_at(part, 0) and not part.startswith(("Công an", kind))
            if other and not head_at(part, 0):
                out[-1] += f", {part}"
            elif named or part.startswith(kind):
                out.append(part)
            else:
                out.append(f"{kind} {part}")
            other = bool(named) or (other and not head_at(part, 0))
        return out
    names: list[str] = []
    for piece in re.split(
        r"\s+và\s+(?!các Khu công nghiệp)"  # `Ban Quản lý Khu kinh tế X và các Khu công nghiệp Y`
        r"(?=(?:các|Các)\s|UBND|Ủy ban|Sở\s|Ban\s|Công an|Chủ tịch|Thủ trưởng|Giám đốc)",
        text,
    ):
        parts = piece.split(",")
        cur = parts[0]
        for part in parts[1:]:
            if head_at(part.strip(), 0) and part.strip()[:3] != "các" or head_at(part.strip(), 0):
                names.append(cur)
                cur = part
            else:
                cur += "," + part
        names.append(cur)
    names = [part for name in names for part in _split_collective(name)]
    return [n.strip(" ,.;") for n in names if n.strip(" ,.;")]


_AND_COLLECTIVE = re.compile(r"\s+và\s+(?=(?:địa phương|đơn vị|cơ quan)\b)")


def _split_collective(name: str) -> list[str]:
    """`Nhà Đầu tư và địa phương có liên quan` → two entries; a group phrase that opens with
    `các` (`các cơ quan, đơn vị và địa phương`) stays whole."""
    if name.strip().lower().startswith("các"):
        return [name]
    return _AND_COLLECTIVE.split(name)


def find_heads(text: str) -> list[int]:
    """Character offsets where an agency head word starts a word."""
    out = []
    for m in re.finditer(r"(?<![\w])\w", text):
        if head_at(text, m.start()):
            out.append(m.start())
    return out


# --- time phrases in sentences ----------------------------------------------------------------

_DMY = r"\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?"
_TIME_PATTERNS = (
    r"(?:trước|Trước)\s+\d{1,2}\s*(?:giờ|h)\d{0,2}[’']?,?\s+ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}",
    rf"(?:từ|Từ)\s+(?:ngày\s+)?{_DMY}\s+đến(?:\s+hết)?\s+(?:ngày\s+)?{_DMY}",
    rf"(?:trước|Trước|chậm nhất|Chậm nhất|không quá|hạn chót)\s+(?:là\s+|vào\s+)?(?:ngày\s+)?{_DMY}",
    r"(?:trước|Trước|chậm nhất|Chậm nhất|không quá|hạn chót)\s+(?:là\s+|vào\s+)?ngày\s+\d{1,2}"
    r"\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?",
    r"(?:chậm nhất|trước)\s+(?:vào\s+)?ngày\s+\d{1,2}\s+(?:hằng|hàng)\s+tháng",
    r"(?:trong|Trong)\s+tháng\s+\d{1,2}\s*(?:/|\s+năm)\s*\d{4}",
    r"(?:trong|Trong|trước|Trước)\s+[Qq]uý\s+(?:IV|III|II|I|[1-4])(?:\s*(?:/|năm)\s*\d{4})?",
    r"[Qq]uý\s+(?:IV|III|II|I|[1-4])\s*(?:/|năm)\s*\d{4}",
    r"(?:[Tt]háng)\s+\d{1,2}\s*/\s*\d{4}",
    r"(?:trong|Trong|trước|Trước)\s+năm\s+\d{4}",
)
_TIMES = [re.compile(p) for p in _TIME_PATTERNS]
_FREQ = re.compile(
    r"(?:định kỳ\s+)?(?:hằng|hàng|Hằng|Hàng)\s+(?:tuần|tháng|quý|năm)|\d{2}\s+lần\s*/\s*năm|"
    r"[Tt]hường xuyên|[Đđ]ịnh kỳ\s+\d+\s+tháng|(?:định kỳ\s+)?\d{1,2}\s+(?:tuần|tháng)\s*/\s*lần|"
    r"[Mm]ỗi\s+(?:tuần|tháng|quý|năm)"
)
_NOUN_BEFORE = re.compile(
    r"(?:nhiệm vụ|công việc|hoạt động|chi|kinh phí|công tác|chi phí|nguồn)\s*$", re.IGNORECASE
)
_REFERENCE = re.compile(r"(?:số|Số)\s+\S+/\S*\s*$|(?:ngày)\s*$")


def time_phrase(text: str) -> str | None:
    """The deadline or period printed in a duty sentence (first explicit one), else a frequency
    (`hằng tuần`, `thường xuyên`), else None. Dates of cited documents (`số 01/CT-UBND ngày
    03/01/2024`) are skipped."""
    for pattern in _TIMES:  # most specific first: a deadline beats a month or a year
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 40) : m.start()]
            if not re.search(r"[Ss]ố\s+[\w.\-]+/[\w.\-]+\s*$", before):
                return m.group(0).strip()
    for freq in _FREQ.finditer(text):
        if _NOUN_BEFORE.search(text[: freq.start()]):
            continue  # `các nhiệm vụ thường xuyên`: a kind of work, not when it is done
        found = freq.group(0).strip()
        if recurrence_of(strip_diacritics(found).lower()):
            return found
    return None
