"""Making a return's text safe to put into a workbook or a Word document."""

from __future__ import annotations

import math
import re

#: Excel's limit for one cell; a longer text is cut by us, with a note, not silently by xlsxwriter.
EXCEL_CELL_CHARS = 32_767
_CUT_NOTE = " … [cut: {n} more characters, see the return]"

# C0 controls except tab and newline, DEL, C1 controls, surrogates and the two non-characters:
# XML 1.0 forbids some of them and the rest are invisible in a cell or a page anyway.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

#: The characters that make a spreadsheet treat typed text as a formula.
FORMULA_LEADS = ("=", "+", "-", "@")


def clean(value: object) -> str:
    """Text with line endings made \\n and control characters removed; '' for None and NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = value if type(value) is str else str(value)
    if text.isprintable():
        return text  # nearly every cell: nothing to remove, nothing to search for
    return clean_unprintable(text)


def clean_unprintable(text: str) -> str:
    """`clean` of text already found not printable (a line break, say): what a row writer that
    has looked calls."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Every character `_INVISIBLE` takes out is unprintable: text printable but for its line
    # breaks and tabs (nearly all such text) has none, and is not searched character by character.
    if text.replace("\n", "").replace("\t", "").isprintable():
        return text
    return _INVISIBLE.sub("", text)


def escape_xml(text: str) -> str:
    """Text made safe inside an XML element: &, < and > as entities (what
    xml.sax.saxutils.escape does, without the urllib and http modules it loads). Each is looked
    for before it is replaced: most texts hold none, and `in` costs less than a call."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def fit_cell(text: str, limit: int = EXCEL_CELL_CHARS) -> str:
    """The text cut to fit one Excel cell, saying how much was cut, so nothing is lost unseen."""
    if len(text) <= limit:
        return text
    # The note's length depends on the number it carries; a first guess is off by a digit at most.
    keep = limit - len(_CUT_NOTE.format(n=len(text)))
    return text[:keep] + _CUT_NOTE.format(n=len(text) - keep)


def lines(value: object) -> list[str]:
    """The text's lines, blank lines at either end dropped, at least one (possibly empty)."""
    if value.__class__ is str and value.isprintable():
        return [value.rstrip()]  # one line, nothing to clean
    parts = clean(value).strip("\n").split("\n")
    return [p.rstrip() for p in parts] or [""]


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would read the text as a formula if someone retyped it."""
    return text.startswith(FORMULA_LEADS)
