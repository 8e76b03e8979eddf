"""The master workbook: every task, plan row, issue and file of a run, for officers to work from."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from xlsxwriter.workbook import Workbook

from pipeline.atomic import atomic_output
from pipeline.consolidate.result import Consolidation
from pipeline.heap import collector_paused
from pipeline.issues import Issue
from pipeline.report.sheets_changes import write_changes_sheet
from pipeline.report.sheets_log import write_issues_sheet, write_submissions_sheet
from pipeline.report.sheets_summary import SHEET as SUMMARY_SHEET
from pipeline.report.sheets_summary import write_summary_sheet
from pipeline.report.sheets_tasks import write_plan_sheet, write_task_sheets
from pipeline.report.sheets_trend import write_trend_sheet
from pipeline.report.xlsx_rows import RowsWorkbook, WrittenRows
from pipeline.report.xlsx_styles import FONT, Styles
from pipeline.workdirs import work_dir

#: Above this many task rows the workbook is streamed row by row (`RowsWorkbook`: its cells written
#: as XML by us, filters instead of Excel tables). Held in memory by xlsxwriter, the million cells
#: of 1,000 returns (30,000 tasks) grow the process by about 240 MiB: bench/README.md, "The
#: master workbook's floor" and "The way taken".
CONSTANT_MEMORY_OVER = 5_000

#: From this many issues a streamed workbook's Issues rows are worth writing in another process
#: (`write_issue_rows`, in the report's child before the report): at 1,000 returns (21,858
#: issues) they are 0.8 s of the workbook's 5.1 s of CPU.
ISSUE_ROWS_APART_FROM = 2_000

#: Text from a return is never read as a formula, a link or a number.
_TEXT_ONLY = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


class IssueRows(NamedTuple):
    """The Issues sheet's rows as another process wrote them (`write_issue_rows`)."""

    rows: WrittenRows
    issues: int
    """The issues they hold."""
    formats: tuple[int | None, ...]
    """The index of each named format in the workbook they were written in (`Styles.indexes`):
    the rows name their cells' formats by index."""


def _options() -> dict[str, object]:
    """A master workbook's options: text is text, each cell format starts from the report's font
    (a dict of its own: xlsxwriter adds to it)."""
    return {**_TEXT_ONLY, "default_format_properties": dict(FONT)}


def issue_rows_apart_worthwhile(result: Consolidation) -> bool:
    """Whether the run's master workbook is streamed and has Issues rows enough to write them in
    another process."""
    return len(result.tasks) > CONSTANT_MEMORY_OVER and len(result.issues) >= ISSUE_ROWS_APART_FROM


def write_issue_rows(issues: Sequence[Issue], folder: Path) -> IssueRows:
    """Write the Issues sheet's rows (header and all) as a streamed master workbook writes them,
    into a file under `folder`, for that workbook to take in place of writing them itself (so
    another process can write them while this one writes the other sheets). The workbook made
    for them is let go of unwritten."""
    with collector_paused():
        book = RowsWorkbook(folder / "issues.xlsx", folder, _options())
        try:
            styles = Styles(book)
            write_issues_sheet(book, styles, issues, title="", as_table=False)
            sheet = book.rows_sheets[0]
            sheet.finish_rows()
            return IssueRows(sheet.written_rows(), len(issues), styles.indexes())
        finally:
            book.give_up()


def write_master(
    result: Consolidation, path: Path, *, constant_memory_over: int | None = None,
    rows_by_xlsxwriter: bool = False, issue_rows: Callable[[], IssueRows | None] | None = None,
) -> dict[str, int]:
    """Write the master workbook to `path`, whole or not at all; returns the rows written to each
    sheet of records (Tasks, Exceptions, Action plan).

    Streamed, the sheets' cells are written as XML by `RowsSheet` (xlsx_rows), in about a third of
    the instructions xlsxwriter takes, which writes the rest; `rows_by_xlsxwriter` has xlsxwriter
    write them too (what the tests compare the two with).

    `issue_rows`, when given, is asked for the Issues sheet's rows as another process wrote them
    (`write_issue_rows`; None where it did not): a streamed workbook takes them instead of
    writing them.

    The task and plan rows written are counted into the consolidation's reconciliation (which the
    Summary sheet, written last, reports), for the run to check before publishing."""
    over = CONSTANT_MEMORY_OVER if constant_memory_over is None else constant_memory_over
    streamed = len(result.tasks) > over
    title = f"Action plan returns – {result.period}" if result.period else "Action plan returns"
    with collector_paused(), atomic_output(Path(path)) as temp, work_dir("master") as scratch:
        book: Workbook
        if streamed and not rows_by_xlsxwriter:
            book = RowsWorkbook(temp, scratch, _options())
        else:
            # Streamed, xlsxwriter's row files go in our own scratch directory, so a failed run
            # leaves none in /tmp; held in memory, the workbook is zipped from memory too.
            book = Workbook(str(temp), {**_options(), "constant_memory": streamed,
                                        "in_memory": not streamed, "tmpdir": scratch})
        try:
            written = _write_sheets(book, result, title=title, as_table=not streamed,
                                    issue_rows=issue_rows)
        except Exception:
            # (Not on Ctrl-C: closing a large workbook takes seconds, and the process is ending.)
            if streamed:
                _release(book)
            raise
        book.close()
    return written


def _write_sheets(book: Workbook, result: Consolidation, *, title: str, as_table: bool,
                  issue_rows: Callable[[], IssueRows | None] | None = None) -> dict[str, int]:
    styles = Styles(book)
    book.set_properties(
        {"title": title, "subject": "Consolidated action-plan returns", "author": "Partnership"}
    )
    # First in the workbook, filled last: it reports what the other sheets were written with.
    summary = book.add_worksheet(SUMMARY_SHEET)
    written: dict[str, int] = {}
    if result.tracker is not None:
        from pipeline.report.sheets_tracker import write_tracker_sheet

        write_tracker_sheet(book, styles, result.tracker, title=title, as_table=as_table)
    written["Tasks"], written["Exceptions"] = write_task_sheets(book, styles, result.tasks,
                                                                title=title, as_table=as_table)
    write_changes_sheet(book, styles, result.changes, previous=result.previous_period, title=title,
                        as_table=as_table)
    write_trend_sheet(book, styles, result, title=title)
    written["Action plan"] = write_plan_sheet(book, styles, "Action plan", result.plans, title=title,
                                              as_table=as_table)
    written_apart = issue_rows() if issue_rows is not None else None
    write_issues_sheet(book, styles, result.issues, title=title, as_table=as_table,
                       written=_usable(written_apart, styles, len(result.issues)))
    write_submissions_sheet(
        book, styles, result.submissions, result.missing_groups, title=title, as_table=as_table
    )
    result.reconciliation.rows_written = written["Tasks"] + written["Action plan"]
    write_summary_sheet(book, summary, styles, result, title=title)
    return written


def _usable(apart: IssueRows | None, styles: Styles, issues: int) -> WrittenRows | None:
    """The Issues rows written apart, if they are of this run's issues and name this workbook's
    formats by the same indexes."""
    if apart is None or apart.issues != issues or apart.formats != styles.indexes():
        return None
    return apart.rows


def _release(book: Workbook) -> None:
    """Let go of a workbook whose writing failed. Streamed, each sheet holds its rows in an open
    file; xlsxwriter's one public way to close them is to close the workbook, which writes what it
    has into a file that `atomic_output` or the scratch folder then throws away. If that fails
    too, the files close when the workbook is collected."""
    if isinstance(book, RowsWorkbook):
        book.give_up()
    with contextlib.suppress(Exception):
        Workbook.close(book)
