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

from pipeline.model import Consolidation, Status, TaskRecord
from pipeline.normalise.headers import TASK_HEADERS
from pipeline.report import docx_table_xml as xml
from pipeline.report.atomic import atomic_output
from pipeline.report.docx_layout import (
    add_page_numbers,
    add_text,
    set_up_fonts,
    set_up_page,
    usable_width,
)
from pipeline.report.palette import BAND_FILL, STATUS_FILL, STATUS_FONT, WORD_HEADER_FILL
from pipeline.report.text import clean, lines

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
    Every paragraph of those two rows is kept with the next, so the headings stay with the
    first task; task rows never split. The XML is written as text (`docx_table_xml`): the same
    elements python-docx makes, twenty times faster.
    """
    widths = [int(width * share) for share in _TASK_SHARES]
    widths[-1] = width - sum(widths[:-1])
    ref = [xml.paragraph(xml.run("Ref:", bold=True), keep_with_next=True)]
    if block.ref.strip():
        ref.append(xml.paragraph(xml.run(block.ref.strip()), keep_with_next=True))
    action_lines = [line for line in lines(block.action) if line.strip()] or [""]
    action = [xml.paragraph(xml.run("Action: ", bold=True) + xml.run(action_lines[0]),
                            keep_with_next=True)]
    action += [xml.paragraph(xml.run(line), keep_with_next=True) for line in action_lines[1:]]
    rows = [
        xml.row([xml.cell(ref, widths[0], fill=BAND_FILL),
                 xml.cell(action, sum(widths[1:]), span=len(widths) - 1, fill=BAND_FILL)],
                header=True),
        xml.row([xml.cell([xml.paragraph(xml.run(text, bold=True), keep_with_next=True,
                                         center=text == "Status")], w, fill=WORD_HEADER_FILL)
                 for text, w in zip(TASK_HEADERS, widths, strict=True)], header=True),
    ]
    for task in block.tasks:
        texts = (task.task, task.target, task.position)
        cells = [xml.cell(_text_paragraphs(lines(text)), w)
                 for text, w in zip(texts, widths, strict=False)]
        cells.append(_status_cell(task, widths[3]))
        cells.append(xml.cell(_text_paragraphs(lines(task.planned)), widths[4]))
        rows.append(xml.row(cells))
    style_id = document.styles["Table Grid"].style_id
    document.element.body._insert_tbl(xml.table(rows, widths, style_id))


def _text_paragraphs(texts: Sequence[str]) -> list[str]:
    """One paragraph per line as `docx_layout.fill_cell` writes them, blank lines left out."""
    return [xml.paragraph(xml.run(line)) for line in texts if line.strip()]


def _status_cell(task: TaskRecord, width: int) -> str:
    """The status word on its colour, then the direction of travel and any statuses as written."""
    status = task.status or Status.AMBER
    colour = STATUS_FONT[status]
    paragraphs = [xml.paragraph(xml.run(status.value, bold=True, color=colour), center=True)]
    extra = []
    if task.direction.strip():
        extra.append(direction_mark(task.direction))
    written = [line.strip() for line in lines(task.status_text) if line.strip()]
    if len(written) > 1:
        # One cell held several sub-task statuses (seed 000's ACHIEVED, ACHIEVED, AMBER).
        extra.append("(" + ", ".join(written) + ")")
    paragraphs += [xml.paragraph(xml.run(text, color=colour, size=Pt(8)), center=True)
                   for text in extra]
    return xml.cell(paragraphs, width, fill=STATUS_FILL[status])


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
