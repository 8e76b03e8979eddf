"""The Changes sheet: each task's status last period against this one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xlsxwriter.workbook import Workbook

from pipeline.records import STATUS_WORD
from pipeline.report.xlsx_sheet import Column, TableSheet
from pipeline.report.xlsx_styles import Styles, status_style

CHANGE_COLUMNS: tuple[Column, ...] = (
    Column("Group", 24),
    Column("Outcome", 9),
    Column("Ref", 9),
    Column("Task", 55),
    Column("Previous status", 12),
    Column("Status now", 12),
    Column("Change", 18),
    Column("Previous wording", 40),
)
#: Most telling first: what the Executive should look at.
_KIND_ORDER = ("newly red", "worsened", "no longer reported", "awaiting return", "new task", "not comparable",
               "improved", "newly achieved", "unchanged")


def write_changes_sheet(book: Workbook, styles: Styles, changes: Sequence[Any], *, previous: str,
                        title: str, as_table: bool) -> None:
    """One row per task compared with the previous period, the worrying changes first."""
    sheet = TableSheet(book, styles, "Changes", CHANGE_COLUMNS, title=title, as_table=as_table)
    rank = {kind: i for i, kind in enumerate(_KIND_ORDER)}
    for change in sorted(changes, key=lambda c: rank.get(c.kind, len(rank))):
        before, now = change.previous_status, change.current_status
        sheet.write_row(
            [change.group, change.outcome, change.ref, change.task,
             STATUS_WORD[before], STATUS_WORD[now],
             change.kind, change.previous_task],
            {4: status_style(before), 5: status_style(now)},
        )
    sheet.finish(f"No tasks to compare with {previous}." if previous else
                 "No earlier period is recorded in the history, so there is nothing to compare with yet.")
