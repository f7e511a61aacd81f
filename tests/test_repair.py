"""The repair seam: restorer changes applied to page lines, gated on good OCR, raw text kept."""

from __future__ import annotations

from pipeline.repair import repair_pages
from pipeline.restore import Change, Restoration
from pipeline.types import Box, Line, Page, Table, TableCell, Word


class Scripted:
    """A restorer that proposes fixed replacements wherever the words occur."""

    def __init__(self, mode: str, fixes: dict[str, str]) -> None:
        self.mode, self.fixes = mode, fixes

    def restore(self, text: str, mode: str = "auto") -> Restoration:
        changes, lines = [], []
        for i, line in enumerate(text.split("\n")):
            for old, new in self.fixes.items():
                at = line.find(old)
                if at >= 0:
                    changes.append(Change(i, at, at + len(old), old, new, 0.99))
                    line = line.replace(old, new)
            lines.append(line)
        return Restoration("\n".join(lines), changes, self.mode)


def ocr_line(words: list[tuple[str, float]]) -> Line:
    text = " ".join(w for w, _ in words)
    box = Box(x0=0, y0=0, x1=10, y1=10)
    return Line(text=text, raw_text=text, words=[Word(text=w, box=box, conf=c) for w, c in words])


def page(*lines: Line, tables: list[Table] | None = None) -> Page:
    return Page(
        number=1, width=100, height=100, source="ocr", lines=list(lines), tables=tables or []
    )


def test_confidently_read_well_formed_words_are_not_changed_on_good_ocr():
    p = page(ocr_line([("Tổ", 95), ("chức", 96), ("Hội", 94), ("thảo", 93)]))
    (out,), repairs = repair_pages([p], Scripted("conservative", {"thảo": "thao"}), max_conf=85)
    assert out.lines[0].text == "Tổ chức Hội thảo" and repairs == []


def test_unsure_or_malformed_words_are_repaired_and_reported():
    p = page(ocr_line([("nghiên", 95), ("cúu", 62)]), ocr_line([("Đầy", 90), ("mạnh", 95)]))
    fixes = {"cúu": "cứu", "Đầy": "Đẩy"}
    (out,), repairs = repair_pages([p], Scripted("conservative", fixes), max_conf=85)
    assert [line.text for line in out.lines] == ["nghiên cứu", "Đầy mạnh"]
    assert out.lines[0].raw_text == "nghiên cúu"  # the evidence is kept
    assert [(r["line"], r["original"], r["replacement"]) for r in repairs] == [(0, "cúu", "cứu")]


def test_capitals_that_lost_their_marks_are_restored():
    p = page(ocr_line([("TM.", 95), ("UY", 96), ("BAN", 96)]))
    (out,), _ = repair_pages([p], Scripted("conservative", {"UY": "ỦY"}))
    assert out.lines[0].text == "TM. ỦY BAN"


def test_full_restoration_keeps_every_change_and_cells_follow():
    cell = TableCell(row=0, col=0, text="Hang nam", conf=97)
    table = Table(n_rows=1, n_cols=1, cells=[cell])
    p = page(ocr_line([("Thuc", 99), ("hien", 99)]), tables=[table])
    fixes = {"Thuc": "Thực", "hien": "hiện", "Hang nam": "Hàng năm"}
    (out,), repairs = repair_pages([p], Scripted("full", fixes))
    assert out.lines[0].text == "Thực hiện"
    assert out.tables[0].cells[0].text == "Hàng năm"
    assert len(repairs) == 2  # cell repairs mirror line repairs and are not reported twice


def test_no_restorer_leaves_pages_as_read():
    p = page(ocr_line([("cúu", 10)]))
    assert repair_pages([p], None) == ([p], [])
