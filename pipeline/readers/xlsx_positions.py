"""Where openpyxl puts the cells of a worksheet it loads, found from the sheet's XML.

The openpyxl reader must visit only the cells a workbook really has: a sheet's used range
(``ws.max_row``, ``ws.iter_rows``) also counts rows that hold only a format, and walking it
makes a cell for every gap, so one far-away cell would cost millions. openpyxl keeps the cells
it loaded in a private dict; the positions are found here instead, from the XML the package scan
parsed (`xlsx_package.SheetScan.root`), by the rules openpyxl's loader follows, and the reader
takes each cell through the public ``ws.cell(row, column)``, which returns the cell loaded there:

- every cell of every row, numbered as openpyxl numbers the rows and cells that leave out their
  optional ``r`` (one more than the row or cell before it);
- every cell of a merged range (openpyxl makes the top-left cell, and a MergedCell for the rest);
- every cell a hyperlink names (openpyxl makes the cell and gives it the link as its value);
- every cell a comment is attached to (openpyxl makes the cell to hold the comment; the scan
  lists them, `SheetScan.comments`).

The work is bounded by what openpyxl itself made when it loaded the workbook, which the scan
bounds (`MAX_MERGED_CELLS`, `MAX_LINKED_CELLS`).
tests/test_reader_xlsx_positions.py holds the positions to the cells openpyxl loaded.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from pipeline.readers.xlsx_refs import coordinate_to_tuple, range_boundaries

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _HYPERLINKS = _MAIN + "row", _MAIN + "hyperlinks"

Position = tuple[int, int]
"""(row, column), both from 1."""


def loaded_positions(root: etree._Element, merges: Iterable[tuple[int, int, int, int]],
                     comments: Iterable[str] = ()) -> dict[Position, None]:
    """Every position openpyxl holds a cell at once it has loaded the worksheet `root`, with its
    merged ranges (first row, first column, last row, last column) and its comments' cells.

    In the order openpyxl makes them (a whole row or column a hyperlink or comment names reaches
    as far as the cells made before it), as the keys of a dict.
    """
    found: dict[Position, None] = {}
    row_number = 0
    for row in root.iter(_ROW):
        r = row.get("r")
        row_number = row_number + 1 if r is None else _row_number(r)
        column = 0
        for c in row:
            if not isinstance(c.tag, str):
                continue
            ref = c.get("r")
            if ref:
                position = _COORDINATES.get(ref) or _coordinate(ref)
                column = position[1]
            else:
                column += 1
                position = (row_number, column)
            found[position] = None
    for top, left, bottom, right in merges:
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                found[r, c] = None
    links = list(root.iter(_HYPERLINKS))
    if links:  # openpyxl keeps the last list of hyperlinks
        for link in links[-1]:
            if isinstance(link.tag, str) and etree.QName(link).localname == "hyperlink":
                _add_range(found, link.get("ref", ""))
    for ref in comments:
        _add_range(found, ref)
    return found


_COORDINATES: dict[str, Position] = {}


def _coordinate(ref: str) -> Position:
    """(row, column) of a cell's ``r``, remembered: returns of one template name the same cells."""
    position = coordinate_to_tuple(ref)
    if len(_COORDINATES) < 200_000:
        _COORDINATES[ref] = position
    return position


def _row_number(text: str) -> int:
    """A row's ``r`` as openpyxl reads it: a whole number, written as such or as ``12.0``."""
    try:
        return int(text)
    except ValueError:
        return int(float(text))


def _add_range(found: dict[Position, None], ref: str) -> None:
    """The cells ``ws[ref]`` makes: one cell, a range, or whole rows or columns as far as the
    cells already made reach."""
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except ValueError:
        return  # openpyxl refuses the workbook itself
    if min_row is None:
        rows = range(1, max((r for r, _ in found), default=1) + 1)
    else:
        rows = range(min_row, (max_row or min_row) + 1)
    if min_col is None:
        columns = range(1, max((c for _, c in found), default=1) + 1)
    else:
        columns = range(min_col, (max_col or min_col) + 1)
    for r in rows:
        for c in columns:
            found[r, c] = None
