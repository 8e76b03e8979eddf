"""The action-planning template as an Excel workbook: an Instructions sheet, then one landscape
sheet per outcome laid out as seed 002 (aim, outcome, outcome measure, the action table with a
two-row header whose "Targets" spans the baseline and the plan years)."""

from __future__ import annotations

from pathlib import Path

from xlsxwriter.workbook import Workbook

from pipeline.register import Group, Outcome
from pipeline.templates import xlsx_parts as parts
from pipeline.templates.instructions import plan_instructions
from pipeline.templates.wording import (
    OUTCOME_MEASURE_LABEL,
    PLAN_HEADERS_AFTER,
    PLAN_HEADERS_BEFORE,
    PLAN_TARGETS,
    PLAN_TITLE,
    PlanYears,
    aim_label,
    plan_outcome_label,
)

#: Column widths in characters; about 200 in all, so a landscape A4 page prints them at 3/4 size.
BEFORE_WIDTHS = (24.0, 24.0, 20.0)
BASELINE_WIDTH = 11.0
YEAR_WIDTH = 9.0
AFTER_WIDTHS = (24.0, 12.0, 18.0, 14.0, 13.0, 18.0)
ROWS_PER_OUTCOME = 10
EMPTY_ROW_POINTS = 45


def write_plan_xlsx(group: Group, outcomes: list[Outcome], years: PlanYears, path: Path) -> Path:
    """Write the group's action-planning template as an .xlsx at `path`."""
    title = f"{PLAN_TITLE} {years.span}"
    book, formats = parts.new_workbook(path, f"{PLAN_TITLE} – {group.name}")
    parts.write_instructions(book, formats, title, group.name, plan_instructions("xlsx", years))
    for outcome in outcomes or [Outcome("", "", group.name)]:
        _outcome_sheet(book, formats, group, outcome, years, title)
    book.close()
    return path


def _outcome_sheet(book: Workbook, formats: parts.Formats, group: Group, outcome: Outcome,
                   years: PlanYears, title: str) -> None:
    sheet = book.add_worksheet(f"Outcome {outcome.number}" if outcome.number else "Outcome")
    widths = (*BEFORE_WIDTHS, BASELINE_WIDTH, *[YEAR_WIDTH] * len(years.years), *AFTER_WIDTHS)
    last = len(widths) - 1
    first_target = len(BEFORE_WIDTHS)
    after = first_target + 1 + len(years.years)
    year_headings = [f"Baseline {years.baseline}", *years.years]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)

    parts.merge(sheet, 0, 0, 0, last, title, formats.title)
    parts.merge(sheet, 1, 0, 1, last, group.name, formats.group)
    sheet.set_row(0, 22)
    sheet.set_row(1, 18)
    if outcome.number:
        aim = aim_label(outcome.number)
        parts.merge(sheet, 3, 0, 3, last, aim.replace("\n", "  "), formats.band)
        parts.merge(sheet, 4, 0, 4, last, plan_outcome_label(outcome.number, outcome.title),
                    formats.band)
    else:
        parts.merge(sheet, 3, 0, 3, last, "Aim", formats.band)
        parts.merge(sheet, 4, 0, 4, last, "Outcome ", formats.input_band)
        parts.keep_label(sheet, 4, 0, "Outcome", "Outcome 2.1: Communities live, work and play")
    sheet.set_row(3, 18)
    sheet.set_row(4, 20)

    # The outcome measure: its description over two rows, its baseline and targets under the
    # same columns as the action table's Targets.
    parts.merge(sheet, 5, 0, 6, first_target - 1, f"{OUTCOME_MEASURE_LABEL} ", formats.input)
    parts.keep_label(sheet, 5, 0, OUTCOME_MEASURE_LABEL,
                     "Outcome Measure: Percentage of people who feel that …")
    for offset, text in enumerate(year_headings):
        parts.put(sheet, 5, first_target + offset, text, formats.header)
        parts.put(sheet, 6, first_target + offset, "", formats.input)
    sheet.set_row(5, 28)
    sheet.set_row(6, 36)

    header = 8
    for col, text in enumerate(PLAN_HEADERS_BEFORE):
        parts.merge(sheet, header, col, header + 1, col, text, formats.header)
    for offset, text in enumerate(PLAN_HEADERS_AFTER):
        parts.merge(sheet, header, after + offset, header + 1, after + offset, text, formats.header)
    parts.merge(sheet, header, first_target, header, after - 1, PLAN_TARGETS, formats.header)
    for offset, text in enumerate(year_headings):
        parts.put(sheet, header + 1, first_target + offset, text, formats.header)
    sheet.set_row(header, 28)
    sheet.set_row(header + 1, 28)
    for r in range(header + 2, header + 2 + ROWS_PER_OUTCOME):
        for col in range(last + 1):
            parts.put(sheet, r, col, "", formats.input)
        sheet.set_row(r, EMPTY_ROW_POINTS)
    parts.print_setup(sheet, f"{title} – {group.name}")
    sheet.repeat_rows(header, header + 1)
    parts.protect(sheet)
