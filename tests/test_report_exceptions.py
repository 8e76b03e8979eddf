"""The Executive's exceptions report, read back with python-docx and checked by its text."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import docx
import pytest
from consolidation_factory import (
    AT_TEXT,
    CDRP,
    CHILDREN,
    ECONOMY,
    ENVIRONMENT,
    FORMULA_TEXT,
    HEALTH,
    PHONE_TEXT,
    STRONGER,
    make_consolidation,
    seed_tasks,
)
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Length, Pt
from docx.table import Table, _Cell, _Row
from hypothesis import given
from hypothesis import strategies as st

import pipeline.report.exceptions_report as exceptions_report
from pipeline.consolidate.result import Consolidation
from pipeline.records import Status, TaskRecord
from pipeline.report.exceptions_report import TASK_HEADERS, action_blocks, direction_mark, write_exceptions

TITLE = "Action plan tasks at amber or red as at Q4 2008/09"


@pytest.fixture
def result() -> Consolidation:
    return make_consolidation()


def written(result: Consolidation, tmp_path: Path) -> Document:
    path = tmp_path / "exceptions.docx"
    write_exceptions(result, path)
    return docx.Document(str(path))


@pytest.fixture
def document(result: Consolidation, tmp_path: Path) -> Document:
    return written(result, tmp_path)


def action_tables(document: Document) -> list[Table]:
    """One table per action: row 1 Ref/Action, row 2 the headings, then the tasks."""
    return [t for t in document.tables if t.rows[0].cells[0].text.startswith("Ref:")]


def task_rows(document: Document) -> list[_Row]:
    return [row for table in action_tables(document) for row in table.rows[2:]]


def expected_text(value: str) -> str:
    """A cell's text as the report lays it out: one paragraph per non-blank line."""
    return "\n".join(line.rstrip() for line in value.split("\n") if line.strip())


def fill(cell: _Cell) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return None if shd is None else shd.get(qn("w:fill"))


def test_title_and_introduction(document: Document) -> None:
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    assert paragraphs[0].text == TITLE
    assert paragraphs[0].style.name == "Title"
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Tasks at amber or red")
    intro = "\n".join(p.text for p in paragraphs[start + 1 : start + 4])
    assert "Produced on 28 April 2009" in intro
    assert "8 tasks are at amber or red (2 red, 6 amber) across 4 groups." in intro
    assert f"{CHILDREN} has no tasks at amber or red." in intro
    assert f"No return received from: {ENVIRONMENT}." in intro


def test_the_count_returned_is_the_task_rows_written(result: Consolidation, tmp_path: Path) -> None:
    path = tmp_path / "exceptions.docx"
    listed = write_exceptions(result, path)
    assert listed == len(task_rows(docx.Document(str(path)))) == len(result.exceptions) == 8


def test_group_headings_in_register_order_only_with_exceptions(document: Document) -> None:
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == [CDRP, ECONOMY, HEALTH, STRONGER]


def test_each_task_row_holds_its_five_texts(document: Document, result: Consolidation) -> None:
    rows = task_rows(document)
    assert len(rows) == len(result.exceptions)
    for row, task in zip(rows, result.exceptions, strict=True):
        texts = [cell.text for cell in row.cells]
        assert texts[0] == expected_text(task.task)
        assert texts[1] == expected_text(task.target)
        assert texts[2] == expected_text(task.position)
        assert texts[3].split("\n")[0] == task.status.value
        assert texts[4] == expected_text(task.planned)
    for table in action_tables(document):
        assert [c.text for c in table.rows[1].cells] == list(TASK_HEADERS)


def test_risky_texts_are_plain_text(document: Document) -> None:
    texts = {cell.text for row in task_rows(document) for cell in row.cells}
    assert {FORMULA_TEXT, PHONE_TEXT, AT_TEXT} <= texts
    assert any(t.startswith("-appoint researcher") for t in texts)


def test_multi_line_cells_are_separate_paragraphs(document: Document) -> None:
    cell = next(c for r in task_rows(document) for c in r.cells
                if c.text.startswith("Walk it-Bike it-Jog it"))
    assert [p.text for p in cell.paragraphs] == [
        "Walk it-Bike it-Jog it",
        "(Health Walks/Cycle Routes, Trim Trails)",
        "To progress with feasibility study tender",
    ]


def test_status_cells_are_shaded_amber_or_red(document: Document) -> None:
    words = []
    for row in task_rows(document):
        cell = row.cells[3]
        word = cell.paragraphs[0].text
        words.append(word)
        assert fill(cell) == {"Amber": "FFC000", "Red": "FF0000"}[word]
        run = cell.paragraphs[0].runs[0]
        assert run.bold
        if word == "Red":
            assert str(run.font.color.rgb) == "FFFFFF"
    assert set(words) == {"Amber", "Red"}


def test_direction_and_several_statuses_follow_the_status_word(document: Document) -> None:
    statuses = [row.cells[3].text for row in task_rows(document)]
    assert statuses[0] == "Amber\n↓ worsened"
    assert "Amber\nnew" in statuses
    assert "Amber\n(ACHIEVED, ACHIEVED, AMBER)" in statuses


def test_ref_action_and_header_rows_repeat_and_are_shaded(document: Document) -> None:
    for table in action_tables(document):
        ref_row, header = table.rows[:2]
        for row in (ref_row, header):
            # The schema's order; Word calls a file with them the other way round corrupt.
            assert [child.tag for child in row._tr.trPr] == [qn("w:cantSplit"), qn("w:tblHeader")]
        for row in table.rows[2:]:
            assert row._tr.trPr.find(qn("w:tblHeader")) is None
        assert all(fill(c) == "D9D9D9" for c in header.cells)
        assert fill(ref_row.cells[0]) == fill(ref_row.cells[1]) == "E7E6E6"


def test_ref_and_action_blocks(document: Document) -> None:
    tables = action_tables(document)
    blocks = [(t.rows[0].cells[0].text, t.rows[0].cells[1].text) for t in tables]
    assert blocks[0][0] == "Ref:\n2.3b"
    assert blocks[0][1].startswith("Action: Reduce fear of crime")
    assert blocks[-1][0] == "Ref:"  # the Stronger Communities action has no Ref, none invented
    assert len(blocks) == 4  # one per run of tasks sharing group, outcome, ref and action
    # The Action cell spans the four columns right of Ref (one w:tc, repeated by python-docx).
    assert tables[0].rows[0].cells[1]._tc is tables[0].rows[0].cells[4]._tc


def test_notes_follow_their_action_once(document: Document) -> None:
    notes = [p for p in document.paragraphs if p.text.startswith("Marketing Gloucester")]
    assert len(notes) == 1


def test_page_is_landscape_a4_with_page_x_of_y(document: Document) -> None:
    section = document.sections[0]
    assert section.page_width > section.page_height
    assert round(section.page_width.mm) == 297
    footer_xml = section.footer._element.xml
    assert " PAGE " in footer_xml and " NUMPAGES " in footer_xml
    assert document.styles["Normal"].font.name == "Arial"


def test_control_characters_do_not_break_the_document(
    result: Consolidation, tmp_path: Path
) -> None:
    result.tasks[0] = dataclasses.replace(result.tasks[0], task="Bad\x0b\x01 text\ufffe")
    document = written(result, tmp_path)
    assert task_rows(document)[0].cells[0].text == "Bad text"


def test_tasks_of_an_unknown_group_are_still_reported(
    result: Consolidation, tmp_path: Path
) -> None:
    stray = dataclasses.replace(result.tasks[0], group="", task="Orphan task")
    result.tasks.append(stray)
    document = written(result, tmp_path)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings[-1] == "Group not identified"
    assert task_rows(document)[-1].cells[0].text == "Orphan task"


def test_no_exceptions_says_so(tmp_path: Path) -> None:
    calm = [t for t in seed_tasks() if t.status not in (Status.AMBER, Status.RED)]
    document = written(make_consolidation(calm), tmp_path)
    assert any("No task is at amber or red." in p.text for p in document.paragraphs)
    assert not action_tables(document)


def test_failure_while_writing_leaves_the_previous_report(
    result: Consolidation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "exceptions.docx"
    path.write_bytes(b"last quarter's report")
    made = []

    def disk_full_at_the_second_table(*args: Any) -> str:
        made.append(args)
        if len(made) == 2:
            raise OSError(28, "No space left on device")
        return real(*args)

    real = exceptions_report._action_table
    monkeypatch.setattr(exceptions_report, "_action_table", disk_full_at_the_second_table)
    with pytest.raises(OSError, match="No space left on device"):
        write_exceptions(result, path)
    assert len(made) == 2, "the tables are made while the file is written: the first one was in it"
    assert path.read_bytes() == b"last quarter's report"
    assert [p.name for p in tmp_path.iterdir()] == ["exceptions.docx"]


@pytest.mark.parametrize(
    ("direction", "mark"),
    [("improved", "↑ improved"), ("Worsened", "↓ worsened"), ("new", "new"),
     ("same", "→ no change"), ("up 3 places", "up 3 places")],
)
def test_direction_marks(direction: str, mark: str) -> None:
    assert direction_mark(direction) == mark


def test_action_blocks_group_consecutive_tasks_only() -> None:
    def task(action: str) -> TaskRecord:
        return dataclasses.replace(seed_tasks()[0], action=action)

    blocks = list(action_blocks([task("A"), task("A"), task("B"), task("A")]))
    assert [(b.action, len(b.tasks)) for b in blocks] == [("A", 2), ("B", 1), ("A", 1)]




@given(text=st.text(st.characters(codec="utf-8"), max_size=30)
       | st.sampled_from(["", " lead", "trail ", "a\tb", "a\r\nb", "x\x07y", "R&D <b>", "\u00a0nbsp"]),
       bold=st.booleans(), color=st.sampled_from([None, "", "c00000"]),
       size=st.sampled_from([None, Pt(9)]))
def test_a_run_of_plain_text_is_written_as_any_run_is(text: str, bold: bool, color: str | None,
                                                       size: Length | None) -> None:
    """`run`'s one-element case (plain text on one line) is its text's elements, cleaned and
    split, after the look's properties."""
    from pipeline.report.docx_table_xml import run, run_properties, text_elements

    expected = f"<w:r>{run_properties(bold, color, size)}{text_elements(text)}</w:r>"
    assert run(text, bold=bold, color=color, size=size) == expected
