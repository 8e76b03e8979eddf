"""Building blocks for the Word templates: the page, tables with fixed widths, shaded cells,
and the content controls (drop-down, date, plain text) a group fills in.

python-docx has no API for content controls, so they are written as WordprocessingML with
its oxml helpers, in the element order Word itself writes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

FONT = "Arial"
PLACEHOLDER_STYLE = "Placeholder Text"
#: Grey, as Word shows its own placeholder text, so an unfilled control is plainly unfilled.
PLACEHOLDER_COLOUR = RGBColor(0x80, 0x80, 0x80)
A4_SHORT, A4_LONG = Cm(21.0), Cm(29.7)
MARGIN = Cm(1.5)
#: The width between the margins of a landscape A4 page.
LANDSCAPE_WIDTH_CM = 29.7 - 2 * 1.5


def new_document(title: str, *, landscape: bool = True, font_size: float = 10) -> DocumentObject:
    """An empty A4 document (landscape by default) in Arial, with a grey placeholder style."""
    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = A4_LONG, A4_SHORT
    else:
        section.page_width, section.page_height = A4_SHORT, A4_LONG
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(font_size)
    # East-Asian and complex-script fonts too, or Word falls back to its theme font for them.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(2)
    style = doc.styles.add_style(PLACEHOLDER_STYLE, WD_STYLE_TYPE.CHARACTER)
    style.font.color.rgb = PLACEHOLDER_COLOUR
    doc.core_properties.title = title
    doc.core_properties.author = "Gloucester Partnership"
    return doc


def save(doc: DocumentObject, path: Path) -> Path:
    """Save the document, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def heading(doc: DocumentObject, text: str, size: float, *, space_after: float = 4) -> Paragraph:
    """A bold paragraph in the given size."""
    # Direct formatting, not Word's heading styles: the return reads the same in any Word.
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(size)
    paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def spacer(doc: DocumentObject, points: float = 4, *, keep_with_next: bool = False,
           new_page: bool = False) -> None:
    """An empty paragraph between tables, so Word does not join them into one."""
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.keep_with_next = keep_with_next or None
    paragraph.paragraph_format.page_break_before = new_page or None
    run = paragraph.add_run()
    run.font.size = Pt(points)


def table(doc: DocumentObject, rows: int, widths_cm: Sequence[float]) -> Table:
    """A bordered table with fixed column widths, which Word and LibreOffice both keep."""
    tbl = doc.add_table(rows=rows, cols=len(widths_cm))
    tbl.style = doc.styles["Table Grid"]
    tbl.autofit = False  # w:tblLayout fixed
    # Changed in place: Word refuses a file whose tblPr children are out of schema order.
    width = tbl._tbl.tblPr.find(qn("w:tblW"))
    if width is not None:
        width.set(qn("w:w"), str(int(sum(widths_cm) * 567)))
        width.set(qn("w:type"), "dxa")
    for grid_col, cm in zip(tbl._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=True):
        grid_col.set(qn("w:w"), str(int(cm * 567)))
    for row in tbl.rows:
        for cell, cm in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(cm)
    return tbl


def write(cell: _Cell, text: str, *, bold: bool = False, size: float | None = None,
          italic: bool = False) -> Paragraph:
    """Put text in a cell, one paragraph per line; returns the last paragraph."""
    lines = text.split("\n") if text else [""]
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
        if line:
            run = paragraph.add_run(line)
            run.bold = bold or None
            run.italic = italic or None
            if size is not None:
                run.font.size = Pt(size)
    return paragraph


def label(paragraph: Paragraph, text: str, *, bold: bool = True) -> None:
    """A label at the start of a paragraph ('Action: '), before the control that follows it."""
    run = paragraph.add_run(text)
    run.bold = bold


def shade(cell: _Cell, fill: str, font_colour: str | None = None) -> None:
    """Give a cell a background colour (six hex digits), and its text a colour if given."""
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)
    if font_colour:
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.font.color.rgb = RGBColor.from_string(font_colour)


def header_row(row: _Row) -> None:
    """Repeat this row at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def keep_row_whole(row: _Row, min_height_cm: float | None = None) -> None:
    """Keep a row on one page, and give an empty row room to write in."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if min_height_cm is not None:
        height = OxmlElement("w:trHeight")
        height.set(qn("w:val"), str(int(min_height_cm * 567)))
        height.set(qn("w:hRule"), "atLeast")
        tr_pr.append(height)


def keep_with_next(rows: Iterable[_Row]) -> None:
    """Keep these rows on the same page as what follows them (a heading with its table)."""
    for row in rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


class Controls:
    """Adds content controls to one document, numbering them uniquely as Word requires."""

    def __init__(self) -> None:
        self._next_id = 1000

    def dropdown(self, paragraph: Paragraph, items: Sequence[str], value: str | None, *,
                 tag: str, alias: str, placeholder: str) -> None:
        """A drop-down list showing `value`, or its grey placeholder when there is none."""
        sdt, properties = self._start(tag, alias, shows_placeholder=value is None)
        choices = OxmlElement("w:dropDownList")
        if value is not None:
            choices.set(qn("w:lastValue"), value)
        for item in items:
            entry = OxmlElement("w:listItem")
            entry.set(qn("w:displayText"), item)
            entry.set(qn("w:value"), item)
            choices.append(entry)
        properties.append(choices)
        self._finish(sdt, paragraph, value, placeholder)

    def text(self, paragraph: Paragraph, value: str | None, *, tag: str, alias: str,
             placeholder: str, multiline: bool = False) -> None:
        """A plain-text box showing `value`, or its grey placeholder when there is none."""
        sdt, properties = self._start(tag, alias, shows_placeholder=not value)
        kind = OxmlElement("w:text")
        if multiline:
            kind.set(qn("w:multiLine"), "1")
        properties.append(kind)
        self._finish(sdt, paragraph, value or None, placeholder)

    def date(self, paragraph: Paragraph, *, tag: str, alias: str, placeholder: str) -> None:
        """An empty date picker that writes the chosen date as '4 September 2008'."""
        sdt, properties = self._start(tag, alias, shows_placeholder=True)
        kind = OxmlElement("w:date")
        for name, value in (("w:dateFormat", "d MMMM yyyy"), ("w:lid", "en-GB"),
                            ("w:storeMappedDataAs", "dateTime"), ("w:calendar", "gregorian")):
            child = OxmlElement(name)
            child.set(qn("w:val"), value)
            kind.append(child)
        properties.append(kind)
        self._finish(sdt, paragraph, None, placeholder)

    def _start(self, tag: str, alias: str, *,
               shows_placeholder: bool) -> tuple[BaseOxmlElement, BaseOxmlElement]:
        self._next_id += 1
        sdt = OxmlElement("w:sdt")
        properties = OxmlElement("w:sdtPr")
        for name, value in (("w:alias", alias), ("w:tag", tag), ("w:id", str(self._next_id))):
            child = OxmlElement(name)
            child.set(qn("w:val"), value)
            properties.append(child)
        if shows_placeholder:
            properties.append(OxmlElement("w:showingPlcHdr"))
        sdt.append(properties)
        return sdt, properties

    def _finish(self, sdt: object, paragraph: Paragraph, value: str | None, placeholder: str) -> None:
        content = OxmlElement("w:sdtContent")
        lines = (value if value is not None else placeholder).split("\n")
        run = OxmlElement("w:r")
        if value is None:
            run_pr = OxmlElement("w:rPr")
            style = OxmlElement("w:rStyle")
            style.set(qn("w:val"), "PlaceholderText")
            run_pr.append(style)
            run.append(run_pr)
        for index, line in enumerate(lines):
            if index:
                run.append(OxmlElement("w:br"))
            text = OxmlElement("w:t")
            text.text = line
            text.set(qn("xml:space"), "preserve")
            run.append(text)
        content.append(run)
        sdt.append(content)  # type: ignore[attr-defined]
        paragraph._p.append(sdt)
