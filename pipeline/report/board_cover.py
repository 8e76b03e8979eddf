"""The board pack's cover: what, when, who, the returns, and how to read the report."""

from __future__ import annotations

from pipeline.consolidate.result import Consolidation
from pipeline.records import Status
from pipeline.report import board
from pipeline.report.docx_grid import GridCell, add_grid, header, shares_to_widths
from pipeline.report.docx_layout import add_text
from pipeline.report.docx_stream import StreamedDocument
from pipeline.report.palette import STATUS_FILL, STATUS_FONT
from pipeline.report.text import clean
from pipeline.report.wording import and_list, as_date
from pipeline.words import plural

#: What each status means, in words: the report must read the same printed in black and white.
STATUS_MEANINGS: dict[Status, str] = {
    Status.RED: "Off track: the target will not be met without action. Each red task says what "
                "will be done to recover it, and by when.",
    Status.AMBER: "At risk or delayed: action is in hand to bring it back on track.",
    Status.GREEN: "On track (counted in the headline figures only).",
    Status.ACHIEVED: "Done (counted in the headline figures only).",
}
#: The direction-of-travel marks against last period, and what else the Status column says.
MARK_MEANINGS: tuple[tuple[str, str], ...] = (
    ("↑ improved", "Better than last period (for example red to amber)."),
    ("↓ worsened", "Worse than last period (for example green to amber)."),
    ("↓ newly red", "Red now, and not red last period."),
    ("→ no change", "The same status as last period."),
    ("new", "Not in last period's returns: a new task."),
    ("last period: Amber", "The task's status in the previous period's return."),
    ("amber/red for 3 periods", "How many periods in a row the task has been amber or red, this "
                                "one included."),
)


def write_cover(report: StreamedDocument, result: Consolidation, title: str, width: int) -> None:
    """Title, and the facts of the period: dates, returns, how many tasks at amber or red."""
    document = report.document
    document.add_paragraph(clean(title), style="Title")
    intro = document.add_paragraph()
    add_text(intro, "Exceptions report for the Executive: every action-plan task the groups "
                    "report at amber or red, with what is being done about it.")
    widths = shares_to_widths(width, (0.25, 0.75))
    add_grid(report, [], [[header(label), GridCell(value)] for label, value in facts(result)],
             widths)


def write_key(report: StreamedDocument, width: int) -> None:
    """How to read the report: what each status word and mark means."""
    document = report.document
    heading = document.add_heading("How to read this report", level=1)
    heading.paragraph_format.space_before = document.styles["Heading 1"].paragraph_format.space_before
    explanation = document.add_paragraph(
        "Each task's status is written as a word, and its cell is shaded in the status colour. "
        "Arrows show the direction of travel since last period. Tasks are grouped by group, "
        "outcome and action, as the groups report them.")
    explanation.paragraph_format.keep_with_next = True
    rows = [[GridCell(status.value, bold=True, fill=STATUS_FILL[status],
                      color=STATUS_FONT[status], center=True), GridCell(meaning)]
            for status, meaning in STATUS_MEANINGS.items()]
    rows += [[GridCell(mark, center=True), GridCell(meaning)] for mark, meaning in MARK_MEANINGS]
    add_grid(report, [[header("Mark", center=True), header("Meaning")]], rows,
             shares_to_widths(width, (0.2, 0.8)), whole=True)


def facts(result: Consolidation) -> list[tuple[str, str]]:
    """The cover's label/value lines: period, date, officer, returns and exceptions."""
    counts = board.return_counts(result)
    exceptions = result.exceptions
    reds = sum(1 for t in exceptions if t.status is Status.RED)
    found = [
        ("Period", clean(result.period) or "not named"),
        ("Produced on", as_date(result.generated)),
        ("Produced by", board.produced_by(result) or "the partnership officer"),
        ("Returns received", f"{counts.received} of {counts.expected} groups"),
        ("Returns missing", (f"{len(counts.missing)}: {and_list(counts.missing)}"
                             if counts.missing else "none")),
    ]
    if counts.late is not None:
        found.append(("Returns late", str(counts.late)))
    if counts.not_accepted is not None:
        found.append(("Returns not yet accepted", str(counts.not_accepted)))
    found.append(("At amber or red", f"{plural(len(exceptions), 'task')}: {reds} red, "
                                     f"{len(exceptions) - reds} amber"))
    if result.previous_period:
        found.append(("Compared with", clean(result.previous_period)))
    return found
