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
from typing import NamedTuple

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


class Change(NamedTuple):
    """How one task's status moved between the previous period and this one.

    A named tuple, not a frozen dataclass: a run makes one per task of both periods (31,000 at
    1,000 returns), and a frozen dataclass set each of its nine fields through
    ``object.__setattr__``. It compares, hashes and shows itself as the dataclass did, without
    the task it is about (`current`).
    """

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
    current: TaskRecord | None = None
    """The current task this change is about; None for a task no longer reported. Not compared,
    hashed or shown, as the dataclass's field was not (a task record cannot be hashed)."""

    # Equal only to another Change, as the dataclass was: not to a tuple of the same values.
    def __eq__(self, other: object) -> bool:
        return other.__class__ is Change and self[:_COMPARED] == other[:_COMPARED]

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self[:_COMPARED])

    def __repr__(self) -> str:
        compared = zip(self._fields[:_COMPARED], self[:_COMPARED], strict=True)
        shown = ", ".join(f"{name}={value!r}" for name, value in compared)
        return f"Change({shown})"


#: The fields of a `Change` that it is compared, hashed and shown by: all but `current`.
_COMPARED = len(Change._fields) - 1


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
            changes.append(Change(task.group, task.outcome, task.ref, task.task, None, task.status,
                                  NEW_TASK, "", task))
            continue
        before = previous[matched[j]]
        reworded = before.task if before.task.strip() != task.task.strip() else ""
        changes.append(Change(task.group, task.outcome, task.ref, task.task, before.status,
                              task.status, change_kind(before.status, task.status), reworded, task))
    gone = set(range(len(previous))) - set(matched.values())
    for i in sorted(gone):
        task = previous[i]
        kind = AWAITING_RETURN if task.group in waiting else NO_LONGER_REPORTED
        changes.append(Change(task.group, task.outcome, task.ref, task.task, task.status, None, kind))
    return changes


def apply_directions(current: list[TaskRecord], changes: Iterable[Change]) -> None:
    """Set each current task's direction of travel from its change (see DIRECTIONS)."""
    tasks = {id(t) for t in current}
    for change in changes:
        if change.current is not None and id(change.current) in tasks:
            change.current.direction = DIRECTIONS[change.kind]
