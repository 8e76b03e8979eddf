"""Building reader blocks by hand, for testing the layout interpreter without files."""

from __future__ import annotations

from pipeline.document import Cell, Paragraph, Place, Row, SourceDocument, Table

FILE = "return.docx"
MERGED_LEFT = "<merged-left>"
MERGED_ABOVE = "<merged-above>"


def table(number: int, rows: list[list[str]], fills: dict[tuple[int, int], str] | None = None) -> Table:
    """A Word-like table; a cell written MERGED_LEFT/MERGED_ABOVE is a merge continuation."""
    fills = fills or {}
    built = []
    for r, values in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(values, start=1):
            place = Place(FILE, table=number, row=r, column=c)
            if value == MERGED_LEFT:
                cells.append(Cell([], place, merged_left=True))
            elif value == MERGED_ABOVE:
                cells.append(Cell([], place, merged_above=True))
            else:
                cells.append(Cell(value.split("\n"), place, fill=fills.get((r, c))))
        built.append(Row(cells, Place(FILE, table=number, row=r)))
    return Table(built, Place(FILE, table=number))


def para(text: str, number: int = 1) -> Paragraph:
    """A free paragraph."""
    return Paragraph(text.split("\n"), Place(FILE, paragraph=number))


def document(*blocks: Table | Paragraph, file: str = FILE) -> SourceDocument:
    """A document made of the given blocks."""
    return SourceDocument(file=file, kind="docx", blocks=list(blocks))
