"""What goes into a group's progress template, whatever the format: its outcomes, and under
each the action blocks with their task rows, pre-filled from last quarter where known."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.records import Status
from pipeline.register import Group, Register, outcome_sort_key
from pipeline.templates.prefill import PreviousTask

#: Spare rows under an action carried from last quarter, for tasks added since.
SPARE_ROWS_AFTER_TASKS = 2
#: Rows under an empty action block, and empty action blocks per outcome in a blank template.
ROWS_IN_NEW_ACTION = 5
NEW_ACTIONS_BLANK = 3
#: Empty action blocks per outcome in a pre-filled template, for actions added since.
NEW_ACTIONS_PREFILLED = 1


@dataclass(frozen=True)
class TaskLine:
    """A task row, pre-filled or (all empty) for the group to fill."""

    task: str = ""
    target: str = ""
    position: str = ""
    status: Status | None = None
    planned: str = ""


@dataclass
class ActionBlock:
    """A Ref/Action block and its task rows; empty Ref and Action are for the group to write."""

    ref: str = ""
    action: str = ""
    tasks: list[TaskLine] = field(default_factory=list)
    spare_rows: int = ROWS_IN_NEW_ACTION

    @property
    def rows(self) -> list[TaskLine]:
        """The task rows to show: the known tasks, then empty ones."""
        return [*self.tasks, *([TaskLine()] * self.spare_rows)]


@dataclass
class OutcomeBlock:
    """An outcome the group reports on; an empty number is one the group writes in."""

    number: str
    title: str
    actions: list[ActionBlock] = field(default_factory=list)


@dataclass
class ProgressContent:
    """Everything a progress template shows for one group."""

    group: Group
    contact: str
    outcomes: list[OutcomeBlock]
    prefilled_tasks: int = 0
    skipped_tasks: int = 0
    """Tasks of the group in the master with no outcome, which have nowhere to go."""


def progress_content(group: Group, register: Register,
                     previous: list[PreviousTask] | None = None) -> ProgressContent:
    """The outcomes the group owns, each with its actions and tasks from last quarter, if any."""
    previous = previous or []
    by_outcome: dict[str, list[PreviousTask]] = {}
    skipped = 0
    for task in previous:
        if task.outcome:
            by_outcome.setdefault(task.outcome, []).append(task)
        else:
            skipped += 1
    numbers = [o.number for o in register.outcomes_of(group.name)]
    # Outcomes the master has for this group but the register does not give it still carry
    # the group's tasks: dropping them would lose work silently.
    numbers += sorted((n for n in by_outcome if n not in numbers), key=outcome_sort_key)
    outcomes = []
    for number in numbers:
        known = register.outcomes.get(number)
        block = OutcomeBlock(number, known.title if known else "")
        block.actions = _actions(by_outcome.get(number, []))
        spare = NEW_ACTIONS_PREFILLED if block.actions else NEW_ACTIONS_BLANK
        block.actions += [ActionBlock() for _ in range(spare)]
        outcomes.append(block)
    if not outcomes:
        # A group the register gives no outcome writes its own in.
        outcomes.append(OutcomeBlock("", "", [ActionBlock() for _ in range(NEW_ACTIONS_BLANK)]))
    return ProgressContent(group, group.contact_name, outcomes,
                           prefilled_tasks=len(previous) - skipped, skipped_tasks=skipped)


def _actions(tasks: list[PreviousTask]) -> list[ActionBlock]:
    blocks: dict[tuple[str, str], ActionBlock] = {}
    for task in tasks:
        key = (task.ref, task.action)
        block = blocks.setdefault(key, ActionBlock(task.ref, task.action,
                                                   spare_rows=SPARE_ROWS_AFTER_TASKS))
        block.tasks.append(TaskLine(task.task, task.target, task.position, task.status))
    return list(blocks.values())
