"""Cell references (``B12``, ``$A$1:C5``, ``B:D``) read and written exactly as openpyxl does.

The fast Excel reader needs only these few conversions from openpyxl, and importing any part of
openpyxl loads all of it (about 0.1 s of every run's start): here they are on their own, held to
openpyxl's results by tests/test_reader_xlsx_refs.py, so openpyxl is loaded only when a workbook
is read through it.
"""

from __future__ import annotations

import re
from functools import cache
from string import ascii_uppercase, digits

#: A coordinate or a range, each part optional, as openpyxl's ``ABSOLUTE_RE`` reads it.
_RANGE = re.compile(
    r"^[$]?(?P<min_col>[A-Za-z]{1,3})?[$]?(?P<min_row>\d+)?"
    r"(:[$]?(?P<max_col>[A-Za-z]{1,3})?[$]?(?P<max_row>\d+)?)?$"
)
_DIGITS = frozenset(digits)
_LETTER_VALUES = {letter: value for value, letter in enumerate(ascii_uppercase, 1)}
#: The last column Excel has (XFD is 16,384; three letters reach ZZZ, 18,278).
_LAST_COLUMN = 18278
#: Excel's sheet: its rows and columns (1,048,576 rows, A to XFD).
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384


@cache
def column_letter(index: int) -> str:
    """The letters of a 1-based column number (1 -> A, 27 -> AA); ValueError past ZZZ."""
    if not 1 <= index <= _LAST_COLUMN:
        raise ValueError(f"Invalid column index {index}")
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = ascii_uppercase[remainder] + letters
    return letters


@cache
def column_index(letters: str) -> int:
    """The 1-based number of a column's letters, either case (AA -> 27); ValueError otherwise."""
    error = f"'{letters}' is not a valid column name. Column names are from A to ZZZ"
    if len(letters) > 3:
        raise ValueError(error)
    index = 0
    # The last three letters once upper-cased, as openpyxl counts them ("ß" upper-cases to "SS").
    for letter, power in zip(reversed(letters.upper()), (1, 26, 676), strict=False):
        value = _LETTER_VALUES.get(letter)
        if value is None:
            raise ValueError(error)
        index += value * power
    if not 0 < index <= _LAST_COLUMN:
        raise ValueError(error)
    return index


def coordinate_to_tuple(coordinate: str) -> tuple[int, int]:
    """(row, column) of a coordinate such as ``B12``: the letters before its first digit, and
    the rest read as a whole number; ValueError otherwise."""
    if not coordinate:
        raise ValueError("An empty cell coordinate")
    split = next((i for i, c in enumerate(coordinate) if c in _DIGITS), len(coordinate) - 1)
    return int(coordinate[split:]), column_index(coordinate[:split])


def range_boundaries(text: str) -> tuple[int | None, int | None, int | None, int | None]:
    """(first column, first row, last column, last row) of a range or a single cell; a whole
    column's or row's range leaves the other two None. ValueError for anything else."""
    found = _RANGE.match(text)
    if not found:
        raise ValueError(f"{text} is not a valid coordinate or range")
    min_col, min_row, separator, max_col, max_row = found.groups()
    if separator:
        columns, rows = (min_col, max_col), (min_row, max_row)
        if not (all(columns + rows) or all(columns) and not any(rows)
                or all(rows) and not any(columns)):
            raise ValueError(f"{text} is not a valid coordinate or range")
    first_col = column_index(min_col) if min_col is not None else None
    first_row = int(min_row) if min_row is not None else None
    last_col = column_index(max_col) if max_col is not None else first_col
    last_row = int(max_row) if max_row is not None else first_row
    return first_col, first_row, last_col, last_row
