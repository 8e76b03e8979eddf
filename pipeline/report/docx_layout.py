"""Word layout pieces python-docx has no call for: the page, the fonts, page-number fields, runs of text.

The report's tables are written as XML text (`docx_table_xml`); the templates', which hold
content controls, with python-docx (`pipeline.templates.docx_parts`)."""

from __future__ import annotations

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
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
