"""The fast Excel reader (sheet XML read directly) gives exactly what the openpyxl path gives.

Every workbook is read both ways (`read_xlsx(..., fast=False)` is openpyxl) and the documents
compared cell by cell, the type of each typed value included (True == 1 == 1.0 in Python).
The workbooks are the factory's, the sample inbox's and the benchmark's, and workbooks
Hypothesis writes with openpyxl and xlsxwriter.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import string
import sys
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Color, PatternFill
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.utils.cell import get_column_letter

from pipeline.document import SourceDocument, Table
from pipeline.issues import FileRejected
from pipeline.readers.xlsx import read_xlsx
from pipeline.readers.xlsx_fast import Unsupported, read_fast
from pipeline.readers.xlsx_package import scan_package
from tests.xlsx_factory import (
    HEADERS,
    TASKS_2_1,
    Action,
    new_workbook,
    put,
    rewrite_part,
    save,
    sheet_part,
    write_lookup_sheet,
    write_progress_sheet,
    write_rows,
)

REPO = Path(__file__).resolve().parent.parent


def snapshot(document: SourceDocument) -> tuple[object, ...]:
    """Everything a document holds, typed values with their types."""
    blocks = []
    for block in document.blocks:
        assert isinstance(block, Table)
        rows = [(row.place, row.hidden, [(c.place, c.lines, c.fill, c.merged_left,
                                          c.merged_above, c.from_control, type(c.value).__name__,
                                          c.value, c.changes) for c in row.cells])
                for row in block.rows]
        blocks.append((block.place, block.title, rows))
    return (document.file, document.kind, blocks, document.issues, document.properties)


def uses_fast_path(path: Path) -> bool:
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        try:
            read_fast(zf, scan_package(zf))
        except Unsupported:
            return False
    return True


def assert_same(path: Path, *, fast: bool = True) -> None:
    """Both readers agree on the file; and the fast one really read it when `fast` says so."""
    assert snapshot(read_xlsx(path, "parity.xlsx")) == snapshot(
        read_xlsx(path, "parity.xlsx", fast=False))
    assert uses_fast_path(path) is fast


# -- The factory's workbooks and the ones the reader tests build.


def _progress(path: Path) -> Path:
    wb = new_workbook()
    write_progress_sheet(wb.create_sheet("Outcome 2.1"),
                         titles=["Thematic Sub-Group Performance Reporting", "Stronger Communities"],
                         actions=[Action("2.1a", "One"), Action(None, "Two", TASKS_2_1[:2])],
                         spacer_rows=2)
    write_progress_sheet(wb.create_sheet("Outcome 2.2"), actions=[Action("2.2a", "Three")],
                         merge_refs=False)
    lists = wb.create_sheet("Lists")
    write_lookup_sheet(lists)
    lists.sheet_state = "hidden"
    hidden = wb.create_sheet("Old tasks")
    write_rows(hidden, [HEADERS, TASKS_2_1[3]])
    hidden.sheet_state = "veryHidden"
    return save(wb, path)


def _values(path: Path) -> Path:
    wb = new_workbook()
    ws = wb.create_sheet("Summary")
    cases = [(dt.datetime(2009, 3, 31), "d mmmm yyyy"), (dt.datetime(2008, 9, 4, 14, 30), "dd/mm/yyyy hh:mm"),
             (5, "General"), (5.0, "General"), (34.7, "General"), (0.347, "0.0%"), (0.5, "0%"),
             (12.5, '0.0" %age"'), (True, "General"), (False, "General"), (dt.time(9, 30), "h:mm"),
             (dt.timedelta(hours=30, minutes=15), "[h]:mm:ss"), (dt.date(2009, 1, 1), "yyyy-mm-dd"),
             (1e20, "General"), (-3, "0.00"), ("=not a formula", "@"), ("_x000D_ line", "General"),
             ("a\r\nb\rc", "General"), ("  padded  ", "General"), (0.1 + 0.2, "0.00")]
    for row, (value, number_format) in enumerate(cases, start=1):
        put(ws, row, 2, value)
        ws.cell(row, 2).number_format = number_format
    ws["C1"] = "=B3*2"  # saved with no result
    return save(wb, path)


def _fills(path: Path) -> Path:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    fills = [PatternFill("solid", fgColor="FFFFC000"), PatternFill("solid", fgColor=Color(indexed=10)),
             PatternFill("solid", fgColor=Color(indexed=64)), PatternFill("solid", fgColor=Color(theme=5)),
             PatternFill("solid", fgColor=Color(theme=4, tint=0.3999755851924192)),
             PatternFill("solid", fgColor=Color(theme=4, tint=-0.249977111117893)),
             PatternFill("gray125", fgColor="FFFF0000"), PatternFill(),
             PatternFill("solid", fgColor=Color(theme=99)), PatternFill("solid", fgColor=Color(indexed=70))]
    for row, fill in enumerate(fills, start=1):
        ws.cell(row, 4, "AMBER").fill = fill
        ws.cell(row, 6).fill = fill  # a colour and no text
    return save(wb, path)


def _custom_palette(path: Path) -> Path:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    ws["A1"] = "RED"
    ws["A1"].fill = PatternFill("solid", fgColor=Color(indexed=2))
    save(wb, path)
    palette = "".join(f'<rgbColor rgb="{c}"/>' for c in ["FF123456"] * 3 + list(COLOR_INDEX[3:64]))
    return rewrite_part(path, "xl/styles.xml", lambda xml: xml.replace(
        b"</styleSheet>", f"<colors><indexedColors>{palette}</indexedColors></colors></styleSheet>"
        .encode()))


def _hidden_rows(path: Path) -> Path:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    write_rows(ws, [HEADERS, TASKS_2_1[0], (), TASKS_2_1[1], TASKS_2_1[2]])
    ws.row_dimensions[2].hidden = True
    ws.row_dimensions[3].hidden = True
    ws.row_dimensions[4].height = 40
    ws.column_dimensions["C"].hidden = True
    return save(wb, path)


def _xlsxwriter(path: Path) -> Path:
    with xlsxwriter.Workbook(path) as wb:
        ws = wb.add_worksheet("Outcome 2.1")
        bold = wb.add_format({"bold": True, "bg_color": "#D9D9D9", "text_wrap": True})
        date = wb.add_format({"num_format": "d mmmm yyyy"})
        pct = wb.add_format({"num_format": "0.0%", "bg_color": "#FFC000"})
        ws.write_row(0, 0, HEADERS, bold)
        for r, task in enumerate(TASKS_2_1, start=1):
            ws.write_row(r, 0, task)
        ws.write_datetime(6, 0, dt.datetime(2009, 3, 31), date)
        ws.write_number(6, 1, 0.25, pct)
        ws.write_formula(6, 2, "=B7*2", None, 0.5)
        ws.write_boolean(6, 3, True)
        ws.write_rich_string(7, 0, "plain ", bold, "bold", " tail")
        ws.merge_range(8, 0, 8, 4, "Ref: 2.1a", bold)
        ws.merge_range(9, 0, 11, 0, "Merged down")
        ws.set_row(12, None, None, {"hidden": True})
        ws.write_string(12, 0, "hidden row")
        ws.write_formula(13, 0, '="text "&"result"', None, "text result")
        ws.write(14, 0, "#N/A")
        ws.write_formula(14, 1, "=NA()", None, "#N/A")
        wb.add_worksheet("Empty")
    return path


def _date_1904(path: Path) -> Path:
    with xlsxwriter.Workbook(path, {"date_1904": True}) as wb:
        ws = wb.add_worksheet("Dates")
        ws.write_datetime(0, 0, dt.datetime(2009, 3, 31), wb.add_format({"num_format": "d mmm yyyy"}))
        ws.write_string(0, 1, "Target date")
    return path


def _rich_shared_strings(path: Path) -> Path:
    _xlsxwriter(path)
    return rewrite_part(path, "xl/sharedStrings.xml", lambda xml: xml.replace(
        b"</sst>", b"<si><t>Task</t><rPh sb=\"0\" eb=\"1\"><t>phonetic</t></rPh></si></sst>"))


def _hyperlink(path: Path) -> Path:
    wb = new_workbook()
    ws = wb.create_sheet("Links")
    ws["A1"] = "Contact"
    ws["B1"].hyperlink = "mailto:di.robinson@example.org"  # openpyxl makes it B1's value
    return save(wb, path)


def _inline_strings(path: Path) -> Path:
    path = _progress(path)
    return rewrite_part(path, sheet_part(0), lambda xml: xml.replace(
        b'<c r="A1" t="s"><v>0</v></c>',
        b'<c r="A1" t="inlineStr"><is><r><t>Thematic </t></r><r><rPr><b/></rPr>'
        b'<t>Sub-Group</t></r></is></c>'))


def _no_cell_references(path: Path) -> Path:
    # Some writers leave out the optional r attributes of rows and cells.
    with xlsxwriter.Workbook(path) as wb:
        ws = wb.add_worksheet("Outcome 2.1")
        for r, task in enumerate([HEADERS, *TASKS_2_1]):
            ws.write_row(r, 0, task)
    return rewrite_part(path, sheet_part(0), lambda xml: __import__("re").sub(
        rb' r="[A-Z]+\d+"', b"", xml))


def _merges_without_cells(path: Path) -> Path:
    # Merged ranges whose cells the file does not hold, in the gaps of a table and beyond its
    # columns: openpyxl makes every cell of each, so each range's rows are rows the sheet has.
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    ws["A1"] = "Ref: 2.1a"
    ws["A60"] = "Task"
    save(wb, path)
    return rewrite_part(path, sheet_part(0), lambda xml: xml.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="2"><mergeCell ref="D20:D23"/>'
                         b'<mergeCell ref="H40:J40"/></mergeCells>'))


def _shared_row_attributes(path: Path) -> Path:
    # Rows of the same height, two of them hidden alike: the fast reader checks each distinct set
    # of row attributes once; a row numbered "4.0" with no other attribute is still row 4.
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    write_rows(ws, [HEADERS, *TASKS_2_1])
    for r in (2, 3, 5):
        ws.row_dimensions[r].height = 30
    ws.row_dimensions[3].hidden = True
    ws.row_dimensions[5].hidden = True
    save(wb, path)
    return rewrite_part(path, sheet_part(0), lambda xml: xml.replace(b'<row r="4">',
                                                                     b'<row r="4.0">'))


def _decimal_row_number_with_height(path: Path) -> Path:
    # openpyxl reads "2.0" as a row's number, but not as its dimension's: left to openpyxl.
    return rewrite_part(_shared_row_attributes(path), sheet_part(0), lambda xml: xml.replace(
        b'<row r="2" ', b'<row r="2.0" '))


FACTORY = [
    pytest.param(_progress, True, id="progress-sheets-hidden-lists"),
    pytest.param(_values, True, id="values-and-number-formats"),
    pytest.param(_fills, True, id="fill-colours"),
    pytest.param(_custom_palette, True, id="custom-indexed-palette"),
    pytest.param(_hidden_rows, True, id="hidden-rows-and-columns"),
    pytest.param(_xlsxwriter, True, id="xlsxwriter-shared-strings-merges-formulas"),
    pytest.param(_date_1904, True, id="1904-dates"),
    pytest.param(_rich_shared_strings, True, id="phonetic-runs"),
    pytest.param(_inline_strings, True, id="rich-inline-string"),
    pytest.param(_no_cell_references, True, id="no-cell-references"),
    pytest.param(_merges_without_cells, True, id="merged-ranges-without-cells"),
    pytest.param(_shared_row_attributes, True, id="rows-sharing-heights-and-hidden"),
    pytest.param(_hyperlink, False, id="hyperlink-falls-back"),
]


@pytest.mark.parametrize("second", [
    pytest.param("D22:E22", id="first-cell-inside-another-range"),
    pytest.param("C21:D21", id="a-continuation-inside-another-range"),
])
def test_overlapping_merged_ranges_are_left_to_openpyxl(tmp_path: Path, second: str) -> None:
    # Read twice: the second time the ranges' areas are the ones remembered from the first.
    for attempt in range(2):
        path = rewrite_part(_merges_without_cells(tmp_path / f"overlap-{attempt}.xlsx"),
                            sheet_part(0), lambda xml: xml.replace(
                                b'<mergeCell ref="H40:J40"/>',
                                b'<mergeCell ref="' + second.encode() + b'"/>'))
        assert not uses_fast_path(path)


@pytest.mark.parametrize(("build", "fast"), FACTORY)
def test_factory_workbooks_read_the_same_both_ways(tmp_path: Path, build, fast: bool) -> None:
    assert_same(build(tmp_path / "book.xlsx"), fast=fast)


def test_sample_inbox_and_benchmark_returns_read_the_same_both_ways(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(REPO / "bench"))
    paths = [p for p in generate(tmp_path, 8, seed=3) if p.suffix == ".xlsx"]
    paths += sorted((REPO / "inbox").glob("*.xlsx"))
    assert len(paths) >= 5
    for path in paths:
        assert_same(path)


@pytest.mark.parametrize(("index", "fast"), [
    pytest.param(b"0", True, id="first"), pytest.param(b" 1 ", True, id="spaced"),
    pytest.param(b"-1", False, id="negative"), pytest.param(b" -1", False, id="spaced-negative"),
    pytest.param(b"9999", False, id="past-the-end"), pytest.param(b"1.0", False, id="decimal"),
    pytest.param(b"x", False, id="not-a-number"),
])
def test_a_shared_string_index_is_read_as_openpyxl_reads_it(tmp_path: Path, index: bytes,
                                                             fast: bool) -> None:
    # The fast reader looks most shared strings up itself (xlsx_fast._sheet): an index it must
    # not read (negative, past the end, not whole) is left to openpyxl, which reads or refuses it.
    path = rewrite_part(_xlsxwriter(tmp_path / "book.xlsx"), sheet_part(0), lambda xml: re.sub(
        rb'(<c r="A2" t="s"><v>)[0-9]+', lambda m: m.group(1) + index, xml, count=1))
    assert b'<c r="A2" t="s"><v>' + index + b"</v>" in zipfile.ZipFile(path).read(sheet_part(0))
    assert uses_fast_path(path) is fast
    try:
        slow = snapshot(read_xlsx(path, "parity.xlsx", fast=False))
    except FileRejected as refused:
        with pytest.raises(FileRejected) as also:
            read_xlsx(path, "parity.xlsx")
        assert (also.value.code, also.value.fields) == (refused.code, refused.fields)
    else:
        assert snapshot(read_xlsx(path, "parity.xlsx")) == slow


def test_a_decimal_row_number_on_a_row_dimension_is_left_to_openpyxl(tmp_path: Path) -> None:
    path = _decimal_row_number_with_height(tmp_path / "rows.xlsx")
    assert not uses_fast_path(path)
    with pytest.raises(FileRejected) as fast:
        read_xlsx(path, "f.xlsx")
    with pytest.raises(FileRejected) as slow:
        read_xlsx(path, "f.xlsx", fast=False)
    assert (fast.value.code, fast.value.fields) == (slow.value.code, slow.value.fields)


def test_damaged_styles_fall_back_and_are_refused_as_before(tmp_path: Path) -> None:
    path = rewrite_part(_progress(tmp_path / "bad-fill.xlsx"), "xl/styles.xml", lambda xml: xml.replace(
        b'<patternFill patternType="gray125"/>', b'<patternFill patternType="zigzag"/>'))
    assert not uses_fast_path(path)
    with pytest.raises(FileRejected) as fast:
        read_xlsx(path, "f.xlsx")
    with pytest.raises(FileRejected) as slow:
        read_xlsx(path, "f.xlsx", fast=False)
    assert (fast.value.code, fast.value.fields) == (slow.value.code, slow.value.fields)


# -- Hypothesis: random cells, formats, fills, merges, hidden rows and sheets, two writers.

_TEXT = st.text(alphabet=string.ascii_letters + string.digits + " .,;:–£%&()\n\r\t'\"_x",
                min_size=1, max_size=25)
_NUMBER = st.one_of(st.integers(-10**12, 10**12),
                    st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False))
_DATE = st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=0))
_VALUE = st.one_of(_TEXT, _NUMBER, st.booleans(), _DATE)
_FORMAT = st.sampled_from(["General", "0", "0.00", "0%", "0.0%", "d mmmm yyyy", "dd/mm/yyyy hh:mm",
                           "h:mm", "[h]:mm", "@", '0.0" %age"', "#,##0.00", "mmm-yy"])
_FILL = st.one_of(st.none(), st.sampled_from(["FFFFC000", "FF00B050", "FFFF0000"]).map(
    lambda rgb: PatternFill("solid", fgColor=rgb)), st.integers(0, 63).map(
    lambda i: PatternFill("solid", fgColor=Color(indexed=i))), st.tuples(
    st.integers(0, 11), st.floats(-0.9, 0.9)).map(
    lambda t: PatternFill("solid", fgColor=Color(theme=t[0], tint=round(t[1], 3)))))
_CELL = st.tuples(_VALUE, _FORMAT, _FILL)
_AREA = st.tuples(st.integers(1, 8), st.integers(1, 6), st.integers(0, 2), st.integers(0, 3))


@st.composite
def _sheets(draw: st.DrawFn) -> list[dict[str, object]]:
    sheets = []
    for number in range(draw(st.integers(1, 3))):
        cells = draw(st.dictionaries(st.tuples(st.integers(1, 10), st.integers(1, 7)), _CELL,
                                     max_size=25))
        merges, taken = [], set()
        for row, column, down, across in draw(st.lists(_AREA, max_size=4)):
            area = {(r, c) for r in range(row, row + down + 1)
                    for c in range(column, column + across + 1)}
            if len(area) > 1 and not area & taken:
                merges.append((row, column, row + down, column + across))
                taken |= area
        sheets.append({
            "title": f"Outcome {number + 1}.1", "cells": cells, "merges": merges,
            "hidden_rows": draw(st.sets(st.integers(1, 10), max_size=3)),
            "state": draw(st.sampled_from(["visible", "visible", "hidden", "veryHidden"])),
        })
    if all(s["state"] != "visible" for s in sheets):
        sheets[0]["state"] = "visible"  # a workbook needs one visible sheet
    return sheets


def _with_openpyxl(sheets: list[dict[str, object]], path: Path) -> Path:
    wb = new_workbook()
    for spec in sheets:
        ws = wb.create_sheet(spec["title"])  # type: ignore[arg-type]
        for (r, c), (value, number_format, fill) in spec["cells"].items():  # type: ignore[union-attr]
            put(ws, r, c, value)
            ws.cell(r, c).number_format = number_format
            if fill is not None:
                ws.cell(r, c).fill = fill
        for top, left, bottom, right in spec["merges"]:  # type: ignore[union-attr]
            ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
        for r in spec["hidden_rows"]:  # type: ignore[union-attr]
            ws.row_dimensions[r].hidden = True
        ws.sheet_state = spec["state"]
    return save(wb, path)


def _with_xlsxwriter(sheets: list[dict[str, object]], path: Path) -> Path:
    with xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False,
                                    "strings_to_numbers": False}) as wb:
        for spec in sheets:
            ws = wb.add_worksheet(spec["title"])  # type: ignore[arg-type]
            merged = {(m[0], m[1]): m for m in spec["merges"]}  # type: ignore[union-attr]
            covered = {(r, c) for m in spec["merges"] for r in range(m[0], m[2] + 1)  # type: ignore[union-attr]
                       for c in range(m[1], m[3] + 1)}
            for (r, c), (value, number_format, fill) in spec["cells"].items():  # type: ignore[union-attr]
                if (r, c) in covered and (r, c) not in merged:
                    continue
                properties: dict[str, object] = {"num_format": number_format}
                if fill is not None and fill.fgColor.type == "rgb":
                    properties["bg_color"] = "#" + fill.fgColor.rgb[-6:]
                cell_format = wb.add_format(properties)
                if (r, c) in merged:
                    top, left, bottom, right = merged[r, c]
                    ws.merge_range(top - 1, left - 1, bottom - 1, right - 1, None, cell_format)
                if isinstance(value, dt.datetime):
                    ws.write_datetime(r - 1, c - 1, value, cell_format)
                elif isinstance(value, str):
                    ws.write_string(r - 1, c - 1, value, cell_format)
                else:
                    ws.write(r - 1, c - 1, value, cell_format)
            for r in spec["hidden_rows"]:  # type: ignore[union-attr]
                ws.set_row(r - 1, None, None, {"hidden": True})
            if spec["state"] != "visible":
                ws.hide() if spec["state"] == "hidden" else ws.very_hidden()
        first_visible = next(i for i, s in enumerate(sheets) if s["state"] == "visible")
        wb.worksheets()[first_visible].activate()
    return path


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sheets=_sheets(), writer=st.sampled_from(["openpyxl", "xlsxwriter"]))
def test_random_workbooks_read_the_same_both_ways(
        tmp_path_factory: pytest.TempPathFactory, sheets: list[dict[str, object]],
        writer: str) -> None:
    path = tmp_path_factory.mktemp("parity") / "random.xlsx"
    build = _with_openpyxl if writer == "openpyxl" else _with_xlsxwriter
    assert_same(build(sheets, path))


def test_every_column_letter_and_place_is_as_openpyxl_names_it(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Wide")
    for column in (1, 26, 27, 52, 53, 702, 703):
        ws.cell(1, column, get_column_letter(column))
    assert_same(save(wb, tmp_path / "wide.xlsx"))


@pytest.mark.parametrize("fast", [True, False])
def test_a_repeated_palette_gives_fills_and_text_colours_from_the_last(tmp_path: Path, fast: bool) -> None:
    # openpyxl writes its own <colors>; this file adds a second, as a repaired or merged workbook
    # may. openpyxl takes the last: so must both readers, for fills and for text colours alike.
    from openpyxl.styles import Font

    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    ws["A1"] = "RED"
    ws["A1"].fill = PatternFill("solid", fgColor=Color(indexed=2))
    ws["B1"] = "late"
    ws["B1"].font = Font(color=Color(indexed=2))
    save(wb, tmp_path / "book.xlsx")
    palette = "".join(f'<rgbColor rgb="{c}"/>' for c in ["FF123456"] * 3 + list(COLOR_INDEX[3:64]))
    path = rewrite_part(tmp_path / "book.xlsx", "xl/styles.xml", lambda xml: xml.replace(
        b"</styleSheet>", f"<colors><indexedColors>{palette}</indexedColors></colors></styleSheet>"
        .encode()))
    table = read_xlsx(path, "book.xlsx", fast=fast).blocks[0]
    assert isinstance(table, Table)
    cells = {cell.place.cell: cell for row in table.rows for cell in row.cells}
    assert (cells["A1"].fill, cells["B1"].colour) == ("123456", "123456")
