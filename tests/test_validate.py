"""Validation: each partnership check, its severity, and the sentence a group reads."""

import pytest

from pipeline.document import Place
from pipeline.issues import Severity
from pipeline.records import PlanRecord, Status, SummaryRecord, TaskRecord
from pipeline.register import load_register
from pipeline.validate import validate

REGISTER = load_register()
GROUP = "Stronger Communities Group"


def task(row: int, **fields: object) -> TaskRecord:
    base = dict(
        task=f"Task {row}",
        target="March 09",
        position="Going well",
        status=Status.GREEN,
        status_text="Green",
        planned="",
        group=GROUP,
        outcome="2.1",
        ref="",
        action="Act",
    )
    base.update(fields)
    return TaskRecord(place=Place("sc.docx", table=3, row=row), **base)  # type: ignore[arg-type]


def codes(issues: list) -> list[tuple[str, str]]:
    return [(i.code, i.place.describe()) for i in issues]


def test_a_clean_return_has_no_issues() -> None:
    tasks = [
        task(2),
        task(3, status=Status.AMBER, status_text="AMBER", planned="Arrange training by June 09"),
    ]
    assert validate(tasks, [], [], REGISTER) == []


@pytest.mark.parametrize(
    ("fields", "code", "severity", "message"),
    [
        (
            dict(status=None, status_text="Ambr"),
            "unknown-status",
            Severity.ERROR,
            "Status 'Ambr' is not one of Green, Amber, Red, Achieved.",
        ),
        (dict(status=None, status_text=""), "missing-status", Severity.ERROR, "Task 'Task 2' has no Status."),
        (
            dict(status=Status.RED, status_text="RED", planned=""),
            "missing-planned-action",
            Severity.ERROR,
            "Task 'Task 2' is red but has no planned improvement or action.",
        ),
        (
            dict(status=Status.AMBER, status_text="Amber", planned="Arrange training."),
            "planned-action-no-deadline",
            Severity.QUERY,
            "The planned improvement for amber task 'Task 2' does not say by when.",
        ),
        (
            dict(ref="3.4a"),
            "ref-outside-outcome",
            Severity.QUERY,
            "Ref '3.4a' does not belong to outcome 2.1, under which it is written.",
        ),
        (
            dict(task=""),
            "missing-task",
            Severity.ERROR,
            "A row has a target, a position, a status but no task text.",
        ),
        (
            dict(outcome="4.3"),
            "outcome-not-group",
            Severity.WARNING,
            "Outcome 4.3 is not one of Stronger Communities Group's outcomes; it belongs to Economic "
            "Development Coordination Group.",
        ),
        (dict(outcome="9.9"), "unknown-outcome", Severity.WARNING, "Outcome '9.9' is not in the register."),
        (
            dict(group="Green Spaces Forum"),
            "unknown-group",
            Severity.WARNING,
            "The group 'Green Spaces Forum' is not in the register.",
        ),
    ],
)
def test_each_check(fields: dict, code: str, severity: Severity, message: str) -> None:
    issues = validate([task(2, **fields)], [], [], REGISTER)
    assert [(i.code, i.severity) for i in issues] == [(code, severity)]
    assert issues[0].message.startswith(message)
    assert issues[0].place.describe() == "table 3, row 2"


def test_no_status_column_gives_no_missing_status() -> None:
    assert validate([task(2, status=None, status_text="", has_status_column=False)], [], [], REGISTER) == []


def test_duplicate_task_names_the_first() -> None:
    issues = validate([task(2, task="Arrange training"), task(5, task="arrange  training")], [], [], REGISTER)
    assert codes(issues) == [("duplicate-task", "table 3, row 5")]
    assert "also at table 3, row 2" in issues[0].message


def test_summary_counts_against_tasks() -> None:
    tasks = [task(2), task(3, status=Status.RED, status_text="Red", planned="By June 09")]
    summary = SummaryRecord(
        Place("sc.docx", table=1, row=3, column=4),
        "2.1",
        {"Green": 1, "Amber": None, "Red": 2, "Total": 2},
        count_places={"Red": Place("sc.docx", table=1, row=5, column=4)},
    )
    issues = validate(tasks, [], [(summary, "sc.docx")], REGISTER)
    assert codes(issues) == [("summary-mismatch", "table 1, row 5, column 4")]
    assert issues[0].message == "The summary for outcome 2.1 says 2 red, but the tasks below it have 1."


def test_every_failure_in_every_row_is_collected() -> None:
    tasks = [task(r, status=None, status_text="Ambr") for r in range(2, 12)]
    assert len(validate(tasks, [], [], REGISTER)) == 10


def test_plan_rows() -> None:
    plan = PlanRecord(
        Place("cy.docx", table=1, row=5),
        action="a) Ensure",
        task="",
        group="Children & Young People Action Group",
        outcome="3.3",
    )
    issues = validate([], [plan], [], REGISTER)
    assert [i.code for i in issues] == ["missing-task"]


def test_a_summary_left_blank_declares_nothing() -> None:
    summary = SummaryRecord(
        Place("sc.docx", table=1, row=3), "2.1", {"Green": None, "Red": None, "Total": None}
    )
    assert validate([task(2)], [], [(summary, "sc.docx")], REGISTER) == []
