"""What paragraphs and cells inherit from the styles and theme parts, loaded only when needed.

Both parts can be large (python-docx's styles.xml is 350 KB) and are rarely needed, so they are
read on first use: most returns never touch them and stay fast.
"""

from __future__ import annotations

from lxml import etree

from pipeline.readers.docx_package import Package
from pipeline.readers.docx_xml import ILVL, NUM_ID, NUMPR, PPR, VAL, int_val, w
from pipeline.xmlsafe import parse_part

_STYLE, _STYLE_ID, _BASED_ON, _TYPE = w("style"), w("styleId"), w("basedOn"), w("type")
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_CLR_SCHEME, _SRGB, _SYS = _A + "clrScheme", _A + "srgbClr", _A + "sysClr"
#: The names Word uses in w:themeFill, mapped to the theme's colour slots.
_THEME_SLOTS = {
    "dark1": "dk1", "light1": "lt1", "dark2": "dk2", "light2": "lt2",
    "text1": "dk1", "background1": "lt1", "text2": "dk2", "background2": "lt2",
    "accent1": "accent1", "accent2": "accent2", "accent3": "accent3", "accent4": "accent4",
    "accent5": "accent5", "accent6": "accent6", "hyperlink": "hlink",
    "followedHyperlink": "folHlink",
}


class StyleNumbering:
    """Paragraph styles that carry list numbering (``List Number``), following ``basedOn``."""

    def __init__(self, package: Package, main_part: str) -> None:
        self._package = package
        self._main_part = main_part
        self._styles: dict[str, tuple[str | None, str | None, int | None]] | None = None
        self._resolved: dict[str, tuple[str, int | None] | None] = {}

    def __call__(self, style_id: str) -> tuple[str, int | None] | None:
        """The style's (numId, ilvl or None), or None when the style has no numbering."""
        if style_id in self._resolved:
            return self._resolved[style_id]
        if self._styles is None:
            self._styles = self._load()
        found: tuple[str, int | None] | None = None
        current: str | None = style_id
        for _ in range(20):  # basedOn chains are short; the bound guards against a cycle
            if current is None or current not in self._styles:
                break
            based_on, num_id, ilvl = self._styles[current]
            if num_id is not None:
                found = (num_id, ilvl)
                break
            current = based_on
        self._resolved[style_id] = found
        return found

    def _load(self) -> dict[str, tuple[str | None, str | None, int | None]]:
        name = self._package.part_name("styles", self._main_part)
        data = self._package.read(name)
        # No style has numbering unless the part mentions numPr: skip parsing it at all.
        if data is None or b"numPr" not in data:
            return {}
        root = parse_part(data, name)
        styles: dict[str, tuple[str | None, str | None, int | None]] = {}
        for style in root.iter(_STYLE):
            if style.get(_TYPE, "paragraph") not in ("paragraph", "numbering"):
                continue
            based_on = style.find(_BASED_ON)
            p_pr = style.find(PPR)
            num_pr = p_pr.find(NUMPR) if p_pr is not None else None
            num_id = ilvl = None
            if num_pr is not None:
                num_el, ilvl_el = num_pr.find(NUM_ID), num_pr.find(ILVL)
                num_id = num_el.get(VAL) if num_el is not None else None
                ilvl = int_val(ilvl_el) if ilvl_el is not None else None
            styles[style.get(_STYLE_ID, "")] = (
                based_on.get(VAL) if based_on is not None else None, num_id, ilvl)
        return styles


class ThemeColours:
    """The document theme's colours by the names ``w:themeFill`` uses (``accent2``)."""

    def __init__(self, package: Package, main_part: str) -> None:
        self._package = package
        self._main_part = main_part
        self._colours: dict[str, str] | None = None

    def __call__(self, name: str) -> str | None:
        """The theme colour as six hex digits, or None when unknown."""
        if self._colours is None:
            self._colours = self._load()
        return self._colours.get(_THEME_SLOTS.get(name, name))

    def _load(self) -> dict[str, str]:
        root = self._package.parse(self._package.part_name("theme", self._main_part))
        colours: dict[str, str] = {}
        scheme = root.find(".//" + _CLR_SCHEME) if root is not None else None
        if scheme is None:
            return colours
        for slot in scheme:
            if not isinstance(slot.tag, str):
                continue
            colour = slot.find(_SRGB)
            value = colour.get("val") if colour is not None else None
            if value is None:
                system = slot.find(_SYS)
                value = system.get("lastClr") if system is not None else None
            if value and len(value) == 6:
                colours[etree.QName(slot).localname] = value.upper()
        return colours
