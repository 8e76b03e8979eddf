"""A streamed workbook's rows written as XML by `RowsSheet`, held to what xlsxwriter writes.

The same consolidation is written twice in constant-memory mode, once with xlsxwriter writing
every cell and once with `RowsSheet` writing them, and the two are read back with openpyxl and
compared sheet by sheet: every cell's value, type and look, every row's height, the merged
ranges, the used range, and what xlsxwriter writes around the rows.
"""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from consolidation_factory import make_consolidation, many_tasks
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import Cell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.worksheet.worksheet import Worksheet
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet as XlsxWorksheet

from pipeline.consolidate.result import Consolidation
from pipeline.report.master import write_master
from pipeline.report.xlsx_rows import RowsSheet, RowsWorkbook, inline_text

#: Text that takes each of the escaping paths of an inline string.
AWKWARD = [
    " leading space", "trailing space ", "two\nlines", "tab\there", "bell\x07rings", "_x0041_ is A",
    "Fish & chips <b>", "<r>Fish & chips</r>", "=SUM(A1)", "non\ufffecharacter", "\u00a0nbsp",
    "astral \U0001f600 smile", "é" * 40, "x" * 40_000,
]


def _look(cell: Cell) -> tuple[Any, ...]:
    font, fill, border, align = cell.font, cell.fill, cell.border, cell.alignment
    return (
        cell.value, cell.data_type, cell.number_format,
        (font.name, font.sz, font.b, font.i, font.u, font.strike, font.color and font.color.rgb),
        (fill.fill_type, fill.fgColor.rgb, fill.fgColor.theme, fill.fgColor.tint),
        tuple((side.style, side.color and side.color.rgb)
              for side in (border.left, border.right, border.top, border.bottom)),
        (align.horizontal, align.vertical, align.wrap_text, align.indent),
        cell.protection.locked, cell.quotePrefix,
    )


def _sheet(ws: Worksheet) -> dict[str, Any]:
    return {
        "dimensions": ws.dimensions,
        "cells": {cell.coordinate: _look(cell) for row in ws.iter_rows() for cell in row
                  if cell.has_style or cell.value is not None},
        "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height is not None},
        "widths": {c: d.width for c, d in ws.column_dimensions.items()},
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "frozen": ws.freeze_panes,
        "filter": ws.auto_filter.ref,
        "conditional": sorted(str(r.sqref) for r in ws.conditional_formatting),
        "print": (ws.print_title_rows, ws.page_setup.orientation, ws.page_setup.fitToWidth,
                  ws.oddHeader.center.text, ws.oddFooter.center.text),
        "charts": len(ws._charts),
    }


def _both(result: Consolidation, tmp_path: Path) -> tuple[Path, Path]:
    by_xlsxwriter, by_rows = tmp_path / "xlsxwriter.xlsx", tmp_path / "rows.xlsx"
    write_master(result, by_xlsxwriter, constant_memory_over=0, rows_by_xlsxwriter=True)
    write_master(dataclasses.replace(result), by_rows, constant_memory_over=0)
    return by_xlsxwriter, by_rows


def _awkward_consolidation() -> Consolidation:
    result = make_consolidation(many_tasks(40))
    for index, text in enumerate(AWKWARD):
        task = result.tasks[index]
        result.tasks[index] = dataclasses.replace(task, task=text, position=text[::-1],
                                                  planned=f"{text} {index}", notes=text)
    return result


@pytest.mark.parametrize("make", [make_consolidation, _awkward_consolidation],
                         ids=["seed", "awkward-text"])
def test_rows_read_back_as_xlsxwriter_writes_them(tmp_path: Path, make: Any) -> None:
    by_xlsxwriter, by_rows = _both(make(), tmp_path)
    expected, got = openpyxl.load_workbook(by_xlsxwriter), openpyxl.load_workbook(by_rows)
    assert got.sheetnames == expected.sheetnames
    for name in expected.sheetnames:
        want, have = _sheet(expected[name]), _sheet(got[name])
        for key in want:
            assert have[key] == want[key], f"sheet {name}: {key} differs"


def test_the_rest_of_the_package_is_xlsxwriters(tmp_path: Path) -> None:
    by_xlsxwriter, by_rows = _both(make_consolidation(), tmp_path)
    with zipfile.ZipFile(by_xlsxwriter) as want, zipfile.ZipFile(by_rows) as have:
        assert have.namelist() == want.namelist()
        assert have.testzip() is None
        # Not the same bytes: the sheets (their rows), the creation time, and the styles, which
        # hold every format made, in the order made, where xlsxwriter keeps only those it wrote
        # (the cells' looks are compared above).
        for name in want.namelist():
            if not name.startswith(("xl/worksheets/sheet", "docProps/core.xml", "xl/styles.xml")):
                assert have.read(name) == want.read(name), name


def _rows_sheet(tmp_path: Path) -> tuple[RowsWorkbook, Any]:
    book = RowsWorkbook(tmp_path / "out.xlsx", tmp_path, {})
    return book, book.add_worksheet("Sheet")


def test_a_cell_written_again_in_its_row_replaces_the_first(tmp_path: Path) -> None:
    book, sheet = _rows_sheet(tmp_path)
    bold = book.add_format({"bold": True})
    assert sheet.write_string(0, 2, "c", bold) == 0
    assert sheet.write_string(0, 0, "first", bold) == 0
    assert sheet.write_number(0, 0, 7, bold) == 0
    book.close()
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["Sheet"]
    assert (ws["A1"].value, ws["C1"].value, ws["A1"].font.b) == (7, "c", True)
    assert ws.dimensions == "A1:C1"


def test_rows_go_in_order_and_cells_stay_in_the_sheet(tmp_path: Path) -> None:
    book, sheet = _rows_sheet(tmp_path)
    assert sheet.write_string(3, 0, "row four") == 0
    assert sheet.write_string(2, 0, "too late") == -1
    assert sheet.write_string(3, 16_384, "past the last column") == -1
    assert sheet.write_string(1_048_576, 0, "past the last row") == -1
    assert sheet.set_row(1, 30) == 0  # already passed: left as it is, as xlsxwriter does
    book.close()
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["Sheet"]
    assert [c.value for row in ws.iter_rows() for c in row if c.value] == ["row four"]
    assert ws.row_dimensions[2].height is None


def test_heights_of_rows_without_cells_are_kept(tmp_path: Path) -> None:
    book, sheet = _rows_sheet(tmp_path)
    sheet.set_row(2, 40)
    sheet.set_row(5, 25.5)
    sheet.write_string(4, 0, "five")
    book.close()
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["Sheet"]
    assert {r: d.height for r, d in ws.row_dimensions.items() if d.height} == {3: 39.75, 6: 25.5}
    assert ws["A5"].value == "five"


def test_a_cell_without_a_format_takes_its_columns(tmp_path: Path) -> None:
    book, sheet = _rows_sheet(tmp_path)
    italic = book.add_format({"italic": True})
    sheet.set_column(1, 1, 20, italic)
    sheet.write_string(0, 0, "plain")
    sheet.write_string(0, 1, "italic")
    sheet.write_blank(0, 2, None)  # no format: not written at all
    book.close()
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["Sheet"]
    assert (ws["A1"].font.i, ws["B1"].font.i) == (False, True)
    assert ws.dimensions == "A1:B1"


def test_text_over_a_cells_limit_is_cut_and_said(tmp_path: Path) -> None:
    book, sheet = _rows_sheet(tmp_path)
    assert sheet.write_string(0, 0, "\U0001f600" * 20_000) == -2  # two UTF-16 units each
    book.close()
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["Sheet"]
    assert ws["A1"].value == "\U0001f600" * 16_383


@pytest.mark.parametrize("height", [None, 40_000], ids=["default-size", "tall"])
def test_a_chart_is_placed_by_the_heights_of_the_rows_it_covers(tmp_path: Path,
                                                                height: int | None) -> None:
    # The tall chart (its size set after it is inserted) reaches past the tall row far below;
    # the default one ends long before it.
    def write(book: Workbook) -> None:
        sheet = book.add_worksheet("Sheet")
        chart = book.add_chart({"type": "column"})
        chart.add_series({"values": "=Sheet!$A$1:$A$3"})
        tall = book.add_format({"bold": True})
        for row in range(40):
            sheet.write_number(row, 0, row, tall)
            if row % 3 == 0:
                sheet.set_row(row, 30)
        sheet.merge_range(41, 0, 41, 3, "merged", tall)
        sheet.write_string(42, 0, "after the merge", tall)
        sheet.set_row(42, 50)
        sheet.write_string(1_500, 0, "far below", tall)
        sheet.set_row(1_500, 90)
        sheet.insert_chart(2, 2, chart, {"y_offset": 7})
        if height is not None:
            chart.set_size({"height": height})
        book.close()

    write(Workbook(str(tmp_path / "plain.xlsx"), {"constant_memory": True}))
    write(RowsWorkbook(tmp_path / "rows.xlsx", tmp_path, {}))
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as want, zipfile.ZipFile(tmp_path / "rows.xlsx") as have:
        assert have.read("xl/drawings/drawing1.xml") == want.read("xl/drawings/drawing1.xml")
    want_ws = openpyxl.load_workbook(tmp_path / "plain.xlsx")["Sheet"]
    have_ws = openpyxl.load_workbook(tmp_path / "rows.xlsx")["Sheet"]
    assert _sheet(have_ws)["heights"] == _sheet(want_ws)["heights"]
    assert _sheet(have_ws)["merged"] == _sheet(want_ws)["merged"] == ["A42:D42"]


def test_an_empty_sheet_has_no_rows(tmp_path: Path) -> None:
    book, _sheet = _rows_sheet(tmp_path)
    book.close()
    with zipfile.ZipFile(tmp_path / "out.xlsx") as package:
        xml = package.read("xl/worksheets/sheet1.xml")
    assert b"<sheetData/>" in xml and b'<dimension ref="A1"/>' in xml


def test_formats_are_numbered_as_xlsxwriter_numbers_them(tmp_path: Path) -> None:
    # Each format is given its index when made; xlsxwriter writes the styles part in that order.
    book = RowsWorkbook(tmp_path / "out.xlsx", tmp_path, {})
    formats = [book.add_format({"bold": True}), book.add_format({"italic": True}),
               book.add_format({"bold": True})]
    sheet = book.add_worksheet("Sheet")
    for col, cell_format in enumerate(formats):
        sheet.write_string(0, col, "x", cell_format)
    book.close()
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["Sheet"]
    assert [(ws.cell(1, c).font.b, ws.cell(1, c).font.i) for c in (1, 2, 3)] == [
        (True, False), (False, True), (True, False)]
    assert isinstance(book, Workbook)


def _xlsxwriter_inline(text: str, folder: Path) -> str:
    """The <is> element xlsxwriter writes for text in a constant-memory workbook."""
    path = folder / "one.xlsx"
    book = Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                "strings_to_urls": False, "strings_to_numbers": False})
    book.add_worksheet().write_string(0, 0, text)
    book.close()
    with zipfile.ZipFile(path) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    return xml[xml.index("<is>"):xml.index("</is>") + len("</is>")]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(
    ["a", "Z", " ", "\t", "\n", "\r", "\x00", "\x07", "\x1c", "\x1f", "\x7f", "\u00a0", "\u2028",
     "_", "x", "0", "4", "1", "F", "&", "<", ">", '"', "\ufffe", "\uffff", "é", "\U0001f600"]),
    min_size=1, max_size=24))
def test_text_is_escaped_as_xlsxwriter_escapes_it(tmp_path: Path, text: str) -> None:
    if text.startswith("<r>") and text.endswith("</r>"):
        return  # xlsxwriter writes such text as its own XML (write_text guards against it)
    assert inline_text(text) == _xlsxwriter_inline(text, tmp_path)


def test_rows_sheet_changes_only_what_it_means_to_of_xlsxwriters_worksheet(tmp_path: Path) -> None:
    # Its methods override xlsxwriter's public ones only (a private name of ours that was also
    # xlsxwriter's would be called by xlsxwriter's own code), and starting its rows sets no
    # attribute xlsxwriter's worksheet has.
    overridden = {name for name in vars(RowsSheet) if hasattr(XlsxWorksheet, name)}
    assert {name for name in overridden if name.startswith("_")} <= {"__doc__", "__module__"}
    sheet = RowsSheet()
    before = dict(vars(sheet))
    sheet.start_rows(tmp_path / "rows.xml")
    assert [name for name, value in before.items() if vars(sheet)[name] is not value] == []
    sheet.close_rows()


def test_a_height_given_to_a_row_already_written_changes_nothing(tmp_path: Path) -> None:
    # Not in the rows (as in xlsxwriter's constant-memory mode), nor in what places a chart.
    book, sheet = _rows_sheet(tmp_path)
    sheet.write_string(4, 0, "five")
    sheet.write_string(5, 0, "six")
    assert sheet.set_row(4, 60) == 0
    assert list(sheet._points) == []
    sheet.set_row(7, 30)
    assert list(sheet._points) == [0.0] * 7 + [30.0]
    book.close()
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["Sheet"]
    assert {r: d.height for r, d in ws.row_dimensions.items() if d.height} == {8: 30.0}


_ROW_TEXT = st.lists(st.sampled_from(
    ["a", "Z", " ", "\n", "\r", "\t", "\x07", "\x7f", "_x0041_", "&", "<", ">", "=", "+", "-", "@",
     "<r>", "</r>", "é", "–", "\ufffe", "\U0001f600", "word ", "longer words here "]),
    max_size=12).map("".join)
_ROW_VALUE = st.one_of(_ROW_TEXT, st.none(), st.just(""), st.integers(-10**6, 10**6),
                       st.floats(allow_nan=True, allow_infinity=True), st.booleans())


def _written_rows(book: Workbook, rows: list[list[Any]], styles_wanted: list[str]) -> None:
    from pipeline.report.xlsx_sheet import chars_per_line, write_cells
    from pipeline.report.xlsx_styles import Styles

    styles = Styles(book)
    sheet = book.add_worksheet("Sheet")
    formats = [styles.get(name) for name in styles_wanted]
    per_line = chars_per_line([None if col % 3 == 2 else 4 + 3 * col for col in range(len(formats))])
    for row, values in enumerate(rows):
        write_cells(sheet, styles, row, values, formats, per_line)
    book.close()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(_ROW_VALUE, min_size=5, max_size=5), min_size=1, max_size=6))
@example(rows=[["", "", "", "", "<r>_x0041_</r>"]])  # found 2026-12-02: escaped twice by xlsxwriter
def test_a_rows_sheet_writes_a_row_as_write_value_writes_each_cell(tmp_path: Path,
                                                                    rows: list[list[Any]]) -> None:
    # write_row_cells (a RowsSheet's row: plain text written straight into the row) against
    # write_value for each cell through xlsxwriter's own worksheet: the same cells, formats (a
    # formula-like text quoted) and row heights. The rows come again, as they are and reversed:
    # a short text written before is written from its remembered XML, in the same column or in
    # another of the same format and another width ("text", first and last).
    rows = [*rows, *[row[::-1] for row in rows], *rows]
    wanted = ["text", "plain", "number", "warning", "text"]
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    _written_rows(Workbook(str(tmp_path / "want.xlsx"), {**options, "constant_memory": True}),
                  rows, wanted)
    _written_rows(RowsWorkbook(tmp_path / "have.xlsx", tmp_path, options), rows, wanted)
    want = _sheet(openpyxl.load_workbook(tmp_path / "want.xlsx", rich_text=True)["Sheet"])
    have = _sheet(openpyxl.load_workbook(tmp_path / "have.xlsx", rich_text=True)["Sheet"])
    for key in ("heights", "dimensions"):
        assert have[key] == want[key], key
    # Each cell's text as Excel shows it (openpyxl, reading rich text, gives a plain string's
    # with its "_x005F_" escapes undone, and a rich text's runs as they are): xlsxwriter writes
    # "<r>...</r>" text as runs (`write_text`), a rows sheet as one string.
    assert _shown(have["cells"]) == _shown(want["cells"])


def _shown(cells: dict[str, tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
    return {ref: (str(look[0]) if isinstance(look[0], CellRichText) else look[0], *look[1:])
            for ref, look in cells.items()}


def test_a_copied_row_reads_back_as_the_row_written_again(tmp_path: Path) -> None:
    # The Exceptions sheet's rows are copies of Tasks rows: cells (with gaps where a blank is
    # only grid), formats (a quoted formula-like text), and the height of wrapped text.
    from pipeline.report.xlsx_sheet import chars_per_line, write_cells
    from pipeline.report.xlsx_styles import Styles

    rows = [["first", None, "=not a formula", 12.5, "two\nlines\nthree"],
            ["", "Fish & chips <b>", " padded ", 7, "x" * 80]]

    def write(path: Path, copy: bool) -> None:
        book = RowsWorkbook(path, path.parent, {"strings_to_formulas": False})
        styles = Styles(book)
        source, target = book.add_worksheet("Source"), book.add_worksheet("Target")
        formats = [styles.get(name) for name in ("text", "text", "text", "number", "text")]
        per_line = chars_per_line([10, 10, None, None, 20])
        for row, values in enumerate(rows):
            write_cells(source, styles, row * 2, values, formats, per_line)
            if copy:
                assert target.write_row_copy(row + 3, source)
            else:
                write_cells(target, styles, row + 3, values, formats, per_line)
        assert not target.write_row_copy(4, source)  # already passed: nothing written
        book.close()

    (tmp_path / "copied").mkdir()
    (tmp_path / "again").mkdir()
    write(tmp_path / "copied" / "out.xlsx", copy=True)
    write(tmp_path / "again" / "out.xlsx", copy=False)
    have = _sheet(openpyxl.load_workbook(tmp_path / "copied" / "out.xlsx")["Target"])
    want = _sheet(openpyxl.load_workbook(tmp_path / "again" / "out.xlsx")["Target"])
    assert have["cells"] and want["heights"]
    for key in ("cells", "heights", "dimensions"):
        assert have[key] == want[key], key


def test_the_exceptions_sheet_holds_the_tasks_sheets_amber_and_red_rows(tmp_path: Path) -> None:
    result = _awkward_consolidation()
    path = tmp_path / "master.xlsx"
    write_master(result, path, constant_memory_over=0)
    book = openpyxl.load_workbook(path)
    tasks, exceptions = book["Tasks"], book["Exceptions"]
    status_col = [c.value for c in tasks[1]].index("Status") + 1
    amber_red = [row for row in range(2, tasks.max_row + 1)
                 if tasks.cell(row, status_col).value in ("Amber", "Red")]
    assert len(amber_red) == len(result.exceptions) == exceptions.max_row - 1 > len(AWKWARD) // 2
    for copied, row in enumerate(amber_red, start=2):
        assert ([_look(c) for c in exceptions[copied]] == [_look(c) for c in tasks[row]]), row
        assert exceptions.row_dimensions[copied].height == tasks.row_dimensions[row].height, row
