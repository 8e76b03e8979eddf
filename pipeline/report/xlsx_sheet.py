"""Writing cells and table-like sheets with xlsxwriter, checking every return code.

One row writer serves both workbook modes: in constant_memory mode rows must arrive in order
and a sheet cannot hold an Excel table, so `TableSheet` writes strictly row by row and ends
with either a table or a plain autofilter.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.report.errors import ReportError
from pipeline.report.text import EXCEL_CELL_CHARS, FORMULA_LEADS, clean, fit_cell
from pipeline.report.xlsx_styles import Styles

if TYPE_CHECKING:
    from pipeline.report.xlsx_rows import WrittenRows

CellValue = str | int | float | None

#: Height in points of one line of Arial 10 in Excel, and the tallest row Excel allows.
LINE_POINTS = 12.75
MAX_ROW_POINTS = 409
#: Characters of prose per unit of column width: a unit is one digit '0', and letters and
#: spaces average narrower (about 1.2 measured in LibreOffice; a little less to be safe).
CHARS_PER_WIDTH = 1.1
A4, A3 = 9, 8
_FORMULA_LEAD_CHARS = "".join(FORMULA_LEADS)

_CODES = {
    -1: "cell outside the sheet, or a row written out of order in constant-memory mode",
    -2: "text or option rejected",
    -3: "table not allowed in constant-memory mode",
    -4: "table overlaps another table",
}


@dataclass(frozen=True)
class Column:
    """A column of a table-like sheet: its header, its width in characters, its default style."""

    header: str
    width: float
    style: str = "text"

    @property
    def wraps(self) -> bool:
        """True when the column's text wraps, so a long value makes its row taller."""
        return self.style != "plain"


def check(code: int | None, sheet: Worksheet, what: str) -> None:
    """Raise ReportError when an xlsxwriter call reports failure by its return code."""
    if code is not None and code < 0:
        reason = _CODES.get(code, "unexpected failure")
        raise ReportError(f"Could not write {what} on sheet '{sheet.name}': {reason} (code {code}).")


def write_text(sheet: Worksheet, row: int, col: int, text: str, fmt: Format | None) -> int | None:
    """Write text into a cell exactly as it is; xlsxwriter's return code.

    xlsxwriter takes text that starts with ``<r>`` and ends with ``</r>`` for rich-text XML of its
    own making and writes it into the file unescaped: a group's "<r>Fish & chips</r>" would leave
    the whole workbook unreadable. Such text is written as two runs of plain text in the cell's
    format instead, which xlsxwriter escapes, and reads back the same.

    Text that Excel reads as an escaped character ("_x0041_") xlsxwriter escapes by escaping its
    underscore, but only the first of two that share one: "_x005F_x0041_" read as "_x005FA".
    Such text is written as runs too.
    """
    shaped_rich = text.startswith("<r>") and text.endswith("</r>")
    if not shaped_rich and not ("_x" in text and _ESCAPES_SHARING.search(text)):
        return sheet.write_string(row, col, text, fmt)
    # A run holding what Excel reads as an escaped character ("_x0041_") is escaped twice by
    # xlsxwriter's rich strings ("_x005F_x005F_x0041_", shown as "_x005F_x0041_"): each such
    # text is cut after its "_x", so no run holds one and each shows as it is written.
    pieces = ["<", *_ESCAPE_LIKE_START.split(text[1:])] if shaped_rich else _ESCAPE_LIKE_START.split(text)
    runs: list[str | Format] = list(pieces) if fmt is None else [
        part for piece in pieces for part in (fmt, piece)] + [fmt]
    return sheet.write_rich_string(row, col, *runs)


#: Where a text holds what Excel reads as an escaped character (``_x0041_``): just after its "_x".
_ESCAPE_LIKE_START = re.compile(r"(?<=_x)(?=[0-9a-fA-F]{4}_)")
#: Two texts that Excel reads as escaped characters sharing an underscore ("_x005F_x0041_").
_ESCAPES_SHARING = re.compile(r"_x[0-9a-fA-F]{4}_x[0-9a-fA-F]{4}_")


def put(sheet: Worksheet, styles: Styles, row: int, col: int, value: CellValue, style: str) -> None:
    """Write one value: text always as text, numbers as numbers, None and NaN as a blank cell."""
    put_clean(sheet, styles, row, col, fit_cell(clean(value)) if isinstance(value, str) else value, style)


def put_clean(sheet: Worksheet, styles: Styles, row: int, col: int, value: CellValue, style: str) -> None:
    """`put` for a value whose text is already cleaned and fitted to a cell."""
    if isinstance(value, str) and value:
        code = write_text(sheet, row, col, value, styles.get(style, quoted=value.startswith(FORMULA_LEADS)))
    elif value is None or value == "" or (isinstance(value, float) and not math.isfinite(value)):
        # Blank rather than "": to Excel an empty string is a value that filters and COUNTA see.
        code = sheet.write_blank(row, col, None, styles.get(style))
    elif isinstance(value, bool):
        code = sheet.write_boolean(row, col, value, styles.get(style))
    else:
        code = sheet.write_number(row, col, value, styles.get(style))
    if code:  # the cell's name is worked out only for the message
        check(code, sheet, f"cell {xl_rowcol_to_cell(row, col)}")


def unique_headers(headers: Sequence[str]) -> list[str]:
    """Headers made unique ignoring case, as an Excel table requires, by numbering repeats."""
    seen: set[str] = set()
    result = []
    for header in headers:
        name, n = header or "Column", 1
        while name.casefold() in seen:
            n += 1
            name = f"{header} ({n})"
        seen.add(name.casefold())
        result.append(name)
    return result


def row_height(values: Sequence[CellValue], widths: Sequence[float | None]) -> float | None:
    """The height a row of wrapped text needs, or None when one line is enough.

    Set explicitly because LibreOffice (and Excel, until a cell is edited) keeps rows one line
    high, which hides everything after a cell's first line.
    """
    most = 1
    for value, width in zip(values, widths, strict=True):
        if width is None or not isinstance(value, str) or not value:
            continue
        per_line = max(1, int(width * CHARS_PER_WIDTH))
        if len(value) <= per_line and value.isprintable():
            continue  # one line that fits: the common case, with nothing to count
        most = max(most, text_lines(clean(value), per_line))
    return points_of(most)


def points_of(lines: int) -> float | None:
    return None if lines == 1 else min(MAX_ROW_POINTS, lines * LINE_POINTS + 2)


def chars_per_line(widths: Sequence[float | None]) -> list[int]:
    """Characters of prose a line holds in each column of these widths (0: the column does not
    wrap), as `write_cells` takes them."""
    return [max(1, int(width * CHARS_PER_WIDTH)) if width else 0 for width in widths]


def write_cells(
    sheet: Worksheet,
    styles: Styles,
    row: int,
    values: Sequence[CellValue],
    formats: Sequence[Format],
    per_line: Sequence[int],
) -> None:
    """Write a row of cells, each in its format, and make the row tall enough for its wrapped text.

    A blank cell whose format shows nothing but the grid is not written at all (a quarter of the
    cells of a large run): the caller draws the grid over the range with `draw_grid`.

    The inner loop of every long sheet. Each cell is written by `write_value`; a streamed
    workbook's `RowsSheet` writes the row itself (`write_row_cells`), the plain text of nearly
    every cell straight into its row's XML and any other cell by `write_value`.
    """
    write_row_cells = getattr(sheet, "write_row_cells", None)
    if write_row_cells is not None:
        write_row_cells(row, values, formats, per_line, styles)  # the row's height with it
    else:
        write_each_cell(sheet, styles, row, values, formats, per_line)


def write_each_cell(sheet: Worksheet, styles: Styles, row: int, values: Sequence[CellValue],
                    formats: Sequence[Format], per_line: Sequence[int]) -> int:
    """`write_cells`' row, each cell by `write_value`, the row made as tall as its tallest text;
    returns the lines that text takes."""
    lines = 1
    for col, value in enumerate(values):
        taken = write_value(sheet, styles, row, col, value, formats[col], per_line[col])
        if taken > lines:
            lines = taken
    if lines > 1:
        # After the row's cells: in constant-memory mode a row is written out only when the
        # next one starts, so its height can still be set.
        check(sheet.set_row(row, points_of(lines)), sheet, "row height")
    return lines


def write_value(sheet: Worksheet, styles: Styles, row: int, col: int, value: CellValue,
                fmt: Format, per_line: int) -> int:
    """Write one cell of `write_cells`' row in its format; returns the lines its text takes in a
    column `per_line` characters wide (0: the column does not wrap).

    Text is checked for what cannot go into a cell with `str.isprintable` (true of nearly every
    cell: text from a return was made safe when it was read, but a register's names, an
    officer's explanations and the history were not), cut only when it is over Excel's limit,
    and counted in lines only when it is longer than its column is wide or holds a line break.
    """
    lines = 1
    if isinstance(value, str) and value:
        printable = value.isprintable()
        if not printable:  # a line break or a tab, or something to take out
            value = clean(value)
            if not value:
                if id(fmt) not in styles.grid_only:
                    check(sheet.write_blank(row, col, None, fmt), sheet,
                          f"cell {xl_rowcol_to_cell(row, col)}")
                return lines
        if len(value) > EXCEL_CELL_CHARS:
            value = fit_cell(value)
        if per_line and (not printable or len(value) > per_line):
            lines = text_lines(value, per_line)
        first = value[0]
        if first in _FORMULA_LEAD_CHARS:
            fmt = styles.quoted(fmt)
        if first == "<" or "_x" in value:  # only such text can be what `write_text` guards against
            code = write_text(sheet, row, col, value, fmt)
        else:
            code = sheet.write_string(row, col, value, fmt)
    elif value is None or value == "" or (isinstance(value, float) and not math.isfinite(value)):
        # Blank rather than "": to Excel an empty string is a value that filters and COUNTA see.
        if id(fmt) in styles.grid_only:
            return lines  # nothing to see but the grid, which the sheet's grid rule draws
        code = sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        code = sheet.write_boolean(row, col, value, fmt)
    else:
        code = sheet.write_number(row, col, value, fmt)
    if code:  # the cell's name is worked out only for the message
        check(code, sheet, f"cell {xl_rowcol_to_cell(row, col)}")
    return lines


def draw_grid(sheet: Worksheet, styles: Styles, first_row: int, first_col: int, last_row: int,
              last_col: int) -> None:
    """The grid's border on the blank cells of a range written by `write_cells`: one conditional
    format, drawn by Excel and LibreOffice alike, instead of a written cell each."""
    if last_row >= first_row:
        check(sheet.conditional_format(first_row, first_col, last_row, last_col, styles.grid_rule()),
              sheet, "grid")


@lru_cache(maxsize=65_536)
def text_lines(value: str, per_line: int) -> int:
    """Lines a cell's (clean) text takes in a column `per_line` characters wide. Cached: the
    Tasks, Exceptions and Trend sheets hold the same texts."""
    return sum(wrapped_lines(line, per_line) for line in value.split("\n"))


@lru_cache(maxsize=65_536)
def wrapped_lines(line: str, per_line: int) -> int:
    """Lines one line of text takes in a column `per_line` characters wide (at least one).

    Wrapped word by word as Excel does: a narrow column loses much of each line's end. Cached,
    as the Tasks and Exceptions sheets wrap the same texts.
    """
    if len(line) <= per_line and "\t" not in line:
        return 1  # textwrap would give it one line (none when blank): it fits
    if per_line >= 1 and not _WRAPPED_APART.search(line):
        return _lines_of_words(line, per_line) or 1
    return len(textwrap.wrap(line, per_line)) or 1


#: What makes textwrap cut a line other than at its spaces (a hyphen), or change it first
#: (white space other than a space).
_WRAPPED_APART = re.compile("[-\t\n\r\x0b\x0c]")
_SPACE_RUNS = re.compile("( +)")


def _lines_of_words(line: str, per_line: int) -> int:
    """How many lines `textwrap.wrap(line, per_line)` makes of a line with no hyphen and no white
    space but spaces, counted without making them: textwrap's own greedy filling
    (`TextWrapper._wrap_chunks`, white space dropped at the ends of lines, a word longer than
    a line broken) over the line's words and runs of spaces, which are the chunks textwrap's
    regular expression finds in such a line. Nineteen lines in twenty of the bench's long
    lines are such lines; counting them so takes 4% off the master workbook's instructions.
    The tests hold this to textwrap."""
    chunks = [chunk for chunk in _SPACE_RUNS.split(line) if chunk]
    chunks.reverse()
    count = 0
    while chunks:
        if count and not chunks[-1].strip():
            chunks.pop()
        taken: list[str] = []
        length = 0
        while chunks and length + len(chunks[-1]) <= per_line:
            length += len(chunks[-1])
            taken.append(chunks.pop())
        if chunks and len(chunks[-1]) > per_line:  # a word longer than a line: broken
            word = chunks[-1]
            taken.append(word[:per_line - length])
            chunks[-1] = word[per_line - length:]
        if taken and not taken[-1].strip():
            taken.pop()
        if taken:
            count += 1
    return count


def setup_print(
    sheet: Worksheet,
    *,
    title: str,
    repeat_header: bool = True,
    paper: int = A4,
) -> None:
    """Landscape, one page wide, header row on every page, page numbers in the footer."""
    sheet.set_landscape()
    sheet.set_paper(paper)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.fit_to_pages(1, 0)
    if repeat_header:
        sheet.repeat_rows(0)
    sheet.set_header(f"&L&\"Arial,Bold\"&A&R{_header_text(title)}")
    sheet.set_footer("&CPage &P of &N")


def _header_text(text: str) -> str:
    # "&" starts a control code in Excel's header syntax.
    return clean(text).replace("&", "&&").replace("\n", " ")[:200]


class TableSheet:
    """A sheet that is one table: header in row 1, frozen, filterable, rows written in order."""

    def __init__(
        self,
        book: Workbook,
        styles: Styles,
        name: str,
        columns: Sequence[Column],
        *,
        title: str,
        as_table: bool,
        paper: int = A4,
        print_columns: int | None = None,
    ) -> None:
        self.sheet = book.add_worksheet(name)
        self.styles = styles
        self.columns = list(columns)
        self._per_line = chars_per_line([c.width if c.wraps else None for c in self.columns])
        self._formats = [styles.get(c.style) for c in self.columns]
        self._looks: dict[tuple[tuple[int, str | None], ...], list[Format]] = {}
        self.headers = unique_headers([c.header for c in columns])
        self.as_table = as_table
        self.next_row = 1
        self.rows_written = 0
        """Data rows written (not the header, nor the note an empty sheet gets)."""
        for col, column in enumerate(self.columns):
            check(self.sheet.set_column(col, col, column.width, styles.column_default(column.style)),
                  self.sheet, "column width")
        for col, header in enumerate(self.headers):
            put(self.sheet, styles, 0, col, header, "header")
        # A heading wider than its column wraps; the row must grow or its second line is hidden.
        height = row_height(self.headers, [c.width for c in self.columns])
        if height is not None:
            check(self.sheet.set_row(0, height), self.sheet, "header row height")
        self.sheet.freeze_panes(1, 0)
        self.print_columns = print_columns
        setup_print(self.sheet, title=title, paper=paper)

    def write_row(
        self, values: Sequence[CellValue], styles: Mapping[int, str | None] | None = None
    ) -> None:
        """Write the next row; `styles` overrides the column's style for some cells."""
        if len(values) != len(self.columns):
            raise ValueError(f"{len(values)} values for {len(self.columns)} columns")
        formats = self._formats
        if styles:
            # A sheet's rows take a few looks (a status, a severity): each one's formats made once.
            look = tuple(styles.items())
            formats = self._looks.get(look) or self._look(look)
        write_cells(self.sheet, self.styles, self.next_row, values, formats, self._per_line)
        self.next_row += 1
        self.rows_written += 1

    def _look(self, look: tuple[tuple[int, str | None], ...]) -> list[Format]:
        """The column's formats with some cells' styles instead (those not None)."""
        formats = list(self._formats)
        for col, style in look:
            if style is not None:
                formats[col] = self.styles.get(style)
        self._looks[look] = formats
        return formats

    def write_row_of(self, other: TableSheet, values: Sequence[CellValue],
                     styles: Mapping[int, str | None] | None = None) -> None:
        """Write as the next row the row `other` (a sheet of the same columns) has just written
        with `write_row(values, styles)`: copied from it where both sheets are streamed
        (`RowsSheet.write_row_copy`), else written again."""
        copy = getattr(self.sheet, "write_row_copy", None)
        if copy is None or other.columns != self.columns or not copy(self.next_row, other.sheet):
            self.write_row(values, styles)
            return
        self.next_row += 1
        self.rows_written += 1

    def take_rows(self, written: WrittenRows, count: int) -> bool:
        """Take the header and `count` rows another process wrote for this sheet (a streamed
        sheet's `RowsSheet.written_rows`) instead of writing them; False, with nothing taken,
        where this sheet cannot (not streamed, a row written already, no rows, or not `count`)."""
        take = getattr(self.sheet, "take_rows", None)
        if take is None or self.next_row != 1 or not count or written.last_row != count:
            return False
        take(written)
        self.next_row += count
        self.rows_written += count
        return True

    def finish(self, empty_note: str) -> None:
        """Close the table: a note row if it is empty, then an Excel table or an autofilter."""
        if self.next_row == 1:
            # A table needs one data row, and an empty sheet should say why it is empty.
            self.write_row([empty_note] + [None] * (len(self.columns) - 1), {0: "warning"})
            self.rows_written = 0
        last_row, last_col = self.next_row - 1, len(self.columns) - 1
        draw_grid(self.sheet, self.styles, 1, 0, last_row, last_col)
        if self.print_columns is not None:
            area = self.sheet.print_area(0, 0, last_row, self.print_columns - 1)
            check(area, self.sheet, "print area")
        if self.as_table:
            options = {
                "name": "tbl" + "".join(ch for ch in self.sheet.name if ch.isalnum()),
                "style": "Table Style Light 1",
                "columns": [
                    {"header": h, "header_format": self.styles.get("header")} for h in self.headers
                ],
            }
            check(self.sheet.add_table(0, 0, last_row, last_col, options), self.sheet, "table")
        else:
            check(self.sheet.autofilter(0, 0, last_row, last_col), self.sheet, "autofilter")
