"""Reads a Word (.docx) return into a `SourceDocument`: its paragraphs and tables in reading order.

The XML is walked directly (zipfile + lxml through `parse_part`), never through python-docx,
which silently loses inserted text, content controls, merged-cell positions and list numbers
(shared/LIBRARY-NOTES.md). Helpers, one job each:

- ``docx_package``: the package's parts and relationships (intake has checked the package:
  `pipeline.intake.package`);
- ``docx_paragraphs``: a paragraph's visible text and tracked changes (``docx_symbols`` for
  ``w:sym``);
- ``docx_numbering``: automatic list labels ("a)"), with ``docx_styles`` for list styles;
- ``docx_tables``: rows and cells on the table grid (``docx_shading`` for cell colours).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from pipeline.document import Block, Paragraph, Place, SourceDocument, TrackedChange
from pipeline.intake.package import CheckedPackage, checked
from pipeline.issues import FileRejected, Issue, make_issue
from pipeline.readers.docx_numbering import Numbering
from pipeline.readers.docx_package import Package
from pipeline.readers.docx_paragraphs import read_paragraph
from pipeline.readers.docx_plain import compose_lines
from pipeline.readers.docx_styles import StyleNumbering, ThemeColours
from pipeline.readers.docx_tables import TableReader, cut_to_limit, trim_lines
from pipeline.readers.docx_xml import (
    BODY,
    CUSTOM_XML,
    DOCUMENT,
    PPR,
    PSTYLE,
    SDT,
    STRICT_W_NS,
    TBL,
    VAL,
    P,
    unwrap,
)
from pipeline.xmlsafe import find_child, parse_part

_MAIN_PART = "word/document.xml"
_CORE_FIELDS = {
    "{http://purl.org/dc/elements/1.1/}title": "title",
    "{http://purl.org/dc/elements/1.1/}creator": "author",
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastModifiedBy":
        "last_modified_by",
    "{http://purl.org/dc/terms/}modified": "modified",
}
#: Word writes xml:space="preserve" on each w:t whose text starts or ends with a space (in the
#: bench's returns, on every one). The reader never reads it, but the parser spent about 3,000
#: instructions on each (xml:space is an attribute it treats apart, in a namespace of its own):
#: 63 M of the 678 M that parsing the bench's first 60 Word returns' document.xml took. It is
#: taken out of the part's text before parsing (`_parse_main`; the replace costs 33 M).
_PRESERVED_TEXT, _TEXT = b'<w:t xml:space="preserve">', b"<w:t>"
#: A cell's start and its properties as Word writes them for a cell with none but its width
#: (each cell has one): read as ``<w:tc>``. Nothing reads the width, and no properties read as
#: none; the two elements and two attributes cost the parser about 10,000 instructions a
#: cell, re.sub 3,500 (read 68 M less in all: 228 cells a return in the bench).
_WIDTH_ONLY = re.compile(
    rb'<w:tc><w:tcPr><w:tcW w:w="[0-9]{1,9}" w:type="(?:dxa|auto|pct|nil)"/></w:tcPr>')
_TC_START = b"<w:tc>"
#: A table's start and its properties when they give its style, width, layout and look alone,
#: each at most once and in Word's order: read as ``<w:tbl><w:tblPr/>`` (the properties stay,
#: empty: a plain table is one of properties, grid and rows, `docx_plain._only_rows`). Nothing
#: reads a table's properties; their five elements and thirteen attributes cost the parser
#: about 40,000 instructions a table (9 a return in the bench). Taken from the first table
#: (re.sub over the part cost more than it saved): read 12 M less in all.
_TABLE_LOOK_ONLY = re.compile(
    rb'<w:tbl><w:tblPr>(?:<w:tblStyle w:val="[A-Za-z0-9]{1,40}"/>)?'
    rb'(?:<w:tblW w:w="[0-9]{1,9}" w:type="(?:dxa|auto|pct|nil)"/>)?'
    rb'(?:<w:tblLayout w:type="(?:fixed|autofit)"/>)?'
    rb'(?:<w:tblLook w:val="[0-9A-F]{4}"(?: w:firstRow="[01]")?(?: w:lastRow="[01]")?'
    rb'(?: w:firstColumn="[01]")?(?: w:lastColumn="[01]")?(?: w:noHBand="[01]")?'
    rb'(?: w:noVBand="[01]")?/>)?</w:tblPr>')
_FIRST_TABLE_LOOK, _NO_TABLE_PROPERTIES = b"<w:tbl><w:tblPr>", b"<w:tbl><w:tblPr/>"
#: The start of a main part as Word and python-docx write it: declared UTF-8, in which "<" is
#: always the character "<" (not so in a stateful encoding such as ISO-2022-JP).
_UTF8_PROLOG = re.compile(
    rb'<\?xml version=(["\'])1\.0\1 encoding=(["\'])(?:UTF-8|utf-8)\2')
#: Larger parts are parsed as sent, so that no limit of the parser's is met differently.
_LARGEST_STRIPPED = 8_000_000


def read_docx(source: Path | CheckedPackage, name: str) -> SourceDocument:
    """Read a .docx file's body as blocks, every paragraph, table, row and cell placed in ``name``.

    ``source`` is the package intake checked, or a file, checked first the same way.
    """
    with checked(source) as checked_package:
        package = Package(checked_package)
        main_part, root = _main_document(package)
        issues: list[Issue] = []
        styles = StyleNumbering(package, main_part)
        numbering = Numbering(
            lambda: package.parse(package.part_name("numbering", main_part)), styles)
        tables = TableReader(name, numbering, ThemeColours(package, main_part), issues)
        body = root.find(BODY)
        blocks = _blocks(body, name, numbering, tables, issues) if body is not None else []
        properties = _properties(package)
    return SourceDocument(file=name, kind="docx", blocks=blocks, issues=issues,
                          properties=properties)


def _main_document(package: Package) -> tuple[str, etree._Element]:
    main_part = package.part_name("officeDocument")
    root = _parse_main(package, main_part) if main_part else None
    if root is None and main_part != _MAIN_PART:
        main_part, root = _MAIN_PART, package.parse(_MAIN_PART)
    if root is None:
        raise FileRejected("unreadable-file",
                           reason="it has no document text inside (word/document.xml is missing), "
                           "so it is not a Word document")
    if root.tag != DOCUMENT:
        reason = ("it was saved as Strict Open XML, which cannot be read; save it again as a "
                  "Word Document (.docx)") if STRICT_W_NS in str(root.tag) else (
                  "its main part is not a Word document")
        raise FileRejected("unreadable-file", reason=reason)
    return main_part, root


def _parse_main(package: Package, name: str) -> etree._Element | None:
    """The main part parsed as `Package.parse` parses it, with each ``<w:t xml:space="preserve">``
    read as ``<w:t>``, each cell start with properties that give its width alone as ``<w:tc>``,
    and each table start with properties alike to the first one's, when they give its style,
    width, layout and look alone, as ``<w:tbl><w:tblPr/>``.

    The tree differs only by what nothing reads: xml:space, widths, a table's properties, and
    properties holding nothing else. A cell's properties are looked for as its first child
    only, and none read as properties holding nothing (no span, merge or shading). No other
    element loses a child.

    What Word writes for every return is taken out, not what one bench's files happen to share:
    taking out paragraph start tags and spacing alike to the first paragraph's would have saved
    another 5% of the bench's reading (2,260 -> 2,148 M instructions), but only because its
    generated returns write every paragraph alike; Word 2010 and later give each paragraph ids
    of its own (w14:paraId), so there it would never apply. Not done (2026-12-02).

    Only where the text is markup: "<" never stands for itself in text or in an attribute's
    value, and a CDATA section (where it would) sends the part to be parsed as sent; in a
    comment or processing instruction (both dropped by the parser) the change shows nowhere.
    Each text changed keeps its first "<" and its last ">", so no "--", "]]>" or "?>" can be
    made or broken, and what is taken out is whole elements and attributes, well-formed, each
    attribute the only one of its name in its tag (no duplicate could hide behind it): the
    text is well-formed exactly when the part is. A damaged part is parsed again as sent, so
    that it is refused in the parser's own words (its line and column). Read alike, with and
    without the change (and with the paragraph replacements above), on 644 Word files the
    reader's, gallery, intake and robustness tests build and on the bench's 1,000 Word returns
    (2026-12-02).
    """
    data = package.read(name)
    if data is None:
        return None
    if len(data) <= _LARGEST_STRIPPED and _UTF8_PROLOG.match(data) \
            and b"<![CDATA[" not in data:
        text = data
        if _PRESERVED_TEXT in text:
            text = text.replace(_PRESERVED_TEXT, _TEXT)
        text = _WIDTH_ONLY.sub(_TC_START, text)
        text = _alike_to_first(text, _FIRST_TABLE_LOOK, _TABLE_LOOK_ONLY, _NO_TABLE_PROPERTIES)
        if text is not data:
            try:
                return parse_part(text, name)
            except FileRejected:
                pass
    return parse_part(data, name)


def _alike_to_first(text: bytes, start: bytes, pattern: re.Pattern[bytes], by: bytes) -> bytes:
    """``text`` with each copy of its first text that begins with ``start`` replaced by ``by``,
    when that text is ``pattern``'s (as written by one editing session, most copies are alike)."""
    first = text.find(start)
    found = pattern.match(text, first) if first >= 0 else None
    return text.replace(found.group(), by) if found is not None else text


def _blocks(body: etree._Element, name: str, numbering: Numbering, tables: TableReader,
            issues: list[Issue]) -> list[Block]:
    blocks: list[Block] = []
    paragraph_number = table_number = 0
    # Body-level content controls and custom XML are unwrapped; their paragraphs and tables
    # are numbered like any other so places stay findable.
    children = _children(body)
    tables.find_plain(body, {child for child, tag, _ in children if tag == TBL})
    for child, tag, placeholder in children:
        if tag == P:
            paragraph_number += 1
            if not len(child):
                # No runs, so no text, no change and nothing hidden: most paragraphs of the
                # body are these, the blank lines between tables.
                continue
            # A paragraph of text alone was read by the one pass over the body
            # (`TableReader.find_plain`), sparing its own scan in `read_paragraph` (about 20,000
            # instructions: each of its elements' tags read anew); and a paragraph that cannot
            # have a style (`ParagraphText.styled`) spares `_style`'s two lookups (about 17,000).
            # Together about 11 M of the 2,545 M of `bench/instructions.py read` (300 such
            # paragraphs in its 60 Word returns).
            texts = None if placeholder else tables.texts.get(child)
            if texts is not None:
                # Text alone, found by the one pass: no list label, no style.
                lines = trim_lines(compose_lines([(texts, None)], numbering))
                changes: list[TrackedChange] = []
                styled = False
            else:
                text = read_paragraph(child, numbering, placeholder)
                lines, changes, styled = trim_lines(text.lines), text.changes, text.styled
                # Empty paragraphs are skipped, unless they hold a tracked change worth
                # reporting.
                if text.hidden:
                    issues.append(make_issue(
                        "hidden-text", Place(name, paragraph=paragraph_number),
                        text=" / ".join(" ".join(t.split()) for t in text.hidden)))
            if lines or changes:
                place = Place(name, paragraph=paragraph_number)
                lines = cut_to_limit(lines, place, issues, "The paragraph's text")
                blocks.append(Paragraph(lines, place, style=_style(child) if styled else None,
                                        changes=changes))
        elif tag == TBL:
            table_number += 1
            blocks.append(tables.table(child, table_number, placeholder))
    return blocks


def _children(body: etree._Element) -> list[tuple[etree._Element, str, bool]]:
    """The body's children as `unwrap` gives them, each with its tag (read once: a new string
    each time, about 1,250 instructions) and whether a control around it shows its placeholder.

    Most bodies have no control or custom XML around their blocks: those are unwrapped only
    when one is met.
    """
    children: list[tuple[etree._Element, str, bool]] = []
    for child in body:
        tag = child.tag
        if tag == SDT or tag == CUSTOM_XML:
            return [(child, child.tag, placeholder) for child, _, placeholder in unwrap(body)]
        children.append((child, tag, False))
    return children


def _style(p: etree._Element) -> str | None:
    p_pr = find_child(p, PPR)
    style = find_child(p_pr, PSTYLE) if p_pr is not None else None
    return style.get(VAL) if style is not None else None


def _properties(package: Package) -> dict[str, str]:
    try:
        root = package.parse(package.part_name("core-properties"))
    except FileRejected as exc:
        # Damaged metadata is no reason to lose a return's content; unsafe content still is.
        if exc.code != "unreadable-file":
            raise
        return {}
    if root is None:
        return {}
    properties: dict[str, str] = {}
    for child in root:
        tag = child.tag
        key = _CORE_FIELDS.get(tag) if isinstance(tag, str) else None
        if key and child.text and child.text.strip():
            properties[key] = child.text.strip()
    return properties
