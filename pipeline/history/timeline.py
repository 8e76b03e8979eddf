"""A task's status over the recorded periods: one line per task, followed through rewordings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.history.matching import match_tasks
from pipeline.records import Status

if TYPE_CHECKING:
    from pipeline.history.store import HistoryRow  # the rows are read by the store's callers


@dataclass
class TimelineLine:
    """One task across periods: its latest group, Ref and wording, and its status in each period."""

    group: str
    ref: str
    task: str
    statuses: dict[str, Status | None] = field(default_factory=dict)
    """By period label; a period the task was not reported in has no key."""


def timeline(rows: Sequence[HistoryRow]) -> tuple[list[str], list[TimelineLine]]:
    """The periods (in the rows' order) and one line per task, grouped by group in first-seen order.

    Each period's tasks are matched to the lines so far as `changes.compare` matches two periods,
    so a task reworded a little stays on its line, and one missing for a period picks up again.
    """
    periods = list(dict.fromkeys(r.period for r in rows))
    lines: list[TimelineLine] = []
    for period in periods:
        reported = [r for r in rows if r.period == period]
        matched = {j: i for i, j in match_tasks(lines, reported)}
        for j, row in enumerate(reported):
            if j in matched:
                line = lines[matched[j]]
                # The latest wording names the line, as the Executive will know it now.
                line.ref, line.task = row.ref or line.ref, row.task
            else:
                line = TimelineLine(row.group, row.ref, row.task)
                lines.append(line)
            line.statuses[period] = row.status
    group_order = {g: i for i, g in enumerate(dict.fromkeys(line.group for line in lines))}
    lines.sort(key=lambda line: group_order[line.group])  # stable: first-seen order within a group
    return periods, lines
