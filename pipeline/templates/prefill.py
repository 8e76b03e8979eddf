"""Reading last quarter's tasks from a master workbook, to pre-fill a group's progress template.

The master's ``Tasks`` sheet is found by name and its columns by their header in row 1, never
by position: officers add, remove and reorder columns in their copy, and unknown ones are
ignored. A master that cannot be used gives no pre-fill and a sentence saying why, not an
exception: a blank template is still worth making.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.normalise.status import read_status
from pipeline.records import Status
from pipeline.register import Register

TASKS_SHEET = "Tasks"
#: Header -> field; every one must be present for the sheet to be used.
REQUIRED_COLUMNS: dict[str, str] = {
    "group": "group", "outcome": "outcome", "ref": "ref", "action": "action", "task": "task",
    "target": "target", "position": "position", "status": "status",
}


@dataclass(frozen=True)
class PreviousTask:
    """One task as the last consolidation recorded it."""

    group: str
    outcome: str
    ref: str
    action: str
    task: str
    target: str = ""
    position: str = ""
    status: Status | None = None


@dataclass
class PreviousReturns:
    """The tasks of a master workbook, or why none could be taken from it."""

    source: Path
    tasks: list[PreviousTask] = field(default_factory=list)
    problem: str = ""
    """Why the master gives no pre-fill, in words; empty when its Tasks sheet was read."""

    @property
    def usable(self) -> bool:
        """True when the master's Tasks sheet was read (it may still hold no tasks)."""
        return not self.problem

    def of_group(self, group: str) -> list[PreviousTask]:
        """The tasks of one group (canonical name), in the master's order."""
        return [t for t in self.tasks if t.group == group]


def read_master(path: Path, register: Register) -> PreviousReturns:
    """Read the tasks of a master workbook, naming each task's group as the register does."""
    import openpyxl

    found = PreviousReturns(Path(path))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's warnings about parts it drops
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises anything from KeyError to BadZipFile
        found.problem = (f"{path} could not be opened as an Excel workbook "
                         f"({type(exc).__name__})")
        return found
    try:
        if TASKS_SHEET not in book.sheetnames:
            found.problem = f"{path} has no '{TASKS_SHEET}' sheet"
            return found
        sheet = book[TASKS_SHEET]
        sheet.reset_dimensions()  # read-only mode trusts a declared size; do not
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        columns = _columns(header)
        missing = [name for name in REQUIRED_COLUMNS if name not in columns]
        if missing:
            found.problem = (f"the '{TASKS_SHEET}' sheet of {path} has no "
                             + ", ".join(name.capitalize() for name in missing)
                             + " column" + ("s" if len(missing) > 1 else "")
                             + " in its first row")
            return found
        for values in rows:
            task = _task(values, columns, register)
            if task is not None:
                found.tasks.append(task)
    finally:
        book.close()
    return found


def _columns(header: tuple[object, ...]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, value in enumerate(header):
        name = " ".join(str(value or "").split()).casefold()
        if name in REQUIRED_COLUMNS and name not in columns:
            columns[name] = index
    return columns


def _task(values: tuple[object, ...], columns: dict[str, int], register: Register
          ) -> PreviousTask | None:
    def text(name: str) -> str:
        index = columns[name]
        value = values[index] if index < len(values) else None
        return "" if value is None else str(value).strip()

    if not text("task"):
        return None  # a blank or note-only row is nothing to carry forward
    group = text("group")
    match = register.match_group(group)
    return PreviousTask(
        group=match.group.name if match.group else group,
        outcome=text("outcome"),
        ref=text("ref"),
        action=text("action"),
        task=text("task"),
        target=text("target"),
        position=text("position"),
        status=read_status(text("status")).status if text("status") else None,
    )
