"""Specification of the page quality summary and its `needs_review` flag."""

from __future__ import annotations

from pipeline.config import Settings
from pipeline.quality import page_quality
from pipeline.types import Line, Word

PROSE = (
    "Ủy ban nhân dân tỉnh đề nghị các cơ quan đơn vị tổ chức thực hiện nghiêm túc kế hoạch "
    "cải cách hành chính năm nay và báo cáo kết quả về Sở Nội vụ trước ngày mười lăm tháng "
    "mười hai để tổng hợp trình Chủ tịch xem xét quyết định"
)


def _lines(text: str, conf: float) -> list[Line]:
    words = [Word(text=t, conf=conf) for t in text.split()]
    return [Line(text=text, raw_text=text, words=words)]


def test_confident_vietnamese_page_needs_no_review() -> None:
    q = page_quality(_lines(PROSE, 95.0), Settings())
    assert not q.needs_review and q.mean_conf == 95.0 and q.low_conf_share == 0.0


def test_low_confidence_page_is_flagged() -> None:
    assert page_quality(_lines(PROSE, 40.0), Settings()).needs_review


def test_confident_garbage_is_flagged() -> None:
    junk = " ".join(["xqzt", "bnmr", "ƒlkj", "wwrk", "zzpl"] * 8)
    assert page_quality(_lines(junk, 92.0), Settings()).needs_review


def test_empty_page_has_default_quality() -> None:
    assert not page_quality([], Settings()).needs_review
