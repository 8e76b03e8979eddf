"""The quarters before this one, read from the history store for the board pack and the Trend sheet.

Read-only: these queries never write to the store and need no schema change. The current
period's tasks are not recorded yet when the outputs are written, so they are joined on here:
each current task is matched to its line of earlier statuses as `changes.compare` matches two
periods, tolerating small rewording.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.history.matching import match_tasks
from pipeline.history.timeline import TimelineLine, timeline
from pipeline.periods import ReportingCalendar, periods_in_order
from pipeline.records import EXCEPTION_STATUSES, Status, TaskRecord

if TYPE_CHECKING:
    # Only `read_trend` reads the store; the Trend sheet of a run without history needs none.
    from pipeline.history.store import HistoryStore

#: One letter per status for a status strip ("R R A G"); a task with no status shows "?".
LETTERS: dict[Status | None, str] = {Status.RED: "R", Status.AMBER: "A", Status.GREEN: "G",
                                     Status.ACHIEVED: "✓", None: "?"}
#: A period in which the task was not reported.
NOT_REPORTED = "–"
#: `Trend.lines_of` for a task reported in no earlier period.
NO_LINE = -1


@dataclass
class Trend:
    """The recorded periods before the current one: counts per group and each task's statuses."""

    periods: list[str] = field(default_factory=list)
    """Earlier recorded periods, earliest first (never the current period itself)."""
    counts: dict[str, Counter[tuple[str, Status | None]]] = field(default_factory=dict)
    """Per period, tasks counted by (group, status)."""
    lines: list[TimelineLine] = field(default_factory=list)
    """One line per task seen in those periods, with its status in each."""
    lines_of_run: list[int] | None = None
    """The run's own tasks matched once to `lines` (`lines_of`), when the run has done so: the
    Trend sheet's strips are made from it instead of matching all the tasks again."""

    def lines_of(self, tasks: Sequence[TaskRecord]) -> list[int]:
        """For each task, the index of its line in `lines`, or NO_LINE when it is new."""
        matched = dict((j, i) for i, j in match_tasks(self.lines, tasks))
        return [matched.get(j, NO_LINE) for j in range(len(tasks))]

    def earlier_statuses(self, tasks: Sequence[TaskRecord],
                         lines_of: Sequence[int] | None = None) -> list[dict[str, Status | None]]:
        """For each task, its status in each earlier period it was reported in; `lines_of` is
        what `lines_of(tasks)` gave, when it is known already."""
        found = self.lines_of(tasks) if lines_of is None else lines_of
        return [dict(self.lines[i].statuses) if i != NO_LINE else {} for i in found]


def read_trend(store: HistoryStore, period: str,
               known: Mapping[str, Sequence[TaskRecord]] | None = None) -> Trend:
    """The periods recorded before `period` (which need not be recorded yet), read from the store;
    a period in `known` is not read again: its tasks as `HistoryStore.tasks_of` gave them (the
    same rows, in the same order, as `HistoryStore.group_history` gives them)."""
    from pipeline.history.store import HistoryRow  # loaded with the store that is passed

    recorded = store.periods()
    if period in recorded:
        ordered = recorded
    else:
        ordered = periods_in_order([*recorded, period], ReportingCalendar())
    earlier = ordered[: ordered.index(period)]
    if not earlier:
        return Trend()
    known = {label: tasks for label, tasks in (known or {}).items() if label in earlier}
    unread = [label for label in earlier if label not in known]
    rows = store.group_history(periods=unread) if unread else []
    rows += [HistoryRow(label, t.group, t.outcome, t.ref, t.task, t.status)
             for label, tasks in known.items() for t in tasks]
    counts: dict[str, Counter[tuple[str, Status | None]]] = {p: Counter() for p in earlier}
    for row in rows:
        counts[row.period][(row.group, row.status)] += 1
    _, lines = timeline(sorted(rows, key=lambda r: earlier.index(r.period)))
    return Trend(periods=earlier, counts=counts, lines=lines)


def periods_at_amber_or_red(earlier: dict[str, Status | None], periods: Sequence[str],
                            now: Status | None) -> int:
    """How many periods in a row, ending with this one, the task has been amber or red (0 if not now)."""
    if now not in EXCEPTION_STATUSES:
        return 0
    run = 1
    for period in reversed(periods):
        if period not in earlier or earlier[period] not in EXCEPTION_STATUSES:
            break
        run += 1
    return run


def status_strip(earlier: dict[str, Status | None], periods: Sequence[str], now: Status | None,
                 *, length: int = 4) -> str:
    """The task's statuses over the last `length` periods, earliest first: 'R R A G'."""
    shown = list(periods)[-(length - 1):] if length > 1 else []
    marks = [LETTERS[earlier[p]] if p in earlier else NOT_REPORTED for p in shown]
    return " ".join([*marks, LETTERS[now]])
