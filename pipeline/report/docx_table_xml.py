"""A Word table's XML written as text, in exactly the shape python-docx gives it.

python-docx builds a table cell by cell through proxy objects, about 10 ms for one action
table of the exceptions report; the report of a thousand returns holds thousands. Writing
the same elements as text is about twenty times faster, and the text is written into the file
as it is made, never held as a tree (`docx_stream`). The elements, attributes and their order
are python-docx's own (`pipeline.templates.docx_parts` makes the same settings through
python-docx); tests/test_report_exceptions.py reads the result back.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from docx.shared import Emu, Length

from pipeline.report.text import clean, escape_xml

_TABLE_PROPERTIES = (
    '<w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:type="auto" w:w="0"/><w:jc w:val="left"/>'
    '<w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" '
    'w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr>'
)
_HEADER_ROW = '<w:trPr><w:cantSplit w:val="true"/><w:tblHeader w:val="true"/></w:trPr>'
_WHOLE_ROW = '<w:trPr><w:cantSplit w:val="true"/></w:trPr>'
#: How every body row (one that is not a repeated header row) starts: counted in what is written.
BODY_ROW = f"<w:tr>{_WHOLE_ROW}"


#: A tab or a line break, kept by the split: each becomes its own element in a run.
_BREAKS = re.compile(r"([\t\r\n])")


@functools.lru_cache(maxsize=256)  # a report has a few dozen widths, each used thousands of times
def twips(emu: int) -> int:
    """A length in EMU as Word's twentieths of a point, rounded as python-docx rounds it."""
    return Emu(emu).twips


def run(text: str, *, bold: bool = False, color: str | None = None,
        size: Length | None = None) -> str:
    """A ``w:r`` as `docx_layout.add_text` makes it: tabs and line breaks as their elements.

    Nearly every run of the report is plain text on one line: one ``w:t``, without cleaning or
    splitting (`text_elements` does the rest, held to it by the tests)."""
    properties = run_properties(bold, color, size) if bold or color or size else ""
    if text and text.__class__ is str and text.isprintable() \
            and not (text[0].isspace() or text[-1].isspace()):
        # Printable: no tab, line break or control character (nothing `clean` takes out).
        return f"<w:r>{properties}<w:t>{escape_xml(text)}</w:t></w:r>"
    return f"<w:r>{properties}{text_elements(text)}</w:r>"


@functools.lru_cache(maxsize=64)  # a report has a handful of looks, each used thousands of times
def run_properties(bold: bool, color: str | None, size: Length | None) -> str:
    """A run's ``w:rPr`` for its look ('' for none)."""
    if not (bold or color or size):
        return ""
    return ("<w:rPr>" + ("<w:b/>" if bold else "")
            + (f'<w:color w:val="{color.upper()}"/>' if color else "")
            + (f'<w:sz w:val="{int(Emu(size).pt * 2)}"/>' if size else "") + "</w:rPr>")


def text_elements(text: str) -> str:
    """A run's text as its elements: cleaned, tabs and line breaks as their own."""
    parts: list[str] = []
    for piece in _BREAKS.split(clean(text)):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            parts.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if piece[0].isspace() or piece[-1].isspace() else ""
            parts.append(f"<w:t{space}>{escape_xml(piece)}</w:t>")
    return "".join(parts)


def paragraph(runs: str = "", *, keep_with_next: bool = False, center: bool = False,
              space_before: int | None = None, space_after: int | None = None) -> str:
    """A ``w:p`` holding the given runs, kept with the next, spaced (twips) and centred as asked."""
    if keep_with_next or center or space_before is not None or space_after is not None:
        properties = paragraph_properties(keep_with_next, center, space_before, space_after)
        return f"<w:p>{properties}{runs}</w:p>"
    return f"<w:p>{runs}</w:p>"


@functools.lru_cache(maxsize=64)  # as `run_properties`: a handful, each used thousands of times
def paragraph_properties(keep_with_next: bool, center: bool, space_before: int | None,
                         space_after: int | None) -> str:
    """A paragraph's ``w:pPr`` for how it is kept, spaced and aligned."""
    spacing = ""
    if space_before is not None or space_after is not None:
        spacing = ("<w:spacing" + (f' w:before="{space_before}"' if space_before is not None else "")
                   + (f' w:after="{space_after}"' if space_after is not None else "") + "/>")
    return ("<w:pPr>" + ("<w:keepNext/>" if keep_with_next else "") + spacing
            + ('<w:jc w:val="center"/>' if center else "") + "</w:pPr>")


def cell(paragraphs: Sequence[str], width: int, *, span: int = 1, fill: str | None = None) -> str:
    """A ``w:tc`` of the given width (EMU), grid span and shading; an empty one keeps a ``w:p``."""
    return f"<w:tc>{cell_properties(width, span, fill)}{''.join(paragraphs) or '<w:p/>'}</w:tc>"


@functools.lru_cache(maxsize=256)  # as `twips`: a few dozen widths, spans and fills
def cell_properties(width: int, span: int, fill: str | None) -> str:
    """A cell's ``w:tcPr``: its width, grid span and shading."""
    properties = f'<w:tcW w:type="dxa" w:w="{twips(width)}"/>'
    if span > 1:
        properties += f'<w:gridSpan w:val="{span}"/>'
    if fill:
        properties += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    return f"<w:tcPr>{properties}</w:tcPr>"


def row(cells: Sequence[str], *, header: bool = False) -> str:
    """A ``w:tr`` that never splits across pages; a header row also repeats on each page."""
    return f"{'<w:tr>' + _HEADER_ROW if header else BODY_ROW}{''.join(cells)}</w:tr>"


def table_text(rows: Sequence[str], widths: Sequence[int], style_id: str) -> str:
    """A fixed-layout ``w:tbl`` in the given table style, its grid of the given widths (EMU)."""
    return f"{table_start(widths, style_id)}{''.join(rows)}{TABLE_END}"


def table_start(widths: Sequence[int], style_id: str) -> str:
    """A table's start tag, properties and grid, to be followed by its rows and `TABLE_END`."""
    grid = "".join(f'<w:gridCol w:w="{twips(w)}"/>' for w in widths)
    return f"<w:tbl>{_TABLE_PROPERTIES.format(style=style_id)}<w:tblGrid>{grid}</w:tblGrid>"


TABLE_END = "</w:tbl>"


def styled_paragraph_text(runs: str, style_id: str) -> str:
    """A ``w:p`` in a paragraph style (a heading)."""
    return f'<w:p><w:pPr><w:pStyle w:val="{escape_xml(style_id)}"/></w:pPr>{runs}</w:p>'
