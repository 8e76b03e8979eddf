"""The records that flow through the pipeline, from a return's cells to the Executive's report.

Readers turn a file into a `SourceDocument`: a stream of blocks (paragraphs and tables of
cells), every cell carrying its `Place` in the file. The layout interpreter turns blocks into
`TaskRecord`s, `PlanRecord`s and `SummaryRecord`s, which keep that place all the way to the
master workbook, so any figure can be traced back to a cell in a return.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


class Status(StrEnum):
    """A RAG status as the partnership uses it."""

    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"
    ACHIEVED = "Achieved"


#: Worst first: a cell holding several statuses takes the first of these it contains.
STATUS_SEVERITY_ORDER: tuple[Status, ...] = (Status.RED, Status.AMBER, Status.GREEN, Status.ACHIEVED)


class TaskLike(Protocol):
    """Anything naming a task the way returns do: a TaskRecord, a history row, an issue's facts."""

    # Read-only, so frozen records (a history row) match as well as TaskRecord does.
    @property
    def group(self) -> str: ...
    @property
    def ref(self) -> str: ...
    @property
    def task(self) -> str: ...


@dataclass(frozen=True)
class Place:
    """Where something sits in a return: a Word table and row, a paragraph, or a sheet and cell."""

    file: str
    table: int | None = None
    row: int | None = None
    column: int | None = None
    paragraph: int | None = None
    sheet: str | None = None
    cell: str | None = None

    def describe(self) -> str:
        """The place in words a group can find in its own file, without the file name."""
        if self.sheet is not None:
            sheet = "'" + self.sheet.replace("'", "''") + "'"
            return f"{sheet}!{self.cell}" if self.cell else f"sheet {sheet}"
        parts: list[str] = []
        if self.table is not None:
            parts.append(f"table {self.table}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None and self.table is not None:
            parts.append(f"column {self.column}")
        if self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph}")
        return ", ".join(parts) if parts else "whole file"

    def __str__(self) -> str:
        return f"{self.file}: {self.describe()}"


@dataclass(frozen=True)
class TrackedChange:
    """An unaccepted tracked change in Word: what was inserted or deleted, by whom and when."""

    kind: str
    """``insert`` or ``delete`` (moves count as a delete at the source and an insert here)."""
    text: str
    author: str = ""
    date: str = ""
    """As Word records it (ISO 8601), or empty."""


@dataclass
class Cell:
    """One cell as a person sees it: its paragraphs as lines, its shading, how it is merged."""

    lines: list[str]
    place: Place
    fill: str | None = None
    """Background colour as six hex digits (``FFC000``), when the cell is shaded."""
    colour: str | None = None
    """Text colour as six hex digits, when all of the cell's text is in one colour (not black)."""
    merged_left: bool = False
    """A continuation of a horizontally merged cell: its value is the cell to its left."""
    merged_above: bool = False
    """A continuation of a vertically merged cell: its value is the cell above."""
    from_control: bool = False
    """The value was chosen in a drop-down or typed in a content control."""
    value: object | None = None
    """The typed value where the format has one (an Excel number or date); None for Word."""
    changes: list[TrackedChange] = field(default_factory=list)
    """Unaccepted tracked changes inside the cell; its lines already show the text as changed."""
    struck: list[str] = field(default_factory=list)
    """Text struck through by hand (Word strike formatting), left out of the lines."""

    text: str = field(init=False, repr=False, compare=False)
    """All lines joined by newlines, trimmed of blank lines at either end."""

    def __post_init__(self) -> None:
        # A cell's lines are final once a reader has made it, so its text is worked out once:
        # the layout interpreter looks at every cell several times.
        self.text = "\n".join(self.lines).strip()

    @property
    def is_blank(self) -> bool:
        """True when the cell holds no visible text."""
        return not self.text


@dataclass
class Row:
    """A table row, or a line of a sheet, with its cells in column order (merges padded)."""

    cells: list[Cell]
    place: Place
    hidden: bool = False

    @property
    def is_blank(self) -> bool:
        """True when no cell in the row holds text."""
        return all(c.is_blank for c in self.cells)

    def texts(self) -> list[str]:
        """Each cell's text, merge continuations as empty strings."""
        return ["" if (c.merged_left) else c.text for c in self.cells]


@dataclass
class Paragraph:
    """A free paragraph between tables (a heading, a note, a ``Ref:`` line)."""

    lines: list[str]
    place: Place
    style: str | None = None
    changes: list[TrackedChange] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The paragraph's text, trimmed."""
        return "\n".join(self.lines).strip()


@dataclass
class Table:
    """A Word table or the used range of a sheet."""

    rows: list[Row]
    place: Place
    title: str | None = None
    """For a sheet, its name."""


Block = Paragraph | Table


@dataclass
class SourceDocument:
    """What a reader got out of one file: its blocks in reading order, and what it noticed."""

    file: str
    kind: str
    """``docx`` or ``xlsx``: the format the content was read from."""
    blocks: list[Block]
    issues: list[Issue] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    """Core properties worth keeping: ``title``, ``author``, ``modified`` (ISO date)."""


@dataclass
class TaskRecord:
    """One task line of a quarterly progress return."""

    place: Place
    task: str
    target: str = ""
    position: str = ""
    status: Status | None = None
    status_text: str = ""
    """The Status cell as written (or the colour it was shown by), kept in Status detail."""
    planned: str = ""
    group: str = ""
    outcome: str = ""
    outcome_title: str = ""
    ref: str = ""
    action: str = ""
    objective: str = ""
    resources: str = ""
    measures: str = ""
    report_date: str = ""
    contact: str = ""
    owner: str = ""
    """The lead officer or owner the return names for this task (a Lead officer/Owner column)."""
    revised_deadline: str = ""
    """A revised deadline the return gives for this task, as written."""
    notes: str = ""
    """Free paragraphs that followed the task's table, kept with the action they belong to."""
    has_status_column: bool = True
    status_query: bool = False
    """The Status cell holds an ambiguous word ('Ongoing'): the group is asked, not guessed for."""
    direction: str = ""
    """Direction of travel against the previous period, filled when history is known."""
    cell_places: dict[str, Place] = field(default_factory=dict)
    """Where each field's own cell is (``status`` -> the Status cell), for precise messages."""
    headings: dict[str, str] = field(default_factory=dict)
    """The column heading each field was read from, as the return writes it (``status`` -> "RAG")."""

    def place_of(self, name: str) -> Place:
        """The place of a field's cell, or of the whole row when the field has no cell of its own."""
        return self.cell_places.get(name, self.place)


@dataclass
class PlanRecord:
    """One task line of an action-planning template (seed 002/003 layout)."""

    place: Place
    action: str
    task: str = ""
    measures: str = ""
    baseline: str = ""
    targets: dict[str, str] = field(default_factory=dict)
    """Target per year, keyed by the year as the header gives it (``2008/09``)."""
    milestones: str = ""
    timescale: str = ""
    resources: str = ""
    contact_officer: str = ""
    lead_partnership: str = ""
    long_term: str = ""
    group: str = ""
    outcome: str = ""
    outcome_title: str = ""
    ref: str = ""
    notes: str = ""
    """Text under headings that matched no field, kept as 'Heading: text' lines."""


@dataclass
class SummaryRecord:
    """The Green/Amber/Red/Total counts a return declares for one outcome."""

    place: Place
    outcome: str
    declared: dict[str, int | None]
    """Keys ``Green``, ``Amber``, ``Red``, ``Total``; None where the cell was left empty."""
    count_places: dict[str, Place] = field(default_factory=dict)
    """Where each count is written, by the same keys."""
    date: str = ""
    sub_group: str = ""
    contact: str = ""


@dataclass
class ReturnData:
    """Everything taken from one return after its layout was interpreted."""

    file: str
    kind: str
    """``progress``, ``plan``, ``mixed`` or ``unknown``: which template the return follows."""
    tasks: list[TaskRecord] = field(default_factory=list)
    plans: list[PlanRecord] = field(default_factory=list)
    summaries: list[SummaryRecord] = field(default_factory=list)
    group_text: str = ""
    """The group's name as the return writes it, before matching it to the register."""
    group: str = ""
    """The canonical group name from the register, once matched."""
    period_named: str = ""
    """The period the return names in its own words ('Year end return 2008/9'), as a canonical
    label; empty when it names none."""
    report_date: str = ""
    contact: str = ""
    issues: list[Issue] = field(default_factory=list)
    rows_in_issues: int = 0
    """Rows of tables that could not be mapped onto tasks; they are described in issues."""

    @property
    def rows(self) -> int:
        """Task and plan rows read from this return."""
        return len(self.tasks) + len(self.plans)


@dataclass
class Submission:
    """One file found in the inbox and what became of it."""

    file: str
    """The file's name relative to the inbox (``mail.eml/return.docx`` for an attachment)."""
    kind: str
    """What the file is, in words: ``Word progress return``, ``Excel planning return``…"""
    outcome: str
    """``accepted``, ``rejected``, ``skipped``, ``superseded`` or ``held back`` (dated for another
    period, not counted unless the officer accepts it for this one)."""
    reason: str = ""
    """Why it was rejected, skipped or superseded; empty when accepted."""
    group: str = ""
    rows: int = 0
    """Task and plan rows read from it."""
    received: str = ""
    """When it arrived: the e-mail's date, else the file's modification time (ISO 8601)."""
    sender: str = ""
    sha256: str = ""
    message_id: str = ""
    """The Message-ID of the e-mail it came in (feedback replies to it); empty for a saved file."""
    references: str = ""
    """That e-mail's own References (its thread), space-separated."""
    subject: str = ""
    """That e-mail's subject, which the reply's subject repeats."""


@dataclass
class Reconciliation:
    """The counts that prove nothing read was lost."""

    files_found: int = 0
    files_read: int = 0
    files_rejected: int = 0
    files_skipped: int = 0
    files_superseded: int = 0
    files_held_back: int = 0
    """Returns dated for another period, read but not counted."""
    rows_read: int = 0
    rows_written: int = 0
    rows_in_issues: int = 0
    """Rows of tables that could not be mapped: not written as tasks, listed in Issues instead."""
    exceptions: int = 0

    @property
    def balanced(self) -> bool:
        """True when every row read reached the master workbook or is listed in Issues."""
        return self.rows_read == self.rows_written + self.rows_in_issues

    def line(self) -> str:
        """The one-line account printed at the end of a run."""
        return (
            f"Files: {self.files_found} found, {self.files_read} read, "
            f"{self.files_rejected} rejected, {self.files_skipped} skipped"
            + (f", {self.files_superseded} superseded" if self.files_superseded else "")
            + (f", {self.files_held_back} held back" if self.files_held_back else "")
            + f". Task rows: {self.rows_read} read, {self.rows_written} written"
            + (f", {self.rows_in_issues} listed in Issues" if self.rows_in_issues else "")
            + ". "
            f"Exceptions (amber/red): {self.exceptions}."
        )


@dataclass
class Consolidation:
    """The result of one consolidation run: what the master workbook and the report are made of.

    Tasks and plans are already in report order: groups in the register's order, then outcome,
    then the order in which the return lists them.
    """

    period: str
    generated: str
    """When the run happened (ISO 8601, to the minute)."""
    submissions: list[Submission] = field(default_factory=list)
    tasks: list[TaskRecord] = field(default_factory=list)
    plans: list[PlanRecord] = field(default_factory=list)
    summaries: list[SummaryRecord] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    """Every group in the register, in the register's order."""
    missing_groups: list[str] = field(default_factory=list)
    """Groups in the register that sent no accepted return."""
    reconciliation: Reconciliation = field(default_factory=Reconciliation)
    previous_period: str = ""
    """The period recorded before this one in the history, when there is one."""
    changes: list[Any] = field(default_factory=list)
    """Each task's change since the previous period (`pipeline.history.Change`), when known."""
    trend: Any = None
    """The periods recorded before this one (`pipeline.history.trend.Trend`), when history is on."""
    officer: str = ""
    """Who produced the consolidation: the register's partnership officer."""
    tracker: Any = None
    """Where each group's return stands in the cycle (`pipeline.cycle.tracker.Tracker`), when the
    period was opened in the cycle."""
    late_groups: list[str] | None = None
    """Groups late with their return, when the period has a deadline in the cycle."""
    unaccepted_groups: list[str] | None = None
    """Groups whose return was received but not yet accepted, when the cycle knows."""

    @property
    def exceptions(self) -> list[TaskRecord]:
        """The amber and red tasks, in report order."""
        return [t for t in self.tasks if t.status in (Status.AMBER, Status.RED)]


# Imported last: issues.py refers to Place.
from pipeline.issues import Issue  # noqa: E402
