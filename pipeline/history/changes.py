"""What changed since last quarter: each task's status against the previous period's.

The kinds of change, for a task matched across the two periods (see `matching`) by severity
Red > Amber > Green > Achieved:

- ``newly red``: it is Red now and was not (whatever it was, or if it had no status);
- ``newly achieved``: it is Achieved now and was not;
- ``worsened``: it moved to a more severe status other than Red (Green to Amber…);
- ``improved``: it moved to a less severe status other than Achieved (Red to Amber…);
- ``unchanged``: the same status both times (or no status both times);
- ``not comparable``: one period gives no status, so no direction can be told (unless the other
  rule above applies), and it is not called unchanged either;

and for a task in one period only:

- ``new task``: reported now, not matched to any task last period;
- ``no longer reported``: reported last period, not matched to any task in a return that did
  arrive this period;
- ``awaiting return``: reported last period by a group whose return has not arrived (or was not
  read) this period: nothing is known yet, so nothing is called lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pipeline.history.matching import match_tasks
from pipeline.records import STATUS_SEVERITY_ORDER, Status, TaskRecord

#: Higher is worse (Achieved 0 … Red 3), from the one order the pipeline keeps.
SEVERITY: dict[Status, int] = {s: i for i, s in enumerate(reversed(STATUS_SEVERITY_ORDER))}

WORSENED = "worsened"
IMPROVED = "improved"
UNCHANGED = "unchanged"
NEWLY_RED = "newly red"
NEWLY_ACHIEVED = "newly achieved"
NOT_COMPARABLE = "not comparable"
NEW_TASK = "new task"
NO_LONGER_REPORTED = "no longer reported"
AWAITING_RETURN = "awaiting return"
KINDS = (NEWLY_RED, WORSENED, IMPROVED, NEWLY_ACHIEVED, UNCHANGED, NOT_COMPARABLE, NEW_TASK,
         NO_LONGER_REPORTED, AWAITING_RETURN)

#: The direction-of-travel mark a current task gets for each kind of change. A task that is not
#: comparable gets none, rather than a guess; a task no longer reported has no current line.
DIRECTIONS: dict[str, str] = {
    IMPROVED: "↑ improved",
    NEWLY_ACHIEVED: "↑ newly achieved",
    WORSENED: "↓ worsened",
    NEWLY_RED: "↓ newly red",
    UNCHANGED: "→ no change",
    NEW_TASK: "new",
    NOT_COMPARABLE: "",
}


@dataclass(frozen=True)
class Change:
    """How one task's status moved between the previous period and this one."""

    group: str
    outcome: str
    ref: str
    task: str
    """The current wording (the previous one for a task no longer reported)."""
    previous_status: Status | None
    current_status: Status | None
    kind: str
    previous_task: str = ""
    """The previous period's wording, when it differs from the current one."""
    current: TaskRecord | None = field(default=None, repr=False, compare=False)
    """The current task this change is about; None for a task no longer reported."""


def change_kind(previous: Status | None, current: Status | None) -> str:
    """The kind of change between two statuses of one task (see the module's list)."""
    if previous == current:
        return UNCHANGED
    if current is Status.RED:
        return NEWLY_RED
    if current is Status.ACHIEVED:
        return NEWLY_ACHIEVED
    if previous is None or current is None:
        return NOT_COMPARABLE
    return WORSENED if SEVERITY[current] > SEVERITY[previous] else IMPROVED


def compare(previous: list[TaskRecord], current: list[TaskRecord],
            awaiting: Iterable[str] = (), *, pairs: Sequence[tuple[int, int]] | None = None) -> list[Change]:
    """Every current task's change since the previous period, then last period's tasks not found
    now: 'awaiting return' for the groups in `awaiting` (no return read yet), else 'no longer
    reported'. `pairs` is `match_tasks(previous, current)` when the caller has it already."""
    waiting = set(awaiting)
    matched = {j: i for i, j in (match_tasks(previous, current) if pairs is None else pairs)}
    changes = []
    for j, task in enumerate(current):
        if j not in matched:
            changes.append(_change(task, None, task.status, NEW_TASK, current=task))
            continue
        before = previous[matched[j]]
        reworded = before.task if before.task.strip() != task.task.strip() else ""
        changes.append(_change(task, before.status, task.status,
                               change_kind(before.status, task.status), previous_task=reworded,
                               current=task))
    gone = set(range(len(previous))) - set(matched.values())
    changes += [_change(previous[i], previous[i].status, None,
                        AWAITING_RETURN if previous[i].group in waiting else NO_LONGER_REPORTED)
                for i in sorted(gone)]
    return changes


def _change(task: TaskRecord, before: Status | None, now: Status | None, kind: str, *,
            previous_task: str = "", current: TaskRecord | None = None) -> Change:
    return Change(task.group, task.outcome, task.ref, task.task, before, now, kind,
                  previous_task=previous_task, current=current)


def apply_directions(current: list[TaskRecord], changes: Iterable[Change]) -> None:
    """Set each current task's direction of travel from its change (see DIRECTIONS)."""
    tasks = {id(t) for t in current}
    for change in changes:
        if change.current is not None and id(change.current) in tasks:
            change.current.direction = DIRECTIONS[change.kind]
