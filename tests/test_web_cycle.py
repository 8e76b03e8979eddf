"""The quarter's cycle on the page: open a period, drop its returns, run, accept and explain."""

from __future__ import annotations

import io
import re
from pathlib import Path

from starlette.testclient import TestClient

from pipeline.cycle.actions import tracker
from pipeline.web.app import create_app
from pipeline.web.jobs import JobState
from pipeline.web.settings import Settings
from tests.web_fixtures import EXCEL_RETURN, WORD_RETURN, session_settings

PERIOD = "Q4 2008/09"


def _client(settings: Settings) -> TestClient:
    client = TestClient(create_app(settings), follow_redirects=True)
    client.cookies.set(settings.cookie_name, settings.token)
    return client


def _post(client: TestClient, settings: Settings, path: str, **fields: str) -> str:
    return client.post(path, data={"csrf_token": settings.csrf_token, **fields}).text


def _period_run(tmp_path: Path) -> tuple[Settings, TestClient]:
    """A period opened on the page, two returns dropped into it, and the consolidation run."""
    settings = session_settings(tmp_path)
    client = _client(settings)
    opened = _post(client, settings, "/period/open", label=PERIOD, deadline="2009-04-21", back="/")
    assert "Done:</strong> Q4 2008/09 is open; its returns are due by 21 April 2009." in opened
    files = [("returns", (p.name, io.BytesIO(p.read_bytes()))) for p in (WORD_RETURN, EXCEL_RETURN)]
    client.post("/upload", data={"csrf_token": settings.csrf_token}, files=files)
    folder = settings.workspace().period_inbox(PERIOD)
    assert sorted(p.name for p in folder.iterdir()) == sorted([WORD_RETURN.name, EXCEL_RETURN.name])
    client.post("/run", data={"csrf_token": settings.csrf_token})
    client.app.state.runner.thread.join(timeout=120)  # type: ignore[attr-defined]
    assert client.app.state.runner.job.state is JobState.DONE, client.app.state.runner.job.error  # type: ignore[attr-defined]
    return settings, client


def test_the_quarter_shows_the_tracker_of_the_open_period(tmp_path: Path) -> None:
    settings, client = _period_run(tmp_path)
    text = client.get("/").text
    board = tracker(settings.workspace())
    assert f"Q4 2008/09: {board.deadline_words()}" in text
    for row in board.rows:
        line = rf"{re.escape(row.group)}</th>\s*<td><span class=\"track[^\"]*\">{re.escape(row.words)}"
        assert re.search(line, text.replace("&amp;", "&")), row.group
    assert "late: no return" in text  # the deadline is long past for the groups that sent nothing


def test_a_return_with_queries_is_accepted_only_with_an_override_and_a_note(tmp_path: Path) -> None:
    settings, client = _period_run(tmp_path)
    page = client.get("/returns/0").text
    assert "Accept this return" in page and "Accept although 0 errors and 3 queries remain" in page
    refused = _post(client, settings, "/accept", file=WORD_RETURN.name, back="/returns/0")
    assert "Not done:</strong>" in refused and "still has" in refused
    accepted = _post(client, settings, "/accept", file=WORD_RETURN.name, override="yes",
                     note="Counts agreed with the chair", back="/returns/0")
    assert "Done:</strong> Accepted Crime and Disorder Reduction Partnership&#39;s return" in accepted
    row = next(r for r in tracker(settings.workspace()).rows if r.group.startswith("Crime"))
    assert row.state.name == "ACCEPTED" and "Counts agreed with the chair" in row.note


def test_a_query_is_explained_from_the_returns_page(tmp_path: Path) -> None:
    settings, client = _period_run(tmp_path)
    page = client.get("/returns/0").text
    keys = re.findall(r'name="key" value="([^"]+)"', page)
    assert len(keys) == 3
    said = _post(client, settings, "/explain", key=keys[0], text="The survey was postponed by the county.",
                 back="/returns/0")
    assert "Done:</strong> Explanation recorded" in said
    assert len(re.findall(r'name="key" value="([^"]+)"', said)) == 2
    row = next(r for r in tracker(settings.workspace()).rows if r.group.startswith("Crime"))
    assert row.explained == 1
    empty = _post(client, settings, "/explain", key=keys[1], text="   ", back="/returns/0")
    assert "Not done:</strong> An explanation needs some words" in empty


def test_cycle_actions_need_the_forms_csrf_token_and_go_back_only_to_this_server(tmp_path: Path) -> None:
    settings, client = _period_run(tmp_path)
    refused = client.post("/accept", data={"file": WORD_RETURN.name, "override": "yes", "note": "x"})
    assert refused.status_code == 403
    assert tracker(settings.workspace()).rows[0].state.name != "ACCEPTED"
    away = client.post("/period/close", data={"csrf_token": settings.csrf_token, "back": "//evil.example/"},
                       follow_redirects=False)
    assert away.headers["location"] == "/"


def test_closing_the_period_is_told_and_the_open_form_returns(tmp_path: Path) -> None:
    settings, client = _period_run(tmp_path)
    closed = _post(client, settings, "/period/close", back="/")
    assert "Done:</strong> Q4 2008/09 is closed" in closed
    assert "Open the period" in closed
