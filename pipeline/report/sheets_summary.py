"""The Summary sheet: counts by group and by outcome, a chart, and who has not sent a return."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.consolidate.result import Consolidation
from pipeline.records import Status, TaskRecord
from pipeline.report.xlsx_chart import COUNTED, status_chart
from pipeline.report.xlsx_sheet import A3, CellValue, check, put, row_height, setup_print
from pipeline.report.xlsx_styles import Styles, status_style

SHEET = "Summary"
#: Statuses in the order of the count columns and of the chart's series.
COUNT_HEADERS = [s.value for s in COUNTED] + ["No status", "Total"]
# Both tables share columns: A group, B and C what each row is about, D to I the counts, so
# the counts of the two tables sit under one another and the column widths suit both.
GROUP_HEADERS = ["Group", "Outcomes", "Note", *COUNT_HEADERS]
OUTCOME_HEADERS = ["Group", "Outcome", "Outcome title", *COUNT_HEADERS]
WIDTHS = [40, 10, 36, 8, 8, 8, 9, 9, 8]
FIRST_COUNT_COL = 3
CHART_COL = len(WIDTHS) + 1
UNIDENTIFIED = "(group not identified)"


@dataclass
class Tally:
    """Tasks counted by status for one group or one outcome."""

    counts: Counter[Status | None] = field(default_factory=Counter)
    outcomes: set[str] = field(default_factory=set)
    title: str = ""

    def add(self, task: TaskRecord) -> None:
        """Count one task."""
        self.counts[task.status] += 1
        if task.outcome:
            self.outcomes.add(task.outcome)
        self.title = self.title or task.outcome_title

    def cells(self) -> list[CellValue]:
        """The count cells: one per counted status, then No status, then Total."""
        return [*(self.counts[s] for s in COUNTED), self.counts[None], self.counts.total()]


def group_name(task: TaskRecord) -> str:
    """The group a task is counted under; tasks whose group was not identified are kept too."""
    return task.group or UNIDENTIFIED


def tally(result: Consolidation) -> tuple[dict[str, Tally], dict[tuple[str, str], Tally]]:
    """Counts per group (register order, then groups not in the register) and per outcome."""
    by_group: dict[str, Tally] = {g: Tally() for g in result.groups}
    by_outcome: dict[tuple[str, str], Tally] = {}
    for task in result.tasks:
        name = group_name(task)
        # Looked up first: `setdefault(key, Tally())` would make a Tally for every task.
        group = by_group.get(name)
        if group is None:
            group = by_group[name] = Tally()
        group.add(task)
        outcome = by_outcome.get((name, task.outcome))
        if outcome is None:
            outcome = by_outcome[name, task.outcome] = Tally()
        outcome.add(task)
    order = {g: i for i, g in enumerate(by_group)}
    # Tasks arrive in report order already; sorting by group only guards against a stray one.
    outcomes = dict(sorted(by_outcome.items(), key=lambda item: order[item[0][0]]))
    return by_group, outcomes


def write_summary_sheet(book: Workbook, sheet: Worksheet, styles: Styles, result: Consolidation, *,
                        title: str) -> None:
    """The Summary sheet (added first, filled last): the group table from row 1, the outcome
    table, the chart, the notes with the reconciliation of what the other sheets hold."""
    for col, width in enumerate(WIDTHS):
        check(sheet.set_column(col, col, width), sheet, "column width")
    sheet.freeze_panes(1, 0)
    # A3: the tables and the chart beside them print one page wide at nearly full size; on A4
    # Excel's fit-to-width shrinks them to what the printer has.
    setup_print(sheet, title=title, repeat_header=False, paper=A3)
    by_group, by_outcome = tally(result)
    missing, registered = set(result.missing_groups), set(result.groups)

    _header(sheet, styles, 0, GROUP_HEADERS)
    row = 1
    for name, counts in by_group.items():
        if name in missing:
            note = "No return received"
        elif name not in registered:
            note = "Not in the register"
        elif not counts.counts:
            note = "No tasks read from the return"
        else:
            note = ""
        outcomes = None if name in missing else len(counts.outcomes)
        _counts_row(sheet, styles, row, [name, outcomes, note], counts.cells())
        row += 1
    groups_end = row - 1
    total = Tally()
    for counts in by_group.values():
        total.counts.update(counts.counts)
    _counts_row(sheet, styles, row, ["Total", None, ""], total.cells(), total_row=True)
    tallest = max((sum(t.counts[s] for s in COUNTED) for t in by_group.values()), default=0)
    _chart(book, sheet, first_row=1, last_row=groups_end, most=tallest)

    row += 2
    put(sheet, styles, row, 0, "By outcome", "heading")
    row += 1
    _header(sheet, styles, row, OUTCOME_HEADERS)
    row += 1
    for (name, outcome), counts in by_outcome.items():
        _counts_row(sheet, styles, row, [name, outcome, counts.title], counts.cells())
        row += 1
    if not by_outcome:
        put(sheet, styles, row, 0, "No tasks were read from any return.", "warning")
        row += 1

    row += 1
    put(sheet, styles, row, 0, "Returns", "heading")
    row += 1
    missing_line = (
        "No return received from: " + ", ".join(result.missing_groups) + "."
        if result.missing_groups
        else "Every group in the register sent a return."
    )
    for text, style in (
        (missing_line, "note-bold" if result.missing_groups else "note"),
        (result.reconciliation.line(), "note"),
        (f"Period: {result.period}. Consolidated {result.generated.replace('T', ' ')}.", "note"),
    ):
        _note(sheet, styles, row, text, style)
        row += 1


def _header(sheet: Worksheet, styles: Styles, row: int, headers: Sequence[str]) -> None:
    for col, header in enumerate(headers):
        put(sheet, styles, row, col, header, "header-count" if col >= FIRST_COUNT_COL else "header")


def _counts_row(
    sheet: Worksheet,
    styles: Styles,
    row: int,
    labels: Sequence[CellValue],
    counts: Sequence[CellValue],
    *,
    total_row: bool = False,
) -> None:
    height = row_height([*labels, *counts], WIDTHS)
    if height is not None:
        check(sheet.set_row(row, height), sheet, "row height")
    for col, value in enumerate(labels):
        style = "number" if isinstance(value, int) else "text"
        put(sheet, styles, row, col, value, "total" if total_row else style)
    for offset, value in enumerate(counts):
        col = FIRST_COUNT_COL + offset
        style = "total-number" if total_row else "number"
        # A count of amber or red tasks is shown in its colour, so problems stand out.
        if not total_row and offset < len(COUNTED) and value:
            style = status_style(COUNTED[offset]) or style
        put(sheet, styles, row, col, value, style)


def _note(sheet: Worksheet, styles: Styles, row: int, text: str, style: str) -> None:
    """A sentence across the tables' width; merged cells do not grow, so the height is set."""
    last_col = len(WIDTHS) - 1
    check(sheet.merge_range(row, 0, row, last_col, "", styles.get(style)), sheet, "merged cell")
    put(sheet, styles, row, 0, text, style)
    chars_per_line = sum(WIDTHS) * 0.95
    lines = max(1, math.ceil(len(text) / chars_per_line))
    check(sheet.set_row(row, 13.5 * lines), sheet, "row height")


def _chart(
    book: Workbook, sheet: Worksheet, *, first_row: int, last_row: int, most: int
) -> None:
    """A stacked column per group, each status in its own colour, to the right of the tables."""
    if last_row < first_row:
        return  # no groups at all: nothing to draw
    # Whole tasks: without a unit the axis counts in halves when the bars are short.
    chart = status_chart(book, SHEET, first_row=first_row, last_row=last_row,
                         first_col=FIRST_COUNT_COL, title="Tasks by status",
                         major_unit=max(1, math.ceil(most / 8)))
    groups = last_row - first_row + 1
    chart.set_size({"width": 560, "height": max(340, 30 * groups + 200)})
    check(sheet.insert_chart(1, CHART_COL, chart), sheet, "chart")
