"""read_xlsx on real workbooks built in tmp_path: layout kept as rows, hidden things reported."""

from __future__ import annotations

import datetime as dt
import re
import string
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Color, PatternFill
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.utils.cell import get_column_letter

from pipeline.document import Cell, Place, SourceDocument, Table
from pipeline.intake.open import open_return
from pipeline.issues import FileRejected, Issue
from pipeline.readers import xlsx as xlsx_reader
from pipeline.readers.xlsx import read_xlsx
from tests.intake_support import entry_for
from tests.xlsx_factory import (
    HEADERS,
    TASKS_2_1,
    Action,
    add_part,
    new_workbook,
    put,
    remove_part,
    rewrite_part,
    save,
    sheet_part,
    write_lookup_sheet,
    write_progress_sheet,
    write_rows,
)

TITLE = "Thematic Sub-Group Performance Reporting"
GROUP = "Stronger Communities Group"


def only_table(document: SourceDocument) -> Table:
    (block,) = document.blocks
    assert isinstance(block, Table)
    return block


def cell_at(table: Table, coordinate: str) -> Cell:
    for row in table.rows:
        for cell in row.cells:
            if cell.place.cell == coordinate:
                return cell
    raise AssertionError(f"no cell {coordinate} in {table.title}")


def codes(document: SourceDocument) -> list[str]:
    return [issue.code for issue in document.issues]


# -- Layouts: the reader keeps every row where it is, for the interpreter to recognise.


def test_title_rows_and_group_name_above_the_header_in_row_4(tmp_path: Path) -> None:
    wb = new_workbook()
    layout = write_progress_sheet(wb.create_sheet("Outcome 2.1"), titles=[TITLE, GROUP],
                                  actions=[Action(None, "")])
    table = only_table(read_xlsx(save(wb, tmp_path / "title-rows.xlsx"), "title-rows.xlsx"))

    assert layout.header_rows == [4]
    assert [row.place.cell for row in table.rows] == [f"A{r}" for r in range(1, 9)]
    assert table.rows[0].texts() == [TITLE, "", "", "", ""]
    assert table.rows[1].texts() == [GROUP, "", "", "", ""]
    assert table.rows[2].is_blank
    assert table.rows[3].texts() == list(HEADERS)
    assert table.rows[4].texts()[0] == TASKS_2_1[0][0]
    assert all(row.place.file == "title-rows.xlsx" for row in table.rows)
    assert table.place.sheet == table.title == "Outcome 2.1"


def test_merged_ref_row_spans_the_table_without_repeating_its_text(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 4.3")
    write_progress_sheet(ws, actions=[Action("4.3a", "Reduce re-offending")])
    put(ws, 1, 7, "note far right")  # the table is wider than the merge: continuations stop at E
    table = only_table(read_xlsx(save(wb, tmp_path / "merged-ref.xlsx"), "merged-ref.xlsx"))

    ref = table.rows[0]
    assert [c.text for c in ref.cells] == ["Ref: 4.3a", "", "", "", "", "", "note far right"]
    assert [c.merged_left for c in ref.cells] == [False, True, True, True, True, False, False]
    assert not any(c.merged_above for c in ref.cells)
    assert sum("4.3a" in c.text for row in table.rows for c in row.cells) == 1


def test_vertical_merge_marks_the_cells_below_as_merged_above(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    write_rows(ws, [HEADERS, *TASKS_2_1[:2]])
    ws.merge_cells("D2:E3")  # one status for two tasks, merged across two columns too
    table = only_table(read_xlsx(save(wb, tmp_path / "merged-status.xlsx"), "m.xlsx"))

    assert cell_at(table, "D2").text == "AMBER"
    assert cell_at(table, "E2").merged_left and not cell_at(table, "E2").merged_above
    for coordinate in ("D3", "E3"):
        assert cell_at(table, coordinate).merged_above
        assert cell_at(table, coordinate).is_blank


def test_every_cell_is_placed_at_its_sheet_and_coordinate(tmp_path: Path) -> None:
    # Most places are made without Place's keywords (xlsx._plain_rows, for speed): each must be
    # the Place the keywords make, on plain and merged rows alike, and on a sheet read cell by
    # cell (a formula without a value takes it the other way).
    wb = new_workbook()
    write_rows(wb.create_sheet("Outcome 2.1"), [HEADERS, *TASKS_2_1[:2]])
    wb["Outcome 2.1"].merge_cells("D2:E3")
    write_rows(wb.create_sheet("Outcome 2.2"), [HEADERS, *TASKS_2_1[:2]])
    wb["Outcome 2.2"]["F3"] = "=1+1"
    document = read_xlsx(save(wb, tmp_path / "places.xlsx"), "places.xlsx")

    assert [block.title for block in document.blocks] == ["Outcome 2.1", "Outcome 2.2"]
    for table in document.blocks:
        assert isinstance(table, Table)
        assert type(table.place) is Place and table.place == Place("places.xlsx", sheet=table.title)
        for row in table.rows:
            assert row.place == row.cells[0].place
            number = (row.place.cell or "")[1:]
            for column, cell in enumerate(row.cells, start=1):
                expected = Place("places.xlsx", sheet=table.title,
                                 cell=f"{get_column_letter(column)}{number}")
                assert type(cell.place) is Place and cell.place == expected


def test_one_sheet_per_outcome_gives_one_table_each_in_order(tmp_path: Path) -> None:
    wb = new_workbook()
    outcomes = ["Outcome 2.1", "Outcome 2.2", "Outcome 2.3"]
    for number, title in enumerate(outcomes):
        write_progress_sheet(wb.create_sheet(title), titles=[GROUP, title],
                             actions=[Action(f"2.{number + 1}a", "An action")])
    wb.create_sheet("Notes")  # left empty: no block
    document = read_xlsx(save(wb, tmp_path / "sheet-per-outcome.xlsx"), "s.xlsx")

    assert [block.title for block in document.blocks] == outcomes
    assert [block.place.sheet for block in document.blocks] == outcomes
    assert document.issues == []


def test_blank_spacer_rows_are_kept_so_row_numbers_are_real(tmp_path: Path) -> None:
    wb = new_workbook()
    layout = write_progress_sheet(wb.create_sheet("Outcome 2.1"), titles=[TITLE],
                                  actions=[Action("2.1a", "One"), Action("2.1b", "Two")],
                                  spacer_rows=3)
    table = only_table(read_xlsx(save(wb, tmp_path / "spacer-rows.xlsx"), "s.xlsx"))

    by_number = {int(row.place.cell[1:]): row for row in table.rows}
    assert sorted(by_number) == list(range(1, max(layout.task_rows) + 1))
    assert all(by_number[r].is_blank for r in layout.spacer_rows)
    assert by_number[layout.header_rows[1]].texts() == list(HEADERS)


@pytest.mark.parametrize(
    ("written", "lines"),
    [
        pytest.param("Finalise action plan by October 08\n\nInvite GARAS to next meeting",
                     ["Finalise action plan by October 08", "", "Invite GARAS to next meeting"],
                     id="wrapped-paragraphs"),
        pytest.param("Mapping complete.\r\nTraining yet to be arranged",
                     ["Mapping complete.", "Training yet to be arranged"], id="windows-newline"),
        pytest.param("Mapping complete._x000D_\nTraining",
                     ["Mapping complete.", "Training"], id="escaped-carriage-return"),
        pytest.param("=not a formula", ["=not a formula"], id="text-starting-with-equals"),
    ],
)
def test_multi_line_cells_become_lines(tmp_path: Path, written: str, lines: list[str]) -> None:
    wb = new_workbook()
    put(wb.create_sheet("Outcome 2.1"), 1, 1, written)
    table = only_table(read_xlsx(save(wb, tmp_path / "wrapped.xlsx"), "w.xlsx"))

    assert table.rows[0].cells[0].lines == lines
    assert table.rows[0].cells[0].value == "\n".join(lines)


# -- Hidden things are reported, never silently read or dropped.


def test_hidden_lookup_list_sheet_is_not_read_but_reported(tmp_path: Path) -> None:
    wb = new_workbook()
    write_progress_sheet(wb.create_sheet("Outcome 2.1"), actions=[Action("2.1a", "One")])
    lists = wb.create_sheet("Lists")
    write_lookup_sheet(lists)
    lists.sheet_state = "hidden"
    document = read_xlsx(save(wb, tmp_path / "hidden-lookup-sheet.xlsx"), "h.xlsx")

    assert [block.title for block in document.blocks] == ["Outcome 2.1"]
    (issue,) = document.issues
    assert issue.code == "hidden-sheet"
    assert issue.place.sheet == "Lists"
    assert "list for drop-downs and was not read" in issue.message


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_sheet_with_a_task_table_is_read_and_reported(tmp_path: Path, state: str) -> None:
    wb = new_workbook()
    write_progress_sheet(wb.create_sheet("Outcome 2.1"), actions=[Action("2.1a", "One")])
    old = wb.create_sheet("Outcome 2.2 (old)")
    write_progress_sheet(old, actions=[Action("2.2a", "Two")])
    old.sheet_state = state
    document = read_xlsx(save(wb, tmp_path / f"{state}-task-sheet.xlsx"), "h.xlsx")

    assert [block.title for block in document.blocks] == ["Outcome 2.1", "Outcome 2.2 (old)"]
    (issue,) = document.issues
    assert (issue.code, issue.place.sheet) == ("hidden-sheet", "Outcome 2.2 (old)")
    assert "read like the other sheets" in issue.message


def test_hidden_row_with_text_is_not_read_but_listed_hidden_blank_row_is_not(
        tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    write_rows(ws, [HEADERS, TASKS_2_1[0], (), TASKS_2_1[1]])
    ws.row_dimensions[2].hidden = True
    ws.row_dimensions[3].hidden = True
    document = read_xlsx(save(wb, tmp_path / "hidden-row.xlsx"), "h.xlsx")
    table = only_table(document)

    assert [row.hidden for row in table.rows] == [False, True, True, False]
    assert table.rows[1].is_blank, "a hidden row is not current data"
    (issue,) = document.issues
    assert (issue.code, issue.place.cell, issue.place.sheet) == ("hidden-row", "A2", "Outcome 2.1")
    assert issue.message == ("Row 2 is hidden but holds text (A2, B2, C2, D2, E2); it was not "
                             "read as part of the return.")


def test_hidden_column_is_not_read_but_listed(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    write_rows(ws, [HEADERS, TASKS_2_1[0]])
    ws.column_dimensions["C"].hidden = True
    document = read_xlsx(save(wb, tmp_path / "hidden-column.xlsx"), "h.xlsx")
    table = only_table(document)

    assert cell_at(table, "C2").text == "" and cell_at(table, "C1").text == ""
    (issue,) = document.issues
    assert issue.message == ("Column C is hidden but holds text (C1, C2); it was not read as part "
                             "of the return.")


# -- Values: what a person sees as text, the typed value kept for later stages.


@pytest.mark.parametrize(
    ("value", "number_format", "text", "typed"),
    [
        pytest.param(dt.datetime(2009, 3, 31), "d mmmm yyyy", "31 March 2009",
                     dt.date(2009, 3, 31), id="date"),
        pytest.param(dt.datetime(2008, 9, 4, 14, 30), "dd/mm/yyyy hh:mm",
                     "04/09/2008 14:30", dt.datetime(2008, 9, 4, 14, 30),
                     id="datetime-with-time"),
        pytest.param(5, "General", "5", 5, id="int"),
        pytest.param(5.0, "General", "5", 5, id="whole-float"),
        pytest.param(34.7, "General", "34.7", 34.7, id="float"),
        pytest.param(0.347, "0.0%", "34.7%", 0.347, id="percent"),
        pytest.param(0.5, "0%", "50%", 0.5, id="whole-percent"),
        pytest.param(12.5, '0.0" %age"', "12.5 %age", 12.5, id="quoted-percent-is-not-a-percent"),
        pytest.param(dt.datetime(2009, 3, 1), "mmm-yy", "Mar-09", dt.date(2009, 3, 1), id="month-year"),
        pytest.param(dt.datetime(2009, 6, 30), "dd/mm/yyyy", "30/06/2009", dt.date(2009, 6, 30),
                     id="day-month-year"),
        pytest.param(1250, "#,##0", "1,250", 1250, id="thousands"),
        pytest.param(-1250.5, "#,##0.00;(#,##0.00)", "(1,250.50)", -1250.5, id="negative-in-brackets"),
        pytest.param(1250, '"£"#,##0', "£1,250", 1250, id="currency"),
        pytest.param(True, "General", "TRUE", True, id="boolean"),
    ],
)
def test_values_are_shown_as_a_person_sees_them_and_keep_their_type(
        tmp_path: Path, value: object, number_format: str, text: str, typed: object) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Summary")
    ws["B2"] = value
    ws["B2"].number_format = number_format
    cell = cell_at(only_table(read_xlsx(save(wb, tmp_path / "values.xlsx"), "v.xlsx")), "B2")

    assert cell.lines == [text]
    assert cell.value == typed
    assert type(cell.value) is type(typed)


def test_formula_with_cached_value_reads_its_value(tmp_path: Path) -> None:
    path = tmp_path / "formula-with-value.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        ws = wb.add_worksheet("Summary")
        ws.write_string("A1", "Total")
        ws.write_formula("B1", "=SUM(B2:B3)", None, 4)
        ws.write_number("B2", 1)
        ws.write_number("B3", 3)
    document = read_xlsx(path, "f.xlsx")

    assert cell_at(only_table(document), "B1").value == 4
    assert cell_at(only_table(document), "B1").text == "4"
    assert document.issues == []


def test_formula_without_cached_value_is_reported_not_read_as_empty(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Summary")
    write_rows(ws, [("Green – on track", 1), ("Amber – needs attention", 2), ("Total",)])
    ws["B3"] = "=SUM(B1:B2)"  # openpyxl saves a formula with no result
    document = read_xlsx(save(wb, tmp_path / "formula-without-value.xlsx"), "f.xlsx")

    (issue,) = document.issues
    assert (issue.code, issue.place.sheet, issue.place.cell) == (
        "formula-without-value", "Summary", "B3")
    assert "=SUM(B1:B2)" in issue.message
    assert cell_at(only_table(document), "B3").lines == []
    assert cell_at(only_table(document), "B3").value is None


def test_shared_formula_without_values_names_each_cells_own_formula(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Summary")
    write_rows(ws, [(1,), (2,), (3,)])
    ws["B1"], ws["B2"], ws["B3"] = "=A1*2", "=SLOT", "=SLOT"
    path = save(wb, tmp_path / "shared-formula.xlsx")
    # openpyxl cannot write shared formulas; Excel writes them for any filled-down column.
    rewrite_part(path, sheet_part(0), lambda xml: xml
                 .replace(b"<f>A1*2</f>", b'<f t="shared" ref="B1:B3" si="0">A1*2</f>')
                 .replace(b"<f>SLOT</f>", b'<f t="shared" si="0"/>'))
    document = read_xlsx(path, "f.xlsx")

    assert [(i.place.cell, re.findall(r"formula (\S+)", i.message)[0]) for i in document.issues] == [
        ("B1", "=A1*2"), ("B2", "=A2*2"), ("B3", "=A3*2")]


def test_xlsxwriter_formula_without_value_cannot_be_told_from_zero(tmp_path: Path) -> None:
    # xlsxwriter saves 0 as the result when given none: the file is indistinguishable from a
    # formula that really gave 0, so nothing is reported. Documented limitation.
    path = tmp_path / "xlsxwriter-formula-zero.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        wb.add_worksheet("Summary").write_formula("A1", "=1+1")
    document = read_xlsx(path, "f.xlsx")

    assert cell_at(only_table(document), "A1").text == "0"
    assert document.issues == []


# -- Fills.


def solid(colour: str | Color) -> PatternFill:
    return PatternFill("solid", fgColor=colour)


def _fill_cases() -> list[object]:
    return [
        pytest.param(solid("FFFFC000"), "FFC000", id="rgb-amber"),
        pytest.param(solid(Color(indexed=10)), COLOR_INDEX[10][-6:], id="indexed-red"),
        pytest.param(solid(Color(indexed=64)), "000000", id="indexed-system-foreground"),
        pytest.param(solid(Color(theme=5)), "C0504D", id="theme-accent2"),
        pytest.param(solid(Color(theme=0)), "FFFFFF", id="theme-background-1"),
        pytest.param(solid(Color(theme=1)), "000000", id="theme-text-1"),
        pytest.param(solid(Color(theme=4, tint=0.3999755851924192)), "95B3D7",
                     id="theme-accent1-lighter-40"),
        pytest.param(solid(Color(theme=4, tint=-0.249977111117893)), "376092",
                     id="theme-accent1-darker-25"),
        pytest.param(PatternFill("gray125", fgColor="FFFF0000"), None, id="hatch-pattern"),
        pytest.param(PatternFill(), None, id="no-fill"),
    ]


@pytest.mark.parametrize(("fill", "expected"), _fill_cases())
def test_fill_colours(tmp_path: Path, fill: PatternFill, expected: str | None) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    ws["D2"] = "AMBER"
    ws["D2"].fill = fill
    cell = cell_at(only_table(read_xlsx(save(wb, tmp_path / "fill.xlsx"), "f.xlsx")), "D2")

    assert cell.fill == expected


def test_fill_theme_colour_comes_from_the_workbooks_own_theme(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    ws["D2"] = "AMBER"
    ws["D2"].fill = PatternFill("solid", fgColor=Color(theme=9))  # accent 6
    path = save(wb, tmp_path / "custom-theme.xlsx")
    rewrite_part(path, "xl/theme/theme1.xml",
                 lambda xml: xml.replace(b'<a:srgbClr val="F79646"/>', b'<a:srgbClr val="FFC000"/>'))

    assert cell_at(only_table(read_xlsx(path, "f.xlsx")), "D2").fill == "FFC000"


def test_filled_empty_status_cell_is_inside_the_table(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    write_rows(ws, [("Tasks", "Target", "Position"), ("a) Map activity", "June 08", "Done")])
    ws["D2"].fill = PatternFill("solid", fgColor="FF00B050")  # status shown only by colour
    cell = cell_at(only_table(read_xlsx(save(wb, tmp_path / "colour-only.xlsx"), "f.xlsx")), "D2")

    assert (cell.text, cell.fill) == ("", "00B050")


def test_conditional_format_colours_the_cells_its_rule_applies_to(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    ws["D2"], ws["D3"], ws["E2"] = "RED", "GREEN", "RED"
    ws.conditional_formatting.add("D2:D10", CellIsRule(
        operator="equal", formula=['"RED"'], fill=PatternFill("solid", bgColor="FFFF0000")))
    table = only_table(read_xlsx(save(wb, tmp_path / "conditional.xlsx"), "f.xlsx"))

    assert cell_at(table, "D2").fill == "FF0000"
    assert cell_at(table, "D3").fill is None, "the rule does not apply to GREEN"
    assert cell_at(table, "E2").fill is None, "nor outside its range"


# -- The package: macros, properties, damage.


def test_xlsm_with_macros_is_read_and_reported(tmp_path: Path) -> None:
    wb = new_workbook()
    write_progress_sheet(wb.create_sheet("Outcome 2.1"), actions=[Action("2.1a", "One")])
    path = add_part(save(wb, tmp_path / "macros.xlsm"), "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0")
    opened = open_return(entry_for(path), tmp_path / "work")

    # Intake notices the macros (once, from the package it checked); the reader reads the cells.
    assert [i.code for i in opened.issues] == ["macros-not-run"]
    assert opened.issues[0].place.file == "macros.xlsm"
    assert opened.document is not None and codes(opened.document) == []
    assert only_table(opened.document).rows[2].texts() == list(HEADERS)


def test_properties_come_from_the_core_properties(tmp_path: Path) -> None:
    wb = new_workbook()
    put(wb.create_sheet("Outcome 2.1"), 1, 1, TITLE)
    wb.properties.title = "SCG return Q2"
    wb.properties.creator = "Di Robinson"
    wb.properties.lastModifiedBy = "ACA"
    path = save(wb, tmp_path / "properties.xlsx")
    # openpyxl stamps "now" as the modification time on save: put back the return's own.
    rewrite_part(path, "docProps/core.xml", lambda xml: re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2008-09-04T10:15:00Z", xml))
    document = read_xlsx(path, "p.xlsx")

    assert document.properties == {"title": "SCG return Q2", "author": "Di Robinson",
                                   "last_modified_by": "ACA", "modified": "2008-09-04T10:15:00"}


def test_properties_openpyxl_would_invent_are_left_out(tmp_path: Path) -> None:
    wb = new_workbook()
    put(wb.create_sheet("Outcome 2.1"), 1, 1, TITLE)
    path = remove_part(save(wb, tmp_path / "no-core-properties.xlsx"), "docProps/core.xml")

    assert read_xlsx(path, "p.xlsx").properties == {}


def test_empty_sheet_gives_no_block(tmp_path: Path) -> None:
    wb = new_workbook()
    wb.create_sheet("Sheet1")
    wb.create_sheet("Sheet2")["C3"].fill = PatternFill("solid", fgColor="FFFFFF00")
    document = read_xlsx(save(wb, tmp_path / "empty.xlsx"), "e.xlsx")

    assert (document.blocks, document.issues, document.kind) == ([], [], "xlsx")


def _progress_return(path: Path) -> Path:
    wb = new_workbook()
    write_progress_sheet(wb.create_sheet("Outcome 2.1"), titles=[TITLE],
                         actions=[Action("2.1a", "One")])
    return save(wb, path)


def _shared_strings_return(path: Path) -> Path:
    # openpyxl writes inline strings; xlsxwriter writes the sharedStrings part Excel writes.
    with xlsxwriter.Workbook(path) as wb:
        wb.add_worksheet("Outcome 2.1").write_string("A1", TITLE)
    return path


def _with_doctype(xml: bytes) -> bytes:
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    return b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + body


def _overwrite(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


DAMAGE: list[object] = [
    pytest.param(lambda p: _overwrite(p, b"This is not a workbook"),
                 "unreadable-file", "the zip archive cannot be read", id="not-a-zip"),
    pytest.param(lambda p: _overwrite(p, _progress_return(p).read_bytes()[:900]),
                 "unreadable-file", "the zip archive cannot be read", id="truncated-zip"),
    pytest.param(lambda p: remove_part(_progress_return(p), "xl/workbook.xml"),
                 "unreadable-file", "missing", id="missing-workbook-part"),
    pytest.param(lambda p: rewrite_part(_progress_return(p), sheet_part(0), lambda x: x[:300]),
                 "unreadable-file", "damaged", id="damaged-sheet-xml"),
    pytest.param(lambda p: rewrite_part(_progress_return(p), "xl/styles.xml", lambda x: x[:100]),
                 "unreadable-file", "damaged", id="damaged-styles"),
    pytest.param(lambda p: rewrite_part(_shared_strings_return(p), "xl/sharedStrings.xml",
                                        lambda x: x[:120]),
                 "unreadable-file", "damaged", id="damaged-shared-strings"),
    pytest.param(lambda p: rewrite_part(_shared_strings_return(p), "xl/sharedStrings.xml",
                                        _with_doctype),
                 "unsafe-content", "DOCTYPE", id="doctype-in-shared-strings"),
    pytest.param(lambda p: rewrite_part(_progress_return(p), sheet_part(0),
                                        _with_doctype),
                 "unsafe-content", "DOCTYPE", id="doctype-in-sheet"),
    pytest.param(lambda p: rewrite_part(_progress_return(p), "xl/workbook.xml",
                                        _with_doctype),
                 "unsafe-content", "DOCTYPE", id="doctype-in-workbook"),
]


@pytest.mark.parametrize(("damage", "code", "words"), DAMAGE)
def test_damaged_file_is_rejected_with_a_reason(
        tmp_path: Path, damage: Callable[[Path], Path], code: str, words: str) -> None:
    path = damage(tmp_path / "damaged.xlsx")
    with pytest.raises(FileRejected) as caught:
        read_xlsx(path, "damaged.xlsx")

    assert caught.value.code == code
    assert words in caught.value.fields["reason"]


# -- Limits.


def test_lying_dimension_does_not_make_the_reader_walk_a_million_rows(tmp_path: Path) -> None:
    path = _progress_return(tmp_path / "lying-dimension.xlsx")
    rewrite_part(path, sheet_part(0), lambda xml: re.sub(
        rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml))
    assert b"XFD1048576" in zipfile.ZipFile(path).read(sheet_part(0))
    started = time.perf_counter()
    table = only_table(read_xlsx(path, "l.xlsx"))

    assert time.perf_counter() - started < 2
    assert (len(table.rows), len(table.rows[0].cells)) == (9, 5)


@pytest.mark.parametrize(
    ("limit", "value", "size", "shape", "what"),
    [
        pytest.param("MAX_ROWS", 5, (8, 2), (5, 2), "with 8 rows", id="rows"),
        pytest.param("MAX_COLUMNS", 3, (2, 6), (2, 3), "with 6 columns", id="columns"),
    ],
)
def test_sheet_beyond_the_limits_is_cut_and_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str, value: int,
        size: tuple[int, int], shape: tuple[int, int], what: str) -> None:
    monkeypatch.setattr(xlsx_reader, limit, value)
    wb = new_workbook()
    write_rows(wb.create_sheet("Big"), [[f"{r},{c}" for c in range(size[1])]
                                        for r in range(size[0])])
    document = read_xlsx(save(wb, tmp_path / "too-big.xlsx"), "b.xlsx")
    table = only_table(document)

    assert (len(table.rows), len(table.rows[0].cells)) == shape
    (issue,) = document.issues
    assert issue.code == "limit-exceeded" and what in issue.message


def test_cell_text_beyond_the_limit_is_cut_and_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_reader, "MAX_CELL_CHARS", 10)
    wb = new_workbook()
    put(wb.create_sheet("Outcome 2.1"), 1, 2, "Mapping\ncomplete. Training yet to be arranged")
    document = read_xlsx(save(wb, tmp_path / "long-cell.xlsx"), "l.xlsx")

    assert cell_at(only_table(document), "B1").lines == ["Mapping", "co"]
    (issue,) = document.issues
    assert (issue.code, issue.place.cell) == ("limit-exceeded", "B1")



@pytest.mark.parametrize(("text", "lines"), [
    ("abcdefghij", ["abcdefghij"]),               # at the limit: kept whole
    ("abcd\nefghi", ["abcd", "efghi"]),           # at the limit with its line break
    ("abcdefghijk", ["abcdefghij"]),              # one over: cut
    ("abcd\nefghij", ["abcd", "efghi"]),          # one over, across lines: cut
])
@pytest.mark.parametrize("way", ["plain rows", "cell by cell"])
def test_cell_text_is_cut_at_the_limit_alike_on_both_ways_through_a_row(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, lines: list[str],
        way: str) -> None:
    # The plain rows' loop looks at a text's length, the cell-by-cell one at its lines: the two
    # must cut (and report) exactly the same texts.
    monkeypatch.setattr(xlsx_reader, "MAX_CELL_CHARS", 10)
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    put(ws, 1, 2, text)
    if way == "cell by cell":
        ws.column_dimensions["F"].hidden = True  # a hidden column: each cell read by _cell
    document = read_xlsx(save(wb, tmp_path / "limit.xlsx"), "l.xlsx")

    assert cell_at(only_table(document), "B1").lines == lines
    assert [i.code for i in document.issues] == (["limit-exceeded"] if len(text) > 10 else [])

def test_huge_merged_range_is_refused_before_openpyxl_expands_it(tmp_path: Path) -> None:
    path = _progress_return(tmp_path / "huge-merge.xlsx")
    rewrite_part(path, sheet_part(0), lambda xml: re.sub(
        rb'<mergeCell ref="[^"]*"/>', b'<mergeCell ref="A3:XFD1048576"/>', xml, count=1))
    with pytest.raises(FileRejected) as caught:
        read_xlsx(path, "h.xlsx")

    assert caught.value.code == "file-too-large"


# -- Property: every text comes out once, at its own cell, whatever the merges.

_TEXT = st.text(alphabet=string.ascii_letters + string.digits + " .,;:–£%&()\n'\"",
                min_size=1, max_size=30).filter(lambda t: t.strip() != "")
_AREA = st.tuples(st.integers(1, 8), st.integers(1, 6), st.integers(0, 3), st.integers(0, 3))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.dictionaries(st.tuples(st.integers(1, 10), st.integers(1, 8)), _TEXT,
                             min_size=1, max_size=20),
       areas=st.lists(_AREA, max_size=5))
def test_each_text_comes_out_once_at_its_cell(
        tmp_path_factory: pytest.TempPathFactory, texts: dict[tuple[int, int], str],
        areas: list[tuple[int, int, int, int]]) -> None:
    merges: list[tuple[int, int, int, int]] = []
    taken: set[tuple[int, int]] = set()
    for row, column, down, across in areas:
        cells = {(r, c) for r in range(row, row + down + 1)
                 for c in range(column, column + across + 1)}
        if len(cells) > 1 and not cells & taken:
            merges.append((row, column, row + down, column + across))
            taken |= cells
    # Excel keeps only a merged range's top-left value: place no text under a continuation.
    anchors = {(m[0], m[1]) for m in merges}
    texts = {pos: t for pos, t in texts.items() if pos not in taken or pos in anchors}
    if not texts:
        return
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    for (r, c), text in texts.items():
        put(ws, r, c, text)
    for top, left, bottom, right in merges:
        ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
    path = save(wb, tmp_path_factory.mktemp("merges") / "random.xlsx")
    table = only_table(read_xlsx(path, "r.xlsx"))

    cells = {cell.place.cell: cell for row in table.rows for cell in row.cells}
    found = {coordinate: "\n".join(cell.lines) for coordinate, cell in cells.items() if cell.lines}
    assert found == {f"{get_column_letter(c)}{r}": t for (r, c), t in texts.items()}
    for top, left, bottom, right in merges:
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                cell = cells.get(f"{get_column_letter(c)}{r}")
                if cell is None or (r, c) == (top, left):
                    continue  # outside the used range: an empty merge does not widen it
                assert cell.is_blank
                assert (cell.merged_left, cell.merged_above) == (r == top, r != top)


def test_plain_rows_are_read_as_cell_by_cell() -> None:
    # xlsx._SheetReader._plain_rows makes most rows' cells with Cell's arguments by position,
    # for speed: each cell must equal the one _cell makes, field for field.
    from pipeline.readers.xlsx import _SheetReader
    from pipeline.readers.xlsx_fast import SheetData

    cells: dict[tuple[int, int], tuple[object, str, str | None]] = {
        (1, 1): ("Task", "General", None), (1, 2): ("two\nlines", "General", "FFC000"),
        (1, 3): (0.5, "0%", None), (1, 4): (dt.datetime(2009, 3, 31), "mmm-yy", "00FF00"),
        (1, 5): ("", "General", "FF0000"), (1, 7): (True, "General", None),
        (2, 1): ("merged", "General", "0000FF"), (2, 2): (None, "General", "0000FF"),
        (3, 1): (None, "General", "0000FF"), (3, 2): (None, "General", None),
        (3, 3): ("x" * 40_000, "General", None),
    }
    sheet = SheetData("Tasks", "visible", cells, [(2, 1, 3, 2)])
    reader = _SheetReader(sheet, "return.xlsx", {})
    first_row, last_row, last_column = reader._bounds() or (0, 0, 0)
    marks = reader._merge_marks(first_row, last_row, last_column)
    rows = reader._plain_rows(list(range(first_row, last_row + 1)), last_column, marks)
    assert [row.place for row in rows] == [reader.place(f"A{r}")
                                           for r in range(first_row, last_row + 1)]
    for r, row in zip(range(first_row, last_row + 1), rows, strict=True):
        row_place = reader.place(f"A{r}")
        plain = row.cells
        row_marks = marks.get(r) or {}
        by_cell = [reader._cell(r, c, row_marks.get(c), row_place)
                   for c in range(1, last_column + 1)]
        assert plain == by_cell
        for made, expected in zip(plain, by_cell, strict=True):
            assert (made.value, made.merged_left, made.merged_above, made.fill) == (
                expected.value, expected.merged_left, expected.merged_above, expected.fill)


def test_plain_rows_are_read_as_row_by_row_hidden_rows_and_cut_texts_too() -> None:
    # xlsx._SheetReader._plain_rows makes a plain sheet's rows in one call: each row, and the
    # issues in their order (a hidden row listed before the cut texts in it), as _row makes them.
    from pipeline.readers.xlsx import _SheetReader
    from pipeline.readers.xlsx_fast import SheetData

    long = "x" * 40_000
    cells: dict[tuple[int, int], tuple[object, str, str | None]] = {
        (1, 1): ("Task", "General", None), (1, 3): (long, "General", None),
        (2, 1): ("hidden", "General", "FFC000"), (2, 2): (long, "General", None),
        (2, 3): (None, "General", None), (3, 2): ("", "General", "FF0000"),
        (4, 1): (None, "General", None), (4, 3): (long, "General", None),
    }
    sheet = SheetData("Tasks", "visible", cells, [(2, 2, 2, 3)], {2, 4})

    def read(plain: bool) -> tuple[list[object], list[Issue]]:
        reader = _SheetReader(sheet, "return.xlsx", {})
        first_row, last_row, last_column = reader._bounds() or (0, 0, 0)
        marks = reader._merge_marks(first_row, last_row, last_column)
        numbers = list(range(first_row, last_row + 1))
        rows = (reader._plain_rows(numbers, last_column, marks) if plain
                else [reader._row(r, last_column, marks) for r in numbers])
        return ([(row.place, row.hidden, row.cells, [(cell.fill, cell.value) for cell in row.cells])
                 for row in rows], reader.issues)

    plain_rows, plain_issues = read(True)
    assert (plain_rows, plain_issues) == read(False)
    assert [issue.code for issue in plain_issues] == [
        "limit-exceeded", "hidden-row", "limit-exceeded", "hidden-row", "limit-exceeded"]


def test_root_relationships_read_once_per_part_still_name_each_workbook_and_refuse_damage(
        tmp_path: Path) -> None:
    # The package scan reads a _rels/.rels part once per distinct part (lru_cache by its bytes):
    # an absolute target is still resolved, two returns sharing the part read alike, and a
    # damaged part rejects the file every time it comes, never remembered as read.
    wb = new_workbook()
    wb.create_sheet("Tasks")["A1"] = "Task"
    absolute = rewrite_part(save(wb, tmp_path / "absolute.xlsx"), "_rels/.rels",
                            lambda xml: xml.replace(b'Target="xl/workbook.xml"',
                                                    b'Target="/xl/workbook.xml"'))
    twin = tmp_path / "twin.xlsx"
    twin.write_bytes(absolute.read_bytes())
    for path in (absolute, twin):
        assert cell_at(only_table(read_xlsx(path, path.name)), "A1").text == "Task"
    damaged = rewrite_part(save(wb, tmp_path / "damaged.xlsx"), "_rels/.rels",
                           lambda xml: xml[:-20])
    for _ in range(2):
        with pytest.raises(FileRejected) as caught:
            read_xlsx(damaged, "damaged.xlsx")
        assert caught.value.code == "unreadable-file"
        assert "_rels/.rels" in caught.value.fields["reason"]


def test_a_checked_package_and_a_zip_file_name_the_same_parts(tmp_path: Path) -> None:
    """`part_names` takes a checked package's own set of names: the same as the zip file's."""
    from pipeline.intake.package import open_package
    from pipeline.readers.package_rels import rels_part
    from pipeline.readers.xlsx_package import part_names

    wb = new_workbook()
    write_progress_sheet(wb.create_sheet("Outcome 2.1"), actions=[Action(None, "")])
    path = save(wb, tmp_path / "names.xlsx")
    with open_package(path) as package, zipfile.ZipFile(path) as plain:
        assert part_names(package) == part_names(plain) == frozenset(plain.namelist())
    assert rels_part("xl/worksheets/sheet1.xml") == "xl/worksheets/_rels/sheet1.xml.rels"
    assert rels_part("xl/workbook.xml") == "xl/_rels/workbook.xml.rels"


def test_rows_named_once_are_named_alike_wider_and_forgotten_past_their_bound(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # xlsx._plain_rows takes each cell's reference and key from _ROWS_NAMED, made once a row
    # number and widened for a wider sheet; past _NAMES_KEPT references all are forgotten.
    from pipeline.readers import xlsx
    from pipeline.readers.xlsx import _SheetReader
    from pipeline.readers.xlsx_fast import SheetData

    monkeypatch.setattr(xlsx, "_NAMES_KEPT", 40)
    xlsx._ROWS_NAMED.clear()
    for width, rows in ((2, 5), (28, 3), (3, 9), (28, 3)):
        cells: dict[tuple[int, int], tuple[object, str, str | None]] = {
            (r, c): (f"{r}:{c}", "General", None) for r in range(1, rows + 1)
            for c in range(1, width + 1)}
        reader = _SheetReader(SheetData("Sheet", "visible", cells), "return.xlsx", {})
        read = reader._plain_rows(list(range(1, rows + 1)), width, {})
        assert [[(cell.place, cell.value) for cell in row.cells] for row in read] == [
            [(reader.place(f"{xlsx._column_letter(c)}{r}"), f"{r}:{c}")
             for c in range(1, width + 1)] for r in range(1, rows + 1)]
        assert all(row.cells[0].place is row.place for row in read)
        assert sum(len(names) for names, _ in xlsx._ROWS_NAMED.values()) <= 40
        assert all(keys == [(r, c) for c in range(len(keys))]
                   and names[1:] == [f"{xlsx._column_letter(c)}{r}" for c in range(1, len(names))]
                   for r, (names, keys) in xlsx._ROWS_NAMED.items())
