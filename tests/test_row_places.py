"""A task's cell places sent from a reading worker as its row's place and each field's column
(`pipeline.row_places`): the same places back, in the same order, for Word and Excel rows,
merged cells among them; places that do not fit that pattern come back as the dict they were."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Mapping
from dataclasses import fields
from multiprocessing.reduction import ForkingPickler
from pathlib import Path

import pytest
from blocks import MERGED_ABOVE, MERGED_LEFT, document, table

from pipeline.document import Place
from pipeline.issues import make_issue
from pipeline.layout.interpret import interpret
from pipeline.outbox.places import TaskPlaces, column_of
from pipeline.readers.xlsx import read_xlsx
from pipeline.records import _CELL_PLACES, TaskRecord, _task_received
from pipeline.register import load_register
from pipeline.row_places import RowPlaces, sent_layout
from tests.xlsx_factory import HEADERS, TASKS_2_1, new_workbook, save, write_rows

REGISTER = load_register()
TASK_HEAD = ["Tasks", "Target", "Position", "Status", "Planned improvement/action needed and deadline"]


def sent_places(places: Mapping[str, Place], row: Place) -> Mapping[str, Place]:
    """`places` as `RowPlaces` when they fit `row` (`sent_layout`), else as they are."""
    layout = sent_layout(places, row)
    return places if layout is None else RowPlaces(row, layout)


def _sent_back(value: object) -> object:
    """As a reading worker sends it and the run's parent takes it."""
    return pickle.loads(ForkingPickler.dumps(value))


def _assert_same_places(back: TaskRecord, task: TaskRecord) -> None:
    # Each place looked up alone first, before anything makes them all (`RowPlaces.get` makes
    # one place alone then), and then again once they are made.
    fresh = _sent_back(task)
    assert isinstance(fresh, TaskRecord)
    for name in (*task.cell_places, "owner", "no such field"):
        alone = fresh.cell_places.get(name)
        assert alone == task.cell_places.get(name)
        assert alone is None or [(type(v), v) for v in alone] == [
            (type(v), v) for v in task.cell_places[name]]
        assert fresh.place_of(name) == task.place_of(name)
    assert back == task and back.place == task.place
    assert list(back.cell_places.items()) == list(task.cell_places.items())
    assert repr(back.cell_places) == repr(task.cell_places)
    for name, place in task.cell_places.items():
        # Every field of each place the same, and of the same type (1 == True would pass ==).
        assert type(back.cell_places[name]) is Place
        assert [(type(v), v) for v in back.cell_places[name]] == [(type(v), v) for v in place]
    for name in (*task.cell_places, "owner", "no such field"):
        assert back.place_of(name) == task.place_of(name)


def _word_tasks() -> list[TaskRecord]:
    doc = document(table(1, [
        ["Action", *TASK_HEAD],
        ["Reduce fear of crime", "Task one", "T1", "P1", "Amber", "By March 09"],
        [MERGED_ABOVE, "Task two", "T2", MERGED_LEFT, "Green", ""],  # a merged Position
        [MERGED_ABOVE, "Task three", "T3", "P3", "Red", "By April 09"],
        ["Second action", "Task four", MERGED_LEFT, MERGED_LEFT, "Green", ""],
    ]))
    return interpret(doc, REGISTER).tasks


def _excel_tasks(tmp_path: Path) -> list[TaskRecord]:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    write_rows(ws, [HEADERS, *TASKS_2_1[:3]])
    ws.merge_cells("D2:E3")  # one status for two tasks, merged across two columns too
    ws.merge_cells("B4:C4")  # a target over the position
    path = save(wb, tmp_path / "merged.xlsx")
    return interpret(read_xlsx(path, "merged.xlsx"), REGISTER).tasks


def test_the_task_sends_its_layout_in_place_of_its_cell_places() -> None:
    assert fields(TaskRecord)[_CELL_PLACES].name == "cell_places"
    task = _word_tasks()[0]
    received, values = task.__reduce__()
    assert received is _task_received and values[_CELL_PLACES] == sent_layout(task.cell_places,
                                                                              task.place)


def test_word_tasks_come_back_with_the_same_places_merged_cells_and_all() -> None:
    tasks = _word_tasks()
    assert len(tasks) == 4 and all(len(t.cell_places) >= 4 for t in tasks)
    for task in tasks:
        assert type(sent_places(task.cell_places, task.place)) is RowPlaces
        back = _sent_back(task)
        assert isinstance(back, TaskRecord) and type(back.cell_places) is RowPlaces
        _assert_same_places(back, task)


def test_excel_tasks_come_back_with_the_same_places_merged_cells_and_all(tmp_path: Path) -> None:
    tasks = _excel_tasks(tmp_path)
    assert len(tasks) == 3
    assert tasks[0].cell_places["status"] == Place("merged.xlsx", sheet="Outcome 2.1", cell="D2")
    assert tasks[0].cell_places["task"] is tasks[0].place  # column A: the row's own place
    for task in tasks:
        back = _sent_back(task)
        assert isinstance(back, TaskRecord) and type(back.cell_places) is RowPlaces
        _assert_same_places(back, task)


def test_a_whole_answer_keeps_one_layout_a_table() -> None:
    tasks = _word_tasks()
    back = _sent_back(tasks)
    assert isinstance(back, list)
    # Rows of the same fields and columns share one layout, sent once.
    layouts = {id(t.cell_places._layout) for t in back}  # noqa: SLF001 - what is shared
    assert len(layouts) == len({(tuple(t.cell_places), tuple(p.column for p in t.cell_places.values()))
                                for t in tasks})
    for one, task in zip(back, tasks, strict=True):
        _assert_same_places(one, task)


def test_rows_of_tables_given_in_turn_share_their_tables_layout() -> None:
    # The layout given last is shared without a look-up; one met before, after it, still is.
    def row(table: int, number: int, columns: tuple[int, ...]) -> tuple[dict[str, Place], Place]:
        place = Place("r.docx", table=table, row=number)
        return {f"f{c}": place._replace(column=c) for c in columns}, place

    rows = [row(1, 2, (1, 2)), row(1, 3, (1, 2)), row(2, 2, (1, 3)), row(1, 4, (1, 2)),
            row(2, 3, (1, 3))]
    layouts = [sent_layout(places, place) for places, place in rows]
    assert layouts[0] == (("f1", "f2"), (1, 2)) and layouts[2] == (("f1", "f3"), (1, 3))
    assert layouts[0] is layouts[1] is layouts[3] and layouts[2] is layouts[4]


ROW = Place("r.docx", table=2, row=7)
SHEET_ROW = Place("r.xlsx", sheet="Tasks", cell="A7")


@pytest.mark.parametrize(("row", "places"), [
    (ROW, {"task": ROW._replace(column=1), "status": ROW._replace(row=6, column=4)}),  # another row
    (ROW, {"task": ROW._replace(column=1), "notes": Place("r.docx", paragraph=12)}),
    (ROW, {"task": ROW._replace(column=1, page=2)}),
    (ROW, {"task": SHEET_ROW}),
    (SHEET_ROW, {"task": SHEET_ROW, "status": Place("r.xlsx", sheet="Tasks", cell="D8")}),
    (SHEET_ROW, {"task": SHEET_ROW, "status": Place("r.xlsx", sheet="Other", cell="D7")}),
    (SHEET_ROW, {"task": SHEET_ROW, "status": Place("r.xlsx", sheet="Tasks")}),
    (SHEET_ROW, {"task": ROW}),
    (Place("r.xlsx", sheet="Tasks"), {"task": Place("r.xlsx", sheet="Tasks", cell="B7")}),
    (ROW, {}),
], ids=["another row", "a paragraph", "another page", "a sheet's cell in a Word row",
        "the next row", "another sheet", "a sheet without a cell", "a Word cell in a sheet's row",
        "a sheet's row without a cell", "none"])
def test_places_not_in_their_rows_pattern_are_sent_as_they_are(row: Place,
                                                               places: dict[str, Place]) -> None:
    assert sent_places(places, row) is places
    task = TaskRecord(row, "A task", cell_places=places, headings={"task": "Tasks"})
    back = _sent_back(task)
    assert isinstance(back, TaskRecord) and type(back.cell_places) is dict
    _assert_same_places(back, task)


@pytest.mark.parametrize("cell", ["$D$7", "D17", "7", "AB7", "d7"])
def test_odd_cells_in_a_sheets_row_come_back_exactly(cell: str) -> None:
    # Whatever a cell's letters are, it is its letters and the row's digits again.
    places = {"task": SHEET_ROW, "status": Place("r.xlsx", sheet="Tasks", cell=cell)}
    task = TaskRecord(SHEET_ROW, "A task", cell_places=places)
    back = _sent_back(task)
    assert isinstance(back, TaskRecord)
    _assert_same_places(back, task)


def test_row_places_read_as_the_dict_they_stand_for() -> None:
    places = {"task": ROW._replace(column=1), "status": ROW._replace(column=4),
              "target": ROW._replace(column=2)}
    sent = sent_places(places, ROW)
    assert isinstance(sent, RowPlaces)
    assert sent == places and places == sent and dict(sent) == places
    assert sent != {**places, "target": ROW._replace(column=3)} and sent != {}
    assert list(sent) == list(places) and len(sent) == 3 and "status" in sent and "owner" not in sent
    assert list(sent.values()) == list(places.values()) and list(sent.items()) == list(places.items())
    assert sent["status"] == places["status"] and sent.get("owner") is None
    assert sent.get("owner", ROW) is ROW
    with pytest.raises(KeyError):
        sent["owner"]
    with pytest.raises(TypeError):
        hash(sent)
    assert repr(sent) == repr(places)
    assert copy.deepcopy(sent) == places and copy.copy(sent) == places
    again = _sent_back(_sent_back(sent))  # sent on again as it is, compact
    assert type(again) is RowPlaces and again == places
    assert sent_places(sent, ROW) is sent


def test_a_sent_task_is_placed_in_words_as_the_task_itself(tmp_path: Path) -> None:
    for task in [*_word_tasks(), *_excel_tasks(tmp_path)]:
        back = _sent_back(task)
        assert isinstance(back, TaskRecord)
        for place in task.cell_places.values():
            issue = make_issue("missing-status", place, task=task.task)
            assert TaskPlaces([back]).describe(issue) == TaskPlaces([task]).describe(issue)
            assert column_of(back, issue) == column_of(task, issue)


@pytest.mark.parametrize("cell", ["D7", "$D$7", "D17", "7", "D٣7"])
def test_a_sent_tasks_cells_find_it_by_their_row_as_the_tasks_own_do(cell: str) -> None:
    places = {"task": SHEET_ROW, "status": Place("r.xlsx", sheet="Tasks", cell=cell)}
    task = TaskRecord(SHEET_ROW, "Hold events", cell_places=places)
    back = _sent_back(task)
    assert isinstance(back, TaskRecord) and type(back.cell_places) is RowPlaces
    for row in (7, 17, 37, 3):
        at = Place("r.xlsx", sheet="Tasks", cell=f"F{row}")
        assert (TaskPlaces([back]).task_at(at) is back) == (TaskPlaces([task]).task_at(at) is task)
