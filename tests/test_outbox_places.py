"""A problem's place in words a Word or Excel user can find: the Ref, the task's first words, the column."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.document import Place
from pipeline.issues import make_issue
from pipeline.outbox.places import TaskPlaces, first_words
from pipeline.records import TaskRecord

GREEN_GYM = "Explore Green Gym sessions in three parks with local volunteers"


@pytest.mark.parametrize(("text", "expected"), [
    ("Short task", "Short task"),
    (GREEN_GYM, "Explore Green Gym sessions in three…"),
    ("Supercalifragilisticexpialidocious" * 2, "SupercalifragilisticexpialidociousSuperc…"),
    ("Hold events, workshops, and a fair in the summer", "Hold events, workshops, and a fair in…"),
])
def test_a_task_is_named_by_its_first_whole_words(text: str, expected: str) -> None:
    assert first_words(text) == expected


def test_a_row_level_problem_in_excel_names_no_column() -> None:
    row = Place("r.xlsx", sheet="Tasks", cell="A7")
    task = TaskRecord(place=row, task="Hold events", ref="1.1a",
                      cell_places={"task": row, "status": Place("r.xlsx", sheet="Tasks", cell="D7")},
                      headings={"task": "Tasks", "status": "Status"})
    places = TaskPlaces([task])
    hidden = make_issue("hidden-row", row, row=7, cells="A7, B7")
    assert places.describe(hidden) == "Ref 1.1a, task 'Hold events' (cell 'Tasks'!A7)"
    missing = make_issue("missing-task", row, filled="a status")
    assert places.describe(missing) == "Ref 1.1a, task 'Hold events', Tasks (cell 'Tasks'!A7)"
    elsewhere = make_issue("summary-mismatch", Place("r.xlsx", sheet="Tasks", cell="D2"), outcome="1.1",
                           declared=1, colour="green", counted=2)
    assert places.describe(elsewhere) == "'Tasks'!D2"


def test_the_facts_an_issue_was_made_with_name_the_task_even_without_the_record() -> None:
    issue = make_issue("missing-status", Place("r.docx", table=2, row=4, column=4), task="Hold events")
    issue = replace(issue, ref="2.1a", task="Hold events in every ward", column="status")
    assert TaskPlaces([]).describe(issue) == "Ref 2.1a, task 'Hold events in every ward', Status"
