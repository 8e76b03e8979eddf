"""Word layout pieces python-docx has no call for: shading, repeated headers, fixed widths, fields."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from pipeline.report.text import clean

FONT_NAME = "Arial"
FONT_SIZE = Pt(10)


def set_up_page(document: Document) -> None:
    """Landscape A4 with 15 mm margins: room for five columns of prose."""
    for section in document.sections:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin = section.right_margin = Mm(15)
        section.top_margin, section.bottom_margin = Mm(15), Mm(15)
        section.header_distance = section.footer_distance = Mm(8)


def usable_width(document: Document) -> int:
    """The width between the margins of the first section, in EMU."""
    return _inner_width(document.sections[0])


def _inner_width(section: Section) -> int:
    """Page width less both margins; a section always has them once its page is set up."""
    width, left, right = section.page_width, section.left_margin, section.right_margin
    if width is None or left is None or right is None:
        raise ValueError("The report's page size and margins are not set")
    return int(width - left - right)


def set_up_fonts(document: Document) -> None:
    """Arial 10 for the body, Arial headings; set for every script so Word does not fall back."""
    styles = document.styles
    for name, size, bold in (
        ("Normal", FONT_SIZE, None),
        ("Title", Pt(16), True),
        ("Heading 1", Pt(14), True),
        ("Heading 2", Pt(13), True),
        ("Heading 3", Pt(11), True),
        ("Footer", Pt(9), None),
    ):
        style = styles[name]
        style.font.name = FONT_NAME
        style.font.size = size
        if bold is not None:
            style.font.bold = bold
        r_fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            r_fonts.set(qn(attr), FONT_NAME)
        # Theme fonts in the template would override the names set above.
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            r_fonts.attrib.pop(qn(attr), None)
    normal = styles["Normal"].paragraph_format
    normal.space_before, normal.space_after, normal.line_spacing = Pt(0), Pt(2), 1.0
    title = styles["Title"]
    title.font.color.rgb = RGBColor(0, 0, 0)
    title.font.all_caps = True  # the seed report's title is in capitals
    title.paragraph_format.space_after = Pt(6)
    # The template's Title has a bottom border and wide spacing meant for a cover page.
    for border in title.element.xpath("./w:pPr/w:pBdr"):
        border.getparent().remove(border)
    # Dark blue prints as near-black; every heading stays on the page of the table it heads.
    for name, before, after in (("Heading 1", 16, 6), ("Heading 2", 14, 6), ("Heading 3", 8, 4)):
        heading = styles[name]
        heading.font.color.rgb = RGBColor(0x1F, 0x38, 0x64)
        heading.font.italic = False
        heading.paragraph_format.space_before = Pt(before)
        heading.paragraph_format.space_after = Pt(after)
        heading.paragraph_format.keep_with_next = True


def add_page_numbers(document: Document, left_text: str) -> None:
    """A footer with the report's name on the left and "Page X of Y" on the right."""
    section = document.sections[0]
    paragraph = section.footer.paragraphs[0]
    paragraph.style = document.styles["Footer"]
    paragraph.text = ""
    # The template's Footer style has tab stops for a portrait Letter page; they would catch the
    # tab before ours does and glue the page number to the report's name.
    document.styles["Footer"].paragraph_format.tab_stops.clear_all()
    right = _inner_width(section)
    paragraph.paragraph_format.tab_stops.add_tab_stop(right, alignment=WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run(clean(left_text) + "\t")
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES", "1")


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A field Word and LibreOffice update when they lay out the pages."""

    def fld_char(kind: str) -> BaseOxmlElement:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run()._r.append(fld_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(fld_char("separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(fld_char("end"))


def shade(cell: _Cell, fill: str) -> None:
    """Give a cell a solid background colour (six hex digits)."""
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


#: The w:trPr children we set, in the order the schema requires (Word rejects other orders).
_ROW_PROPERTY_ORDER = ("w:cantSplit", "w:tblHeader")


def _row_property(row: _Row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(tag)) is not None:
        return
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    later = [qn(t) for t in _ROW_PROPERTY_ORDER[_ROW_PROPERTY_ORDER.index(tag) + 1 :]]
    following = next((child for child in tr_pr if child.tag in later), None)
    if following is not None:
        following.addprevious(element)
    else:
        tr_pr.append(element)


def repeat_as_header(row: _Row) -> None:
    """Repeat the row at the top of every page the table runs onto."""
    _row_property(row, "w:cantSplit")
    _row_property(row, "w:tblHeader")


def keep_row_whole(row: _Row) -> None:
    """Move a row to the next page rather than split it (Word still splits one taller than a page)."""
    _row_property(row, "w:cantSplit")


def keep_with_next(table: Table | _Row) -> None:
    """Keep every paragraph of a table or row on the page of what follows it."""
    rows = table.rows if isinstance(table, Table) else [table]
    cells = [cell for row in rows for cell in row.cells]
    for cell in cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def fix_widths(table: Table, widths: Sequence[int]) -> None:
    """Fixed column widths (EMU): Word reads the cells' widths, LibreOffice the grid's."""
    table.autofit = False  # w:tblLayout "fixed": the widths below are kept, not recomputed
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        start = 0
        # A merged cell is one w:tc spanning several grid columns: its width is their sum.
        for tc in row._tr.tc_lst:
            span = tc.grid_span
            tc.width = sum(widths[start : start + span])
            start += span


def fill_cell(
    cell: _Cell,
    lines: Sequence[str],
    *,
    bold: bool = False,
    color: str | None = None,
    size: Pt | None = None,
    center: bool = False,
) -> None:
    """Put text in an empty cell, one paragraph per line, blank lines left out."""
    paragraph = cell.paragraphs[0]
    first = True
    for line in lines:
        if not line.strip():
            continue
        if not first:
            paragraph = cell.add_paragraph()
        first = False
        add_text(paragraph, line, bold=bold, color=color, size=size)
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def add_text(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    color: str | None = None,
    size: Pt | None = None,
) -> None:
    """Append a run of plain text (control characters removed) with the given look."""
    run = paragraph.add_run(clean(text))
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    if size:
        run.font.size = size
