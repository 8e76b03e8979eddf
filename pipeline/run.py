"""The whole consolidation as the officer runs it: read, compare with history, write, remember."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.consolidate.merge import combine
from pipeline.consolidate.read import PARALLEL_FROM, ProgressCallback
from pipeline.consolidate.result import Consolidation, FileResult, SubmissionState
from pipeline.consolidate.steps import read_returns
from pipeline.errors import PipelineError
from pipeline.heap import collector_paused, frozen_heap
from pipeline.issues import Issue, Severity
from pipeline.publish import AfterReport, ensure_output_folder, write_outputs
from pipeline.records import TaskRecord
from pipeline.register import Register
from pipeline.run_lock import run_lock
from pipeline.side_process import SideProcess, StandbyProcess, Submitted, can_fork
from pipeline.timings import step
from pipeline.words import plural
from pipeline.workdirs import work_dir

if TYPE_CHECKING:
    from pipeline.cycle.book import CycleBook
    from pipeline.history.store import HistoryStore
    from pipeline.outbox.reminders import SentReminder
    from pipeline.register_file import ChecksEntry


@dataclass
class RunResult:
    """What one run produced: the consolidation and the files written."""

    result: Consolidation
    written: list[Path] = field(default_factory=list)
    history: str = ""
    """Where the run was recorded, in words; empty when history was off."""
    reminders: dict[str, Path] = field(default_factory=dict)
    """The reminder written for each missing group, by the group's name."""
    reminders_recently_sent: dict[str, SentReminder] = field(default_factory=dict)
    """The missing groups sent the same reminder within the register's interval: no new draft."""
    feedback: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Lines for the officer about the outputs (how to get the PDF when it was not made)."""
    last_returns: dict[str, Any] = field(default_factory=dict)
    """Each missing group's last recorded return (`pipeline.history.returns.LastReturn`): the
    format and tasks its reminder's template is made in."""


def write_mail(run: RunResult, register: Register, out: Path, *, feedback: bool,
               deadline: dt.date | None = None, sender: str | None = None,
               today: dt.date | None = None) -> None:
    """Write a reminder for each missing group and, when asked, feedback for each group that sent
    something: ready-to-send .eml files under OUT/reminders and OUT/feedback. A reminder is a
    request up to the deadline and an overdue notice after it (copied to the chair once long
    overdue), counted from ``today``."""
    from pipeline.outbox.reminders import write_reminders

    sender = sender or register.officer
    today = today or dt.date.today()
    deadline = deadline or today + dt.timedelta(days=register.reminder_days)
    try:
        reminders = write_reminders(run.result, register, out, deadline, sender, today=today,
                                    last_returns=run.last_returns)
        run.reminders = reminders.written
        run.reminders_recently_sent = reminders.recently_sent
        if feedback:
            from pipeline.outbox.feedback import write_feedback

            run.feedback = write_feedback(run.result, register, out, sender)
    except OSError as exc:
        from pipeline.errors import os_reason
        from pipeline.publish import OutputError

        raise OutputError(f"The outputs were written, but the reminders and feedback e-mails "
                          f"could not be written in {out}: {os_reason(exc)}. Free some space or "
                          "fix the folder, then run again.") from exc


@dataclass
class LastPeriod:
    """Last period's tasks, and which of them is which of this period's (matched once)."""

    tasks: list[TaskRecord] = field(default_factory=list)
    pairs: list[tuple[int, int]] = field(default_factory=list)
    """(index in `tasks`, index in this period's tasks) of each task found in both."""


def attach_history(result: Consolidation, store: HistoryStore) -> LastPeriod:
    """Give the consolidation what the history knows: last period, each task's change and
    direction of travel, and the earlier periods' statuses for the board pack and Trend sheet.
    Returns last period's tasks matched to this period's (none when no earlier period is recorded)."""
    from pipeline.history.changes import apply_directions, compare
    from pipeline.history.matching import match_tasks
    from pipeline.history.trend import read_trend

    # Last period's tasks, the changes and the trend's lines are many objects and no garbage
    # worth collecting: each full collection while they are made walked all of them (ten times
    # at 2,000 returns, freeing nothing; the step took 1.0 s there, 0.7 s paused). Last period's
    # tasks are freed before the outputs are written (`run_consolidation`), the rest live to the
    # run's end.
    with collector_paused(made_to_last=True):
        previous = store.previous_period(result.period)
        last = LastPeriod()
        if previous:
            result.previous_period = previous
            last.tasks = store.tasks_of(previous)
            last.pairs = match_tasks(last.tasks, result.tasks)
            result.changes = compare(last.tasks, result.tasks, awaiting=result.missing_groups,
                                     pairs=last.pairs)
            apply_directions(result.tasks, result.changes)
        result.trend = read_trend(store, result.period, {previous: last.tasks} if previous else None)
    return last


#: From this many tasks the schemas check them in a child process while the history is compared
#: (`validate_alongside`); fewer take less time than starting one.
VALIDATE_ALONGSIDE_FROM = 2_000


def validate_alongside(results: list[FileResult], result: Consolidation, register: Register,
                       standby: StandbyProcess | None = None) -> SideProcess | Submitted:
    """Start validating the merged records (`merge.validation_issues`) in another process, on
    the core that comparing with the history leaves idle; its `result()` is the issues to add to
    the consolidation's, in order. A large run's child is forked now, sharing the records; it
    sends back only the issues (a county's 30,000 tasks take about half a second to validate
    and a tenth of that to send). A small run's records are sent to the `standby` child."""
    if standby is not None:
        return standby.submit(_validation, results, result, register)
    return SideProcess(functools.partial(_validation, results, result, register),
                       in_child=len(result.tasks) >= VALIDATE_ALONGSIDE_FROM)


def _validation(results: list[FileResult], result: Consolidation, register: Register) -> list[Issue]:
    from pipeline.consolidate.merge import validation_issues

    with step("validation (alongside)"):
        return validation_issues(results, result, register)


#: A run started beside a `StandbyProcess` uses it when its inbox holds fewer entries than this
#: (counted before reading; an e-mail counts once, its attachments not): as few as are read in
#: one worker process (`PARALLEL_FROM`). Its records are few to send, and sent to a child that
#: has loaded pandas and pandera already. A larger run reads on every core, loads them while
#: it reads, and validates in a child forked with its records.
SMALL_RUN_ENTRIES = PARALLEL_FROM


def _loading_ahead(standby: StandbyProcess | None) -> functools.partial[None]:
    """What this process loads while the returns are read (`preload.load_ahead`): what the
    steps after reading use; what validating takes unless the `standby` child validates; the
    report's writer when the run is small (its child, forked from this process, starts with it)."""
    from pipeline.preload import load_ahead

    return functools.partial(load_ahead, validation=standby is None, report=standby is not None)


def _standing_by_for(standby: StandbyProcess | None, inbox: Path) -> StandbyProcess | None:
    """The standby child, for a run small enough to send it its records; a larger run's is
    closed at once (its reading wants every core)."""
    if standby is None or not standby.ready:
        return None
    try:
        with os.scandir(inbox) as entries:
            small = sum(1 for _ in itertools.islice(entries, SMALL_RUN_ENTRIES)) < SMALL_RUN_ENTRIES
    except OSError:
        small = True  # reading says what is wrong with the inbox
    if small:
        return standby
    standby.close()
    return None


#: From this many tasks a SQLite history's record is staged in the report's child process
#: (`stage_quietly`); fewer take less time to record than to stage.
STAGE_RECORD_FROM = 2_000


def stage_record_worthwhile(store: HistoryStore, result: Consolidation) -> bool:
    """Whether to stage the run's record in the report's child (`history.staging`): in a SQLite
    history, for a large run, where the report is written in a child at all."""
    return (store.engine.dialect.name == "sqlite" and len(result.tasks) >= STAGE_RECORD_FROM
            and can_fork())


def stage_quietly(result: Consolidation, folder: Path) -> Path | None:
    """The run's record staged in `folder` (`history.staging.stage_record`), in the report's child
    once the report is written: the rows pass through Python there, on the core the master
    workbook leaves idle, and recording copies them in after publishing. None when staging
    failed for a reason of the machine's (its disk full, say): the record is made as before."""
    from pipeline.history.staging import stage_record

    with step("record staged (alongside)"):
        try:
            return stage_record(result, folder / "record.sqlite")
        except (OSError, sqlite3.Error):
            return None


def match_trend_alongside(result: Consolidation) -> SideProcess:
    """Start matching the run's tasks to the earlier periods' lines (the Trend sheet's status
    strips: `Trend.lines_of`) in a child process, on the core the steps before the outputs leave
    idle; its `result()` is the matching. With no earlier period there is nothing to match."""
    trend = result.trend
    return SideProcess(functools.partial(trend.lines_of, result.tasks), in_child=bool(trend.lines))


def add_status_queries(result: Consolidation, register: Register, last: LastPeriod | None = None,
                       *, standby: StandbyProcess | None = None) -> None:
    """Add the register's automatic status checks (``[checks]``) to the consolidation's issues
    (made in the `standby` child when given)."""
    last = last or LastPeriod()
    found = register.calendar.find_in(result.period)
    arguments = (result.tasks, last.tasks, result.period, found.end if found else None,
                 result.previous_period, register.checks, last.pairs)
    result.issues += (standby.submit(_status_queries, *arguments).result() if standby is not None
                      else _status_queries(*arguments))


def _status_queries(tasks: list[TaskRecord], previous: list[TaskRecord], period: str,
                    period_end: dt.date | None, previous_period: str, checks: ChecksEntry,
                    pairs: list[tuple[int, int]]) -> list[Issue]:
    """`validate.check_statuses`, imported where it runs: sent to a standby child by its name,
    this function does not make this process load pandas."""
    from pipeline.validate import check_statuses

    return check_statuses(tasks, previous, period=period, period_end=period_end,
                          previous_period=previous_period, checks=checks, pairs=pairs)


class NothingRead(PipelineError):
    """No return could be read: the outputs are left as they were and nothing is recorded."""


def run_consolidation(inbox: Path, out: Path, register: Register, *, period: str | None = None,
                      db: str | None = None, history: bool = True,
                      on_file: ProgressCallback | None = None, workers: int | None = None,
                      exclude: Iterable[Path] = (), history_file: Path | None = None,
                      pdf: bool = True, standby: StandbyProcess | None = None) -> RunResult:
    """Consolidate the inbox, mark each task's change since the last recorded period, write both
    outputs (and, with `pdf`, the report as PDF), then record the run (only once the outputs are
    safely written).

    With history, a closed period is refused before anything is read, returns the officer
    counted for the period are read in, and explanations given for queries (this period or
    before) are attached. A run that reads no return changes nothing. One run at a time writes
    into an output folder.

    `standby`, a child started with `preload.load_validation` as early as the command could (so that
    pandas and pandera load on the core the start leaves idle), validates a small run's records
    and makes its status checks; this process then never loads them. A larger run closes it
    (see `_standing_by_for`).
    """
    from pipeline.folders import DEFAULT_HISTORY_FILE, check_apart

    if Path(inbox).is_dir():  # a missing inbox is reported as such by consolidate
        database = db or (str(history_file) if history_file else None)
        check_apart(inbox, out, database if history else None)
    ensure_output_folder(out)
    # What is read lives to the run's end: the collector need not walk it (nor the libraries).
    with run_lock(out), frozen_heap():
        notes: list[str] = []
        checks = _standing_by_for(standby, inbox)
        if not history:
            results, label = read_returns(inbox, register, period=period, exclude=[out, *exclude],
                                          on_file=on_file, workers=workers,
                                          meanwhile=_loading_ahead(checks))
            with step("merge"):
                result = combine(results, register, label)
            _refuse_empty(result, inbox)
            with frozen_heap():  # what was merged, too
                validation = validate_alongside(results, result, register, checks)
                try:
                    result.issues += validation.result()
                finally:
                    validation.cancel()
                with step("checks"):
                    add_status_queries(result, register, standby=checks)
                with step("outputs"):
                    written = write_outputs(result, out, notes, pdf=pdf)
                return RunResult(result, written, notes=notes)
        from pipeline.cycle.book import CycleBook
        from pipeline.cycle.records import COUNTED
        from pipeline.history.store import history_failure, open_store

        with open_store(db, history_file or out / DEFAULT_HISTORY_FILE) as store, history_failure(store.url):
            book = CycleBook(store)
            count_anyway: set[str] = set()
            if period:
                label = register.calendar.parse(period).label
                book.check_writable(label)
                count_anyway = {a.sha256 for a in book.acceptances(label) if a.kind == COUNTED}
            results, label = read_returns(inbox, register, period=period, exclude=[out, *exclude],
                                          on_file=on_file, workers=workers, count_anyway=count_anyway,
                                          meanwhile=_loading_ahead(checks))
            with step("merge"):
                result = combine(results, register, label)
            _refuse_empty(result, inbox)
            book.check_writable(result.period)
            with frozen_heap():  # what was merged, too
                validation = validate_alongside(results, result, register, checks)
                try:
                    with step("history"):
                        last_period = attach_history(result, store)
                    result.issues += validation.result()
                finally:
                    validation.cancel()
                trend_matching = match_trend_alongside(result)
                try:
                    with step("checks"):
                        add_status_queries(result, register, last_period, standby=checks)
                        attach_explanations(result, book)
                        attach_tracker(result, register, book)
                        result.trend.lines_of_run = trend_matching.result()
                finally:
                    trend_matching.cancel()
                # Last period's tasks have served (changes, directions, status checks): let them
                # go before the outputs, whose child shares this process's pages.
                del last_period
                with work_dir("record") as scratch:
                    staged: list[Path | None] = []
                    after_report = (AfterReport(functools.partial(stage_quietly, result, scratch),
                                                staged.append)
                                    if stage_record_worthwhile(store, result) else None)
                    with step("outputs"):
                        written = write_outputs(result, out, notes, pdf=pdf, after_report=after_report)
                    with step("record"):
                        store.record(result, staged=staged[0] if staged else None)
                book.log("", "consolidated", result.period, detail=_audit_line(result))
                where = store.url
                from pipeline.history.returns import last_returns

                last = last_returns(store, result.missing_groups)
        return RunResult(result, written, where, notes=notes, last_returns=last)


def attach_explanations(result: Consolidation, book: CycleBook) -> None:
    """Mark each query that has an explanation: one recorded by the officer (this period, or for
    the same query on the same task before), else the group's own words in a Comments column of
    the task's row. It is shown with the query, and the query is not raised as new."""
    open_queries = {i: issue.key for i, issue in enumerate(result.issues)
                    if issue.severity is Severity.QUERY and not issue.explanation}
    known = book.explanations(open_queries.values())
    comments = _comments_by_task(result)
    explained = []
    for i, issue in enumerate(result.issues):
        if i in open_queries:
            text = known.get(open_queries[i]) or comments.get((issue.group, issue.ref, issue.task), "")
            if text:
                issue = replace(issue, explanation=text)
        explained.append(issue)
    result.issues = explained


#: The headings a return's own explanation of a task is written under.
_COMMENT_HEADINGS = ("comments", "comment", "additional comments", "remarks", "explanation")


def _comments_by_task(result: Consolidation) -> dict[tuple[str, str, str], str]:
    """What each task's Comments column says, by (group, Ref, wording): the group's own
    explanation of a query on that task."""
    found: dict[tuple[str, str, str], str] = {}
    for task in result.tasks:
        for line in task.notes.splitlines():
            heading, _, text = line.partition(":")
            if text.strip() and heading.strip().lower() in _COMMENT_HEADINGS:
                found[(task.group, task.ref, task.task)] = f"In the return: {text.strip()}"
    return found


def attach_tracker(result: Consolidation, register: Register, book: CycleBook) -> None:
    """When the period was opened in the cycle: the tracker for the workbook, and the late and
    not-yet-accepted groups for the report's cover."""
    from pipeline.cycle.tracker import GroupState, tracker_of_run

    info = book.period(result.period)
    if info is None:
        return
    tracker = tracker_of_run(register, info, result, book.acceptances(result.period))
    result.tracker = tracker
    result.late_groups = [r.group for r in tracker.rows if r.late]
    result.unaccepted_groups = [r.group for r in tracker.rows
                                if r.state not in (GroupState.ACCEPTED, GroupState.REQUESTED)]


def _audit_line(result: Consolidation) -> str:
    """What a consolidation found, for the audit trail: the account and the problems raised."""
    count = {s: sum(1 for i in result.issues if i.severity is s) for s in Severity}
    explained = sum(1 for i in result.issues if i.severity is Severity.QUERY and i.explanation)
    return (f"{result.reconciliation.line()} Raised: {plural(count[Severity.ERROR], 'error')}, "
            f"{plural(count[Severity.QUERY], 'query')} ({explained} explained), "
            f"{plural(count[Severity.WARNING], 'warning')}.")


def _refuse_empty(result: Consolidation, inbox: Path) -> None:
    """A run that read no return must not replace last run's outputs with empty ones."""
    if result.tasks or result.plans or any(s.state == SubmissionState.ACCEPTED and s.rows
                                           for s in result.submissions):
        return
    rec = result.reconciliation
    found = (f"{plural(rec.files_found, 'file')} found"
             + (f", {rec.files_rejected} rejected" if rec.files_rejected else "")
             + (f", {rec.files_skipped} skipped" if rec.files_skipped else "")
             + (f", {rec.files_held_back} held back as dated for another period"
                if rec.files_held_back else ""))
    raise NothingRead(f"No return could be read from {inbox} ({found}), so the outputs were left as they "
                      "were and nothing was recorded. Put the groups' returns in that folder (or correct "
                      "the rejected ones) and run again.")
