"""The exceptions report as the page shows it: read back from the .docx the run wrote.

Read from the file itself, not from the consolidation, so the page shows what will print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph


@dataclass
class PreviewCell:
    """One cell: its paragraphs, how many grid columns it spans, its shading (six hex digits)."""

    lines: list[str]
    span: int = 1
    fill: str | None = None
    bold: bool = False


@dataclass
class PreviewBlock:
    """A heading, a paragraph or a table, in the document's order."""

    kind: str
    """``heading``, ``paragraph`` or ``table``."""
    text: str = ""
    level: int = 0
    rows: list[list[PreviewCell]] = field(default_factory=list)


def preview_docx(path: Path) -> list[PreviewBlock]:
    """The document's headings, paragraphs and tables in order, ready to render as HTML."""
    document = Document(str(path))
    blocks: list[PreviewBlock] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            block = _paragraph(item)
            if block is not None:
                blocks.append(block)
        else:
            blocks.append(PreviewBlock("table", rows=_rows(item)))
    return blocks


def _paragraph(paragraph: Paragraph) -> PreviewBlock | None:
    text = paragraph.text.strip()
    if not text:
        return None
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.startswith("Heading") or style == "Title":
        level = 1 if style == "Title" else int(style.rsplit(" ", 1)[-1]) + 1 if style[-1:].isdigit() else 2
        return PreviewBlock("heading", text, level=min(level, 4))
    return PreviewBlock("paragraph", text)


def _rows(table: Table) -> list[list[PreviewCell]]:
    rows = []
    for row in table.rows:
        cells: list[PreviewCell] = []
        seen: list[object] = []
        for cell in row.cells:
            # A merged cell appears once per grid column it covers: the same _tc each time.
            if any(cell._tc is tc for tc in seen):
                cells[-1].span += 1
                continue
            seen.append(cell._tc)
            cells.append(_cell(cell))
        rows.append(cells)
    return rows


def _cell(cell: _Cell) -> PreviewCell:
    lines = [p.text for p in cell.paragraphs if p.text.strip()]
    fill = None
    props = cell._tc.tcPr
    if props is not None:
        shading = props.find(qn("w:shd"))
        value = shading.get(qn("w:fill")) if shading is not None else None
        if value and len(value) == 6 and value.upper() != "AUTO":
            fill = value.upper()
    bold = any(run.bold for p in cell.paragraphs for run in p.runs if run.text.strip())
    return PreviewCell(lines, fill=fill, bold=bold)
