"""The openpyxl path of the Excel reader visits the cells the file has, found by openpyxl's rules.

`xlsx_positions.loaded_positions` says where openpyxl puts the cells of a sheet it loads, and
the openpyxl path (`read_xlsx(..., fast=False)`, and every workbook the fast reader leaves to it)
takes only those cells: never a cell for every gap of the used range, never a row for a far
cell that holds only a format. Each case is a real workbook written by openpyxl or xlsxwriter,
its sheet XML edited where a writer cannot be asked for the case.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.comments import Comment
from openpyxl.styles import Font

from pipeline.document import SourceDocument, Table
from pipeline.issues import FileRejected
from pipeline.limits import BLANK_ROWS_KEPT
from pipeline.readers import xlsx
from pipeline.readers.xlsx import read_xlsx
from pipeline.readers.xlsx_fast import Unsupported, read_fast
from pipeline.readers.xlsx_package import scan_package
from pipeline.readers.xlsx_positions import loaded_positions
from tests.xlsx_factory import add_part, new_workbook, rewrite_part, save, sheet_part


def rows_read(document: SourceDocument, sheet: int = 0) -> list[int]:
    """The row numbers of the sheet's table, in order."""
    table = document.blocks[sheet]
    assert isinstance(table, Table)
    return [int(str(row.place.cell)[1:]) for row in table.rows]


def texts(document: SourceDocument, sheet: int = 0) -> dict[str, str]:
    """Cell -> text of every cell of the sheet's table that shows some."""
    table = document.blocks[sheet]
    assert isinstance(table, Table)
    return {str(cell.place.cell): cell.text for row in table.rows for cell in row.cells
            if cell.text}


def positions_of(path: Path, sheet: int = 0) -> set[tuple[int, int]]:
    """Where `loaded_positions` says openpyxl holds the sheet's cells."""
    data = path.read_bytes()
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    ws = workbook.worksheets[sheet]
    merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        known = scan_package(zf).sheets[ws.title]
        assert known.root is not None
        return set(loaded_positions(known.root, merges, known.comments))


def uses_fast_path(path: Path) -> bool:
    with zipfile.ZipFile(path) as zf:
        try:
            read_fast(zf, scan_package(zf))
        except Unsupported:
            return False
    return True


def _sheet_data(path: Path, tmp: str) -> bytes:
    """Replace the first sheet's sheetData with `tmp` (inline strings need no shared strings)."""
    rewrite_part(path, sheet_part(0), lambda xml: re.sub(
        rb"<sheetData>.*</sheetData>|<sheetData/>", tmp.encode(), xml, flags=re.S))
    return path.read_bytes()


def _inline(ref: str | None, text: str) -> str:
    r = f' r="{ref}"' if ref else ""
    return f'<c{r} t="inlineStr"><is><t>{text}</t></is></c>'


# -- Cells that hold only a format: the rows they are in count, the gaps around them do not.


def test_a_far_cell_with_only_a_format_costs_one_position_and_no_rows(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    ws["A1"] = "Ref: 2.1a"
    ws["A40"] = "Task"
    ws["B25"].font = Font(bold=True)  # a format, no value, inside the table's rows
    ws["XFD1048576"].number_format = "0.00"  # the last cell of the sheet: a format only
    ws.row_dimensions[30].height = 30  # a row with a format and no cells
    path = save(wb, tmp_path / "far-format-only-cell.xlsx")

    assert positions_of(path) == {(1, 1), (25, 2), (40, 1), (1_048_576, 16_384)}
    gap = list(range(2, 2 + BLANK_ROWS_KEPT))
    after_25 = list(range(26, 26 + BLANK_ROWS_KEPT))
    expected = [1, *gap, 25, *after_25, 40]  # row 30 holds no cell: it is one of the gap's
    for fast in (True, False):
        document = read_xlsx(path, "far.xlsx", fast=fast)
        assert rows_read(document) == expected
        assert texts(document) == {"A1": "Ref: 2.1a", "A40": "Task"}
    assert uses_fast_path(path)


def test_an_xlsxwriter_blank_cell_with_a_format_is_a_cell_the_file_has(tmp_path: Path) -> None:
    path = tmp_path / "blank-formatted-cells.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        ws = wb.add_worksheet("Outcome 2.1")
        bold = wb.add_format({"bold": True})
        ws.write_string(0, 0, "Task")
        ws.write_blank(19, 1, None, bold)  # B20: a format only
        ws.set_row(24, 30, bold)  # row 25: a format for the row, no cell
        ws.write_string(39, 0, "Target")
        ws.write_blank(200_000, 300, None, bold)  # far below and to the right
    assert positions_of(path) == {(1, 1), (20, 2), (40, 1), (200_001, 301)}
    expected = [1, *range(2, 2 + BLANK_ROWS_KEPT), 20, *range(21, 21 + BLANK_ROWS_KEPT), 40]
    assert rows_read(read_xlsx(path, "b.xlsx", fast=False)) == expected
    assert rows_read(read_xlsx(path, "b.xlsx")) == expected


# -- Rows and cells without their optional r: numbered as openpyxl numbers them.


def test_cells_without_references_are_numbered_from_the_cell_before(tmp_path: Path) -> None:
    wb = new_workbook()
    wb.create_sheet("Outcome 2.1")["A1"] = "placeholder"
    path = save(wb, tmp_path / "no-cell-references.xlsx")
    _sheet_data(path, "<sheetData>"
                f'<row r="2">{_inline("B2", "Task")}{_inline(None, "Target")}'
                f'{_inline("E2", "Status")}{_inline(None, "Notes")}</row>'
                f'<row>{_inline(None, "one")}</row>'  # row 3
                f'<row r="20">{_inline("C20", "far")}</row>'
                f'<row><c/>{_inline(None, "next")}</row>'  # row 21: A21 empty, B21
                "</sheetData>")
    assert positions_of(path) == {(2, 2), (2, 3), (2, 5), (2, 6), (3, 1), (20, 3), (21, 1),
                                  (21, 2)}
    expected_texts = {"B2": "Task", "C2": "Target", "E2": "Status", "F2": "Notes", "A3": "one",
                      "C20": "far", "B21": "next"}
    for fast in (True, False):
        document = read_xlsx(path, "refs.xlsx", fast=fast)
        assert texts(document) == expected_texts
        assert rows_read(document) == [2, 3, *range(4, 4 + BLANK_ROWS_KEPT), 20, 21]
    assert uses_fast_path(path)


# -- Merged ranges: every cell of the range, the top-left one made even when the file has none.


def test_every_cell_of_a_merged_range_is_a_position(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    ws["A1"] = "Ref: 2.1a"
    ws.merge_cells("A1:E1")
    ws["A60"] = "Task"
    path = save(wb, tmp_path / "merged.xlsx")
    # A vertical range in the gap whose cells the file does not hold (openpyxl writes some).
    rewrite_part(path, sheet_part(0), lambda xml: xml.replace(
        b'<mergeCell ref="A1:E1"/>', b'<mergeCell ref="A1:E1"/><mergeCell ref="D20:D23"/>'
    ).replace(b'mergeCells count="1"', b'mergeCells count="2"'))
    positions = positions_of(path)
    assert positions == {(1, c) for c in range(1, 6)} | {(r, 4) for r in range(20, 24)} | {(60, 1)}
    expected = [1, *range(2, 2 + BLANK_ROWS_KEPT), 20, 21, 22, 23,
                *range(24, 24 + BLANK_ROWS_KEPT), 60]
    document = read_xlsx(path, "m.xlsx", fast=False)
    assert rows_read(document) == expected
    table = document.blocks[0]
    assert isinstance(table, Table)
    merged = {str(cell.place.cell) for row in table.rows for cell in row.cells
              if cell.merged_left or cell.merged_above}
    assert merged == {"B1", "C1", "D1", "E1", "D21", "D22", "D23"}


# -- What openpyxl makes when it binds hyperlinks and comments (these go through openpyxl only).


def test_a_hyperlink_on_no_cell_is_read_as_its_target_in_every_cell_it_names(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Contacts")
    ws["A1"] = "Contact"
    ws["B1"].hyperlink = "mailto:di.robinson@example.org"
    ws["A3"] = "Web"
    ws["B3"].hyperlink = "https://example.org/"
    path = save(wb, tmp_path / "hyperlinks.xlsx")
    # The cells go, the links stay; one of them now names a range of cells.
    rewrite_part(path, sheet_part(0), lambda xml: re.sub(
        rb'<c r="B[13]"[^>]*>.*?</c>', b"", xml).replace(b'ref="B3"', b'ref="B3:C4"'))
    assert positions_of(path) == {(1, 1), (1, 2), (3, 1), (3, 2), (3, 3), (4, 2), (4, 3)}
    document = read_xlsx(path, "links.xlsx")
    assert not uses_fast_path(path)
    assert texts(document) == {"A1": "Contact", "B1": "mailto:di.robinson@example.org",
                               "A3": "Web", "B3": "https://example.org/",
                               "C3": "https://example.org/", "B4": "https://example.org/",
                               "C4": "https://example.org/"}


def test_a_comment_on_an_empty_cell_is_a_cell_the_file_has(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    ws["A1"] = "Task"
    ws["A40"] = "Target"
    ws["C25"].comment = Comment("Figures to follow", "Di Robinson")
    path = save(wb, tmp_path / "comment.xlsx")
    rewrite_part(path, sheet_part(0), lambda xml: re.sub(
        rb'<c r="C25"[^>]*(/>|>.*?</c>)', b"", xml))
    assert b'"C25"' not in zipfile.ZipFile(path).read(sheet_part(0))
    assert positions_of(path) == {(1, 1), (25, 3), (40, 1)}
    document = read_xlsx(path, "c.xlsx")
    assert not uses_fast_path(path)
    assert rows_read(document) == [1, *range(2, 2 + BLANK_ROWS_KEPT), 25,
                                   *range(26, 26 + BLANK_ROWS_KEPT), 40]


def test_whole_rows_and_columns_a_comment_names_reach_as_far_as_the_cells_before_it() -> None:
    from lxml import etree

    root = etree.fromstring(
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData><row r="3">{_inline("C3", "x")}</row></sheetData></worksheet>')
    assert set(loaded_positions(root, [], ["2:2"])) == {(3, 3), (2, 1), (2, 2), (2, 3)}
    assert set(loaded_positions(root, [(5, 1, 5, 2)], ["B:B"])) == {
        (3, 3), (5, 1), (5, 2), *((r, 2) for r in range(1, 6))}


# -- Sheets the openpyxl path cannot match to their XML are refused, never read at another's.


def test_a_chart_sheet_beside_the_worksheets_is_read_through_openpyxl(tmp_path: Path) -> None:
    path = tmp_path / "chart-sheet.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        ws = wb.add_worksheet("Outcome 2.1")
        ws.write_column(0, 0, ["Task", 1, 2, 3])
        chart = wb.add_chart({"type": "column"})
        chart.add_series({"values": "='Outcome 2.1'!$A$2:$A$4"})
        wb.add_chartsheet("Chart").set_chart(chart)
        wb.add_worksheet("Notes").write_string(2, 1, "See the chart")
    assert not uses_fast_path(path)
    document = read_xlsx(path, "chart.xlsx")
    assert [texts(document, 0), texts(document, 1)] == [
        {"A1": "Task", "A2": "1", "A3": "2", "A4": "3"}, {"B3": "See the chart"}]


_DIALOG_SHEET = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                 "dialogsheet")


def test_a_dialog_sheet_is_read_as_openpyxl_reads_it_an_empty_worksheet(tmp_path: Path) -> None:
    # An Excel 5 dialog sheet, as an old .xlsm may still hold: openpyxl loads it as a worksheet
    # with no cells, and so must the openpyxl path, matching every other sheet to its own XML.
    wb = new_workbook()
    wb.create_sheet("Outcome 2.1")["B2"] = "Task"
    wb.create_sheet("Notes")["A3"] = "Read me"
    path = save(wb, tmp_path / "dialog-sheet.xlsx")
    add_part(path, "xl/dialogsheets/sheet1.xml", (
        b'<dialogsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetViews><sheetView workbookViewId="0"/></sheetViews></dialogsheet>'))
    rewrite_part(path, "[Content_Types].xml", lambda xml: xml.replace(b"</Types>", (
        b'<Override PartName="/xl/dialogsheets/sheet1.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.spreadsheetml.dialogsheet+xml"/></Types>')))
    rewrite_part(path, "xl/_rels/workbook.xml.rels", lambda xml: xml.replace(
        b"</Relationships>", f'<Relationship Id="rIdDialog" Type="{_DIALOG_SHEET}" '
                             f'Target="dialogsheets/sheet1.xml"/></Relationships>'.encode()))
    rewrite_part(path, "xl/workbook.xml", lambda xml: re.sub(
        rb'(<sheet [^>]*name="Notes"[^>]*/>)',
        rb'<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        rb'name="Dialog1" sheetId="9" r:id="rIdDialog"/>\1', xml))
    assert [ws.title for ws in openpyxl.load_workbook(path).worksheets] == [
        "Outcome 2.1", "Dialog1", "Notes"]
    assert not uses_fast_path(path)
    document = read_xlsx(path, "dialog.xlsx")
    assert [(block.title, texts(document, i)) for i, block in enumerate(document.blocks)
            if isinstance(block, Table)] == [("Outcome 2.1", {"B2": "Task"}),
                                             ("Notes", {"A3": "Read me"})]


def test_two_sheets_with_one_name_are_refused(tmp_path: Path) -> None:
    wb = new_workbook()
    wb.create_sheet("Tasks")["A1"] = "first"
    wb.create_sheet("Other")["B2"] = "second"
    path = rewrite_part(save(wb, tmp_path / "same-name.xlsx"), "xl/workbook.xml",
                        lambda xml: xml.replace(b'name="Other"', b'name="Tasks"'))
    with pytest.raises(FileRejected) as rejected:
        read_xlsx(path, "same.xlsx")
    assert "two sheets with the same name" in rejected.value.fields["reason"]


@pytest.mark.parametrize("fast", [True, False])
def test_a_sheet_without_a_name_is_refused_not_read_at_another_sheets_cells(
        tmp_path: Path, fast: bool) -> None:
    # openpyxl gives a nameless sheet a name of its own, so it cannot be matched to its XML by
    # name; the fast reader leaves such a workbook to openpyxl: both refuse it, saying why.
    wb = new_workbook()
    wb.create_sheet("Tasks")["A1"] = "first"
    wb.create_sheet("Other")["B2"] = "second"
    path = rewrite_part(save(wb, tmp_path / "no-name.xlsx"), "xl/workbook.xml",
                        lambda xml: xml.replace(b'name="Other"', b'name=""'))
    with pytest.raises(FileRejected) as rejected:
        read_xlsx(path, "no-name.xlsx", fast=fast)
    assert rejected.value.code == "unreadable-file"
    assert "or a sheet without one" in rejected.value.fields["reason"]


def test_a_cell_below_excels_last_row_is_refused_by_the_openpyxl_path(tmp_path: Path) -> None:
    wb = new_workbook()
    wb.create_sheet("Outcome 2.1")["A1"] = "placeholder"
    path = save(wb, tmp_path / "below-last-row.xlsx")
    _sheet_data(path, f'<sheetData><row r="1">{_inline("A1", "Task")}</row>'
                f'<row r="1048577">{_inline("A1048577", "below")}</row></sheetData>')
    with pytest.raises(FileRejected) as rejected:
        read_xlsx(path, "below.xlsx", fast=False)
    assert rejected.value.fields["reason"] == (
        "its sheet 'Outcome 2.1' has a cell in row 1,048,577, outside Excel's rows "
        "(1 to 1,048,576)")


def test_positions_that_do_not_match_the_cells_openpyxl_loaded_are_refused(tmp_path: Path) -> None:
    wb = new_workbook()
    wb.create_sheet("Outcome 2.1")["A1"] = "Task"
    wb.create_sheet("Outcome 2.2")["C7"] = "Target"
    path = save(wb, tmp_path / "two-sheets.xlsx")
    data = path.read_bytes()
    loaded = openpyxl.load_workbook(io.BytesIO(data))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        scan = scan_package(zf)
    from pipeline.readers.xlsx_cells import FillColours

    colours = FillColours(None, None)
    # Each sheet with its own XML reads; with the other's, its cells cannot all be placed.
    assert xlsx._sheet_data(loaded["Outcome 2.1"], scan.sheets["Outcome 2.1"], colours
                            ).cells == {(1, 1): ("Task", "General", None)}
    with pytest.raises(FileRejected) as rejected:
        xlsx._sheet_data(loaded["Outcome 2.1"], scan.sheets["Outcome 2.2"], colours)
    assert rejected.value.fields["reason"] == (
        "the cells of its sheet 'Outcome 2.1' cannot all be placed")


# -- What openpyxl would make at load is counted first: a few bytes never make millions of cells.


LINKED = "its hyperlinks and comments name more than 500,000 cells (sheet 'Contacts')"


@pytest.mark.parametrize(("edit", "reason"), [
    pytest.param((b'ref="B1"', b'ref="B1:XFD1048576"'), LINKED, id="link-range"),
    pytest.param((b'ref="B1"', b'ref="2:1048576"'), LINKED, id="link-rows"),
    pytest.param((b"</sheetData>", b'</sheetData><mergeCells count="1">'
                                   b'<mergeCell ref="C3:XFD1048576"/></mergeCells>'),
                 "its merged cells cover more than 500,000 cells (sheet 'Contacts')", id="merge"),
])
def test_a_workbook_openpyxl_would_fill_with_millions_of_cells_is_refused_first(
        tmp_path: Path, edit: tuple[bytes, bytes], reason: str) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Contacts")
    ws["A1"] = "Contact"
    ws["B1"].hyperlink = "mailto:di.robinson@example.org"
    path = save(wb, tmp_path / "huge-range.xlsx")
    rewrite_part(path, sheet_part(0), lambda xml: xml.replace(*edit))
    assert path.stat().st_size < 10_000
    with pytest.raises(FileRejected) as rejected:
        read_xlsx(path, "huge.xlsx")
    assert (rejected.value.code, rejected.value.fields["reason"]) == ("file-too-large", reason)


@pytest.mark.parametrize("ref", ["B1:XFD1048576", "1:1048576", "B:XFD"])
def test_a_comment_on_millions_of_cells_is_refused_before_openpyxl_makes_them(
        tmp_path: Path, ref: str) -> None:
    # openpyxl attaches a comment with `ws[ref]`, which makes every cell of a range: a comments
    # part of a few bytes would keep it busy for ever, on the path that reads through openpyxl.
    wb = new_workbook()
    ws = wb.create_sheet("Contacts")
    ws["A1"] = "Contact"
    ws["B1"].comment = Comment("Phone first", "Di Robinson")
    path = save(wb, tmp_path / "huge-comment.xlsx")
    with zipfile.ZipFile(path) as zf:
        part = next(n for n in zf.namelist() if n.startswith("xl/comments"))
    rewrite_part(path, part, lambda xml: xml.replace(b'ref="B1"', f'ref="{ref}"'.encode()))
    assert path.stat().st_size < 10_000
    for fast in (True, False):
        with pytest.raises(FileRejected) as rejected:
            read_xlsx(path, "huge.xlsx", fast=fast)
        assert (rejected.value.code, rejected.value.fields["reason"]) == ("file-too-large", LINKED)
