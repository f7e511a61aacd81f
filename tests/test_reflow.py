"""Wrapped printed lines of an OCR page are joined back into the paragraphs they came from."""

from __future__ import annotations

from pipeline.reflow import reflow
from pipeline.types import Box, Line

LEFT, RIGHT, PITCH, H = 350, 2200, 70, 45


def line(text: str, row: int, x0: int = LEFT, x1: int = RIGHT) -> Line:
    y = 400 + row * PITCH
    return Line(text=text, raw_text=text, box=Box(x0=x0, y0=y, x1=x1, y1=y + H))


def texts(lines: list[Line]) -> list[str]:
    return [ll.text for ll in reflow(lines)]


def test_wrapped_heading_and_field_are_joined():
    lines = [
        line("4. Thông tin tuyên truyền giáo dục nâng cao nhận thức người dân", 0, x0=450),
        line("trong phòng ngừa, chống vi phạm pháp luật trên mạng Internet", 1, x1=1500),
        line("Phối hợp: Sở Tư pháp, Công an tỉnh; các sở, ban, ngành cấp", 2, x0=450),
        line("tỉnh; UBND cấp huyện.", 3, x1=900),
    ]
    assert texts(lines) == [
        "4. Thông tin tuyên truyền giáo dục nâng cao nhận thức người dân trong phòng ngừa, "
        "chống vi phạm pháp luật trên mạng Internet",
        "Phối hợp: Sở Tư pháp, Công an tỉnh; các sở, ban, ngành cấp tỉnh; UBND cấp huyện.",
    ]
    assert reflow(lines)[1].lines == (2, 3)


def test_new_items_indents_and_short_lines_start_new_logical_lines():
    lines = [
        line("- Rà soát và sửa đổi, bổ sung nhằm nâng cao tính hiệu lực, hiệu quả", 0, x0=450),
        line("- Tăng cường quản lý việc sử dụng các trang mạng xã hội", 1, x0=450),  # bullet
        line("Thời gian thực hiện: 2019 - 2020", 2, x0=450, x1=1200),  # short line
        line("Chủ trì: Sở Thông tin và Truyền thông", 3, x0=450, x1=1300),
        line("Sở Thông tin và Truyền thông chủ trì, phối hợp chặt chẽ với các sở,", 4, x0=450),
        line("ban, ngành liên quan trong công tác thông tin, tuyên truyền.", 5),
        line("Tuyên truyền trên các phương tiện thông tin đại chúng, kết hợp", 6, x0=450),  # indent
    ]
    out = texts(lines)
    assert len(out) == 6
    assert out[4].endswith("ban, ngành liên quan trong công tác thông tin, tuyên truyền.")


def test_a_paragraph_gap_is_not_bridged():
    lines = [line("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm", 0)]
    lines.append(line("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020", 4))
    assert len(reflow(lines)) == 2


def test_lines_without_boxes_pass_through_unchanged():
    plain = [Line(text=t, raw_text=t) for t in ("1. Mục đích", "tiếp theo", "Chủ trì: Sở Y tế")]
    assert texts(plain) == ["1. Mục đích", "tiếp theo", "Chủ trì: Sở Y tế"]
