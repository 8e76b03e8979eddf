"""The board pack's summary tables: headline figures, off the list, the data-quality appendix."""

from __future__ import annotations

from collections import Counter

from docx.shared import Pt
from docx.text.paragraph import Paragraph

from pipeline.consolidate.result import Consolidation
from pipeline.records import Status
from pipeline.report import board
from pipeline.report.docx_grid import GridCell, add_grid, header, shares_to_widths
from pipeline.report.docx_stream import StreamedDocument
from pipeline.report.palette import BAND_FILL, STATUS_FILL, STATUS_FONT
from pipeline.report.wording import and_list
from pipeline.words import plural


def _status_header(status: Status, span: int) -> GridCell:
    return header(status.value, span=span, fill=STATUS_FILL[status], color=STATUS_FONT[status],
                  center=True)


#: The headline's columns after the statuses: tasks with no status (shown only when there are
#: any, so that each row adds up) and all tasks.
_NO_STATUS = "No status"
_ALL_TASKS = "All tasks"
HeadlineColumn = Status | str


def headline_table(report: StreamedDocument, result: Consolidation, width: int) -> None:
    """Green / Amber / Red / Achieved (and No status, when a task has none) and all tasks, by
    group and in total, now, last period and the change."""
    document = report.document
    rows, total = board.headline(result)
    compared = total.last is not None
    per = 3 if compared else 1
    unstated = total.now[None] > 0 or (total.last is not None and total.last[None] > 0)
    columns: list[HeadlineColumn] = [*board.HEADLINE, *([_NO_STATUS] if unstated else []),
                                     _ALL_TASKS]
    # The group's column gives way when there are many counts, so that "Last" fits on one line.
    name_share = 0.28 if len(columns) * per <= 15 else 0.2
    shares = [name_share] + [(1 - name_share) / (len(columns) * per)] * (len(columns) * per)
    head = [[header("Group"),
             *(_status_header(c, per) if isinstance(c, Status)
               else header(c, span=per, center=True) for c in columns)]]
    if compared:
        head.append([header(""), *[header(word, center=True) for _ in columns
                                   for word in ("Now", "Last", "+/–")]])
    missing = set(result.missing_groups)
    body = [_headline_row(row, columns, compared, row.group in missing) for row in rows]
    body.append(_headline_row(total, columns, compared, False, total_row=True))
    if not compared:
        document.add_paragraph("No earlier period is recorded in the history, so these are this "
                               "period's figures only.")
    else:
        document.add_paragraph(f"Tasks by status this period ({result.period}) and last period "
                               f"({result.previous_period}); +/– is the change since last period.")
    add_grid(report, head, body, shares_to_widths(width, shares))


def _headline_row(row: board.HeadlineRow, columns: list[HeadlineColumn], compared: bool,
                  missing: bool, *, total_row: bool = False) -> list[GridCell]:
    fill = BAND_FILL if total_row else None
    name = row.group + (" (no return)" if missing else "")
    cells = [GridCell(name, bold=total_row, fill=fill)]
    for column in columns:
        now = _count(row.now, column)
        last = None if row.last is None else _count(row.last, column)
        shown_now = "–" if missing else str(now)
        cells.append(GridCell(shown_now, bold=total_row, fill=fill, center=True))
        if compared:
            cells.append(GridCell("–" if last is None else str(last), fill=fill, center=True))
            change = "" if missing else board.change_text(now, last)
            cells.append(GridCell(change or "–", bold=total_row, fill=fill, center=True))
    return cells


def _count(counts: Counter[Status | None], column: HeadlineColumn) -> int:
    """Tasks of one status, with no status, or all tasks."""
    if isinstance(column, Status):
        return counts[column]
    return counts[None] if column == _NO_STATUS else counts.total()


def off_the_list_table(report: StreamedDocument, result: Consolidation, width: int) -> None:
    """Tasks that were amber or red last period and are green or achieved now."""
    document = report.document
    if not result.previous_period:
        document.add_paragraph("No earlier period is recorded in the history, so there is "
                               "nothing to compare with yet.")
        return
    cleared, gone = board.off_the_list(result)
    if cleared:
        document.add_paragraph(f"{plural(len(cleared), 'task')} at amber or red in "
                               f"{result.previous_period} "
                               f"{'is' if len(cleared) == 1 else 'are'} green or achieved now.")
        head = [[header("Group"), header("Ref"), header("Task"),
                 header("Last period", center=True), header("Now", center=True)]]
        body = [[GridCell(c.group), GridCell(c.ref or c.outcome), GridCell(c.task),
                 _status_cell(c.was), _status_cell(c.now)] for c in cleared]
        add_grid(report, head, body, shares_to_widths(width, (0.22, 0.08, 0.5, 0.1, 0.1)))
    else:
        document.add_paragraph(f"No task at amber or red in {result.previous_period} is green or "
                               "achieved now.")
    if gone:
        _after_table(report, f"{plural(gone, 'task')} at amber or red last period "
                               f"{'is' if gone == 1 else 'are'} not in this period's returns: see "
                               "the Changes sheet of the master workbook.")


def _status_cell(status: Status) -> GridCell:
    return GridCell(status.value, bold=True, fill=STATUS_FILL[status], color=STATUS_FONT[status],
                    center=True)


def quality_appendix(report: StreamedDocument, result: Consolidation, width: int) -> None:
    """Errors and queries still open, by group, and the groups whose return is missing."""
    document = report.document
    document.add_paragraph(
        "Problems found in this period's returns: errors must be corrected by the group, queries "
        "corrected or explained. Each one is listed with its place in the return and what to do "
        "in the Issues sheet of the master workbook; warnings, for information only, are not "
        "counted here.")
    rows = board.data_quality(result)
    if rows:
        head = [[header("Group"), header("Errors", center=True), header("Queries", center=True),
                 header("Files that could not be read", center=True)]]
        body = [[GridCell(r.group), GridCell(str(r.errors), center=True),
                 GridCell(str(r.queries), center=True),
                 GridCell(str(r.rejected_files), center=True)] for r in rows]
        errors = sum(r.errors for r in rows)
        queries = sum(r.queries for r in rows)
        rejected = sum(r.rejected_files for r in rows)
        body.append([GridCell(text, bold=True, fill=BAND_FILL, center=i > 0)
                     for i, text in enumerate(("Total", str(errors), str(queries),
                                               str(rejected)))])
        add_grid(report, head, body, shares_to_widths(width, (0.4, 0.15, 0.15, 0.3)))
        kinds = board.problems_by_kind(result)
        _after_table(report, "By kind of problem:")
        add_grid(report, [[header("Problem"), header("Severity", center=True),
                             header("How many", center=True)]],
                 [[GridCell(title), GridCell(str(severity).capitalize(), center=True),
                   GridCell(str(n), center=True)] for title, severity, n in kinds],
                 shares_to_widths(width, (0.55, 0.15, 0.3)))
    else:
        document.add_paragraph("No errors or queries are open.")
    heading = _after_table(report, "")
    if result.missing_groups:
        heading.add_run("Returns missing: ").bold = True
        heading.add_run(and_list(result.missing_groups) + ".")
    else:
        heading.add_run("Every group in the register sent its return.")


def _after_table(report: StreamedDocument, text: str) -> Paragraph:
    """A paragraph with a little space above it, so it does not touch the table before it."""
    document = report.document
    paragraph = document.add_paragraph(text)
    paragraph.paragraph_format.space_before = Pt(6)
    return paragraph
