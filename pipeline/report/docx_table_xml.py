"""A Word table's XML written as text, in exactly the shape python-docx gives it, parsed once.

python-docx builds a table cell by cell through proxy objects, about 10 ms for one action
table of the exceptions report; the report of a thousand returns holds thousands. Writing
the same elements as text and parsing the table once is about twenty times faster. The
elements, attributes and their order are python-docx's own (`pipeline.templates.docx_parts`
makes the same settings through python-docx); tests/test_report_exceptions.py reads the result back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape

from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.shared import Emu, Length
from lxml import etree

from pipeline.report.text import clean

_TABLE_PROPERTIES = (
    '<w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:type="auto" w:w="0"/><w:jc w:val="left"/>'
    '<w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" '
    'w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr>'
)
_HEADER_ROW = '<w:trPr><w:cantSplit w:val="true"/><w:tblHeader w:val="true"/></w:trPr>'
_WHOLE_ROW = '<w:trPr><w:cantSplit w:val="true"/></w:trPr>'


def twips(emu: int) -> int:
    """A length in EMU as Word's twentieths of a point, rounded as python-docx rounds it."""
    return Emu(emu).twips


def run(text: str, *, bold: bool = False, color: str | None = None,
        size: Length | None = None) -> str:
    """A ``w:r`` as `docx_layout.add_text` makes it: tabs and line breaks as their elements."""
    properties = ""
    if bold or color or size:
        properties = ("<w:rPr>" + ("<w:b/>" if bold else "")
                      + (f'<w:color w:val="{color.upper()}"/>' if color else "")
                      + (f'<w:sz w:val="{int(Emu(size).pt * 2)}"/>' if size else "") + "</w:rPr>")
    parts: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        piece = "".join(pending)
        if piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            parts.append(f"<w:t{space}>{escape(piece)}</w:t>")
        pending.clear()

    for char in clean(text):
        if char == "\t":
            flush()
            parts.append("<w:tab/>")
        elif char in "\r\n":
            flush()
            parts.append("<w:br/>")
        else:
            pending.append(char)
    flush()
    return f"<w:r>{properties}{''.join(parts)}</w:r>"


def paragraph(runs: str = "", *, keep_with_next: bool = False, center: bool = False,
              space_before: int | None = None, space_after: int | None = None) -> str:
    """A ``w:p`` holding the given runs, kept with the next, spaced (twips) and centred as asked."""
    properties = ""
    if keep_with_next or center or space_before is not None or space_after is not None:
        spacing = ""
        if space_before is not None or space_after is not None:
            spacing = ("<w:spacing" + (f' w:before="{space_before}"' if space_before is not None else "")
                       + (f' w:after="{space_after}"' if space_after is not None else "") + "/>")
        properties = ("<w:pPr>" + ("<w:keepNext/>" if keep_with_next else "") + spacing
                      + ('<w:jc w:val="center"/>' if center else "") + "</w:pPr>")
    return f"<w:p>{properties}{runs}</w:p>"


def cell(paragraphs: Sequence[str], width: int, *, span: int = 1, fill: str | None = None) -> str:
    """A ``w:tc`` of the given width (EMU), grid span and shading; an empty one keeps a ``w:p``."""
    properties = f'<w:tcW w:type="dxa" w:w="{twips(width)}"/>'
    if span > 1:
        properties += f'<w:gridSpan w:val="{span}"/>'
    if fill:
        properties += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{''.join(paragraphs) or '<w:p/>'}</w:tc>"


def row(cells: Sequence[str], *, header: bool = False) -> str:
    """A ``w:tr`` that never splits across pages; a header row also repeats on each page."""
    return f"<w:tr>{_HEADER_ROW if header else _WHOLE_ROW}{''.join(cells)}</w:tr>"


def table_text(rows: Sequence[str], widths: Sequence[int], style_id: str) -> str:
    """A fixed-layout ``w:tbl`` in the given table style, its grid of the given widths (EMU)."""
    grid = "".join(f'<w:gridCol w:w="{twips(w)}"/>' for w in widths)
    return (f"<w:tbl>{_TABLE_PROPERTIES.format(style=style_id)}"
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")


def table(rows: Sequence[str], widths: Sequence[int], style_id: str) -> etree._Element:
    """`table_text`, parsed, to append to the body."""
    return parse_xml(table_text(rows, widths, style_id).replace("<w:tbl>", f"<w:tbl {nsdecls('w')}>", 1))


def styled_paragraph_text(runs: str, style_id: str) -> str:
    """A ``w:p`` in a paragraph style (a heading)."""
    return f'<w:p><w:pPr><w:pStyle w:val="{escape(style_id)}"/></w:pPr>{runs}</w:p>'


def styled_paragraph(runs: str, style_id: str) -> etree._Element:
    """A parsed ``w:p`` in a paragraph style (a heading), to append to the body."""
    return parse_xml(styled_paragraph_text(runs, style_id).replace("<w:p>", f"<w:p {nsdecls('w')}>", 1))


def append_to_body(body: etree._Element, parts: Sequence[str], end: etree._Element | None = None) -> None:
    """Parse body-level elements written as text (paragraphs, tables) in one go and append them
    before `end` (by default the body's closing section properties): one parse, and no search of
    the body for each element (python-docx's ``_insert_p`` looks for ``w:sectPr`` every time,
    quadratic over a report of thousands of tables)."""
    if not parts:
        return
    # Each element declares the namespace itself: moving an element whose namespace is declared
    # outside it into another tree makes lxml look it up for every node (1.4 s for a table of
    # 2,000 rows; instant this way).
    declared = [_NAME_END.sub(_DECLARATION, part, count=1) for part in parts]
    fragment = parse_xml(f"<w:body {nsdecls('w')}>{''.join(declared)}</w:body>")
    end = end if end is not None else body.find(qn("w:sectPr"))
    for element in list(fragment):
        if end is not None:
            end.addprevious(element)
        else:
            body.append(element)


#: The end of an element's name in its start tag ("<w:tbl" of "<w:tbl>").
_NAME_END = re.compile(r"^(<w:\w+)")
_DECLARATION = rf"\1 {nsdecls('w')}"
