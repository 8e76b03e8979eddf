"""A worksheet of plain rows and cells, cut from its part's text: only what surrounds its rows is
parsed.

Most returns' sheets hold, between ``<sheetData>`` and ``</sheetData>``, nothing but rows of
cells that hold a value or nothing, written alike by Excel, LibreOffice, openpyxl and xlsxwriter.
Parsing them built an element for each row, cell and ``<v>`` (the package scan parsed every
sheet: 184 of the 206 M instructions it took for the bench's first 60 Excel returns), which the
scan, the looks and the fast reader then walked again. Here the rows and cells are cut from the
text, in C, a cell's text met before looked up (`plain_sheet`), and the part is parsed with an
empty ``<sheetData/>`` in their place: the tree of everything else, 38 M of the 184, and parsed
once for the sheets of one template, which start and end alike (`_PARSED`). The package scan
went from 205.7 to 84.8 M instructions; read_fast, which cut the rows before, does not.

A file must never be read differently: the text cut is accepted only when it is well-formed
XML as the parser would have found it (`plain_sheet` says what it asks), else the whole part is
parsed, and refused, as before. tests/test_reader_xlsx_plain_sheet.py holds the two alike.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple, TypeVar

from lxml import etree

from pipeline.issues import FileRejected
from pipeline.readers.xlsx_refs import coordinate_to_tuple
from pipeline.xmlsafe import find_child, parse_part

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SHEET_DATA, _HYPERLINKS, _C = _MAIN + "sheetData", _MAIN + "hyperlinks", _MAIN + "c"

#: The start of a worksheet part as Excel, LibreOffice, openpyxl and xlsxwriter write it: at most
#: the XML declaration (UTF-8), then the root.
_PLAIN_SHEET_START = re.compile(
    rb'(?:<\?xml version=(["\'])1\.0\1(?: encoding=(["\'])(?:UTF-8|utf-8)\2)?'
    rb'(?: standalone=(["\'])(?:yes|no)\3)?\?>)?[ \t\r\n]*<worksheet[ >]')
_SHEET_DATA_START, _SHEET_DATA_END, _ROW_END = b"<sheetData>", b"</sheetData>", "</row>"
_EMPTY_SHEET_DATA = b"<sheetData/>"
#: An attribute's value as a plain sheet writes it: nothing the parser would change (references,
#: whitespace it normalises) and nothing that ends it or its tag.
_PLAIN_VALUE = r'[^"<>&\t\n\r]'
#: A row's start tag as a plain sheet writes it, without its ">": its attributes, each
#: unprefixed or prefixed (Excel's x14ac:dyDescent) and none declaring a namespace.
_PLAIN_ROW_START = re.compile(
    f'<row((?: (?!xmlns[:=])(?:[A-Za-z][A-Za-z0-9]*:)?[A-Za-z]+="{_PLAIN_VALUE}*")*)')
_PLAIN_ATTRIBUTE = re.compile(f' (?:([A-Za-z][A-Za-z0-9]*):)?([A-Za-z]+)="({_PLAIN_VALUE}*)"')
#: Longest row start tag read from the text: a longer one (never written) is parsed, so that no
#: name can be longer than the parser allows (50,000 characters).
_LONGEST_ROW_START = 1024
#: A cell as Excel, LibreOffice, openpyxl and xlsxwriter write one holding a value or nothing,
#: after its "<c ": its reference, then its format and type when it has them, then its lone <v>
#: (text without a reference or a carriage return, which the parser would change) or no child.
_PLAIN_CELL = re.compile(
    r'r="([A-Z]{1,3}[0-9]{1,7})"(?: s="([0-9]{1,9})")?(?: t="([a-zA-Z]{1,9})")?'
    r'(?:/>|><v>([^<&\r]*)</v></c>)')
_CELL_START = "<c "
#: Largest part whose rows are cut from its text: no text or value in it can then be longer
#: than the parser allows (10,000,000 characters), nor its names more than its dictionary holds.
_LARGEST_PART = 8_000_000
#: Each control byte XML 1.0 does not allow (all C0 controls but tab, line feed and carriage
#: return) changed, every other byte kept: text changed by this table holds one.
_CONTROLS_CHANGED = bytes(
    (b + 1) % 0x20 if b < 0x20 and b not in (0x09, 0x0A, 0x0D) else b for b in range(256))

PlainCell = tuple[tuple[int, int], str, str, str, int]
"""A plain cell: its (row, column), its s (or ""), its type ("n" when it has none), its <v> text
("" when none) and that text as a whole number (-1 when it is none or the cell is not a shared
string's)."""
PlainRow = tuple[tuple[tuple[str, str], ...], list[PlainCell]]
"""A plain row: its attributes as the tree's ``row.items()`` gives them (each prefixed one named
by its prefix, not its namespace: `xlsx_fast._row_read` passes over them either way), and its
cells."""


class Around(NamedTuple):
    """What a plain sheet's parsed tree holds around its <sheetData>, as the bytes before and
    after it (`ends`) say: the same for every sheet with those bytes."""

    ends: tuple[bytes, bytes]
    plain: bool
    """<sheetData> is the root's child in the main namespace, and no cell is outside it."""
    hyperlinks: bool
    """The root holds <hyperlinks>."""
    prefixes: frozenset[str]
    """The prefixes the root declares, and "xml": those a row's attributes may use."""


class PlainSheet(NamedTuple):
    """A sheet whose rows were cut from its text (`plain_sheet`)."""

    root: etree._Element
    """The sheet parsed with an empty <sheetData/>: every element but its rows and cells."""
    rows: list[PlainRow]
    around: Around


def plain_sheet(data: bytes, part: str) -> PlainSheet | None:
    """A sheet whose part (`data`) holds only plain rows and cells, its rows cut from the text and
    the rest parsed (`PlainSheet`); None for any other sheet, which is parsed whole.

    The text between <sheetData> and </sheetData> is taken for what the parser would have made of
    it only when it is rows (`_PLAIN_ROW_START`, with distinct attribute names, their prefixes
    declared on the root) of plain cells (`_PLAIN_CELL`), with nothing between rows, no "<"
    between cells and, in all of it, only ASCII, no "&", no "]]>" and no character XML does not
    allow: well-formed, each row and cell read as the tree would give it. Outside <sheetData>
    the part holds no comment, CDATA section or processing instruction but its declaration, no
    other sheetData and no row (`_plain_ends`: the tree's loops read every row and cell in the
    part); <sheetData> is the root's child in the main namespace (one unprefixed, as the tree
    shows). A part the parser refuses with its rows emptied is parsed whole (its refusal names
    the place in the part as it is).
    """
    start = data.find(_SHEET_DATA_START)
    if start < 0 or len(data) > _LARGEST_PART:
        return None
    end = data.find(_SHEET_DATA_END, start)
    if end < 0:
        return None
    ends = data[:start], data[end + len(_SHEET_DATA_END):]
    plain = _PLAIN_ENDS.get(ends)
    kept = plain is not None
    if plain is None:
        plain = _plain_ends(*ends)
        if len(ends[0]) + len(ends[1]) <= _PLAIN_ENDS_KEPT_BYTES:
            kept = True
            if len(_PLAIN_ENDS) >= _PLAIN_ENDS_KEPT:
                _PLAIN_ENDS.clear()
                for forgotten in _KEPT_WITH_ENDS:
                    forgotten.clear()
            _PLAIN_ENDS[ends] = plain
    if not plain:
        return None
    raw = data[start + len(_SHEET_DATA_START):end]
    if b"&" in raw or holds(raw, b"]]>") or raw.translate(_CONTROLS_CHANGED) != raw:
        return None
    rows = _plain_rows(raw)
    if rows is None:
        return None
    rows_read, prefixes = rows
    root = _PARSED.get(ends) if kept else None
    if root is None:
        try:
            root = parse_part(ends[0] + _EMPTY_SHEET_DATA + ends[1], part)
        except FileRejected:
            return None  # parsed whole, and refused with the part's own places
        if kept:
            _PARSED[ends] = root
    around = _AROUND.get(ends) if kept else None
    if around is None:
        # A few lookups in the tree a sheet (about 20 k instructions), once per template's
        # start and end, kept while _PLAIN_ENDS keeps them (its bound is theirs).
        around = Around(ends, find_child(root, _SHEET_DATA) is not None
                        and next(root.iter(_C), None) is None,
                        find_child(root, _HYPERLINKS) is not None,
                        frozenset(key for key in root.nsmap if key) | {"xml"})
        if kept:
            _AROUND[ends] = around
    if not around.plain or not prefixes <= around.prefixes:
        return None
    return PlainSheet(root, rows_read, around)


def holds(raw: bytes, bad: bytes) -> bool:
    """Whether `raw` holds `bad`, looked for only where its first byte is, found by memchr:
    "bad in raw" took about 4 instructions a byte for a needle of two or three bytes ("]]>",
    and U+FFFE's first bytes in a shared strings part, each a rare first byte). Past a few such
    places, by "in" from there."""
    first = bad[:1]
    at = raw.find(first)
    for _ in range(_PLACES_LOOKED_AT):
        if at < 0:
            return False
        if raw.startswith(bad, at):
            return True
        at = raw.find(first, at + 1)
    return at >= 0 and raw.find(bad, at) >= 0


#: How many places `holds` looks at one by one.
_PLACES_LOOKED_AT = 8


def _plain_rows(raw: bytes) -> tuple[list[PlainRow], set[str]] | None:
    """The rows of a <sheetData>'s text (`raw`), and the prefixes their attributes use; None
    unless each is plain."""
    try:
        pieces = raw.decode("ascii").split(_ROW_END)
    except UnicodeDecodeError:
        return None
    if pieces.pop():
        return None  # something after the last row's end, or no row's end at all
    starts_read, cells_read = _PLAIN_ROW_STARTS, _PLAIN_CELLS
    rows: list[PlainRow] = []
    prefixes: set[str] = set()
    for piece in pieces:
        row_start, closed, row_text = piece.partition(">")
        found = starts_read.get(row_start) or _plain_row_start(row_start)
        if found is None or not closed:
            return None
        before, *cell_texts = row_text.split(_CELL_START)
        if "<" in before:
            return None
        cells = [cells_read.get(text) or _plain_cell(text) for text in cell_texts]
        if None in cells:
            return None
        if found[1]:
            prefixes.update(found[1])
        rows.append((found[0], cells))  # type: ignore[arg-type]  # no None: looked for above
    return rows, prefixes


def _plain_ends(head: bytes, tail: bytes) -> bool:
    """Whether a sheet's part holds, before and after its <sheetData>, what `plain_sheet` needs:
    its start as `_PLAIN_SHEET_START`, no comment, CDATA section or processing instruction but
    its declaration, no other sheetData and no row."""
    return not (_PLAIN_SHEET_START.match(head) is None or b"<!" in head or b"<!" in tail
                or head.count(b"<?") + tail.count(b"<?") != head.startswith(b"<?")
                or b"sheetData" in head or b"sheetData" in tail or b"<row" in head
                or tail.count(b"<row") != tail.count(b"<rowBreaks") or b":row" in head
                or b":row" in tail)


#: `_plain_ends` of a sheet's part before and after its <sheetData>, as those bytes: the sheets
#: of one template start and end alike (2 pairs in the bench's 240 sheets), and the dozen
#: scans of them cost about 50 k instructions a sheet against 3 k to look them up. At most 256
#: pairs of at most 8 kB (2 MB), forgotten all at once past it.
_PLAIN_ENDS: dict[tuple[bytes, bytes], bool] = {}
_PLAIN_ENDS_KEPT, _PLAIN_ENDS_KEPT_BYTES = 256, 8192
#: `Around` of the plain sheets' start and end bytes `_PLAIN_ENDS` keeps (only those: it is
#: forgotten with them, as each dict `kept_with_ends` gives).
_AROUND: dict[tuple[bytes, bytes], Around] = {}
#: The plain sheets' start and end bytes `_PLAIN_ENDS` keeps, parsed with an empty <sheetData/>:
#: the same tree for every sheet with those bytes (parsing them took about 160 k instructions a
#: sheet of the bench's), which nothing changes. Forgotten with them.
_PARSED: dict[tuple[bytes, bytes], etree._Element] = {}
_KEPT_WITH_ENDS: list[dict[tuple[bytes, bytes], Any]] = [_AROUND, _PARSED]

_Kept = TypeVar("_Kept", bound=dict[tuple[bytes, bytes], Any])


def kept_with_ends(kept: _Kept) -> _Kept:
    """`kept`, a dict by the bytes around a plain sheet's <sheetData>, to be forgotten with
    `_PLAIN_ENDS` (whose bound is its bound)."""
    _KEPT_WITH_ENDS.append(kept)
    return kept


def ends_kept(ends: tuple[bytes, bytes]) -> bool:
    """Whether `_PLAIN_ENDS` keeps these bytes around a <sheetData>."""
    return ends in _PLAIN_ENDS


def _plain_row_start(text: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]] | None:
    """A row's attributes, from its start tag without the ">", as the tree's ``row.items()``
    gives them, and the prefixes they use; None for a tag a plain row has not, or whose
    attributes share a local name (the parser refuses two alike, and two prefixes may name one
    namespace: such a row is parsed). Remembered."""
    if len(text) > _LONGEST_ROW_START or _PLAIN_ROW_START.fullmatch(text) is None:
        return None
    found = _PLAIN_ATTRIBUTE.findall(text)
    if len({name for _, name, _ in found}) != len(found):
        return None
    attributes = tuple((f"{{{prefix}}}{name}" if prefix else name, value)
                       for prefix, name, value in found)
    read = attributes, tuple(sorted({prefix for prefix, _, _ in found if prefix}))
    _remember(_PLAIN_ROW_STARTS, text, read)
    return read


def _plain_cell(text: str) -> PlainCell | None:
    """A cell from its text after "<c " up to the next cell's "<c " or its row's end: the cell
    and any text after it, which the tree's loop passes over too; None for anything else, and
    for a reference openpyxl refuses (the tree's loop refuses it). Remembered: returns of one
    template write most cells alike (9 in 10 of the bench's, after a few returns, where only
    half their rows are written alike)."""
    found = _PLAIN_CELL.match(text)
    if found is None or "<" in text[found.end():]:
        return None
    ref, s, kind, value = found.groups("")
    position = COORDINATES.get(ref)
    if position is None:
        try:
            position = coordinate_to_tuple(ref)
        except Exception:
            return None
        if len(COORDINATES) < 200_000:
            COORDINATES[ref] = position
    index = -1
    if kind == "s" and value:
        try:
            index = int(value)
        except ValueError:
            pass
    cell = (position, s, kind or "n", value, index)
    _remember(_PLAIN_CELLS, text, cell)
    return cell


#: A cell's reference -> its (row, column), for the references openpyxl reads (shared with the
#: fast reader's loop over a parsed sheet).
COORDINATES: dict[str, tuple[int, int]] = {}
#: A plain row's start tag -> its attributes and prefixes (`_plain_row_start`), and a plain
#: cell's text -> the cell (`_plain_cell`): each of at most 16,384 texts of at most 128
#: characters (a few MB in all, whatever the files hold), forgotten all at once past it. (A
#: bench return's cell is about 35 characters, a row's start tag about 50.)
_PLAIN_ROW_STARTS: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {}
_PLAIN_CELLS: dict[str, PlainCell] = {}
_PLAIN_KEPT, _PLAIN_KEPT_CHARS = 16_384, 128

_Value = TypeVar("_Value")


def _remember(kept: dict[str, _Value], key: str, value: _Value) -> None:
    if len(key) > _PLAIN_KEPT_CHARS:
        return
    if len(kept) >= _PLAIN_KEPT:
        kept.clear()
    kept[key] = value
