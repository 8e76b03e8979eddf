"""The characters behind Word's ``<w:sym>`` elements (symbols inserted from Symbol or Wingdings)."""

from __future__ import annotations

from lxml import etree

from pipeline.readers.docx_xml import w

_CHAR, _FONT = w("char"), w("font")

_GREEK = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ"
_GREEK_LETTERS = "abcdefghijklmnopqrstuvwxyz"

#: The Symbol font's codes that differ from Latin-1, for the symbols people put in returns.
_SYMBOL: dict[int, str] = {
    **{ord(a): g for a, g in zip(_GREEK_LETTERS, _GREEK, strict=True)},
    **{ord(a.upper()): g.upper() for a, g in zip(_GREEK_LETTERS, _GREEK, strict=True) if a != "v"},
    0xA3: "≤", 0xA5: "∞", 0xAC: "←", 0xAD: "↑", 0xAE: "→", 0xAF: "↓", 0xB0: "°", 0xB1: "±",
    0xB3: "≥", 0xB4: "×", 0xB7: "•", 0xB8: "÷", 0xB9: "≠", 0xBB: "≈", 0xBC: "…", 0xD2: "®",
    0xD3: "©", 0xD4: "™", 0xD6: "√", 0xE2: "®", 0xE3: "©", 0xE4: "™",
}
#: Wingdings: ticks, crosses, boxes and bullets, which is what returns use it for.
_WINGDINGS: dict[int, str] = {
    0x4A: "☺", 0x4C: "☹", 0x6C: "●", 0x6D: "❍", 0x6E: "■", 0x6F: "□", 0x71: "❑", 0x9F: "•",
    0xA1: "○", 0xA4: "◉", 0xA7: "▪", 0xA8: "◻", 0xD8: "➢", 0xFB: "✗", 0xFC: "✓", 0xFD: "☒",
    0xFE: "☑",
}
#: Wingdings 2: ticks, crosses and round bullets.
_WINGDINGS_2: dict[int, str] = {0x4F: "✗", 0x50: "✓", 0x51: "☒", 0x52: "☑", 0x97: "●", 0x98: "●"}
#: Webdings: the tick, the cross and the filled circle and square people colour in for RAG.
_WEBDINGS: dict[int, str] = {0x61: "✓", 0x72: "✗", 0x6E: "●", 0x67: "■", 0x3D: "●"}
_FONTS: dict[str, dict[int, str]] = {"wingdings": _WINGDINGS, "wingdings 2": _WINGDINGS_2,
                                     "webdings": _WEBDINGS}


def font_symbol(font: str, text: str) -> str | None:
    """What a symbol font shows for typed text ('n' in Webdings is ●), or None if not one."""
    table = _FONTS.get(font.strip().lower())
    if table is None or not text:
        return None
    shown = [table.get(ord(ch) - 0xF000 if 0xF000 <= ord(ch) <= 0xF0FF else ord(ch), "")
             for ch in text if not ch.isspace()]
    return "".join(shown) if shown and all(shown) else None


def symbol_text(sym: etree._Element) -> str:
    """The Unicode character a ``<w:sym>`` shows, or "" when it cannot be mapped."""
    try:
        code = int(sym.get(_CHAR, ""), 16)
    except ValueError:
        return ""
    # Symbol fonts put their glyphs in the private-use range F020-F0FF; anything else is a
    # real Unicode character already.
    if 0xF000 <= code <= 0xF0FF:
        code -= 0xF000
    elif not 0xE000 <= code <= 0xF8FF and 0x20 <= code <= 0x10FFFF:
        return chr(code)
    font = (sym.get(_FONT) or "").lower()
    if font in _FONTS:
        return _FONTS[font].get(code, "")
    if font.startswith("wingdings"):
        return _WINGDINGS.get(code, "")
    if font == "symbol":
        return _SYMBOL.get(code, chr(code) if 0x20 <= code < 0x7F and not chr(code).isalpha() else "")
    # Other symbol fonts (Webdings, Marlett...) draw pictures, not letters: nothing to map to.
    return ""
