"""The fast way to an Excel return's cells: its sheet XML read directly, as openpyxl would read it.

Loading a workbook with openpyxl was most of the cost of reading a return (an object per cell,
style and descriptor: about 10 of 11 ms for three sheets). The sheets are parsed anyway by
`xlsx_package.scan_package` (a plain sheet's rows cut from its text, `xlsx_plain`); this module
takes those trees and rows and gives, per worksheet, exactly what
`openpyxl.load_workbook(data_only=True)` would have given the reader: each cell's value
(shared and inline strings with their rich-text runs, numbers, booleans, errors, cached formula
results, dates and times through the styles' number formats and the workbook's 1900/1904
epoch), its number format and its solid fill colour (rgb, indexed with the workbook's own
palette, theme with tint), the merged ranges, the hidden rows and the sheet's state.

It understands the parts Excel, LibreOffice, openpyxl and xlsxwriter write for a return. Where
a workbook holds anything else (hyperlinks, which openpyxl turns into cell values; external
links, pivot caches, tables, comments or drawings, which openpyxl parses; chart sheets; cells
or styles it cannot account for exactly) `read_fast` raises `Unsupported` and the caller reads
the workbook with openpyxl as before. tests/test_reader_xlsx_parity.py holds the two to the
same result.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections import OrderedDict
from collections.abc import Set
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from typing import NamedTuple, cast

from lxml import etree

from pipeline.readers.package_rels import relationships_in, rels_part, resolve
from pipeline.readers.xlsx_cells import FillColours, palette_of
from pipeline.readers.xlsx_numfmt import (
    BUILTIN_FORMATS,
    BUILTIN_FORMATS_MAX_SIZE,
    BUILTIN_FORMATS_REVERSE,
    MAC_EPOCH,
    WINDOWS_EPOCH,
    from_serial,
    is_date_format,
    is_duration_format,
)
from pipeline.readers.xlsx_package import PackageScan, part_names
from pipeline.readers.xlsx_plain import COORDINATES as _COORDINATES
from pipeline.readers.xlsx_plain import PlainRow, PlainSheet, ends_kept, holds, kept_with_ends
from pipeline.readers.xlsx_refs import coordinate_to_tuple, range_boundaries
from pipeline.xmlsafe import find_child, parse_part

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_ROW, _C, _V, _IS, _T, _R, _RPH, _PHONETIC_PR = (
    _MAIN + name for name in ("row", "c", "v", "is", "t", "r", "rPh", "phoneticPr"))
_WORKSHEET, _MERGE_CELL, _HYPERLINKS = _MAIN + "worksheet", _MAIN + "mergeCell", _MAIN + "hyperlinks"

#: Content types openpyxl takes the workbook part from, and the shared strings part.
_WORKBOOK_TYPES = frozenset(
    "application/vnd." + kind for kind in (
        "openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "ms-excel.sheet.macroEnabled.main+xml",
        "openxmlformats-officedocument.spreadsheetml.template.main+xml",
        "ms-excel.template.macroEnabled.main+xml"))
_SHARED_STRINGS_TYPE = ("application/vnd.openxmlformats-officedocument.spreadsheetml."
                        "sharedStrings+xml")
#: Relationships of the workbook whose targets openpyxl does not parse, or parses only as
#: this module does (styles and theme by their fixed names, shared strings by content type).
_WORKBOOK_RELATIONS = frozenset(("worksheet", "styles", "theme", "sharedStrings", "calcChain",
                                 "customXml", "printerSettings", "person", "sheetMetadata"))
#: A sheet's own relationships that openpyxl reads nothing from.
_SHEET_RELATIONS = frozenset(("printerSettings",))
#: Workbook elements through which openpyxl reads other parts.
_WORKBOOK_REFERENCES = frozenset(_MAIN + name for name in ("externalReferences", "pivotCaches"))
#: Row attributes openpyxl accepts as row dimensions (others fail or mean something else).
_ROW_ATTRIBUTES = frozenset(("r", "spans", "s", "customFormat", "ht", "hidden", "customHeight",
                             "outlineLevel", "collapsed", "thickTop", "thickBot", "ph"))
_SHEET_STATES = frozenset(("visible", "hidden", "veryHidden"))
_INVALID_TITLE = frozenset("\\*?:/[]")
_FALSE = ("false", "f", "0")


class Unsupported(Exception):
    """The workbook holds something this reader does not account for exactly: use openpyxl."""


@dataclass
class SheetData:
    """One worksheet as the reader needs it, whichever way it was read."""

    title: str
    state: str
    """``visible``, ``hidden`` or ``veryHidden``."""
    cells: dict[tuple[int, int], tuple[object, str, str | None]] = field(default_factory=dict)
    """(row, column) -> (value, number format, fill as six hex digits or None) for every cell
    the file holds, and every cell of a merged range, the continuations (and a first cell the
    file lacks) empty and without a format, as openpyxl holds them."""
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Merged ranges as (first row, first column, last row, last column)."""
    hidden_rows: set[int] = field(default_factory=set)


@dataclass
class FastWorkbook:
    """What `read_fast` found: the worksheets in order, the fill colours, the core properties."""

    sheets: list[SheetData]
    properties: CoreProperties | None
    """What docProps/core.xml says, or None when there is none."""


def read_fast(zf: zipfile.ZipFile, scan: PackageScan) -> FastWorkbook:
    """Every worksheet's cells as openpyxl would load them; raises `Unsupported` otherwise."""
    names = part_names(zf)
    types = _content_types(zf, names)
    workbook_part = next((part for part, kind in types.items() if kind in _WORKBOOK_TYPES), None)
    if workbook_part is None or workbook_part != scan.workbook_part:
        raise Unsupported("the workbook part is not where the package says")
    workbook = scan.part(zf, workbook_part)
    if any(workbook.iter(*_WORKBOOK_REFERENCES)):
        raise Unsupported("external links or pivot caches")
    relations = _relationships(zf, workbook_part, names, scan)
    if any(kind not in _WORKBOOK_RELATIONS for _, kind in relations.values()):
        raise Unsupported("a workbook relationship openpyxl would follow")
    theme = zf.read("xl/theme/theme1.xml") if "xl/theme/theme1.xml" in names else None
    styles = _styles(zf.read("xl/styles.xml") if "xl/styles.xml" in names else None, theme)
    strings_part = next((p for p, kind in types.items() if kind == _SHARED_STRINGS_TYPE), None)
    strings = _shared_strings(zf, strings_part) if strings_part in names else []
    epoch = MAC_EPOCH if _is_1904(workbook) else WINDOWS_EPOCH
    sheets: list[SheetData] = []
    by_part = {s.part: s for s in scan.sheets.values()}
    seen_titles: set[str] = set()
    for entry in _last(workbook, "sheets"):
        if entry.tag != _MAIN + "sheet":
            continue
        rel_id = entry.get(_REL)
        if not rel_id:
            raise Unsupported("a sheet without a relationship")
        if rel_id not in relations:
            raise Unsupported("a sheet whose relationship is missing")
        part, kind = relations[rel_id]
        if part not in names:
            continue  # openpyxl skips it too
        if kind != "worksheet":
            raise Unsupported("a chart sheet or dialog sheet")
        title, state = entry.get("name"), entry.get("state", "visible")
        if (not title or state not in _SHEET_STATES or title.lower() in seen_titles
                or _INVALID_TITLE & set(title)):
            raise Unsupported("a sheet name or state openpyxl would change or refuse")
        seen_titles.add(title.lower())
        sheet_scan = by_part.get(part)
        if sheet_scan is None or sheet_scan.parsed is None or sheet_scan.name != title:
            raise Unsupported("a sheet the package scan did not parse")
        if any(k not in _SHEET_RELATIONS
               for _, k in _relationships(zf, part, names, scan).values()):
            raise Unsupported("comments, tables, drawings or links in a sheet")
        sheets.append(_sheet(sheet_scan.parsed, title, state, strings, styles, epoch,
                             sheet_scan.plain))
    properties = _core_properties(zf, scan) if "docProps/core.xml" in names else None
    if "docProps/custom.xml" in names:
        _check_custom_properties(zf)
    return FastWorkbook(sheets, properties)


# -- The package -------------------------------------------------------------------------------


def _content_types(zf: zipfile.ZipFile, names: Set[str]) -> dict[str, str]:
    if "[Content_Types].xml" not in names:
        raise Unsupported("no content types")
    return dict(_part_types(zf.read("[Content_Types].xml")))


@lru_cache(maxsize=32)
def _part_types(data: bytes) -> tuple[tuple[str, str], ...]:
    """Each part named in [Content_Types].xml with its type, read once per distinct list (the
    returns of one template share it)."""
    root = parse_part(data, "[Content_Types].xml")
    return tuple((o.get("PartName", "")[1:], o.get("ContentType", ""))
                 for o in root.iter(_CONTENT_TYPES + "Override"))


def _relationships(zf: zipfile.ZipFile, part: str, names: Set[str], scan: PackageScan
                   ) -> dict[str, tuple[str, str]]:
    """Relationship id -> (target part, last word of its type), as openpyxl resolves them."""
    rels = rels_part(part)
    if rels not in names:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for rel in relationships_in(zf.read(rels), rels, part):
        if rel.external:
            if rel.kind != "hyperlink":
                raise Unsupported("an external relationship")
            continue
        found[rel.id] = (rel.target or resolve(posixpath.dirname(part), ""), rel.kind)
    return found


def _cast_number(value: str) -> int | float:
    """A number cell's text as openpyxl reads it: a float when it has a point or an exponent,
    else an int (its own rule, kept here rather than imported from its private module)."""
    if "." in value or "E" in value or "e" in value:
        return float(value)
    return int(value)


def _last(parent: etree._Element, name: str) -> list[etree._Element]:
    """The children of the last child called `name`: openpyxl keeps the last of a repeated one."""
    found = list(parent.iterchildren(_MAIN + name))  # not findall: no path to compile and cache
    return list(found[-1]) if found else []


def _is_1904(workbook: etree._Element) -> bool:
    found = list(workbook.iterchildren(_MAIN + "workbookPr"))  # as _last: no path to compile
    properties = found[-1] if found else None
    value = properties.get("date1904") if properties is not None else None
    return bool(value) and value not in _FALSE


@dataclass(frozen=True)
class CoreProperties:
    """The core properties the reader reports (by openpyxl's names), as openpyxl reads them."""

    title: str | None = None
    creator: str | None = None
    lastModifiedBy: str | None = None  # noqa: N815 - openpyxl's (and the file's) name
    modified: dt.datetime | None = None


_DC, _DCTERMS = "{http://purl.org/dc/elements/1.1/}", "{http://purl.org/dc/terms/}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
#: Every element openpyxl's DocumentProperties reads, and whether it holds a date.
_CORE_ELEMENTS = {
    **{_DC + name: False for name in ("title", "creator", "subject", "description", "identifier",
                                      "language")},
    **{_CP + name: False for name in ("lastModifiedBy", "category", "contentStatus", "keywords",
                                      "revision", "version")},
    _CP + "lastPrinted": True, _DCTERMS + "created": True, _DCTERMS + "modified": True,
}
#: A W3CDTF date and time in UTC, as Excel and LibreOffice write it; openpyxl reads more forms,
#: and a workbook with any other is read through openpyxl.
_W3CDTF = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?Z?")


def _core_properties(zf: zipfile.ZipFile, scan: PackageScan | None = None) -> CoreProperties:
    """Title, author, last editor and modification time of docProps/core.xml (as the package
    scan parsed it, when given); `Unsupported` for anything openpyxl might read differently or
    refuse."""
    part = "docProps/core.xml"
    root = scan.part(zf, part) if scan is not None else parse_part(zf.read(part), part)
    if any(not key.startswith("{") for key in root.attrib):
        raise Unsupported("attributes on the core properties")
    found: dict[str, str | dt.datetime | None] = {}
    for element in root:
        if element.tag not in _CORE_ELEMENTS or len(element):
            raise Unsupported(f"core properties openpyxl may read differently: {element.tag}")
        name = etree.QName(element).localname
        if name in found:
            raise Unsupported(f"a repeated core property: {name}")
        found[name] = _core_date(element.text) if _CORE_ELEMENTS[element.tag] else element.text
    return CoreProperties(*(found.get(name) for name in ("title", "creator", "lastModifiedBy",
                                                          "modified")))  # type: ignore[arg-type]


def _core_date(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    matched = _W3CDTF.fullmatch(text)
    if matched is None:
        raise Unsupported(f"a date in the core properties: {text!r}")
    year, month, day, hour, minute, second, fraction = matched.groups()
    try:
        return dt.datetime(int(year), int(month), int(day), int(hour), int(minute),
                           int(second or 0), int(float(fraction) * 1_000_000) if fraction else 0)
    except ValueError as exc:
        raise Unsupported(f"a date in the core properties: {text!r}") from exc


def _check_custom_properties(zf: zipfile.ZipFile) -> None:
    from openpyxl.packaging.custom import CustomPropertyList
    from openpyxl.xml.functions import fromstring

    try:
        CustomPropertyList.from_tree(fromstring(zf.read("docProps/custom.xml")))
    except Exception as exc:
        raise Unsupported("custom properties openpyxl refuses") from exc


# -- Strings -----------------------------------------------------------------------------------


def _shared_strings(zf: zipfile.ZipFile, part: str) -> list[str]:
    """The workbook's shared strings in order, as openpyxl reads them."""
    data = zf.read(part)
    plain = _plain_shared_strings(data)
    return plain if plain is not None else _parsed_shared_strings(data, part)


def _parsed_shared_strings(data: bytes, part: str) -> list[str]:
    """`_shared_strings` of any part, parsed (damaged XML rejects the file)."""
    root = parse_part(data, part)
    strings = []
    for si in root.iter(_MAIN + "si"):
        first = si[0] if len(si) == 1 else None
        if first is not None and first.tag == _T:  # plain text, most strings
            text = first.text or ""
        else:
            text = _text(si)
        strings.append(_as_openpyxl_reads(text))
    return strings


def _as_openpyxl_reads(text: str) -> str:
    """A shared string as openpyxl reads it: "x005F_" taken out (its take on "_x005F_")."""
    return text.replace("x005F_", "") if "x005F_" in text else text


#: The start of a shared strings part as Excel writes it: the XML declaration (UTF-8), then the
#: root in the main namespace with at most its two counts.
_PLAIN_SST_START = re.compile(
    rb'(?:<\?xml version="1\.0" encoding="UTF-8"(?: standalone="yes")?\?>)?[ \t\r\n]*'
    rb'<sst xmlns="http://schemas\.openxmlformats\.org/spreadsheetml/2006/main"'
    rb'(?: count="[0-9]+")?(?: uniqueCount="[0-9]+")?>')
_PLAIN_SST_END = b"</sst>"
_PLAIN_STRING_START, _PLAIN_STRING_END = "<si><t>", "</t></si>"
_KEPT_STRING_START = '<si><t xml:space="preserve">'
_KEPT_STRING_BYTES, _PLAIN_STRING_BYTES = _KEPT_STRING_START.encode(), _PLAIN_STRING_START.encode()
#: Each control byte XML 1.0 does not allow in text (all C0 controls but tab, line feed and
#: carriage return; in UTF-8 such a byte is that character, never part of another) changed,
#: every other byte kept: a part changed by this table holds one (libxml2 refuses the part).
_CONTROLS_CHANGED = bytes(
    (b + 1) % 0x20 if b < 0x20 and b not in (0x09, 0x0A, 0x0D) else b for b in range(256))
#: Bytes a plain part's text must not hold: the start of U+FFFE and U+FFFF in UTF-8, which XML
#: does not allow either (so too U+FFC0 to U+FFFD, left to the parser), and "]]>".
_NOT_PLAIN_TEXT = (b"\xef\xbf", b"]]>")
#: The references a plain text may hold: XML's five entities and characters by number.
_REFERENCE = re.compile(r"&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _plain_shared_strings(data: bytes) -> list[str] | None:
    """The shared strings of a part that holds only plain text (each ``<si>`` one ``<t>``, with
    nothing between the elements), read from its bytes as parsing it and the parsed part's loop
    (`_parsed_shared_strings`) read them; None for any other part (rich text, whitespace between
    elements, other attributes or encodings, anything libxml2 might refuse), which is parsed.

    Parsing built a tree of two elements a string, and the loop made a proxy and a tag for each
    (about a twentieth of reading a return): here the text is cut at the tags, in C.
    """
    start = _PLAIN_SST_START.match(data)
    end = data.rfind(_PLAIN_SST_END)
    if start is None or end < start.end() or data[end + len(_PLAIN_SST_END):].strip(b" \t\r\n"):
        return None
    raw = data[start.end():end]
    if raw.translate(_CONTROLS_CHANGED) != raw or any(holds(raw, bad) for bad in _NOT_PLAIN_TEXT):
        return None
    # What is asked of the text's ASCII characters is asked of its bytes, which UTF-8 writes
    # alike and never within another character's: a byte at a time, in C (decoded, the text
    # is mostly of two bytes a character: a curly quote or a dash is enough).
    references = b"&" in raw
    if references and _only_amp(raw):
        # "&amp;" the only reference (most parts that have one): replaced as _unescaped would,
        # at once, not looked for string by string (two Python loops over all the strings,
        # about 200 k instructions a return). It makes no "<" (the strings still split at
        # their tags) and no "x005F_" that was not there.
        raw, references = raw.replace(b"&amp;", b"&"), False
    try:
        body = raw.replace(_KEPT_STRING_BYTES, _PLAIN_STRING_BYTES).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not body:
        return []
    if not (body.startswith(_PLAIN_STRING_START) and body.endswith(_PLAIN_STRING_END)):
        return None
    strings = body[len(_PLAIN_STRING_START):-len(_PLAIN_STRING_END)].split(
        _PLAIN_STRING_END + _PLAIN_STRING_START)
    # No "<" in any text (the four of each string's tags' starts and ends are all the part
    # holds), so nothing else is in the part (no other element, comment or CDATA section): found
    # by memchr in the texts joined (counting each "<" of the part took about 5 instructions a
    # byte).
    if "<" in "".join(strings):
        return None
    if b"\r" in raw:  # line ends as an XML parser gives them, before any reference is resolved
        strings = [text.replace("\r\n", "\n").replace("\r", "\n") for text in strings]
    if references:
        resolved = [_unescaped(text) if "&" in text else text for text in strings]
        if None in resolved:
            return None
        strings = cast(list[str], resolved)
    # A reference may spell it too. Its "_" looked for first, by memchr (rare in a return's
    # text, where "x005F_" took about 4 instructions a byte to look for).
    if references or (b"_" in raw and b"x005F_" in raw):
        strings = [_as_openpyxl_reads(text) for text in strings]
    return strings


def _only_amp(raw: bytes) -> bool:
    """Whether each "&" in `raw` starts "&amp;": its few ampersands found by memchr (counting
    all of them, and all "&amp;", took two passes of about 5 instructions a byte)."""
    at = raw.find(b"&")
    while at >= 0:
        if not raw.startswith(b"&amp;", at):
            return False
        at = raw.find(b"&", at + 5)
    return True


def _unescaped(text: str) -> str | None:
    """A plain text's references replaced by what they stand for; None for a reference libxml2
    would refuse or resolve otherwise (an undefined entity, a character XML does not allow)."""
    if "&" in _REFERENCE.sub("", text):
        return None  # an ampersand that starts no reference a plain text may hold
    found: list[str] = []
    at = 0
    for reference in _REFERENCE.finditer(text):
        name, decimal, hexadecimal = reference.groups()
        if name is not None:
            character = _ENTITIES[name]
        else:
            number = int(decimal, 10) if decimal is not None else int(hexadecimal, 16)
            if not (number in (0x9, 0xA, 0xD) or 0x20 <= number <= 0xD7FF
                    or 0xE000 <= number <= 0xFFFD or 0x10000 <= number <= 0x10FFFF):
                return None
            character = chr(number)
        found.append(text[at:reference.start()])
        found.append(character)
        at = reference.end()
    found.append(text[at:])
    return "".join(found)


def _text(element: etree._Element) -> str:
    """The text of an ``si`` or ``is`` element as openpyxl's Text.content: t, then each run's t."""
    plain: str | None = None
    runs: list[str] = []
    for child in element:
        tag = child.tag
        if tag == _T:
            plain = child.text  # a later t replaces an earlier one, as in openpyxl
        elif tag == _R:
            text = None
            for part in child:
                if part.tag == _T:
                    text = part.text
            if text is not None:
                runs.append(text)
        elif tag != _RPH and tag != _PHONETIC_PR and isinstance(tag, str):
            raise Unsupported(f"unexpected {tag} in a string")
    if not runs:
        return plain or ""
    return "".join([plain, *runs] if plain is not None else runs)


# -- Styles ------------------------------------------------------------------------------------


class _CellFormat(NamedTuple):
    """One cell format (xf) of styles.xml, as the reader needs it."""

    number_format: str
    """As openpyxl's Cell.number_format gives it."""
    fill: str | None
    """The solid fill's colour as six hex digits, or None."""
    date: bool
    """A number in this format is a date or time."""
    duration: bool
    """A number in this format is a duration ([h]:mm)."""


_GENERAL = _CellFormat("General", None, False, False)


@dataclass
class _Styles:
    """The workbook's cell formats (xfs) in order, and each by its number as a cell's ``s``
    attribute writes it (None, no attribute, for the first)."""

    formats: list[_CellFormat]
    by_number: dict[str | None, _CellFormat] = field(init=False)
    by_text: dict[str, tuple[_CellFormat, str, str | None]] = field(init=False)
    """`plain_format` of each ``s`` in `by_number` and of "" (no attribute)."""

    def __post_init__(self) -> None:
        self.by_number = {str(index): cell_format for index, cell_format in enumerate(self.formats)}
        self.by_number[None] = self.formats[0]
        self.by_text = {"" if number is None else number: (found, found.number_format, found.fill)
                        for number, found in self.by_number.items()}

    def format_of(self, number: str | None) -> _CellFormat:
        """The cell format a cell's ``s`` names, written as openpyxl reads it (" 4" and "04" name
        format 4); `Unsupported` for one that does not exist."""
        found = self.by_number.get(number)
        if found is None:
            index = _int(number)
            if not 0 <= index < len(self.formats):
                raise Unsupported("a cell format that does not exist")
            found = self.formats[index]
        return found

    def plain_format(self, number: str) -> tuple[_CellFormat, str, str | None]:
        """The format a plain cell's ``s`` names ("" for none), with its number format and fill
        (`by_text` holds them for each format's own number)."""
        found = self.format_of(number or None)
        return found, found.number_format, found.fill


_STYLES_CACHE: OrderedDict[tuple[bytes | None, bytes | None], _Styles] = OrderedDict()
_STYLES_CACHE_SIZE = 32


def _styles(data: bytes | None, theme: bytes | None) -> _Styles:
    """The styles a workbook's cells point at, computed once per distinct styles.xml and theme.

    Returns of one template share the same styles part, byte for byte.
    """
    key = (data, theme)
    found = _STYLES_CACHE.get(key)
    if found is not None:
        _STYLES_CACHE.move_to_end(key)
        return found
    found = _read_styles(data, theme)
    _STYLES_CACHE[key] = found
    if len(_STYLES_CACHE) > _STYLES_CACHE_SIZE:
        _STYLES_CACHE.popitem(last=False)
    return found


def _read_styles(data: bytes | None, theme: bytes | None) -> _Styles:
    if data is None:
        return _Styles([_GENERAL])
    root = parse_part(data, "xl/styles.xml")
    custom: dict[int, str] = {}
    for fmt in _last(root, "numFmts"):
        if fmt.tag != _MAIN + "numFmt":
            continue
        code = fmt.get("formatCode")
        if code is None:
            raise Unsupported("a number format without a code")
        custom[_int(fmt.get("numFmtId"))] = code
    fill_colours = FillColours([_rgb(rgb) for rgb in palette_of(root)], theme)
    fills: list[str | None] = []
    for element in _last(root, "fills"):
        if element.tag != _MAIN + "fill":
            continue
        fills.append(fill_colours.hex_of(_pattern_fill(element)))
    xfs = [xf for xf in _last(root, "cellXfs") if xf.tag == _MAIN + "xf"]
    if not xfs:
        # openpyxl keeps its own defaults: only format 0, no fill, no dates.
        return _Styles([_GENERAL])
    if not fills:
        raise Unsupported("cell formats but no fills")
    if fills[0] is not None:
        # Merge continuations take fill 0 in openpyxl whatever the file says; never seen.
        raise Unsupported("the default fill is a colour")
    formats: list[_CellFormat] = []
    for xf in xfs:
        number = _int(xf.get("numFmtId", "0"))
        if number in custom:
            code = custom[number]
        elif number < BUILTIN_FORMATS_MAX_SIZE:
            code = BUILTIN_FORMATS.get(number)
        else:
            raise Unsupported("a cell format naming a number format that does not exist")
        fill_id = _int(xf.get("fillId", "0"))
        if not 0 <= fill_id < len(fills):
            raise Unsupported("a cell format naming a fill that does not exist")
        date, duration = is_date_format(code), is_duration_format(code)
        # What openpyxl's Cell.number_format gives: builtin codes by number, others as written.
        if code is not None and code in BUILTIN_FORMATS_REVERSE:
            code = BUILTIN_FORMATS[BUILTIN_FORMATS_REVERSE[code]]
        formats.append(_CellFormat("General" if code is None else code, fills[fill_id], date,
                                   duration))
    return _Styles(formats)


@dataclass(frozen=True)
class _Colour:
    """A fill's colour as `FillColours.hex_of` reads it (openpyxl's Color's attributes)."""

    type: str = "rgb"
    rgb: str = "00000000"
    indexed: int | None = None
    theme: int | None = None
    tint: float = 0.0


@dataclass(frozen=True)
class _PatternFill:
    """A pattern fill as `FillColours.hex_of` reads it (openpyxl's PatternFill's attributes)."""

    patternType: str | None  # noqa: N815 - openpyxl's (and the file's) name
    fgColor: _Colour  # noqa: N815


_PATTERNS = frozenset((
    "solid", "darkDown", "darkGray", "darkGrid", "darkHorizontal", "darkTrellis", "darkUp",
    "darkVertical", "gray0625", "gray125", "lightDown", "lightGray", "lightGrid", "lightHorizontal",
    "lightTrellis", "lightUp", "lightVertical", "mediumGray"))
_FILL_COLOURS = frozenset((_MAIN + "fgColor", _MAIN + "bgColor"))
_HEX_COLOUR = re.compile(r"[A-Fa-f0-9]{8}|[A-Fa-f0-9]{6}")
_WHOLE = re.compile(r"[0-9]+")
_TINT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _pattern_fill(fill: etree._Element) -> _PatternFill:
    """A ``<fill>`` of styles.xml as openpyxl's Fill.from_tree reads it, for the plain pattern
    fills Excel, LibreOffice and xlsxwriter write; `Unsupported` for anything else (gradients,
    unexpected attributes or values), which openpyxl then reads or refuses itself."""
    if len(fill) != 1 or fill[0].tag != _MAIN + "patternFill":
        raise Unsupported("a fill other than one pattern fill")
    pattern = fill[0]
    if any(key != "patternType" for key in pattern.attrib):
        raise Unsupported("a pattern fill attribute openpyxl may refuse")
    kind = pattern.get("patternType")
    if kind is not None and kind != "none" and kind not in _PATTERNS:
        raise Unsupported(f"a fill pattern openpyxl refuses: {kind!r}")
    colours: dict[str, _Colour] = {}
    for child in pattern:
        if child.tag not in _FILL_COLOURS or child.tag in colours:
            raise Unsupported("a pattern fill holding more than its two colours")
        colours[child.tag] = _fill_colour(child)
    return _PatternFill(None if kind == "none" else kind,
                        colours.get(_MAIN + "fgColor", _Colour()))


def _fill_colour(element: etree._Element) -> _Colour:
    """A fill's fgColor or bgColor as openpyxl's Color: indexed, else theme, else auto, else rgb."""
    values = {key: value for key, value in element.attrib.items() if not key.startswith("{")}
    if len(element) or values.keys() - {"rgb", "indexed", "theme", "tint", "auto"}:
        raise Unsupported("a colour openpyxl may read differently")
    tint_text = values.get("tint", "0")
    if not _TINT.fullmatch(tint_text) or not -1 <= float(tint_text) <= 1:
        raise Unsupported(f"a colour tint openpyxl may read differently: {tint_text!r}")
    tint = float(tint_text)
    for key in ("indexed", "theme"):
        if key in values:
            if not _WHOLE.fullmatch(values[key]):
                raise Unsupported(f"a colour number openpyxl may read differently: {values[key]!r}")
            number = int(values[key])
            return _Colour(key, indexed=number, tint=tint) if key == "indexed" else _Colour(
                key, theme=number, tint=tint)
    if "auto" in values:
        if values["auto"] not in ("0", "1", "true", "false"):
            raise Unsupported("an automatic colour openpyxl may read differently")
        return _Colour("auto", tint=tint)
    rgb = values.get("rgb", "00000000")
    if not _HEX_COLOUR.fullmatch(rgb):
        raise Unsupported(f"a colour openpyxl refuses: {rgb!r}")
    return _Colour("rgb", rgb if len(rgb) == 8 else "00" + rgb, tint=tint)


def _int(text: str | None) -> int:
    try:
        return int(text)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise Unsupported(f"not a whole number: {text!r}") from exc


def _rgb(text: str | None) -> str:
    if text is None or len(text) not in (6, 8) or not all(c in "0123456789abcdefABCDEF"
                                                            for c in text):
        raise Unsupported("a palette colour openpyxl refuses")
    return text if len(text) == 8 else "00" + text


# -- Sheets ------------------------------------------------------------------------------------

def _coordinate(text: str) -> tuple[int, int]:
    found = _COORDINATES.get(text)
    if found is None:
        try:
            found = coordinate_to_tuple(text)
        except Exception as exc:
            raise Unsupported(f"a cell reference openpyxl refuses: {text!r}") from exc
        if len(_COORDINATES) < 200_000:
            _COORDINATES[text] = found
    return found


def _sheet(root: etree._Element, title: str, state: str, strings: list[str], styles: _Styles,
           epoch: dt.datetime, plain: PlainSheet | None = None) -> SheetData:
    """The worksheet parsed as `root`: whole, or without its rows when `plain` holds them."""
    if root.tag != _WORKSHEET:
        raise Unsupported("not a transitional worksheet")
    if (plain.around.hyperlinks if plain is not None
            else find_child(root, _HYPERLINKS) is not None):
        raise Unsupported("hyperlinks, which openpyxl turns into cell values")
    sheet = SheetData(title, state)
    if plain is None:
        _parsed_sheet_cells(root, sheet, strings, styles, epoch)
        merges = _merge_cells(_merges(root))
    else:
        _plain_sheet_cells(plain.rows, sheet, strings, styles, epoch)
        merges = _kept_merge_cells(plain.around.ends, root)
    sheet.merges = list(merges.merges)
    cells = sheet.cells
    for first, continuations in merges.cells:
        # openpyxl replaces every cell of a merged range but its first with an empty MergedCell,
        # and makes the first when the file has none: each shows nothing, and each is a cell of
        # its row. (Set in C, not cell by cell: a template's merges are made for every return.)
        cells.setdefault(first, _EMPTY_CELL)
        cells.update(continuations)
    return sheet


def _merges(root: etree._Element) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges, in order, as openpyxl reads them (`Unsupported` for others)."""
    return [_merge(merge.get("ref")) for merge in _last(root, "mergeCells")
            if merge.tag == _MERGE_CELL]


def _parsed_sheet_cells(root: etree._Element, sheet: SheetData, strings: list[str],
                        styles: _Styles, epoch: dt.datetime) -> None:
    """The sheet's cells and hidden rows, read from its parsed tree (any sheet)."""
    cells = sheet.cells
    format_of, by_number = styles.format_of, styles.by_number
    formats, hidden_rows = len(styles.formats), sheet.hidden_rows
    row_number = 0
    for row in root.iter(_ROW):
        # The row's number and whether it is hidden, from its attributes: returns of one
        # template write the same rows, attribute for attribute, so each is read once
        # (_row_read), and looked up here without a call a row.
        key = (formats, tuple(row.items()))
        found = _ROWS_READ.get(key) or _row_read_kept(key)
        row_number = row_number + 1 if found[0] is None else found[0]
        if found[1]:
            hidden_rows.add(row_number)
        column = 0
        for c in row:
            if c.tag != _C:
                raise Unsupported("something other than cells in a row")
            ref = c.get("r")
            if ref:
                position = _COORDINATES.get(ref) or _coordinate(ref)
                column = position[1]
            else:
                column += 1
                position = (row_number, column)
            s = c.get("s")
            cell_format = by_number.get(s) or format_of(s)
            kind = c.get("t", "n")
            value: object = None
            if kind == "s" and len(c) == 1:
                # A shared string's lone <v> (most cells): looked up here, without going through
                # _value's general case.
                child = c[0]
                text = child.text if child.tag == _V else None
                if text:
                    # _shared_string written out (two Python calls a cell saved); anything it
                    # would refuse is left to it.
                    try:
                        index = int(text)
                    except ValueError:
                        index = -1
                    value = (strings[index] if 0 <= index < len(strings)
                             else _shared_string(text, strings))
            else:
                value = _value(c, kind, strings, cell_format, epoch)
            cells[position] = (value, cell_format.number_format, cell_format.fill)


def _plain_sheet_cells(rows: list[PlainRow], sheet: SheetData, strings: list[str],
                       styles: _Styles, epoch: dt.datetime) -> None:
    """Read the cells and hidden rows of a plain sheet's rows (`xlsx_plain.plain_sheet`) as
    `_parsed_sheet_cells` reads them from the tree.

    Walking the tree made an lxml proxy for each row, cell and <v>, and a string for each tag
    and attribute asked for (about 9 k of the 17 k instructions a cell of the bench's returns
    took): here each cell is what its text, cut and looked up by the package scan, says
    (read_fast over the bench's first 60 Excel returns, after 10 others: 273.5 -> 181.5 M
    instructions).
    """
    cells: dict[tuple[int, int], tuple[object, str, str | None]] = {}
    hidden_rows: set[int] = set()
    formats = len(styles.formats)
    by_text, count = styles.by_text, len(strings)
    row_number = 0
    for attributes, row_cells in rows:
        key = (formats, attributes)
        found = _ROWS_READ.get(key) or _row_read_kept(key)
        row_number = row_number + 1 if found[0] is None else found[0]
        if found[1]:
            hidden_rows.add(row_number)
        for position, s, kind, text, index in row_cells:
            cell_format, number_format, fill = by_text.get(s) or styles.plain_format(s)
            value: object
            if kind == "s":
                value = (strings[index] if 0 <= index < count
                         else _shared_string(text, strings) if text else None)
            elif kind == "inlineStr":
                value = None  # no <is>: openpyxl reads no value
            else:
                value = _value_of(text, kind, strings, cell_format, epoch)
            cells[position] = (value, number_format, fill)
    sheet.cells, sheet.hidden_rows = cells, hidden_rows


#: (formats in the workbook, a row's attributes) -> its number (None: the one after the row
#: before) and whether it is hidden.
_ROWS_READ: dict[tuple[int, tuple[tuple[str, str], ...]], tuple[int | None, bool]] = {}


def _row_read_kept(key: tuple[int, tuple[tuple[str, str], ...]]) -> tuple[int | None, bool]:
    """`_row_read` of a row met for the first time (`key`: the workbook's formats and the row's
    attributes), kept in `_ROWS_READ` (at most 100,000 rows) for the rows written alike."""
    found = _row_read(dict(key[1]), key[0])
    if len(_ROWS_READ) < 100_000:
        _ROWS_READ[key] = found
    return found


def _row_read(attributes: dict[str, str], formats: int) -> tuple[int | None, bool]:
    """A row's number (None when it has no ``r``) and whether it is hidden, from its attributes,
    checked as openpyxl would check them."""
    r = attributes.pop("r", None)
    attributes.pop("spans", None)
    if r is None:
        number, whole = None, True
    else:
        try:
            number, whole = int(r), True
        except ValueError:
            number, whole = _float_row(r), False
    if not attributes:
        return number, False
    # A row dimension: checked, and noted when hidden.
    if not whole:
        raise Unsupported("a row attribute openpyxl refuses: r")
    return number, _row_hidden(attributes, formats)


def _float_row(text: str) -> int:
    try:
        value = float(text)
    except ValueError as exc:
        raise Unsupported("a row number openpyxl refuses") from exc
    if not value.is_integer():
        raise Unsupported("a row number openpyxl refuses")
    return int(value)


def _shared_string(text: str, strings: list[str]) -> str:
    """The shared string a cell's ``<v>`` names by its index."""
    index = _int(text)
    if not 0 <= index < len(strings):
        raise Unsupported("a shared string that does not exist")
    return strings[index]


def _value(c: etree._Element, kind: str, strings: list[str], cell_format: _CellFormat,
           epoch: dt.datetime) -> object:
    """The cell's value as openpyxl's WorkSheetParser.parse_cell gives it with data_only (`kind`:
    its ``t`` attribute, ``n`` when it has none)."""
    if kind == "inlineStr":
        inline = find_child(c, _IS)
        return None if inline is None else _text(inline)
    text = None
    if len(c) == 1:  # the usual <v> alone
        child = c[0]
        if child.tag == _V:
            text = child.text
    else:
        for child in c:  # <f> and <v>, or more: looked through, not searched
            if child.tag == _V:
                text = child.text
                break
    return _value_of(text, kind, strings, cell_format, epoch)


def _value_of(text: str | None, kind: str, strings: list[str], cell_format: _CellFormat,
              epoch: dt.datetime) -> object:
    """`_value` of a cell whose ``<v>`` holds `text` (None: no ``<v>``, or an empty one), not
    an inline string."""
    if not text:
        return None
    if kind == "s":
        return _shared_string(text, strings)
    if kind == "n":
        try:
            number = _cast_number(text)
        except ValueError as exc:
            raise Unsupported("a number openpyxl refuses") from exc
        if cell_format.date:
            try:
                return from_serial(number, epoch, duration=cell_format.duration)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return number
    if kind == "str" or kind == "e":
        return text
    if kind == "b":
        return bool(_int(text))
    if kind == "d":  # strict OOXML's dates, rare: openpyxl reads them
        from openpyxl.utils.datetime import from_ISO8601

        try:
            return from_ISO8601(text)
        except Exception as exc:
            raise Unsupported("a date openpyxl refuses") from exc
    raise Unsupported(f"a cell of type {kind!r}")


def _row_hidden(attributes: dict[str, str], formats: int) -> bool:
    """Check a row's attributes (but its number and spans) as openpyxl's RowDimension would;
    whether they hide it."""
    for key, value in attributes.items():
        if key.startswith("{"):
            continue
        if key not in _ROW_ATTRIBUTES:
            raise Unsupported(f"a row attribute openpyxl does not know: {key}")
        try:
            if key == "ht":
                float(value)
            elif key == "outlineLevel":
                int(value)
            elif key == "s" and not 0 <= int(value) < formats:
                raise Unsupported("a row format that does not exist")
        except ValueError as exc:
            raise Unsupported(f"a row attribute openpyxl refuses: {key}") from exc
    hidden = attributes.get("hidden")
    return bool(hidden) and hidden not in _FALSE


@lru_cache(maxsize=4096)
def _merge(ref: str | None) -> tuple[int, int, int, int]:
    """A merged range's (first row, first column, last row, last column), read once per distinct
    reference (returns of one template merge the same ranges)."""
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref or "")
    except Exception as exc:
        raise Unsupported("a merged range openpyxl refuses") from exc
    if min_col is None or min_row is None or max_col is None or max_row is None:
        raise Unsupported("a merged range of whole rows or columns")
    return min_row, min_col, max_row, max_col


#: A cell that shows nothing: a merge continuation, or a merged range's first cell the file lacks.
_EMPTY_CELL: tuple[object, str, str | None] = (None, "General", None)


class _MergeCells(NamedTuple):
    """A sheet's merged ranges, and for each its first cell and its continuations, each as the
    empty cell openpyxl makes there."""

    merges: tuple[tuple[int, int, int, int], ...]
    cells: tuple[tuple[tuple[int, int], dict[tuple[int, int], tuple[object, str, str | None]]],
                 ...]


def _merge_cells(merges: list[tuple[int, int, int, int]]) -> _MergeCells:
    """The sheet's merged ranges' cells (`_MergeCells`); `Unsupported` when two overlap."""
    covered: set[tuple[int, int]] = set()
    cells = []
    for merge in merges:
        top, left, bottom, right = merge
        small = (bottom - top + 1) * (right - left + 1) <= _MERGE_AREAS_KEPT
        first, continuations = (_kept_merge_area if small else _merge_area)(*merge)
        if first in covered or not covered.isdisjoint(continuations):
            raise Unsupported("overlapping merged ranges")
        covered.add(first)
        covered.update(continuations)
        cells.append((first, dict(zip(continuations, repeat(_EMPTY_CELL)))))
    return _MergeCells(tuple(merges), tuple(cells))


def _kept_merge_cells(ends: tuple[bytes, bytes], root: etree._Element) -> _MergeCells:
    """`_merge_cells` of a plain sheet's merges, which its bytes around <sheetData> (`ends`)
    hold: worked out once for those bytes (returns of one template merge the same ranges; their
    proxies, references and cells cost about 20 k instructions a range, a return's few dozen
    ranges made for every return), kept while their merges cover at most _MERGED_CELLS_KEPT."""
    found = _PLAIN_MERGES.get(ends)
    if found is None:
        found = _merge_cells(_merges(root))
        if (ends_kept(ends)
                and sum(len(cells) + 1 for _, cells in found.cells) <= _MERGED_CELLS_KEPT):
            _PLAIN_MERGES[ends] = found
    return found


#: Most cells a plain sheet's merged ranges may cover for `_kept_merge_cells` to keep them.
_MERGED_CELLS_KEPT = 4096
#: `_kept_merge_cells` of the plain sheets' start and end bytes `xlsx_plain` keeps (only those:
#: they are forgotten with them).
_PLAIN_MERGES: dict[tuple[bytes, bytes], _MergeCells] = kept_with_ends({})


def _merge_area(top: int, left: int, bottom: int, right: int
                ) -> tuple[tuple[int, int], tuple[tuple[int, int], ...]]:
    """A merged range's first cell and the others (its continuations), row by row."""
    area = [(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)]
    return area[0], tuple(area[1:])


#: Most cells a merged range may cover for its area to be remembered: a forged workbook's huge
#: ranges are worked out each time rather than kept. (A template's merges are a title across a
#: row, a label over a few rows: a dozen cells or so.)
_MERGE_AREAS_KEPT = 64
#: `_merge_area` worked out once per distinct small range (returns of one template merge the
#: same ranges); at most 1,024 kept, a few MB at most in all, whatever the files hold.
_kept_merge_area = lru_cache(maxsize=1024)(_merge_area)
