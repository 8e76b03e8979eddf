"""Each group's last return as the history recorded it: its format and its tasks (read only).

A reminder attaches the group's template in the format it last used (Word or Excel), filled in
with the tasks of that return, so the group only updates what changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from sqlalchemy import select

from pipeline.consolidate.result import SubmissionState
from pipeline.history.schema import PeriodRow, SourceFileRow
from pipeline.history.store import HistoryStore
from pipeline.records import TaskRecord

#: The format a recorded file's kind ("Word progress return", "Excel action plan") was read from.
_FORMAT_OF_KIND = {"word": "docx", "excel": "xlsx"}


@dataclass(frozen=True)
class LastReturn:
    """A group's latest accepted return: the period, the file, its format and its tasks."""

    group: str
    period: str
    file: str
    fmt: str
    """``docx`` or ``xlsx``."""
    tasks: list[TaskRecord] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        """The file's own name, without the e-mail it came in (``cdrp-q3.docx``)."""
        return PurePosixPath(self.file).name


def last_returns(store: HistoryStore, groups: Iterable[str] | None = None) -> dict[str, LastReturn]:
    """The latest accepted Word or Excel return of each group (of the given ones), by group name."""
    wanted = set(groups) if groups is not None else None
    query = (select(PeriodRow.label, SourceFileRow.group_name, SourceFileRow.file, SourceFileRow.kind,
                    SourceFileRow.received)
             .join(PeriodRow, SourceFileRow.period_id == PeriodRow.id)
             .where(SourceFileRow.status == SubmissionState.ACCEPTED.value))
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    order = {label: i for i, label in enumerate(store.periods())}
    latest: dict[str, tuple[tuple[int, str], str, str, str]] = {}
    for period, group, file, kind, received in rows:
        fmt = _FORMAT_OF_KIND.get((kind or "").split(" ", 1)[0].lower())
        if fmt is None or not group or (wanted is not None and group not in wanted):
            continue
        key = (order.get(period, -1), received or "")
        if group not in latest or key >= latest[group][0]:
            latest[group] = (key, period, file, fmt)
    tasks_by_period: dict[str, list[TaskRecord]] = {}
    found = {}
    for group, (_, period, file, fmt) in latest.items():
        if period not in tasks_by_period:
            tasks_by_period[period] = store.tasks_of(period)
        tasks = [t for t in tasks_by_period[period] if t.group == group]
        found[group] = LastReturn(group, period, file, fmt, tasks)
    return found
