"""Write the sample returns in `inbox/` from the data in `samples/`.

    uv run python scripts/build_inbox.py [--out inbox]

One quarterly progress return per seed-000 group (Word, in seed 001's layout; the Economic
Development Coordination Group's in Excel instead), the CYPAG planning return of seed 003, and
a Word lock file. The output is deterministic: fixed document dates and zip timestamps, so a
rebuild gives the same bytes.

Deliberate oddities, so that a run exercises the pipeline (see also `samples.returns`):
- cdrp: the summary DISAGREES with the tasks (Green 2 / Amber 2 declared, 3 / 1 counted): the
  one return meant to raise summary-mismatch. Its task table has other headers (Task,
  Target(s), Progress, RAG, …), and a Word lock file lies beside it.
- healthy-city: Status cells shaded with their colour as well as the word; a cell of three
  statuses; two actions under one summary; header cells ending in an empty paragraph.
- cypag-progress: statuses in the summary's words ("Amber – needs attention"); the Ref and
  Action are a vertically merged first column of the task table, not a table of their own.
- stronger-communities: "Outcome: 2:1", empty Ref cells, empty count cells for zero.
- economic-development (.xlsx): one sheet per outcome, merged Ref/Action rows, a Status
  drop-down fed from a hidden "Lists" sheet, a free note below the table.
"""

from __future__ import annotations

import argparse
import io
import struct
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from samples import seed003
from samples.returns import (
    LOCK_FILE,
    PLANNING_RETURN,
    REPORT_DATE,
    RETURNS,
    OutcomeSummary,
    ReturnSpec,
    tasks_in_return,
)
from samples.seed000 import SeedAction, SeedTask

REPO = Path(__file__).resolve().parent.parent
CREATED = datetime(2009, 3, 31, 9, 0, 0)
MODIFIED = datetime(2009, 4, 6, 16, 30, 0)
ZIP_TIME = (2009, 4, 6, 16, 30, 0)

HEADERS = (
    "Tasks",
    "Target",
    "Position",
    "Status",
    "Planned improvement/action needed and deadline",
)
CDRP_HEADERS = (
    "Task",
    "Target(s)",
    "Progress",
    "RAG",
    "Planned improvement / action needed & deadline",
)
# The returns that carry each layout oddity (the status wording is in `ReturnSpec`).
OTHER_HEADERS_IN = "cdrp-progress-2008-09-Q4.docx"
SHADED_STATUS_IN = "healthy-city-progress-2008-09-Q4.docx"
MERGED_ACTION_IN = "cypag-progress-2008-09-Q4.docx"
TASK_WIDTHS = (Cm(5.5), Cm(4.0), Cm(6.0), Cm(2.5), Cm(6.5))
# Fills a person picks from Word's palette; the multi-status cell takes its worst (amber).
FILLS = {"RED": "FF0000", "AMBER": "FFC000", "GREEN": "00B050", "ACHIEVED": "92D050"}


# -- Word helpers ---------------------------------------------------------------------------


def _new_document(title: str, author: str) -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)
    props = doc.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    props.revision = 3
    props.created = CREATED
    props.modified = MODIFIED
    props.last_printed = MODIFIED
    return doc


def _bold_paragraph(doc: DocxDocument, text: str, size: int = 12) -> None:
    run = doc.add_paragraph().add_run(text)
    run.bold = True
    run.font.size = Pt(size)


def _fill_cell(cell: _Cell, text: str, bold: bool = False, line_breaks: bool = False) -> None:
    """Write text into an empty cell: each line a paragraph, or with line_breaks one paragraph."""
    lines = text.split("\n")
    if line_breaks:
        run = cell.paragraphs[0].add_run(lines[0])
        for line in lines[1:]:
            run.add_break()
            run.add_text(line)
        run.bold = bold
        return
    for i, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if line:
            paragraph.add_run(line).bold = bold


def _shade(cell: _Cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _widths(table: Table, widths: Sequence[Cm]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def _summary_table(doc: DocxDocument, spec: ReturnSpec, summary: OutcomeSummary) -> None:
    table = doc.add_table(rows=5, cols=4)
    table.style = "Table Grid"
    top = table.rows[0].cells
    _fill_cell(top[0], summary.label, bold=True)
    _fill_cell(top[2].merge(top[3]), "Summary", bold=True)

    def count(n: int | None) -> str:
        return "" if n is None else str(n)

    rows = (
        (f"Date: {REPORT_DATE}", "Green – on track", count(summary.green)),
        (f"Thematic Sub-group: {spec.sub_group}", "Amber – needs attention", count(summary.amber)),
        (f"Contact: {spec.contact}", "Red – needs action", count(summary.red)),
        ("", "Total", count(summary.total)),
    )
    for row, (left, colour, n) in zip(table.rows[1:], rows, strict=True):
        cells = row.cells
        _fill_cell(cells[0], left)
        _fill_cell(cells[2], colour)
        _fill_cell(cells[3], n)
    _widths(table, (Cm(11.0), Cm(3.0), Cm(6.0), Cm(2.0)))
    doc.add_paragraph()


def _ref_action_table(doc: DocxDocument, action: SeedAction) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    ref_cell, action_cell = table.rows[0].cells
    _fill_cell(ref_cell, "Ref:\n" + action.ref)
    _fill_cell(action_cell, "Action: " + action.action, line_breaks=True)
    _widths(table, (Cm(2.5), Cm(22.0)))
    doc.add_paragraph()


def _task_table(
    doc: DocxDocument,
    spec: ReturnSpec,
    action: SeedAction,
    tasks: Sequence[SeedTask],
    merged_action: bool = False,
) -> None:
    """The five-column task table; with merged_action, a first column holding Ref and Action."""
    headers = CDRP_HEADERS if spec.file_name == OTHER_HEADERS_IN else HEADERS
    offset = 1 if merged_action else 0
    table = doc.add_table(rows=1 + len(tasks), cols=5 + offset)
    table.style = "Table Grid"
    header_cells = table.rows[0].cells
    if merged_action:
        _fill_cell(header_cells[0], "Action", bold=True)
    shaded = spec.file_name == SHADED_STATUS_IN
    for cell, header in zip(header_cells[offset:], headers, strict=True):
        # Healthy City's header cells Target and Position end in an empty paragraph (seed 000).
        padded = shaded and header in ("Target", "Position")
        _fill_cell(cell, header + ("\n" if padded else ""), bold=True)
    for row, task in zip(table.rows[1:], tasks, strict=True):
        cells = row.cells[offset:]
        status = spec.status_as_written(task.status)
        values = (task.task, task.target, task.position, status, task.planned)
        for cell, value in zip(cells, values, strict=True):
            _fill_cell(cell, value)
        if shaded:
            words = task.status.upper().split("\n")
            worst = next(w for w in ("RED", "AMBER", "GREEN", "ACHIEVED") if w in words)
            _shade(cells[3], FILLS[worst])
    if merged_action:
        merged = table.cell(1, 0).merge(table.cell(len(tasks), 0))
        _fill_cell(merged, f"Ref:\n{action.ref}\nAction: {action.action}")
    widths = ((Cm(4.5),) if merged_action else ()) + TASK_WIDTHS
    _widths(table, widths)


def _progress_return(spec: ReturnSpec) -> DocxDocument:
    """A quarterly progress return in seed 001's layout."""
    doc = _new_document("Thematic Sub-Group Performance Reporting", spec.contact)
    _bold_paragraph(doc, "Thematic Sub-Group Performance Reporting", 14)
    _bold_paragraph(doc, spec.group.name)
    doc.add_paragraph()
    merged_action = spec.file_name == MERGED_ACTION_IN
    for summary in spec.summaries:
        _summary_table(doc, spec, summary)
        for index, action in enumerate(spec.group.actions):
            if action.outcome != summary.outcome:
                continue
            if not merged_action:
                _ref_action_table(doc, action)
            _task_table(doc, spec, action, tasks_in_return(spec.group, index), merged_action)
            for note in action.notes:
                doc.add_paragraph(note)
            doc.add_paragraph()
    return doc


def _planning_return() -> DocxDocument:
    """The CYPAG planning return of seed 003, in the template of seeds 002/003: one table."""
    doc = _new_document("CYPAG draft action plan 2008-2010", "CYPAG")
    _bold_paragraph(doc, seed003.TITLE)
    doc.add_paragraph()
    rows = 6 + len(seed003.ACTIONS)
    table = doc.add_table(rows=rows, cols=13)
    table.style = "Table Grid"

    def across(row: int) -> _Cell:
        return table.cell(row, 0).merge(table.cell(row, 12))

    _fill_cell(across(0), seed003.AIM, bold=True, line_breaks=True)
    _fill_cell(across(1), seed003.OUTCOME, bold=True)
    # Outcome measure beside the four year columns, then an empty row of the same shape.
    for row in (2, 3):
        table.cell(row, 0).merge(table.cell(row, 2))
        table.cell(row, 7).merge(table.cell(row, 12))
    _fill_cell(table.cell(2, 0), seed003.OUTCOME_MEASURE)
    for col, heading in enumerate(seed003.TARGET_HEADINGS, start=3):
        _fill_cell(table.cell(2, col), heading, bold=True)
    # The action table's header: Targets spans the four year columns of the row below it.
    targets = table.cell(4, 3).merge(table.cell(4, 6))
    header_cells = [table.cell(4, c) for c in (0, 1, 2)] + [targets]
    header_cells += [table.cell(4, c) for c in range(7, 13)]
    for cell, heading in zip(header_cells, seed003.HEADINGS, strict=True):
        _fill_cell(cell, heading, bold=True)
    for col, heading in enumerate(seed003.TARGET_HEADINGS, start=3):
        _fill_cell(table.cell(5, col), heading, bold=True)
    for row, action in enumerate(seed003.ACTIONS, start=6):
        for col, value in enumerate(action.cells()):
            _fill_cell(table.cell(row, col), value)
    widths = [Cm(3.0), Cm(3.0), Cm(3.0)] + [Cm(1.7)] * 4 + [Cm(3.2), Cm(1.8), Cm(2.4)]
    _widths(table, widths + [Cm(1.9), Cm(1.5), Cm(2.5)])
    return doc


# -- Excel ----------------------------------------------------------------------------------


def _excel_return(spec: ReturnSpec) -> Workbook:
    """The EDCG's return as a person makes one in Excel: one sheet per outcome."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "Economic Development Team"
    wb.properties.lastModifiedBy = "Economic Development Team"
    wb.properties.title = f"{spec.group.name} – quarterly return"
    wb.properties.created = CREATED
    wb.properties.modified = MODIFIED

    lists = wb.create_sheet("Lists")
    for row, value in enumerate(("Green", "Amber", "Red", "Achieved"), start=1):
        lists.cell(row, 1, value)
    lists.sheet_state = "hidden"

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    grey = PatternFill("solid", fgColor="D9D9D9")
    outcomes = dict.fromkeys(a.outcome for a in spec.group.actions)
    for position, outcome in enumerate(outcomes):
        ws = wb.create_sheet(f"Outcome {outcome}", position)
        for col, width in zip("ABCDE", (40, 16, 45, 12, 50), strict=True):
            ws.column_dimensions[col].width = width
        ws.page_setup.orientation = "landscape"

        def merged_row(row: int, text: str, bold: bool = False, ws=ws) -> None:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
            cell = ws.cell(row, 1, text)
            cell.font = Font(bold=bold, size=12 if row == 1 else 11)
            cell.alignment = wrap

        merged_row(1, f"{spec.group.name} – quarterly return", bold=True)
        ws.cell(2, 1, "Date: 31 March 2009")
        row = 4
        for index, action in enumerate(spec.group.actions):
            if action.outcome != outcome:
                continue
            merged_row(row, f"Outcome {outcome}: {action.outcome_title}", bold=True)
            merged_row(row + 1, f"Ref: {action.ref}", bold=True)
            merged_row(row + 2, f"Action: {action.action}")
            ws.row_dimensions[row + 2].height = 30
            row += 3
            for col, header in enumerate(HEADERS, start=1):
                cell = ws.cell(row, col, header)
                cell.font = Font(bold=True)
                cell.fill = grey
                cell.border = box
                cell.alignment = wrap
            first = row + 1
            for task in tasks_in_return(spec.group, index):
                row += 1
                values = (task.task, task.target, task.position, task.status, task.planned)
                for col, value in enumerate(values, start=1):
                    cell = ws.cell(row, col, value or None)
                    cell.border = box
                    cell.alignment = wrap
            # The drop-down reaches a few empty rows below, as a template would.
            status = DataValidation(
                type="list", formula1="=Lists!$A$1:$A$4", allow_blank=True, showDropDown=False
            )
            status.error = "Choose Green, Amber, Red or Achieved"
            status.errorTitle = "Status"
            status.add(f"D{first}:D{row + 5}")
            ws.add_data_validation(status)
            for note in action.notes:
                row += 2
                merged_row(row, note)
                ws.row_dimensions[row].height = 30
            row += 2
    wb.active = 0
    return wb


# -- Files ----------------------------------------------------------------------------------


def _repack(data: bytes, path: Path) -> None:
    """Write a zip package with fixed timestamps, so a rebuild gives the same bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, source.read(item.filename))


def _save_docx(doc: DocxDocument, path: Path) -> None:
    buffer = io.BytesIO()
    doc.save(buffer)
    _repack(buffer.getvalue(), path)


def _save_xlsx(wb: Workbook, path: Path) -> None:
    # ExcelWriter rather than wb.save(), which stamps the modified date with the time now.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    _repack(buffer.getvalue(), path)


def _lock_file(user: str) -> bytes:
    """Word's owner file: the user's name in ANSI and in UTF-16, padded to 162 bytes."""
    ansi = user.encode("ascii")
    data = bytes([len(ansi)]) + ansi.ljust(53, b" ")
    data += struct.pack("<H", len(user)) + user.encode("utf-16-le")
    return data.ljust(162, b"\x00")


#: Marks the folder as the shipped sample: consolidating it never records the partnership's history.
SAMPLE_MARKER = ".sample-returns"
SAMPLE_NOTE = (
    "The returns in this folder are samples made from the Gloucester Partnership's own\n"
    "documents, shipped to show what the pipeline does. Consolidating them records into\n"
    "outputs/sample-history.sqlite, never into the partnership's history. Delete them (and\n"
    "this file) when you start your first real quarter.\n"
)


def build(out: Path) -> list[Path]:
    """Write every sample return into `out` and return their paths, sorted."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for spec in RETURNS:
        path = out / spec.file_name
        if path.suffix == ".xlsx":
            _save_xlsx(_excel_return(spec), path)
        else:
            _save_docx(_progress_return(spec), path)
        written.append(path)
    path = out / PLANNING_RETURN
    _save_docx(_planning_return(), path)
    written.append(path)
    path = out / LOCK_FILE
    path.write_bytes(_lock_file("Community Safety"))
    written.append(path)
    path = out / SAMPLE_MARKER
    path.write_text(SAMPLE_NOTE, encoding="utf-8")
    written.append(path)
    return sorted(written)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments, build the inbox, list what was written."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=REPO / "inbox", help="folder to write into (default: inbox)"
    )
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
