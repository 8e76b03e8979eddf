"""Validating records against the pandera models and turning every failure into an `Issue`.

Validation never drops a row: a row with problems reaches the workbook with its problems
listed. Checks run lazily, so every failure in every return is collected in one pass.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from pipeline.document import Place
from pipeline.issues import CATALOGUE, Issue, make_issue, make_task_issue
from pipeline.records import STATUS_WORD, PlanRecord, Status, SummaryRecord, TaskRecord
from pipeline.register import Register
from pipeline.register_file import ChecksEntry
from schemas.plans import PlanRows
from schemas.statuses import StatusChecks
from schemas.summaries import SummaryCounts
from schemas.tasks import TaskRows


def validate(
    tasks: Sequence[TaskRecord],
    plans: Sequence[PlanRecord],
    summaries: Sequence[tuple[SummaryRecord, str]],
    register: Register,
) -> list[Issue]:
    """Every problem the schemas find in these records, in record order.

    ``summaries`` pairs each summary with the file it came from; its counts are compared with
    the tasks of the same file and outcome.
    """
    issues: list[Issue] = []
    if tasks:
        frame = _task_frame(tasks, register)

        @cache
        def first_of() -> dict[tuple[str, ...], TaskRecord]:
            """The first task of each key: asked for only by a duplicate task's message."""
            found: dict[tuple[str, ...], TaskRecord] = {}
            for task in tasks:
                found.setdefault(_task_key(task), task)
            return found

        issues += _failures(TaskRows, frame,
                            lambda i, code: _task_issue(tasks, i, code, register, first_of))
    if plans:
        frame = _plan_frame(plans, register)
        issues += _failures(PlanRows, frame, lambda i, code: _plan_issue(plans[i], code, register))
    if summaries:
        frame, places, rows = _summary_frame(summaries, tasks)
        # Each failing row's issue from the row as it went into the frame: a row read back out
        # of the frame (frame.loc) costs more than the issue.
        issues += _failures(
            SummaryCounts, frame, lambda i, code: _summary_issue(rows[i], places[i], code)
        )
    return issues


def load_backends() -> None:
    """Have pandera load what its first validation loads (its pandas backends, and with them its
    data-synthesis strategies and Hypothesis where installed: about half a second), so that a
    run can do it while its returns are read."""
    try:
        TaskRows.validate(pd.DataFrame(), lazy=True)
    except SchemaErrors:
        pass  # an empty frame lacks every column: the backends are loaded all the same


#: Each automatic status check's switch in the register's [checks] table.
_STATUS_CHECK_SWITCHES = {
    "target-date-passed": "target_passed",
    "achieved-future-target": "achieved_future_target",
    "achieved-no-position": "achieved_no_position",
    "position-unchanged": "position_unchanged",
    "deadline-moved-again": "deadline_moved_again",
    "red-without-date": "red_without_date",
}
#: The field each status check points at, so its message names the cell.
_STATUS_CHECK_CELL = {
    "target-date-passed": "target",
    "achieved-future-target": "target",
    "achieved-no-position": "position",
    "position-unchanged": "position",
    "deadline-moved-again": "revised_deadline",
    "red-without-date": "planned",
}


def check_statuses(
    tasks: Sequence[TaskRecord],
    previous: Sequence[TaskRecord],
    *,
    period: str,
    period_end: dt.date | None,
    previous_period: str,
    checks: ChecksEntry,
    pairs: Sequence[tuple[int, int]] | None = None,
) -> list[Issue]:
    """The automatic queries on this period's statuses (`schemas.statuses`), as the register's
    ``[checks]`` turns them on; ``previous`` is last period's tasks, matched to these by group,
    Ref and wording (``pairs``, when the caller has matched them already). Without a readable
    period end, the date checks are left out."""
    from pipeline.history.matching import match_tasks
    from pipeline.normalise.deadlines import latest_date

    on = {code for code, switch in _STATUS_CHECK_SWITCHES.items() if getattr(checks, switch)}
    if not tasks or not on:
        return []
    if pairs is None:
        pairs = match_tasks(previous, tasks)
    before = {j: previous[i] for i, j in pairs}
    end = period_end.toordinal() if period_end else None
    # A return repeats its targets on many rows: each one is read for its dates once.
    days = {text: latest_date(text) for text in {task.target for task in tasks}}
    last = [before.get(j) for j in range(len(tasks))]
    count = len(tasks)
    frame = pd.DataFrame({
        "status": [STATUS_WORD[task.status] for task in tasks],
        "target_day": pd.array([day.toordinal() if (day := days[task.target]) else None
                                for task in tasks], dtype="Int64"),
        "period_end": pd.array([end] * count, dtype="Int64"),
        "overdue_from": pd.array([None if end is None else end - checks.target_passed_grace_days]
                                 * count, dtype="Int64"),
        "position": [task.position for task in tasks],
        "previous_position": [t.position if t else "" for t in last],
        "has_previous": [t is not None for t in last],
        "min_chars": [checks.position_unchanged_min_chars] * count,
        "revised_deadline": [task.revised_deadline for task in tasks],
        "previous_revised_deadline": [t.revised_deadline if t else "" for t in last],
        "planned": [task.planned for task in tasks],
    }, index=pd.RangeIndex(count))

    def to_issue(index: int, code: str) -> Issue:
        task, last = tasks[index], before.get(index)
        column = _STATUS_CHECK_CELL[code]
        return make_task_issue(code, task.place_of(column), task, column,
                               task=task.task or "(no task text)",
                               status=STATUS_WORD[task.status] or "",
                               target=task.target, period=period, previous_period=previous_period,
                               previous_deadline=last.revised_deadline if last else "",
                               revised=task.revised_deadline)

    return _failures(StatusChecks, frame, to_issue, on)


def _failures(model: type[pa.DataFrameModel], frame: pd.DataFrame, to_issue: Any,
              codes: Collection[str] | None = None) -> list[Issue]:
    """Every failing (row, check) of the model as an issue, in the order of their places."""
    found = [to_issue(index, code) for index, code in failed_rows(model, frame, codes)]
    return sorted(found, key=_order)


def failed_rows(model: type[pa.DataFrameModel], frame: pd.DataFrame,
                codes: Collection[str] | None = None) -> list[tuple[int, str]]:
    """(row number, problem code) of each row that fails one of the model's checks (only those
    named in ``codes``, when given), check by check in the model's order, rows in order.

    pandera checks the columns and their types (coercing them as the model says); each of the
    model's row checks then runs here once over the whole columns. pandera's own lazy run would
    turn every failing row of a dataframe check into one failure case per column of the frame
    (30,000 unchanged positions x 12 columns), which costs more than all the checks together.
    """
    try:
        frame = _column_schema(model).validate(frame, lazy=True)
    except SchemaErrors as errors:
        # A failed type check: a bug in the frame we built, not the group's problem.
        raise RuntimeError(f"Validation could not run: {_first_failure(errors)}") from errors
    failed: list[tuple[int, str]] = []
    for check in model.to_schema().checks:
        code = check.name.replace("_", "-")
        if code not in CATALOGUE:
            raise RuntimeError(f"Validation could not run: the check {check.name} is not a problem code")
        if codes is not None and code not in codes:
            continue
        try:
            passed = getattr(model, check.name)(frame)
            if not passed.index.equals(frame.index):
                raise ValueError("its result is not one value per row")
            rows = np.flatnonzero(~passed.to_numpy(dtype=bool))
        except Exception as exc:  # a crash inside a check is a bug, not the group's problem
            raise RuntimeError(f"Validation could not run: {check.name} failed ({exc})") from exc
        failed += [(int(row), code) for row in rows]
    return failed


@cache
def _column_schema(model: type[pa.DataFrameModel]) -> pa.DataFrameSchema:
    """The model's columns, types and column checks, without its row checks (`failed_rows` runs those)."""
    schema = copy.copy(model.to_schema())
    schema.checks = []
    return schema


def _first_failure(errors: SchemaErrors) -> str:
    cases = errors.failure_cases
    first = cases.iloc[0] if len(cases) else None
    return "no failure case" if first is None else f"{first['check']} failed on {first['column']}"


def _order(issue: Issue) -> tuple[Any, ...]:
    return (
        issue.place.file,
        issue.place.sheet or "",
        issue.place.table or 0,
        issue.place.row or 0,
        issue.place.cell or "",
        issue.code,
    )


def _owner(register: Register, outcome: str) -> str:
    found = register.outcomes.get(outcome)
    return found.group if found else ""


def _group_columns(record: TaskRecord | PlanRecord, register: Register,
                   known: set[str]) -> dict[str, Any]:
    """The columns every row model shares (schemas.common.GroupOutcomeRows)."""
    return {
        "file": record.place.file,
        "group": record.group,
        "group_known": record.group in known,
        "outcome": record.outcome,
        "outcome_owner": _owner(register, record.outcome),
    }


def _task_frame(tasks: Sequence[TaskRecord], register: Register) -> pd.DataFrame:
    known = {g.name for g in register.groups}
    owners = {outcome: _owner(register, outcome) for outcome in {t.outcome for t in tasks}}
    # Column by column, not a dictionary per row: pandas makes a frame of 30,000 rows from
    # lists in a fraction of the time it takes to gather the rows' dictionaries into columns.
    # The same columns, in the same order, as `_group_columns` gives a plan's.
    columns: dict[str, list[Any]] = {
        "file": [t.place.file for t in tasks],
        "group": [t.group for t in tasks],
        "group_known": [t.group in known for t in tasks],
        "outcome": [t.outcome for t in tasks],
        "outcome_owner": [owners[t.outcome] for t in tasks],
        "ref": [t.ref for t in tasks],
        "action": [t.action for t in tasks],
        "task": [t.task for t in tasks],
        "status": [STATUS_WORD[t.status] for t in tasks],
        "status_text": [t.status_text for t in tasks],
        "status_query": [t.status_query for t in tasks],
        "has_status_column": [t.has_status_column for t in tasks],
        "planned": [t.planned for t in tasks],
        "other_cells_filled": [bool(t.target or t.position or t.status_text or t.planned) for t in tasks],
    }
    return pd.DataFrame(columns, index=pd.RangeIndex(len(tasks)))


def _plan_frame(plans: Sequence[PlanRecord], register: Register) -> pd.DataFrame:
    known = {g.name for g in register.groups}
    rows = [
        {**_group_columns(p, register, known), "action": p.action, "task": p.task,
         "milestones": p.milestones}
        for p in plans
    ]
    return pd.DataFrame(rows, index=pd.RangeIndex(len(rows)))


def _summary_frame(summaries: Sequence[tuple[SummaryRecord, str]], tasks: Sequence[TaskRecord]
                   ) -> tuple[pd.DataFrame, list[Place], list[dict[str, Any]]]:
    # Count once per (file, outcome, status): comparing every summary with every task is
    # quadratic, and a county's inbox holds thousands of each.
    counted: dict[tuple[str, str], Counter[Status | None]] = defaultdict(Counter)
    for t in tasks:
        counted[(t.place.file, t.outcome)][t.status] += 1
    rows: list[dict[str, Any]] = []
    places: list[Place] = []
    for summary, file in summaries:
        if all(v is None for v in summary.declared.values()):
            continue  # A summary left blank declares nothing to check.
        listed = counted.get((file, summary.outcome), Counter())
        for colour, declared in summary.declared.items():
            if colour == "Total":
                count = sum(listed.values())
            else:
                count = listed[Status(colour)]
                if colour == "Green" and "Achieved" not in summary.declared:
                    # The template's summary has no Achieved line: groups count them as on track.
                    count += listed[Status.ACHIEVED]
            rows.append({"file": file, "outcome": summary.outcome, "colour": colour,
                         "declared": declared, "counted": count})
            places.append(summary.count_places.get(colour, summary.place))
    frame = pd.DataFrame(rows, index=pd.RangeIndex(len(rows)),
                         columns=["file", "outcome", "colour", "declared", "counted"])
    frame["declared"] = frame["declared"].astype("Int64")
    return frame, places, rows


#: The cell a problem is about, so a message points at it ('Outcome 2.1'!D14) not only at its row.
_CELL_OF = {
    "missing-status": "status",
    "unknown-status": "status",
    "missing-planned-action": "planned",
    "planned-action-no-deadline": "planned",
    "ref-outside-outcome": "ref",
    "missing-task": "task",
}


def _closest(code: str, group: str, outcome: str, register: Register) -> str:
    """The hint that ends a group or outcome message: the nearest group, or the outcome's owner."""
    if code == "unknown-group":
        closest = register.match_group(group).closest
        return f"; the closest is '{closest}'" if closest else ""
    if code == "outcome-not-group":
        owner = _owner(register, outcome)
        return f"; it belongs to {owner}" if owner else ""
    return ""


def _task_issue(tasks: Sequence[TaskRecord], index: int, code: str, register: Register,
                first_of: Callable[[], dict[tuple[str, ...], TaskRecord]]) -> Issue:
    task = tasks[index]
    fields: dict[str, Any] = {
        "task": task.task or "(no task text)",
        "value": task.status_text,
        "status": task.status.value.lower() if task.status else "",
        "ref": task.ref,
        "outcome": task.outcome,
        "group": task.group,
        "closest": _closest(code, task.group, task.outcome, register),
    }
    if code == "missing-task":
        filled = [
            n
            for n, v in (
                ("a target", task.target),
                ("a position", task.position),
                ("a status", task.status_text),
                ("a planned improvement", task.planned),
            )
            if v
        ]
        fields["filled"] = ", ".join(filled) or "text"
    if code == "duplicate-task":
        first = first_of().get(_task_key(task))
        fields["other"] = first.place.describe() if first is not None and first is not task else "another row"
    if code == "unknown-group":
        fields["value"] = task.group or "(no group named)"
    column = _CELL_OF.get(code, "")
    return make_task_issue(code, task.place_of(column), task, column, **fields)


def _task_key(task: TaskRecord) -> tuple[str, ...]:
    """What makes two task rows the same task: file, group, outcome, Ref, action, wording."""
    return (task.place.file, task.group, task.outcome, task.ref, task.action,
            " ".join(task.task.lower().split()))


def _plan_issue(plan: PlanRecord, code: str, register: Register) -> Issue:
    fields = {
        "task": plan.action or "(no action)",
        "filled": "an action",
        "outcome": plan.outcome,
        "group": plan.group,
        "closest": _closest(code, plan.group, plan.outcome, register),
        "value": plan.group or "(no group named)",
    }
    return make_issue(code, plan.place, **fields)


def _summary_issue(row: dict[str, Any], place: Place, code: str) -> Issue:
    declared = 0 if pd.isna(row["declared"]) else int(row["declared"])
    colour = row["colour"].lower()
    noun = "tasks in all" if colour == "total" else f"{colour}"
    return make_issue(
        code, place, outcome=row["outcome"], declared=declared, colour=noun, counted=int(row["counted"])
    )
