"""The quarterly progress return as a Word document, laid out as seed 001.

Title, group, instructions; then per outcome the summary table, and per action a Ref/Action
table and the five-column task table. Ref, Action and Date are typed into content controls
and the Status into a drop-down, so the labels the interpreter reads stay as they are.
"""

from __future__ import annotations

from pathlib import Path

from docx.document import Document as DocumentObject
from docx.shared import Pt

from pipeline.normalise.headers import TASK_HEADERS
from pipeline.records import Status
from pipeline.report.palette import BAND_FILL, STATUS_FILL, STATUS_FONT, WORD_HEADER_FILL
from pipeline.templates import docx_parts as parts
from pipeline.templates.content import ActionBlock, OutcomeBlock, ProgressContent
from pipeline.templates.instructions import progress_instructions
from pipeline.templates.wording import (
    ACTION_LABEL,
    CONTACT_LABEL,
    DATE_LABEL,
    PROGRESS_TITLE,
    REF_LABEL,
    STATUS_PLACEHOLDER,
    STATUSES,
    SUB_GROUP_LABEL,
    SUMMARY_LABELS,
    outcome_label,
)

#: Column widths in cm of the task table, filling a landscape A4 page between the margins.
TASK_WIDTHS = (6.4, 4.0, 6.5, 3.4, 6.4)
# Wide enough for "Thematic Sub-group: Crime and Disorder Reduction Partnership" on one line.
SUMMARY_WIDTHS = (12.0, 1.0, 5.0, 2.0)
REF_WIDTHS = (3.0, 23.7)
#: Room to write in an empty task row.
EMPTY_ROW_CM = 1.0


def write_progress_docx(content: ProgressContent, path: Path, prefilled_from: str = "") -> Path:
    """Write the group's progress template as a .docx at `path`."""
    doc = parts.new_document(f"{PROGRESS_TITLE} – {content.group.name}")
    controls = parts.Controls()
    parts.heading(doc, PROGRESS_TITLE, 16)
    parts.heading(doc, content.group.name, 13, space_after=8)
    instructions = progress_instructions("docx", prefilled_from)
    parts.heading(doc, instructions[0], 11)
    for text in instructions[1:]:
        doc.add_paragraph(text)
    for outcome in content.outcomes:
        parts.spacer(doc, 10)
        _summary(doc, controls, content, outcome)
        for action in outcome.actions:
            # The summary, the Ref/Action block and the task table's header stay on one page
            # with the first task row: a heading alone at the foot of a page reads as empty.
            parts.spacer(doc, keep_with_next=True)
            _ref_action(doc, controls, action, outcome.number)
            parts.spacer(doc, 2, keep_with_next=True)
            _tasks(doc, controls, action)
    return parts.save(doc, path)


def _summary(doc: DocumentObject, controls: parts.Controls, content: ProgressContent,
             outcome: OutcomeBlock) -> None:
    table = parts.table(doc, 6, SUMMARY_WIDTHS)
    top = table.cell(0, 0).merge(table.cell(0, 3))
    if outcome.number:
        parts.write(top, outcome_label(outcome.number, outcome.title), bold=True, size=11)
    else:
        paragraph = top.paragraphs[0]
        parts.label(paragraph, "Outcome: ")
        controls.text(paragraph, None, tag="outcome", alias="Outcome",
                      placeholder="Type the outcome's number and title, e.g. 2.1 Communities live…")
    parts.shade(top, BAND_FILL)
    parts.write(table.cell(1, 0).merge(table.cell(1, 3)), "Summary", bold=True)
    date = table.cell(2, 0).paragraphs[0]
    parts.label(date, f"{DATE_LABEL} ", bold=False)
    controls.date(date, tag="date", alias="Date of the return", placeholder="Choose the date")
    parts.write(table.cell(3, 0), f"{SUB_GROUP_LABEL} {content.group.name}")
    contact = table.cell(4, 0).paragraphs[0]
    parts.label(contact, f"{CONTACT_LABEL} ", bold=False)
    if content.contact:
        contact.add_run(content.contact)
    else:
        controls.text(contact, None, tag="contact", alias="Contact",
                      placeholder="Type the contact's name")
    for row, (text, status) in enumerate(SUMMARY_LABELS, start=2):
        cell = table.cell(row, 2)
        parts.write(cell, text, bold=status is None)
        if status is not None:
            parts.shade(cell, STATUS_FILL[status], STATUS_FONT[status])
    for row in table.rows:
        parts.keep_row_whole(row)
    parts.keep_with_next(table.rows)


def _ref_action(doc: DocumentObject, controls: parts.Controls, action: ActionBlock, outcome: str) -> None:
    table = parts.table(doc, 1, REF_WIDTHS)
    ref_cell, action_cell = table.cell(0, 0), table.cell(0, 1)
    parts.label(ref_cell.paragraphs[0], REF_LABEL)
    # The Ref goes on a line of its own under its label, as the partnership writes it.
    controls.text(ref_cell.add_paragraph(), action.ref, tag="ref", alias="Ref",
                  placeholder=f"e.g. {outcome or '2.1'}a")
    paragraph = action_cell.paragraphs[0]
    parts.label(paragraph, f"{ACTION_LABEL} ")
    controls.text(paragraph, action.action, tag="action", alias="Action", multiline=True,
                  placeholder="Type the action these tasks deliver")
    for cell in (ref_cell, action_cell):
        parts.shade(cell, BAND_FILL)
    parts.keep_row_whole(table.rows[0])
    parts.keep_with_next(table.rows)


def _tasks(doc: DocumentObject, controls: parts.Controls, action: ActionBlock) -> None:
    rows = action.rows
    table = parts.table(doc, 1 + len(rows), TASK_WIDTHS)
    head = table.rows[0]
    for cell, text in zip(head.cells, TASK_HEADERS, strict=True):
        parts.write(cell, text, bold=True)
        parts.shade(cell, WORD_HEADER_FILL)
    parts.header_row(head)
    parts.keep_row_whole(head)
    parts.keep_with_next([head])
    for line, row in zip(rows, table.rows[1:], strict=True):
        cells = row.cells
        for cell, text in ((cells[0], line.task), (cells[1], line.target),
                           (cells[2], line.position), (cells[4], line.planned)):
            parts.write(cell, text)
        status: Status | None = line.status
        paragraph = cells[3].paragraphs[0]
        paragraph.paragraph_format.space_after = Pt(0)
        controls.dropdown(paragraph, STATUSES, status.value if status else None, tag="status",
                          alias="Status", placeholder=STATUS_PLACEHOLDER)
        parts.keep_row_whole(row, None if line.task else EMPTY_ROW_CM)
