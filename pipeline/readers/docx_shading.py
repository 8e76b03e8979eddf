"""A Word cell's background colour, as six upper-case hex digits (``FFC000``).

Word writes the resolved colour in ``w:fill`` even for theme colours, so that is read first; a
theme colour given alone is resolved from the document's theme when one is at hand.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from pipeline.readers.docx_xml import HIGHLIGHT, PPR, RPR, SHD, VAL, w

_FILL, _COLOR, _THEME_FILL = w("fill"), w("color"), w("themeFill")
_TINT, _SHADE = w("themeFillTint"), w("themeFillShade")
_CHANGES = frozenset((w("rPrChange"), w("pPrChange")))
_HEX = frozenset("0123456789ABCDEF")

#: Theme colour name -> its colour, or None; given by the reader, which loads the theme lazily.
ThemeColours = Callable[[str], "str | None"]

#: The sixteen highlighter colours Word offers, by the names it stores.
HIGHLIGHT_COLOURS: dict[str, str] = {
    "yellow": "FFFF00", "green": "00FF00", "cyan": "00FFFF", "magenta": "FF00FF",
    "blue": "0000FF", "red": "FF0000", "darkBlue": "000080", "darkCyan": "008080",
    "darkGreen": "008000", "darkMagenta": "800080", "darkRed": "800000",
    "darkYellow": "808000", "darkGray": "808080", "lightGray": "C0C0C0", "black": "000000",
    "white": "FFFFFF",
}


def _hex(value: str | None) -> str | None:
    if value and len(value) == 6:
        value = value.upper()
        if _HEX.issuperset(value):
            return value
    return None


def shading_colour(shd: etree._Element, theme: ThemeColours | None) -> str | None:
    """The colour a ``w:shd`` paints, or None for no shading, ``auto`` or an unknown theme colour."""
    pattern = shd.get(VAL)
    if pattern == "nil":
        return None
    if pattern == "solid":
        # A solid pattern is painted entirely in the pattern (foreground) colour.
        colour = _hex(shd.get(_COLOR))
        if colour:
            return colour
    colour = _hex(shd.get(_FILL))
    if colour or theme is None:
        return colour
    theme_name = shd.get(_THEME_FILL)
    if not theme_name:
        return None
    base = theme(theme_name)
    return _tinted(base, shd.get(_TINT), shd.get(_SHADE)) if base else None


def _tinted(colour: str, tint: str | None, shade: str | None) -> str:
    channels = [int(colour[i:i + 2], 16) for i in (0, 2, 4)]
    try:
        if shade:
            factor = int(shade, 16) / 255
            channels = [round(c * factor) for c in channels]
        elif tint:
            factor = int(tint, 16) / 255
            channels = [round(255 - (255 - c) * factor) for c in channels]
    except ValueError:
        pass
    return "".join(f"{min(255, max(0, c)):02X}" for c in channels)


def text_shading(tc: etree._Element, theme: ThemeColours | None) -> str | None:
    """For a cell with no text: the paragraph or run shading or highlight colouring it, if any."""
    # Only looked at for blank cells (cheap: they are small) because a coloured word in a long
    # cell says nothing about the cell, while a coloured empty paragraph is how some people
    # colour a Status cell.
    for element in tc.iter(SHD, HIGHLIGHT):
        parent = element.getparent()
        # Skip cell shading (already looked at) and the old formatting kept by tracked changes.
        if parent is None or parent.tag not in (PPR, RPR) or parent.getparent().tag in _CHANGES:
            continue
        if element.tag == SHD:
            colour = shading_colour(element, theme)
        else:
            colour = HIGHLIGHT_COLOURS.get(element.get(VAL, ""))
        if colour:
            return colour
    return None
