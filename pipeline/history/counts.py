"""Counting statuses per group and period: the figures behind the officer's page and its chart."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from pipeline.history.store import HistoryRow
from pipeline.records import Status, TaskRecord

#: The statuses counted, in the order the partnership reads them.
COUNTED: tuple[Status, ...] = (Status.GREEN, Status.AMBER, Status.RED, Status.ACHIEVED)


def status_counts(tasks: Iterable[TaskRecord]) -> dict[str, Counter[Status | None]]:
    """Tasks counted by status for each group, groups in first-seen order (None: no status)."""
    counts: dict[str, Counter[Status | None]] = {}
    for task in tasks:
        counts.setdefault(task.group, Counter())[task.status] += 1
    return counts


def counts_by_period(rows: Sequence[HistoryRow]) -> dict[str, dict[str, Counter[Status | None]]]:
    """For each recorded period (in the rows' order), each group's tasks counted by status."""
    table: dict[str, dict[str, Counter[Status | None]]] = {}
    for row in rows:
        table.setdefault(row.period, {}).setdefault(row.group, Counter())[row.status] += 1
    return table
