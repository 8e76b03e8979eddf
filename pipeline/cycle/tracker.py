"""The tracker: where each group's return stands in the period, with the date of each step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from pipeline.consolidate.result import Consolidation, SubmissionState
from pipeline.cycle.records import COUNTED, SIGNED_OFF, Acceptance, PeriodInfo, RecordedFile
from pipeline.periods import long_date
from pipeline.register import Register
from pipeline.words import plural


class GroupState(StrEnum):
    """Where a group's return stands, in the order the cycle moves through them."""

    REQUESTED = "requested"
    """Nothing received yet."""
    RECEIVED = "received, not yet read"
    """A file arrived in the period's inbox after the last consolidation."""
    UNREADABLE = "received, could not be read"
    HELD_BACK = "dated for another period"
    """Held back until the officer counts it for this period."""
    COUNTED = "counted for this period, read at the next consolidation"
    """A held-back return the officer counted for this period, not yet read again."""
    ERRORS = "read, errors to correct"
    QUERIES = "read, queries to explain"
    READ = "read, ready to accept"
    ACCEPTED = "accepted"


@dataclass(frozen=True)
class TrackerRow:
    """One group's line of the tracker."""

    group: str
    state: GroupState
    late: bool
    """Past the deadline with no return, or the return arrived after the deadline."""
    file: str = ""
    received: str = ""
    """When the return arrived (ISO 8601), from the e-mail's date or the file's."""
    read: dt.datetime | None = None
    """When it was last consolidated."""
    errors: int = 0
    queries: int = 0
    explained: int = 0
    accepted: dt.datetime | None = None
    accepted_by: str = ""
    note: str = ""
    """Why a file was held back or could not be read; the officer's note on an acceptance."""

    @property
    def missing(self) -> bool:
        """No return has been received at all."""
        return self.state is GroupState.REQUESTED

    @property
    def words(self) -> str:
        """The state in words, with the counts: 'read, 2 errors and 1 query to explain'."""
        if self.state in (GroupState.ERRORS, GroupState.QUERIES):
            parts = []
            if self.errors:
                parts.append(plural(self.errors, "error"))
            open_queries = self.queries - self.explained
            if open_queries:
                parts.append(plural(open_queries, "query") + " to explain")
            text = "read, " + " and ".join(parts)
        else:
            text = self.state.value
        if self.missing and self.late:
            return "late: no return"
        return text + (" (late)" if self.late and not self.missing else "")


@dataclass
class Tracker:
    """The period at a glance: its deadline and every group's line."""

    period: PeriodInfo
    today: dt.date
    rows: list[TrackerRow] = field(default_factory=list)

    @property
    def days_left(self) -> int:
        """Days until the deadline (negative once it has passed)."""
        return (self.period.deadline - self.today).days

    def deadline_words(self) -> str:
        """'Deadline 21 April 2009: 5 days left', 'today', 'passed 3 days ago', 'passed 5 weeks
        ago'; a deadline passed more than twelve weeks ago (an old period looked back on) is
        only 'passed': a count of hundreds of days says nothing the date does not."""
        when = long_date(self.period.deadline)
        left = self.days_left
        if left > 0:
            return f"Deadline {when}: {plural(left, 'day')} left"
        if left == 0:
            return f"Deadline {when}: today"
        if -left < 14:
            return f"Deadline {when}: passed {plural(-left, 'day')} ago"
        if -left <= 12 * 7:
            return f"Deadline {when}: passed {plural(-left // 7, 'week')} ago"
        return f"Deadline {when}: passed"

    def count(self, state: GroupState) -> int:
        """How many groups are in a state."""
        return sum(1 for r in self.rows if r.state is state)

    @property
    def late(self) -> list[TrackerRow]:
        """The groups that are late."""
        return [r for r in self.rows if r.late]


def build_tracker(
    register: Register,
    period: PeriodInfo,
    files: Sequence[RecordedFile],
    acceptances: Iterable[Acceptance],
    *,
    last_run: dt.datetime | None,
    arrived: Sequence[tuple[str, str, str]] = (),
    today: dt.date | None = None,
) -> Tracker:
    """Each group's line, from the period's last consolidation (`files`), the officer's
    acceptances, and the files that `arrived` in the inbox since (name, SHA-256, group)."""
    today = today or dt.date.today()
    signed = {a.sha256: a for a in acceptances if a.kind == SIGNED_OFF}
    counted = {a.sha256 for a in acceptances if a.kind == COUNTED}
    past_deadline = today > period.deadline
    files_of: dict[str, list[RecordedFile]] = {}  # grouped once: a county has thousands of each
    for f in files:
        files_of.setdefault(f.group, []).append(f)
    arrived_of: dict[str, list[tuple[str, str, str]]] = {}
    for a in arrived:
        arrived_of.setdefault(a[2], []).append(a)
    rows = [_row(group.name, files_of.get(group.name, []), arrived_of.get(group.name, []), signed,
                 counted, last_run, period.deadline, past_deadline) for group in register.groups]
    return Tracker(period, today, rows)


def tracker_of_run(
    register: Register,
    period: PeriodInfo,
    result: Consolidation,
    acceptances: Iterable[Acceptance],
    today: dt.date | None = None,
) -> Tracker:
    """The tracker as a consolidation leaves it, for the master workbook and the report's cover."""
    from pipeline.issues import issue_counts_by_file

    counts = issue_counts_by_file(result.issues)
    files = [
        RecordedFile(
            s.file,
            s.sha256,
            s.group,
            s.kind,
            s.state,
            s.reason,
            s.received,
            s.sender,
            s.rows,
            *counts.get(s.file, (0, 0, 0)),
        )
        for s in result.submissions
    ]
    return build_tracker(register, period, files, acceptances, last_run=dt.datetime.now(dt.UTC), today=today)


def _row(
    group: str,
    files: list[RecordedFile],
    arrived: list[tuple[str, str, str]],
    signed: dict[str, Acceptance],
    counted: set[str],
    last_run: dt.datetime | None,
    deadline: dt.date,
    past_deadline: bool,
) -> TrackerRow:
    if arrived:
        name = arrived[-1][0]
        return TrackerRow(group, GroupState.RECEIVED, False, file=name)
    read = [f for f in files if f.status == SubmissionState.ACCEPTED and f.rows]
    if read:
        f = read[-1]
        late = _arrived_after(f.received, deadline)
        row = TrackerRow(
            group,
            GroupState.READ,
            late,
            file=f.file,
            received=f.received,
            read=last_run,
            errors=f.errors,
            queries=f.queries,
            explained=f.explained,
        )
        if f.sha256 in signed:
            a = signed[f.sha256]
            return replace(row, state=GroupState.ACCEPTED, accepted=a.at, accepted_by=a.by, note=a.note)
        if f.errors:
            return replace(row, state=GroupState.ERRORS)
        if f.queries > f.explained:
            return replace(row, state=GroupState.QUERIES)
        return row
    # A held-back file the officer counted since the last consolidation: the next one reads it.
    recounted = [f for f in files if f.status == SubmissionState.HELD_BACK and f.sha256 in counted]
    if recounted:
        f = recounted[-1]
        return TrackerRow(group, GroupState.COUNTED, False, file=f.file, received=f.received, read=last_run)
    # A file that was not counted: held back as another period's, or not readable at all.
    for status, state in ((SubmissionState.HELD_BACK, GroupState.HELD_BACK),
                          (SubmissionState.REJECTED, GroupState.UNREADABLE)):
        waiting = [f for f in files if f.status == status and f.sha256 not in counted]
        if waiting:
            f = waiting[-1]
            return TrackerRow(group, state, past_deadline, file=f.file, received=f.received, read=last_run,
                              note=f.reason)
    return TrackerRow(group, GroupState.REQUESTED, past_deadline)


def _arrived_after(received: str, deadline: dt.date) -> bool:
    try:
        when = dt.datetime.fromisoformat(received)
    except ValueError:
        return False
    return when.date() > deadline

