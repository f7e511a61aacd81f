"""The review page in a real browser (issue 14): Debian's headless Chromium driven by Playwright
with `executable_path` (no browser download). A reviewer opens a document, changes a lead
agency, saves, reloads and sees the change; the page is also driven from the keyboard.

Screenshots are kept under `tests/artifacts/review/` (gitignored) after every run.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.review_fixtures import HOSTILE, SCAN, LiveServer, make_output

CHROMIUM = Path(os.environ.get("VNDOC_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).parent / "artifacts" / "review"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"no {CHROMIUM}: `make install` installs Debian's chromium for these browser tests",
    ),
]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, tmp_path: Path):
    out = make_output(tmp_path)
    with LiveServer(out) as live:
        context = browser.new_context(viewport={"width": 1500, "height": 1000})
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.on("dialog", lambda d: errors.append(f"dialog: {d.message}"))
        pg.out, pg.url_base, pg.errors = out, live.url, errors
        yield pg
        context.close()
    assert not errors, errors  # no script error, and no alert() from the hostile document


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_change_a_lead_agency_save_reload_and_see_it(page):
    page.goto(page.url_base + "/")
    shot(page, "01-overview")
    page.click(f"a[href='/doc/{SCAN}']")
    page.wait_for_selector("#tasks tr.task")
    lead = page.locator("#tasks tr.task").first.locator("textarea[name=chu_tri]")
    lead.click()
    assert page.locator("g.hl rect.evidence").count() == 1  # its evidence drawn on the page
    page.wait_for_function("() => document.querySelector('img.scan').naturalWidth > 0")
    assert page.locator("img.scan").evaluate("img => img.naturalWidth") == 800  # rendered
    shot(page, "02-document-task-selected")
    lead.fill("Sở Tư pháp tỉnh Hà Tĩnh")
    page.click("#save")
    page.wait_for_selector("#status.saved")
    shot(page, "03-saved")
    page.reload()
    lead = page.locator("#tasks tr.task").first.locator("textarea[name=chu_tri]")
    assert lead.input_value() == "Sở Tư pháp tỉnh Hà Tĩnh"
    assert "Reviewed" in page.inner_text("#status")
    shot(page, "04-reloaded")
    review = json.loads((page.out / SCAN / "review.json").read_text())
    assert review["document"]["tasks"][0]["chu_tri"] == ["Sở Tư pháp tỉnh Hà Tĩnh"]
    page.locator("#tasks tr.task").nth(1).locator("textarea[name=phoi_hop]").fill("Sở Nội vụ")
    page.keyboard.press("Control+s")  # a second save on the reloaded page builds on the first
    page.wait_for_selector("#status.saved")
    page.locator("#tasks tr.task").nth(1).locator("input[name=title]").fill("Báo cáo quý")
    page.click("#save")  # and a third, without reloading
    page.wait_for_selector("#status.saved:has-text('Saved')")
    review = json.loads((page.out / SCAN / "review.json").read_text())
    assert review["revision"] == 3
    second = review["document"]["tasks"][1]
    assert second["phoi_hop"] == ["Sở Nội vụ"] and second["title"] == "Báo cáo quý"


def test_split_merge_add_delete_and_save_from_the_keyboard(page):
    page.goto(f"{page.url_base}/doc/{SCAN}")
    rows = page.locator("#tasks tr.task")
    content = rows.first.locator("textarea[name=content]")
    content.click()
    content.evaluate("t => t.setSelectionRange(10, 10)")  # the cursor after `Sở Tư pháp`
    page.keyboard.press("Alt+s")  # split
    assert rows.count() == 3
    assert rows.nth(1).locator("input[name=ref]").input_value() == "I.1-2"
    page.keyboard.press("Alt+m")  # merge the second half with I.2
    assert rows.count() == 2
    page.keyboard.press("Alt+n")  # add a task after it
    assert rows.count() == 3
    page.keyboard.type("I.9")
    page.keyboard.press("Alt+Delete")  # and delete it again
    assert rows.count() == 2
    page.keyboard.press("Alt+ArrowUp")
    assert page.evaluate("document.activeElement.name") == "ref"
    page.keyboard.press("Control+s")
    page.wait_for_selector("#status.saved")
    shot(page, "05-keyboard-edits-saved")
    tasks = json.loads((page.out / SCAN / "review.json").read_text())["document"]["tasks"]
    assert [t["ref"] for t in tasks] == ["I.1", "I.1-2"]
    assert tasks[1]["content"].startswith("chủ trì") and "báo cáo" in tasks[1]["content"]


def test_a_hostile_document_shows_as_text_and_runs_nothing(page):
    page.goto(f"{page.url_base}/doc/{HOSTILE}")
    assert "<script>" in page.locator("#header [name=title]").input_value()
    assert page.locator("script:not([src]):not([type='application/json'])").count() == 0
    page.goto(page.url_base + "/")
    shot(page, "06-hostile-overview")


def teardown_module() -> None:
    """Keep the screenshots but not empty folders."""
    if ARTIFACTS.exists() and not any(ARTIFACTS.iterdir()):
        shutil.rmtree(ARTIFACTS)
