"""The officer's page in a real browser (Debian's Chromium through Playwright), served for real.

Screenshots of every page are taken into a temporary folder to be looked at; set
PIPELINE_SCREENSHOTS=DIR to keep them (the README's docs/serve.png is one of them).
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest

from tests.web_fixtures import EXCEL_RETURN, WORD_RETURN, session_settings
from tests.web_server import serve

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed "
                                "(apt-get install chromium); .ci/run installs it")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    kept = os.environ.get("PIPELINE_SCREENSHOTS")
    folder = Path(kept) if kept else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_drop_two_returns_run_see_a_problem_accept_and_download_the_master(browser, tmp_path: Path,
                                                                           shots: Path) -> None:
    from playwright.sync_api import expect  # waits for the page, where a bare check races it

    settings = session_settings(tmp_path)
    with serve(settings) as served:
        context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
        page = context.new_page()
        page.goto(served.launch)
        assert "token=" not in page.url  # the token left the address bar for the cookie
        page.get_by_label("Period").fill("Q4 2008/09")
        page.get_by_label("Deadline (optional)").fill("2009-04-21")
        page.get_by_role("button", name="Open the period").click()
        expect(page.get_by_role("status").filter(has_text="Q4 2008/09 is open")).to_be_visible()

        dropped = page.get_by_label("Returns (Word, Excel or saved e-mails")
        dropped.set_input_files([WORD_RETURN, EXCEL_RETURN])
        page.get_by_role("button", name="Add to the inbox").click()
        added = page.get_by_role("status", name="What became of each file")
        expect(added.get_by_text("Added:")).to_have_count(2)
        page.screenshot(path=shots / "quarter-added.png", full_page=True)

        page.get_by_role("button", name="Consolidate the inbox").click()
        page.get_by_role("heading", name=re.compile(r"^Done: ")).wait_for(timeout=120_000)
        page.screenshot(path=shots / "run-done.png", full_page=True)

        page.get_by_role("link", name=WORD_RETURN.name).click()
        problems = page.get_by_role("region", name="Problems: 3")
        expect(problems.get_by_text("Planned improvement has no deadline")).to_be_visible()
        problems.get_by_role("link", name="table 3, row 2, column 5").click()
        assert page.url.endswith("#t3-r2")
        page.screenshot(path=shots / "return.png", full_page=True)

        page.get_by_label("Accept although 0 errors and 3 queries remain").check()
        page.get_by_label("Note kept with the acceptance").fill("Counts agreed with the chair")
        page.get_by_role("button", name="Accept this return").click()
        expect(page.get_by_role("status").filter(has_text="Accepted Crime and Disorder")).to_be_visible()
        page.screenshot(path=shots / "return-accepted.png", full_page=True)

        page.get_by_role("link", name="Quarter").click()
        tracker = page.get_by_role("table", name=re.compile("Where each group's return stands"))
        crime = tracker.get_by_role("row", name=re.compile("Crime and Disorder"))
        expect(crime.get_by_text(re.compile(r"^accepted"))).to_have_count(1)
        page.screenshot(path=shots / "quarter.png", full_page=False)

        for name in ("Report", "Messages", "History"):
            page.get_by_role("link", name=name, exact=True).click()
            page.screenshot(path=shots / f"{name.lower()}.png", full_page=True)

        page.get_by_role("link", name="Report", exact=True).click()
        with page.expect_download() as download:
            page.get_by_role("link", name="master.xlsx").click()
        saved = tmp_path / "downloaded.xlsx"
        download.value.save_as(saved)
        context.close()
    book = openpyxl.load_workbook(io.BytesIO(saved.read_bytes()))
    tasks = [row for row in book["Tasks"].iter_rows(min_row=2, values_only=True) if any(row)]
    assert len(tasks) == 9
    assert any("Hold PACT meetings" in str(cell) for row in tasks for cell in row)


def test_the_keyboard_reaches_the_page_and_the_run_button(browser, tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    shutil.copy(WORD_RETURN, settings.inbox)
    with serve(settings) as served:
        page = browser.new_page()
        page.goto(served.launch)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to the page"
        for _ in range(20):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent") == "Consolidate the inbox":
                break
        else:
            pytest.fail("the run button cannot be reached with the keyboard")
        page.keyboard.press("Enter")
        page.get_by_role("heading", name=re.compile(r"^Done: ")).wait_for(timeout=120_000)
        page.close()


def test_a_cross_site_form_is_refused_in_the_browser(browser, tmp_path: Path) -> None:
    """A page on another origin posting to the server (with the officer's cookie) changes nothing."""
    settings = session_settings(tmp_path)
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    with serve(settings) as served, _plain_server(hostile) as elsewhere:
        (hostile / "index.html").write_text(
            f"<form method=post action='{served.base}/run'>"
            f"<input name=csrf_token value='{settings.csrf_token}'></form>"
            "<script>document.forms[0].submit()</script>")
        page = browser.new_page()
        page.goto(served.launch)
        with page.expect_navigation(url=f"{served.base}/run"):
            page.goto(f"{elsewhere}/index.html")
        assert "another site" in page.content()
        assert served.app.state.runner.job is None  # type: ignore[attr-defined]
        page.close()


@contextmanager
def _plain_server(folder: Path) -> Iterator[str]:
    """A static site on another port of this computer: another origin, as a hostile site is."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
