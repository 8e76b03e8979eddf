"""Plain grid tables of the board pack (cover facts, key, headline figures, appendix), as XML.

Header rows repeat on every page and keep with the first body row, so a heading and its table
are never parted; no row splits across pages. See `docx_table_xml` for the elements; the rows
are made while the document is saved (`docx_stream`), one at a time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from docx.shared import Length, Pt

from pipeline.report import docx_table_xml as xml
from pipeline.report.docx_stream import StreamedDocument
from pipeline.report.palette import WORD_HEADER_FILL
from pipeline.report.text import lines

#: The size of a cell's secondary lines.
SMALL = Pt(8)


@dataclass
class GridCell:
    """One cell: its text (one paragraph per line), look and column span."""

    text: str = ""
    bold: bool = False
    fill: str | None = None
    color: str | None = None
    center: bool = False
    span: int = 1
    size: Length | None = None
    extra: list[str] = field(default_factory=list)
    """Further lines in a smaller size under the text (a direction mark, last period's status)."""


def header(text: str, *, span: int = 1, fill: str = WORD_HEADER_FILL, color: str | None = None,
           center: bool = False) -> GridCell:
    """A bold heading cell on the header grey (or another fill)."""
    return GridCell(text, bold=True, fill=fill, color=color, center=center, span=span)


def shares_to_widths(total: int, shares: Sequence[float]) -> list[int]:
    """Column widths (EMU) from shares of the page's width; the last takes what is left."""
    widths = [int(total * share) for share in shares]
    widths[-1] = total - sum(widths[:-1])
    return widths


def add_grid(report: StreamedDocument, head: Sequence[Sequence[GridCell]],
             body: Sequence[Sequence[GridCell]], widths: Sequence[int], *,
             whole: bool = False) -> None:
    """Append a table: `head` rows repeat on each page and stay with the first body row.

    `whole`: the table is kept on one page (every row kept with the next), for a short table
    read as one piece, such as a key.
    """
    style_id = report.document.styles["Table Grid"].style_id
    report.add_xml(_table(head, body, widths, style_id, whole=whole))


def _table(head: Sequence[Sequence[GridCell]], body: Sequence[Sequence[GridCell]],
           widths: Sequence[int], style_id: str, *, whole: bool) -> Iterator[str]:
    """The table's XML, a row at a time."""
    yield xml.table_start(widths, style_id)
    for row in head:
        yield xml.row(_cells(row, widths, keep=True), header=True)
    last = len(body) - 1
    for i, row in enumerate(body):
        yield xml.row(_cells(row, widths, keep=whole and i < last))
    yield xml.TABLE_END


def _cells(row: Sequence[GridCell], widths: Sequence[int], *, keep: bool) -> list[str]:
    out = []
    col = 0
    for cell in row:
        width = sum(widths[col: col + cell.span])
        col += cell.span
        paragraphs = [xml.paragraph(xml.run(line, bold=cell.bold, color=cell.color, size=cell.size),
                                    keep_with_next=keep, center=cell.center)
                      for line in lines(cell.text) if line.strip()]
        paragraphs += [xml.paragraph(xml.run(line, color=cell.color, size=SMALL),
                                     keep_with_next=keep, center=cell.center)
                       for line in cell.extra if line.strip()]
        out.append(xml.cell(paragraphs, width, span=cell.span, fill=cell.fill))
    if col != len(widths):
        raise ValueError(f"a row spans {col} columns of {len(widths)}")
    return out
