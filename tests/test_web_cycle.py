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
from tests.web_fixtures import EXCEL_RETURN, WORD_RETURN, session_settings, this_quarters_return

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
        line = rf"{re.escape(row.group)}</th>\s*<td[^>]*><span class=\"track[^\"]*\">{re.escape(row.words)}"
        assert re.search(line, text.replace("&amp;", "&")), row.group
    assert "late: no return" in text  # the deadline is long past for the groups that sent nothing


def test_a_return_with_queries_is_accepted_only_with_an_override_and_a_note(tmp_path: Path) -> None:
    settings, client = _period_run(tmp_path)
    page = client.get("/returns/0").text
    assert "Accept this return" in page and "Accept although 3 queries remain" in page
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


def _restarted(settings: Settings) -> TestClient:
    """The same folders served again by a new server: nothing carried over but the files."""
    return _client(settings)


def test_after_a_restart_the_pages_show_the_last_recorded_run(tmp_path: Path) -> None:
    settings, client = _period_run(tmp_path)
    before = {path: client.get(path).text for path in ("/", "/returns/0", "/report", "/messages")}
    again = _restarted(settings)
    quarter = again.get("/").text
    when = r"\d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d"  # the one form every time on the page takes
    assert re.search(rf"Shown from the history: Q4 2008/09 as consolidated on {when}\.", quarter)
    assert re.search(r"Crime and Disorder Reduction Partnership</th>\s*<td>\s*<span class=\"state "
                     r"state-received\">received</span>", quarter)
    # Each group's counts are the same as the session that ran it showed.
    counts = re.compile(r'<td class="num">\d+(?: <span class="was">\(\d+\)</span>)?</td>')
    assert counts.findall(quarter) == counts.findall(before["/"])
    # A return's page: its tasks beside its problems, each problem still pointing at its row.
    page = again.get("/returns/0").text
    assert "<h1>cdrp-progress-2008-09-Q4.docx</h1>" in page
    assert "Hold PACT meetings in each neighbourhood policing area" in page
    assert '<a href="#t3-r2">table 3, row 2, column 5</a>' in page
    assert '<tr id="t3-r2" class="flagged">' in page
    assert page.count('class="problem"') == before["/returns/0"].count('class="problem"')
    assert "Accept this return" in page
    # The report, the messages and the downloads are the outputs folder's.
    assert "Develop Joint Commissioning Plan" in again.get("/report").text
    links = sorted(re.findall(r'href="/messages/([^"]+)"', again.get("/messages").text))
    assert links and links == sorted(re.findall(r'href="/messages/([^"]+)"', before["/messages"]))
    assert again.get(f"/download/{links[0]}").status_code == 200
    master = again.get("/download/master.xlsx")
    assert master.status_code == 200 and master.content[:2] == b"PK"
    assert "Last consolidated: Q4 2008/09" in again.get("/run").text


def test_outputs_a_later_run_replaced_are_not_offered_as_the_recorded_runs(tmp_path: Path) -> None:
    import os
    import time

    settings, _ = _period_run(tmp_path)
    master = settings.out / "master.xlsx"
    later = time.time() + 3600
    os.utime(master, (later, later))
    again = _restarted(settings)
    assert again.get("/download/master.xlsx").status_code == 404
    assert again.get("/download/exceptions.docx").status_code == 200


def test_the_queries_page_lists_every_open_query_with_its_place_and_an_explain_form(tmp_path: Path) -> None:
    settings, client = _period_run(tmp_path)
    page = client.get("/queries").text
    keys = re.findall(r'name="key" value="([^"]+)"', page)
    assert len(keys) == 5 and "5 queries waiting, by group." in page
    assert "Crime and Disorder Reduction Partnership: 3 queries" in page
    assert "Economic Development Coordination Group: 2 queries" in page
    assert '<a href="/returns/0">cdrp-progress-2008-09-Q4.docx</a> · table 3, row 2, column 5' in page
    assert "What to do:</strong>" in page
    said = _post(client, settings, "/explain", key=keys[0], text="Agreed at the board.", back="/queries")
    assert "Done:</strong> Explanation recorded" in said and "<h1>Queries to explain" in said
    assert len(re.findall(r'name="key" value="([^"]+)"', said)) == 4


def test_the_queries_page_before_any_period_says_what_to_do(tmp_path: Path) -> None:
    text = _client(session_settings(tmp_path)).get("/queries").text
    assert "No period has been opened or consolidated yet" in text


def test_a_closed_period_is_reopened_only_once_confirmed_and_the_audit_trail_says_so(tmp_path: Path) -> None:
    settings, client = _period_run(tmp_path)
    closed = _post(client, settings, "/period/close", back="/")
    assert '<a href="/period/reopen?label=Q4%202008/09">Reopen Q4 2008/09…</a>' in closed
    confirm = client.get("/period/reopen", params={"label": "Q4 2008/09"}).text
    assert "<h1>Reopen Q4 2008/09?</h1>" in confirm and 'name="confirm" value="yes"' in confirm
    unconfirmed = _post(client, settings, "/period/reopen", label="Q4 2008/09", back="/")
    assert "Not done:</strong> Q4 2008/09 was not reopened: tick the box to confirm." in unconfirmed
    assert tracker(settings.workspace(), "Q4 2008/09").period.closed_at is not None
    reopened = _post(client, settings, "/period/reopen", label="Q4 2008/09", confirm="yes", back="/")
    assert "Done:</strong> Q4 2008/09 is open again (deadline 21 April 2009)" in reopened
    assert tracker(settings.workspace()).period.closed_at is None
    audit = re.search(r'<table class="audit">.*?</table>', reopened, re.S)
    assert audit is not None
    actions = re.findall(r"</td><td>[^<]*</td><td>(\w[\w ]*)</td>", audit.group(0))
    assert actions[0] == "opened" and actions[-2:] == ["closed", "reopened"], actions
    assert client.get("/period/reopen", params={"label": "Q4 2008/09"}).status_code == 404  # open now


def test_a_return_dated_for_another_period_is_held_back_until_counted_on_the_page(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    client = _client(settings)
    _post(client, settings, "/period/open", label="Q1 2009/10", deadline="2009-07-21", back="/")
    # CDRP sends last quarter's return again; the children's group sends this quarter's.
    files = [("returns", (WORD_RETURN.name, io.BytesIO(WORD_RETURN.read_bytes()))),
             ("returns", ("cypag-q1.docx", io.BytesIO(this_quarters_return())))]
    client.post("/upload", data={"csrf_token": settings.csrf_token}, files=files)

    def run() -> None:
        client.post("/run", data={"csrf_token": settings.csrf_token})
        client.app.state.runner.thread.join(timeout=120)  # type: ignore[attr-defined]

    run()
    quarter = client.get("/").text
    assert re.search(r"Crime and Disorder Reduction Partnership</th>\s*<td[^>]*><span class=\"track "
                     r"track-held_back[^\"]*\">dated for another period", quarter)
    page = client.get("/returns/0").text
    assert "Count this return for the period" in page
    counted = _post(client, settings, "/accept", file=WORD_RETURN.name, back="/returns/0")
    assert (f"Done:</strong> {WORD_RETURN.name} is counted as Crime and Disorder Reduction Partnership&#39;s "
            "return for Q1 2009/10: run the consolidation to read it in.") in counted
    run()
    row = next(r for r in tracker(settings.workspace()).rows if r.group.startswith("Crime"))
    assert row.state.name == "QUERIES" and row.file == WORD_RETURN.name
    fates = {s.file: s.state for s in client.app.state.runner.latest.result.submissions}  # type: ignore[attr-defined]
    assert fates == {WORD_RETURN.name: "accepted", "cypag-q1.docx": "accepted"}


def test_the_sample_inbox_is_shown_from_its_own_history_and_its_queries_are_not_explained(
        tmp_path: Path) -> None:
    import shutil

    from pipeline.intake.scan import SAMPLE_MARKER

    settings = session_settings(tmp_path)
    for source in (WORD_RETURN, EXCEL_RETURN):
        shutil.copy(source, settings.inbox)
    (settings.inbox / SAMPLE_MARKER).write_text("the shipped sample returns")
    client = _client(settings)
    client.post("/run", data={"csrf_token": settings.csrf_token})
    client.app.state.runner.thread.join(timeout=120)  # type: ignore[attr-defined]
    assert not (settings.out / "history.sqlite").exists()
    history = client.get("/history").text
    assert "Crime and Disorder Reduction Partnership: Q4 2008/09: 2 Green, 1 Amber, 1 Achieved" in history
    queries = client.get("/queries").text
    assert "5 queries waiting, by group." in queries and 'action="/explain"' not in queries
    assert "Explanations are kept with a period opened in the quarter's cycle" in queries
    # Started again, the page shows the sample's last run.
    again = _client(settings).get("/").text
    assert "Shown from the history: Q4 2008/09" in again
