"""A `vndoc run` output folder made in code for the review tests: one scanned page (a real PNG
source, words with boxes, one low-confidence word) and one hostile text document."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PIL import Image, ImageDraw

from pipeline.export import rebuild_tasks, write_document
from pipeline.types import (
    Box,
    Document,
    Evidence,
    Header,
    Line,
    Page,
    PageQuality,
    Signer,
    Source,
    Task,
    TimeSpec,
    Word,
)

SCAN = "cv-scan"
HOSTILE = "hostile"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _words(y: int, texts: list[str], confs: list[float]) -> tuple[Line, list[Word]]:
    words, x = [], 40
    for t, c in zip(texts, confs, strict=True):
        w = 14 * len(t)
        words.append(Word(text=t, box=Box(x0=x, y0=y, x1=x + w, y1=y + 24), conf=c))
        x += w + 12
    box = Box.enclosing([w.box for w in words if w.box])
    text = " ".join(texts)
    return Line(text=text, raw_text=text, words=words, box=box, conf=min(confs)), words


def scan_document(source: Path) -> Document:
    lines = [
        _words(40, ["BỘ", "TƯ", "PHÁP"], [96, 95, 97])[0],
        _words(90, ["Số:", "12/KH-BTP"], [93, 91])[0],
        _words(
            160,
            ["Sở", "Tư", "pháp", "chủ", "trì,", "phối", "hợp", "Công", "an", "tỉnh"],
            [95, 94, 41, 96, 95, 92, 93, 94, 90, 97],
        )[0],  # fmt: skip
        _words(210, ["Thời", "gian:", "quý", "II", "năm", "2020"], [95, 95, 96, 97, 95, 96])[0],
    ]
    page = Page(
        number=1,
        width=800,
        height=1000,
        dpi=100,
        source="ocr",
        lines=lines,
        quality=PageQuality(mean_conf=88.0, low_conf_share=0.05, needs_review=True),
    )
    task = Task(
        ref="I.1",
        title="Rà soát hồ sơ",
        content="Sở Tư pháp chủ trì, phối hợp Công an tỉnh",
        chu_tri=["Sở Tư pháp"],
        phoi_hop=["Công an tỉnh"],
        chu_tri_canonical=["Sở Tư pháp"],
        phoi_hop_canonical=["Công an tỉnh"],
        thoi_gian=TimeSpec(text="quý II năm 2020", start="2020-04-01", end="2020-06-30"),
        section=["I. NHIỆM VỤ"],
        pages=[1],
        evidence=[Evidence(page=1, line=2, box=lines[2].box, conf=41)],
    )
    task2 = Task(
        ref="I.2",
        title="Báo cáo",
        content="Công an tỉnh báo cáo kết quả",
        chu_tri=["Công an tỉnh"],
        chu_tri_canonical=["Công an tỉnh"],
        thoi_gian=TimeSpec(text="trước ngày 30/9/2020", deadline="2020-09-30"),
        section=["I. NHIỆM VỤ"],
        pages=[1],
        evidence=[Evidence(page=1, line=3, box=lines[3].box, conf=95)],
    )
    data = source.read_bytes()
    return Document(
        generator="test",
        source=Source(
            path=str(source),
            sha256=hashlib.sha256(data).hexdigest(),
            kind="image",
            size_bytes=len(data),
            page_count=1,
        ),
        header=Header(
            agency="BỘ TƯ PHÁP",
            number_symbol="12/KH-BTP",
            doc_type="KẾ HOẠCH",
            date="2020-03-01",
            evidence={"agency": Evidence(page=1, line=0, box=lines[0].box)},
        ),
        pages=[page],
        tasks=[task, task2],
    )


def hostile_document() -> Document:
    page = Page(
        number=1,
        width=0,
        height=0,
        source="text",
        lines=[Line(text=f"Trích yếu {XSS}", raw_text=XSS)],
    )
    return Document(
        source=Source(
            path="hostile.txt", sha256="cd" * 32, kind="text", size_bytes=9, page_count=1
        ),
        header=Header(title=XSS, agency=XSS, signer=Signer(name=XSS)),
        pages=[page],
        tasks=[
            Task(
                ref="1",
                title=XSS,
                content=XSS,
                chu_tri=[XSS],
                chu_tri_canonical=[XSS],
                section=[XSS],
            )
        ],
        warnings=[XSS],
    )


def make_output(tmp: Path) -> Path:
    """tmp/out with the two documents and tasks.csv/json; tmp/scan.png is the scan's source."""
    image = Image.new("RGB", (800, 1000), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 160, 500, 184), outline="black")
    source = tmp / "scan.png"
    image.save(source)
    out = tmp / "out"
    write_document(out / SCAN, scan_document(source))
    write_document(out / HOSTILE, hostile_document())
    rebuild_tasks(out)
    return out


class LiveServer:
    """The review app served by uvicorn in a thread on a free loopback port."""

    def __init__(self, root: Path) -> None:
        import socket
        import threading

        import uvicorn

        from pipeline.review.app import build_app

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            build_app(root), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("review server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def raw_get(port: int, target: str, host: str = "127.0.0.1") -> tuple[int, bytes]:
    """GET `target` exactly as written (no client-side normalisation of `..` or `%2e`)."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(
            f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode()
        )
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[-1]
