"""Turning one cell's value into what a person sees: its text, its typed value, its shading."""

from __future__ import annotations

import colorsys
import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache

from lxml import etree

from pipeline.issues import FileRejected
from pipeline.readers.xlsx_numfmt import render
from pipeline.xmlsafe import parse_part

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

# Fixed English names: strftime("%B") follows the process locale.
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")

#: The Office 2007-2010 theme (what openpyxl and older Excel write), in theme-index order:
#: Background 1, Text 1, Background 2, Text 2, Accent 1-6, Hyperlink, Followed hyperlink.
OFFICE_THEME = ("FFFFFF", "000000", "EEECE1", "1F497D", "4F81BD", "C0504D", "9BBB59",
                "8064A2", "4BACC6", "F79646", "0000FF", "800080")

# In theme1.xml the scheme lists dark before light; Excel's theme indexes 0-3 swap each pair.
_SCHEME_ORDER = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4",
                 "accent5", "accent6", "hlink", "folHlink")

_QUOTED = re.compile(r'"[^"]*"|\\.')

#: The indexed colours of a workbook that does not redefine them (ECMA-376 18.8.27), as aRGB;
#: 64 and 65 are the system's foreground and background.
DEFAULT_PALETTE = (
    "00000000", "00FFFFFF", "00FF0000", "0000FF00", "000000FF", "00FFFF00", "00FF00FF", "0000FFFF",
    "00000000", "00FFFFFF", "00FF0000", "0000FF00", "000000FF", "00FFFF00", "00FF00FF", "0000FFFF",
    "00800000", "00008000", "00000080", "00808000", "00800080", "00008080", "00C0C0C0", "00808080",
    "009999FF", "00993366", "00FFFFCC", "00CCFFFF", "00660066", "00FF8080", "000066CC", "00CCCCFF",
    "00000080", "00FF00FF", "00FFFF00", "0000FFFF", "00800080", "00800000", "00008080", "000000FF",
    "0000CCFF", "00CCFFFF", "00CCFFCC", "00FFFF99", "0099CCFF", "00FF99CC", "00CC99FF", "00FFCC99",
    "003366FF", "0033CCCC", "0099CC00", "00FFCC00", "00FF9900", "00FF6600", "00666699", "00969696",
    "00003366", "00339966", "00003300", "00333300", "00993300", "00993366", "00333399", "00333333",
)

#: A character Office wrote as ``_x000D_`` (a carriage return) and the like.
_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")


def unescape(text: str) -> str:
    """The text with Office's ``_xHHHH_`` escapes turned back into their characters."""
    return _ESCAPED.sub(lambda found: chr(int(found.group(1), 16)), text)


def cell_content(value: object, number_format: str) -> tuple[list[str], object]:
    """The lines a person sees in a cell and the typed value to keep (dates as dates)."""
    if value is None:
        return [], None
    if isinstance(value, str):
        # unescape and the replaces change nothing without "_x" or "\r": skip them, most cells.
        text = unescape(value) if "_x" in value else value
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return (text.split("\n") if text else []), text
    if isinstance(value, bool):  # before int: bool is an int
        return ["TRUE" if value else "FALSE"], value
    shown = render(value, number_format) if number_format != "General" else None
    if shown is not None:
        # As Excel shows it: "Mar-09", "30/06/2009", "65.6%", "1,250"; a date stays a date.
        if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
            return [shown], value.date()
        return [shown], value
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return [_date_text(value)], value.date()
        return [f"{_date_text(value)} {_time_text(value.time())}"], value
    if isinstance(value, dt.date):
        return [_date_text(value)], value
    if isinstance(value, dt.time):
        return [_time_text(value)], value
    if isinstance(value, dt.timedelta):
        minutes = round(value.total_seconds() / 60)
        return [f"{minutes // 60}:{minutes % 60:02d}"], value
    if isinstance(value, int | float):
        if _is_percent(number_format):
            return [_number_text(value * 100) + "%"], value
        return [_number_text(value)], value
    text = str(value)
    return [text], text


def _date_text(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _time_text(moment: dt.time) -> str:
    return moment.strftime("%H:%M:%S" if moment.second else "%H:%M")


def _number_text(number: float) -> str:
    """5 for 5.0, 34.7 for 34.7: 15 significant digits, as Excel itself keeps, so no float noise."""
    if isinstance(number, int):
        return str(number)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.15g}"


def _is_percent(number_format: str) -> bool:
    # A % inside quotes or after a backslash is literal text, not a percent format.
    return "%" in _QUOTED.sub("", number_format or "")


def palette_of(styles: etree._Element) -> list[str | None]:
    """The rgb of each colour of the workbook's own indexed palette, as styles.xml lists it; empty
    when the workbook keeps the default one. A file that repeats them is read as openpyxl reads
    it: the last ``<colors>``, and in it the last ``<indexedColors>``."""
    colour_lists = styles.findall(_MAIN + "colors")
    indexed = colour_lists[-1].findall(_MAIN + "indexedColors") if colour_lists else []
    return [colour.get("rgb") for colour in indexed[-1]] if indexed else []


class FillColours:
    """Resolves a cell's solid fill to six hex digits, with the workbook's palette and theme."""

    def __init__(self, palette: Sequence[str] | None, theme_xml: bytes | None) -> None:
        self.palette = list(palette) if palette else list(DEFAULT_PALETTE)
        self.theme = _theme_colours(theme_xml)

    def hex_of(self, fill: object) -> str | None:
        """Six hex digits for a solid pattern fill, None for no fill or any other kind."""
        if getattr(fill, "patternType", None) != "solid":
            return None  # gradients and hatch patterns are decoration, not a status colour
        colour = getattr(fill, "fgColor", None)
        kind = getattr(colour, "type", None)
        if kind == "rgb":
            rgb = colour.rgb  # type: ignore[union-attr]
            return rgb[-6:].upper() if isinstance(rgb, str) and len(rgb) in (6, 8) else None
        if kind == "indexed":
            index = colour.indexed  # type: ignore[union-attr]
            if index == 64:  # "system foreground"
                return "000000"
            if index == 65:  # "system background"
                return "FFFFFF"
            if isinstance(index, int) and 0 <= index < len(self.palette):
                return self.palette[index][-6:].upper()
            return None
        if kind == "theme":
            index = colour.theme  # type: ignore[union-attr]
            if isinstance(index, int) and 0 <= index < len(self.theme):
                return apply_tint(self.theme[index], colour.tint or 0.0)  # type: ignore[union-attr]
        return None


@lru_cache(maxsize=32)
def _theme_colours(theme_xml: bytes | None) -> tuple[str, ...]:
    """The workbook's own theme colours, or Office's defaults when it has none we can read;
    worked out once per distinct theme part (the returns of one template share it)."""
    if not theme_xml:
        return OFFICE_THEME
    try:
        root = parse_part(theme_xml, "xl/theme/theme1.xml")
    except FileRejected:
        return OFFICE_THEME  # openpyxl read the same bytes; a bad theme only costs colours
    scheme = next(root.iter("{*}clrScheme"), None)
    if scheme is None:
        return OFFICE_THEME
    found: dict[str, str] = {}
    for slot in scheme:
        name = slot.tag.rsplit("}", 1)[-1]
        for colour in slot:
            value = colour.get("val") if colour.tag.endswith("srgbClr") else colour.get("lastClr")
            if value and len(value) == 6:
                found[name] = value.upper()
    return tuple(found.get(name, default) for name, default in zip(_SCHEME_ORDER, OFFICE_THEME,
                                                                   strict=True))


def apply_tint(rgb: str, tint: float) -> str:
    """Lighten (tint > 0) or darken (tint < 0) a colour as Excel does, on HLS luminance."""
    if not tint:
        return rgb
    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    lum = lum * (1 + tint) if tint < 0 else lum * (1 - tint) + tint
    return "".join(f"{round(x * 255):02X}" for x in colorsys.hls_to_rgb(h, lum, s))
