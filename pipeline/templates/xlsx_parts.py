"""Building blocks for the Excel templates, written with xlsxwriter.

xlsxwriter rather than openpyxl because it writes everything a fill-in template needs in one
pass and reliably: list and custom data validations with input messages and error alerts,
conditional formats, sheet protection with per-cell unlocking, print setup. It is already the
master workbook's writer. (openpyxl is what the tests fill the templates in with, as a
stand-in for a person typing into Excel.)

Protection has no password: it only guards the headings against accidents, and a group that
really must change the layout can unprotect the sheet (Review, Unprotect Sheet).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.records import Status
from pipeline.report.palette import BAND_FILL, STATUS_FILL, STATUS_FONT, WORD_HEADER_FILL
from pipeline.report.xlsx_sheet import CHARS_PER_WIDTH, LINE_POINTS, MAX_ROW_POINTS, check, write_text
from pipeline.templates.wording import STATUSES

FONT = {"font_name": "Arial", "font_size": 10}
#: Locked cells a group cannot type in are light grey; cells to fill are white.
LOCKED_FILL = "F2F2F2"
EMPTY_ROW_POINTS = 30
INSTRUCTIONS_SHEET = "Instructions"
#: What a protected sheet still lets a group do: resize, insert rows for more tasks, select.
PROTECTION = {
    "format_columns": True, "format_rows": True, "insert_rows": True,
    "select_locked_cells": True, "select_unlocked_cells": True,
}
_TEXT_ONLY = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


class Formats:
    """The workbook's cell formats, by role."""

    def __init__(self, book: Workbook) -> None:
        base = {**FONT, "text_wrap": True, "valign": "top"}
        locked = {**base, "border": 1, "border_color": "A6A6A6", "bg_color": LOCKED_FILL}
        # Text format ("@"): what a cell holds, pre-filled or typed, stays text; a task reading
        # "=HYPERLINK(…)" never becomes a formula, even when the group edits the cell.
        unlocked = {**base, "border": 1, "border_color": "808080", "locked": False,
                    "num_format": "@"}
        self.title = book.add_format({**FONT, "bold": True, "font_size": 16})
        self.group = book.add_format({**FONT, "bold": True, "font_size": 13})
        self.heading = book.add_format({**FONT, "bold": True, "font_size": 11})
        self.prose = book.add_format(base)
        self.band = book.add_format({**locked, "bold": True, "bg_color": BAND_FILL, "font_size": 11})
        self.header = book.add_format({**locked, "bold": True, "bg_color": WORD_HEADER_FILL,
                                       "valign": "vcenter"})
        self.label = book.add_format(locked)
        self.bold_label = book.add_format({**locked, "bold": True})
        self.input = book.add_format(unlocked)
        self.input_band = book.add_format({**unlocked, "bold": True})
        self.centred_input = book.add_format({**unlocked, "align": "center", "valign": "vcenter"})
        self.status_label = {s: book.add_format({**locked, "bg_color": STATUS_FILL[s],
                                                 "font_color": STATUS_FONT[s]}) for s in Status}
        # Conditional formats take fill and font only; the cell's own format gives the rest.
        self.status_shown = {s: book.add_format({"bg_color": STATUS_FILL[s],
                                                 "font_color": STATUS_FONT[s]}) for s in Status}


def new_workbook(path: Path, title: str) -> tuple[Workbook, Formats]:
    """A workbook that writes text as text, never as a formula or a link."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook(str(path), {**_TEXT_ONLY, "default_format_properties": dict(FONT)})
    book.set_properties({"title": title, "author": "Gloucester Partnership"})
    return book, Formats(book)


def print_setup(sheet: Worksheet, title: str) -> None:
    """Landscape A4, one page wide, the sheet's name and page numbers on every page."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_header(f"&L{title.replace('&', '&&')}&R&A")
    sheet.set_footer("&CPage &P of &N")


def protect(sheet: Worksheet) -> None:
    """Lock the headings and labels; cells written with an input format stay editable."""
    sheet.protect("", dict(PROTECTION))


def write_instructions(book: Workbook, formats: Formats, title: str, group: str,
                       lines: Sequence[str]) -> Worksheet:
    """The first sheet: the title, the group's name and the instructions, one paragraph a row."""
    sheet = book.add_worksheet(INSTRUCTIONS_SHEET)
    width = 85  # fits a portrait A4 page at full size
    sheet.set_column(0, 0, width)
    put(sheet, 0, 0, title, formats.title)
    put(sheet, 1, 0, group, formats.group)
    put(sheet, 3, 0, lines[0], formats.heading)
    for row, text in enumerate(lines[1:], start=4):
        put(sheet, row, 0, text, formats.prose)
        sheet.set_row(row, text_height(text, width))
    print_setup(sheet, title)
    sheet.set_portrait()
    protect(sheet)
    sheet.activate()
    return sheet


def put(sheet: Worksheet, row: int, col: int, text: str, fmt: Format) -> None:
    """Write text (or a blank cell in the format), checking xlsxwriter's return code."""
    if text:
        code = write_text(sheet, row, col, text, fmt)
    else:
        code = sheet.write_blank(row, col, None, fmt)
    check(code, sheet, f"cell {xl_rowcol_to_cell(row, col)}")


def merge(sheet: Worksheet, first_row: int, first_col: int, last_row: int, last_col: int,
          text: str, fmt: Format) -> None:
    """Merge a range and write text in it."""
    code = sheet.merge_range(first_row, first_col, last_row, last_col, "", fmt)
    check(code, sheet, f"the range at {xl_rowcol_to_cell(first_row, first_col)}")
    if text:  # written into the merged range's first cell, as `write_text` writes any text
        check(write_text(sheet, first_row, first_col, text, fmt), sheet,
              f"the range at {xl_rowcol_to_cell(first_row, first_col)}")


def keep_label(sheet: Worksheet, row: int, col: int, label: str, example: str) -> None:
    """Refuse any entry in a label cell that no longer starts with its label ('Ref:')."""
    cell = xl_rowcol_to_cell(row, col)
    word = label.rstrip(": ")
    check(sheet.data_validation(row, col, row, col, {
        "validate": "custom",
        "value": f'=LEFT(TRIM({cell}),{len(label)})="{label}"',
        "ignore_blank": False,
        "input_title": word[:32],
        "input_message": (f"Keep '{label}' at the start of this cell and type after it, for "
                          f"example: {example}. Press F2 to add to the cell without clearing it.")[:255],
        "error_title": f"Keep '{label}'"[:32],
        "error_message": (f"This cell must start with '{label}'. Type it again as, for example: "
                          f"{example}")[:255],
        "error_type": "stop",
    }), sheet, f"the check on cell {cell}")


def status_choice(sheet: Worksheet, first_row: int, last_row: int, col: int) -> None:
    """A drop-down of the statuses on a column of cells, refusing anything else."""
    check(sheet.data_validation(first_row, col, last_row, col, {
        "validate": "list",
        "source": list(STATUSES),
        "input_title": "Status",
        "input_message": "Choose Green (on track), Amber (needs attention), Red (needs action) "
                         "or Achieved from the list.",
        "error_title": "Status not recognised",
        "error_message": "Choose one of Green, Amber, Red or Achieved from the drop-down list.",
        "error_type": "stop",
    }), sheet, "the status list")


def colour_statuses(sheet: Worksheet, formats: Formats, first_row: int, last_row: int, col: int) -> None:
    """Colour each status cell by what it says, as the exceptions report does."""
    for status in Status:
        check(sheet.conditional_format(first_row, col, last_row, col, {
            "type": "cell", "criteria": "equal to", "value": f'"{status.value}"',
            "format": formats.status_shown[status],
        }), sheet, "the status colours")


def count_check(sheet: Worksheet, row: int, col: int) -> None:
    """A summary count cell: a whole number or nothing, with a note that it may stay blank."""
    check(sheet.data_validation(row, col, row, col, {
        "validate": "integer", "criteria": ">=", "value": 0,
        "input_title": "Count (optional)",
        "input_message": "You may leave this blank: the tasks are counted for you. If you fill "
                         "it in, count Achieved tasks as Green.",
        "error_title": "A whole number",
        "error_message": "Type a whole number of tasks, or leave the cell blank.",
        "error_type": "stop",
    }), sheet, "the count check")


def text_height(text: str, width: float) -> float | None:
    """Row height in points for wrapped text in a column `width` characters wide."""
    if not text:
        return None
    per_line = max(1, int(width * CHARS_PER_WIDTH))
    lines = sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))
    return None if lines == 1 else min(MAX_ROW_POINTS, lines * LINE_POINTS + 4)


def row_height_for(values: Sequence[str], widths: Sequence[float], minimum: float | None = None
                   ) -> float | None:
    """The height the tallest of a row's wrapped values needs, at least `minimum`."""
    heights = [h for v, w in zip(values, widths, strict=True) if (h := text_height(v, w))]
    tallest = max(heights, default=None)
    if minimum is None:
        return tallest
    return max(minimum, tallest or 0)
