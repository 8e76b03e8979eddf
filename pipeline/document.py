"""The reader's document: a return as blocks (paragraphs and tables of cells), each knowing its place.

Readers turn a file into a `SourceDocument`: a stream of blocks in reading order, every cell
carrying its `Place` in the file, so anything taken from it can be traced back to a cell.
"""

from __future__ import annotations

import copyreg
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from pipeline.issues import Issue


#: How a place is unpickled (`Place.__reduce__`): looked up once, not for each place.
_new_tuple = tuple.__new__


class Place(NamedTuple):
    """Where something sits in a return: a Word table and row, a paragraph, or a sheet and cell.

    A named tuple, not a frozen dataclass: every cell a reader makes has one (hundreds of
    thousands at 1,000 returns), and a frozen dataclass set each of its eight fields through
    ``object.__setattr__`` (about 1 µs a place; a tuple takes 0.4 µs, and pickles as one).
    """

    file: str
    table: int | None = None
    row: int | None = None
    column: int | None = None
    paragraph: int | None = None
    sheet: str | None = None
    cell: str | None = None
    page: int | None = None
    """The page of a PDF the place is on (its tables are numbered through the whole file)."""

    def describe(self) -> str:
        """The place in words a group can find in its own file, without the file name."""
        if self.sheet is not None:
            sheet = "'" + self.sheet.replace("'", "''") + "'"
            return f"{sheet}!{self.cell}" if self.cell else f"sheet {sheet}"
        parts: list[str] = [f"page {self.page}"] if self.page is not None else []
        if self.table is not None:
            parts.append(f"table {self.table}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None and self.table is not None:
            parts.append(f"column {self.column}")
        if self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph}")
        return ", ".join(parts) if parts else "whole file"

    def __str__(self) -> str:
        return f"{self.file}: {self.describe()}"

    def __reduce__(self) -> tuple[Callable[..., Place], tuple[type[Place], tuple[Any, ...]]]:
        # Unpickled as a plain tuple is made, in C: a named tuple's own __new__ is a Python
        # function, called for each of the hundred thousand places the reading workers send
        # back (a third of what unpickling their answers cost the run's parent). Its values are
        # a slice, a plain tuple made without the call `tuple(self)` makes (5% less to pickle
        # an answer, which holds about 170 places).
        return _new_tuple, (Place, self[:])


# The pickler looks a type up in copyreg's table before it asks the object for `__reduce_ex__`:
# found there, a place is reduced by one direct call instead of an attribute lookup, a bound
# method and `object.__reduce_ex__` calling `__reduce__`. A return's answer holds about 180 places.
copyreg.pickle(Place, Place.__reduce__)


@dataclass(frozen=True)
class TrackedChange:
    """An unaccepted tracked change in Word: what was inserted or deleted, by whom and when."""

    kind: str
    """``insert`` or ``delete`` (moves count as a delete at the source and an insert here)."""
    text: str
    author: str = ""
    date: str = ""
    """As Word records it (ISO 8601), or empty."""


@dataclass(slots=True, init=False)
class Cell:
    """One cell as a person sees it: its paragraphs as lines, its shading, how it is merged."""

    lines: list[str]
    place: Place
    fill: str | None
    """Background colour as six hex digits (``FFC000``), when the cell is shaded."""
    colour: str | None
    """Text colour as six hex digits, when all of the cell's text is in one colour (not black)."""
    merged_left: bool
    """A continuation of a horizontally merged cell: its value is the cell to its left."""
    merged_above: bool
    """A continuation of a vertically merged cell: its value is the cell above."""
    from_control: bool
    """The value was chosen in a drop-down or typed in a content control."""
    value: object | None
    """The typed value where the format has one (an Excel number or date); None for Word."""
    changes: Sequence[TrackedChange]
    """Unaccepted tracked changes inside the cell; its lines already show the text as changed.
    An empty tuple, shared, when there are none: assign a new sequence, never append to it."""
    struck: Sequence[str]
    """Text struck through by hand (Word strike formatting), left out of the lines (a shared
    empty tuple when there is none, as for `changes`)."""
    unread_look: str
    """What shows in the cell that cannot be read, in words ('a conditional-format icon set'):
    a status shown only that way is not known."""

    text: str = field(init=False, repr=False, compare=False)
    """All lines joined by newlines, trimmed of blank lines at either end."""

    def __init__(self, lines: list[str], place: Place, fill: str | None = None,
                 colour: str | None = None, merged_left: bool = False, merged_above: bool = False,
                 from_control: bool = False, value: object | None = None,
                 changes: Sequence[TrackedChange] = (), struck: Sequence[str] = (),
                 unread_look: str = "") -> None:
        # Written by hand, not generated by dataclass: the readers make a few hundred cells a
        # return, and the generated one called __post_init__ and made two new lists for every
        # cell (about three times the instructions). The dataclass still gives repr and ==.
        self.lines = lines
        self.place = place
        self.fill = fill
        self.colour = colour
        self.merged_left = merged_left
        self.merged_above = merged_above
        self.from_control = from_control
        self.value = value
        self.changes = changes
        self.struck = struck
        self.unread_look = unread_look
        # A cell's lines are final once a reader has made it, so its text is worked out once:
        # the layout interpreter looks at every cell several times.
        self.text = "\n".join(lines).strip()

    @property
    def is_blank(self) -> bool:
        """True when the cell holds no visible text."""
        return not self.text


@dataclass(slots=True)
class Row:
    """A table row, or a line of a sheet, with its cells in column order (merges padded)."""

    cells: list[Cell]
    place: Place
    hidden: bool = False

    @property
    def is_blank(self) -> bool:
        """True when no cell in the row holds text."""
        # A plain loop, not any() over a generator: a blank row is looked at to its last cell,
        # and the generator's frame cost three times the looking (measured on 2026-12-02).
        for cell in self.cells:
            if cell.text:
                return False
        return True

    def texts(self) -> list[str]:
        """Each cell's text, merge continuations as empty strings."""
        return ["" if (c.merged_left) else c.text for c in self.cells]


@dataclass
class Paragraph:
    """A free paragraph between tables (a heading, a note, a ``Ref:`` line)."""

    lines: list[str]
    place: Place
    style: str | None = None
    changes: Sequence[TrackedChange] = ()

    @property
    def text(self) -> str:
        """The paragraph's text, trimmed."""
        return "\n".join(self.lines).strip()


@dataclass
class Table:
    """A Word table or the used range of a sheet."""

    rows: list[Row]
    place: Place
    title: str | None = None
    """For a sheet, its name."""


Block = Paragraph | Table


@dataclass
class SourceDocument:
    """What a reader got out of one file: its blocks in reading order, and what it noticed."""

    file: str
    kind: str
    """``docx`` or ``xlsx``: the format the content was read from."""
    blocks: list[Block]
    issues: list[Issue] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    """Core properties worth keeping: ``title``, ``author``, ``modified`` (ISO date)."""
    text_safe: bool = False
    """True once intake's `make_text_safe` has cleaned the document: no cell's text then holds a
    line break but a newline, U+2028 or U+2029 (carriage returns, vertical tabs, form feeds,
    the separators \x1c-\x1e and U+0085 are all controls it removes). On that word the layout
    reads a cell of one line, or of plain ASCII lines, without splitting it into lines
    (`read_row`), and counts an ASCII sentence's words by its spaces (`row_header`)."""
