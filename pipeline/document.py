"""The reader's document: a return as blocks (paragraphs and tables of cells), each knowing its place.

Readers turn a file into a `SourceDocument`: a stream of blocks in reading order, every cell
carrying its `Place` in the file, so anything taken from it can be traced back to a cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pipeline.issues import Issue


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


@dataclass(frozen=True)
class TrackedChange:
    """An unaccepted tracked change in Word: what was inserted or deleted, by whom and when."""

    kind: str
    """``insert`` or ``delete`` (moves count as a delete at the source and an insert here)."""
    text: str
    author: str = ""
    date: str = ""
    """As Word records it (ISO 8601), or empty."""


@dataclass(slots=True)
class Cell:
    """One cell as a person sees it: its paragraphs as lines, its shading, how it is merged."""

    lines: list[str]
    place: Place
    fill: str | None = None
    """Background colour as six hex digits (``FFC000``), when the cell is shaded."""
    colour: str | None = None
    """Text colour as six hex digits, when all of the cell's text is in one colour (not black)."""
    merged_left: bool = False
    """A continuation of a horizontally merged cell: its value is the cell to its left."""
    merged_above: bool = False
    """A continuation of a vertically merged cell: its value is the cell above."""
    from_control: bool = False
    """The value was chosen in a drop-down or typed in a content control."""
    value: object | None = None
    """The typed value where the format has one (an Excel number or date); None for Word."""
    changes: list[TrackedChange] = field(default_factory=list)
    """Unaccepted tracked changes inside the cell; its lines already show the text as changed."""
    struck: list[str] = field(default_factory=list)
    """Text struck through by hand (Word strike formatting), left out of the lines."""
    unread_look: str = ""
    """What shows in the cell that cannot be read, in words ('a conditional-format icon set'):
    a status shown only that way is not known."""

    text: str = field(init=False, repr=False, compare=False)
    """All lines joined by newlines, trimmed of blank lines at either end."""

    def __post_init__(self) -> None:
        # A cell's lines are final once a reader has made it, so its text is worked out once:
        # the layout interpreter looks at every cell several times.
        self.text = "\n".join(self.lines).strip()

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
        return not any(c.text for c in self.cells)

    def texts(self) -> list[str]:
        """Each cell's text, merge continuations as empty strings."""
        return ["" if (c.merged_left) else c.text for c in self.cells]


@dataclass
class Paragraph:
    """A free paragraph between tables (a heading, a note, a ``Ref:`` line)."""

    lines: list[str]
    place: Place
    style: str | None = None
    changes: list[TrackedChange] = field(default_factory=list)

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
