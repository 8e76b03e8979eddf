"""Two earlier quarters recorded in a real history store, then seed 000's period consolidated on
top of them: the board pack's trend, last period's statuses and the tasks off the list."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from consolidation_factory import CDRP, make_consolidation, seed_tasks

from pipeline.consolidate.result import Consolidation
from pipeline.history.store import open_store
from pipeline.records import Status, TaskRecord
from pipeline.run import attach_history

Q2 = "Q2 2008/09"
Q3 = "Q3 2008/09"
NOW = "Q4 2008/09"

#: Each task's status in Q2 and Q3 by the start of its wording; a task absent here keeps its
#: current status in both; None: not reported that period.
EARLIER: dict[str, tuple[Status | None, Status | None]] = {
    "Neighbourhood Management Group": (Status.GREEN, Status.GREEN),  # worsened to amber now
    "Publicise crime reduction": (Status.AMBER, Status.RED),  # green now: off the list
    "Develop Joint Commissioning": (Status.AMBER, Status.AMBER),  # amber for 3 periods
    "Develop integrated Employer Offer": (None, None),  # a new task now
    "Explore Green Gym": (Status.GREEN, Status.RED),  # improved to amber, 2 periods
    "Take action through the Partnership": (Status.RED, Status.RED),  # red for 3 periods
    "Healthy schools programme": (Status.AMBER, Status.AMBER),  # achieved now: off the list
    "a) Ensure partners": (None, Status.AMBER),  # 2 periods
}
#: Amber last quarter, not reported now.
DROPPED = "Hold a community safety open day"


def earlier_tasks(which: int) -> list[TaskRecord]:
    """Seed 000's tasks as they stood in Q2 (0) or Q3 (1)."""
    tasks = []
    for task in seed_tasks():
        key = next((k for k in EARLIER if task.task.startswith(k)), None)
        status = EARLIER[key][which] if key else task.status
        if key and status is None:
            continue
        tasks.append(dataclasses.replace(task, status=status, direction="",
                                         status_text=status.value.upper() if status else ""))
    if which == 1:
        tasks.insert(2, dataclasses.replace(seed_tasks()[0], task=DROPPED, ref="2.3c",
                                            status=Status.AMBER, status_text="AMBER",
                                            direction=""))
        assert tasks[2].group == CDRP
    return tasks


def board_consolidation(tmp_path: Path) -> Consolidation:
    """The seed consolidation with Q2 and Q3 recorded before it in a SQLite history."""
    with open_store(None, tmp_path / "history.sqlite") as store:
        for which, period in enumerate((Q2, Q3)):
            earlier = make_consolidation(earlier_tasks(which))
            earlier.period = period
            store.record(earlier)
        result = make_consolidation()
        attach_history(result, store)
    return result
