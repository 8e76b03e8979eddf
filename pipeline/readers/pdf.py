"""Reading a PDF return (pdfplumber): its ruled tables of text, and the lines of text between them.

A PDF is a picture of a return, not the return: tables are found from their ruling lines and
their cells' text from where the characters sit, so every row read from one is warned about.
A PDF with no text (a scan) or no ruled table cannot be read as a return: it is rejected with a
request for the Word or Excel file, and the group counts as having sent something. A table set
out by spacing alone is not guessed at (pdfplumber's text strategy cut words at the edge of the
last column and split wrapped lines into rows): it is refused saying so. Every place names its
page: "page 2, table 3, row 4" (tables are numbered through the whole file).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from pipeline.document import Block, Cell, Paragraph, Place, Row, SourceDocument, Table
from pipeline.issues import FileRejected

log = logging.getLogger(__name__)

#: A line of a task table's headings: Task(s) and Status or Position on one line.
_HEADINGS = re.compile(r"\btasks?\b.*\b(?:status|position|rag)\b", re.IGNORECASE)
#: Pages read at most: a return is a few pages; a 500-page PDF is something else.
MAX_PAGES = 60


def read_pdf(path: Path, name: str) -> SourceDocument:
    """Read a PDF's ruled tables and text lines, in reading order, into blocks."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:
        raise FileRejected("unreadable-pdf", reason="it is damaged or protected") from exc
    blocks: list[Block] = []
    table_number = paragraph_number = 0
    any_text = False
    try:
        with pdf:
            for page_number, page in enumerate(pdf.pages[:MAX_PAGES], start=1):
                items: list[tuple[float, Any]] = []
                found = page.find_tables()
                boxes = [t.bbox for t in found]
                for table in found:
                    items.append((table.bbox[1], table))
                outside = page.filter(_Outside(boxes))
                for line in outside.extract_text_lines():
                    if line["text"].strip():
                        items.append((line["top"], line["text"]))
                any_text = any_text or bool(page.chars)
                for _, item in sorted(items, key=lambda pair: pair[0]):
                    if isinstance(item, str):
                        paragraph_number += 1
                        blocks.append(Paragraph([item.strip()], Place(
                            name, paragraph=paragraph_number, page=page_number)))
                    else:
                        table_number += 1
                        blocks.append(_table(item.extract(), name, table_number, page_number))
    except FileRejected:
        raise
    except Exception as exc:
        log.debug("pdfplumber failed on %s", name, exc_info=True)
        raise FileRejected("unreadable-pdf", reason="its pages could not be read") from exc
    if not any_text:
        raise FileRejected("unreadable-pdf", reason="it holds no text (it may be a scan)")
    if not table_number:
        if any(_HEADINGS.search(b.text) for b in blocks if isinstance(b, Paragraph)):
            # Columns set out by spacing alone cannot be told apart safely: a wrapped line, a
            # centred heading or a long word moves text into the wrong column, unseen.
            raise FileRejected("unreadable-pdf", reason=(
                "its task table has no ruled lines, so its columns cannot be told apart safely"))
        raise FileRejected("unreadable-pdf", reason="it has no ruled table to read the tasks from")
    return SourceDocument(file=name, kind="pdf", blocks=blocks)


class _Outside:
    """Keeps a page's objects that lie outside every table (the text between tables)."""

    def __init__(self, boxes: list[tuple[float, float, float, float]]) -> None:
        self.boxes = boxes

    def __call__(self, obj: dict[str, Any]) -> bool:
        x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
        y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in self.boxes)


def _table(rows: list[list[str | None]], name: str, number: int, page: int) -> Table:
    width = max((len(r) for r in rows), default=0)
    out: list[Row] = []
    for r, values in enumerate(rows, start=1):
        place = Place(name, table=number, row=r, page=page)
        cells: list[Cell] = []
        for c in range(width):
            value = values[c] if c < len(values) else None
            cell_place = Place(name, table=number, row=r, column=c + 1, page=page)
            if value is None and c > 0:
                # pdfplumber gives None for the part of a merged cell after its first column.
                cells.append(Cell([], cell_place, merged_left=True))
            else:
                cells.append(Cell([line.strip() for line in (value or "").splitlines()], cell_place))
        out.append(Row(cells, place))
    return Table(out, Place(name, table=number, page=page))
