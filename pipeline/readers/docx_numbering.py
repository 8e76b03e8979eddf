"""Automatic list numbers ("a)", "1.", "iv)"), which Word computes and never stores as text.

A paragraph's ``w:numPr`` (or its style's) names a numbering instance and a level; the instance
points at an abstract definition giving each level's format, label text and start. Counters
are kept per abstract definition, as Word does: two instances of one definition continue one
list, unless an instance restarts it with ``w:startOverride``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from pipeline.readers.docx_xml import ILVL, NUM_ID, NUMPR, PSTYLE, VAL, int_val, is_on, w

_ABSTRACT_NUM, _NUM, _LVL = w("abstractNum"), w("num"), w("lvl")
_ABSTRACT_NUM_ID, _NUM_ID_ATTR, _ILVL_ATTR = w("abstractNumId"), w("numId"), w("ilvl")
_START, _NUM_FMT, _LVL_TEXT, _LVL_RESTART = w("start"), w("numFmt"), w("lvlText"), w("lvlRestart")
_IS_LGL, _SUFF, _LVL_OVERRIDE, _START_OVERRIDE = (
    w("isLgl"), w("suff"), w("lvlOverride"), w("startOverride"))
_NUM_STYLE_LINK = w("numStyleLink")
_LEVELS = 9

#: Looks up a paragraph style's own numbering: style id -> (numId, ilvl or None), following
#: ``basedOn``; None when the style has none.
StyleNumberingLookup = Callable[[str], "tuple[str, int | None] | None"]


@dataclass(frozen=True)
class Level:
    """One level of a list definition: how its number is written."""

    fmt: str = "decimal"
    text: str = ""
    start: int = 1
    restart: int | None = None
    """``w:lvlRestart``: the 1-based level after which it restarts (0: never); None = default."""
    legal: bool = False
    style: str | None = None
    suffix: str = "tab"


def _level(element: etree._Element) -> Level:
    fmt = element.find(_NUM_FMT)
    text = element.find(_LVL_TEXT)
    restart = element.find(_LVL_RESTART)
    style = element.find(PSTYLE)
    suffix = element.find(_SUFF)
    return Level(
        fmt=fmt.get(VAL, "decimal") if fmt is not None else "decimal",
        text=text.get(VAL, "") if text is not None else "",
        start=int_val(element.find(_START), 1),
        restart=int_val(restart) if restart is not None else None,
        legal=is_on(element.find(_IS_LGL)),
        style=style.get(VAL) if style is not None else None,
        suffix=suffix.get(VAL, "tab") if suffix is not None else "tab",
    )


class Numbering:
    """The list definitions of one document and the running counters of its lists."""

    def __init__(self, load: Callable[[], etree._Element | None],
                 style_numbering: StyleNumberingLookup) -> None:
        # numbering.xml is parsed on the first numbered paragraph: most paragraphs have none.
        self._load_part: Callable[[], etree._Element | None] | None = load
        self._style_numbering = style_numbering
        self._abstract: dict[str, dict[int, Level]] = {}
        self._style_links: dict[str, str] = {}
        self._nums: dict[str, tuple[str, dict[int, Level], dict[int, int]]] = {}
        self._counters: dict[str, list[int | None]] = {}

    def _ensure_loaded(self) -> None:
        if self._load_part is None:
            return
        root = self._load_part()
        self._load_part = None
        if root is not None:
            self._load(root)

    def _load(self, root: etree._Element) -> None:
        for abstract in root.iter(_ABSTRACT_NUM):
            key = abstract.get(_ABSTRACT_NUM_ID, "")
            self._abstract[key] = {_int(lvl.get(_ILVL_ATTR)): _level(lvl)
                                   for lvl in abstract.iter(_LVL)}
            link = abstract.find(_NUM_STYLE_LINK)
            if link is not None:
                self._style_links[key] = link.get(VAL, "")
        for num in root.iter(_NUM):
            abstract_id = num.find(_ABSTRACT_NUM_ID)
            levels: dict[int, Level] = {}
            starts: dict[int, int] = {}
            for override in num.iter(_LVL_OVERRIDE):
                ilvl = _int(override.get(_ILVL_ATTR))
                lvl = override.find(_LVL)
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                if override.find(_START_OVERRIDE) is not None:
                    starts[ilvl] = int_val(override.find(_START_OVERRIDE), 1)
            self._nums[num.get(_NUM_ID_ATTR, "")] = (
                abstract_id.get(VAL, "") if abstract_id is not None else "", levels, starts)

    def label(self, p_pr: etree._Element | None) -> str:
        """Advance the paragraph's list counter and return its label ("a)"); "" when none."""
        num_id, ilvl, style = self._numbering_of(p_pr)
        if num_id is None:
            return ""
        self._ensure_loaded()
        if num_id not in self._nums:
            return ""
        abstract_id, overrides, starts = self._nums[num_id]
        abstract_id = self._follow_style_link(abstract_id)
        levels = {**self._abstract.get(abstract_id, {}), **overrides}
        if not levels:
            return ""
        if ilvl is None:
            # A style-numbered paragraph takes the level that names its style, else the first.
            ilvl = next((i for i, lvl in levels.items() if style and lvl.style == style), 0)
        ilvl = max(0, min(ilvl, _LEVELS - 1))
        level = levels.get(ilvl, Level())
        counters = self._counters_for(num_id, abstract_id, levels, starts)
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, _LEVELS):
            restart = levels.get(deeper, Level()).restart
            if restart is None or (restart != 0 and ilvl < restart):
                counters[deeper] = None
        if level.fmt == "bullet":
            return ""
        rendered = _render(level, levels, counters)
        # Word puts a tab after the number by default; a space reads the same in a cell's text.
        return rendered + ("" if level.suffix == "nothing" else " ") if rendered else ""

    def _numbering_of(self, p_pr: etree._Element | None) -> tuple[str | None, int | None, str]:
        if p_pr is None:
            return None, None, ""
        # The first of each among the direct children, as find() gives, without ElementPath.
        style_el = num_pr = None
        for child in p_pr:
            tag = child.tag
            if tag == PSTYLE:
                style_el = child if style_el is None else style_el
            elif tag == NUMPR:
                num_pr = child if num_pr is None else num_pr
        style = style_el.get(VAL, "") if style_el is not None else ""
        num_id: str | None = None
        ilvl: int | None = None
        if num_pr is not None:
            num_el, ilvl_el = num_pr.find(NUM_ID), num_pr.find(ILVL)
            num_id = num_el.get(VAL) if num_el is not None else None
            ilvl = int_val(ilvl_el) if ilvl_el is not None else None
        if (num_id is None or ilvl is None) and style:
            from_style = self._style_numbering(style)
            if from_style is not None:
                num_id = num_id if num_id is not None else from_style[0]
                ilvl = ilvl if ilvl is not None else from_style[1]
        # numId 0 is Word's way of switching numbering off for one paragraph.
        return (None if num_id in (None, "0") else num_id), ilvl, style

    def _follow_style_link(self, abstract_id: str) -> str:
        # A definition that only points at a numbering style takes the style's definition.
        for _ in range(5):
            link = self._style_links.get(abstract_id)
            if not link or self._abstract.get(abstract_id):
                return abstract_id
            linked = self._style_numbering(link)
            if linked is None or linked[0] not in self._nums:
                return abstract_id
            abstract_id = self._nums[linked[0]][0]
        return abstract_id

    def _counters_for(self, num_id: str, abstract_id: str, levels: dict[int, Level],
                      starts: dict[int, int]) -> list[int | None]:
        key = ("num:" + num_id) if starts else ("abstract:" + abstract_id)
        counters = self._counters.get(key)
        if counters is None:
            counters = [None] * _LEVELS
            self._counters[key] = counters
            # A restarted list begins at its override: store one less so the first use lands on it.
            for ilvl, start in starts.items():
                if 0 <= ilvl < _LEVELS:
                    counters[ilvl] = start - 1
        return counters


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


def _render(level: Level, levels: dict[int, Level], counters: list[int | None]) -> str:
    text = level.text
    if "%" in text:
        for ilvl in range(_LEVELS - 1, -1, -1):
            placeholder = f"%{ilvl + 1}"
            if placeholder in text:
                lvl = levels.get(ilvl, Level())
                counter = counters[ilvl]
                value = counter if counter is not None else lvl.start
                fmt = "decimal" if level.legal else lvl.fmt
                text = text.replace(placeholder, format_number(value, fmt))
    return text.strip()


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def format_number(value: int, fmt: str) -> str:
    """A list counter written in a Word number format (``lowerLetter`` 28 -> "bb")."""
    if fmt in ("bullet", "none"):
        return ""
    if value < 1 and fmt not in ("decimal", "decimalZero"):
        return str(value)
    if fmt in ("lowerLetter", "upperLetter"):
        # Word repeats the letter past z: 27 is "aa", 28 "bb".
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        roman, rest = "", value
        for amount, numeral in _ROMAN:
            count, rest = divmod(rest, amount)
            roman += numeral * count
        return roman if fmt == "lowerRoman" else roman.upper()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "ordinal":
        suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
        return f"{value}{suffix}"
    if fmt == "decimalEnclosedParen":
        return f"({value})"
    return str(value)
