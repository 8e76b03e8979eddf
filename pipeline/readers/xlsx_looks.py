"""How an Excel cell looks beyond its value: its text colour and font, the colours a conditional
format gives it, and which columns are hidden.

A status is often shown that way: a ● in red, a cell coloured by a rule on its value. Read from
the sheet's and the styles' XML (already parsed by the package scan), the same whichever way
the cells themselves were read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from pipeline.readers.docx_symbols import font_symbol
from pipeline.readers.xlsx_cells import FillColours, apply_tint, palette_of
from pipeline.readers.xlsx_package import part_names
from pipeline.readers.xlsx_plain import PlainRow, PlainSheet, ends_kept, kept_with_ends
from pipeline.readers.xlsx_refs import column_index, coordinate_to_tuple, range_boundaries
from pipeline.xmlsafe import parse_part

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: Fonts whose letters draw symbols; a cell in one of them shows what `font_symbol` says.
SYMBOL_FONTS = frozenset({"wingdings", "wingdings 2", "webdings"})
_COL, _RUN_PROPERTIES = _MAIN + "col", _MAIN + "rPr"
_CONDITIONAL_FORMATTING = _MAIN + "conditionalFormatting"
#: Text colours that say nothing: black and the theme's own dark text.
_INKLESS = frozenset({"000000"})


@dataclass(frozen=True)
class Look:
    """What a cell shows besides its value: the colour of its text and its font's name."""

    colour: str | None = None
    font: str = ""
    text: str | None = None
    """Rich text with runs in a symbol font: the text as drawn ('l' in Wingdings is ●)."""
    colours: int = 1
    """How many colours its visible text is in (rich text runs): more than one says no colour."""


#: A rich-text string's runs as (text, colour or None for the cell's own, font or "").
Runs = tuple[tuple[str, str | None, str], ...]


#: A cell's value by (row, column), for rules that look at another cell ('=$E5="Red"').
ValueAt = Callable[[int, int], object]


@dataclass
class _Rule:
    areas: list[tuple[int, int, int, int]]
    """(min_row, min_col, max_row, max_col) the rule applies to."""
    test: Callable[[object, int, int, ValueAt], bool] | None
    """Whether the rule applies to the cell at (row, column) holding the value; None when the
    rule cannot be evaluated soundly (its colour is then unknown, never guessed)."""
    fill: str | None
    colour: str | None
    priority: int
    unread: str = ""
    """What the rule is, in words, when it cannot be read ('an icon set')."""

    def covers(self, row: int, column: int) -> bool:
        return any(a <= row <= c and b <= column <= d for a, b, c, d in self.areas)


@dataclass
class SheetLooks:
    """The looks of one sheet's cells, by (row, column)."""

    inks: dict[tuple[int, int], Look] = field(default_factory=dict)
    hidden_columns: set[int] = field(default_factory=set)
    rules: list[_Rule] = field(default_factory=list)

    def conditional(self, row: int, column: int, value: object, value_at: ValueAt | None = None
                    ) -> Conditional:
        """What the conditional formats covering this cell make of it.

        Rules are tried in priority order, the first that applies giving its colours. A rule
        that cannot be evaluated and could colour the cell stops the search: whether it
        applies is unknown, so the colour it could give is unknown too, never guessed.
        """
        unread = ""
        lookup: ValueAt = value_at or _no_value
        for rule in self.rules:
            if not rule.covers(row, column):
                continue
            applies: bool | None = None
            if rule.test is not None:
                try:
                    applies = rule.test(value, row, column, lookup)
                except (TypeError, ValueError):
                    applies = None  # a value the rule's comparison cannot be worked out on
            if applies is None:
                unread = unread or rule.unread or "a conditional format"
                if rule.fill is not None or rule.colour is not None:
                    return Conditional(unread=unread, fill_unknown=rule.fill is not None,
                                       colour_unknown=rule.colour is not None)
                continue
            if applies:
                return Conditional(rule.fill, rule.colour, unread)
        return Conditional(unread=unread)


@dataclass(frozen=True)
class Conditional:
    """The colours conditional formats give a cell, and what covers it that cannot be read."""

    fill: str | None = None
    colour: str | None = None
    unread: str = ""
    """A rule covering the cell that cannot be read, in words ('an icon set'); '' for none."""
    fill_unknown: bool = False
    """An unreadable rule may paint the cell: its fill is not known."""
    colour_unknown: bool = False
    """An unreadable rule may colour the text: its colour is not known."""


def _no_value(row: int, column: int) -> object:
    return None


@dataclass
class WorkbookLooks:
    """Per cell format: its text look; and the conditional formats' colours, by dxf index."""

    looks: Sequence[Look | None]
    dxfs: Sequence[tuple[str | None, str | None]]
    """(fill, text colour) of each differential format."""
    rich: dict[int, Runs] = field(default_factory=dict)
    """Shared strings written as rich text whose runs differ in colour or font, by index."""
    colours: FillColours | None = None


def workbook_looks(zf: zipfile.ZipFile) -> WorkbookLooks:
    """Read the text colours, fonts and conditional-format colours of a workbook's styles."""
    names = part_names(zf)
    theme = zf.read("xl/theme/theme1.xml") if "xl/theme/theme1.xml" in names else None
    if "xl/styles.xml" not in names:
        plain = FillColours(None, theme)
        return WorkbookLooks([], [], _rich_strings(zf, names, plain), plain)
    styles = _style_looks(zf.read("xl/styles.xml"), theme)
    return WorkbookLooks(styles.looks, styles.dxfs, _rich_strings(zf, names, styles.colours),
                         styles.colours)


@dataclass(frozen=True)
class _StyleLooks:
    """What a workbook's styles (and theme) say of its cells' looks, whatever its cells hold."""

    looks: tuple[Look | None, ...]
    dxfs: tuple[tuple[str | None, str | None], ...]
    colours: FillColours


@lru_cache(maxsize=32)
def _style_looks(styles_xml: bytes, theme_xml: bytes | None) -> _StyleLooks:
    """The looks of each cell format and differential format, worked out once per distinct
    styles part and theme: the returns of one template share them, byte for byte."""
    root = parse_part(styles_xml, "xl/styles.xml")
    colours = FillColours([rgb or "" for rgb in palette_of(root)], theme_xml)
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
    return _StyleLooks(tuple(looks), tuple(dxfs), colours)


def _rich_strings(zf: zipfile.ZipFile, names: Set[str], colours: FillColours) -> dict[int, Runs]:
    """The shared strings whose runs differ in colour or font (most workbooks have none)."""
    part = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else next(
        (n for n in names if n.lower().endswith("sharedstrings.xml")), None)
    if part is None:
        return {}
    data = zf.read(part)
    if b"rPr" not in data:
        return {}  # no run has properties of its own: nothing to say beyond the cell's style
    found: dict[int, Runs] = {}
    for index, si in enumerate(parse_part(data, part).iter(_MAIN + "si")):
        runs = _runs(si, colours)
        if runs:
            found[index] = runs
    return found


def _runs(element: etree._Element, colours: FillColours | None) -> Runs:
    """A string's rich-text runs, when some run sets its own colour or font; else ()."""
    runs: list[tuple[str, str | None, str]] = []
    own = False
    for run in element.iter(_MAIN + "r"):
        text = "".join(t.text or "" for t in run.iter(_MAIN + "t"))
        properties = run.find(_MAIN + "rPr")
        colour, font = None, ""
        if properties is not None:
            colour_element = properties.find(_MAIN + "color")
            if colour_element is not None and colours is not None:
                colour = _colour(colours, colour_element) or "000000"
            font_element = properties.find(_MAIN + "rFont")
            if font_element is not None:
                font = font_element.get("val", "").strip()
            own = own or colour is not None or bool(font)
        runs.append((text, colour, font))
    return tuple(runs) if own else ()


def rich_look(runs: Runs, base: Look | None) -> Look | None:
    """A cell's look from its rich-text runs over its own style: the one colour its visible text
    is in (or how many), and the text as drawn where a run is in a symbol font."""
    base = base or Look()
    inks: set[str | None] = set()
    drawn: list[str] = []
    symbolic = False
    for text, colour, font in runs:
        ink = base.colour if colour is None else (None if colour in _INKLESS else colour)
        face = font or base.font
        shown = font_symbol(face, text) if face.lower() in SYMBOL_FONTS else None
        if shown is not None:
            symbolic = True
        if text.strip():
            inks.add(ink)
        drawn.append(shown if shown is not None else text)
    single = next(iter(inks)) if len(inks) == 1 else None
    look = Look(single, base.font, "".join(drawn) if symbolic else None, max(1, len(inks)))
    return look if look != Look() else None


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


def sheet_looks(root: etree._Element | None, workbook: WorkbookLooks,
                plain: PlainSheet | None = None) -> SheetLooks:
    """The looks of a sheet's cells from its XML: inks, hidden columns, conditional formats.

    `plain`: the sheet's rows when they are plain, cut from its text (`xlsx_plain`), and `root`
    the sheet parsed without them: its cells are read from them, alike."""
    looks = SheetLooks()
    if root is None:
        return looks
    if plain is None:
        hidden, rules, runs_of_its_own = _tree_looks(root, workbook.dxfs)
    else:
        # Its hidden columns and rules are those of the tree without its rows, which the
        # sheets of one template share (`xlsx_plain._PARSED`): worked out once for it and the
        # workbook's differential formats (about 40 k instructions a sheet of the bench's).
        ends = plain.around.ends
        kept = _TREE_LOOKS.get(ends)
        if kept is not None and (kept[0] is workbook.dxfs or kept[0] == workbook.dxfs):
            _, hidden, rules = kept
        else:
            hidden, rules, _ = _tree_looks(root, workbook.dxfs)
            if ends_kept(ends):
                _TREE_LOOKS[ends] = (workbook.dxfs, hidden, rules)
        runs_of_its_own = False  # no run in a plain row
    looks.hidden_columns.update(hidden)
    looks.rules.extend(rules)
    styled = {i for i, look in enumerate(workbook.looks) if look is not None}
    if plain is not None:
        if styled or workbook.rich:
            _plain_inks(plain.rows, workbook, styled, looks)
    elif styled or workbook.rich or runs_of_its_own:
        for c in root.iter(_MAIN + "c"):
            s, ref = c.get("s"), c.get("r")
            style = int(s) if s is not None and s.isdigit() else 0
            runs = _cell_runs(c, workbook)
            if ref is None or (style not in styled and not runs):
                continue
            try:
                position = coordinate_to_tuple(ref)
            except ValueError:
                continue
            look = _ink(workbook, style, styled, runs)
            if look is not None:
                looks.inks[position] = look
    return looks


#: The hidden columns and rules (`_tree_looks`) of the plain sheets' trees without their rows,
#: by their start and end bytes, with the differential formats they were worked out for;
#: forgotten with those bytes (`xlsx_plain.kept_with_ends`).
_TREE_LOOKS: dict[tuple[bytes, bytes], tuple[Sequence[tuple[str | None, str | None]],
                                             frozenset[int], tuple[_Rule, ...]]] = (
    kept_with_ends({}))


def _tree_looks(root: etree._Element, dxfs: Sequence[tuple[str | None, str | None]]
                ) -> tuple[frozenset[int], tuple[_Rule, ...], bool]:
    """A sheet's hidden columns and conditional formats' rules (in priority order), and whether
    it holds a run with properties of its own."""
    looks = SheetLooks()
    # One walk of the sheet for everything here but its cells, not one walk for each.
    columns: list[etree._Element] = []
    blocks: list[etree._Element] = []
    extended: list[etree._Element] = []  # Excel 2010's own (x14), in the extension list
    runs_of_its_own = False
    for element in root.iter(_COL, _RUN_PROPERTIES, "{*}conditionalFormatting"):
        tag = element.tag
        if tag == _COL:
            columns.append(element)
        elif tag == _RUN_PROPERTIES:
            runs_of_its_own = True
        elif tag == _CONDITIONAL_FORMATTING:
            blocks.append(element)
        else:
            extended.append(element)
    _hidden_columns(columns, looks)
    for block in blocks:
        areas = _areas(block.get("sqref", ""))
        if not areas:
            continue
        for rule in block.iter(_MAIN + "cfRule"):
            made = _rule(rule, areas, dxfs)
            if made is not None:
                looks.rules.append(made)
    looks.rules.extend(_extended_rules(extended))
    looks.rules.sort(key=lambda r: r.priority)
    return frozenset(looks.hidden_columns), tuple(looks.rules), runs_of_its_own


def _plain_inks(rows: list[PlainRow], workbook: WorkbookLooks, styled: set[int],
                looks: SheetLooks) -> None:
    """The inks of a plain sheet's cells, as the loop over its tree's cells reads them: a plain
    cell has its reference (one openpyxl reads), a format written as a whole number or none,
    and a lone <v> or nothing (no run of its own, no inline string's runs)."""
    rich = workbook.rich
    for _, cells in rows:
        for position, s, kind, text, _ in cells:
            style = int(s) if s else 0
            runs = (rich.get(int(text), ()) if kind == "s" and rich and text.isdigit() else ())
            if style not in styled and not runs:
                continue
            look = _ink(workbook, style, styled, runs)
            if look is not None:
                looks.inks[position] = look


def _ink(workbook: WorkbookLooks, style: int, styled: set[int], runs: Runs) -> Look | None:
    """A cell's ink: its format's look (`styled`: the formats that have one), its string's runs'
    over it."""
    look = workbook.looks[style] if style in styled else None
    return rich_look(runs, look) if runs else look


def _cell_runs(c: etree._Element, workbook: WorkbookLooks) -> Runs:
    """The rich-text runs of a cell's string (shared or inline), when they set colours or fonts."""
    kind = c.get("t")
    if kind == "s" and workbook.rich:
        v = c.find(_MAIN + "v")
        text = v.text if v is not None else None
        return workbook.rich.get(int(text), ()) if text and text.isdigit() else ()
    if kind == "inlineStr":
        inline = c.find(_MAIN + "is")
        if inline is not None and inline.find(_MAIN + "r") is not None:
            return _runs(inline, workbook.colours)
    return ()


def _hidden_columns(columns: list[etree._Element], looks: SheetLooks) -> None:
    for col in columns:
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
        if min_col is None or min_row is None or max_col is None or max_row is None:
            continue
        areas.append((min_row, min_col, max_row, max_col))
    return areas


#: The fill of a rule that paints a cell in a colour only Excel can work out (a colour scale).
PAINTED = "painted"
#: Rule types that show something no cell value gives: said in words when they cannot be read.
_SHOWN_BY = {"colorScale": "a conditional-format colour scale",
             "iconSet": "a conditional-format icon set",
             "dataBar": "a conditional-format data bar"}


def _rule(rule: etree._Element, areas: list[tuple[int, int, int, int]],
          dxfs: Sequence[tuple[str | None, str | None]]) -> _Rule | None:
    """A conditional format rule as its test and colours; None when it shows no colour."""
    kind = rule.get("type", "")
    try:
        priority = int(rule.get("priority", "0"))
    except ValueError:
        priority = 0
    if kind in _SHOWN_BY:
        # A colour scale paints the cell (its fill is then unknown); icons and bars do not.
        paints = PAINTED if kind == "colorScale" else None
        return _Rule(areas, None, paints, None, priority, _SHOWN_BY[kind])
    try:
        dxf = int(rule.get("dxfId", ""))
    except ValueError:
        return None
    if not 0 <= dxf < len(dxfs) or dxfs[dxf] == (None, None):
        return None  # bold or a border only: no colour to read a status from
    fill, colour = dxfs[dxf]
    formulas = [f.text or "" for f in rule.iter(_MAIN + "formula")]
    test: Callable[[object, int, int, ValueAt], bool] | None = None
    if kind == "cellIs":
        test = _on_value(_cell_is(rule.get("operator", "equal"), [_constant(f) for f in formulas]))
    elif kind in ("containsText", "notContainsText", "beginsWith", "endsWith"):
        wanted = (rule.get("text") or "").lower()
        test = _on_value(_text_test(kind, wanted)) if wanted else None
    elif kind in ("containsBlanks", "notContainsBlanks"):
        test = _on_value(_blank_test(kind == "containsBlanks"))
    elif kind == "expression" and len(formulas) == 1:
        test = expression_test(formulas[0], areas[0][0], areas[0][1])
    if test is None:
        what = "formula rule" if kind == "expression" else f"'{kind}' rule"
        return _Rule(areas, None, fill, colour, priority, f"a conditional-format {what}")
    return _Rule(areas, test, fill, colour, priority)


def _on_value(test: Callable[[object], bool] | None
              ) -> Callable[[object, int, int, ValueAt], bool] | None:
    if test is None:
        return None
    return lambda value, row, column, value_at: test(value)


def _blank_test(blank: bool) -> Callable[[object], bool]:
    def test(value: object) -> bool:
        empty = value is None or (isinstance(value, str) and not value.strip())
        return empty if blank else not empty
    return test


# A simple expression: one cell reference compared with a constant, either way round, or a text
# search in it: =$E5="Red", =D5>=3, ="Red"=$E5, =ISNUMBER(SEARCH("red",$E5)),
# =NOT(ISERROR(SEARCH("red",E5))). Anything else is not evaluated.
_REF = r"(\$?)([A-Za-z]{1,3})(\$?)(\d{1,7})"
_CONST = r'("(?:[^"]|"")*"|-?\d+(?:\.\d+)?)'
_OPS = r"(<>|>=|<=|=|>|<)"
_COMPARE_RE = re.compile(rf"^\s*=?\s*{_REF}\s*{_OPS}\s*{_CONST}\s*$")
_COMPARE_BACK_RE = re.compile(rf"^\s*=?\s*{_CONST}\s*{_OPS}\s*{_REF}\s*$")
_SEARCH_RE = re.compile(
    rf'^\s*=?\s*(?:ISNUMBER\(\s*|NOT\(\s*ISERROR\(\s*)(?:SEARCH|FIND)\(\s*("(?:[^"]|"")*")\s*,'
    rf"\s*{_REF}\s*\)\s*\)\s*\)?\s*$", re.IGNORECASE)
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "=": "=", "<>": "<>"}
_OPERATORS = {"=": "equal", "<>": "notEqual", ">": "greaterThan", "<": "lessThan",
              ">=": "greaterThanOrEqual", "<=": "lessThanOrEqual"}


def expression_test(formula: str, top: int, left: int
                    ) -> Callable[[object, int, int, ValueAt], bool] | None:
    """A test for a formula rule of a simple form, relative to the rule's first cell (top, left)
    as Excel reads it; None for any other formula."""
    match = _COMPARE_RE.match(formula)
    if match:
        ref, operator, constant = match.groups()[:4], match.group(5), match.group(6)
    else:
        match = _COMPARE_BACK_RE.match(formula)
        if match:
            constant, operator, ref = match.group(1), _FLIP[match.group(2)], match.groups()[2:6]
        else:
            search = _SEARCH_RE.match(formula)
            if search is None:
                return None
            wanted = str(_constant(search.group(1))).lower()
            searched = _reference(search.groups()[1:5], top, left)
            if searched is None or not wanted:
                return None
            return _looking_at(searched, _text_test("containsText", wanted))
    target = _reference(ref, top, left)
    compare = _cell_is(_OPERATORS[operator], [_constant(constant)])
    if target is None or compare is None:
        return None
    return _looking_at(target, compare)


def _looking_at(target: tuple[bool, int, bool, int], test: Callable[[object], bool]
                ) -> Callable[[object, int, int, ValueAt], bool]:
    """A rule's test applied to the cell its formula refers to, seen from the cell it colours."""
    def applies(value: object, row: int, column: int, value_at: ValueAt) -> bool:
        return test(_referenced(target, row, column, value, value_at))
    return applies


def _reference(parts: tuple[str, ...], top: int, left: int
               ) -> tuple[bool, int, bool, int] | None:
    """(column fixed, column or offset, row fixed, row or offset) of a reference in a rule."""
    column_dollar, letters, row_dollar, digits = parts
    try:
        column = column_index(letters.upper())
    except ValueError:
        return None
    row = int(digits)
    return (bool(column_dollar), column if column_dollar else column - left,
            bool(row_dollar), row if row_dollar else row - top)


def _referenced(target: tuple[bool, int, bool, int], row: int, column: int, value: object,
                value_at: ValueAt) -> object:
    column_fixed, c, row_fixed, r = target
    at = (r if row_fixed else row + r, c if column_fixed else column + c)
    return value if at == (row, column) else value_at(*at)


def _extended_rules(blocks: list[etree._Element]) -> list[_Rule]:
    """The rules of Excel 2010's own conditional formats (x14: icon sets, data bars), which live
    in the sheet's extension list."""
    found: list[_Rule] = []
    for block in blocks:
        sqref = next((e.text for e in block if e.tag.endswith("}sqref")), "") or ""
        areas = _areas(sqref)
        for rule in block.iter("{*}cfRule"):
            kind = next((e.tag.rsplit("}", 1)[-1] for e in rule
                         if e.tag.rsplit("}", 1)[-1] in _SHOWN_BY), rule.get("type", ""))
            if areas and kind in _SHOWN_BY:
                paints = PAINTED if kind == "colorScale" else None
                found.append(_Rule(areas, None, paints, None, 0, _SHOWN_BY[kind]))
    return found


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


def _rank(value: object) -> tuple[int, object] | None:
    """A value placed as Excel orders values in a comparison: numbers < text < TRUE/FALSE (text
    without regard to case); None for a value (a date) this reader does not compare."""
    if isinstance(value, bool):
        return 2, value
    if isinstance(value, int | float):
        return 0, float(value)
    if isinstance(value, str):
        return 1, value.strip().casefold()
    return None


def _excel_order(value: object, constant: object) -> int | None:
    """-1, 0 or 1 as Excel compares a cell's value with a rule's constant; an empty cell is 0
    against a number and "" against text. None when the two cannot be compared here."""
    if value is None:
        value = 0.0 if isinstance(constant, float) else ""
    left, right = _rank(value), _rank(constant)
    if left is None or right is None:
        return None
    if left[0] != right[0]:
        return -1 if left[0] < right[0] else 1
    a, b = left[1], right[1]
    return 0 if a == b else (-1 if a < b else 1)  # type: ignore[operator]


_ORDER_TESTS: dict[str, Callable[[int], bool]] = {
    "equal": lambda order: order == 0,
    "notEqual": lambda order: order != 0,
    "greaterThan": lambda order: order > 0,
    "lessThan": lambda order: order < 0,
    "greaterThanOrEqual": lambda order: order >= 0,
    "lessThanOrEqual": lambda order: order <= 0,
}


def _cell_is(operator: str, constants: list[object]) -> Callable[[object], bool] | None:
    """A cellIs test; None when its formulas are not constants (a reference, a function)."""
    if not constants or any(c is _MISSING for c in constants):
        return None
    if operator in _ORDER_TESTS:
        test = _ORDER_TESTS[operator]

        def single(value: object) -> bool:
            order = _excel_order(value, constants[0])
            if order is None:
                raise TypeError("not comparable")
            return test(order)
        return single
    if operator in ("between", "notBetween") and len(constants) == 2:
        def between(value: object) -> bool:
            low, high = _excel_order(value, constants[0]), _excel_order(value, constants[1])
            if low is None or high is None:
                raise TypeError("not comparable")
            inside = low >= 0 and high <= 0
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
