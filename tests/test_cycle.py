"""The partnership's quarter, start to finish, on SQLite and PostgreSQL: open, returns arrive (one
late, one stale from last quarter, one corrected), reminders before and after the deadline, an
explanation carried into the next quarter, acceptance, close, and the next quarter's Changes."""

from __future__ import annotations

import datetime as dt
import email
import os
import shutil
import time
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Backend
from docx import Document
from docx_factory import table_runs
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.consolidate.result import SubmissionState
from pipeline.cycle.actions import (
    accept_return,
    close_period,
    explain_query,
    open_period,
    open_queries,
    plan_run,
    tracker,
)
from pipeline.cycle.records import CycleError, PeriodInfo
from pipeline.cycle.tracker import GroupState, Tracker
from pipeline.cycle.workspace import Workspace
from pipeline.errors import PipelineError
from pipeline.register import load_register
from pipeline.run import run_consolidation, write_mail

INBOX = Path(__file__).resolve().parents[1] / "inbox"
REGISTER = load_register()
CDRP = "Crime and Disorder Reduction Partnership"
ECONOMY = "Economic Development Coordination Group"
HEALTH = "Healthy City Partnership"
CHILDREN = "Children & Young People Action Group"
STRONGER = "Stronger Communities Group"
Q4_DEADLINE = dt.date(2009, 4, 21)


def _copy_return(
    source: str,
    to: Path,
    *,
    dates: tuple[str, str] | None = None,
    status: tuple[str, str, int] | None = None,
    mtime: dt.datetime | None = None,
) -> Path:
    """A sample return copied into a period's inbox, its dates or one status rewritten as a group would."""
    to.parent.mkdir(parents=True, exist_ok=True)
    if dates is None and status is None:
        shutil.copy2(INBOX / source, to)
    else:
        doc = Document(str(INBOX / source))
        changed = 0
        for run in table_runs(doc):
            if dates and dates[0] in run.text:
                run.text = run.text.replace(*dates)
            if status and run.text.strip() == status[0] and changed < status[2]:
                run.text = status[1]
                changed += 1
        doc.save(str(to))
    if mtime is not None:
        stamp = mtime.timestamp()
        os.utime(to, (stamp, stamp))
    return to


def _run(ws: Workspace, backend: Backend) -> object:
    plan = plan_run(ws)
    return run_consolidation(
        plan.inbox,
        ws.out,
        ws.register,
        period=plan.period,
        db=backend.db,
        exclude=plan.exclude,
        history_file=plan.history_file,
    )


def _workspace(backend: Backend, tmp_path: Path) -> Workspace:
    return Workspace(REGISTER, tmp_path / "inbox", backend.out / "outputs", backend.db)


def test_two_quarters_start_to_finish(backend: Backend, tmp_path: Path) -> None:
    ws = _workspace(backend, tmp_path)
    info = open_period(ws, "end of year 2008/9", deadline=Q4_DEADLINE)
    assert info.label == "Q4 2008/09" and ws.period_inbox("Q4 2008/09").is_dir()
    q4 = ws.period_inbox("Q4 2008/09")

    # Before anything arrives: every group requested; reminders are polite requests.
    board = tracker(ws, today=dt.date(2009, 4, 1))
    assert {r.state for r in board.rows} == {GroupState.REQUESTED} and board.days_left == 20

    on_time = dt.datetime(2009, 4, 14, 10, 0)
    _copy_return("cdrp-progress-2008-09-Q4.docx", q4 / "cdrp-q4.docx", mtime=on_time)
    _copy_return("economic-development-progress-2008-09-Q4.xlsx", q4 / "edcg-q4.xlsx", mtime=on_time)
    # Healthy City sends a return with an unreadable status, then corrects it.
    _copy_return(
        "healthy-city-progress-2008-09-Q4.docx",
        q4 / "healthy-city-q4.docx",
        mtime=on_time,
        status=("AMBER", "Purple", 1),
    )
    # Stronger Communities' return arrives after the deadline; last September's is sent again too.
    _copy_return(
        "stronger-communities-progress-2008-09-Q4.docx",
        q4 / "stronger-q4.docx",
        mtime=dt.datetime(2009, 4, 28, 9, 0),
    )
    _copy_return(
        "stronger-communities-progress-2008-09-Q4.docx",
        q4 / "stronger-q2-again.docx",
        dates=("31st March 2009", "4th September 2008"),
        mtime=dt.datetime(2009, 4, 29, 9, 0),
    )

    board = tracker(ws, today=dt.date(2009, 4, 29))
    assert board.rows[0].state is GroupState.RECEIVED  # arrived, not yet read

    run = _run(ws, backend)
    result = run.result  # type: ignore[attr-defined]
    assert result.period == "Q4 2008/09"
    subs = {s.file: s for s in result.submissions}
    assert subs["stronger-q2-again.docx"].state == SubmissionState.HELD_BACK
    assert CHILDREN in result.missing_groups

    board = tracker(ws, today=dt.date(2009, 4, 29))
    rows = {r.group: r for r in board.rows}
    assert rows[CHILDREN].state is GroupState.REQUESTED and rows[CHILDREN].late
    assert rows[STRONGER].late and not rows[CDRP].late
    assert rows[HEALTH].state is GroupState.ERRORS
    health_problems = rows[HEALTH].errors + rows[HEALTH].queries
    assert rows[CDRP].state is GroupState.QUERIES

    # Reminders: before the deadline a request, after it an overdue notice, long after it the chair copied.
    for today, expect in (
        (dt.date(2009, 4, 10), "request"),
        (dt.date(2009, 4, 25), "overdue"),
        (dt.date(2009, 5, 20), "chair"),
    ):
        write_mail(run, REGISTER, ws.out, feedback=True, deadline=Q4_DEADLINE, today=today)  # type: ignore[arg-type]
        message = email.message_from_bytes(
            (ws.out / "reminders" / "cypag.eml").read_bytes(), policy=policy.default
        )
        body = message.get_body(("plain",)).get_content().lower()
        if expect == "request":
            assert "overdue" not in body and "21 april 2009" in body
        elif expect == "overdue":
            assert "overdue" in body and not message["Cc"]
        else:
            chair = REGISTER.group_named(CHILDREN).chair  # type: ignore[union-attr]
            assert not chair or chair.split("<")[-1].rstrip(">") in str(message["Cc"])

    # The officer explains one of CDRP's queries and accepts CDRP; Healthy City corrects its return.
    cdrp_queries = open_queries(ws, group="CDRP")
    assert cdrp_queries
    explained = cdrp_queries[0]
    explain_query(ws, explained.key, "The events are booked once the new officer starts in May.")
    with pytest.raises(CycleError, match="unexplained quer"):
        accept_return(ws, "CDRP")
    for issue in cdrp_queries[1:]:
        explain_query(ws, issue.key, "Agreed with the chair.")
    accepted = accept_return(ws, "CDRP")
    assert accepted.group == CDRP
    _copy_return(
        "healthy-city-progress-2008-09-Q4.docx",
        q4 / "healthy-city-q4-corrected.docx",
        mtime=dt.datetime(2009, 4, 30, 9, 0),
    )
    # The old September return was in fact meant as this quarter's: the officer counts it.
    counted = accept_return(ws, "stronger-q2-again.docx")
    assert counted.kind == "counted"

    run = _run(ws, backend)
    result = run.result  # type: ignore[attr-defined]
    subs = {s.file: s for s in result.submissions}
    assert subs["healthy-city-q4.docx"].state == SubmissionState.SUPERSEDED
    assert subs["healthy-city-q4-corrected.docx"].state == SubmissionState.ACCEPTED
    # Counted, and now the later return.
    assert subs["stronger-q2-again.docx"].state == SubmissionState.ACCEPTED
    kept = [i for i in result.issues if i.key == explained.key]
    assert kept and kept[0].explanation.startswith("The events are booked")
    rows = {r.group: r for r in tracker(ws, today=dt.date(2009, 5, 1)).rows}
    assert rows[CDRP].state is GroupState.ACCEPTED  # the same file: the acceptance stands
    assert rows[HEALTH].file == "healthy-city-q4-corrected.docx"
    assert rows[HEALTH].errors + rows[HEALTH].queries < health_problems

    book = load_workbook(ws.out / "master.xlsx", read_only=True)
    assert book.sheetnames[:2] == ["Summary", "Tracker"]
    tracked = {r[0]: r for r in book["Tracker"].iter_rows(min_row=2, values_only=True)}
    assert tracked[CDRP][1] == "accepted" and tracked[CHILDREN][1] == "late: no return"
    assert tracked[STRONGER][2] == "late"
    issues = list(book["Issues"].iter_rows(values_only=True))
    assert issues[0][-2:] == ("Explanation", "Key")
    assert any(r[-1] == explained.key and str(r[-2]).startswith("The events are booked") for r in issues)
    assert set(result.late_groups) >= {CHILDREN, STRONGER} and HEALTH in result.unaccepted_groups

    close_period(ws)
    with pytest.raises(PipelineError, match="closed"):
        run_consolidation(
            q4, ws.out, REGISTER, period="Q4 2008/09", db=backend.db, history_file=ws.history_file()
        )
    audit = [e.action for e in _audit(ws)]
    assert audit[:1] == ["opened"] and "explained" in audit and "accepted" in audit and audit[-1] == "closed"
    consolidated = [e for e in _audit(ws) if e.action == "consolidated"]
    assert (
        len(consolidated) == 2
        and "Raised: " in consolidated[-1].detail
        and " explained)" in consolidated[-1].detail
    )

    # --- the next quarter ------------------------------------------------------------------
    open_period(ws, "Q1 2009/10", deadline=dt.date(2009, 7, 21))
    q1 = ws.period_inbox("Q1 2009/10")
    july = dt.datetime(2009, 7, 2, 9, 0)
    _copy_return(
        "cdrp-progress-2008-09-Q4.docx",
        q1 / "cdrp-q1.docx",
        dates=("31st March 2009", "30th June 2009"),
        mtime=july,
    )
    _copy_return(
        "stronger-communities-progress-2008-09-Q4.docx",
        q1 / "stronger-q1.docx",
        dates=("31st March 2009", "30th June 2009"),
        status=("AMBER", "GREEN", 1),
        mtime=july,
    )
    _copy_return(
        "cypag-progress-2008-09-Q4.docx",
        q1 / "cypag-q1.docx",
        dates=("31st March 2009", "30th June 2009"),
        mtime=july,
    )
    run = _run(ws, backend)
    result = run.result  # type: ignore[attr-defined]
    assert result.period == "Q1 2009/10" and result.previous_period == "Q4 2008/09"
    # The query explained last quarter is not raised as new: it carries its explanation.
    carried = [i for i in result.issues if i.key == explained.key]
    assert carried and carried[0].explanation.startswith("The events are booked")
    kinds = {(c.group, c.kind) for c in result.changes}
    assert (HEALTH, "awaiting return") in kinds and (HEALTH, "no longer reported") not in kinds
    assert (STRONGER, "improved") in kinds or (STRONGER, "newly achieved") in kinds
    changes = load_workbook(ws.out / "master.xlsx", read_only=True)["Changes"]
    change_column = [str(r[6]) for r in changes.iter_rows(values_only=True) if r and r[0] == HEALTH]
    assert change_column and set(change_column) == {"awaiting return"}


def _audit(ws: Workspace) -> list:  # type: ignore[type-arg]
    with ws.book() as book:
        return book.audit("Q4 2008/09")


def test_a_run_that_reads_nothing_changes_nothing(backend: Backend, tmp_path: Path) -> None:
    ws = _workspace(backend, tmp_path)
    open_period(ws, "Q4 2008/09", deadline=Q4_DEADLINE)
    q4 = ws.period_inbox("Q4 2008/09")
    (q4 / "notes.txt").write_text("not a return")
    (q4 / "broken.docx").write_bytes(b"PK\x03\x04 truncated")
    ws.out.mkdir(parents=True, exist_ok=True)
    (ws.out / "master.xlsx").write_bytes(b"last quarter's master")
    with pytest.raises(PipelineError, match="No return could be read .*1 rejected.*outputs were left"):
        _run(ws, backend)
    assert (ws.out / "master.xlsx").read_bytes() == b"last quarter's master"
    with ws.book() as book:
        assert book.files("Q4 2008/09") == [] and book.store.periods() == []


def test_the_sample_inbox_never_becomes_the_baseline(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(INBOX, inbox)
    ws = Workspace(REGISTER, inbox, tmp_path / "outputs")
    plan = plan_run(ws)
    assert plan.sample and plan.history_file.name == "sample-history.sqlite"
    run_consolidation(plan.inbox, ws.out, REGISTER, exclude=plan.exclude, history_file=plan.history_file)
    assert (ws.out / "sample-history.sqlite").is_file() and not (ws.out / "history.sqlite").exists()
    # The first real quarter has no previous period to be compared with.
    open_period(ws, "Q1 2009/10", deadline=dt.date(2009, 7, 21))
    _copy_return(
        "cdrp-progress-2008-09-Q4.docx",
        ws.period_inbox("Q1 2009/10") / "cdrp.docx",
        dates=("31st March 2009", "30th June 2009"),
    )
    real = plan_run(ws)
    assert not real.sample and real.period == "Q1 2009/10"
    result = run_consolidation(
        real.inbox, ws.out, REGISTER, period=real.period, exclude=real.exclude, history_file=real.history_file
    ).result
    assert result.previous_period == "" and result.changes == []


def test_two_runs_into_one_output_folder_cannot_interleave(tmp_path: Path) -> None:
    from pipeline.run_lock import RunInProgress, run_lock

    with run_lock(tmp_path), pytest.raises(RunInProgress, match="Another consolidation is running"):
        with run_lock(tmp_path):
            pass
    with run_lock(tmp_path):  # released: the next run goes ahead
        pass


def test_a_run_in_another_process_holds_the_lock(tmp_path: Path) -> None:
    import subprocess
    import sys

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time; from pathlib import Path; from pipeline.run_lock import run_lock\n"
                f"with run_lock(Path({str(tmp_path)!r})):\n    print('held', flush=True); time.sleep(30)\n"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        from pipeline.run_lock import RunInProgress, run_lock

        with pytest.raises(RunInProgress, match=r"process \d+, started"), run_lock(tmp_path):
            pass
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    with run_lock(tmp_path):  # a killed run's lock is released by the system
        pass


def test_the_quarter_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    opened = runner.invoke(main, ["period", "open", "quarter 4 08/09", "--deadline", "21/04/2099"])
    assert opened.exit_code == 0, opened.output
    assert opened.output.splitlines()[0] == "Q4 2008/09 is open. Returns are due by Tuesday 21 April 2099."
    _copy_return("cdrp-progress-2008-09-Q4.docx", tmp_path / "inbox" / "2008-09-Q4" / "cdrp.docx")
    done = runner.invoke(main, ["consolidate"])
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[0] == "Period: Q4 2008/09"
    status = runner.invoke(main, ["status", "--queries"])
    assert status.exit_code == 0, status.output
    lines = status.output.splitlines()
    assert lines[0].startswith("Q4 2008/09: Deadline 21 April 2099: ")
    assert any(line.strip().startswith(CDRP) and "to explain" in line for line in lines)
    key = next(line.split()[0] for line in lines if line.startswith("  ") and "Ref 2.3" in line)
    explained = runner.invoke(main, ["explain", key, "Agreed at the board."])
    assert explained.exit_code == 0 and explained.output.startswith(f"Explanation recorded for {key}")
    refused = runner.invoke(main, ["accept", "Healthy City"])
    assert refused.exit_code == 1 and "No return from 'Healthy City' has been read" in refused.output
    bad = runner.invoke(main, ["period", "open", "Q5", "2008/09"])  # typed without quotes
    assert bad.exit_code == 1 and "Write it as one of: Q1 2009/10" in bad.output
    assert "the financial year starting in April" in bad.output
    closed = runner.invoke(main, ["period", "close"])
    assert closed.exit_code == 0 and closed.output.startswith("Q4 2008/09 is closed.")
    listed = runner.invoke(main, ["period", "list"])
    assert listed.output.split()[:2] == ["Q4", "2008/09"] and "closed" in listed.output
    # With no period open, only the periods' folders in the inbox: say what to do.
    nothing = runner.invoke(main, ["consolidate"])
    assert nothing.exit_code == 1 and "No period is open" in nothing.output


def test_periods_listed_and_removed_with_a_confirmation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["period", "open", "Q4 2008/09", "--deadline", "21/04/2099"]).exit_code == 0
    _copy_return("cdrp-progress-2008-09-Q4.docx", tmp_path / "inbox" / "2008-09-Q4" / "cdrp.docx")
    assert runner.invoke(main, ["consolidate"]).exit_code == 0
    listed = runner.invoke(main, ["history", "--periods"])
    assert listed.exit_code == 0 and listed.output.split() == [
        "Q4",
        "2008/09",
        "1",
        "files",
        "4",
        "tasks",
        "open",
    ]
    kept = runner.invoke(main, ["history", "--remove", "end of year 2008/9"], input="n\n")
    assert "Nothing was removed." in kept.output
    removed = runner.invoke(main, ["history", "--remove", "end of year 2008/9"], input="y\n")
    assert removed.exit_code == 0 and "Removed Q4 2008/09 (1 files, 4 tasks" in removed.output
    assert runner.invoke(main, ["history", "--periods"]).output == "No consolidation has been recorded yet.\n"
    from sqlalchemy import func, select

    from pipeline.history.schema import TaskRow
    from pipeline.history.store import open_store

    with open_store(None, tmp_path / "outputs" / "history.sqlite") as store, store.sessions() as session:
        assert session.scalar(select(func.count()).select_from(TaskRow)) == 0


def test_a_group_may_explain_a_query_in_its_comments_column(tmp_path: Path) -> None:
    from pipeline.consolidate.result import Consolidation
    from pipeline.cycle.book import CycleBook
    from pipeline.document import Place
    from pipeline.history.store import open_store
    from pipeline.issues import about_task, make_issue
    from pipeline.records import Status, TaskRecord
    from pipeline.run import attach_explanations

    task = TaskRecord(
        place=Place("cdrp.docx", table=2, row=3),
        task="Hold four community events",
        status=Status.AMBER,
        planned="Rearrange the events",
        group=CDRP,
        ref="2.3b",
        notes="Comments: Venue closed for repairs until May; the board knows.",
    )
    other = TaskRecord(
        place=Place("cdrp.docx", table=2, row=4),
        task="Recruit volunteers",
        status=Status.AMBER,
        group=CDRP,
        ref="2.3c",
    )
    issues = [
        about_task(
            make_issue("planned-action-no-deadline", t.place, task=t.task, status="amber"), t, "planned"
        )
        for t in (task, other)
    ]
    result = Consolidation(period="Q4 2008/09", generated="", tasks=[task, other], issues=issues)
    with open_store(None, tmp_path / "history.sqlite") as store:
        attach_explanations(result, CycleBook(store))
    assert [i.explanation for i in result.issues] == [
        "In the return: Venue closed for repairs until May; the board knows.",
        "",
    ]


def _titled(source: str, to: Path, title: str, dates: tuple[str, str] | None = None) -> Path:
    _copy_return(source, to, dates=dates)
    doc = Document(str(to))
    doc.paragraphs[0].insert_paragraph_before(title)
    doc.save(str(to))
    return to


def test_the_period_a_return_names_comes_before_its_date(tmp_path: Path) -> None:
    from pipeline.consolidate.steps import consolidate

    inbox = tmp_path / "inbox"
    # Dated in September, but titled as the year-end return: its own words decide.
    _titled(
        "cdrp-progress-2008-09-Q4.docx",
        inbox / "cdrp.docx",
        "Year end return 2008/9",
        dates=("31st March 2009", "4th September 2008"),
    )
    assert consolidate(inbox, REGISTER).period == "Q4 2008/09"
    # In the next quarter's run, a return whose title names last quarter is held back.
    _titled(
        "stronger-communities-progress-2008-09-Q4.docx", inbox / "stronger.docx", "Quarter 4 08/09 return"
    )
    _copy_return(
        "cypag-progress-2008-09-Q4.docx", inbox / "cypag.docx", dates=("31st March 2009", "30th June 2009")
    )
    result = consolidate(inbox, REGISTER, period="Q1 2009/10")
    subs = {s.file: s for s in result.submissions}
    assert subs["stronger.docx"].state == SubmissionState.HELD_BACK
    assert subs["stronger.docx"].reason.startswith("for Q4 2008/09 by its own title, not Q1 2009/10")
    assert [i.code for i in result.issues if i.place.file == "stronger.docx"] == ["other-period-named"]


def test_looking_at_the_cycle_leaves_no_database_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for command in (["status"], ["period", "list"], ["accept", "CDRP"], ["period", "close"]):
        done = runner.invoke(main, command)
        assert done.exit_code == 1 and "No period has been opened yet" in done.output, command
    assert not (tmp_path / "outputs").exists()


def test_the_console_says_how_each_return_arrived_in_local_time() -> None:
    from pipeline.console import arrival_words, group_lines
    from pipeline.consolidate.result import Consolidation, Submission, SubmissionState

    mailed = Submission(
        "mail.eml/cdrp.docx",
        "Word progress return",
        SubmissionState.ACCEPTED,
        group=CDRP,
        received="2009-04-14T09:02:00+00:00",
        sent="2009-04-14T09:02:00+00:00",
        sender="cdrp@example.org",
    )
    saved = Submission(
        "health.docx", "Word progress return", "accepted", group=HEALTH, received="2009-04-15T10:30:00",
        sha256="ab12",
    )
    copy = Submission(
        "health (2).docx",
        "Word progress return",
        "superseded",
        group=HEALTH,
        reason="an identical copy of health.docx (same content)",
        received="2009-04-15T10:31:00",
        sha256="ab12",
    )
    held = Submission(
        "stronger-old.docx",
        "Word progress return",
        "held back",
        group=STRONGER,
        reason="dated 4th September 2008, in Q2 2008/09, not Q4 2008/09: not counted.",
    )
    local = dt.datetime(2009, 4, 14, 9, 2, tzinfo=dt.UTC).astimezone()
    assert arrival_words(mailed) == f"e-mailed {local.day} {local:%b %Y %H:%M} by cdrp@example.org"
    assert arrival_words(saved) == "the file's date 15 Apr 2009 10:30"
    result = Consolidation(
        "Q4 2008/09", "", submissions=[mailed, saved, copy, held], groups=[CDRP, HEALTH, STRONGER]
    )
    lines = group_lines(result, {})
    assert (
        "received: health.docx (the file's date 15 Apr 2009 10:30) "
        "(also received as identical copies: health (2).docx)" in lines[2]
    )
    assert "MISSING: stronger-old.docx held back as dated for another period" in lines[3]


@pytest.mark.parametrize(("today", "words"), [
    (dt.date(2009, 4, 16), "Deadline 21 April 2009: 5 days left"),
    (dt.date(2009, 4, 20), "Deadline 21 April 2009: 1 day left"),
    (dt.date(2009, 4, 21), "Deadline 21 April 2009: today"),
    (dt.date(2009, 4, 22), "Deadline 21 April 2009: passed 1 day ago"),
    (dt.date(2009, 5, 4), "Deadline 21 April 2009: passed 13 days ago"),
    (dt.date(2009, 5, 5), "Deadline 21 April 2009: passed 2 weeks ago"),
    (dt.date(2009, 7, 14), "Deadline 21 April 2009: passed 12 weeks ago"),
    (dt.date(2026, 11, 30), "Deadline 21 April 2009: passed"),
])
def test_the_deadline_in_words_from_days_left_to_long_past(today: dt.date, words: str) -> None:
    """An old period looked back on says 'passed', not 'passed 6432 days ago'."""
    period = PeriodInfo("Q4 2008/09", dt.date(2009, 4, 21), dt.datetime(2009, 3, 1), "officer")
    assert Tracker(period, today).deadline_words() == words


def test_the_latest_explanation_is_found_whether_few_or_many_keys_are_asked_about(tmp_path: Path) -> None:
    import datetime as dt

    from sqlalchemy.orm import Session

    from pipeline.cycle.book import CycleBook
    from pipeline.history.schema import ExplanationRow
    from pipeline.history.store import open_store

    given = dt.datetime(2009, 4, 1, tzinfo=dt.UTC)
    with open_store(None, tmp_path / "history.sqlite") as store:
        with Session(store.engine) as session, session.begin():
            session.add_all([
                ExplanationRow(key="aaaa0001", period_label="Q3 2008/09", text="first", given_at=given),
                ExplanationRow(key="aaaa0001", period_label="Q4 2008/09", text="second",
                               given_at=given + dt.timedelta(days=90)),
                ExplanationRow(key="bbbb0002", period_label="Q4 2008/09", text="booked", given_at=given),
                ExplanationRow(key="cccc0003", period_label="Q4 2008/09", text="other", given_at=given),
            ])
        book = CycleBook(store)
        # Fewer keys than explanations given: each key is looked up.
        assert book.explanations(["aaaa0001"]) == {"aaaa0001": "second"}
        # More keys than explanations given: all are read once and the keys picked out.
        assert book.explanations(["aaaa0001", "bbbb0002", "x1", "x2", "x3"]) == {
            "aaaa0001": "second", "bbbb0002": "booked"}
        assert book.explanations([]) == {}
