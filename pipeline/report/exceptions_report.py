"""The Executive's report: every task at amber or red, by group and action, as in seed 000."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import docx
from docx.document import Document
from docx.shared import Pt
from docx.table import _Cell

from pipeline.model import Consolidation, Status, TaskRecord
from pipeline.report.atomic import atomic_output
from pipeline.report.docx_layout import (
    add_page_numbers,
    add_text,
    fill_cell,
    fix_widths,
    keep_row_whole,
    keep_with_next,
    repeat_as_header,
    set_up_fonts,
    set_up_page,
    shade,
    usable_width,
)
from pipeline.report.palette import BAND_FILL, STATUS_FILL, STATUS_FONT, WORD_HEADER_FILL
from pipeline.report.text import clean, lines

TASK_HEADERS = (
    "Tasks",
    "Target",
    "Position",
    "Status",
    "Planned improvement/action needed and deadline",
)
#: Shares of the page width: the three prose columns wide, Status just wide enough for a word.
_TASK_SHARES = (0.23, 0.15, 0.25, 0.09, 0.28)
UNIDENTIFIED = "Group not identified"

#: How a direction of travel is shown after the status; anything else is shown as written.
DIRECTION_MARKS = {
    "improved": "↑ improved",
    "better": "↑ improved",
    "up": "↑ improved",
    "worsened": "↓ worsened",
    "worse": "↓ worsened",
    "down": "↓ worsened",
    "same": "→ no change",
    "unchanged": "→ no change",
    "no change": "→ no change",
    "new": "new",
}


@dataclass
class ActionBlock:
    """Consecutive exception tasks of one group, outcome, Ref and action: one Ref/Action block."""

    ref: str
    action: str
    tasks: list[TaskRecord]


def report_title(period: str) -> str:
    """The report's title for a period, worded as the partnership's own report."""
    title = "Action plan tasks at amber or red"
    return f"{title} as at {period.strip()}" if period.strip() else title


def direction_mark(direction: str) -> str:
    """The direction of travel as an arrow and a word ('improved' gives '↑ improved')."""
    text = " ".join(clean(direction).split())
    return DIRECTION_MARKS.get(text.casefold(), text)


def groups_in_order(result: Consolidation) -> list[tuple[str, list[TaskRecord]]]:
    """Each group with amber or red tasks, in the register's order; unregistered groups last."""
    by_group: dict[str, list[TaskRecord]] = {g: [] for g in result.groups}
    for task in result.exceptions:
        # A task whose group is unknown is still reported: the Executive must not lose it.
        by_group.setdefault(task.group or UNIDENTIFIED, []).append(task)
    return [(group, tasks) for group, tasks in by_group.items() if tasks]


def action_blocks(tasks: Sequence[TaskRecord]) -> Iterator[ActionBlock]:
    """Runs of consecutive tasks sharing group, outcome, Ref and action, in arrival order."""
    for (_, _, ref, action), run in groupby(
        tasks, key=lambda t: (t.group, t.outcome, t.ref, t.action)
    ):
        yield ActionBlock(ref=ref, action=action, tasks=list(run))


def write_exceptions(result: Consolidation, path: Path) -> None:
    """Write the amber/red exceptions report (Word) to `path`, whole or not at all."""
    document = build_exceptions(result)
    with atomic_output(Path(path)) as temp:
        document.save(str(temp))


def build_exceptions(result: Consolidation) -> Document:
    """The exceptions report as a python-docx Document, not yet saved."""
    document = docx.Document()
    set_up_page(document)
    set_up_fonts(document)
    title = report_title(result.period)
    _properties(document, result, title)
    add_page_numbers(document, title)
    document.add_paragraph(clean(title), style="Title")
    _introduction(document, result)
    width = usable_width(document)
    for group, tasks in groups_in_order(result):
        document.add_heading(clean(group), level=1)
        for block in action_blocks(tasks):
            _action_table(document, block, width)
            _notes(document, block.tasks)
    return document


def _properties(document: Document, result: Consolidation, title: str) -> None:
    props = document.core_properties
    props.title = title
    props.subject = "Action plan tasks at amber or red"
    # The template's own values ("python-docx", a 2013 date) would otherwise show in File > Info.
    props.author = props.last_modified_by = "Partnership"
    props.comments = ""
    props.revision = 1
    when = _parse_when(result.generated)
    if when is not None:
        props.created = props.modified = when


def _parse_when(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _as_date(text: str) -> str:
    when = _parse_when(text)
    return f"{when.day} {when:%B %Y}" if when else clean(text)


def _and_list(names: Sequence[str]) -> str:
    names = [clean(n) for n in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _introduction(document: Document, result: Consolidation) -> None:
    """Who and how many: the line the Executive reads before the tables."""
    exceptions = result.exceptions
    reds = sum(1 for t in exceptions if t.status is Status.RED)
    ambers = len(exceptions) - reds
    reporting = groups_in_order(result)
    paragraph = document.add_paragraph()
    add_text(paragraph, f"Produced on {_as_date(result.generated)} from the returns received. ")
    if exceptions:
        groups = len(reporting)
        add_text(
            paragraph,
            f"{len(exceptions)} {'task is' if len(exceptions) == 1 else 'tasks are'} at amber or "
            f"red ({reds} red, {ambers} amber) across {groups} "
            f"{'group' if groups == 1 else 'groups'}.",
            bold=True,
        )
    else:
        add_text(paragraph, "No task is at amber or red.", bold=True)
    with_exceptions = {group for group, _ in reporting}
    missing = set(result.missing_groups)
    clear = [g for g in result.groups if g not in with_exceptions and g not in missing]
    if clear:
        verb = "has" if len(clear) == 1 else "have"
        document.add_paragraph(f"{_and_list(clear)} {verb} no tasks at amber or red.")
    if result.missing_groups:
        paragraph = document.add_paragraph()
        add_text(paragraph, "No return received from: ", bold=True)
        add_text(paragraph, _and_list(result.missing_groups) + ".")


def _action_table(document: Document, block: ActionBlock, width: int) -> None:
    """One table per action: the Ref:/Action: row of seed 000, the column headings, the tasks.

    The first two rows repeat on every page the table runs onto, so a continued table still
    says which action it belongs to; being one table, the Ref/Action row can never be left
    alone at the foot of a page (two tables kept together is a hint LibreOffice ignores).
    """
    table = document.add_table(rows=2, cols=len(TASK_HEADERS))
    table.style = document.styles["Table Grid"]
    ref_row, header = table.rows
    ref_cell = ref_row.cells[0]
    action_cell = ref_row.cells[1].merge(ref_row.cells[-1])
    add_text(ref_cell.paragraphs[0], "Ref:", bold=True)
    if block.ref.strip():
        add_text(ref_cell.add_paragraph(), block.ref.strip())
    action_lines = [line for line in lines(block.action) if line.strip()] or [""]
    first = action_cell.paragraphs[0]
    add_text(first, "Action: ", bold=True)
    add_text(first, action_lines[0])
    for line in action_lines[1:]:
        add_text(action_cell.add_paragraph(), line)
    shade(ref_cell, BAND_FILL)
    shade(action_cell, BAND_FILL)
    for cell, text in zip(header.cells, TASK_HEADERS, strict=True):
        fill_cell(cell, [text], bold=True, center=text == "Status")
        shade(cell, WORD_HEADER_FILL)
    for row in (ref_row, header):
        repeat_as_header(row)
        # The headings stay with the first task rather than ending a page on their own.
        keep_with_next(row)
    for task in block.tasks:
        row = table.add_row()
        task_cell, target, position, status, planned = row.cells
        fill_cell(task_cell, lines(task.task))
        fill_cell(target, lines(task.target))
        fill_cell(position, lines(task.position))
        _status_cell(status, task)
        fill_cell(planned, lines(task.planned))
        keep_row_whole(row)
    widths = [int(width * share) for share in _TASK_SHARES]
    widths[-1] = width - sum(widths[:-1])
    fix_widths(table, widths)


def _status_cell(cell: _Cell, task: TaskRecord) -> None:
    """The status word on its colour, then the direction of travel and any statuses as written."""
    status = task.status or Status.AMBER
    fill_cell(cell, [status.value], bold=True, color=STATUS_FONT[status], center=True)
    shade(cell, STATUS_FILL[status])
    extra = []
    if task.direction.strip():
        extra.append(direction_mark(task.direction))
    written = [line.strip() for line in lines(task.status_text) if line.strip()]
    if len(written) > 1:
        # One cell held several sub-task statuses (seed 000's ACHIEVED, ACHIEVED, AMBER).
        extra.append("(" + ", ".join(written) + ")")
    for text in extra:
        paragraph = cell.add_paragraph()
        add_text(paragraph, text, color=STATUS_FONT[status], size=Pt(8))
        paragraph.alignment = cell.paragraphs[0].alignment


def _notes(document: Document, tasks: Sequence[TaskRecord]) -> None:
    """Free paragraphs that followed the action's table in the return, each once."""
    seen: list[str] = []
    for task in tasks:
        for line in lines(task.notes):
            if line.strip() and line.strip() not in seen:
                seen.append(line.strip())
    for line in seen:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(4)
        add_text(paragraph, line)
    # Breathing space before the next action, and Word would join two touching tables into one.
    document.add_paragraph().paragraph_format.space_after = Pt(6)
