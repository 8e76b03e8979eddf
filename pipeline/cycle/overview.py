"""The quarter at a glance and its last consolidation, read back from the history with the store
opened once: what the officer's page and `pipeline status` show, so both say the same.

- `quarter_overview`: the tracker with its deadline, the queries still to explain, the audit
  trail, and each group's tasks by status this period against the last.
- `last_run`: the period's last consolidation as it was recorded (each file's fate, its tasks,
  its problems) and the outputs it wrote, so a page started after the run shows it again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.consolidate.result import Consolidation, Submission, SubmissionState
from pipeline.cycle.book import CycleBook
from pipeline.cycle.records import AuditEntry, PeriodInfo, RecordedFile, RecordedIssue
from pipeline.cycle.tracker import Tracker, build_tracker
from pipeline.cycle.workspace import Workspace
from pipeline.records import EXCEPTION_STATUSES, Status, TaskRecord
from pipeline.words import plural

if TYPE_CHECKING:
    from pipeline.document import Place
    from pipeline.history.store import HistoryStore
    from pipeline.run import RunResult

#: Seconds an output file may be dated after its run was recorded and still be that run's (the
#: outputs are published before the record is written, so a later date means a later run).
_OUTPUT_CLOCK_SLACK = 2.0


@dataclass(frozen=True)
class RecordedRun:
    """A period's last consolidation as the history keeps it."""

    period: str
    recorded_at: dt.datetime
    files: list[RecordedFile]
    """Each inbox file and what became of it (one per content: copies are named in its reason)."""
    tasks: list[TaskRecord]
    issues: list[RecordedIssue]

    def severities(self) -> Counter[str]:
        """The problems counted by severity."""
        return Counter(i.severity for i in self.issues)

    def line(self) -> str:
        """'Last consolidated 30 Nov 2026 12:04: 2 files, 9 tasks; 0 errors, 5 queries (1 explained),
        1 warning.'"""
        count = self.severities()
        explained = sum(1 for i in self.issues if i.severity == "query" and i.explanation)
        return (f"Last consolidated {self.recorded_at.astimezone():%d %b %Y %H:%M}: "
                f"{plural(len(self.files), 'file')}, {plural(len(self.tasks), 'task')}; "
                f"{plural(count['error'], 'error')}, {plural(count['query'], 'query')} "
                f"({explained} explained), {plural(count['warning'], 'warning')}.")


@dataclass
class QuarterOverview:
    """Everything the quarter's page shows of a period, from one reading of the history."""

    period: str = ""
    """The period shown; empty when nothing has been opened or recorded."""
    info: PeriodInfo | None = None
    """The period as the cycle keeps it, when it was opened in the cycle."""
    tracker: Tracker | None = None
    queries: list[RecordedIssue] = field(default_factory=list)
    """Its queries still waiting for an explanation."""
    audit: list[AuditEntry] = field(default_factory=list)
    counts: dict[str, Counter[Status | None]] = field(default_factory=dict)
    """Each group's tasks by status in this period's last consolidation."""
    previous_period: str | None = None
    previous_counts: dict[str, Counter[Status | None]] = field(default_factory=dict)
    previous_tasks: list[TaskRecord] = field(default_factory=list)
    last_run: RecordedRun | None = None
    """The period's last consolidation, when it has been consolidated."""
    history: Path | None = None
    """The SQLite file read (None for a database URL): the sample's own for the sample inbox."""
    periods: list[PeriodInfo] = field(default_factory=list)
    """Every period opened in the cycle, open or closed, in the order they were opened."""

    @property
    def closed(self) -> list[PeriodInfo]:
        """The periods closed, latest first: what may be reopened."""
        return [p for p in reversed(self.periods) if not p.is_open]


def quarter_overview(
    ws: Workspace, label: str | None = None, *, today: dt.date | None = None
) -> QuarterOverview:
    """The named period, else the open one, else the last one recorded: its tracker, deadline and
    days left, open queries, audit trail, each group's tasks by status against the period before,
    and its last consolidation. Empty when there is no history yet.

    The partnership's history is read first; the shipped sample inbox (with no period open) has
    a history of its own, read as `pipeline consolidate` records into it.
    """
    wanted = ws.register.calendar.parse(label).label if label else None
    periods: list[PeriodInfo] = []
    for db, path in _histories(ws):
        with _opened(db, path) as store:
            book = CycleBook(store)
            periods = periods or book.periods()
            info = book.period(wanted) if wanted else book.current()
            chosen = info.label if info is not None else wanted or _latest(store)
            if chosen is None or (info is None and chosen not in store.periods()):
                continue
            overview = _overview(ws, store, book, chosen, info, today, None if db else path)
            overview.periods = periods
            return overview
    return QuarterOverview(period=wanted or "", periods=periods)


def _overview(ws: Workspace, store: HistoryStore, book: CycleBook, label: str, info: PeriodInfo | None,
              today: dt.date | None, path: Path | None) -> QuarterOverview:
    from pipeline.history.counts import status_counts

    files = book.files(label)
    issues = book.issues(label)
    tasks = store.tasks_of(label)
    recorded = book.last_run(label)
    previous = store.previous_period(label)
    before = store.tasks_of(previous) if previous else []
    overview = QuarterOverview(
        period=label, info=info, queries=[i for i in issues if i.severity == "query" and not i.explanation],
        audit=book.audit(label), counts=status_counts(tasks), previous_period=previous,
        previous_counts=status_counts(before), previous_tasks=before, history=path)
    if recorded is not None:
        overview.last_run = RecordedRun(label, _aware(recorded), files, tasks, issues)
    if info is not None:
        from pipeline.cycle.actions import arrived_since

        arrived = arrived_since(ws, ws.period_inbox(label), {f.sha256 for f in files if f.sha256})
        overview.tracker = build_tracker(ws.register, info, files, book.acceptances(label),
                                         last_run=recorded, arrived=arrived, today=today)
    return overview


def history_in_use(ws: Workspace) -> tuple[str | None, Path] | None:
    """The history the quarter is read from, as (database URL, SQLite file): the partnership's,
    else the sample inbox's own; None before anything was recorded."""
    return next(_histories(ws), None)


def _histories(ws: Workspace) -> Iterator[tuple[str | None, Path]]:
    """The histories a consolidation of this workspace records into, the partnership's first."""
    if ws.has_history:
        yield ws.db, ws.history_file()
    sample = ws.history_file(ws.inbox_root)
    if ws.is_sample(ws.inbox_root) and sample.is_file():
        yield None, sample


@contextmanager
def _opened(db: str | None, path: Path) -> Iterator[HistoryStore]:
    from pipeline.history.store import history_failure, open_store

    with open_store(db, path) as store, history_failure(store.url):
        yield store


def _latest(store: HistoryStore) -> str | None:
    periods = store.periods()
    return periods[-1] if periods else None



def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class WrittenOutputs:
    """The files of a recorded run still in the output folder, and the messages waiting to be sent."""

    files: list[Path] = field(default_factory=list)
    """master.xlsx, exceptions.docx and the PDF, as that run published them."""
    reminders: list[Path] = field(default_factory=list)
    feedback: list[Path] = field(default_factory=list)


def written_outputs(out: Path, run: RecordedRun) -> WrittenOutputs:
    """The outputs in `out` that the recorded run published (none a later run has replaced since),
    and the reminders and feedback waiting there, as `pipeline send` finds them."""
    from pipeline.outbox.send import list_messages
    from pipeline.publish import OUTPUTS

    latest = run.recorded_at.timestamp() + _OUTPUT_CLOCK_SLACK
    paths = [out / name for name in OUTPUTS]
    files = [p for p in paths if p.is_file() and p.stat().st_mtime <= latest]
    waiting = list_messages(out) if out.is_dir() else []
    return WrittenOutputs(files, [m.path for m in waiting if m.kind == "reminder"],
                          [m.path for m in waiting if m.kind == "feedback"])


def restored_run(ws: Workspace, overview: QuarterOverview) -> RunResult | None:
    """The period's last recorded consolidation as a `RunResult`, so that a page started after the
    run shows it as it showed its own: each file's fate, the tasks, the problems (each at its place),
    the changes since the period before, and the outputs and messages still in the output folder.
    What the history does not keep (action-plan rows, the run's row counts) is said in its notes."""
    from pipeline.consolidate.result import Reconciliation
    from pipeline.history.changes import compare
    from pipeline.issues import Issue, Severity
    from pipeline.run import RunResult

    run = overview.last_run
    if run is None:
        return None
    groups = [g.name for g in ws.register.groups]
    unreadable = {i.file for i in run.issues if i.code == _UNREADABLE_FORMAT}
    received = {f.group for f in run.files
                if (f.status == SubmissionState.ACCEPTED and f.rows)
                or (f.status == SubmissionState.REJECTED and f.file in unreadable)}
    statuses = Counter(f.status for f in run.files)
    result = Consolidation(
        period=run.period,
        generated=run.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M"),
        submissions=[Submission(f.file, f.kind, SubmissionState(f.status), f.reason, f.group, f.rows,
                                f.received, f.sender, f.sha256) for f in run.files],
        tasks=list(run.tasks),
        issues=[Issue(i.code, place_from_words(i.file, i.location), i.message, Severity(i.severity),
                      i.advice, i.group, i.ref, i.task, i.column, i.explanation) for i in run.issues],
        groups=groups,
        missing_groups=[g for g in groups if g not in received],
        reconciliation=Reconciliation(
            files_found=len(run.files), files_read=statuses[SubmissionState.ACCEPTED],
            files_rejected=statuses[SubmissionState.REJECTED],
            files_skipped=statuses[SubmissionState.SKIPPED],
            files_superseded=statuses[SubmissionState.SUPERSEDED],
            files_held_back=statuses[SubmissionState.HELD_BACK], rows_read=len(run.tasks),
            rows_written=len(run.tasks),
            exceptions=sum(1 for t in run.tasks if t.status in EXCEPTION_STATUSES)),
        previous_period=overview.previous_period or "",
    )
    if overview.previous_period:
        result.changes = compare(overview.previous_tasks, result.tasks, awaiting=result.missing_groups)
    outputs = written_outputs(ws.out, run)
    when = run.recorded_at.astimezone()
    notes = [f"Consolidated on {when:%d %B %Y at %H:%M} and read back from the history: action-plan "
             "rows are in master.xlsx's Action plan sheet."]
    return RunResult(result, outputs.files, history=str(overview.history or ws.db or ""),
                     reminders={p.stem: p for p in outputs.reminders}, feedback=outputs.feedback, notes=notes)


def place_from_words(file: str, words: str) -> Place:
    """The place a problem was recorded at, from its words (`Place.describe`): 'table 3, row 2,
    column 5', "'Outcome 2.1'!D14", "sheet 'Summary'", 'paragraph 4', 'page 2, table 1, row 3'
    or 'whole file'."""
    from pipeline.document import Place

    sheet = _SHEET_CELL.fullmatch(words)
    if sheet:
        name = sheet.group(1).replace("''", "'")
        return Place(file, sheet=name, cell=sheet.group(2))
    sheet = _SHEET.fullmatch(words)
    if sheet:
        return Place(file, sheet=sheet.group(1).replace("''", "'"))
    parts = dict(_PART.findall(words))
    if not parts or ", ".join(f"{k} {v}" for k, v in _PART.findall(words)) != words:
        return Place(file)
    number = {k: int(v) for k, v in parts.items()}
    return Place(file, table=number.get("table"), row=number.get("row"), column=number.get("column"),
                 paragraph=number.get("paragraph"), page=number.get("page"))


_SHEET_CELL = re.compile(r"'((?:[^']|'')*)'!([A-Z]{1,3}[0-9]+)")
_SHEET = re.compile(r"sheet '((?:[^']|'')*)'")
_PART = re.compile(r"(page|table|row|column|paragraph) ([0-9]+)")
#: A return in a format that cannot be read (a scanned PDF): its group has sent it, so is not missing
#: (as the consolidation counts it).
_UNREADABLE_FORMAT = "unreadable-pdf"


@dataclass
class GroupReturns:
    """One group's row on the quarter page: its returns, its state in words, its counts."""

    group: str
    state: str
    """``received``, ``resubmitted``, ``not read``, ``held back`` or ``missing``."""
    returns: list[tuple[int, Submission]] = field(default_factory=list)
    """(index in the run's submissions, submission) of each file from this group."""
    counts: list[int] = field(default_factory=list)
    """Tasks by status (`COUNTED` order) this period."""
    previous: list[int] | None = None
    """The same last period, when one was recorded."""


def group_returns(result: Consolidation, counts: dict[str, Counter[Status | None]],
                previous: dict[str, Counter[Status | None]] | None) -> list[GroupReturns]:
    """Each group of the register (and any other that sent tasks) with what it sent in the run and
    its tasks by status, against `previous` (the period before) when there is one."""
    from pipeline.history.counts import COUNTED

    lines = []
    for group in dict.fromkeys([*result.groups, *counts]):
        subs = [(i, s) for i, s in enumerate(result.submissions) if s.group == group and s.kind != "E-mail"]
        live = [s for _, s in subs if s.state is SubmissionState.ACCEPTED]
        if live:
            resubmitted = any(s.state is SubmissionState.SUPERSEDED for _, s in subs)
            state = "resubmitted" if resubmitted else "received"
        elif any(s.state is SubmissionState.REJECTED for _, s in subs):
            state = "not read"
        else:
            state = "held back" if any(s.state is SubmissionState.HELD_BACK for _, s in subs) else "missing"
        mine = counts.get(group, Counter())
        before = previous.get(group, Counter()) if previous else None
        lines.append(GroupReturns(group, state, subs, [mine[s] for s in COUNTED],
                               [before[s] for s in COUNTED] if before is not None else None))
    return lines
