"""Builds real .docx files for the reader's tests.

python-docx makes the package (and, where it can, the content); lxml then inserts the
WordprocessingML it cannot make (tracked changes, content controls, gridBefore, shading, list
definitions). The small builders below write that XML as strings so each test shows the very
construct it is about.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import docx
from docx.document import Document
from docx.text.run import Run
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
AUTHOR = "Di Robinson"
DATE = "2008-09-04T10:30:00Z"

Content = str
"""A fragment of WordprocessingML; plain text (not starting with ``<``) is made into a run."""


def _runs(items: tuple[Content, ...]) -> str:
    return "".join(item if item.startswith("<") else r(item) for item in items)


def _paragraphs(items: tuple[Content, ...]) -> str:
    out = "".join(item if item.startswith("<") else p(item) for item in items)
    return out or "<w:p/>"  # a cell must hold at least one paragraph


def r(text: str = "", *, hidden: bool = False, props: str = "", xml: str = "") -> str:
    """A run of text (``xml`` adds raw run content after the text, e.g. a break)."""
    rpr = props + ("<w:vanish/>" if hidden else "")
    body = f'<w:t xml:space="preserve">{escape(text)}</w:t>' if text else ""
    return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{body}{xml}</w:r>"


def p(*content: Content, style: str | None = None, num: tuple[int, int] | None = None,
      ppr: str = "") -> str:
    """A paragraph; ``num`` is (numId, ilvl) for automatic numbering."""
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    props += ppr
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{_runs(content)}</w:p>"


def tc(*content: Content, span: int = 1, vmerge: str | None = None, fill: str | None = None,
       shd: str = "", tcpr: str = "") -> str:
    """A table cell; ``vmerge`` is "restart" or "continue"; ``fill`` a shading colour."""
    props = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    if fill is not None:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    props += shd + tcpr
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}{_paragraphs(content)}</w:tc>"


def tr(*cells: str, before: int = 0, after: int = 0, deleted: bool = False, trpr: str = "") -> str:
    """A table row; cells given as plain text are made into cells."""
    props = (f'<w:gridBefore w:val="{before}"/>' if before else "") + (
        f'<w:gridAfter w:val="{after}"/>' if after else "") + trpr
    if deleted:
        props += f'<w:del w:id="90" w:author="{AUTHOR}" w:date="{DATE}"/>'
    body = "".join(c if c.startswith("<") else tc(c) for c in cells)
    return f"<w:tr>{f'<w:trPr>{props}</w:trPr>' if props else ''}{body}</w:tr>"


def tbl(*rows: str, grid: int) -> str:
    """A table of ``grid`` columns."""
    cols = '<w:gridCol w:w="1800"/>' * grid
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
            f"</w:tblPr><w:tblGrid>{cols}</w:tblGrid>{''.join(rows)}</w:tbl>")


def ins(*content: Content, author: str = AUTHOR, date: str = DATE) -> str:
    """A tracked insertion."""
    return f'<w:ins w:id="1" w:author="{author}" w:date="{date}">{_runs(content)}</w:ins>'


def delete(text: str, author: str = AUTHOR, date: str = DATE) -> str:
    """A tracked deletion of ``text``."""
    return (f'<w:del w:id="2" w:author="{author}" w:date="{date}"><w:r>'
            f'<w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:del>')


def sdt(*content: str, dropdown: list[str] | None = None, placeholder: bool = False,
        tag: str = "field") -> str:
    """A content control around ``content`` (runs, paragraphs, cells, rows or a table)."""
    props = f'<w:alias w:val="{tag}"/><w:tag w:val="{tag}"/><w:id w:val="1001"/>'
    if placeholder:
        props += '<w:placeholder><w:docPart w:val="DefaultPlaceholder"/></w:placeholder>'
        props += "<w:showingPlcHdr/>"
    if dropdown is not None:
        items = "".join(f"<w:listItem w:displayText={quoteattr(v)} w:value={quoteattr(v)}/>"
                        for v in dropdown)
        props += f"<w:dropDownList>{items}</w:dropDownList>"
    return f"<w:sdt><w:sdtPr>{props}</w:sdtPr><w:sdtContent>{''.join(content)}</w:sdtContent></w:sdt>"


def abstract_num(number: int, levels: list[tuple[str, str]], start: int = 1) -> str:
    """A list definition: one (numFmt, lvlText) per level, e.g. ("lowerLetter", "%1)")."""
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels))
    return (f'<w:abstractNum w:abstractNumId="{number}"><w:multiLevelType w:val="multilevel"/>'
            f"{lvls}</w:abstractNum>")


def num(num_id: int, abstract: int, start_override: int | None = None) -> str:
    """A list instance of a definition, optionally restarting its first level."""
    override = (f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start_override}"/>'
                f"</w:lvlOverride>") if start_override is not None else ""
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>{override}</w:num>'


def fragment(xml: str) -> list[etree._Element]:
    """Parse WordprocessingML fragments (``w:`` prefix) into elements."""
    wrapper = etree.fromstring(f'<w:x xmlns:w="{W_NS}">{xml}</w:x>'.encode())
    return list(wrapper)


def build_docx(path: Path, body: str = "", *, numbering: str = "",
               make: Callable[[Document], None] | None = None,
               core: dict[str, str] | None = None) -> Path:
    """Save a .docx: python-docx content from ``make``, then ``body`` XML appended to the body.

    ``numbering`` holds ``abstract_num``/``num`` fragments added to numbering.xml; ``core``
    sets core properties (title, author, last_modified_by).
    """
    document = docx.Document()
    if make is not None:
        make(document)
    body_element = document.element.body
    section = body_element.find(f"{{{W_NS}}}sectPr")
    for element in fragment(body):
        if section is not None:
            section.addprevious(element)
        else:
            body_element.append(element)
    if numbering:
        numbering_root = document.part.numbering_part.element
        first_num = numbering_root.find(f"{{{W_NS}}}num")
        for element in fragment(numbering):
            # The schema wants every abstractNum before the first num.
            if element.tag.endswith("}abstractNum") and first_num is not None:
                first_num.addprevious(element)
            else:
                numbering_root.append(element)
    for key, value in (core or {}).items():
        setattr(document.core_properties, key, value)
    document.save(str(path))
    return path


@cache
def _template_parts() -> tuple[tuple[str, bytes], ...]:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as package:
        return tuple((name, package.read(name)) for name in package.namelist())


def quick_docx(path: Path, body: str) -> Path:
    """Save a .docx whose body is ``body``, reusing python-docx's package (fast, for Hypothesis)."""
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}">'
        f'<w:body>{body}<w:sectPr/></w:body></w:document>'
    ).encode()
    write_parts(path, {"word/document.xml": document})
    return path


def write_parts(path: Path, replace: dict[str, bytes | None]) -> Path:
    """Save python-docx's package with some parts replaced (None removes the part)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in _template_parts():
            if name in replace:
                data = replace[name]
                if data is None:
                    continue
            package.writestr(name, data)
        for name, data in replace.items():
            if data is not None and name not in dict(_template_parts()):
                package.writestr(name, data)
    return path


def table_runs(document: Document) -> Iterator[Run]:
    """Every run of text in every cell of a document's tables, as a group edits them by hand."""
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    yield from paragraph.runs
