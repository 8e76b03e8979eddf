"""The fast path for plain cells and paragraphs: runs of text with no changes or controls.

Most cells of a return are plain text. One pass over ``iter()`` (which lxml runs in C) with a
dict lookup per element is several times faster than the full walk in ``docx_paragraphs``;
anything the fast path does not handle makes it give up, and the full walk takes over.
"""

from __future__ import annotations

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
    TCPR,
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
_T, _P, _NUMBERED, _TAB, _BR, _CR, _SYM, _NBH, _CELL_PROPERTY, _LOOK, _COMPLICATED = range(11)
#: What may give a run's text a look of its own: a colour, a (symbol) font.
LOOKS = (COLOR, RFONTS)
#: One dict lookup per element decides what it is; anything not listed shows no text.
_KINDS = {T: _T, P: _P, NUMPR: _NUMBERED, PSTYLE: _NUMBERED, TAB: _TAB, PTAB: _TAB, BR: _BR,
          CR: _CR, SYM: _SYM, NO_BREAK_HYPHEN: _NBH,
          **dict.fromkeys((GRID_SPAN, VMERGE, HMERGE, SHD), _CELL_PROPERTY),
          **dict.fromkeys(LOOKS, _LOOK), **dict.fromkeys(_COMPLEX, _COMPLICATED)}

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


def scan_plain(container: etree._Element, cell_properties: list[etree._Element] | None = None,
               looks: list[etree._Element] | None = None) -> Scanned | None:
    """The paragraphs of a plain paragraph or cell, or None when it holds more than plain runs.

    For a cell, its merge and shading properties are added to ``cell_properties`` on the way,
    and to ``looks`` every colour, font and symbol in it (none: its text shows in no colour and
    no symbol font).
    List labels are left to `compose_lines`, so giving up here never advances a list counter.
    """
    paragraphs: Scanned = []
    parts: list[str] = []
    kind_of = _KINDS.get
    for element in container.iter():
        kind = kind_of(element.tag)
        if kind is None:
            continue
        if kind == _T:
            text = element.text
            if text:
                parts.append(clean_text(text) if ("\xad" in text or "\n" in text or "\r" in text)
                             else text)
        elif kind == _P:
            parts = []
            paragraphs.append((parts, None))
        elif kind == _COMPLICATED:
            return None
        elif kind == _CELL_PROPERTY:
            # Only the cell's own: shd also shades runs and paragraphs, and tcPrChange keeps
            # the old properties in a tcPr of its own.
            if cell_properties is not None:
                parent = element.getparent()
                if parent.tag == TCPR and parent.getparent() is container:
                    cell_properties.append(element)
        elif kind == _LOOK:
            if looks is not None:
                looks.append(element)
        elif not paragraphs:
            continue
        elif kind == _NUMBERED:
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
            if looks is not None:
                looks.append(element)
        else:
            parts.append("\u2011")
    return paragraphs


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
