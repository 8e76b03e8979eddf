"""Records pickled as their field values (`pipeline.pickled`): the same record back, smaller; a
reading worker's whole answer comes back equal."""

from __future__ import annotations

import copy
import copyreg
import io
import pickle
from dataclasses import dataclass, field, fields
from enum import Enum
from multiprocessing.reduction import ForkingPickler
from pathlib import Path

import pytest

from pipeline.consolidate.result import FileResult, Submission, SubmissionState
from pipeline.document import Place
from pipeline.intake.scan import EntryAction, scan_inbox
from pipeline.issues import Issue, Severity, make_issue
from pipeline.pickled import pickled_as_values
from pipeline.records import (
    ReturnData,
    ReturnKind,
    Status,
    TaskRecord,
    _return_received,
    _return_sent,
    _task_received,
    _task_row,
    _task_sent,
)
from pipeline.register import load_register
from pipeline.row_places import RowPlaces


@pytest.mark.parametrize("place", [
    Place("return.docx"),
    Place("return.docx", table=2, row=5, column=3),
    Place("return.xlsx", sheet="Outcome 2", cell="B7"),
    Place("return.pdf", table=1, row=2, page=4),
], ids=["whole file", "word cell", "excel cell", "pdf page"])
def test_a_place_comes_back_equal_and_of_its_class(place: Place) -> None:
    back = pickle.loads(pickle.dumps(place))
    assert back == place and type(back) is Place
    assert copy.deepcopy(place) == place


def test_an_issue_comes_back_with_its_facts_and_place() -> None:
    issue = make_issue("hidden-row", Place("r.xlsx", sheet="S", cell="A4"), row=4, cells="A4, B4")
    back: Issue = pickle.loads(pickle.dumps(issue))
    assert back == issue and back.facts == {"row": 4, "cells": "A4, B4"}
    assert back.key == issue.key


def test_a_task_record_comes_back_with_every_field_and_the_places_of_its_cells() -> None:
    row = Place("r.docx", table=2, row=7)
    task = TaskRecord(row, "Reduce waiting times", target="10 days", position="12 days",
                      status=Status.AMBER, status_text="amber-ish", group="Healthy City",
                      ref="2.3b", has_status_column=False, status_query=True, direction="up",
                      cell_places={"status": Place("r.docx", table=2, row=7, column=4)},
                      headings={"status": "RAG"})
    back: TaskRecord = pickle.loads(pickle.dumps(task))
    assert back == task and type(back) is TaskRecord
    assert back.place_of("status").column == 4 and back.status is Status.AMBER
    # Its values, rebuilt through __init__ (its cell places, which fit its row, as their
    # layout: `pipeline.row_places`, tested in test_row_places).
    cls, values = task.__reduce__()
    assert cls is _task_received and values[:2] == (row, "Reduce waiting times")
    plain = TaskRecord(row, "Reduce waiting times")
    assert plain.__reduce__()[0] is TaskRecord  # no cell places: sent as they are
    assert pickle.loads(pickle.dumps(plain)) == plain
    assert copy.copy(task) == task


def test_a_task_is_sent_with_every_value_in_the_order_of_its_fields() -> None:
    # `_task_sent` reads each attribute itself, not through the fields: a value of its own for
    # each field, each found where its field is.
    values = [object() for _ in fields(TaskRecord)]
    task = TaskRecord(*values)  # type: ignore[arg-type]
    cls, sent = _task_sent(task)
    assert cls is TaskRecord and sent == tuple(getattr(task, f.name) for f in fields(TaskRecord))
    assert all(one is value for one, value in zip(sent, values, strict=True))


def test_a_return_is_sent_with_every_value_in_the_order_of_its_fields() -> None:
    # `_return_sent` names each field itself; its tasks go as their values (`_task_row`).
    values = [object() for _ in fields(ReturnData)]
    values[2] = [_FULL_TASK, TaskRecord(Place("r.docx"), "A task left at its defaults")]
    data = ReturnData(*values)  # type: ignore[arg-type]
    received, sent = _return_sent(data)
    assert received is _return_received and len(sent) == len(values)
    assert all(one is value for i, (one, value) in enumerate(zip(sent, values, strict=True)) if i != 2)
    assert sent[2] == [_task_row(task) for task in data.tasks]


def test_a_returns_tasks_come_back_equal_with_their_places_each_made_again() -> None:
    row = Place("r.docx", table=2, row=7)
    headings = {"task": "Tasks", "status": "RAG"}
    fits = TaskRecord(row, "Fits its row", status=Status.GREEN, headings=headings,
                      cell_places={"task": row._replace(column=1), "status": row._replace(column=4)})
    other = TaskRecord(row._replace(row=8), "A cell in another row", headings=headings,
                       cell_places={"status": row._replace(column=4)})
    data = ReturnData("r.docx", ReturnKind.PROGRESS, tasks=[fits, other, copy.copy(fits)],
                      group="Healthy City", rows_in_issues=1)
    back: ReturnData = pickle.loads(ForkingPickler.dumps(data))
    received = back.tasks[0].cell_places
    made = RowPlaces(row, received._layout)  # type: ignore[attr-defined]
    for name in RowPlaces.__slots__:  # each slot set as __init__ sets it (none made yet)
        assert getattr(received, name) == getattr(made, name)
    assert type(back) is ReturnData and back == data
    assert [type(t.cell_places) for t in back.tasks] == [RowPlaces, dict, RowPlaces]
    assert len({id(t) for t in back.tasks}) == 3 and back.tasks[0].status is Status.GREEN
    assert back.tasks[0].headings is back.tasks[1].headings  # shared, as sent
    assert pickle.loads(pickle.dumps(ReturnData("r.docx", ReturnKind.UNKNOWN))) == ReturnData(
        "r.docx", ReturnKind.UNKNOWN)


@pytest.mark.parametrize("state", [*SubmissionState, "accepted"], ids=repr)
def test_what_became_of_a_file_comes_back_with_every_value_of_its_submission(state: object) -> None:
    # `_result_sent` names each of the submission's fields itself, its state by the name of
    # its member (a state not a member, which none should be, goes as it is).
    values: list[object] = [f"{f.name} value" for f in fields(Submission)]
    values[2], values[5] = state, 7  # state, rows
    submission = Submission(*values)  # type: ignore[arg-type]
    result = FileResult(submission, None, [make_issue("hidden-row", Place("r.xlsx"), row=4, cells="A4")],
                        "stale")
    back: FileResult = pickle.loads(ForkingPickler.dumps(result))
    assert type(back) is FileResult and type(back.submission) is Submission and back == result
    assert [getattr(back.submission, f.name) for f in fields(Submission)] == values
    assert back.submission.state is state or type(state) is str


def test_values_left_at_their_default_at_the_end_are_left_out() -> None:
    cls, values = _Counted("a", 2).__reduce__()
    assert cls is _Counted and values == ("a", 2)
    assert _Counted("a").__reduce__()[1] == ("a",)


@pickled_as_values
@dataclass(frozen=True)
class _Counted:
    name: str
    count: int = 0
    flag: object = None


def test_a_value_equal_to_the_default_but_of_another_type_is_kept() -> None:
    record = _Counted("a", False)  # type: ignore[arg-type]
    back = pickle.loads(pickle.dumps(record))
    assert back.count is False


def test_a_record_with_a_field_not_given_to_init_is_refused() -> None:
    with pytest.raises(TypeError, match="not given to __init__"):
        @pickled_as_values
        @dataclass(frozen=True)
        class _Derived:
            name: str
            length: int = field(init=False, default=0)


class _AskingEachObject(pickle.Pickler):
    """A pickler without copyreg's table: every object is asked for its own `__reduce_ex__`."""

    dispatch_table: dict[type, object] = {}


def _pickled_asking_each_object(value: object) -> bytes:
    buffer = io.BytesIO()
    _AskingEachObject(buffer, protocol=pickle.DEFAULT_PROTOCOL).dump(value)
    return buffer.getvalue()


_FULL_TASK = TaskRecord(Place("r.docx", table=2, row=7), "Reduce waiting times", target="10 days",
                        status=Status.RED, group="Healthy City", ref="2.3b", status_query=True,
                        cell_places={"status": Place("r.docx", table=2, row=7, column=4)},
                        headings={"status": "RAG"})


@pytest.mark.parametrize("value", [
    Place("return.xlsx", sheet="Outcome 2", cell="B7"),
    _FULL_TASK,
    TaskRecord(Place("r.docx"), "A task left at its defaults"),
    make_issue("hidden-row", Place("r.xlsx", sheet="S", cell="A4"), row=4, cells="A4, B4"),
    [_FULL_TASK, _FULL_TASK.place, _FULL_TASK.cell_places],
], ids=["place", "task record", "task record of defaults", "issue", "shared in a list"])
def test_copyregs_table_pickles_exactly_as_the_objects_own_reduce(value: object) -> None:
    # The table is the fast path (one call an object, not a lookup and two calls); the bytes
    # must be those the objects' own __reduce__ gives, which everything else is tested with.
    assert type(value if not isinstance(value, list) else value[0]) in copyreg.dispatch_table
    assert pickle.dumps(value) == _pickled_asking_each_object(value)
    assert pickle.loads(pickle.dumps(value)) == value


_INBOX = Path(__file__).resolve().parent.parent / "inbox"


@pytest.fixture(scope="module")
def answers() -> list[FileResult]:
    """What a reading worker answers for each return of the sample inbox (Word and Excel)."""
    from pipeline.consolidate.read import _load_readers, read_here

    register = load_register(Path(__file__).resolve().parent.parent / "pipeline" / "register.toml")
    _load_readers()
    return [read_here(entry, register) for entry in scan_inbox(_INBOX)
            if entry.action is EntryAction.READ]


def test_a_workers_answer_comes_back_equal_with_its_places_and_shared_headings(
        answers: list[FileResult]) -> None:
    assert {Path(a.submission.file).suffix for a in answers} >= {".docx", ".xlsx"}
    places: list[object] = []
    for answer in answers:
        # As the worker sends it and the run's parent takes it (multiprocessing's pickler).
        back: FileResult = pickle.loads(ForkingPickler.dumps(("ok", answer)))[1]
        assert back == answer
        if answer.data is None:
            continue
        assert back.data is not None and len(back.data.tasks) == len(answer.data.tasks)
        places += [p for task in back.data.tasks for p in (task.place, *task.cell_places.values())]
        places += [plan.place for plan in back.data.plans] + [i.place for i in back.data.issues]
        assert all(type(task) is TaskRecord and type(task.status) in (Status, type(None))
                   for task in back.data.tasks)
        # The tasks of one table share its headings (the reader's one dict a table): one dict
        # in the answer, sent once, and one in the parent.
        sent = {id(task.headings) for task in answer.data.tasks}
        assert len({id(task.headings) for task in back.data.tasks}) == len(sent)
    assert len(places) > 100 and all(type(place) is Place for place in places)


@pytest.mark.parametrize("member", [*Status, *ReturnKind, *SubmissionState, *Severity], ids=repr)
def test_an_enum_member_comes_back_itself_looked_up_by_name(member: Enum) -> None:
    for pickled in (pickle.dumps(member), bytes(ForkingPickler.dumps(member))):
        assert pickle.loads(pickled) is member
    # copyreg's table and the member's own __reduce_ex__ give the same bytes.
    assert pickle.dumps(member) == _pickled_asking_each_object(member)
    assert copy.copy(member) is member and copy.deepcopy(member) is member
