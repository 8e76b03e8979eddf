"""The Executive's board pack: every task at amber or red, by group and action, as in seed 000,
with a cover, headline figures, the trend of each exception and a data-quality appendix."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import docx
from docx.document import Document
from docx.shared import Pt

from pipeline.atomic import atomic_output
from pipeline.consolidate.result import Consolidation
from pipeline.heap import collector_paused
from pipeline.normalise.headers import TASK_HEADERS
from pipeline.records import Status, TaskRecord
from pipeline.report import board, board_cover, board_tables
from pipeline.report import docx_table_xml as xml
from pipeline.report.docx_layout import (
    add_page_numbers,
    add_text,
    set_up_fonts,
    set_up_page,
    usable_width,
)
from pipeline.report.docx_stream import StreamedDocument, StreamedPart
from pipeline.report.palette import BAND_FILL, STATUS_FILL, STATUS_FONT, WORD_HEADER_FILL
from pipeline.report.text import clean, lines
from pipeline.report.wording import and_list, as_date, parse_when
from pipeline.words import plural

#: Shares of the page width: the three prose columns wide, Status wide enough for its trend.
_TASK_SHARES = (0.22, 0.14, 0.24, 0.12, 0.28)
UNIDENTIFIED = board.UNIDENTIFIED

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


def write_exceptions(result: Consolidation, path: Path) -> int:
    """Write the board pack (the amber/red exceptions report, Word) to `path`, whole or not at all;
    returns the amber and red tasks it lists, counted in the rows written.

    The collector is paused, as for the master workbook: the report makes many short-lived lists
    and no garbage worth collecting (1.4% of its instructions at 1,000 returns)."""
    with collector_paused():
        report, listed = build_exceptions(result)
        with atomic_output(Path(path)) as temp:
            report.save(temp)
    return listed.rows_written


def build_exceptions(result: Consolidation) -> tuple[StreamedDocument, StreamedPart]:
    """The board pack, not yet saved, and the part that lists the exceptions (one table row per
    task, counted as it is written).

    First the facts of the period and the headline figures, then the key (kept on one page); the
    exceptions by group, outcome and action; what came off the list; the data-quality appendix.
    The tables are made as XML text while the document is saved (`docx_stream`).
    """
    document = docx.Document()
    report = StreamedDocument(document)
    set_up_page(document)
    set_up_fonts(document)
    title = report_title(result.period)
    _properties(document, result, title)
    add_page_numbers(document, footer_text(result))
    width = usable_width(document)
    board_cover.write_cover(report, result, title, width)
    _section_heading(document, "Headline figures")
    board_tables.headline_table(report, result, width)
    board_cover.write_key(report, width)
    _section_heading(document, "Tasks at amber or red")
    _introduction(document, result)
    # Looked up once: python-docx finds a style by name with a search of every style.
    styles = {name: document.styles[name].style_id for name in ("Heading 2", "Heading 3",
                                                                  "Table Grid")}
    listed = report.add_xml(_exception_parts(result, width, styles))
    _section_heading(document, "Off the list since last period")
    board_tables.off_the_list_table(report, result, width)
    _section_heading(document, "Appendix: data quality", page_break=True)
    board_tables.quality_appendix(report, result, width)
    return report, listed


def _exception_parts(result: Consolidation, width: int, styles: dict[str, str]) -> Iterator[str]:
    """Each group's heading, its outcomes' headings, one table per action and the action's notes,
    as XML text, made as they are written."""
    contexts = board.exception_contexts(result)
    notes = board.notes_by_action(result.tasks)
    noted: set[board.ActionKey] = set()
    for group, tasks in groups_in_order(result):
        yield _heading(clean(group), styles["Heading 2"])
        outcome = None
        for block in action_blocks(tasks):
            first = block.tasks[0]
            if first.outcome != outcome:
                outcome = first.outcome
                if outcome.strip():
                    yield _heading(outcome_heading(first), styles["Heading 3"])
            yield _action_table(block, width, contexts, styles["Table Grid"])
            key = board.action_key(first)
            yield from _notes([] if key in noted else notes.get(key, []))
            noted.add(key)


def footer_text(result: Consolidation) -> str:
    """The footer's left part: what the document is and the period, on every page."""
    period = result.period.strip()
    return "Exceptions report" + (f" · {period}" if period else "")


def outcome_heading(task: TaskRecord) -> str:
    """'Outcome 2.3: People are safe and feel safe', or the number alone when no title is known."""
    title = " ".join(clean(task.outcome_title).split())
    number = clean(task.outcome).strip()
    if title.casefold().startswith(("outcome " + number).casefold()):
        return title
    return f"Outcome {number}: {title}" if title else f"Outcome {number}"


def _section_heading(document: Document, text: str, *, page_break: bool = False) -> None:
    heading = document.add_heading(text, level=1)
    heading.paragraph_format.page_break_before = page_break


def _properties(document: Document, result: Consolidation, title: str) -> None:
    props = document.core_properties
    props.title = title
    props.subject = "Action plan tasks at amber or red"
    # The template's own values ("python-docx", a 2013 date) would otherwise show in File > Info.
    props.author = props.last_modified_by = board.produced_by(result) or "Partnership"
    props.comments = ""
    props.revision = 1
    when = parse_when(result.generated)
    if when is not None:
        props.created = props.modified = when


def _introduction(document: Document, result: Consolidation) -> None:
    """Who and how many: the line the Executive reads before the tables."""
    exceptions = result.exceptions
    reds = sum(1 for t in exceptions if t.status is Status.RED)
    ambers = len(exceptions) - reds
    reporting = groups_in_order(result)
    paragraph = document.add_paragraph()
    add_text(paragraph, f"Produced on {as_date(result.generated)} from the returns received. ")
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
        document.add_paragraph(f"{and_list(clear)} {verb} no tasks at amber or red.")
    if result.missing_groups:
        paragraph = document.add_paragraph()
        add_text(paragraph, "No return received from: ", bold=True)
        add_text(paragraph, and_list(result.missing_groups) + ".")


def _heading(text: str, style_id: str) -> str:
    """A heading paragraph in the given style, as python-docx's add_heading makes it."""
    return xml.styled_paragraph_text(xml.run(text), style_id)


def _action_table(block: ActionBlock, width: int, contexts: dict[int, board.ExceptionContext],
                  style_id: str) -> str:
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
        task_cell = _text_paragraphs(lines(task.task))
        if task.owner.strip():
            task_cell.append(_labelled("Owner: ", task.owner))
        target_cell = _text_paragraphs(lines(task.target))
        if task.revised_deadline.strip():
            target_cell.append(_labelled("Revised deadline: ", task.revised_deadline))
        cells = [xml.cell(task_cell, widths[0]), xml.cell(target_cell, widths[1]),
                 xml.cell(_text_paragraphs(lines(task.position)), widths[2]),
                 _status_cell(task, widths[3], contexts.get(id(task))),
                 xml.cell(_text_paragraphs(lines(task.planned)), widths[4])]
        rows.append(xml.row(cells))
    return xml.table_text(rows, widths, style_id)


def _text_paragraphs(texts: Sequence[str]) -> list[str]:
    """One paragraph per line, blank lines left out."""
    return [xml.paragraph(xml.run(line)) for line in texts if line.strip()]


def _labelled(label: str, text: str) -> str:
    """A paragraph 'Label: text' with the label in bold, the text on one line."""
    return xml.paragraph(xml.run(label, bold=True) + xml.run(" ".join(clean(text).split())))


def status_lines(task: TaskRecord, context: board.ExceptionContext | None) -> list[str]:
    """What the Status cell says under the status word: direction, last period, the run at
    amber/red, and any statuses as written when the cell held several."""
    extra = []
    direction = context.direction if context is not None else task.direction.strip()
    if direction:
        extra.append(direction_mark(direction))
    if context is not None and context.previous and context.previous != "new task":
        extra.append(f"last period: {context.previous}")
    if context is not None and context.run is not None:
        extra.append(f"amber/red for {plural(context.run, 'period')}")
    written = [line.strip() for line in lines(task.status_text) if line.strip()]
    if len(written) > 1:
        # One cell held several sub-task statuses (seed 000's ACHIEVED, ACHIEVED, AMBER).
        extra.append("(" + ", ".join(written) + ")")
    return extra


def _status_cell(task: TaskRecord, width: int, context: board.ExceptionContext | None) -> str:
    """The status word on its colour, then its trend and any statuses as written."""
    status = task.status or Status.AMBER
    colour = STATUS_FONT[status]
    paragraphs = [xml.paragraph(xml.run(status.value, bold=True, color=colour), center=True)]
    paragraphs += [xml.paragraph(xml.run(text, color=colour, size=Pt(8)), center=True)
                   for text in status_lines(task, context)]
    return xml.cell(paragraphs, width, fill=STATUS_FILL[status])


def _notes(notes: Sequence[str]) -> list[str]:
    """The free paragraphs the group wrote under the action, each once."""
    parts = [xml.paragraph(xml.run(line), space_before=_NOTE_SPACE_BEFORE) for line in notes]
    # Breathing space before the next action, and Word would join two touching tables into one.
    parts.append(xml.paragraph(space_after=_ACTION_SPACE_AFTER))
    return parts


#: 4 pt before a note, 6 pt after an action's last paragraph, in twips.
_NOTE_SPACE_BEFORE = int(Pt(4).twips)
_ACTION_SPACE_AFTER = int(Pt(6).twips)
