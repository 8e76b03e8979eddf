"""The workbook's cell formats, made once per workbook and shared by every sheet."""

from __future__ import annotations

from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from pipeline.issues import Severity
from pipeline.records import Status
from pipeline.report.palette import (
    BAND_FILL,
    HEADER_FILL,
    HEADER_FONT,
    STATUS_FILL,
    STATUS_FONT,
)

#: Arial 10 matches the Word report and has a metric twin (Liberation Sans) wherever it is opened.
FONT = {"font_name": "Arial", "font_size": 10}

_GRID = {"border": 1, "border_color": "BFBFBF"}
_CELL = {"text_wrap": True, "valign": "top", **_GRID}

SEVERITY_FILL: dict[Severity, tuple[str, str]] = {
    # Excel's own "Bad", "Neutral" and a quiet grey: colours that do not read as a RAG status.
    Severity.ERROR: ("FFC7CE", "9C0006"),
    Severity.QUERY: ("FFEB9C", "9C5700"),
    Severity.WARNING: ("F2F2F2", "404040"),
}
#: Submissions that need someone's attention stand out; accepted ones stay plain.
STATE_FILL: dict[str, tuple[str, str]] = {
    "rejected": ("FFC7CE", "9C0006"),
    "missing": ("FFC7CE", "9C0006"),
    "superseded": ("F2F2F2", "404040"),
    "held back": ("FFEB9C", "9C5700"),
    "skipped": ("F2F2F2", "404040"),
}

_STYLES: dict[str, dict[str, Any]] = {
    "text": _CELL,
    # Counts are short: centred, they read as a column rather than hugging the next cell.
    "number": {**_CELL, "align": "center"},
    # Unwrapped: a 64-character hash would otherwise make every row four lines high.
    "plain": {"valign": "top", **_GRID},
    "header": {
        **_CELL,
        "bold": True,
        "font_color": HEADER_FONT,
        "bg_color": HEADER_FILL,
        "border_color": "808080",
    },
    "total": {**_CELL, "bold": True, "bg_color": BAND_FILL, "top": 2},
    "total-number": {**_CELL, "bold": True, "bg_color": BAND_FILL, "top": 2, "align": "center"},
    "header-count": {
        **_CELL,
        "bold": True,
        "align": "center",
        "font_color": HEADER_FONT,
        "bg_color": HEADER_FILL,
        "border_color": "808080",
    },
    "heading": {"bold": True, "font_size": 12, "valign": "bottom"},
    "note": {"text_wrap": True, "valign": "top"},
    "note-bold": {"text_wrap": True, "valign": "top", "bold": True},
    "warning": {**_CELL, "italic": True, "font_color": "9C0006"},
}
#: What draws a cell's border, left out of a column's default format (`Styles.column_default`).
_BORDER_PROPERTIES = frozenset({"border", "border_color", "top", "bottom", "left", "right"})
#: Styles that show nothing but the grid's border on a blank cell (no fill, no rule of their own).
_GRID_ONLY = frozenset({"text", "number", "plain"})
for _status in Status:
    _STYLES[f"status-{_status.value}"] = {
        **_CELL,
        "bold": True,
        "align": "center",
        "bg_color": STATUS_FILL[_status],
        "font_color": STATUS_FONT[_status],
    }
for _severity, (_fill, _font) in SEVERITY_FILL.items():
    _STYLES[f"severity-{_severity.value}"] = {**_CELL, "bg_color": _fill, "font_color": _font}
for _state, (_fill, _font) in STATE_FILL.items():
    _STYLES[f"state-{_state}"] = {**_CELL, "bg_color": _fill, "font_color": _font}


_STATUS_STYLES: dict[Status | None, str | None] = {None: None, **{
    status: f"status-{status.value}" for status in Status}}


def status_style(status: Status | None) -> str | None:
    """The style name of a Status cell, None for a task without a status."""
    return _STATUS_STYLES[status]  # looked up: a hundred thousand cells at 1,000 returns


def severity_style(severity: Severity) -> str:
    """The style name of a Severity cell."""
    return f"severity-{severity.value}" if severity in SEVERITY_FILL else "text"


def state_style(state: str) -> str:
    """The style name of the cell showing what became of a submission (or "missing")."""
    return f"state-{state}" if state in STATE_FILL else "text"


class Styles:
    """Formats by name, each made once; a "quoted" variant keeps formula-like text as text.

    Every named format, plain and quoted, is made when the Styles are, in one order: in a
    streamed workbook (`RowsWorkbook`), which numbers its formats as they are made, each then
    has the same index in any workbook, whatever its sheets use first. So one workbook's sheet
    can take rows another process wrote in a workbook of its own (`xlsx_rows.RowsSheet.take_rows`)."""

    def __init__(self, book: Workbook) -> None:
        self._book = book
        self._made: dict[tuple[str, bool], Format] = {}
        self._names: dict[int, str] = {}  # a plain format's id: its name (the format is kept)
        self._column_defaults: dict[str, Format] = {}
        self._grid: Format | None = None
        self.grid_only: set[int] = set()
        """The ids of the formats whose blank cell shows nothing but the grid: `grid_rule`
        draws that, so such a cell need not be written at all."""
        for name in _STYLES:
            for quoted in (False, True):
                self._make(name, quoted)

    def _make(self, name: str, quoted: bool) -> None:
        props = dict(_STYLES[name])
        if quoted:
            # Without it, editing the cell (F2, Enter) would turn "=cmd|..." into a formula.
            props["quote_prefix"] = True
        made = self._made[(name, quoted)] = self._book.add_format(props)
        if not quoted:
            self._names[id(made)] = name
            if name in _GRID_ONLY:
                self.grid_only.add(id(made))

    def get(self, name: str, *, quoted: bool = False) -> Format:
        """The format called `name`; `quoted` adds Excel's leading apostrophe (quote prefix)."""
        return self._made[(name, quoted)]

    def indexes(self) -> tuple[int | None, ...]:
        """Each named format's index among the workbook's formats, in the order they were made
        (in a streamed workbook: the same in every one; None in another, which numbers them as
        it writes the file)."""
        return tuple(made.xf_index for made in self._made.values())

    def column_default(self, name: str) -> Format:
        """The format called `name` without its border: a column's default, which a cell left
        blank (not written) takes when someone types into it, so the typing wraps and aligns as
        the rest of the column does. Borderless, as it reaches past the table's last row."""
        if name not in self._column_defaults:
            props = {k: v for k, v in _STYLES[name].items() if k not in _BORDER_PROPERTIES}
            self._column_defaults[name] = self._book.add_format(props)
        return self._column_defaults[name]

    def grid_rule(self) -> dict[str, Any]:
        """A conditional format giving each blank cell of a range the grid's border, as if the
        cell were written in the "text" format (blank, it shows nothing else)."""
        if self._grid is None:
            self._grid = self._book.add_format(dict(_GRID))
        return {"type": "blanks", "format": self._grid}

    def quoted(self, plain: Format) -> Format:
        """The quoted variant of a format `get` made (not quoted)."""
        return self.get(self._names[id(plain)], quoted=True)
