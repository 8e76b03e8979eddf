"""A problem's place in words a Word or Excel user can find: the Ref, the task's first words and
the column ("Ref 2.3b, task 'Explore Green Gym…', Status"), rather than "table 6, row 3, column 5".

An issue keeps the place of the cell it is about; a task keeps the place of its row and of each
field's cell, and the headings its columns had. Matching the two names the task and the column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from pipeline.document import Place
from pipeline.issues import Issue
from pipeline.layout.records import field_label
from pipeline.records import TaskRecord
from pipeline.row_places import RowPlaces

#: Problems about a whole row: the row's place in Excel is its first cell, which is not the column.
ROW_CODES = frozenset({"hidden-row", "duplicate-task", "unknown-group", "outcome-not-group",
                       "unknown-outcome"})
#: A task is named by its first words, up to about this many characters.
TASK_WORDS_CHARS = 40

RowKey = tuple[str, str, int | str | None, int | None]


def row_key(place: Place) -> RowKey | None:
    """The row a place is in (a Word table's row, a sheet's row number); None when it has none."""
    if place.sheet is not None:
        digits = re.search(r"\d+$", place.cell or "")
        return (place.file, "sheet", place.sheet, int(digits.group(0))) if digits else None
    if place.table is not None and place.row is not None:
        return (place.file, "table", place.table, place.row)
    return None


class TaskPlaces:
    """The tasks of a consolidation, found by the row of an issue's place."""

    def __init__(self, tasks: Iterable[TaskRecord]) -> None:
        self._by_row: dict[RowKey, TaskRecord] = {}
        for task in tasks:
            cells = task.cell_places
            # A task received from a reading worker has its cells as a RowPlaces: all in the
            # task's row, they name no row its place does not, and are not made (made, the
            # 30,000 tasks' places cost 0.08 s more than the dicts' did).
            for place in (task.place,) if type(cells) is RowPlaces and cells.in_row_of(task.place) \
                    else (task.place, *cells.values()):
                key = row_key(place)
                if key is not None:
                    self._by_row.setdefault(key, task)

    def task_at(self, place: Place) -> TaskRecord | None:
        """The task whose row holds this place, if any."""
        key = row_key(place)
        return self._by_row.get(key) if key is not None else None

    def describe(self, issue: Issue) -> str:
        """Where the issue is, in the group's words, without the file name."""
        task = self.task_at(issue.place)
        # The facts the issue was made with come first; the task found by place fills the gaps.
        ref = issue.ref or (task.ref if task is not None else "")
        wording = issue.task or (task.task if task is not None else "")
        if task is None and not wording:
            return issue.place.describe()
        parts = [f"Ref {ref}"] if ref else []
        parts.append(f"task '{first_words(wording)}'" if wording else "a row with no task text")
        column = column_of(task, issue)
        if column:
            parts.append(column)
        words = ", ".join(parts)
        if issue.place.sheet is not None and issue.place.cell:
            # An Excel user can also go straight to the cell.
            words += f" (cell {issue.place.describe()})"
        return words


def column_of(task: TaskRecord | None, issue: Issue) -> str:
    """The heading of the column the issue's cell is in, as the return writes it; empty if none."""
    if issue.column:
        heading = task.headings.get(issue.column, "") if task is not None else ""
        return " ".join(heading.split()) or field_label(issue.column)
    if task is None or (issue.code in ROW_CODES and issue.place == task.place):
        return ""
    for name, place in task.cell_places.items():
        if place == issue.place:
            return " ".join(task.headings.get(name, "").split()) or field_label(name)
    return ""


def first_words(text: str, limit: int = TASK_WORDS_CHARS) -> str:
    """The first words of a text, cut after a whole word with an ellipsis when longer than limit."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    kept = ""
    for word in flat.split(" "):
        if len(kept) + len(word) + (1 if kept else 0) > limit:
            break
        kept = f"{kept} {word}" if kept else word
    return (kept or flat[:limit]).rstrip(",;:.-– ") + "…"


def where(issue: Issue, places: TaskPlaces | None = None) -> str:
    """The file's name and the place in it, as the feedback e-mail gives it."""
    name = PurePosixPath(issue.place.file).name
    place = places.describe(issue) if places is not None else issue.place.describe()
    return name if place == "whole file" else f"{name}, {place}"
