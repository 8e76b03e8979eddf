"""Reading an Excel return (.xlsx, .xlsm): every sheet becomes one Table of its used range.

The reader does not interpret layouts: title rows, Ref rows and headers stay rows like any other,
with their real row numbers, for the layout interpreter to recognise. What a person might not see
(hidden sheets and rows, formulas with no saved result) is reported, never dropped; intake has
checked the package (`pipeline.intake.package`) and notes its macros.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree.ElementTree import ParseError

from lxml import etree

from pipeline.document import Cell, Place, Row, SourceDocument, Table
from pipeline.intake.package import CheckedPackage, checked
from pipeline.issues import FileRejected, Issue, make_issue
from pipeline.limits import BLANK_ROWS_KEPT, MAX_CELL_CHARS, MAX_CELLS, MAX_COLUMNS, MAX_ROWS
from pipeline.readers.xlsx_cells import FillColours, cell_content
from pipeline.readers.xlsx_fast import SheetData, Unsupported, read_fast
from pipeline.readers.xlsx_looks import SheetLooks, WorkbookLooks, sheet_looks, symbol_text, workbook_looks
from pipeline.readers.xlsx_package import PackageScan, SheetScan, scan_package
from pipeline.readers.xlsx_positions import loaded_positions
from pipeline.readers.xlsx_refs import EXCEL_ROWS, column_letter

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

#: A hidden sheet with one of these as a whole cell holds a task table, not a drop-down list.
_TASK_WORDS = frozenset({"task", "tasks", "target", "targets", "position", "positions",
                         "status", "action", "actions"})

_PROPERTIES = {"title": "title", "creator": "author", "lastModifiedBy": "last_modified_by",
               "modified": "modified"}


def read_xlsx(source: Path | CheckedPackage, name: str, *, fast: bool = True) -> SourceDocument:
    """Read every sheet of an Excel return into a Table block, noting what a reader might miss.

    ``source`` is the package intake checked, or a file, checked first the same way. The sheets
    are read straight from their XML (`xlsx_fast`) unless the workbook holds something that
    reader does not account for, or ``fast`` is False: then through openpyxl.
    """
    with checked(source) as package:
        scan = scan_package(package)
        try:
            styles = workbook_looks(package)
        except FileRejected:
            raise
        except Exception:  # a style we cannot read costs colours only, never the cells
            styles = WorkbookLooks([], [])
        looks = {title: sheet_looks(known.parsed, styles, known.plain)
                 for title, known in scan.sheets.items()}
        workbook = None
        if fast:
            try:
                workbook = read_fast(package, scan)
            except Unsupported:
                workbook = None
        if workbook is not None:
            sheets, core = workbook.sheets, workbook.properties
        else:
            loaded = _load(package.data)
            # The workbook's own indexed palette (when styles.xml redefines it) and theme, as
            # `workbook_looks` read them from the package: openpyxl keeps its palette private.
            colours = styles.colours or FillColours(None, getattr(loaded, "loaded_theme", None))
            sheets = _sheets_data(loaded, scan, colours)
            core = loaded.properties
    document = SourceDocument(file=name, kind="xlsx", blocks=[],
                              properties=_properties(core, scan))
    cells_left = MAX_CELLS  # for the whole file, whatever the number of sheets
    for sheet in sheets:
        known = scan.sheets.get(sheet.title)
        formulas = known.formulas_without_value if known else {}
        read = _SheetReader(sheet, name, formulas, looks.get(sheet.title)).read(cells_left)
        if read.table is not None:
            document.blocks.append(read.table)
            cells_left -= sum(len(row.cells) for row in read.table.rows)
        document.issues.extend(read.issues)
    return document


def _sheets_data(loaded: Workbook, scan: PackageScan,
                 colours: FillColours) -> list[SheetData]:
    """Every worksheet openpyxl loaded, as the reader needs it; each is matched by its name to
    the XML the package scan parsed, which says where its cells are (`xlsx_positions`)."""
    if [sheet.title for sheet in loaded.worksheets] != list(scan.sheets):
        # openpyxl renames a repeated or empty name, and the scan keeps one sheet a name: a
        # sheet must never be read at another's positions.
        raise FileRejected("unreadable-file", reason=(
            "its sheets do not match the parts that hold them (two sheets with the same name, "
            "or a sheet without one)"))
    sheets = []
    for sheet in loaded.worksheets:
        known = scan.sheets[sheet.title]
        sheets.append(_sheet_data(sheet, known, colours))
    return sheets


def _sheet_data(sheet: Worksheet, known: SheetScan, colours: FillColours) -> SheetData:
    """An openpyxl worksheet as the reader needs it: only the cells the file really has (and
    openpyxl's merge continuations, which show nothing), never every cell of the used range
    (which also counts rows holding only a format, and would make a cell for every gap)."""
    from openpyxl.cell.cell import MergedCell

    merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in sheet.merged_cells.ranges]
    if known.root is None:
        raise FileRejected("unreadable-file", reason=f"its sheet '{sheet.title}' cannot be read")
    positions = loaded_positions(known.root, merges, known.comments)
    if positions:
        _check_positions(sheet, positions)
    cells: dict[tuple[int, int], tuple[object, str, str | None]] = {}
    for position in positions:
        cell = sheet.cell(*position)  # the cell openpyxl loaded there
        fill = colours.hex_of(cell.fill) if cell.has_style else None
        if isinstance(cell, MergedCell):
            cells[position] = (None, "General", fill)
        else:
            cells[position] = (cell.value, cell.number_format, fill)
    hidden = {r for r, dimension in sheet.row_dimensions.items() if dimension.hidden}
    return SheetData(sheet.title, sheet.sheet_state, cells, merges, hidden)


def _check_positions(sheet: Worksheet, positions: Iterable[tuple[int, int]]) -> None:
    """Refuse a sheet whose cells `ws.cell` cannot return, or that the XML and openpyxl place
    differently (the first and last row and column of its cells): no cell may be read short."""
    rows = [r for r, _ in positions]
    columns = [c for _, c in positions]
    first_row, last_row, first_column = min(rows), max(rows), min(columns)
    if first_row < 1 or last_row > EXCEL_ROWS or first_column < 1:
        row = first_row if first_row < 1 else last_row
        raise FileRejected("unreadable-file", reason=(
            f"its sheet '{sheet.title}' has a cell in row {row:,}, outside Excel's rows "
            f"(1 to {EXCEL_ROWS:,})"))
    if (first_row, first_column, last_row, max(columns)) != (
            sheet.min_row, sheet.min_column, sheet.max_row, sheet.max_column):
        raise FileRejected("unreadable-file", reason=(
            f"the cells of its sheet '{sheet.title}' cannot all be placed"))


def _load(data: bytes) -> Workbook:
    """Open the workbook with openpyxl, turning its many failure types into one rejection.

    openpyxl is imported here, for the workbooks the fast reader leaves to it: the others are
    read without loading it (about 0.1 s of a run's start)."""
    import openpyxl

    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it drops (extended data validations, unknown
            # extensions); none of them holds cell content, and the CLI output must stay clean.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_vba=False)
    except FileRejected:
        raise
    except Exception as exc:  # openpyxl raises anything from KeyError to TypeError
        raise _rejection(exc) from exc


def _rejection(exc: BaseException) -> FileRejected:
    """Describe an openpyxl failure on a damaged file in words.

    (Intake refused any DOCTYPE before the reader was given the file: no entity is left here.)
    """
    chain: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and link not in chain:
        chain.append(link)
        link = link.__cause__ or link.__context__
    root = chain[-1]
    if isinstance(root, zipfile.BadZipFile):
        reason = "it is not a valid Excel workbook: the file is damaged or is another kind of file"
    elif isinstance(root, KeyError):
        reason = f"a part it needs is missing ({root.args[0] if root.args else 'unknown'})"
    elif isinstance(root, etree.XMLSyntaxError | ParseError):
        reason = f"part of it is damaged XML ({_first_line(root)})"
    else:
        reason = f"its contents are damaged ({type(root).__name__}: {_first_line(root)})"
    return FileRejected("unreadable-file", reason=reason)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "no details"


def _properties(core: object, scan: PackageScan) -> dict[str, str]:
    """Title, author, last editor and modification time, as the file's core properties say."""
    found: dict[str, str] = {}
    for attribute, key in _PROPERTIES.items():
        # openpyxl fills in creator "openpyxl" and modified "now" when the file has none.
        if attribute not in scan.core_fields:
            continue
        value = getattr(core, attribute, None)
        if isinstance(value, datetime):
            value = value.isoformat(timespec="seconds")
        if value:
            found[key] = str(value)
    return found


@dataclass
class _SheetRead:
    table: Table | None
    issues: list[Issue] = field(default_factory=list)


class _SheetReader:
    """Turns one worksheet into a Table of its used range, collecting what it notices."""

    def __init__(self, sheet: SheetData, file: str, formulas: dict[tuple[int, int], str],
                 looks: SheetLooks | None = None) -> None:
        self.sheet = sheet
        self.file = file
        self.title = sheet.title
        self.formulas = formulas
        self.looks = looks or SheetLooks()
        self.issues: list[Issue] = []
        self.hidden_cells: dict[int, list[str]] = {}
        """Hidden column -> the cells in it that hold text, none of which is read."""
        self.plain_rows = True
        """No formula, conditional format, text look or hidden column: `_plain_rows` makes
        the rows (set by `read`)."""
        self.present_rows: set[int] = set()
        """The row of every cell and formula (set by `_bounds`, for `_rows_to_read`)."""

    def place(self, cell: str | None = None) -> Place:
        return _sheet_place(self.file, self.title, cell)

    def read(self, cells_left: int = MAX_CELLS) -> _SheetRead:
        bounds = self._bounds()
        if bounds is None:
            return _SheetRead(None)  # an empty sheet is not a table
        first_row, last_row, last_column = bounds
        marks = self._merge_marks(first_row, last_row, last_column)
        numbers = self._rows_to_read(first_row, last_row, marks)
        if len(numbers) * last_column > cells_left:
            kept = max(0, cells_left // last_column)
            self.issues.append(make_issue(
                "limit-exceeded", self.place(),
                what=f"Sheet '{self.title}' with {len(numbers) * last_column:,} cells to read",
                limit=f"{MAX_CELLS:,} cells in one file"))
            numbers = numbers[:kept]
        looks = self.looks
        # Whether the rows can be made by _plain_rows: worked out once a sheet.
        self.plain_rows = not (self.formulas or looks.rules or looks.inks or looks.hidden_columns)
        if self.plain_rows:
            rows = self._plain_rows(numbers, last_column, marks)
        else:
            rows = [self._row(r, last_column, marks) for r in numbers]
        for column, coordinates in sorted(self.hidden_cells.items()):
            self.issues.append(make_issue(
                "hidden-column", self.place(coordinates[0]), column=_column_letter(column),
                cells=_cell_list(coordinates)))
        if self.sheet.state != "visible":
            if not _has_task_words(rows):
                return _SheetRead(None, [make_issue(
                    "hidden-sheet", self.place(), sheet=self.title,
                    what="it looks like a list for drop-downs and was not read")])
            self.issues.insert(0, make_issue("hidden-sheet", self.place(), sheet=self.title,
                                             what="it was read like the other sheets"))
        return _SheetRead(Table(rows, place=self.place(), title=self.title), self.issues)

    def _bounds(self) -> tuple[int, int, int] | None:
        """First row, last row and last column that hold text, a fill or a formula (a merged
        range whose first cell holds text reaching as far as it does)."""
        # Only the cells the file really has: read-only mode would trust a lying <dimension>.
        cells, formulas = self.sheet.cells, self.formulas
        # Fills alone make no table: some cell must hold text (the first usually does).
        if not formulas and not any(_holds_text(value) for value, _, _ in cells.values()):
            return None
        # The rows and the last column of every cell, each number taken out in C: the used
        # range's bounds are these when a used cell (or a merged range) reaches each, which a
        # few lookups tell (`_reaches`). Asking each cell whether it is used, and taking its
        # row and column apart (a list and zip), cost about 1,700 instructions a cell: 25 M of
        # the 216 M the bench's first 60 Excel returns' sheets took (_plain_rows included).
        rows = self.present_rows = set(map(_ROW, cells))
        last_column = max(map(_COLUMN, cells), default=0)
        if formulas:
            rows.update(map(_ROW, formulas))
            last_column = max(last_column, max(map(_COLUMN, formulas)))
        first_row, last_row = min(rows), max(rows)
        merged_row = merged_column = 0
        for min_row, min_col, max_row, max_col in self.sheet.merges:
            # A merged Ref row is as wide as the table under it, even where the data is narrower.
            if _holds_text(cells.get((min_row, min_col), _NO_CELL)[0]):
                # Compared here, not by max(): a builtin's call costs more than the comparison.
                if max_row > merged_row:
                    merged_row = max_row
                if max_col > merged_column:
                    merged_column = max_col
        if not (self._reaches(((first_row, c) for c in range(1, last_column + 1)), last_column)
                and (merged_row >= last_row or self._reaches(
                    ((last_row, c) for c in range(1, last_column + 1)), last_column))
                and (merged_column >= last_column or self._reaches(
                    ((r, last_column) for r in rows), len(rows)))):
            first_row, last_row, last_column = self._used_bounds()
        if merged_row > last_row:
            last_row = merged_row
        if merged_column > last_column:
            last_column = merged_column
        if last_row - first_row + 1 > MAX_ROWS:
            self.issues.append(make_issue(
                "limit-exceeded", self.place(),
                what=f"Sheet '{self.title}' with {last_row - first_row + 1:,} rows",
                limit=f"{MAX_ROWS:,} rows"))
            last_row = first_row + MAX_ROWS - 1
        if last_column > MAX_COLUMNS:
            self.issues.append(make_issue(
                "limit-exceeded", self.place(),
                what=f"Sheet '{self.title}' with {last_column:,} columns",
                limit=f"{MAX_COLUMNS:,} columns"))
            last_column = MAX_COLUMNS
        return first_row, last_row, last_column

    def _reaches(self, positions: Iterable[tuple[int, int]], count: int) -> bool:
        """Whether one of the `count` `positions` is used: holds text, a fill or a formula.
        False, unasked, past _REACH_ASKED positions (`_used_bounds` then asks every cell)."""
        if count > _REACH_ASKED:
            return False
        cells, formulas = self.sheet.cells, self.formulas
        for position in positions:
            source = cells.get(position)
            if source is not None and (source[2] is not None or _holds_text(source[0])):
                return True
            if position in formulas:
                return True
        return False

    def _used_bounds(self) -> tuple[int, int, int]:
        """First row, last row and last column of the cells that hold text, a fill or a formula,
        each cell asked (`_bounds` when the bounds of all cells are not those of the used)."""
        # One pass over every cell for both (_holds_text written out): a filled cell's text
        # need not be looked at.
        used = [position for position, (value, _, fill) in self.sheet.cells.items()
                if fill is not None
                or (value is not None and not (isinstance(value, str) and not value.strip()))]
        used.extend(self.formulas)
        used_rows, used_columns = zip(*used, strict=True)
        return min(used_rows), max(used_rows), max(used_columns)

    def _rows_to_read(self, first_row: int, last_row: int, marks: dict[int, dict[int, str]]
                      ) -> list[int]:
        """The rows the file really has something in, and the empty rows between them up to
        BLANK_ROWS_KEPT in a row: a cell far below the table never makes thousands of empty rows.
        """
        present = self.present_rows  # each cell's and formula's row (`_bounds`)
        present.update(marks)
        rows = sorted(present)
        if rows and (rows[0] < first_row or rows[-1] > last_row):
            rows = [r for r in rows if first_row <= r <= last_row]
        if rows and rows[-1] - rows[0] + 1 - len(rows) <= BLANK_ROWS_KEPT:
            # No gap longer than BLANK_ROWS_KEPT (the rows missing in all are no more): every
            # row from the first to the last, without the loop below (most sheets).
            return list(range(rows[0], rows[-1] + 1))
        numbers: list[int] = []
        for r in rows:
            if numbers and r > numbers[-1] + 1:
                # A longer gap is shown by its first few rows: blank all the same.
                numbers.extend(range(numbers[-1] + 1, min(r, numbers[-1] + 1 + BLANK_ROWS_KEPT)))
            numbers.append(r)
        return numbers

    def _merge_marks(self, first_row: int, last_row: int, last_column: int
                     ) -> dict[int, dict[int, str]]:
        """``left`` or ``above`` for every merge continuation inside the read range, by row and
        column."""
        marks: dict[int, dict[int, str]] = {}
        # The range's bounds compared here, not by min() and max(), and its first row's first
        # cell passed over by where the loop starts, not by comparing (row, column) pairs made
        # for every cell.
        for min_row, min_col, max_row, max_col in self.sheet.merges:
            right = max_col if max_col < last_column else last_column
            for r in range(min_row if min_row > first_row else first_row,
                           (max_row if max_row < last_row else last_row) + 1):
                row_marks = marks.setdefault(r, {})
                if r == min_row:
                    for c in range(min_col + 1, right + 1):
                        row_marks[c] = "left"
                else:
                    for c in range(min_col, right + 1):
                        row_marks[c] = "above"
                if not row_marks:
                    del marks[r]
        return marks

    def _row(self, r: int, last_column: int, marks: dict[int, dict[int, str]]) -> Row:
        """Row `r` of a sheet whose rows are not all plain, its cells made one by one."""
        first_issue = len(self.issues)
        # self.place("A" + str(r)) written out: two Python calls a row.
        row_place = tuple.__new__(Place, (self.file, None, None, None, None, self.title,
                                          "A" + str(r), None))
        row_marks = marks.get(r)
        cells = [self._cell(r, c, row_marks.get(c) if row_marks else None, row_place)
                 for c in range(1, last_column + 1)]
        hidden = r in self.sheet.hidden_rows
        if hidden:
            cells = self._hidden_row(r, cells, row_place, first_issue)
        return Row(cells, row_place, hidden)  # by position: a keyword costs a dict a row

    def _hidden_row(self, r: int, cells: list[Cell], row_place: Place, first_issue: int
                    ) -> list[Cell]:
        """A hidden row's cells, left blank: it is not current data. It is listed, with its
        cells, before any issue its cells raised (from `first_issue` on)."""
        written = [cell.place.cell or "" for cell in cells if not cell.is_blank]
        if written:
            self.issues.insert(first_issue, make_issue("hidden-row", row_place, row=r,
                                                       cells=_cell_list(written)))
        return [Cell([], cell.place, merged_left=cell.merged_left,
                     merged_above=cell.merged_above) for cell in cells]

    def _plain_rows(self, numbers: list[int], last_column: int,
                    marks: dict[int, dict[int, str]]) -> list[Row]:
        """The rows numbered in `numbers` of a sheet whose rows are all plain: each cell is its
        value and fill alone, or a merge continuation (no formula, conditional format, text
        look or hidden column in the way; most sheets).

        Written out for speed (every cell of most sheets passes here): what `_row` and `_cell`
        make of the same rows and cells, without their checks for what such a sheet cannot
        hold, in one call a sheet (a call a row and another for its cells, and the sheet's
        attributes looked up for each, cost about 3 k instructions a row).
        """
        present, hidden_rows = self.sheet.cells, self.sheet.hidden_rows
        file, title, new, issues = self.file, self.title, tuple.__new__, self.issues
        columns = range(1, last_column + 1)
        rows: list[Row] = []
        named = _ROWS_NAMED
        for r in numbers:
            first_issue = len(issues)
            found = named.get(r)
            coordinates, keys = (found if found is not None and len(found[0]) > last_column
                                 else _row_named(r, last_column))
            # self.place(coordinates[1]) written out, as each cell's below.
            row_place = new(Place, (file, None, None, None, None, title, coordinates[1], None))
            row_marks = marks.get(r)
            cells: list[Cell] = []
            for c in columns:
                coordinate = coordinates[c]
                # _sheet_place(file, title, coordinate) written out: no Python call per cell.
                place = row_place if c == 1 else new(
                    Place, (file, None, None, None, None, title, coordinate, None))
                source = present.get(keys[c])
                mark = row_marks.get(c) if row_marks else None
                if mark is not None:  # shows nothing: the first cell of its range holds the value
                    # Arguments by position here and below: keywords cost a dict a cell (about
                    # 900 instructions) on their way to Cell.__init__.
                    cells.append(Cell([], place, None if source is None else source[2], None,
                                      mark == "left", mark == "above"))
                    continue
                if source is None:
                    cells.append(Cell([], place))
                    continue
                value = source[0]
                if type(value) is str and "_x" not in value and "\r" not in value:
                    # cell_content's answer for plain text, most cells' value, without the call.
                    lines: list[str] = value.split("\n") if value else []
                    # Its lines joined are the value itself: only a long value can need cutting
                    # (a cell of several lines is not looked at twice, as _clipped would).
                    if len(value) > MAX_CELL_CHARS:
                        lines, value = self._clipped(lines, value, place, coordinate)
                else:
                    lines, value = cell_content(value, source[1])
                    if lines and (len(lines) > 1 or len(lines[0]) > MAX_CELL_CHARS):
                        lines, value = self._clipped(lines, value, place, coordinate)
                cells.append(Cell(lines, place, source[2], None, False, False, False, value))
            hidden = r in hidden_rows
            if hidden:
                cells = self._hidden_row(r, cells, row_place, first_issue)
            rows.append(Row(cells, row_place, hidden))  # by position: a keyword costs a dict
        return rows

    def _clipped(self, lines: list[str], value: object, place: Place, coordinate: str
                 ) -> tuple[list[str], object]:
        """The cell's lines and value cut to MAX_CELL_CHARS, the cut noted."""
        length = sum(len(line) for line in lines) + len(lines) - 1
        if length <= MAX_CELL_CHARS:
            return lines, value
        text = "\n".join(lines)[:MAX_CELL_CHARS]
        self.issues.append(make_issue(
            "limit-exceeded", place,
            what=f"The text in cell {coordinate} ({length:,} characters)",
            limit=f"{MAX_CELL_CHARS:,} characters"))
        return text.split("\n"), text if isinstance(value, str) else value

    def _cell(self, r: int, c: int, mark: str | None, row_place: Place) -> Cell:
        coordinate = f"{_column_letter(c)}{r}"
        place = row_place if c == 1 else _sheet_place(self.file, self.title, coordinate)
        source = self.sheet.cells.get((r, c))
        lines: list[str] = []
        value: object = None
        fill = None
        if source is not None:
            if mark is None:
                lines, value = cell_content(source[0], source[1])
            fill = source[2]
        formula = self.formulas.get((r, c)) if self.formulas else None
        if formula is not None:
            lines, value = [], None  # unknown, not empty: reported so nobody reads it as blank
            self.issues.append(make_issue("formula-without-value", place, formula=formula))
        if lines and (len(lines) > 1 or len(lines[0]) > MAX_CELL_CHARS):
            lines, value = self._clipped(lines, value, place, coordinate)
        colour = None
        looks = self.looks
        unread = ""
        if lines and looks.inks:
            look = looks.inks.get((r, c))
            if look is not None:
                colour = look.colour
                if look.text is not None:
                    # Rich text with runs in a symbol font: what is drawn ('l' in Wingdings: ●).
                    lines = look.text.replace("\r\n", "\n").split("\n")
                else:
                    symbols = symbol_text(look, "".join(lines).strip())
                    if symbols:
                        lines = [symbols]  # 'n' in Webdings is drawn as ●
                if look.colours > 1:
                    unread = "text in several colours"
        if looks.rules and mark is None:
            found = looks.conditional(r, c, value, self._value_at)
            fill = None if found.fill_unknown else found.fill or fill
            colour = None if found.colour_unknown else found.colour or colour
            unread = unread or found.unread
        if c in looks.hidden_columns:
            # A hidden column is not current data, and never stands in for a visible one.
            if lines or value is not None:
                self.hidden_cells.setdefault(c, []).append(coordinate)
            return Cell([], place=place, merged_left=mark == "left", merged_above=mark == "above")
        return Cell(lines, place=place, fill=fill, colour=colour,
                    merged_left=mark == "left", merged_above=mark == "above", value=value,
                    unread_look=unread)

    def _value_at(self, r: int, c: int) -> object:
        """Another cell's value, for a conditional format whose rule looks at it."""
        source = self.sheet.cells.get((r, c))
        return None if source is None else source[0]


#: Column letters by number, index 0 unused; grown as wider sheets need them (to MAX_COLUMNS).
_LETTERS: list[str] = [""]
_NO_CELL: tuple[object, str, str | None] = (None, "General", None)
_ROW, _COLUMN = itemgetter(0), itemgetter(1)
#: Most positions `_SheetReader._reaches` asks about (a stray cell far to the right or below
#: would make it ask more than the sheet has cells): past it every cell is asked.
_REACH_ASKED = 256
#: Cells named one by one in a hidden row or column's warning; more are counted.
_CELLS_NAMED = 6


def _cell_list(coordinates: list[str]) -> str:
    named = ", ".join(coordinates[:_CELLS_NAMED])
    more = len(coordinates) - _CELLS_NAMED
    return f"{named} and {more} more" if more > 0 else named


def _sheet_place(file: str, sheet: str, cell: str | None) -> Place:
    """``Place(file, sheet=sheet, cell=cell)``, made as Place's own ``__new__`` makes the named
    tuple (file, table, row, column, paragraph, sheet, cell, page), without its Python call with
    keywords: 1.4 against 3.5 thousand instructions, for every cell and row of every sheet."""
    return tuple.__new__(Place, (file, None, None, None, None, sheet, cell, None))


#: Row number -> each of its cells' reference ("B12" at [2] of row 12's) and (row, column) key,
#: by column, to the last column of a sheet read: the returns of one template read the same
#: rows, and making them for each cell (a string joined, a tuple made and both freed) cost
#: about 750 instructions a cell (the bench's first 60 Excel returns' sheets: 204.5 -> 191.8 M).
#: At most _NAMES_KEPT cells' (about 120 bytes each), forgotten all at once past it.
_ROWS_NAMED: dict[int, tuple[list[str], list[tuple[int, int]]]] = {}
_NAMES_KEPT = 100_000
_names_kept = 0


def _row_named(r: int, last_column: int) -> tuple[list[str], list[tuple[int, int]]]:
    """`_ROWS_NAMED` of row `r`, made (and kept) to at least `last_column`."""
    global _names_kept  # noqa: PLW0603 - the count of what the module's own dict keeps
    number, letters = str(r), _column_letters(last_column)
    columns = range(last_column + 1)
    found = [letters[c] + number for c in columns], [(r, c) for c in columns]
    replaced = _ROWS_NAMED.get(r)
    _names_kept += len(columns) - (len(replaced[0]) if replaced is not None else 0)
    if _names_kept > _NAMES_KEPT:
        _ROWS_NAMED.clear()
        _names_kept = len(columns)
    _ROWS_NAMED[r] = found
    return found


def _column_letters(last_column: int) -> list[str]:
    """Each column's letters by its number (``[1]`` is ``A``), at least up to `last_column`."""
    while len(_LETTERS) <= last_column:
        _LETTERS.append(column_letter(len(_LETTERS)))
    return _LETTERS


def _column_letter(column: int) -> str:
    return _column_letters(column)[column]


def _holds_text(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _has_task_words(rows: list[Row]) -> bool:
    """True when some cell is, as a whole, one of the words a task table's headers use."""
    return any(cell.text.rstrip(":").strip().casefold() in _TASK_WORDS
               for row in rows for cell in row.cells)
