"""The automatic status checks (the register's [checks]): queries on statuses that do not fit
their dates, positions not updated, deadlines that keep moving, red tasks with no date."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from pipeline.document import Place
from pipeline.issues import Severity
from pipeline.normalise.deadlines import latest_date
from pipeline.records import Status, TaskRecord
from pipeline.register import RegisterError, load_register
from pipeline.register_file import ChecksEntry
from pipeline.validate import check_statuses

END = dt.date(2009, 3, 31)
GROUP = "Healthy City Partnership"


def task(text: str, status: Status | None, row: int, **fields: str) -> TaskRecord:
    return TaskRecord(place=Place("healthy-city.docx", table=2, row=row), task=text, status=status,
                      status_text=status.value if status else "", group=GROUP, ref="3.4a",
                      **fields)


def codes(current: list[TaskRecord], previous: list[TaskRecord] | None = None,
          checks: ChecksEntry | None = None, end: dt.date | None = END) -> list[tuple[str, str]]:
    found = check_statuses(current, previous or [], period="end of year 2008/9", period_end=end,
                           previous_period="Q3 2008/09", checks=checks or ChecksEntry())
    assert all(i.severity is Severity.QUERY for i in found)
    return [(i.code, i.task) for i in found]


@pytest.mark.parametrize(
    ("text", "day"),
    [("March 2009", dt.date(2009, 3, 31)), ("New target date March 09", dt.date(2009, 3, 31)),
     ("Map of activity – June 08; training Autumn 08", dt.date(2008, 11, 30)),
     ("Draft toolkits April 09", dt.date(2009, 4, 30)), ("5th June 2009", dt.date(2009, 6, 5)),
     ("31/03/2009", dt.date(2009, 3, 31)), ("Winter 08", dt.date(2009, 2, 28)),
     ("tba", None), ("No target set yet", None), ("by 2010 from the 1998 baseline", None)],
)
def test_the_date_a_target_names(text: str, day: dt.date | None) -> None:
    assert latest_date(text) == day


def test_green_or_amber_past_its_target_is_queried() -> None:
    tasks = [task("Overdue green", Status.GREEN, 2, target="December 08", position="On track"),
             task("Overdue amber", Status.AMBER, 3, target="Autumn 08", position="Late",
                  planned="Finish by May 09"),
             task("Due at the period's end", Status.GREEN, 4, target="March 09", position="Yes"),
             task("Overdue but red", Status.RED, 5, target="June 08", position="Stalled",
                  planned="Restart by June 2009"),
             task("No date", Status.GREEN, 6, target="tba", position="Fine")]
    assert codes(tasks) == [("target-date-passed", "Overdue green"),
                            ("target-date-passed", "Overdue amber")]
    message = check_statuses(tasks[:1], [], period="end of year 2008/9", period_end=END,
                             previous_period="", checks=ChecksEntry())[0]
    assert message.message == ("Task 'Overdue green' is Green, but its target (December 08) "
                               "passed before the period reported on ended (end of year 2008/9).")
    assert message.column == "target" and message.group == GROUP
    # Three months' grace lets December pass; without a period end nothing is dated.
    assert codes(tasks, checks=ChecksEntry(target_passed_grace_days=100)) == [
        ("target-date-passed", "Overdue amber")]
    assert codes(tasks, end=None) == []


def test_achieved_with_a_future_target_or_no_position_is_queried() -> None:
    tasks = [task("Early", Status.ACHIEVED, 2, target="June 09", position="Done"),
             task("Silent", Status.ACHIEVED, 3, target="March 09"),
             task("Fine", Status.ACHIEVED, 4, target="January 09", position="Done in January")]
    assert codes(tasks) == [("achieved-future-target", "Early"), ("achieved-no-position", "Silent")]


def test_a_position_word_for_word_as_last_period_is_queried() -> None:
    before = [task("Same words", Status.AMBER, 2, position="Meeting  arranged with partners."),
              task("New words", Status.AMBER, 3, position="Meeting arranged."),
              task("Short", Status.RED, 4, position="tba")]
    now = [dataclasses.replace(before[0], position="Meeting arranged with\npartners.",
                               planned="By June 09"),
           dataclasses.replace(before[1], position="Meeting held; plan agreed.",
                               planned="By June 09"),
           dataclasses.replace(before[2], planned="Decide target by April 09")]
    assert codes(now, before) == [("position-unchanged", "Same words"),
                                  ("position-unchanged", "Short")]
    assert codes(now, before, ChecksEntry(position_unchanged_min_chars=4)) == [
        ("position-unchanged", "Same words")]
    assert codes(now, []) == []  # nothing to compare with in a first period


def test_a_revised_deadline_moved_again_is_queried() -> None:
    before = [task("Moved again", Status.AMBER, 2, revised_deadline="June 09", position="a"),
              task("Kept", Status.AMBER, 3, revised_deadline="June 09", position="b"),
              task("First revision", Status.AMBER, 4, position="c")]
    now = [dataclasses.replace(before[0], revised_deadline="September 09", position="A"),
           dataclasses.replace(before[1], revised_deadline="june  09", position="B"),
           dataclasses.replace(before[2], revised_deadline="May 09", position="C")]
    found = check_statuses(now, before, period="end of year 2008/9", period_end=END,
                           previous_period="Q3 2008/09", checks=ChecksEntry())
    moved = [i for i in found if i.code == "deadline-moved-again"]
    assert [i.task for i in moved] == ["Moved again"]
    assert moved[0].message == ("The revised deadline of task 'Moved again' moved again: "
                                "'June 09' in Q3 2008/09, 'September 09' now.")


def test_red_with_no_date_in_its_planned_improvement_is_queried() -> None:
    tasks = [task("Next meeting", Status.RED, 2, planned="Group to decide target next mtg"),
             task("Dated", Status.RED, 3, planned="Training arranged for June 09"),
             task("No time at all", Status.RED, 4, planned="Keep trying"),
             task("Amber next meeting", Status.AMBER, 5, planned="Discuss at next meeting")]
    # 'Keep trying' names no time at all: that is planned-action-no-deadline's query already.
    assert codes(tasks) == [("red-without-date", "Next meeting")]


def test_a_check_switched_off_in_the_register_is_not_run() -> None:
    tasks = [task("Next meeting", Status.RED, 2, planned="Decide next mtg"),
             task("Silent", Status.ACHIEVED, 3)]
    assert codes(tasks, checks=ChecksEntry(red_without_date=False)) == [
        ("achieved-no-position", "Silent")]


def test_the_register_reads_its_checks_with_defaults(tmp_path: Path) -> None:
    assert load_register().checks == ChecksEntry()
    text = (Path(__file__).resolve().parents[1] / "pipeline" / "register.toml").read_text()
    assert "[checks]" in text
    mine = tmp_path / "register.toml"
    mine.write_text(text.replace("target_passed_grace_days = 0", "target_passed_grace_days = 30")
                    .replace("position_unchanged = true", "position_unchanged = false"))
    checks = load_register(mine).checks
    assert (checks.target_passed_grace_days, checks.position_unchanged) == (30, False)
    assert checks.red_without_date
    mine.write_text(text.replace("red_without_date = true", "red_without_dates = true"))
    with pytest.raises(RegisterError, match=r"line \d+: 'red_without_dates' in \[checks\] is not a "
                                            "register setting"):
        load_register(mine)


def test_a_second_run_with_the_same_returns_queries_every_position_not_updated(
    tmp_path: Path,
) -> None:
    import shutil

    import openpyxl

    from pipeline.run import run_consolidation

    inbox = tmp_path / "inbox"
    shutil.copytree(Path(__file__).resolve().parents[1] / "inbox", inbox)
    register = load_register()
    first = run_consolidation(inbox, tmp_path / "out", register, period="Q3 2008/09")
    assert not [i for i in first.result.issues if i.code == "position-unchanged"]
    second = run_consolidation(inbox, tmp_path / "out", register, period="Q4 2008/09")
    unchanged = [i for i in second.result.issues if i.code == "position-unchanged"]
    assert len(unchanged) == sum(1 for t in second.result.tasks if t.position.strip())
    sheet = openpyxl.load_workbook(tmp_path / "out" / "master.xlsx")["Issues"]
    assert sum(1 for row in sheet.iter_rows(min_row=2, values_only=True)
               if row[3] == "position-unchanged") == len(unchanged)


def test_a_revised_deadline_moved_since_the_recorded_period_is_queried(tmp_path: Path) -> None:
    """Last period's revised deadline read back from a real history store."""
    from consolidation_factory import make_consolidation, seed_tasks

    from pipeline.history.store import open_store
    from pipeline.run import add_status_queries, attach_history

    def with_deadline(deadline: str) -> list[TaskRecord]:
        tasks = seed_tasks()
        tasks[2] = dataclasses.replace(tasks[2], revised_deadline=deadline)
        return tasks

    with open_store(None, tmp_path / "history.sqlite") as store:
        earlier = make_consolidation(with_deadline("June 09"))
        earlier.period = "Q3 2008/09"
        store.record(earlier)
        result = make_consolidation(with_deadline("September 09"))
        result.issues = []
        add_status_queries(result, load_register(), attach_history(result, store))
    moved = [i for i in result.issues if i.code == "deadline-moved-again"]
    assert [(i.task, i.column) for i in moved] == [
        ("Develop Joint Commissioning Plan with partners", "revised_deadline")]
    assert "'June 09' in Q3 2008/09, 'September 09' now" in moved[0].message
