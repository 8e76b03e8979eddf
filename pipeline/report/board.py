"""What the board pack says, worked out from a consolidation: pure functions, no Word in sight.

The exceptions report (`exceptions_report`) lays these out; tests check them directly too.
History (the previous period's statuses, the run of periods at amber or red, last period's
counts) comes from `Consolidation.changes` and `Consolidation.trend`, set by `run.attach_history`;
without history each of them is simply left out, never guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import parseaddr

from pipeline.consolidate.result import Consolidation, SubmissionState
from pipeline.issues import Severity
from pipeline.records import EXCEPTION_STATUSES, Status, TaskRecord

UNIDENTIFIED = "Group not identified"
#: The headline table's statuses, in the order the partnership counts them.
HEADLINE: tuple[Status, ...] = (Status.GREEN, Status.AMBER, Status.RED, Status.ACHIEVED)
_CLEARED = (Status.GREEN, Status.ACHIEVED)


@dataclass(frozen=True)
class ReturnCounts:
    """The returns of the period, for the cover."""

    expected: int
    received: int
    missing: list[str]
    late: int | None = None
    """Returns that came in after the deadline; None until the cycle records deadlines."""
    not_accepted: int | None = None
    """Returns received but not yet accepted; None until the cycle records acceptance."""


def return_counts(result: Consolidation) -> ReturnCounts:
    """Groups expected, returns received and missing, and (when the cycle knows them) late ones."""
    missing = list(result.missing_groups)
    expected = len(result.groups)
    late, not_accepted = cycle_counts(result)
    return ReturnCounts(expected, expected - len(missing), missing, late, not_accepted)


def cycle_counts(result: Consolidation) -> tuple[int | None, int | None]:
    """(late, not yet accepted) returns, when the period is in the quarterly cycle (None when
    not: the cover then leaves those lines out)."""
    late = None if result.late_groups is None else len(result.late_groups)
    unaccepted = None if result.unaccepted_groups is None else len(result.unaccepted_groups)
    return late, unaccepted


def produced_by(result: Consolidation) -> str:
    """The officer who produced the report, as 'Name (address)' from the register's officer."""
    name, address = parseaddr(result.officer)
    if name and address:
        return f"{name} ({address})"
    return name or address or result.officer.strip()


def group_of(task: TaskRecord) -> str:
    """The group a task is reported under; tasks whose group is unknown are kept too."""
    return task.group or UNIDENTIFIED


def groups_in_order(result: Consolidation) -> list[str]:
    """The register's groups, then any group a task names that the register does not know."""
    names = dict.fromkeys(result.groups)  # a dict keeps the order and finds a name at once
    for task in result.tasks:
        names.setdefault(group_of(task))
    return list(names)


@dataclass
class HeadlineRow:
    """Tasks by status for one group (or the total): this period, and last period when known."""

    group: str
    now: Counter[Status | None] = field(default_factory=Counter)
    last: Counter[Status | None] | None = None


def headline(result: Consolidation) -> tuple[list[HeadlineRow], HeadlineRow]:
    """One row per group (register order) and the total; `last` is None when no period is recorded."""
    trend = result.trend
    previous = result.previous_period
    known_last = trend is not None and previous in getattr(trend, "periods", [])
    rows = {name: HeadlineRow(name) for name in groups_in_order(result)}
    for task in result.tasks:
        rows[group_of(task)].now[task.status] += 1
    total = HeadlineRow("Total")
    for row in rows.values():
        total.now.update(row.now)
    if known_last:
        # Every task of last period, also of a group the register no longer lists; each group's
        # counts in the same pass (asking the trend group by group reads them all each time).
        total.last = Counter()
        last: dict[str, Counter[Status | None]] = {name: Counter() for name in rows}
        for (group, status), n in trend.counts[previous].items():
            total.last[status] += n
            if group in last:
                last[group][status] += n
        for name, row in rows.items():
            row.last = last[name]
    return list(rows.values()), total


def change_text(now: int, last: int | None) -> str:
    """The change in a count with its sign: '+2', '−1', '0'; '' when last period is unknown."""
    if last is None:
        return ""
    diff = now - last
    return f"+{diff}" if diff > 0 else ("−" + str(-diff) if diff < 0 else "0")


@dataclass(frozen=True)
class ExceptionContext:
    """What the board pack says about one exception beyond the return's own five columns."""

    previous: str = ""
    """Last period's status ('Green'), 'not reported', 'new task', or '' without history."""
    direction: str = ""
    """The direction-of-travel mark ('↓ worsened'), as the history set it."""
    run: int | None = None
    """Periods in a row at amber or red, this one included; None without history."""


def exception_contexts(result: Consolidation) -> dict[int, ExceptionContext]:
    """Each exception's context, by ``id`` of its TaskRecord."""
    from_change = {id(c.current): c for c in result.changes if getattr(c, "current", None) is not None}
    trend = result.trend
    exceptions = result.exceptions
    runs: list[int | None] = [None] * len(exceptions)
    if trend is not None:
        from pipeline.history.trend import periods_at_amber_or_red

        # The run's own matching of every task, when it made one (`run.match_trend_alongside`):
        # the exceptions then have the lines the Trend sheet shows them on.
        lines_of = None
        if trend.lines_of_run is not None:
            line_of = {id(t): line for t, line in zip(result.tasks, trend.lines_of_run, strict=True)}
            lines_of = [line_of[id(t)] for t in exceptions]
        earlier = trend.earlier_statuses(exceptions, lines_of)
        runs = [periods_at_amber_or_red(e, trend.periods, t.status)
                for e, t in zip(earlier, exceptions, strict=True)]
    contexts = {}
    for task, run in zip(exceptions, runs, strict=True):
        change = from_change.get(id(task))
        previous = ""
        if change is not None:
            if change.kind == "new task":
                previous = "new task"
            elif change.previous_status is not None:
                previous = change.previous_status.value
            else:
                previous = "no status"
        elif result.previous_period:
            previous = "not reported"
        contexts[id(task)] = ExceptionContext(previous, task.direction.strip(), run)
    return contexts


@dataclass(frozen=True)
class OffTheList:
    """A task at amber or red last period that is green or achieved now."""

    group: str
    outcome: str
    ref: str
    task: str
    was: Status
    now: Status


def off_the_list(result: Consolidation) -> tuple[list[OffTheList], int]:
    """Tasks off the exceptions list since last period, and how many amber/red ones went unreported."""
    cleared = [
        OffTheList(c.group or UNIDENTIFIED, c.outcome, c.ref, c.task, c.previous_status,
                   c.current_status)
        for c in result.changes
        if c.previous_status in EXCEPTION_STATUSES and c.current_status in _CLEARED
    ]
    gone = sum(1 for c in result.changes
               if c.kind == "no longer reported" and c.previous_status in EXCEPTION_STATUSES)
    return cleared, gone


ActionKey = tuple[str, str, str, str]


def action_key(task: TaskRecord) -> ActionKey:
    """What makes tasks one action: group, outcome, Ref and the action's wording."""
    return (task.group, task.outcome, task.ref, task.action)


def notes_by_action(tasks: Sequence[TaskRecord]) -> dict[ActionKey, list[str]]:
    """The notes a group wrote under each action, each once, whatever the status of the task
    they were read with (seed 000's note on the CESP sat with a green task)."""
    found: dict[ActionKey, list[str]] = {}
    for task in tasks:
        kept = found.setdefault(action_key(task), [])
        for line in task.notes.replace("\r", "\n").split("\n"):
            if line.strip() and line.strip() not in kept:
                kept.append(line.strip())
    return found


@dataclass
class QualityRow:
    """Problems still open in one group's returns."""

    group: str
    errors: int = 0
    queries: int = 0
    rejected_files: int = 0


def data_quality(result: Consolidation) -> list[QualityRow]:
    """Errors and queries by group (register order, then files no group was found for)."""
    group_of_file = {s.file: s.group for s in result.submissions}
    rows = {name: QualityRow(name) for name in groups_in_order(result)}
    for issue in result.issues:
        if issue.severity not in (Severity.ERROR, Severity.QUERY):
            continue
        group = (issue.group or group_of_file.get(issue.place.file)
                 or _attachment_group(issue.place.file, group_of_file))
        row = rows.setdefault(group or UNIDENTIFIED, QualityRow(group or UNIDENTIFIED))
        if issue.severity is Severity.ERROR:
            row.errors += 1
        else:
            row.queries += 1
    for sub in result.submissions:
        if sub.state == SubmissionState.REJECTED:
            name = sub.group or UNIDENTIFIED
            rows.setdefault(name, QualityRow(name)).rejected_files += 1
    return [r for r in rows.values() if r.errors or r.queries or r.rejected_files]


def _attachment_group(file: str, group_of_file: dict[str, str]) -> str:
    """The group of the e-mail a file was attached to ('mail.eml/return.docx' -> mail.eml's)."""
    head = file.split("/", 1)[0]
    return group_of_file.get(head, "") if head != file else ""


def problems_by_kind(result: Consolidation) -> list[tuple[str, Severity, int]]:
    """(title, severity, count) of each kind of open error and query, errors first, most first."""
    counts: Counter[tuple[str, Severity]] = Counter(
        (issue.title, issue.severity) for issue in result.issues
        if issue.severity in (Severity.ERROR, Severity.QUERY))
    rank = {Severity.ERROR: 0, Severity.QUERY: 1}
    return [(title, severity, n) for (title, severity), n in
            sorted(counts.items(), key=lambda item: (rank[item[0][1]], -item[1], item[0][0]))]
