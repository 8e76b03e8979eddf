"""A streamed workbook's cells written as sheet XML by us, everything else by xlsxwriter.

In constant-memory mode xlsxwriter costs about 7 µs a cell (a cell object made, its text run
through three regular expressions, its XML written by a file write of its own), and the master
workbook of 1,000 returns has a million cells: most of the run's time. Here a worksheet's
cells become XML text directly, a row at a time, deflated into a file of our own by a thread of
its own (`zip_parts.DeflatedStream`); `splice_rows` (xlsx_splice) puts those rows into the
package xlsxwriter wrote, which holds everything else: the styles, column widths, merged
ranges, filters, conditional formats, print setup, charts.

A cell's `s` attribute is its format's index among the workbook's cell formats, which xlsxwriter
gives a format only as it writes the file. So `RowsWorkbook` gives each format its index when the
format is made, through the format's `set_xf_index`, in the order they are made: xlsxwriter then
writes the styles part in that order.

The cells read back as xlsxwriter writes them (tests/test_report_xlsx_rows.py compares every
value, format, row height and merged range of both on the same workbook).
"""

from __future__ import annotations

import contextlib
import re
from array import array
from collections.abc import Sequence
from functools import lru_cache
from math import isinf, isnan
from pathlib import Path
from typing import Any, Literal, NamedTuple

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.report.text import FORMULA_LEADS, clean_unprintable, escape_xml
from pipeline.report.xlsx_sheet import CellValue, points_of, text_lines, write_each_cell, write_value
from pipeline.report.xlsx_styles import Styles
from pipeline.zip_parts import Deflated, DeflatedStream

#: Rows and columns a sheet has.
_ROWS = 1_048_576
_LAST_COL = 16_383
#: Longest text a cell holds, in UTF-16 units (xlsxwriter's `xls_strmax`).
_MAX_CHARS = 32_767
#: Texts no longer than this are remembered with their cell's XML (`write_row_cells`): the
#: words a sheet repeats, a group's name, a status, a Ref, an owner, are this short; longer text
#: (a task, a position) is mostly written once or twice.
REMEMBERED_CHARS = 40
#: At most this many remembered a sheet (about 200 bytes each), until its rows are finished.
REMEMBERED_CELLS = 5_000
#: A row's height in pixels when it is given none (Excel's default, 15 points).
_DEFAULT_ROW_PIXELS = 20
#: Rows joined and written to the row file at a time.
_ROWS_PER_BLOCK = 256

#: What an inline string cannot hold as it is: control characters (but tab and line feed) and
#: the two non-characters, written as Excel's _xHHHH_ escapes.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
#: The underscore that starts what Excel reads as an escaped character ("_x0041_"), found also
#: where two share one ("_x005F_x0041_", which xlsxwriter escapes only the first of).
_ESCAPE_LIKE_UNDERSCORE = re.compile(r"_(?=x[0-9a-fA-F]{4}_)")
#: First characters of text that `write_row_cells` leaves to `write_value`: a formula's sign
#: (the cell is quoted) and '<' (which `write_text` looks at).
_WRITTEN_APART = "".join(FORMULA_LEADS) + "<"
#: Longest text `write_row_cells` writes without counting its UTF-16 units: within the limit
#: even if every character took two.
_PLAIN_MAX_CHARS = _MAX_CHARS // 2


def inline_text(text: str) -> str:
    """A cell's `<is>` element for text, escaped as xlsxwriter escapes an inline string: each
    escape-like "_x0000_" has its underscore escaped (of two sharing one, both: xlsxwriter
    escapes the first only, and `write_text` writes such text as runs), control characters and
    non-characters are escaped, and white space at either end is kept by xml:space="preserve"."""
    if "_x" in text:
        text = _ESCAPE_LIKE_UNDERSCORE.sub("_x005F_", text)
    if not text.isprintable() and _UNSAFE.search(text):
        text = _UNSAFE.sub(lambda match: f"_x{ord(match.group()):04X}_", text)
    if text and (text[0].isspace() or text[-1].isspace()):
        return f'<is><t xml:space="preserve">{escape_xml(text)}</t></is>'
    return f"<is><t>{escape_xml(text)}</t></is>"


@lru_cache(maxsize=256)
def _tall(lines: int) -> tuple[str, float]:
    """A row's height attributes and points for its tallest text's lines (more than one)."""
    points = points_of(lines) or 0.0
    return row_points_attributes(points), points


@lru_cache(maxsize=1024)
def row_points_attributes(height: float) -> str:
    """A row element's height attributes for a height in points, as xlsxwriter rounds it
    (remembered: rows are made a whole number of lines tall)."""
    pixels = int(height * 4.0 / 3.0 + 0.5)
    return f' ht="{pixels * 0.75:.16g}" customHeight="1"'


class WrittenRows(NamedTuple):
    """A sheet's rows as written by a `RowsSheet` (`written_rows`), which another workbook's
    sheet of the same name may take in place of its own (`take_rows`)."""

    part: Deflated
    first_row: int | None
    last_row: int
    first_col: int
    last_col: int


class RowsSheet(Worksheet):
    """A worksheet of a streamed workbook whose cells are written as XML into a row file.

    Made by `RowsWorkbook.add_worksheet`. Rows arrive in order, as in constant-memory mode; a
    cell written again in the row being written replaces the earlier one. Everything that is
    not a cell (widths, merges' ranges, filters, print setup, charts) is xlsxwriter's own.
    """

    def start_rows(self, path: Path) -> None:
        """Begin the sheet's row file at `path`."""
        self.rows: DeflatedStream = DeflatedStream(path)
        """The sheet's rows, as deflated XML (the splice reads them from its file)."""
        self._taken: Deflated | None = None  # rows written elsewhere, taken in place of these
        self._styles: dict[Format, str] = {}  # format (hashed by identity) -> its s attribute
        self._points = array("d")  # each row's height in points (0: the default), for charts
        self._charts: list[tuple[int, Any, dict[str, Any]]] = []  # top row, chart, options
        self._merges: list[tuple[int, int, int, int, Format | None]] = []
        self._column_formats: dict[int, Format] = {}
        self._pending: list[str] = []
        # Short texts (a group's name, a status, a Ref) are written again and again: their
        # cells' XML but for the reference, by text, then by format.
        self._remembered: dict[str, dict[Format, str]] = {}
        self._remembered_count = 0
        self._remembering = True
        self._pending_rows = 0
        self._row = -1  # the row being written; -1 before the first
        self._row_label = "0"
        self._cells: list[str] = []  # the row's cells' XML, as written
        self._cols: list[int] = []  # and their columns
        self._in_order = True
        self._last_col = -1
        self._height: str = ""
        self._heights: dict[int, str] = {}  # rows below the current one given a height
        self.first_row: int | None = None
        self.last_row = -1
        self.first_col = _LAST_COL
        self.last_col = -1

    # --- cells -------------------------------------------------------------------------------

    def write_string(self, row: int, col: int, string: str,
                     cell_format: Format | None = None) -> Literal[0, -1, -2]:
        """Write text, as xlsxwriter's `write_string` does (cut at Excel's limit, then -2)."""
        code: Literal[0, -2] = 0
        if len(string) > _PLAIN_MAX_CHARS and _utf16_len(string) > _MAX_CHARS:
            string, code = _utf16_cut(string, _MAX_CHARS), -2
        if self._cell(row, col, cell_format, ' t="inlineStr">' + inline_text(string) + "</c>"):
            return -1
        return code

    def write_row_cells(self, row: int, values: Sequence[CellValue], formats: Sequence[Format],
                        per_line: Sequence[int], styles: Styles) -> int:
        """`xlsx_sheet.write_cells`' row: its plain text cells (nearly all) written here, each
        other cell by `write_value`, and the row made as tall as its tallest text (as
        `write_cells` does through `set_row`); returns the lines that text takes.

        A plain text cell is a string that `write_value` would give `write_string` as it is
        (or, holding two escape-like texts that share an underscore, `write_text` as runs that
        show the same): printable once `clean` has taken out what it takes out, within a cell's
        limit, not led by a formula's sign nor by '<'. It is written as `write_string` writes it (with nothing
        to look for but &, < and >, unless it holds "_x" or starts or ends with white space) and
        counted in lines as `write_value` counts it. Nearly every cell of a large run is one:
        written here, its row costs one Python call, not one per cell (12% fewer instructions
        for a Tasks row). The tests write the same rows through xlsxwriter with `write_value`
        alone and compare."""
        if row < self._row or not 0 <= row < _ROWS or len(values) > _NAMED_COLUMNS:
            return write_each_cell(self, styles, row, values, formats, per_line)
        if row != self._row:
            self._move_to(row)
        label, known, cells, cols = self._row_label, self._styles, self._cells, self._cols
        remembered, grid_only = self._remembered, styles.grid_only
        last, lines = self._last_col, 1
        for col, value in enumerate(values):
            if value.__class__ is str and value:
                fmt = formats[col]
                written_before = remembered.get(value)
                # A short text written before in this format: its cell's XML but the reference.
                after = written_before.get(fmt) if written_before is not None else None
                printable = True  # what is remembered was printable
                if after is None:
                    printable = value.isprintable()
                    if not printable:
                        value = clean_unprintable(value)
                    if (value and len(value) <= _PLAIN_MAX_CHARS
                            and (first := value[0]) not in _WRITTEN_APART and fmt is not None):
                        style = known.get(fmt) or self._style(fmt)
                        if "_x" in value or first.isspace() or value[-1].isspace():
                            after = f'{style} t="inlineStr">{inline_text(value)}</c>'
                        elif "&" in value or "<" in value or ">" in value:
                            after = f'{style} t="inlineStr"><is><t>{escape_xml(value)}</t></is></c>'
                        else:
                            after = f'{style} t="inlineStr"><is><t>{value}</t></is></c>'
                        if printable and len(value) <= REMEMBERED_CHARS and self._remembering:
                            self._remember(value, fmt, after)
                if after is not None:
                    width = per_line[col]
                    if width and (not printable or len(value) > width):
                        taken = text_lines(value, width)
                        if taken > lines:
                            lines = taken
                    if col <= last:
                        self._in_order = False
                    last = col
                    cols.append(col)
                    cells.append(f'<c r="{_COLUMN_NAMES[col]}{label}"{after}')
                    continue
            elif (value is None or value == "") and id(formats[col]) in grid_only:
                continue  # as `write_value` leaves it: blank, drawn by the sheet's grid rule
            self._last_col = last
            taken = write_value(self, styles, row, col, value, formats[col], per_line[col])
            if taken > lines:
                lines = taken
            last = self._last_col
        self._last_col = last
        if lines > 1:  # what `set_row` does for the row being written, without its checks
            self._height, points = _tall(lines)
            self._note_points(row, points)
        return lines

    def _remember(self, text: str, fmt: Format, after: str) -> None:
        """Keep a short text's cell XML in its format (all but the reference), up to
        `REMEMBERED_CELLS` of them a sheet."""
        self._remembered.setdefault(text, {})[fmt] = after
        self._remembered_count += 1
        if self._remembered_count >= REMEMBERED_CELLS:
            self._remembering = False

    def write_rich_string(self, row: int, col: int,
                          *args: Any) -> Literal[0, -1, -2, -3, -4, -5]:
        """Rich text written as its plain text in the cell's format (the last argument, when a
        format): the runs' formats are those of the cell in every use of ours."""
        cell_format = args[-1] if args and isinstance(args[-1], Format) else None
        text = "".join(part for part in args if isinstance(part, str))
        return self.write_string(row, col, text, cell_format)

    def write_number(self, row: int, col: int, number: Any,
                     cell_format: Format | None = None) -> Literal[0, -1]:
        """Write a number, in xlsxwriter's notation (`.16G`); like xlsxwriter, not NaN or infinity."""
        if isnan(number) or isinf(number):
            raise TypeError("NAN/INF not supported in write_number()")
        if self._cell(row, col, cell_format, f"><v>{number:.16G}</v></c>"):
            return -1
        return 0

    def write_boolean(self, row: int, col: int, boolean: bool,
                      cell_format: Format | None = None) -> Literal[0, -1]:
        """Write TRUE or FALSE."""
        if self._cell(row, col, cell_format, f' t="b"><v>{1 if boolean else 0}</v></c>'):
            return -1
        return 0

    def write_blank(self, row: int, col: int, blank: Any,
                    cell_format: Format | None = None) -> Literal[0, -1]:
        """A blank cell with a format (without one, nothing is written, as in xlsxwriter)."""
        if cell_format is None:
            return 0
        if self._cell(row, col, cell_format, "/>"):
            return -1
        return 0

    def set_row(self, row: int, height: float | None = None,
                cell_format: Format | None = None,
                options: dict[str, Any] | None = None) -> Literal[0, -1]:
        """A row's height (the only row property our sheets set); a row already written is left
        as it is, as in constant-memory mode."""
        if cell_format is not None or options:
            raise ValueError("a streamed sheet's rows take only a height")
        if not 0 <= row < _ROWS:
            return -1
        if row < self._row:
            return 0
        attributes = row_points_attributes(height) if height is not None else ""
        if row == self._row:
            self._height = attributes
        else:
            self._heights[row] = attributes
        self._note_points(row, height or 0.0)
        return 0

    def _note_points(self, row: int, height: float) -> None:
        points = self._points
        if row >= len(points):  # 0.0 (8 zero bytes) a row: at least doubled, not a row at a time
            points.frombytes(bytes(8 * (row + 1)))
        points[row] = height

    def write_row_copy(self, row: int, source: RowsSheet) -> bool:
        """Write as `row` a copy of the row `source` is writing: its cells, in their formats, and
        its height when it has one. False, with nothing written, where it cannot be copied
        (`row` already begun or passed, or out of the sheet; `source`'s cells not in column
        order): write the row's cells as usual then.

        The Exceptions sheet's rows are the Tasks sheet's amber and red ones: copied, each cell
        costs a slice instead of its text's checks and escaping."""
        if (row <= self._row or not 0 <= row < _ROWS or source._row < 0 or not source._in_order
                or source._cells is self._cells):
            return False
        self._move_to(row)
        # A cell's XML begins '<c r="', its column's letters, its row's number and '"': the
        # first place that number and quote are found, as nothing before them is a digit.
        theirs, ours = source._row_label + '"', self._row_label + '"'
        self._cells = [cell.replace(theirs, ours, 1) for cell in source._cells]
        self._cols = list(source._cols)
        self._last_col = source._last_col
        if source._height:  # as `write_cells` sets it: only a row taller than one line
            self._height = source._height
            self._note_points(row, source._points[source._row])
        return True

    def set_column(self, first_col: int, last_col: int,
                   width: float | None = None, cell_format: Format | None = None,
                   options: dict[str, Any] | None = None) -> int:
        """xlsxwriter's `set_column`; the format is also what a cell written without one takes."""
        code = super().set_column(first_col, last_col, width, cell_format, options)
        if code == 0 and cell_format is not None:
            for col in range(first_col, last_col + 1):
                self._column_formats[col] = cell_format
        return code

    def insert_chart(self, row: int, col: int, chart: Any,
                     options: dict[str, Any] | None = None) -> Literal[0, -1, -2]:
        """xlsxwriter's `insert_chart`. xlsxwriter places a chart by the heights of the rows it
        covers: they are given to it when the rows are finished."""
        self._charts.append((row, chart, dict(options or {})))
        return super().insert_chart(row, col, chart, options)

    def _last_row_charted(self) -> int:
        """The last row a chart covers (-1: no chart). A chart covers rows from its top row until
        their heights in pixels add up to its own (a row given none has Excel's default, 20
        pixels); its size may be set after it is inserted, so it is read when the rows end. A
        chart whose height is not a number is taken to cover every row."""
        last = -1
        points = self._points
        for top, chart, options in self._charts:
            height = getattr(chart, "height", None)
            if not isinstance(height, int | float):
                return _ROWS - 1
            left = height * options.get("y_scale", 1) + options.get("y_offset", 0)
            row = top
            while left > 0 and row < _ROWS:
                given = points[row] if row < len(points) else 0.0
                left -= int(given * 4.0 / 3.0 + 0.5) if given else _DEFAULT_ROW_PIXELS  # xlsxwriter's pixels
                row += 1
            last = max(last, row)
        return last

    def merge_range(self, first_row: int, first_col: int, last_row: int, last_col: int,
                    data: Any, cell_format: Format | None = None) -> int:
        """Merge a range: its cells (the first with `data`, the rest blank in the format) are
        written here, and the range is given to xlsxwriter when the rows are finished (xlsxwriter
        writes cells of its own for it, which the splice leaves out, and would take no row
        height after them)."""
        first_row, last_row = sorted((first_row, last_row))
        first_col, last_col = sorted((first_col, last_col))
        if (first_row, first_col) == (last_row, last_col) or not (
                0 <= first_row and last_row < _ROWS and 0 <= first_col and last_col <= _LAST_COL):
            return -1
        for row in range(first_row, last_row + 1):
            for col in range(first_col, last_col + 1):
                if self.write_blank(row, col, None, cell_format):
                    return -1
        if data is not None and data != "":
            code = (self.write_string(first_row, first_col, data, cell_format)
                    if isinstance(data, str) else
                    self.write_number(first_row, first_col, data, cell_format))
            if code:
                return code
        self._merges.append((first_row, first_col, last_row, last_col, cell_format))
        return 0

    def _cell(self, row: int, col: int, cell_format: Format | None, rest: str) -> bool:
        """Add a cell's XML to its row; True when it cannot be written there."""
        if row != self._row:
            if row < self._row or not 0 <= row < _ROWS:
                return True
            self._move_to(row)
        if not 0 <= col <= _LAST_COL:
            return True
        if cell_format is None:
            cell_format = self._column_formats.get(col)
        if cell_format is None:
            style = ""
        else:
            style = self._styles.get(cell_format) or self._style(cell_format)
        if col <= self._last_col:
            self._in_order = False
        self._last_col = col
        self._cols.append(col)
        self._cells.append(f'<c r="{_column_name(col)}{self._row_label}"{style}{rest}')
        return False

    def _style(self, cell_format: Format) -> str:
        """A cell's s attribute for its format (remembered by the format's id: the formats live
        as long as the workbook)."""
        style = self._styles[cell_format] = f' s="{cell_format.xf_index}"'
        return style

    def _move_to(self, row: int) -> None:
        """End the row being written and start `row`, after any rows between given only a height."""
        self._end_row()
        if self._heights:
            for empty in sorted(r for r in self._heights if r < row):
                self._pending.append(f'<row r="{empty + 1}"{self._heights.pop(empty)}/>')
        self._row, self._row_label = row, str(row + 1)
        self._height = self._heights.pop(row, "")

    def _end_row(self) -> None:
        """Put the row being written into the next block of the file."""
        cells = self._cells
        if cells:
            cols = self._cols
            if not self._in_order:  # a cell written again replaces the first; then by column
                by_col = dict(zip(cols, cells, strict=True))
                cols = sorted(by_col)
                cells = [by_col[col] for col in cols]
            row = self._row
            self._pending.append(f'<row r="{self._row_label}"{self._height}>{"".join(cells)}</row>')
            if self.first_row is None:
                self.first_row = row
            self.last_row = row
            if cols[0] < self.first_col:
                self.first_col = cols[0]
            if cols[-1] > self.last_col:
                self.last_col = cols[-1]
            self._cells, self._cols, self._in_order, self._last_col = [], [], True, -1
        elif self._height:
            self._pending.append(f'<row r="{self._row + 1}"{self._height}/>')
        self._height = ""
        self._pending_rows += 1
        if self._pending_rows >= _ROWS_PER_BLOCK:
            self._write_block()

    def _write_block(self) -> None:
        if self._pending:
            self.rows.write("".join(self._pending).encode())
        self._pending, self._pending_rows = [], 0

    def finish_rows(self) -> None:
        """Write the last rows and close the row file; give xlsxwriter the merged ranges, and
        the heights of the rows a chart covers (and those above it), by which it places it."""
        for row, height in enumerate(self._points[:self._last_row_charted() + 1]):
            if height:
                super().set_row(row, height)
        for first_row, first_col, last_row, last_col, cell_format in self._merges:
            if super().merge_range(first_row, first_col, last_row, last_col, "", cell_format):
                raise ValueError(f"sheet '{self.name}' could not merge its cells")
        self._remembered, self._remembering = {}, False
        if self._taken is not None:
            if self._cells or self._pending:
                raise ValueError(f"sheet '{self.name}' was written into after taking its rows")
            return
        self._end_row()
        for row in sorted(self._heights):
            self._pending.append(f'<row r="{row + 1}"{self._heights.pop(row)}/>')
        self._write_block()
        self.close_rows()

    def close_rows(self) -> None:
        """Wait for the rows to be deflated into their file, and close it."""
        self.rows.close()

    def deflated_rows(self) -> Deflated:
        """The sheet's rows as deflated once `finish_rows` is done: its own, or those it took."""
        return self._taken if self._taken is not None else self.rows.deflated()

    def written_rows(self) -> WrittenRows:
        """Every row of the finished sheet (`finish_rows`), for a sheet of the same name in another
        workbook to take: the same rows in a workbook whose formats have the same indexes."""
        return WrittenRows(self.rows.deflated(), self.first_row, self.last_row, self.first_col,
                           self.last_col)

    def take_rows(self, written: WrittenRows) -> None:
        """Have the rows another workbook's sheet wrote (`written_rows`) in place of every row
        written here, which are let go of; nothing more may be written into this sheet's rows.
        The other workbook's formats must have the indexes this one's have: its cells' formats
        are named by index."""
        self.rows.close()
        self.rows.path.unlink(missing_ok=True)
        self._taken = written.part
        self._cells, self._cols, self._pending, self._heights = [], [], [], {}
        self.first_row, self.last_row = written.first_row, written.last_row
        self.first_col, self.last_col = written.first_col, written.last_col

    @property
    def dimension(self) -> str:
        """The sheet's used range, as its `<dimension>` element gives it (A1 when empty)."""
        if self.first_row is None:
            return "A1"
        first = f"{xl_col_to_name(self.first_col)}{self.first_row + 1}"
        last = f"{xl_col_to_name(self.last_col)}{self.last_row + 1}"
        return first if first == last else f"{first}:{last}"


class RowsWorkbook(Workbook):
    """A constant-memory workbook whose worksheets are `RowsSheet`s; `close` writes the package
    through xlsxwriter into `scratch` and then splices the sheets' rows into it at `path`."""

    def __init__(self, path: Path, scratch: Path, options: dict[str, Any]) -> None:
        self._next_xf_index = 1  # 0 is the default format's (set by xlsxwriter when made)
        super().__init__(str(scratch / "unspliced.xlsx"),
                         {**options, "constant_memory": True, "in_memory": False, "tmpdir": scratch})
        self.target = path
        self.scratch = scratch
        self.rows_sheets: list[RowsSheet] = []

    def add_format(self, properties: dict[str, Any] | None = None) -> Format:
        """xlsxwriter's format, given its index among the cell formats now, in the order made."""
        cell_format = super().add_format(properties)
        if cell_format.xf_index is None:
            cell_format.set_xf_index(self._next_xf_index)
            self._next_xf_index += 1
        return cell_format

    def add_worksheet(self, name: str | None = None,
                      worksheet_class: Any = None) -> Worksheet:
        """A `RowsSheet` with its row file in the scratch folder, unless another class is asked
        for (a plain `Worksheet` for a sheet with a chart)."""
        sheet = super().add_worksheet(name, worksheet_class or RowsSheet)
        if isinstance(sheet, RowsSheet):
            sheet.start_rows(self.scratch / f"rows-{len(self.rows_sheets) + 1}.xml")
            self.rows_sheets.append(sheet)
        return sheet

    def close(self) -> None:
        """Write the workbook whole to its path."""
        from pipeline.report.xlsx_splice import splice_rows

        for sheet in self.rows_sheets:
            sheet.finish_rows()
        super().close()
        splice_rows(Path(self.filename), self.target, self.rows_sheets)

    def give_up(self) -> None:
        """Close the sheets' row files without writing the workbook (what failed is raised by
        the caller, not a failure to close them)."""
        for sheet in self.rows_sheets:
            with contextlib.suppress(Exception):
                sheet.close_rows()


_NAMED_COLUMNS = 64
_COLUMN_NAMES = [xl_col_to_name(col) for col in range(_NAMED_COLUMNS)]


def _column_name(col: int) -> str:
    return _COLUMN_NAMES[col] if col < _NAMED_COLUMNS else xl_col_to_name(col)


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _utf16_cut(text: str, units: int) -> str:
    taken = 0
    for index, ch in enumerate(text):
        taken += 2 if ord(ch) > 0xFFFF else 1
        if taken > units:
            return text[:index]
    return text
