"""The review web app (issue 14) without a browser: pages, saving, exports, and its security."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest
from starlette.testclient import TestClient

from pipeline.export import REVIEW_JSON, load_reviewed
from pipeline.review.app import build_app, resolve_under
from tests.review_fixtures import HOSTILE, SCAN, LiveServer, make_output, raw_get

ORIGIN = "http://testserver"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return make_output(tmp_path)


@pytest.fixture
def client(out: Path) -> TestClient:
    return TestClient(build_app(out, ["testserver"]), base_url=ORIGIN)


def token_of(client: TestClient) -> str:
    return client.app.state.review.token  # type: ignore[attr-defined]


def edit_of(client: TestClient, **changes: object) -> dict:
    """The payload the page would post for the scan document, unchanged unless told."""
    tasks = [
        {
            "origin": [0],
            "ref": "I.1",
            "title": "Rà soát hồ sơ",
            "content": "Sở Tư pháp chủ trì, phối hợp Công an tỉnh",
            "chu_tri": ["Sở Tư pháp"],
            "phoi_hop": ["Công an tỉnh"],
            "thoi_gian": {"text": "quý II năm 2020", "start": "2020-04-01", "end": "2020-06-30"},
        },
        {
            "origin": [1],
            "ref": "I.2",
            "title": "Báo cáo",
            "content": "Công an tỉnh báo cáo kết quả",
            "chu_tri": ["Công an tỉnh"],
            "thoi_gian": {"text": "trước ngày 30/9/2020", "deadline": "2020-09-30"},
        },
    ]
    header = {"agency": "BỘ TƯ PHÁP", "number_symbol": "12/KH-BTP", "doc_type": "KẾ HOẠCH"}
    header["date"] = "2020-03-01"
    payload = {"header": header, "tasks": tasks}
    payload.update(changes)
    return payload


def post(client: TestClient, payload: dict, **headers: str) -> object:
    sent = {"x-review-token": token_of(client), "origin": ORIGIN, **headers}
    return client.post(f"/doc/{SCAN}/review", json=payload, headers=sent)


def test_overview_lists_flagged_documents_first_with_both_charts(client: TestClient):
    html = client.get("/").text
    assert html.index(f"/doc/{SCAN}") < html.index(f"/doc/{HOSTILE}")  # needs_review first
    assert 'id="chart-agencies"' in html and 'id="chart-deadlines"' in html
    assert "Công an tỉnh" in html and "2020-09" in html


def test_document_page_shows_fields_tasks_word_boxes_and_a_rendered_page(client, out: Path):
    html = client.get(f"/doc/{SCAN}").text
    assert 'value="BỘ TƯ PHÁP"' in html and 'value="I.2"' in html
    assert html.count('class="word low"') == 1  # `pháp` at confidence 41
    png = client.get(f"/doc/{SCAN}/page/1.png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(list((out / SCAN / "review-pages").glob("*-0001.png"))) == 1  # cached in DIR
    evidence = json.loads(html.split('id="evidence">')[1].split("</script>")[0])
    box = load_reviewed(out / SCAN)[0].pages[0].lines[2].box  # type: ignore[index]
    assert evidence["tasks"][0] == [{"page": 1, "line": 2, "box": [box.x0, 160, box.x1, 184]}]


def test_tasks_stand_under_the_part_of_the_document_they_were_read_in(client):
    html = client.get(f"/doc/{SCAN}").text
    assert html.count('<tr class="section">') == 1  # both tasks are under `I. NHIỆM VỤ`
    assert html.index("I. NHIỆM VỤ</th>") < html.index('value="I.1"') < html.index('value="I.2"')


def test_a_missing_source_gives_boxes_on_a_blank_page(client, out: Path, tmp_path: Path):
    (tmp_path / "scan.png").unlink()
    assert client.get(f"/doc/{SCAN}/page/1.png").status_code == 404
    assert 'class="word low"' in client.get(f"/doc/{SCAN}").text


def test_document_text_is_always_escaped(client: TestClient):
    for html in (client.get("/").text, client.get(f"/doc/{HOSTILE}").text):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html
    page = client.get(f"/doc/{HOSTILE}")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    blob = page.text.split('id="evidence">')[1]
    assert blob.index("</script>") < blob.index("review.js")  # data cannot close its tag early


def test_saving_writes_review_json_and_exports_prefer_it(client, out: Path):
    machine = (out / SCAN / "document.json").read_bytes()
    tasks = edit_of(client)["tasks"]
    tasks[0]["chu_tri"] = ["Sở Tư pháp tỉnh"]
    response = post(client, edit_of(client, tasks=tasks))
    assert response.status_code == 200, response.text
    assert (out / SCAN / "document.json").read_bytes() == machine  # never changed
    review = json.loads((out / SCAN / REVIEW_JSON).read_text())
    assert review["saved_at"] and review["source_sha256"]
    assert review["changes"] == [
        {"path": "tasks[I.1#0].chu_tri", "machine": ["Sở Tư pháp"], "reviewed": ["Sở Tư pháp tỉnh"]}
    ]
    assert review["document"]["tasks"][0]["evidence"]  # kept from the machine's reading
    rows = pd.read_csv(out / "tasks.csv", encoding="utf-8-sig")
    row = rows[(rows.document == SCAN) & (rows.ref == "I.1")].iloc[0]
    assert row.chu_tri == "Sở Tư pháp tỉnh" and bool(row.reviewed)
    assert not rows[rows.document == HOSTILE].reviewed.any()
    assert json.loads((out / "tasks.json").read_text())[0]["reviewed"] is True
    assert "Sở Tư pháp tỉnh" in client.get(f"/doc/{SCAN}").text


def test_split_merge_add_and_delete_keep_the_machine_evidence(client, out: Path):
    first, second = edit_of(client)["tasks"]
    split = {**first, "ref": "I.1-2", "content": "phối hợp Công an tỉnh"}
    merged = {**second, "origin": [1, 0], "ref": "I.2"}
    new = {"origin": [], "ref": "I.3", "title": "Mới", "chu_tri": ["Sở Nội vụ"]}
    assert post(client, edit_of(client, tasks=[first, split, merged, new])).status_code == 200
    doc, reviewed = load_reviewed(out / SCAN)  # type: ignore[misc]
    assert reviewed and [t.ref for t in doc.tasks] == ["I.1", "I.1-2", "I.2", "I.3"]
    assert doc.tasks[1].evidence == doc.tasks[0].evidence
    assert len(doc.tasks[2].evidence) == 2 and doc.tasks[3].evidence == []
    assert doc.tasks[3].chu_tri_canonical == ["Sở Nội vụ"]


def test_a_rewritten_time_is_read_again_unless_its_dates_were_set(client, out: Path):
    first, second = edit_of(client)["tasks"]
    first["thoi_gian"] = {**first["thoi_gian"], "text": "trước ngày 15/5/2020"}
    assert post(client, edit_of(client, tasks=[first, second])).status_code == 200
    doc, _ = load_reviewed(out / SCAN)  # type: ignore[misc]
    assert doc.tasks[0].thoi_gian.deadline == "2020-05-15"  # type: ignore[union-attr]


def test_a_malformed_edit_is_refused_and_nothing_written(client, out: Path):
    bad = edit_of(client)
    bad["header"]["date"] = "not a date"
    assert post(client, bad).status_code == 422
    assert post(client, {"tasks": "x"}).status_code == 422
    assert not (out / SCAN / REVIEW_JSON).exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"x-review-token": ""},
        {"x-review-token": "wrong"},
        {"origin": "http://evil.example"},
        {"origin": "http://testserver:9999"},
        {"origin": "", "referer": ""},
        {"origin": "", "referer": "http://evil.example/doc/x"},
        {"sec-fetch-site": "cross-site"},
    ],
)
def test_saving_needs_the_token_and_the_same_origin(client, out: Path, headers: dict):
    response = post(client, edit_of(client), **headers)
    assert response.status_code == 403
    assert not (out / SCAN / REVIEW_JSON).exists()


def test_a_referer_of_this_server_stands_in_for_a_missing_origin(client):
    response = post(client, edit_of(client), origin="", referer=f"{ORIGIN}/doc/{SCAN}")
    assert response.status_code == 200


def test_an_unexpected_host_is_refused(out: Path):
    client = TestClient(build_app(out), base_url="http://rebound.example")
    assert client.get("/").status_code == 400


def test_resolve_under_refuses_everything_outside(tmp_path: Path, out: Path):
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", out / "link.txt")
    os.symlink(tmp_path, out / "linkdir")
    assert resolve_under(out, "tasks.csv") == (out / "tasks.csv").resolve()
    for bad in (
        "../secret.txt",
        f"{SCAN}/../../secret.txt",
        str(tmp_path / "secret.txt"),
        "/etc/passwd",
        "link.txt",
        "linkdir/secret.txt",
        "..\\secret.txt",
        "C:/Windows/win.ini",
        "tasks.csv\x00.png",
        f"{SCAN}/.document.json.tmp",
    ):
        assert resolve_under(out, bad) is None, bad


def test_the_server_serves_only_files_under_dir(out: Path, tmp_path: Path):
    (tmp_path / "secret.txt").write_text("top secret")
    os.symlink(tmp_path / "secret.txt", out / "link.txt")
    with LiveServer(out) as live:
        assert raw_get(live.port, "/files/tasks.csv")[0] == 200
        for target in (
            "/files/../secret.txt",
            "/files/..%2fsecret.txt",
            "/files/%2e%2e/secret.txt",
            "/files/%2e%2e%2fsecret.txt",
            f"/files/{SCAN}/..%2f..%2fsecret.txt",
            "/files/%2fetc%2fpasswd",
            "/files//etc/passwd",
            f"/files/{tmp_path}/secret.txt",
            "/files/link.txt",
            "/doc/..%2f..%2fetc",
            "/doc/%2e%2e/page/1.png",
            "/static/..%2f..%2f..%2fexport.py",
        ):
            status, body = raw_get(live.port, target)
            assert status in (400, 404), target
            assert b"top secret" not in body and b"root:" not in body, target
        assert raw_get(live.port, "/", host="evil.example")[0] == 400


def test_vndoc_review_listens_on_loopback_unless_told(out: Path, monkeypatch):
    from typer.testing import CliRunner

    import pipeline.review.app as review_app
    from pipeline.cli import app

    calls: list[tuple] = []
    monkeypatch.setattr(review_app, "serve", lambda root, host, port: calls.append((host, port)))
    assert CliRunner().invoke(app, ["review", str(out)]).exit_code == 0
    assert (
        CliRunner()
        .invoke(app, ["review", str(out), "--host", "0.0.0.0", "--port", "9000"])
        .exit_code
        == 0
    )
    assert calls == [("127.0.0.1", 8765), ("0.0.0.0", 9000)]


def test_every_task_and_header_field_can_be_corrected(client, out: Path):
    first, second = edit_of(client)["tasks"]
    first |= {"kind": "duty", "responsible": "Sở Tư pháp", "modality": "assign"}
    first |= {"objective": "Mục tiêu", "notes": ["Công an tỉnh: phối hợp về an ninh"]}
    payload = edit_of(client, tasks=[first, second])
    payload["header"] |= {"marks": ["KHẨN"], "signer_authority": ["KT. BỘ TRƯỞNG"]}
    assert post(client, payload).status_code == 200
    doc, _ = load_reviewed(out / SCAN)  # type: ignore[misc]
    t = doc.tasks[0]
    assert (t.kind, t.responsible, t.modality, t.objective) == (
        "duty",
        "Sở Tư pháp",
        "assign",
        "Mục tiêu",
    )
    assert t.notes == ["Công an tỉnh: phối hợp về an ninh"]
    assert doc.header.marks == ["KHẨN"] and doc.header.signer.authority == ["KT. BỘ TRƯỞNG"]
    paths = {c["path"] for c in json.loads((out / SCAN / REVIEW_JSON).read_text())["changes"]}
    assert {"header.marks", "tasks[I.1#0].kind", "tasks[I.1#0].modality"} <= paths
    assert doc.tasks[1].kind == "item"  # fields a client does not send keep the machine's value


def test_any_writer_marks_a_reviewed_documents_rows(client, out: Path):
    from pipeline.outputs.records import task_records

    assert post(client, edit_of(client)).status_code == 200
    doc, reviewed = load_reviewed(out / SCAN)  # type: ignore[misc]
    assert reviewed and doc.review is not None and doc.review.saved_at
    assert all(r["reviewed"] for r in task_records(doc, SCAN))  # the spreadsheet, Parquet, ...
    machine, flag = load_reviewed(out / HOSTILE)  # type: ignore[misc]
    assert not flag and not any(r["reviewed"] for r in task_records(machine, HOSTILE))


def test_vndoc_export_rebuilds_tables_with_the_reviewed_values(client, out: Path):
    from pipeline.config import Settings
    from pipeline.outputs import export_outputs

    tasks = edit_of(client)["tasks"]
    tasks[1]["chu_tri"] = ["Công an tỉnh Hà Tĩnh"]
    assert post(client, edit_of(client, tasks=tasks)).status_code == 200
    export_outputs(out, ["parquet"], Settings())
    frame = pd.read_parquet(out / "tasks.parquet")
    row = frame[(frame.document == SCAN) & (frame.ref == "I.2")].iloc[0]
    assert list(row.chu_tri) == ["Công an tỉnh Hà Tĩnh"] and bool(row.reviewed)


def test_saving_refreshes_the_tables_and_catalogue_already_there(client, out: Path):
    import sqlite3

    from pipeline.config import Settings
    from pipeline.outputs import export_outputs

    export_outputs(out, ["parquet", "sqlite"], Settings())
    tasks = edit_of(client)["tasks"]
    tasks[1]["chu_tri"] = ["Công an tỉnh Hà Tĩnh"]
    response = post(client, edit_of(client, tasks=tasks))
    assert response.status_code == 200 and response.json()["warnings"] == []
    frame = pd.read_parquet(out / "tasks.parquet")
    assert "Công an tỉnh Hà Tĩnh" in {a for leads in frame.chu_tri for a in leads}
    with sqlite3.connect(out / "catalogue.sqlite") as con:
        dump = "\n".join(con.iterdump())
    assert "Công an tỉnh Hà Tĩnh" in dump


def test_files_of_dir_are_inert_or_downloads(client, out: Path):
    (out / "evil.html").write_text("<script>alert(1)</script>")
    html = client.get("/files/evil.html")
    assert html.headers["content-type"] == "application/octet-stream"
    assert html.headers["content-disposition"].startswith("attachment")
    csv = client.get("/files/tasks.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert "sandbox" in csv.headers["content-security-policy"]


def test_values_to_check_are_marked_and_cleared_once_reviewed(client, out: Path):
    from pipeline.export import write_document

    doc = load_reviewed(out / SCAN)[0]  # type: ignore[index]
    task = doc.tasks[0].model_copy(
        update={"needs_review": True, "review_reasons": ["chu_tri[0]: agency not in the gazetteer"]}
    )
    write_document(out / SCAN, doc.model_copy(update={"tasks": [task, *doc.tasks[1:]]}))
    html = client.get(f"/doc/{SCAN}").text
    assert 'aria-label="chủ trì" class="check" title="check: agency not in the gazetteer"' in html
    assert post(client, edit_of(client)).status_code == 200
    reviewed = load_reviewed(out / SCAN)[0]  # type: ignore[index]
    assert not reviewed.tasks[0].needs_review and reviewed.tasks[0].review_reasons == []


def test_a_second_save_builds_on_the_first_and_a_stale_page_is_refused(client, out: Path):
    first, second = edit_of(client)["tasks"]
    new = {"origin": [], "ref": "I.0", "title": "Mới", "chu_tri": ["Sở Nội vụ"]}
    saved = post(client, edit_of(client, tasks=[new, first, second], base_revision=0))
    assert saved.status_code == 200 and saved.json()["revision"] == 1
    # the page now shows I.0, I.1, I.2: its origins index that list
    shown = [{**new, "origin": [0]}, {**first, "origin": [1]}, {**second, "origin": [2]}]
    assert post(client, edit_of(client, tasks=shown, base_revision=1)).status_code == 200
    doc = load_reviewed(out / SCAN)[0]  # type: ignore[index]
    assert [t.ref for t in doc.tasks] == ["I.0", "I.1", "I.2"]
    assert doc.tasks[1].evidence and doc.tasks[1].evidence[0].line == 2  # I.1's own evidence
    stale = post(client, edit_of(client, tasks=shown, base_revision=1))
    assert stale.status_code == 409 and "reload" in stale.json()["error"]
