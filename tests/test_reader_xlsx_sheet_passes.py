"""A sheet's used range, merge marks and rows to read (`_SheetReader._bounds`, `_merge_marks`,
`_rows_to_read`) are what the plain loops they replaced gave, for any cells, merges and
formulas (Hypothesis)."""

from __future__ import annotations

from collections.abc import Iterable

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.limits import BLANK_ROWS_KEPT, MAX_COLUMNS
from pipeline.readers.xlsx import _holds_text, _SheetReader
from pipeline.readers.xlsx_fast import SheetData


def _bounds_before(sheet: SheetData, formulas: dict[tuple[int, int], str]
                   ) -> tuple[int, int, int] | None:
    """`_bounds` as written before (limits aside): pairs compared, max() called."""
    cells = sheet.cells
    used = [p for p, (value, _, fill) in cells.items() if fill is not None or _holds_text(value)]
    if not formulas and not any(_holds_text(value) for value, _, _ in cells.values()):
        return None
    used.extend(formulas)
    first_row, last_row = min(used)[0], max(used)[0]
    last_column = max(c for _, c in used)
    for min_row, min_col, max_row, max_col in sheet.merges:
        if _holds_text(cells.get((min_row, min_col), (None, "", None))[0]):
            last_row = max(last_row, max_row)
            last_column = max(last_column, max_col)
    return first_row, last_row, last_column


def _marks_before(merges: list[tuple[int, int, int, int]], first_row: int, last_row: int,
                  last_column: int) -> dict[int, dict[int, str]]:
    marks: dict[int, dict[int, str]] = {}
    for min_row, min_col, max_row, max_col in merges:
        for r in range(max(min_row, first_row), min(max_row, last_row) + 1):
            row_marks = marks.setdefault(r, {})
            for c in range(min_col, min(max_col, last_column) + 1):
                if (r, c) != (min_row, min_col):
                    row_marks[c] = "left" if r == min_row else "above"
            if not row_marks:
                del marks[r]
    return marks


def _rows_before(cells: Iterable[tuple[int, int]], formulas: dict[tuple[int, int], str],
                 first_row: int, last_row: int, marks: dict[int, dict[int, str]]) -> list[int]:
    present = {r for r, _ in cells} | {r for r, _ in formulas}
    present.update(marks)
    numbers: list[int] = []
    for r in sorted(r for r in present if first_row <= r <= last_row):
        if numbers and r > numbers[-1] + 1:
            numbers.extend(range(numbers[-1] + 1, min(r, numbers[-1] + 1 + BLANK_ROWS_KEPT)))
        numbers.append(r)
    return numbers


_positions = st.tuples(st.integers(1, 60), st.integers(1, 8))
_values = st.sampled_from([None, "", "  ", "Task", 0, 1.5, "x\ny"])


@st.composite
def _merges(draw: st.DrawFn) -> tuple[int, int, int, int]:
    top, left = draw(_positions)
    return top, left, top + draw(st.integers(0, 4)), left + draw(st.integers(0, 3))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_positions, st.tuples(_values, st.just("General"),
                                             st.sampled_from([None, None, "FFC000"]))),
       st.lists(_merges(), max_size=4),
       st.dictionaries(_positions, st.just("=A1"), max_size=2))
def test_the_sheets_passes_are_as_before(cells: dict[tuple[int, int], tuple[object, str, str | None]],
                                         merges: list[tuple[int, int, int, int]],
                                         formulas: dict[tuple[int, int], str]) -> None:
    sheet = SheetData("Sheet", "visible", dict(cells), merges)
    reader = _SheetReader(sheet, "file.xlsx", formulas)
    bounds = reader._bounds()
    assert bounds == _bounds_before(sheet, formulas)
    if bounds is None:
        return
    first_row, last_row, last_column = bounds
    marks = reader._merge_marks(first_row, last_row, last_column)
    assert marks == _marks_before(merges, first_row, last_row, last_column)
    assert reader._rows_to_read(first_row, last_row, marks) == _rows_before(
        sheet.cells, formulas, first_row, last_row, marks)


def test_a_sheet_reaching_far_is_bounded_by_its_used_cells() -> None:
    # `_bounds` asks a few cells whether the bounds of all cells are the used range's, and asks
    # every cell when there would be more than _REACH_ASKED to ask (a cell far to the right, or
    # hundreds of rows): the same bounds either way (the columns then cut to MAX_COLUMNS).
    many_rows = {(r, 2): ("x", "General", None) for r in range(4, 400)}
    for far in ((1, 500), (3, 300), (900, 2), (2, 257), (1, 150)):
        for value in ("", "  ", None, "far", 0):
            for more in ({}, many_rows):
                cells: dict[tuple[int, int], tuple[object, str, str | None]] = {
                    (1, 1): ("Task", "General", None), (2, 2): ("x", "General", None),
                    (3, 1): (None, "General", "FFC000"), **more, far: (value, "General", None)}
                sheet = SheetData("Sheet", "visible", cells, [(1, 1, 1, 4)])
                before = _bounds_before(sheet, {})
                assert before is not None
                assert _SheetReader(sheet, "file.xlsx", {})._bounds() == (
                    before[0], before[1], min(before[2], MAX_COLUMNS))
