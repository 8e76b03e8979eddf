"""Word tables as rows of cells lined up on the table's grid, merges and controls resolved.

Every row gets one `Cell` per grid column, so a value always sits under its heading: a
``gridSpan`` cell is followed by continuation cells (``merged_left``), a vertical-merge
continuation is an empty cell marked ``merged_above``, ``gridBefore``/``gridAfter`` and short
rows are padded, and a cell wrapped in a content control keeps its column.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any, NamedTuple

from lxml import etree

from pipeline import limits
from pipeline.document import Cell, Place, Row, Table, TrackedChange
from pipeline.issues import Issue, make_issue
from pipeline.readers.docx_numbering import Numbering
from pipeline.readers.docx_paragraphs import read_paragraph
from pipeline.readers.docx_plain import (
    PlainContent,
    PlainRow,
    compose_lines,
    scan_plain,
    scan_plain_tables,
)
from pipeline.readers.docx_shading import ThemeColours, shading_colour, text_shading
from pipeline.readers.docx_symbols import font_symbol
from pipeline.readers.docx_xml import (
    COLOR,
    DEL,
    GRID_AFTER,
    GRID_BEFORE,
    GRID_COL,
    GRID_SPAN,
    HIDDEN,
    HMERGE,
    RFONTS,
    RPR,
    SHD,
    SYM,
    TBL,
    TBL_GRID,
    TC,
    TCPR,
    TR,
    TRPR,
    VAL,
    VANISH,
    VMERGE,
    P,
    R,
    T,
    first_child,
    int_val,
    is_on,
    unwrap,
    w,
)
from pipeline.xmlsafe import find_child

#: Between the cells of a nested table's row when the row becomes one line of the outer cell.
NESTED_CELL_SEPARATOR = " | "


class _Content:
    """What a cell holds: its lines, tracked changes, and whether a content control was involved."""

    __slots__ = ("lines", "changes", "control", "struck", "hidden")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.changes: list[TrackedChange] = []
        self.control = False
        self.struck: list[str] = []
        self.hidden: list[str] = []


class TableReader:
    """Reads the tables of one document, adding any limit it hits to the document's issues."""

    def __init__(self, file: str, numbering: Numbering | None, theme: ThemeColours | None,
                 issues: list[Issue]) -> None:
        self.file = file
        self.numbering = numbering
        self.theme = theme
        self.issues = issues
        self.cells_left = limits.MAX_CELLS  # for the whole file, nested tables included
        self._hidden_text: list[Issue] = []
        """Hidden text in the cells of the row being read, said unless the row is hidden."""
        self._row_width = limits.MAX_COLUMNS
        self._plain: dict[etree._Element, list[PlainRow]] = {}
        self.texts: dict[etree._Element, list[str]] = {}
        """The text pieces of the body's own paragraphs that hold text alone (`find_plain`)."""

    def find_plain(self, body: etree._Element, tables: Collection[etree._Element]) -> None:
        """Find which of the body's own ``tables`` are plain, and their rows, in one pass over
        the body, so that `table` reads those from it; and which of the body's own paragraphs
        hold text alone, and their text (`texts`)."""
        self.texts = {}
        self._plain = scan_plain_tables(body, tables, self.texts)

    def table(self, tbl: etree._Element, number: int, blank: bool = False) -> Table:
        """A top-level ``w:tbl`` as a `Table` numbered ``number`` (1-based, document order)."""
        place = Place(self.file, table=number)
        grid = find_child(tbl, TBL_GRID)  # find and findall go through ElementPath: slower
        columns = len(list(grid.iterchildren(GRID_COL))) if grid is not None else 0
        width = min(columns, limits.MAX_COLUMNS)
        plain = None if blank else self._plain.get(tbl)
        rows_in: Iterable[_RowIn]
        if plain is not None:
            # A plain row is (tr, tr_pr, its cells with what each shows); hidden text is not plain.
            rows_in, may_hide_text, read_cells = plain, False, self._plain_cells
        else:
            rows_in, may_hide_text, read_cells = (_walked_rows(tbl, blank), _has_vanish(tbl),
                                                  self._walked_cells)
        rows: list[Row] = []
        row_number = 0
        # Spans and padding stay within the columns the table's grid declares: a gridSpan of
        # 200 in a two-column table never makes 200 cells.
        self._row_width = width or limits.MAX_COLUMNS
        file, new, new_row, max_rows = self.file, tuple.__new__, object.__new__, limits.MAX_ROWS
        for tr, tr_pr, cells_in in rows_in:
            row_number += 1  # deleted rows still count, so row numbers match the file as sent
            if tr_pr is not None and first_child(tr_pr, DEL, within=99) is not None:
                continue
            if len(rows) >= max_rows:
                self.issues.append(make_issue("limit-exceeded", place, what=f"Table {number}",
                                              limit=f"{limits.MAX_ROWS} rows"))
                break
            if self.cells_left <= 0:
                self.issues.append(make_issue("limit-exceeded", place, what=f"Table {number}",
                                              limit=f"{limits.MAX_CELLS:,} cells in one file"))
                break
            # Place(self.file, number, row_number) made as _at makes it, without its __new__.
            row_place = new(Place, (file, number, row_number, None, None, None, None, None))
            if tr_pr is None and plain is not None:
                # The commonest row, of a plain table with no row properties: no grid columns
                # before or after it, not hidden, and no hidden text in it. Made as `_row`
                # makes it, without the call.
                cells: list[Cell] = []
                read_cells(cells_in, cells, row_place)
                if len(cells) < width:
                    _pad(cells, row_place, width - len(cells))
                # Row(cells, row_place, False) as its __init__ makes it, as the cells are made.
                row = new_row(Row)
                row.cells, row.place, row.hidden = cells, row_place, False
            else:
                self._hidden_text = []
                row = self._row(tr_pr, row_place, width, cells_in, read_cells)
                if row.hidden or (may_hide_text and _has_vanish(tr)):
                    row = self._hidden(row, tr)
                if not row.hidden:
                    self.issues.extend(self._hidden_text)
            self.cells_left -= len(row.cells)
            rows.append(row)
        return Table(rows, place)

    def _row(self, tr_pr: etree._Element | None, place: Place, width: int,
             cells_in: Iterable[_CellIn],
             read_cells: Callable[[Iterable[_CellIn], list[Cell], Place], None]) -> Row:
        cells: list[Cell] = []
        before = after = 0
        hidden = False
        if tr_pr is not None:
            for prop in tr_pr:
                tag = prop.tag
                if tag == GRID_BEFORE:
                    before = int_val(prop)
                elif tag == GRID_AFTER:
                    after = int_val(prop)
                elif tag == HIDDEN:
                    hidden = is_on(prop)
                elif tag == _TR_HEIGHT and prop.get(_H_RULE) == "exact" \
                        and int_val(prop, _TINY_ROW) < _TINY_ROW:
                    hidden = True  # squeezed to nothing: an exact height under a point

        if before:
            _pad(cells, place, min(before, self._row_width))
        read_cells(cells_in, cells, place)
        if after:
            _pad(cells, place, min(after, self._row_width - len(cells)))
        if len(cells) < width:
            _pad(cells, place, width - len(cells))
        return Row(cells, place, hidden)  # by position: a keyword costs a dict a row

    def _hidden(self, row: Row, tr: etree._Element) -> Row:
        """A row hidden in Word (marked hidden, or every run of it hidden text) is not current
        data: as in Excel, it is listed with the text it holds and left blank."""
        shown = [(cell.place.column or 0, cell.text) for cell in row.cells if not cell.is_blank]
        if not row.hidden:
            if shown:
                return row  # hidden words inside a row that shows text: the row is not hidden
            shown = _vanished_by_column(tr)
            if not shown:
                return row
        if shown:
            self.issues.append(make_issue("hidden-row", row.place, row=row.place.row,
                                          cells=_word_cells(shown)))
        cells = [Cell([], cell.place, merged_left=cell.merged_left,
                      merged_above=cell.merged_above) for cell in row.cells]
        return Row(cells, row.place, hidden=True)

    def _too_wide(self, row_place: Place) -> None:
        self.issues.append(make_issue(
            "limit-exceeded", row_place, what=f"Row {row_place.row} of table {row_place.table}",
            limit=f"{limits.MAX_COLUMNS} columns"))

    def _plain_cells(self, cells_in: Iterable[_CellIn], cells: list[Cell],
                     row_place: Place) -> None:
        """Add the cells of a row the one pass over the body found plain (`docx_plain`) to
        ``cells``.

        Written out for speed, as the Excel reader's ``_plain_rows`` is: most cells of a
        return are text alone, one column wide, in no colour, and each is made here with no
        more than it needs (no call of its own), as `_text_cell` would make it.
        """
        file, table, row, new = row_place.file, row_place.table, row_place.row, tuple.__new__
        new_cell = object.__new__
        max_columns, max_chars = limits.MAX_COLUMNS, limits.MAX_CELL_CHARS
        for tc, paragraphs, plain in cells_in:
            column = len(cells) + 1
            if column > max_columns:
                self._too_wide(row_place)
                break
            if plain is None:
                # Text alone: a list label or a break would have made ``plain``, so each
                # paragraph is one line as it stands.
                if len(paragraphs) == 1:
                    # One paragraph, as most cells have: its one line kept as it is unless too
                    # long (the check `_text_cell` makes); a blank one is trimmed away, as
                    # `_text_cell` trims it. _at(row_place, column) written out: Place's own
                    # __new__ is a Python call.
                    line = "".join(paragraphs[0][0])
                    place = new(Place, (file, table, row, column, None, None, None, None))
                    if not line or line.isspace():
                        lines, text = [], ""
                    elif len(line) <= max_chars:
                        lines, text = [line], line.strip()
                    else:
                        cells.append(self._text_cell(tc, place, [line], None, False, False,
                                                     False))
                        continue
                    # Cell(lines, place) as Cell.__init__ makes it, every field set here:
                    # calling the class cost about a third more (a Python __init__ with its
                    # eleven defaults; 3,500 -> 2,700 instructions a cell with its freeing).
                    cell = new_cell(Cell)
                    cell.lines, cell.place, cell.text = lines, place, text
                    cell.fill = cell.colour = cell.value = None
                    cell.merged_left = cell.merged_above = cell.from_control = False
                    cell.changes = cell.struck = ()
                    cell.unread_look = ""
                    cells.append(cell)
                    continue
                lines = []
                for parts, _ in paragraphs:
                    lines.append("".join(parts))
            elif plain.properties or plain.has_look or plain.has_shading:
                self._cell(tc, cells, row_place, False, False, plain)  # merged, shaded, coloured
                continue
            else:
                lines = compose_lines(paragraphs, self.numbering)
            place = new(Place, (file, table, row, column, None, None, None, None))
            if len(lines) == 1:
                line = lines[0]
                if not line or line.isspace():
                    cells.append(Cell([], place))
                    continue
                as_is = len(line) <= max_chars
            else:
                as_is = not lines or bool(
                    lines[0].strip() and lines[-1].strip()
                    and len(lines) + sum(map(len, lines)) <= max_chars + 1)
            if as_is:
                cells.append(Cell(lines, place))
            else:
                # Blank lines at either end, or too long: trimmed and cut as any cell's lines.
                cells.append(self._text_cell(tc, place, lines, None, False, False, False))

    def _walked_cells(self, cells_in: Iterable[_CellIn], cells: list[Cell],
                      row_place: Place) -> None:
        """Add the cells of a row of a table left to the full walk to ``cells``."""
        for tc, in_control, blank in cells_in:
            if len(cells) >= limits.MAX_COLUMNS:
                self._too_wide(row_place)
                break
            self._cell(tc, cells, row_place, in_control, blank, None)

    def _cell(self, tc: etree._Element, cells: list[Cell], row_place: Place, in_control: bool,
              blank: bool, plain: PlainContent | None) -> None:
        if plain is None and not blank:
            plain = scan_plain(tc)
        if plain is not None:
            properties = plain.properties
        else:
            tc_pr = next(iter(tc), None)
            # Direct children only: tcPrChange holds the old properties of a tracked change.
            properties = list(tc_pr) if tc_pr is not None and tc_pr.tag == TCPR else []
        span, merge, fill = self._merge_and_fill(properties) if properties else _UNMERGED
        place = Place(row_place.file, row_place.table, row_place.row, len(cells) + 1)
        if merge is not None:
            # The value is the cell above (or to the left); repeating it would double count it.
            cell = Cell([], place, fill, merged_left=merge.left, merged_above=merge.above)
        elif plain is not None:
            cell = self._text_cell(tc, place, compose_lines(plain.paragraphs, self.numbering),
                                   fill, in_control, plain.has_look, plain.has_shading)
        else:
            content = self._content(tc, blank)
            if content.hidden:
                # Hidden words are not read, but said; a row of nothing but hidden text is a
                # hidden row, said once for the row (see `table`).
                self._hidden_text.append(make_issue("hidden-text", place, text=" / ".join(
                    " ".join(t.split()) for t in content.hidden)))
            cell = self._text_cell(tc, place, content.lines, fill, in_control or content.control,
                                   True, True, content.changes, content.struck)
        cells.append(cell)
        if span > 1:
            # The columns it spans, shaded as it is (a blank cell by its paragraphs' shading too).
            above = merge is not None and merge.above
            for _ in range(min(span - 1, self._row_width - len(cells))):
                cells.append(Cell([], _at(row_place, len(cells) + 1), fill=cell.fill,
                                  merged_left=True, merged_above=above))

    def _merge_and_fill(self, properties: list[etree._Element]) -> tuple[int, _Merge | None,
                                                                          str | None]:
        """A cell's span, how it continues a merged cell (None: it does not), and its shading."""
        span, continues_above, continues_left, fill = 1, False, False, None
        for prop in properties:
            tag = prop.tag
            if tag == GRID_SPAN:
                span = max(1, int_val(prop, 1))
            elif tag == VMERGE:
                continues_above = prop.get(VAL) != "restart"
            elif tag == HMERGE:
                continues_left = prop.get(VAL) != "restart"
            elif tag == SHD:
                fill = shading_colour(prop, self.theme)
        merge = _Merge(continues_above, continues_left) if continues_above or continues_left \
            else None
        return span, merge, fill

    def _text_cell(self, tc: etree._Element, place: Place, lines: list[str], fill: str | None,
                   control: bool, has_look: bool, has_shading: bool,
                   changes: list[TrackedChange] | None = None,
                   struck: list[str] | None = None) -> Cell:
        """A cell holding its own value: its lines as read, and what it shows beyond them."""
        if lines and not (lines[0].strip() and lines[-1].strip()):
            lines = trim_lines(lines)
        colour, several = None, False
        if not lines:
            if fill is None and has_shading:
                fill = text_shading(tc, self.theme)
        elif len(lines) + sum(map(len, lines)) > limits.MAX_CELL_CHARS + 1:
            lines = cut_to_limit(lines, place, self.issues, "The cell's text")
        elif has_look and len(lines) <= 2 and sum(map(len, lines)) <= 40:
            # A short cell (a Status) may show its meaning by the colour of its text: ●
            # (a plain cell with no colour, font or symbol in it shows its words as they are).
            colour, several, symbols = short_cell_look(tc)
            if symbols:
                lines = [symbols]
        if control or changes or struck or several:
            return Cell(lines, place, fill, colour, from_control=control, changes=changes or [],
                        struck=struck or [],
                        unread_look="text in several colours" if several else "")
        return Cell(lines, place, fill, colour)  # most cells: keyword arguments cost

    def _content(self, tc: etree._Element, blank: bool) -> _Content:
        content = _Content()
        for child, in_control, placeholder in unwrap(tc):
            tag = child.tag
            if tag == P:
                text = read_paragraph(child, self.numbering, blank or placeholder)
                content.lines.extend(text.lines)
                content.changes.extend(text.changes)
                content.struck.extend(text.struck)
                content.hidden.extend(text.hidden)
                content.control = content.control or in_control or text.control
            elif tag == TBL:
                content.control = content.control or in_control
                self._nested(child, content, blank or placeholder)
        return content

    def _nested(self, tbl: etree._Element, content: _Content, blank: bool) -> None:
        # A table inside a cell becomes lines of that cell, one per row, so no text is lost.
        for tr, _, placeholder in unwrap(tbl):
            if tr.tag != TR:
                continue
            tr_pr = first_child(tr, TRPR)
            if tr_pr is not None and first_child(tr_pr, DEL, within=99) is not None:
                continue
            texts: list[str] = []
            for tc, in_control, cell_placeholder in unwrap(tr):
                if tc.tag != TC:
                    continue
                tc_pr = first_child(tc, TCPR, within=1)
                if tc_pr is not None:
                    if _continues(first_child(tc_pr, HMERGE, within=99)):
                        continue
                    if _continues(first_child(tc_pr, VMERGE, within=99)):
                        texts.append("")
                        continue
                inner = self._content(tc, blank or placeholder or cell_placeholder)
                texts.append(" ".join(line.strip() for line in inner.lines if line.strip()))
                content.changes.extend(inner.changes)
                content.control = content.control or in_control or inner.control
            if any(texts):
                content.lines.append(NESTED_CELL_SEPARATOR.join(texts))

class _Merge(NamedTuple):
    """How a cell continues a merged cell: from the cell above, from the cell to its left."""

    above: bool
    left: bool


#: A cell with no properties: one column wide, not merged, not shaded.
_UNMERGED: tuple[int, _Merge | None, str | None] = (1, None, None)

_TR_HEIGHT, _H_RULE = w("trHeight"), w("hRule")
#: Twentieths of a point: a row of exact height below one point shows nothing.
_TINY_ROW = 20


#: A cell to read: of a plain table, its element and what it shows (`PlainCell`); of a
#: table walked in full, its element, whether it sits in a content control, and whether a
#: control around it shows its placeholder (so it is blank).
_CellIn = Any
#: A row to read: its element, its properties, and its cells.
_RowIn = tuple[etree._Element, "etree._Element | None", Iterable[_CellIn]]


def _walked_rows(tbl: etree._Element, blank: bool) -> Iterator[_RowIn]:
    """The rows of a table with content controls unwrapped (``blank``: a control around the
    table shows its placeholder)."""
    for tr, _, placeholder in unwrap(tbl):
        if tr.tag == TR:
            yield tr, first_child(tr, TRPR), _walked_cells(tr, blank or placeholder)


def _walked_cells(tr: etree._Element, blank: bool) -> Iterator[_CellIn]:
    for tc, in_control, placeholder in unwrap(tr):
        if tc.tag == TC:
            yield tc, in_control, blank or placeholder


def _has_vanish(element: etree._Element) -> bool:
    return next(element.iter(VANISH), None) is not None


def _vanished_by_column(tr: etree._Element) -> list[tuple[int, str]]:
    """The hidden text (``w:vanish`` runs) of each cell of a row, by its grid column."""
    found: list[tuple[int, str]] = []
    tr_pr = first_child(tr, TRPR)
    column = int_val(first_child(tr_pr, GRID_BEFORE, within=99)) if tr_pr is not None else 0
    for tc, _, _ in unwrap(tr):
        if tc.tag != TC:
            continue
        column += 1
        texts: list[str] = []
        for run in tc.iter(R):
            properties = first_child(run, RPR, within=1)
            if properties is not None and is_on(properties.find(VANISH)):
                texts.extend(t.text or "" for t in run.iter(T))
        text = " ".join("".join(texts).split())
        if text:
            found.append((column, text))
        tc_pr = first_child(tc, TCPR, within=1)
        if tc_pr is not None:
            column += max(1, int_val(first_child(tc_pr, GRID_SPAN, within=99), 1)) - 1
    return found


#: Characters of each hidden cell's text quoted in the warning.
_QUOTED_CHARS = 30


def _word_cells(shown: list[tuple[int, str]]) -> str:
    """"column 1 'Old task', also columns 2, 4": where a hidden row's text is, and its first words
    (an issue's fields are kept to one short line)."""
    column, text = shown[0]
    flat = " ".join(text.split())
    quoted = flat if len(flat) <= _QUOTED_CHARS else flat[:_QUOTED_CHARS - 1].rstrip() + "…"
    found = f"column {column} '{quoted}'"
    others = [str(c) for c, _ in shown[1:]]
    if others:
        found += f", also column{'s' if len(others) > 1 else ''} {', '.join(others)}"
    return found


_ASCII, _H_ANSI = w("ascii"), w("hAnsi")
_INKLESS = frozenset(("auto", "000000"))


class ShortCellLook(NamedTuple):
    """What a short cell (a Status) shows beyond its words."""

    colour: str | None
    """The colour all of its visible text is in, as six hex digits; None when black or
    automatic, or in several colours."""
    several: bool
    """Its text is in several colours (then there is no one colour)."""
    symbols: str | None
    """What its text typed in a symbol font shows ('n' in Webdings is ●), or None."""


def short_cell_look(tc: etree._Element) -> ShortCellLook:
    """The colour of a short cell's text and what a symbol font draws for it, in one pass over
    its runs."""
    colours: set[str] = set()
    several = False
    shown: list[str] | None = []  # None once a run shows text in no symbol font
    for run in tc.iter(R):
        text = "".join(t.text or "" for t in run.iter(T))
        has_text = bool(text.strip())
        if not has_text and find_child(run, SYM) is None:
            continue
        properties = find_child(run, RPR)
        if not several:
            color = find_child(properties, COLOR) if properties is not None else None
            value = (color.get(VAL) or "auto").upper() if color is not None else "AUTO"
            colours.add("AUTO" if value in _INKLESS else value)
            several = len(colours) > 1
        if has_text and shown is not None:
            fonts = find_child(properties, RFONTS) if properties is not None else None
            font = (fonts.get(_ASCII) or fonts.get(_H_ANSI) or "") if fonts is not None else ""
            symbol = font_symbol(font, text)
            if symbol is None:
                shown = None
            else:
                shown.append(symbol)
        if several and shown is None:
            break
    colour = colours.pop() if len(colours) == 1 else None
    return ShortCellLook(colour if colour is not None and len(colour) == 6 and colour != "AUTO" else None,
                         several, ("".join(shown) or None) if shown is not None else None)


def cut_to_limit(lines: list[str], place: Place, issues: list[Issue], what: str) -> list[str]:
    """Lines cut to `limits.MAX_CELL_CHARS` characters in all, noting an issue when cut."""
    limit = limits.MAX_CELL_CHARS
    if len(lines) + sum(map(len, lines)) - 1 <= limit:
        return lines
    kept: list[str] = []
    room = limit
    for line in lines:
        if room <= 0:
            break
        kept.append(line[:room])
        room -= len(line) + 1
    issues.append(make_issue("limit-exceeded", place, what=what, limit=f"{limit:,} characters"))
    return kept


def _continues(merge: etree._Element | None) -> bool:
    return merge is not None and merge.get(VAL) != "restart"


def trim_lines(lines: list[str]) -> list[str]:
    """Drop blank lines at either end, keep the rest as written."""
    if not lines or (lines[0].strip() and lines[-1].strip()):
        return lines
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end] if (start, end) != (0, len(lines)) else lines


def _pad(cells: list[Cell], row_place: Place, count: int) -> None:
    for _ in range(max(0, min(count, limits.MAX_COLUMNS - len(cells)))):
        cells.append(Cell([], _at(row_place, len(cells) + 1)))


def _at(row_place: Place, column: int) -> Place:
    # Place's own __new__ is a Python call with defaults: the tuple is made in C.
    return tuple.__new__(Place, (row_place.file, row_place.table, row_place.row, column, None,
                                 None, None, None))
