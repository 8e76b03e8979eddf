"""WordprocessingML names and the small XML helpers the .docx reader shares.

Tags are compared as Clark names (``{namespace}local``) because that is what lxml hands back:
one string comparison per element, no prefix lookups.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_W = "{" + W_NS + "}"


def w(local: str) -> str:
    """The Clark name of a WordprocessingML element or attribute."""
    return _W + local


# Blocks and containers.
DOCUMENT, BODY = w("document"), w("body")
P, PPR, PSTYLE, R, RPR = w("p"), w("pPr"), w("pStyle"), w("r"), w("rPr")
COLOR, RFONTS = w("color"), w("rFonts")
TBL, TBL_GRID, GRID_COL = w("tbl"), w("tblGrid"), w("gridCol")
TR, TRPR, TC, TCPR = w("tr"), w("trPr"), w("tc"), w("tcPr")
GRID_BEFORE, GRID_AFTER, GRID_SPAN = w("gridBefore"), w("gridAfter"), w("gridSpan")
VMERGE, HMERGE, HIDDEN = w("vMerge"), w("hMerge"), w("hidden")
SHD, HIGHLIGHT = w("shd"), w("highlight")
# Run content.
T, DEL_TEXT, TAB, PTAB, BR, CR = w("t"), w("delText"), w("tab"), w("ptab"), w("br"), w("cr")
SYM, NO_BREAK_HYPHEN, VANISH, RUBY, RUBY_BASE = (
    w("sym"), w("noBreakHyphen"), w("vanish"), w("ruby"), w("rubyBase"))
STRIKE, DSTRIKE = w("strike"), w("dstrike")
DRAWING, PICT = w("drawing"), w("pict")
MC_CHOICE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Choice"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Tracked changes and wrappers.
INS, DEL, MOVE_TO, MOVE_FROM = w("ins"), w("del"), w("moveTo"), w("moveFrom")
SDT, SDT_PR, SDT_CONTENT, SHOWING_PLC_HDR = (
    w("sdt"), w("sdtPr"), w("sdtContent"), w("showingPlcHdr"))
CUSTOM_XML = w("customXml")
TXBX_CONTENT = w("txbxContent")
ALTERNATE_CONTENT = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
# Inline wrappers whose text is shown as if they were not there.
INLINE_WRAPPERS = frozenset(
    w(name) for name in ("hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo"))
# Numbering.
NUMPR, NUM_ID, ILVL = w("numPr"), w("numId"), w("ilvl")
_M = "{" + M_NS + "}"
OMATH, OMATH_PARA, M_T = _M + "oMath", _M + "oMathPara", _M + "t"

VAL = w("val")
AUTHOR, DATE, TYPE = w("author"), w("date"), w("type")

_OFF = frozenset(("0", "false", "off"))


def is_on(element: etree._Element | None) -> bool:
    """True when a toggle property (``<w:vanish/>``, ``<w:showingPlcHdr/>``) is present and on."""
    return element is not None and element.get(VAL) not in _OFF


def int_val(element: etree._Element | None, default: int = 0) -> int:
    """The ``w:val`` of an element as an integer, or the default when absent or malformed."""
    if element is None:
        return default
    try:
        return int(element.get(VAL, default))
    except ValueError:
        return default


def unwrap(
    parent: etree._Element, in_control: bool = False, placeholder: bool = False
) -> Iterator[tuple[etree._Element, bool, bool]]:
    """The children of a body, table, row or cell with content controls and custom XML unwrapped.

    Yields ``(element, in_control, placeholder)``: whether the element sits inside a content
    control, and whether a control around it is showing its placeholder (so its value is empty).
    Recursion unwraps any depth of nesting, innermost first, without changing the tree.
    """
    for child in parent:
        tag = child.tag
        if tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is None:
                continue
            shows_placeholder = placeholder or is_on(_sdt_flag(child, SHOWING_PLC_HDR))
            yield from unwrap(content, True, shows_placeholder)
        elif tag == CUSTOM_XML:
            yield from unwrap(child, in_control, placeholder)
        else:
            yield child, in_control, placeholder


def _sdt_flag(sdt: etree._Element, tag: str) -> etree._Element | None:
    properties = sdt.find(SDT_PR)
    return None if properties is None else properties.find(tag)


def showing_placeholder(sdt: etree._Element) -> bool:
    """True when a content control shows its placeholder text rather than a value."""
    return is_on(_sdt_flag(sdt, SHOWING_PLC_HDR))


def first_child(element: etree._Element, tag: str, within: int = 2) -> etree._Element | None:
    """The first child with the tag among the first ``within`` children (properties come first).

    Faster than ``find``, which goes through ElementPath for every call.
    """
    for index, child in enumerate(element):
        if child.tag == tag:
            return child
        if index + 1 >= within:
            break
    return None
