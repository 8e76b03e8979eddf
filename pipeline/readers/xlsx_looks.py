"""How an Excel cell looks beyond its value: its text colour and font, the colours a conditional
format gives it, and which columns are hidden.

A status is often shown that way: a ● in red, a cell coloured by a rule on its value. Read from
the sheet's and the styles' XML (already parsed by the package scan), the same whichever way
the cells themselves were read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

from pipeline.readers.docx_symbols import font_symbol
from pipeline.readers.xlsx_cells import FillColours, apply_tint
from pipeline.xmlsafe import parse_part

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: Fonts whose letters draw symbols; a cell in one of them shows what `font_symbol` says.
SYMBOL_FONTS = frozenset({"wingdings", "wingdings 2", "webdings"})
#: Text colours that say nothing: black and the theme's own dark text.
_INKLESS = frozenset({"000000"})


@dataclass(frozen=True)
class Look:
    """What a cell shows besides its value: the colour of its text and its font's name."""

    colour: str | None = None
    font: str = ""


@dataclass
class _Rule:
    areas: list[tuple[int, int, int, int]]
    """(min_row, min_col, max_row, max_col) the rule applies to."""
    test: Callable[[object], bool]
    fill: str | None
    colour: str | None
    priority: int


@dataclass
class SheetLooks:
    """The looks of one sheet's cells, by (row, column)."""

    inks: dict[tuple[int, int], Look] = field(default_factory=dict)
    hidden_columns: set[int] = field(default_factory=set)
    rules: list[_Rule] = field(default_factory=list)

    def conditional(self, row: int, column: int, value: object) -> tuple[str | None, str | None]:
        """The fill and text colour a conditional format gives this cell, if a rule applies."""
        for rule in self.rules:
            if any(a <= row <= c and b <= column <= d for a, b, c, d in rule.areas):
                try:
                    applies = rule.test(value)
                except (TypeError, ValueError):
                    applies = False
                if applies:
                    return rule.fill, rule.colour
        return None, None


@dataclass
class WorkbookLooks:
    """Per cell format: its text look; and the conditional formats' colours, by dxf index."""

    looks: list[Look | None]
    dxfs: list[tuple[str | None, str | None]]
    """(fill, text colour) of each differential format."""


def workbook_looks(zf: zipfile.ZipFile) -> WorkbookLooks:
    """Read the text colours, fonts and conditional-format colours of a workbook's styles."""
    names = set(zf.namelist())
    if "xl/styles.xml" not in names:
        return WorkbookLooks([], [])
    theme = zf.read("xl/theme/theme1.xml") if "xl/theme/theme1.xml" in names else None
    root = parse_part(zf.read("xl/styles.xml"), "xl/styles.xml")
    palette = None
    indexed = root.find(f"{_MAIN}colors/{_MAIN}indexedColors")
    if indexed is not None:
        palette = [c.get("rgb", "") for c in indexed]
    colours = FillColours(palette, theme)
    fonts: list[Look | None] = []
    fonts_element = root.find(_MAIN + "fonts")
    for font in fonts_element if fonts_element is not None else []:
        colour = _colour(colours, font.find(_MAIN + "color"))
        name_element = font.find(_MAIN + "name")
        name = (name_element.get("val", "") if name_element is not None else "").strip()
        colour = None if colour in _INKLESS else colour
        symbolic = name.lower() in SYMBOL_FONTS
        fonts.append(Look(colour, name if symbolic else "") if colour or symbolic else None)
    looks: list[Look | None] = []
    xfs = root.find(_MAIN + "cellXfs")
    for xf in xfs if xfs is not None else []:
        try:
            font_id = int(xf.get("fontId", "0"))
        except ValueError:
            font_id = 0
        looks.append(fonts[font_id] if 0 <= font_id < len(fonts) else None)
    dxfs: list[tuple[str | None, str | None]] = []
    dxfs_element = root.find(_MAIN + "dxfs")
    for dxf in dxfs_element if dxfs_element is not None else []:
        fill = dxf.find(f"{_MAIN}fill/{_MAIN}patternFill")
        fill_colour = None
        if fill is not None and fill.get("patternType", "solid") not in ("none", "gray125"):
            # A differential fill paints its bgColor (fgColor when only that is given).
            fill_colour = _colour(colours, fill.find(_MAIN + "bgColor")) or _colour(
                colours, fill.find(_MAIN + "fgColor"))
        text = _colour(colours, dxf.find(f"{_MAIN}font/{_MAIN}color"))
        dxfs.append((fill_colour, None if text in _INKLESS else text))
    return WorkbookLooks(looks, dxfs)


def _colour(colours: FillColours, element: etree._Element | None) -> str | None:
    if element is None or element.get("auto") in ("1", "true"):
        return None
    rgb, theme, index = element.get("rgb"), element.get("theme"), element.get("indexed")
    try:
        tint = float(element.get("tint", "0"))
        if rgb and len(rgb) in (6, 8) and re.fullmatch(r"[0-9A-Fa-f]+", rgb):
            return apply_tint(rgb[-6:].upper(), tint)
        if theme is not None and 0 <= int(theme) < len(colours.theme):
            return apply_tint(colours.theme[int(theme)], tint)
        if index is not None and 0 <= int(index) < len(colours.palette):
            return colours.palette[int(index)][-6:].upper()
    except ValueError:
        return None
    return None


def sheet_looks(root: etree._Element | None, workbook: WorkbookLooks) -> SheetLooks:
    """The looks of a sheet's cells from its XML: inks, hidden columns, conditional formats."""
    looks = SheetLooks()
    if root is None:
        return looks
    _hidden_columns(root, looks)
    styled = {i for i, look in enumerate(workbook.looks) if look is not None}
    if styled:
        for c in root.iter(_MAIN + "c"):
            s, ref = c.get("s"), c.get("r")
            if s is None or ref is None or not s.isdigit() or int(s) not in styled:
                continue
            try:
                position = coordinate_to_tuple(ref)
            except ValueError:
                continue
            look = workbook.looks[int(s)]
            if look is not None:
                looks.inks[position] = look
    for block in root.iter(_MAIN + "conditionalFormatting"):
        areas = _areas(block.get("sqref", ""))
        for rule in block.iter(_MAIN + "cfRule"):
            made = _rule(rule, areas, workbook.dxfs)
            if made is not None:
                looks.rules.append(made)
    looks.rules.sort(key=lambda r: r.priority)
    return looks


def _hidden_columns(root: etree._Element, looks: SheetLooks) -> None:
    for col in root.iter(_MAIN + "col"):
        if col.get("hidden") not in ("1", "true"):
            continue
        try:
            first, last = int(col.get("min", "0")), int(col.get("max", "0"))
        except ValueError:
            continue
        # A hidden range to the sheet's edge (min 10, max 16384) is a tidy sheet, not data.
        looks.hidden_columns.update(range(max(1, first), min(last, first + 200) + 1))


def _areas(sqref: str) -> list[tuple[int, int, int, int]]:
    areas = []
    for ref in sqref.split():
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except ValueError:
            continue
        if None in (min_col, min_row, max_col, max_row):
            continue
        areas.append((int(min_row), int(min_col), int(max_row), int(max_col)))
    return areas


def _rule(rule: etree._Element, areas: list[tuple[int, int, int, int]],
          dxfs: list[tuple[str | None, str | None]]) -> _Rule | None:
    try:
        dxf = int(rule.get("dxfId", ""))
        priority = int(rule.get("priority", "0"))
    except ValueError:
        return None
    if not 0 <= dxf < len(dxfs) or dxfs[dxf] == (None, None):
        return None
    kind = rule.get("type", "")
    formulas = [f.text or "" for f in rule.iter(_MAIN + "formula")]
    test: Callable[[object], bool] | None = None
    if kind == "cellIs":
        test = _cell_is(rule.get("operator", "equal"), [_constant(f) for f in formulas])
    elif kind in ("containsText", "notContainsText", "beginsWith", "endsWith"):
        wanted = (rule.get("text") or "").lower()
        test = _text_test(kind, wanted)
    if test is None:
        return None  # an expression or a colour scale: not evaluated, the cell keeps its look
    return _Rule(areas, test, dxfs[dxf][0], dxfs[dxf][1], priority)


_MISSING = object()


def _constant(formula: str) -> object:
    """A rule's formula when it is a constant: a number or a quoted string; else _MISSING."""
    text = formula.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('""', '"')
    try:
        return float(text)
    except ValueError:
        return _MISSING


def _comparable(value: object, constant: object) -> tuple[object, object] | None:
    if constant is _MISSING or value is None:
        return None
    if isinstance(constant, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value), constant
    if isinstance(value, str):
        return value.strip().lower(), str(constant).lower()
    return None


def _cell_is(operator: str, constants: list[object]) -> Callable[[object], bool] | None:
    compare: dict[str, Callable[[object, object], bool]] = {
        "equal": lambda a, b: a == b,
        "notEqual": lambda a, b: a != b,
        "greaterThan": lambda a, b: a > b,  # type: ignore[operator]
        "lessThan": lambda a, b: a < b,  # type: ignore[operator]
        "greaterThanOrEqual": lambda a, b: a >= b,  # type: ignore[operator]
        "lessThanOrEqual": lambda a, b: a <= b,  # type: ignore[operator]
    }
    if operator in compare and constants:
        def single(value: object) -> bool:
            pair = _comparable(value, constants[0])
            return pair is not None and compare[operator](*pair)
        return single
    if operator in ("between", "notBetween") and len(constants) == 2:
        def between(value: object) -> bool:
            low, high = _comparable(value, constants[0]), _comparable(value, constants[1])
            if low is None or high is None:
                return False
            inside = low[1] <= low[0] <= high[1]  # type: ignore[operator]
            return inside if operator == "between" else not inside
        return between
    return None


def _text_test(kind: str, wanted: str) -> Callable[[object], bool]:
    def test(value: object) -> bool:
        text = str(value).lower() if value is not None else ""
        if kind == "containsText":
            return wanted in text
        if kind == "notContainsText":
            return wanted not in text
        if kind == "beginsWith":
            return text.startswith(wanted)
        return text.endswith(wanted)
    return test


def symbol_text(look: Look | None, text: str) -> str | None:
    """What a short text in a symbol font shows ('n' in Webdings is ●), or None."""
    if look is None or not look.font or len(text) > 4:
        return None
    return font_symbol(look.font, text)
