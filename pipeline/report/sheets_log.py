"""The Issues and Submissions sheets: what was wrong with the returns, and what became of each file."""

from __future__ import annotations

from collections.abc import Sequence

from xlsxwriter.workbook import Workbook

from pipeline.consolidate.result import Submission, SubmissionState
from pipeline.issues import Issue, Severity
from pipeline.periods import local_time
from pipeline.report.xlsx_rows import WrittenRows
from pipeline.report.xlsx_sheet import Column, TableSheet
from pipeline.report.xlsx_styles import Styles, severity_style, state_style

ISSUE_COLUMNS: tuple[Column, ...] = (
    Column("Source file", 28),
    Column("Location", 18),
    Column("Severity", 10),
    Column("Code", 22),
    Column("Problem", 60),
    Column("What to do", 50),
    Column("Explanation", 40),
    Column("Key", 10),
)
SUBMISSION_COLUMNS: tuple[Column, ...] = (
    Column("File", 34),
    Column("Group", 38),
    Column("Kind", 22),
    Column("Outcome", 12),
    Column("Reason", 45),
    Column("Rows", 7, "number"),
    Column("Received", 17),
    Column("Sender", 26),
    Column("SHA-256", 20, "plain"),
)
_SEVERITY_RANK = {Severity.ERROR: 0, Severity.QUERY: 1, Severity.WARNING: 2}


def issues_in_order(issues: Sequence[Issue]) -> list[Issue]:
    """Errors first, then queries, then warnings; the run's order kept within each."""
    return sorted(issues, key=lambda issue: _SEVERITY_RANK.get(issue.severity, 3))


def write_issues_sheet(
    book: Workbook, styles: Styles, issues: Sequence[Issue], *, title: str, as_table: bool,
    written: WrittenRows | None = None,
) -> None:
    """One row per issue, its severity in colour, with the advice a group can act on.

    `written`: these rows as another process wrote them in a streamed workbook of its own
    (`master.write_issue_rows`), taken instead of writing them again where the sheet can."""
    sheet = TableSheet(book, styles, "Issues", ISSUE_COLUMNS, title=title, as_table=as_table)
    if written is None or not sheet.take_rows(written, len(issues)):
        for issue in issues_in_order(issues):
            sheet.write_row(
                [
                    issue.place.file,
                    issue.place.describe(),
                    # Capitalised for people; the code column keeps the machine's words.
                    str(issue.severity).capitalize(),
                    issue.code,
                    issue.message,
                    issue.advice,
                    issue.explanation,
                    issue.key,
                ],
                {2: severity_style(issue.severity)},
            )
    sheet.finish("No problems were found in the returns.")


def write_submissions_sheet(
    book: Workbook,
    styles: Styles,
    submissions: Sequence[Submission],
    missing_groups: Sequence[str],
    *,
    title: str,
    as_table: bool,
) -> None:
    """One row per file received, then one per group that sent nothing."""
    # The SHA-256 is for checking files, not for reading: it is left off the printed page.
    sheet = TableSheet(
        book,
        styles,
        "Submissions",
        SUBMISSION_COLUMNS,
        title=title,
        as_table=as_table,
        print_columns=len(SUBMISSION_COLUMNS) - 1,
    )
    for sub in submissions:
        sheet.write_row(
            [
                sub.file,
                sub.group,
                sub.kind,
                sub.state,
                sub.reason,
                sub.rows,
                # In the officer's time; a file's own date is called that, not the time it was sent.
                local_time(sub.received, "%Y-%m-%d %H:%M")
                + ("" if not sub.received or (sub.sent and sub.received == sub.sent) else " (file's date)"),
                sub.sender,
                sub.sha256,
            ],
            {3: state_style(sub.state)},
        )
    for group in missing_groups:
        unread = [sub.file for sub in submissions
                  if sub.group == group and sub.state == SubmissionState.REJECTED]
        reason = (f"No return could be read: {', '.join(unread)} rejected (see above)" if unread
                  else "No return received")
        sheet.write_row(
            ["", group, "", "missing", reason, None, "", "", ""],
            {3: state_style("missing")},
        )
    sheet.finish("No files were found in the inbox.")
