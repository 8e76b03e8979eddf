"""The Trend sheet: tasks by status for every recorded period (with a chart), per group, and a
status strip per task over the last four periods ('R R A G').

Made from `Consolidation.trend` (read from the history by `pipeline.history.trend`) and this
period's tasks. Written strictly row by row, so it works in constant-memory mode too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.consolidate.result import Consolidation
from pipeline.records import EXCEPTION_STATUSES, STATUS_WORD, Status
from pipeline.report.xlsx_chart import COUNTED, status_chart
from pipeline.report.xlsx_sheet import (
    A4,
    CellValue,
    chars_per_line,
    check,
    draw_grid,
    put,
    setup_print,
    write_cells,
)
from pipeline.report.xlsx_styles import Styles, status_style

SHEET = "Trend"
#: Periods shown in a task's status strip, this one included.
STRIP_PERIODS = 4
UNIDENTIFIED = "(group not identified)"
#: Columns: A period or group; B to G the counts, or B to E the strip's periods, F the strip and
#: G the Ref; H the task. About 150 characters: A4 landscape at nearly full size.
WIDTHS = [34, 11, 11, 11, 11, 11, 11, 50]
#: Rows the chart takes below the totals.
CHART_ROWS = 18
STRIP_COL = 1 + STRIP_PERIODS
STRIP_KEY = ("Strip, earliest period first: R red, A amber, G green, ✓ achieved, ? no status, "
             "– not reported that period.")


def trend_rows(result: Consolidation) -> tuple[list[str], dict[str, Counter[tuple[str, Status | None]]]]:
    """Every period (earlier recorded ones, then this one) and its tasks counted by (group, status)."""
    trend = result.trend
    periods = list(trend.periods) if trend is not None else []
    counts = {p: Counter(trend.counts.get(p, Counter())) for p in periods} if trend else {}
    now: Counter[tuple[str, Status | None]] = Counter()
    for task in result.tasks:
        now[(task.group or UNIDENTIFIED, task.status)] += 1
    label = result.period or "this period"
    periods.append(label)
    counts[label] = now
    return periods, counts


def task_strips(result: Consolidation) -> tuple[list[str], list[tuple[list[Status | None | str], str]]]:
    """The last periods' labels and, per current task, its status in each ('' when not reported)
    and the strip ('– A R G')."""
    from pipeline.history.trend import status_strip

    trend = result.trend
    earlier_periods = list(trend.periods) if trend is not None else []
    shown = earlier_periods[-(STRIP_PERIODS - 1):]
    earlier = (trend.earlier_statuses(result.tasks, trend.lines_of_run) if trend is not None
               else [{} for _ in result.tasks])
    rows: list[tuple[list[Status | None | str], str]] = []
    for task, before in zip(result.tasks, earlier, strict=True):
        cells: list[Status | None | str] = [before[p] if p in before else "" for p in shown]
        cells.append(task.status)
        rows.append((cells, status_strip(before, earlier_periods, task.status,
                                         length=STRIP_PERIODS)))
    return [*shown, result.period or "this period"], rows


def write_trend_sheet(book: Workbook, styles: Styles, result: Consolidation, *, title: str) -> None:
    """Totals per period and a chart; counts per group and period; each task's status strip."""
    sheet = book.add_worksheet(SHEET)
    for col, width in enumerate(WIDTHS):
        check(sheet.set_column(col, col, width), sheet, "column width")
    sheet.freeze_panes(1, 0)
    setup_print(sheet, title=title, repeat_header=False, paper=A4)
    periods, counts = trend_rows(result)
    headers = ["Period", *(s.value for s in COUNTED), "No status", "Total"]
    _row(sheet, styles, 0, headers, "header")
    row = 1
    for period in periods:
        total: Counter[Status | None] = Counter()
        for (_, status), n in counts[period].items():
            total[status] += n
        _counts(sheet, styles, row, period, total)
        row += 1
    if len(periods) == 1:
        put(sheet, styles, row, 0, "No earlier period is recorded in the history yet.", "note")
        row += 1
    _chart(book, sheet, first_row=1, last_row=len(periods), at_row=row + 1)
    row += CHART_ROWS + 2

    put(sheet, styles, row, 0, "By group and period", "heading")
    row += 1
    _row(sheet, styles, row, ["Group / period", *headers[1:]], "header")
    row += 1
    groups = list(dict.fromkeys([*result.groups,
                                 *(g for p in periods for (g, _) in counts[p])]))
    # Each group's counts by period, indexed once (not searched for each group).
    by_group: dict[str, dict[str, Counter[Status | None]]] = {}
    for period in periods:
        for (g, status), n in counts[period].items():
            by_group.setdefault(g, {}).setdefault(period, Counter())[status] += n
    for group in groups:
        if group not in by_group:
            continue
        # Across the table's width: a long group name would otherwise run into the counts.
        check(sheet.merge_range(row, 0, row, len(headers) - 1, "", styles.get("total")), sheet,
              "merged cell")
        put(sheet, styles, row, 0, group, "total")
        row += 1
        for period in periods:
            _counts(sheet, styles, row, "   " + period, by_group[group].get(period, Counter()))
            row += 1

    row += 1
    put(sheet, styles, row, 0, "Each task's status over the last periods", "heading")
    row += 1
    put(sheet, styles, row, 0, STRIP_KEY, "note")
    row += 1
    shown, strips = task_strips(result)
    first_period_col = 1 + (STRIP_PERIODS - len(shown))
    strip_headers: list[CellValue] = ["Group", *([None] * (STRIP_PERIODS - len(shown))), *shown,
                                      "Strip", "Ref", "Task"]
    _row(sheet, styles, row, strip_headers, "header")
    row += 1
    first_strip_row = row
    per_line = chars_per_line(WIDTHS)
    text, number = styles.get("text"), styles.get("number")
    by_status = {status: styles.get(status_style(status) or "text") for status in Status}
    blank_periods: list[CellValue] = [None] * (STRIP_PERIODS - len(shown))
    # A period's cell: the status's word, "no status" (reported without one), "–" (not reported).
    words: dict[Status | None | str, CellValue] = {None: "no status", "": "–"}
    words.update((status, STATUS_WORD[status]) for status in Status)
    # The row's formats follow its statuses: made once for each run of statuses met.
    formats_of: dict[tuple[Status | None | str, ...], list[Format]] = {}
    for task, (cells, strip) in zip(result.tasks, strips, strict=True):
        values: list[CellValue] = [task.group or UNIDENTIFIED, *blank_periods,
                                   *[words.get(c, "–") for c in cells], strip, task.ref, task.task]
        statuses = tuple(cells)
        formats = formats_of.get(statuses)
        if formats is None:
            formats = formats_of[statuses] = [text] * len(values)
            for index, cell in enumerate(cells):
                if isinstance(cell, Status):
                    formats[first_period_col + index] = by_status[cell]
            formats[STRIP_COL] = number
        write_cells(sheet, styles, row, values, formats, per_line)
        row += 1
    draw_grid(sheet, styles, first_strip_row, 0, row - 1, len(WIDTHS) - 1)


def _row(sheet: Worksheet, styles: Styles, row: int, values: Sequence[CellValue], style: str) -> None:
    for col, value in enumerate(values):
        put(sheet, styles, row, col, value, style)


def _counts(sheet: Worksheet, styles: Styles, row: int, label: str,
            counts: Counter[Status | None]) -> None:
    put(sheet, styles, row, 0, label, "text")
    for offset, status in enumerate(COUNTED):
        value = counts[status]
        style = (status_style(status) if value and status in EXCEPTION_STATUSES
                 else "number") or "number"
        put(sheet, styles, row, 1 + offset, value, style)
    put(sheet, styles, row, 1 + len(COUNTED), counts[None], "number")
    put(sheet, styles, row, 2 + len(COUNTED), counts.total(), "number")


def _chart(book: Workbook, sheet: Worksheet, *, first_row: int, last_row: int, at_row: int) -> None:
    """A stacked column per period, each status in its colour, under the totals."""
    chart = status_chart(book, SHEET, first_row=first_row, last_row=last_row, first_col=1,
                         title="Tasks by status, period by period")
    chart.set_size({"width": 640, "height": 340})
    check(sheet.insert_chart(at_row, 0, chart), sheet, "chart")
