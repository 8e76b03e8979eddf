"""The partnership's records: the tasks, plans and summaries a return holds, and their statuses.

The layout interpreter turns a `pipeline.document.SourceDocument` into a `ReturnData` of
`TaskRecord`s, `PlanRecord`s and `SummaryRecord`s; each keeps its `Place` all the way to the
master workbook, so any figure can be traced back to a cell in a return.
"""

from __future__ import annotations

import copyreg
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from pipeline.document import Place
from pipeline.pickled import pickled_by_name
from pipeline.row_places import RowPlaces, sent_layout

if TYPE_CHECKING:
    from pipeline.issues import Issue


@pickled_by_name
class Status(StrEnum):
    """A RAG status as the partnership uses it."""

    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"
    ACHIEVED = "Achieved"


#: Each status's word (its value), and None for no status: looked up here rather than read
#: through Enum's `value` property, a Python call, where each of a run's 30,000 tasks is
#: validated, checked, recorded and written (the workbook writes a hundred thousand).
STATUS_WORD: dict[Status | None, str | None] = {None: None, **{status: status.value for status in Status}}

#: Worst first: a cell holding several statuses takes the first of these it contains.
STATUS_SEVERITY_ORDER: tuple[Status, ...] = (Status.RED, Status.AMBER, Status.GREEN, Status.ACHIEVED)
#: The statuses of an exception: a task the exceptions report and the Exceptions sheet list.
EXCEPTION_STATUSES: frozenset[Status] = frozenset({Status.AMBER, Status.RED})


class TaskLike(Protocol):
    """Anything naming a task the way returns do: a TaskRecord, a history row, an issue's facts."""

    # Read-only, so frozen records (a history row) match as well as TaskRecord does.
    @property
    def group(self) -> str: ...
    @property
    def ref(self) -> str: ...
    @property
    def task(self) -> str: ...


@pickled_by_name
class ReturnKind(StrEnum):
    """Which template a return follows, judged from the tables read in it."""

    PROGRESS = "progress"
    PLAN = "plan"
    MIXED = "mixed"
    """Both a progress table and an action plan."""
    UNKNOWN = "unknown"
    """No task table was found."""


@dataclass(slots=True)  # pickled as `_task_sent` says: each reading worker sends back thousands
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
    cell_places: Mapping[str, Place] = field(default_factory=dict)
    """Where each field's own cell is (``status`` -> the Status cell), for precise messages: the
    reader's dict, or, received from a reading worker, a `pipeline.row_places.RowPlaces`."""
    headings: dict[str, str] = field(default_factory=dict)
    """The column heading each field was read from, as the return writes it (``status`` -> "RAG")."""

    def place_of(self, name: str) -> Place:
        """The place of a field's cell, or of the whole row when the field has no cell of its own."""
        return self.cell_places.get(name, self.place)


_CELL_PLACES = 23
"""Where `TaskRecord`'s cell places are among its values (test_row_places holds it)."""


def _task_sent(task: TaskRecord) -> tuple[Any, tuple[Any, ...]]:
    """A task as a reading worker sends it: its values (`pickled_as_values`), its cell places
    as the layout of its row (`pipeline.row_places.sent_layout`) when they fit it.

    The five or six places of a task were a third of what a worker's answer cost to pickle and
    to unpickle; a layout is shared by the rows of a table, sent once in an answer, and its
    places are made again only when asked for. Sending the bench's 120 returns
    (`bench/instructions.py send`) took 323.3 M instructions, 267.0 M so; the 1,000 returns'
    answers pickled in 0.19 s and unpickled in 0.066 s rather than 0.091 s (14.2 MB, not 18.1).
    The layout is checked place by place (`sent_layout`), so a task is sent a layout only for
    places it gives back exactly. Sent as a RowPlaces object of its own (made when pickled,
    reduced by itself) rather than as the task's layout, the places cost the worker more than
    they did (dumps 195.3 -> 223.8 M; unpickled, the same as the layout).

    Every value, in the fields' order (test_pickled holds it), read here attribute by attribute
    with the layout put in at once: taken by an `attrgetter` of the 25 fields (5,300
    instructions a task: each attribute looked up as `getattr` does) and then cut and joined
    again around the layout, the values cost the worker 7,000 instructions a task more than so
    (send 259.6 -> 233.0 M). Never trimmed of defaults at the end as `pickled_as_values` trims a
    record's: a task's last field, headings, has a default factory, not a default."""
    values = _task_row(task)
    return (TaskRecord if type(values[_CELL_PLACES]) is not tuple else _task_received), values


def _task_row(task: TaskRecord) -> tuple[Any, ...]:
    """A task's values as it is sent: its cell places, or their layout (a tuple) in their stead."""
    row, places = task.place, task.cell_places
    layout = sent_layout(places, row) if type(places) is dict \
        else places._layout if type(places) is RowPlaces and places._row is row else None
    return (
        row, task.task, task.target, task.position, task.status, task.status_text, task.planned,
        task.group, task.outcome, task.outcome_title, task.ref, task.action, task.objective,
        task.resources, task.measures, task.report_date, task.contact, task.owner,
        task.revised_deadline, task.notes, task.has_status_column, task.status_query,
        task.direction, places if layout is None else layout, task.headings)


def _task_received(*values: Any) -> TaskRecord:
    """A task as the run's parent takes it from a worker: its cell places from its place and
    the layout sent in their stead."""
    task = TaskRecord(*values)
    task.cell_places = RowPlaces(task.place, values[_CELL_PLACES])
    return task


TaskRecord.__reduce__ = _task_sent  # type: ignore[method-assign,assignment]
copyreg.pickle(TaskRecord, _task_sent)  # looked up first, as `pickled_as_values` registers its own


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
    kind: ReturnKind
    """Which template the return follows."""
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


def _return_sent(data: ReturnData) -> tuple[Any, tuple[Any, ...]]:
    """A return's records as a reading worker sends them: its values in its fields' order
    (test_pickled holds it), its tasks as their values (`_task_row`), all made again in one call.

    Each task reduced by itself (`_task_sent`) cost the worker a call from the pickler and a
    reduction, and the run's parent a call of `_task_received` (30,000 at 1,000 returns, the
    largest part of what unpickling the answers cost it): sent in one list, the bench's 120
    answers (`bench/instructions.py send`) took 221.4 M instructions, not 233.0 M (pickled
    139.8 -> 133.5 M, unpickled 73.2 -> 68.0 M). A task in a return is in its list alone (not
    shared with anything else the answer holds), so nothing is lost by making it again apart
    from pickle's memo."""
    return _return_received, (data.file, data.kind, [_task_row(t) for t in data.tasks], data.plans,
                              data.summaries, data.group_text, data.group, data.period_named,
                              data.report_date, data.contact, data.issues, data.rows_in_issues)


def _return_received(file: str, kind: ReturnKind, rows: list[tuple[Any, ...]],
                     *rest: Any) -> ReturnData:
    """A return's records as the run's parent takes them from a worker (`_return_sent`): each
    task made from its values, with its cell places from its place and their layout when that
    was sent in their stead (as `_task_received` makes them)."""
    tasks: list[TaskRecord] = []
    append = tasks.append
    for row in rows:
        task = TaskRecord(*row)
        layout = row[_CELL_PLACES]
        if type(layout) is tuple:
            # Made by RowPlaces itself: its slots set here too saved 1.8 M instructions of the
            # send bench's 220 M (0.8%), too little for a second place that writes them.
            task.cell_places = RowPlaces(row[0], layout)
        append(task)
    return ReturnData(file, kind, tasks, *rest)


ReturnData.__reduce__ = _return_sent  # type: ignore[method-assign,assignment]
copyreg.pickle(ReturnData, _return_sent)  # looked up first, as for a task
