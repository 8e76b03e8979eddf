"""The Tasks, Exceptions and Action plan sheets: one row per record, with its source."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from xlsxwriter.workbook import Workbook

from pipeline.records import EXCEPTION_STATUSES, STATUS_WORD, PlanRecord, TaskRecord
from pipeline.report.xlsx_sheet import A3, A4, CellValue, Column, TableSheet
from pipeline.report.xlsx_styles import Styles, status_style

#: The columns the Executive reads come first and are the ones printed (PRINTED_COLUMNS), sized
#: to fit A4 landscape at nearly full size; the rest (the action's wording, the status as
#: written, notes and source) are on screen only.
TASK_COLUMNS: tuple[Column, ...] = (
    Column("Group", 14),
    Column("Outcome", 8),
    Column("Ref", 6),
    Column("Task", 30),
    Column("Target", 14),
    Column("Position", 34),
    Column("Status", 9),
    Column("Planned action", 34),
    Column("Owner", 12),
    Column("Revised deadline", 10),
    Column("Direction", 10),
    Column("Action", 40),
    Column("Status detail", 13),
    Column("Notes", 35),
    Column("Source file", 24),
    Column("Location", 16),
)
PRINTED_COLUMNS = 11
_STATUS_COL = 6


def task_row(task: TaskRecord) -> list[CellValue]:
    """A task as the cells of a Tasks row, in TASK_COLUMNS order."""
    return [
        task.group,
        task.outcome,
        task.ref,
        task.task,
        task.target,
        task.position,
        STATUS_WORD[task.status],
        task.planned,
        task.owner,
        task.revised_deadline,
        task.direction,
        task.action,
        status_detail(task),
        _notes(task),
        task.place.file,
        task.place.describe(),
    ]


def status_detail(task: TaskRecord) -> str:
    """The Status cell as written, only where it says more than the status ('AMBER' does not;
    'ACHIEVED, ACHIEVED, AMBER' or a status read from the cell's colour does)."""
    written = " ".join(task.status_text.split())
    status = STATUS_WORD[task.status] or ""
    return "" if written.casefold() == status.casefold() else task.status_text


def _notes(task: TaskRecord) -> str:
    """Notes, plus the fields other layouts carry (Cheltenham's objective, measures, who is involved)."""
    extra = [f"{label}: {value}" for label, value in (("Objective", task.objective),
                                                      ("Measures", task.measures),
                                                      ("Resources", task.resources)) if value]
    return "\n".join([task.notes, *extra] if task.notes else extra)


def write_task_sheets(book: Workbook, styles: Styles, tasks: Iterable[TaskRecord], *, title: str,
                      as_table: bool) -> tuple[int, int]:
    """The Tasks sheet (every task, one row each in the order given, the Status cell in its
    colour) and the Exceptions sheet (the amber and red ones, in the same order), written in one
    pass: an exception's row is the Tasks row copied. Returns the task rows each was written."""
    # The first eleven columns print on A4 landscape, one page wide, the header row on each page.
    every, exceptions = (
        TableSheet(book, styles, name, TASK_COLUMNS, title=title, as_table=as_table, paper=A4,
                   print_columns=PRINTED_COLUMNS)
        for name in ("Tasks", "Exceptions")
    )
    for task in tasks:
        values, look = task_row(task), {_STATUS_COL: status_style(task.status)}
        every.write_row(values, look)
        if task.status in EXCEPTION_STATUSES:
            exceptions.write_row_of(every, values, look)
    every.finish("No tasks were read from any return.")
    exceptions.finish("No task is at amber or red.")
    return every.rows_written, exceptions.rows_written


def target_years(plans: Iterable[PlanRecord]) -> list[str]:
    """Every target year named in the plans, in year order ('2008/09' before '2009/10')."""
    years = {year for plan in plans for year in plan.targets}
    return sorted(years, key=_year_key)


def _year_key(year: str) -> tuple[int, str]:
    # Headers name years in several ways ("2008/09", "2008-9", "08/09"); the first number orders.
    match = re.search(r"\d{4}", year) or re.search(r"\d{2}", year)
    number = int(match.group()) if match else 9999
    return (number + 2000 if number < 100 else number, year)


def plan_columns(years: Sequence[str]) -> list[Column]:
    """The Action plan sheet's columns, with one target column per year."""
    return [
        Column("Group", 24),
        Column("Outcome", 9),
        Column("Action", 45),
        Column("Task", 45),
        Column("Measures", 35),
        Column("Baseline", 16),
        *(Column(year, 16) for year in years),
        Column("Milestones", 40),
        Column("Timescale", 16),
        Column("Resources", 30),
        Column("Contact officer", 20),
        Column("Lead partnership", 20),
        Column("Long-term ambitions", 40),
        Column("Source file", 28),
        Column("Location", 18),
    ]


def write_plan_sheet(
    book: Workbook,
    styles: Styles,
    name: str,
    plans: Sequence[PlanRecord],
    *,
    title: str,
    as_table: bool,
) -> int:
    """The planning returns' rows, with a column per target year across all of them; returns the
    rows written."""
    years = target_years(plans)
    sheet = TableSheet(
        book, styles, name, plan_columns(years), title=title, as_table=as_table, paper=A3
    )
    for plan in plans:
        sheet.write_row(
            [
                plan.group,
                plan.outcome,
                plan.action,
                plan.task,
                plan.measures,
                plan.baseline,
                *(plan.targets.get(year, "") for year in years),
                plan.milestones,
                plan.timescale,
                plan.resources,
                plan.contact_officer,
                plan.lead_partnership,
                plan.long_term,
                plan.place.file,
                plan.place.describe(),
            ]
        )
    sheet.finish("No planning returns were received.")
    return sheet.rows_written
