"""The quarterly progress return as an Excel workbook: an Instructions sheet, then one sheet per
outcome laid out as seed 001 (summary block, then per action Ref, Action and the task table).

One sheet per outcome, not one long sheet: each sheet is one table to the interpreter, and a
summary block that comes after a task table on the same sheet would be read under that
table's columns.
"""

from __future__ import annotations

from pathlib import Path

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.normalise.headers import TASK_HEADERS
from pipeline.templates import xlsx_parts as parts
from pipeline.templates.content import ActionBlock, OutcomeBlock, ProgressContent
from pipeline.templates.instructions import progress_instructions
from pipeline.templates.wording import (
    ACTION_LABEL,
    CONTACT_LABEL,
    DATE_LABEL,
    PROGRESS_TITLE,
    REF_LABEL,
    SUB_GROUP_LABEL,
    SUMMARY_LABELS,
    outcome_label,
)

#: Column widths in characters: Tasks, Target, Position, Status, Planned improvement.
WIDTHS = (44.0, 26.0, 44.0, 13.0, 44.0)
LAST = len(WIDTHS) - 1
STATUS_COL = 3
COUNT_COL = 3


def write_progress_xlsx(content: ProgressContent, path: Path, prefilled_from: str = "") -> Path:
    """Write the group's progress template as an .xlsx at `path`."""
    title = f"{PROGRESS_TITLE} – {content.group.name}"
    book, formats = parts.new_workbook(path, title)
    parts.write_instructions(book, formats, PROGRESS_TITLE, content.group.name,
                             progress_instructions("xlsx", prefilled_from))
    names: set[str] = set()
    for outcome in content.outcomes:
        _outcome_sheet(book, formats, content, outcome, _sheet_name(outcome, names), title)
    book.close()
    return path


def _sheet_name(outcome: OutcomeBlock, taken: set[str]) -> str:
    name = f"Outcome {outcome.number}" if outcome.number else "Outcome"
    # Sheet names are unique and at most 31 characters; outcome numbers are short.
    base, n = name[:28], 2
    while name in taken:
        name, n = f"{base} ({n})", n + 1
    taken.add(name)
    return name


def _outcome_sheet(book: Workbook, formats: parts.Formats, content: ProgressContent,
                   outcome: OutcomeBlock, name: str, title: str) -> None:
    sheet = book.add_worksheet(name)
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    parts.merge(sheet, 0, 0, 0, LAST, PROGRESS_TITLE, formats.title)
    parts.merge(sheet, 1, 0, 1, LAST, content.group.name, formats.group)
    sheet.set_row(0, 22)
    sheet.set_row(1, 18)
    row = _summary(sheet, formats, content, outcome, 3)
    for action in outcome.actions:
        row = _action(sheet, formats, action, outcome, row + 1)
    parts.print_setup(sheet, title)
    parts.protect(sheet)


def _summary(sheet: Worksheet, formats: parts.Formats, content: ProgressContent,
             outcome: OutcomeBlock, row: int) -> int:
    """The outcome heading and the summary block from `row`; returns the next free row."""
    if outcome.number:
        parts.merge(sheet, row, 0, row, LAST, outcome_label(outcome.number, outcome.title),
                    formats.band)
    else:
        parts.merge(sheet, row, 0, row, LAST, "Outcome: ", formats.input_band)
        parts.keep_label(sheet, row, 0, "Outcome:", "Outcome: 2.1 Communities live, work and play")
    sheet.set_row(row, 20)
    parts.merge(sheet, row + 1, 0, row + 1, LAST, "Summary", formats.bold_label)
    first = row + 2
    # The left-hand labels span the first two columns (seed 001's blank second column), so a
    # long group name stays on one line.
    parts.merge(sheet, first, 0, first, 1, f"{DATE_LABEL} ", formats.input)
    parts.keep_label(sheet, first, 0, DATE_LABEL, "Date: 4 September 2008")
    parts.merge(sheet, first + 1, 0, first + 1, 1, f"{SUB_GROUP_LABEL} {content.group.name}",
                formats.label)
    if content.contact:
        parts.merge(sheet, first + 2, 0, first + 2, 1, f"{CONTACT_LABEL} {content.contact}",
                    formats.label)
    else:
        parts.merge(sheet, first + 2, 0, first + 2, 1, f"{CONTACT_LABEL} ", formats.input)
        parts.keep_label(sheet, first + 2, 0, CONTACT_LABEL, "Contact: Di Robinson")
    parts.merge(sheet, first + 3, 0, first + 3, 1, "", formats.label)
    for offset, (text, status) in enumerate(SUMMARY_LABELS):
        r = first + offset
        parts.put(sheet, r, 2, text, formats.status_label[status] if status else formats.bold_label)
        parts.put(sheet, r, COUNT_COL, "", formats.centred_input)
        parts.count_check(sheet, r, COUNT_COL)
        sheet.set_row(r, 18)
    return first + len(SUMMARY_LABELS)


def _action(sheet: Worksheet, formats: parts.Formats, action: ActionBlock, outcome: OutcomeBlock,
            row: int) -> int:
    """A Ref/Action block and its task table from `row`; returns the next free row."""
    example_ref = f"{outcome.number or '2.1'}a"
    parts.merge(sheet, row, 0, row, LAST, f"{REF_LABEL} {action.ref}", formats.input_band)
    parts.keep_label(sheet, row, 0, REF_LABEL, f"Ref: {example_ref}")
    parts.merge(sheet, row + 1, 0, row + 1, LAST, f"{ACTION_LABEL} {action.action}", formats.input_band)
    parts.keep_label(sheet, row + 1, 0, ACTION_LABEL, "Action: Take action to increase community cohesion")
    sheet.set_row(row + 1, parts.row_height_for([f"{ACTION_LABEL} {action.action}"], [sum(WIDTHS)], 24))
    header = row + 2
    for col, text in enumerate(TASK_HEADERS):
        parts.put(sheet, header, col, text, formats.header)
    sheet.set_row(header, 28)
    first = header + 1
    lines = action.rows
    for offset, line in enumerate(lines):
        r = first + offset
        values = [line.task, line.target, line.position, line.status.value if line.status else "",
                  line.planned]
        for col, value in enumerate(values):
            parts.put(sheet, r, col, value, formats.centred_input if col == STATUS_COL else formats.input)
        sheet.set_row(r, parts.row_height_for(values, WIDTHS, parts.EMPTY_ROW_POINTS))
    last = first + len(lines) - 1
    parts.status_choice(sheet, first, last, STATUS_COL)
    parts.colour_statuses(sheet, formats, first, last, STATUS_COL)
    return last + 2
