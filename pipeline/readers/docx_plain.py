"""The fast path for plain tables, cells and paragraphs: runs of text with no changes or controls.

Most cells of a return are plain text. One pass over the body's elements finds every plain
table's rows and cells (``iter()`` with the tags that matter, filtered by lxml in C, then a dict
lookup per element); it is several times faster than the full walk in ``docx_paragraphs`` and
``docx_tables``. Anything the fast path does not handle makes it give up on that table, cell or
paragraph, and the full walk takes over.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from lxml import etree

from pipeline.readers.docx_numbering import Numbering
from pipeline.readers.docx_symbols import symbol_text
from pipeline.readers.docx_xml import (
    ALTERNATE_CONTENT,
    BR,
    COLOR,
    CR,
    DEL,
    DRAWING,
    DSTRIKE,
    GRID_SPAN,
    HIGHLIGHT,
    HMERGE,
    INS,
    MOVE_FROM,
    MOVE_TO,
    NO_BREAK_HYPHEN,
    NUMPR,
    OMATH,
    OMATH_PARA,
    PICT,
    PPR,
    PSTYLE,
    PTAB,
    RFONTS,
    RUBY,
    SDT,
    SHD,
    STRIKE,
    SYM,
    TAB,
    TBL,
    TC,
    TCPR,
    TR,
    TRPR,
    TXBX_CONTENT,
    TYPE,
    VANISH,
    VMERGE,
    P,
    R,
    T,
)

#: Breaks that start a new page or column: a space keeps the words on either side apart.
PAGE_BREAKS = frozenset(("page", "column"))

#: What the fast path leaves to the full walk: changes, controls, hidden text, text boxes, tables.
_COMPLEX = (DEL, INS, MOVE_FROM, MOVE_TO, SDT, VANISH, OMATH, OMATH_PARA, RUBY, TXBX_CONTENT,
            ALTERNATE_CONTENT, TBL, STRIKE, DSTRIKE, DRAWING, PICT)
_T, _P, _NUMBERED, _TAB, _BR, _CR, _SYM, _NBH, _SHADING, _LOOK, _COMPLICATED, _TR, _TC, _TBL = (
    range(14))
#: What may give a run's text a look of its own: a colour, a (symbol) font.
LOOKS = (COLOR, RFONTS)
#: One dict lookup per element decides what it is; anything not listed shows no text.
_KINDS = {T: _T, P: _P, NUMPR: _NUMBERED, PSTYLE: _NUMBERED, TAB: _TAB, PTAB: _TAB, BR: _BR,
          CR: _CR, SYM: _SYM, NO_BREAK_HYPHEN: _NBH,
          **dict.fromkeys((GRID_SPAN, VMERGE, HMERGE, SHD, HIGHLIGHT), _SHADING),
          **dict.fromkeys(LOOKS, _LOOK), **dict.fromkeys(_COMPLEX, _COMPLICATED)}
#: The pass over the tables also sees where tables, rows and cells begin.
_TABLE_KINDS = {**_KINDS, TBL: _TBL, TR: _TR, TC: _TC}
#: The tags of the pass over the tables, for lxml to filter in C: only these become Python
#: objects. lxml sets a filter up at some cost per tag, so the pass is made once per document.
#: By local name in any namespace ("{*}t"): lxml matches a name by pointer, but a namespace by
#: comparing its 60-character URI byte by byte, for every element it hands back (about 430
#: instructions each, a tenth of the pass). An element of another namespace that bears one of
#: these names (a:t in a drawing, m:t in an equation) is told from ours by its full tag and
#: skipped, as if lxml had never handed it back.
_TABLE_TAGS = tuple(dict.fromkeys("{*}" + tag.rpartition("}")[2] for tag in _TABLE_KINDS))

#: Paragraphs as scanned: the text pieces of each, and its w:pPr for the list label (None when
#: it names no list and no style).
Scanned = list[tuple[list[str], etree._Element | None]]


def clean_text(text: str) -> str:
    """A w:t's text as shown: soft hyphens dropped, raw newlines as spaces (as Word shows them)."""
    if "\xad" in text:
        text = text.replace("\xad", "")
    if "\n" in text or "\r" in text:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return text


class PlainContent:
    """What a plain cell or paragraph shows, as found in one pass over its elements."""

    __slots__ = ("paragraphs", "properties", "has_look", "has_shading")

    def __init__(self, paragraphs: Scanned | None = None) -> None:
        self.paragraphs: Scanned = [] if paragraphs is None else paragraphs
        self.properties: list[etree._Element] = []
        """A cell's own merge and shading properties (gridSpan, vMerge, hMerge, shd in its tcPr)."""
        self.has_look = False
        """A colour, a font or a symbol is in it: its text may show more than its words."""
        self.has_shading = False
        """Shading or a highlight is in it besides the cell's own (a paragraph's, a run's)."""

    def take(self, element: etree._Element, kind: int, container: etree._Element) -> None:
        """Take in an element of ``container`` that is neither text, nor a paragraph, nor beyond
        the fast path (a break, a symbol, a list number, a cell property, a colour or font)."""
        if kind == _SHADING:
            # Only the cell's own are its properties: shd also shades runs and paragraphs, and
            # tcPrChange keeps the old properties in a tcPr of its own.
            parent = element.getparent()
            if parent.tag == TCPR and parent.getparent() is container:
                self.properties.append(element)
            else:
                self.has_shading = True
            return
        if kind == _LOOK:
            self.has_look = True
            return
        paragraphs = self.paragraphs
        if not paragraphs:
            return
        parts = paragraphs[-1][0]
        if kind == _NUMBERED:
            # A list number, or a style that may give one: the paragraph's w:pPr is kept for its
            # label (a paragraph with neither has none). pPr also sits inside pPrChange (old
            # formatting): only the paragraph's own counts.
            p_pr = element.getparent()
            if p_pr.tag == PPR and p_pr.getparent().tag == P:
                paragraphs[-1] = (parts, p_pr)
        elif kind == _TAB:
            if element.getparent().tag == R:  # not a tab stop in w:pPr/w:tabs
                parts.append("\t")
        elif kind == _BR:
            parts.append(" " if element.get(TYPE) in PAGE_BREAKS else "\n")
        elif kind == _CR:
            parts.append("\n")
        elif kind == _SYM:
            parts.append(symbol_text(element))
            self.has_look = True
        elif kind == _NBH:
            parts.append("\u2011")


def scan_plain(container: etree._Element) -> PlainContent | None:
    """The paragraphs of a plain paragraph or cell, or None when it holds more than plain runs.

    List labels are left to `compose_lines`, so giving up here never advances a list counter.
    """
    content = PlainContent()
    paragraphs = content.paragraphs
    parts: list[str] = []  # text before the first paragraph shows nowhere
    kind_of = _KINDS.get
    # All elements, filtered here: for one small cell or paragraph, a tag filter costs lxml more
    # to set up than it saves.
    for element in container.iter():
        kind = kind_of(element.tag)
        if kind is None:
            continue
        if kind == _T:
            text = element.text
            if text:
                if "\xad" in text or "\n" in text or "\r" in text:
                    text = clean_text(text)
                parts.append(text)
        elif kind == _P:
            parts = []
            paragraphs.append((parts, None))
        elif kind == _COMPLICATED:
            return None
        else:
            content.take(element, kind, container)
    return content


#: A cell of a plain table: its element, its paragraphs as scanned, and what else it shows (its
#: own properties, a colour, a font, a symbol, a break, a list; None when nothing: most cells).
PlainCell = tuple[etree._Element, Scanned, "PlainContent | None"]


class PlainRow(NamedTuple):
    """A row of a plain table: its element and properties, and each cell with what it shows."""

    tr: etree._Element
    tr_pr: etree._Element | None
    cells: list[PlainCell]


def scan_plain_tables(body: etree._Element, tables: Collection[etree._Element],
                      texts: dict[etree._Element, list[str]] | None = None,
                      ) -> dict[etree._Element, list[PlainRow]]:
    """The rows of each plain table among ``tables`` (the body's own, not nested ones), all found
    in one pass over the body's elements.

    A table is left out, for the full walk, when anything in it needs that walk: a nested
    table, a content control, a tracked change, hidden text, or anything beside the rows and
    cells themselves (a wrapper, a bookmark between cells). Within each cell the pass sees what
    `scan_plain` would, in the same order.

    ``texts``, when given, takes the text pieces of each of the body's own paragraphs that hold
    text alone (no break, tab, symbol, list, colour, change...: nothing `scan_plain` would take
    in beside their text), so that they need no scan of their own (about 20,000 instructions
    a paragraph, its tags read anew).
    """
    found: dict[etree._Element, list[PlainRow]] = {}
    table = tr = tc = last = None
    rows: list[PlainRow] = []
    cells: list[PlainCell] = []
    # What a cell shows beyond its text is made only when it shows some: a PlainContent costs
    # about as much as the rest of the cell's pass, and most cells show text alone.
    content: PlainContent | None = None
    paragraphs: Scanned = []
    # Text outside a cell's paragraphs shows nowhere: it goes to one list for the whole pass,
    # never read, rather than to a new list made for every row and cell.
    nowhere: list[str] = []
    parts = nowhere
    # The body paragraph whose text the pass is taking (into ``parts``), until it meets
    # anything but text.
    paragraph: etree._Element | None = None
    kinds, new_row = _TABLE_KINDS, tuple.__new__
    for element in body.iterdescendants(*_TABLE_TAGS):
        # The commonest tags (text, paragraph, cell) are told by comparing strings: a tag is a
        # new 60-character string each time, and hashing it for the dict lookup cost more.
        tag = element.tag
        if tag == T:
            text = element.text
            if text:
                if "\xad" in text or "\n" in text or "\r" in text:
                    text = clean_text(text)
                parts.append(text)
            last = element
            continue
        # A cell's own paragraph and a row's own cell, most of the rest, are taken at once.
        if tag == P:
            if tc is not None and element.getparent() is tc:
                parts = []
                paragraphs.append((parts, None))
                last = element
                continue
            kind = _P
        elif tag == TC:
            if tr is not None and element.getparent() is tr:
                tc, content, parts, paragraphs = element, None, nowhere, []
                cells.append((tc, paragraphs, None))
                last = element
                continue
            kind = _TC
        else:
            kind = kinds.get(tag, -1)
            if kind < 0:
                continue  # a name of ours in another namespace: not ours, so not seen
        if paragraph is not None:
            # Anything of ours but text ends the paragraph's text alone: kept if all the pass
            # took was within it (``last`` was: the pass goes through the paragraph in
            # document order) and this is not.
            if (last is paragraph or _within(last, paragraph)) \
                    and not _within(element, paragraph) and texts is not None:
                texts[paragraph] = parts
            paragraph, parts = None, nowhere
        if kind == _TR and table is not None and element.getparent() is table \
                and (not rows or _only_cells(rows[-1])):
            tr, tc, content, parts, cells = element, None, None, nowhere, []
            # PlainRow(...) made in C: a named tuple's own __new__ is a Python call. Its trPr is
            # looked for as the row's first child only: one further back (first_child looks at
            # the second too) makes the row hold more than its properties and cells, and the
            # table is left to the full walk either way (`_only_cells`).
            first = tr[0] if len(tr) else None
            rows.append(new_row(PlainRow, (
                tr, first if first is not None and first.tag == TRPR else None, cells)))
        elif kind == _P or kind >= _COMPLICATED:
            # Not a plain table's: if within the table, the table is not plain; if not, the
            # table has ended (a paragraph or table after it, a control around the next one).
            if table is not None:
                _end(found, table, rows, last, element)
            table = tr = tc = content = None
            parts = nowhere
            if kind == _TBL and element in tables:
                table, rows = element, []
                found[table] = rows
            elif kind == _P and texts is not None and element.getparent() is body:
                paragraph, parts = element, []
        elif tc is not None:  # not the table's, a row's or a row exception's properties
            if content is None:
                content = PlainContent(paragraphs)
                cells[-1] = (tc, paragraphs, content)
            content.take(element, kind, tc)
        last = element
    if table is not None:
        _end(found, table, rows, last, None)
    if paragraph is not None and texts is not None and (
            last is paragraph or _within(last, paragraph)):
        texts[paragraph] = parts
    return found


def _end(found: dict[etree._Element, list[PlainRow]], table: etree._Element,
         rows: list[PlainRow], last: etree._Element | None, after: etree._Element | None) -> None:
    """Keep a table the pass has left only if it was plain to its end: ``after``, the element
    the pass met, is not within it, and ``last``, what the pass read before, was (text between
    the table and ``after`` would otherwise have been read into its last cell)."""
    plain = (after is None or not _within(after, table)) and (
        last is None or last is table or _within(last, table)) and (
        not rows or (_only_cells(rows[-1]) and _only_rows(table, rows)))
    if not plain:
        del found[table]


def _within(element: etree._Element, table: etree._Element) -> bool:
    # Up the parents in a loop: any() over iterancestors() cost a generator and an iterator
    # (about 20,000 instructions a table for the two calls `_end` makes).
    parent = element.getparent()
    while parent is not None:
        if parent is table:
            return True
        parent = parent.getparent()
    return False


def _only_cells(row: PlainRow) -> bool:
    """The row holds its properties and cells and nothing else, so everything the pass found
    after a cell's start (before the next row) was in the cell.

    Counting is enough: each cell the pass took is a child of the row (it checks each one's
    parent) and its properties are the row's first child, so when the row has as many
    children as those, it has no other.
    """
    return len(row.tr) == (0 if row.tr_pr is None else 1) + len(row.cells)


def _only_rows(tbl: etree._Element, rows: list[PlainRow]) -> bool:
    """After its properties and grid, the table holds its rows and nothing else."""
    return len(tbl) == 2 + len(rows) and rows[0].tr is tbl[2]


def compose_lines(paragraphs: Scanned, numbering: Numbering | None) -> list[str]:
    """Scanned paragraphs as lines: list labels prefixed, split at line breaks."""
    lines: list[str] = []
    for parts, p_pr in paragraphs:
        text = "".join(parts)
        if p_pr is not None and numbering is not None:
            label = numbering.label(p_pr)
            if label and text.strip():
                text = label + text
        if "\n" in text:
            lines.extend(text.split("\n"))
        else:
            lines.append(text)
    return lines
