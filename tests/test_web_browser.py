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

from tests.web_fixtures import EXCEL_RETURN, WORD_RETURN, session_settings, this_quarters_return
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

        page.get_by_label("Accept although 3 queries remain").check()
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


def test_a_held_back_return_is_counted_from_its_page_and_read_at_the_next_run(browser, tmp_path: Path,
                                                                               shots: Path) -> None:
    from playwright.sync_api import expect

    settings = session_settings(tmp_path)
    fresh = tmp_path / "cypag-q1.docx"
    fresh.write_bytes(this_quarters_return())
    with serve(settings) as served:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(served.launch)
        page.get_by_label("Period").fill("Q1 2009/10")
        page.get_by_label("Deadline (optional)").fill("2009-07-21")
        page.get_by_role("button", name="Open the period").click()
        page.get_by_label("Returns (Word, Excel or saved e-mails").set_input_files([WORD_RETURN, fresh])
        page.get_by_role("button", name="Add to the inbox").click()
        added = page.get_by_role("status", name="What became of each file")
        expect(added.get_by_text("Added:")).to_have_count(2)
        page.get_by_role("button", name="Consolidate the inbox").click()
        page.get_by_role("heading", name=re.compile(r"^Done: ")).wait_for(timeout=120_000)

        page.get_by_role("link", name="Quarter", exact=True).click()
        tracker = page.get_by_role("table", name=re.compile("Where each group's return stands"))
        crime = tracker.get_by_role("row", name=re.compile("Crime and Disorder"))
        expect(crime.get_by_text("dated for another period")).to_be_visible()
        page.screenshot(path=shots / "quarter-held-back.png", full_page=True)

        page.get_by_role("link", name=WORD_RETURN.name).first.click()
        expect(page.get_by_text("held back: dated for another period").first).to_be_visible()
        page.get_by_role("button", name="Count this return for the period").click()
        expect(page.get_by_role("status").filter(has_text="is counted as Crime and Disorder")).to_be_visible()
        page.screenshot(path=shots / "return-counted.png", full_page=True)

        page.get_by_role("link", name="Run", exact=True).click()
        page.get_by_role("button", name="Consolidate the inbox").click()
        page.get_by_role("heading", name="Done: Q1 2009/10").wait_for(timeout=120_000)
        page.get_by_role("link", name="Quarter", exact=True).click()
        crime = page.get_by_role("table", name=re.compile("Where each group's return stands")).get_by_role(
            "row", name=re.compile("Crime and Disorder"))
        expect(crime.get_by_text(re.compile(r"^read, "))).to_have_count(1)
        page.close()


def test_queries_messages_reopening_and_a_restart_as_the_officer_sees_them(browser, tmp_path: Path,
                                                                          shots: Path) -> None:
    from playwright.sync_api import expect

    settings = session_settings(tmp_path)
    with serve(settings) as served:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(served.launch)
        page.get_by_label("Period").fill("Q4 2008/09")
        page.get_by_role("button", name="Open the period").click()
        dropped = page.get_by_label("Returns (Word, Excel or saved e-mails")
        dropped.set_input_files([WORD_RETURN, EXCEL_RETURN])
        page.get_by_role("button", name="Add to the inbox").click()
        page.get_by_role("button", name="Consolidate the inbox").click()
        page.get_by_role("heading", name=re.compile(r"^Done: ")).wait_for(timeout=120_000)
        page.screenshot(path=shots / "run.png", full_page=True)

        page.get_by_role("link", name="Queries", exact=True).click()
        expect(page.get_by_text("5 queries waiting, by group.")).to_be_visible()
        page.screenshot(path=shots / "queries.png", full_page=True)
        page.get_by_label("Why this is not a mistake").first.fill("The survey moved to May; the board knows.")
        page.get_by_role("button", name="Record the explanation").first.click()
        expect(page.get_by_role("status").filter(has_text="Explanation recorded")).to_be_visible()
        expect(page.get_by_text("4 queries waiting, by group.")).to_be_visible()

        page.get_by_role("link", name="Messages", exact=True).click()
        page.get_by_role("link", name=re.compile("Reminder|Overdue|return")).first.click()
        page.screenshot(path=shots / "message.png", full_page=True)

        page.get_by_role("link", name="Quarter", exact=True).click()
        page.get_by_role("button", name="Close Q4 2008/09").click()
        page.get_by_role("link", name="Reopen Q4 2008/09…").click()
        page.screenshot(path=shots / "reopen.png", full_page=True)
        page.get_by_role("button", name="Reopen Q4 2008/09").click()  # the box is not ticked: not sent
        assert page.url.endswith("/period/reopen?label=Q4%202008/09")
        page.get_by_label("Yes, reopen Q4 2008/09").check()
        page.get_by_role("button", name="Reopen Q4 2008/09").click()
        expect(page.get_by_role("status").filter(has_text="Q4 2008/09 is open again")).to_be_visible()
        page.get_by_text(re.compile(r"^What was done in Q4 2008/09")).click()
        audit = page.get_by_role("table", name=re.compile("audit trail"))
        expect(audit.get_by_text("reopened")).to_be_visible()
        page.screenshot(path=shots / "quarter-audit.png", full_page=True)
        page.close()
    # The server stops; a new one over the same folders shows the last run again.
    with serve(settings) as served:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(served.launch)
        expect(page.get_by_text(re.compile("Shown from the history: Q4 2008/09"))).to_be_visible()
        page.get_by_role("link", name=WORD_RETURN.name).first.click()
        expect(page.get_by_role("region", name="Problems: 3")).to_be_visible()
        page.screenshot(path=shots / "return-after-restart.png", full_page=True)
        page.get_by_role("link", name="Report", exact=True).click()
        expect(page.get_by_role("link", name="master.xlsx")).to_be_visible()
        page.close()


def test_the_login_page_beyond_this_computer(browser, tmp_path: Path, shots: Path) -> None:
    settings = session_settings(tmp_path, password="correct horse")
    with serve(settings) as served:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(served.base + "/")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Log in").click()
        assert page.get_by_role("alert").text_content() == "That password is not right."
        page.screenshot(path=shots / "login.png", full_page=True)
        page.get_by_label("Password").fill("correct horse")
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("heading", name="This quarter").wait_for()
        page.close()


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
