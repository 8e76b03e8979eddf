"""The action-planning template as a Word document, laid out as seed 002, on landscape pages.

One table per outcome: the aim, the outcome, the outcome measure with its baseline and yearly
targets, then the action table whose "Targets" heading spans the baseline and the plan years
on a second header row, and empty rows for the group's actions and tasks.
"""

from __future__ import annotations

from pathlib import Path

from docx.document import Document as DocumentObject
from docx.table import Table

from pipeline.register import Group, Outcome
from pipeline.report.palette import BAND_FILL, WORD_HEADER_FILL
from pipeline.templates import docx_parts as parts
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

#: Widths in cm: Action, Task, Measures, then the baseline and one per year, then the rest.
BEFORE_WIDTHS = (2.6, 2.7, 2.4)
BASELINE_WIDTH = 1.7
YEAR_WIDTH = 1.5
# Wide enough for "Timescale", "Organisations" and "Partnership" unbroken in 8pt bold.
AFTER_WIDTHS = (2.7, 1.9, 2.4, 1.7, 2.1, 1.9)
ROWS_PER_OUTCOME = 10
EMPTY_ROW_CM = 1.2
SIZE = 8


def write_plan_docx(group: Group, outcomes: list[Outcome], years: PlanYears, path: Path) -> Path:
    """Write the group's action-planning template as a .docx at `path`."""
    doc = parts.new_document(f"{PLAN_TITLE} – {group.name}", font_size=9)
    parts.heading(doc, f"{PLAN_TITLE} {years.span}", 16)
    parts.heading(doc, group.name, 13, space_after=8)
    instructions = plan_instructions("docx", years)
    parts.heading(doc, instructions[0], 11)
    for text in instructions[1:]:
        doc.add_paragraph(text)
    controls = parts.Controls()
    for outcome in outcomes or [Outcome("", "", group.name)]:
        # One outcome to a page: its table then fits, headings and all.
        parts.spacer(doc, 10, new_page=True)
        _outcome_table(doc, controls, outcome, years)
    return parts.save(doc, path)


def _outcome_table(doc: DocumentObject, controls: parts.Controls, outcome: Outcome, years: PlanYears) -> None:
    widths = (*BEFORE_WIDTHS, BASELINE_WIDTH, *[YEAR_WIDTH] * len(years.years), *AFTER_WIDTHS)
    first_target = len(BEFORE_WIDTHS)
    after = first_target + 1 + len(years.years)
    last = len(widths) - 1
    year_headings = [f"Baseline\n{years.baseline}", *years.years]
    table = parts.table(doc, 6 + ROWS_PER_OUTCOME, widths)

    aim = table.cell(0, 0).merge(table.cell(0, last))
    parts.write(aim, aim_label(outcome.number) if outcome.number else "Aim", bold=True, size=SIZE + 1)
    title = table.cell(1, 0).merge(table.cell(1, last))
    if outcome.number:
        parts.write(title, plan_outcome_label(outcome.number, outcome.title), bold=True, size=SIZE + 2)
    else:
        paragraph = title.paragraphs[0]
        parts.label(paragraph, "Outcome ")
        controls.text(paragraph, None, tag="outcome", alias="Outcome",
                      placeholder="Type the number and title, e.g. 2.1: Communities live…")
    for cell in (aim, title):
        parts.shade(cell, BAND_FILL)

    # The outcome measure: its description spans two rows, its baseline and targets line up
    # with the Targets columns of the action table below.
    measure = table.cell(2, 0).merge(table.cell(3, first_target - 1))
    parts.write(measure, OUTCOME_MEASURE_LABEL, bold=True, size=SIZE)
    controls.text(measure.add_paragraph(), None, tag="outcome-measure", alias="Outcome measure",
                  placeholder="Describe the measure, e.g. Percentage of people who…",
                  multiline=True)
    for offset, text in enumerate(year_headings):
        cell = table.cell(2, first_target + offset)
        parts.write(cell, text, bold=True, size=SIZE)
        parts.shade(cell, WORD_HEADER_FILL)
    table.cell(2, after).merge(table.cell(3, last))
    _headers(table, first_target, after, year_headings)
    for row in table.rows[6:]:
        parts.keep_row_whole(row, EMPTY_ROW_CM)
    for row in table.rows[:6]:
        parts.keep_row_whole(row)
    parts.keep_with_next(table.rows[:6])  # the headings never end a page on their own
    # Repeated on a following page if the group adds rows; Word repeats only rows at the top.
    for row in table.rows[:6]:
        parts.header_row(row)


def _headers(table: Table, first_target: int, after: int, year_headings: list[str]) -> None:
    headings = {i: text for i, text in enumerate(PLAN_HEADERS_BEFORE)}
    headings |= {after + i: text for i, text in enumerate(PLAN_HEADERS_AFTER)}
    for column, text in headings.items():
        cell = table.cell(4, column).merge(table.cell(5, column))
        parts.write(cell, text, bold=True, size=SIZE)
        parts.shade(cell, WORD_HEADER_FILL)
    targets = table.cell(4, first_target).merge(table.cell(4, after - 1))
    parts.write(targets, PLAN_TARGETS, bold=True, size=SIZE)
    parts.shade(targets, WORD_HEADER_FILL)
    for offset, text in enumerate(year_headings):
        cell = table.cell(5, first_target + offset)
        parts.write(cell, text, bold=True, size=SIZE)
        parts.shade(cell, WORD_HEADER_FILL)
