"""The Tracker sheet: where each group's return stands in the cycle, with the dates of each step."""

from __future__ import annotations

import datetime as dt

from xlsxwriter.workbook import Workbook

from pipeline.cycle.tracker import GroupState, Tracker
from pipeline.periods import long_date
from pipeline.report.xlsx_sheet import Column, TableSheet
from pipeline.report.xlsx_styles import Styles

TRACKER_COLUMNS: tuple[Column, ...] = (
    Column("Group", 38),
    Column("Where the return stands", 30),
    Column("Late", 8),
    Column("File", 34),
    Column("Received", 18),
    Column("Errors", 8, "number"),
    Column("Queries", 8, "number"),
    Column("Explained", 10, "number"),
    Column("Accepted", 18),
    Column("Accepted by", 16),
    Column("Note", 40),
)

#: The state colours the Submissions sheet uses, for the same meanings here.
_STATE_STYLE = {
    GroupState.REQUESTED: "state-missing",
    GroupState.UNREADABLE: "state-rejected",
    GroupState.HELD_BACK: "state-held back",
    GroupState.ERRORS: "state-rejected",
}


def write_tracker_sheet(
    book: Workbook, styles: Styles, tracker: Tracker, *, title: str, as_table: bool
) -> None:
    """One row per group of the register: its state in words (never by colour alone) and dates."""
    heading = f"{title} – {tracker.deadline_words()}"
    sheet = TableSheet(book, styles, "Tracker", TRACKER_COLUMNS, title=heading, as_table=as_table)
    for row in tracker.rows:
        sheet.write_row(
            [
                row.group,
                row.words,
                "late" if row.late else "",
                row.file,
                _when(row.received),
                *((row.errors, row.queries, row.explained) if row.read else (None, None, None)),
                long_date(row.accepted.astimezone()) if row.accepted else "",
                row.accepted_by,
                row.note,
            ],
            {1: _STATE_STYLE.get(row.state)},
        )
    sheet.finish("The register lists no groups.")


def _when(text: str) -> str:
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    when = when.astimezone() if when.tzinfo else when  # the officer's own time
    return f"{long_date(when)} {when:%H:%M}"
