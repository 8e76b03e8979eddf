"""What an .xlsx/.xlsm package holds that openpyxl hides: formulas saved without a value.

openpyxl with ``data_only=True`` reads a formula saved without a result as an empty cell, and it
expands every merged range cell by cell (a forged ``A1:XFD1048576`` would never finish). So before
openpyxl sees the file, its sheets are scanned here (intake has already refused any DOCTYPE and
noted any macros: `pipeline.intake.package`).
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Set
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from pipeline.intake.package import CheckedPackage
from pipeline.issues import FileRejected
from pipeline.readers.package_rels import relationships_in, rels_part, resolve
from pipeline.readers.xlsx_plain import PlainSheet, ends_kept, kept_with_ends, plain_sheet
from pipeline.readers.xlsx_refs import (
    EXCEL_COLUMNS,
    EXCEL_ROWS,
    column_index,
    column_letter,
    range_boundaries,
)
from pipeline.xmlsafe import parse_part

#: Most cells all merged ranges of one workbook may cover. openpyxl creates an object for every
#: covered cell at load time (about 8 s per million); real returns merge a few hundred.
MAX_MERGED_CELLS = 500_000
#: Most cells all hyperlinks and comments of one workbook may name. openpyxl makes every cell a
#: hyperlink's or a comment's range names when it loads the sheet (about 30 s per million;
#: ``A1:XFD1048576`` never ends).
MAX_LINKED_CELLS = 500_000

_OFFICE_DOCUMENT = "/officeDocument"
_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_COMMENT = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}comment"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CORE_FIELDS = ("title", "creator", "lastModifiedBy", "modified")


@dataclass
class SheetScan:
    """One worksheet as its XML part shows it."""

    name: str
    part: str
    state: str
    """``visible``, ``hidden`` or ``veryHidden``."""
    formulas_without_value: dict[tuple[int, int], str] = field(default_factory=dict)
    """(row, column) of each formula cell saved with no result, and its formula (``=SUM(A1:A3)``)."""
    parsed: etree._Element | None = field(default=None, repr=False, compare=False)
    """The parsed sheet, kept so the fast reader (`xlsx_fast`) and the looks do not parse it
    again: without its rows when `plain` holds them (cut from its text), else whole."""
    plain: PlainSheet | None = field(default=None, repr=False, compare=False)
    """The sheet's rows, when they are plain (`xlsx_plain.plain_sheet`)."""
    comments: list[str] = field(default_factory=list)
    """The cells (``B4``) its comments are attached to, in the order openpyxl attaches them."""
    data: bytes = field(default=b"", repr=False, compare=False)
    """The part's bytes, for `root`."""
    _root: etree._Element | None = field(default=None, repr=False, compare=False)

    @property
    def root(self) -> etree._Element | None:
        """The whole sheet parsed (parsed again, once, when the scan cut its rows from its
        text: openpyxl's reader needs its cells' elements, `xlsx_positions`)."""
        if self.plain is None:
            return self.parsed
        if self._root is None:
            self._root = parse_part(self.data, self.part)
        return self._root


@dataclass
class PackageScan:
    """What the package holds besides the cells openpyxl reads."""

    sheets: dict[str, SheetScan]
    core_fields: set[str]
    """Which of title, creator, lastModifiedBy, modified docProps/core.xml really holds."""
    workbook_part: str = "xl/workbook.xml"
    """The workbook part the package's root relationships name."""
    parsed: dict[str, etree._Element] = field(default_factory=dict, repr=False, compare=False)
    """The parts the scan parsed (the workbook, core properties), by name; relationship parts
    are read through `package_rels.relationships_in`, once per distinct part."""

    def part(self, zf: zipfile.ZipFile, name: str) -> etree._Element:
        """A part of the package parsed, once for the scan and the reader together."""
        return _parsed(zf, name, self.parsed)


def _parsed(zf: zipfile.ZipFile, name: str, parsed: dict[str, etree._Element]) -> etree._Element:
    root = parsed.get(name)
    if root is None:
        root = parsed[name] = parse_part(zf.read(name), name)
    return root


def part_names(zf: zipfile.ZipFile) -> frozenset[str]:
    """Every part's name: a checked package's own set, made once for the scan, the reader and
    the looks alike (each made a list and a set of the package's directory)."""
    return zf.names if isinstance(zf, CheckedPackage) else frozenset(zf.namelist())


def scan_package(zf: zipfile.ZipFile) -> PackageScan:
    """Scan an Excel package's sheets and properties; raise FileRejected for damaged ones."""
    try:
        return _scan(zf)
    except zipfile.BadZipFile as exc:
        # Also what zipfile says for a CRC mismatch inside a part.
        raise FileRejected("unreadable-file", reason=_zip_reason(exc)) from exc
    except (zlib.error, EOFError) as exc:
        raise FileRejected("unreadable-file", reason="a part of it is damaged and cannot be "
                                                     "decompressed") from exc
    except KeyError as exc:
        raise FileRejected("unreadable-file", reason=f"a part it needs is missing ({exc.args[0]})"
                           ) from exc


def _zip_reason(exc: zipfile.BadZipFile) -> str:
    text = str(exc)
    if "CRC" in text:
        return "a part of it is damaged (its checksum does not match)"
    return "it is not a valid Excel workbook: the file is damaged or is another kind of file"


def _scan(zf: zipfile.ZipFile) -> PackageScan:
    names = part_names(zf)
    parsed: dict[str, etree._Element] = {}
    workbook_part = _office_document(zf, names)
    workbook = _parsed(zf, workbook_part, parsed)
    targets = _relationships(zf, workbook_part, names)
    sheets: dict[str, SheetScan] = {}
    merged = linked = 0
    for sheet in workbook.iter("{*}sheet"):
        target = targets.get(sheet.get(_R_ID, ""))
        if target is None or "chartsheet" in target[1] or target[0] not in names:
            # openpyxl reads no cells of a chart sheet, and reads any other sheet (a dialog or
            # macro sheet too) as a worksheet: the scan keeps the same ones, in the same order.
            continue
        part = target[0]
        scan = SheetScan(sheet.get("name", ""), part, sheet.get("state", "visible"))
        data = zf.read(part)
        # The rows of most sheets are cut from the text, the rest parsed (`xlsx_plain`): all
        # here is outside them but their cells' formulas, which plain cells have not.
        plain = plain_sheet(data, part)
        root = plain.root if plain is not None else parse_part(data, part)
        scan.parsed, scan.plain, scan.data = root, plain, data
        formulas, merged_here, linked_here = (
            _tree_scan(root) if plain is None else _kept_tree_scan(plain))
        scan.formulas_without_value = dict(formulas)
        scan.comments = _comment_refs(zf, part, names)
        linked_here += sum(map(_cells_named, scan.comments))
        merged += merged_here
        linked += linked_here
        if merged > MAX_MERGED_CELLS:
            raise FileRejected(
                "file-too-large",
                reason=f"its merged cells cover more than {MAX_MERGED_CELLS:,} cells "
                       f"(sheet '{scan.name}')",
            )
        if linked > MAX_LINKED_CELLS:
            raise FileRejected(
                "file-too-large",
                reason=f"its hyperlinks and comments name more than {MAX_LINKED_CELLS:,} cells "
                       f"(sheet '{scan.name}')",
            )
        sheets[scan.name] = scan
    core_fields: set[str] = set()
    if "docProps/core.xml" in names:
        core = _parsed(zf, "docProps/core.xml", parsed)
        core_fields = {
            name for el in core
            if (name := etree.QName(el).localname) in _CORE_FIELDS and (el.text or "").strip()
        }
    return PackageScan(sheets, core_fields, workbook_part, parsed)


def _office_document(zf: zipfile.ZipFile, names: Set[str]) -> str:
    """The workbook part named by the package's root relationships, as openpyxl finds it."""
    if "_rels/.rels" in names:
        return _office_document_in(zf.read("_rels/.rels"))
    return "xl/workbook.xml"


@lru_cache(maxsize=64)
def _office_document_in(data: bytes) -> str:
    """`_office_document` of a ``_rels/.rels`` part given as its bytes, read once per distinct
    part: the returns of one template share it byte for byte (a damaged part, which rejects the
    file, is never remembered: lru_cache keeps no exception)."""
    root = parse_part(data, "_rels/.rels")
    for rel in root.iter("{*}Relationship"):
        if rel.get("Type", "").endswith(_OFFICE_DOCUMENT):
            return resolve("", rel.get("Target", ""))
    return "xl/workbook.xml"


def _relationships(zf: zipfile.ZipFile, part: str, names: Set[str]) -> dict[str, tuple[str, str]]:
    """Relationship id -> (target part, relationship type) for one part."""
    rels = rels_part(part)
    if rels not in names:
        return {}
    # Read once per distinct relationships part (the returns of one template share them).
    return {rel.id: (rel.target or resolve(posixpath.dirname(part), ""), rel.type)
            for rel in relationships_in(zf.read(rels), rels, part) if not rel.external}


def _formulas_without_value(root: etree._Element) -> dict[tuple[int, int], str]:
    """Formula cells that carry no cached result, with the formula each holds."""
    shared: dict[str, tuple[str, str]] = {}  # si -> (formula, cell it is written in)
    missing: list[tuple[tuple[int, int], etree._Element]] = []
    for f in root.iter("{*}f"):
        c = f.getparent()
        if c is None:
            continue
        position = _position(c)
        if f.get("t") == "shared" and f.text and f.get("si") is not None:
            shared[f.get("si", "")] = (f.text, _coordinate(position))
        v = c.find("{*}v")
        # An empty <v/> is a real cached result only for a formula that returns text.
        if v is None or (not v.text and c.get("t") not in ("str", "inlineStr")):
            missing.append((position, f))
    result: dict[tuple[int, int], str] = {}
    for position, f in missing:
        result[position] = _formula_text(f, position, shared)
    return result


def _formula_text(f: etree._Element, position: tuple[int, int],
                  shared: dict[str, tuple[str, str]]) -> str:
    if f.text:
        return "=" + f.text
    master = shared.get(f.get("si", ""))
    if master is None:
        return "(a formula)"
    from openpyxl.formula.translate import Translator  # only for a formula saved without a value

    try:
        # A shared formula is written once; the other cells hold only a pointer to it.
        return Translator("=" + master[0], origin=master[1]).translate_formula(
            _coordinate(position))
    except Exception:  # a formula we cannot shift is still worth naming unshifted
        return "=" + master[0]


def _position(c: etree._Element) -> tuple[int, int]:
    """(row, column) of a <c> element; counts siblings when the optional r attributes are absent."""
    ref = c.get("r")
    if ref:
        letters = ref.rstrip("0123456789")
        try:
            return int(ref[len(letters):]), column_index(letters)
        except ValueError:
            pass
    # Writers that leave r out leave it out everywhere, so counting positions is exact then.
    row_el = c.getparent()
    if row_el is None:
        return 1, 1
    row_ref = row_el.get("r", "")
    sheet_data = row_el.getparent()
    if row_ref.isdigit():
        row = int(row_ref)
    else:
        row = sheet_data.index(row_el) + 1 if sheet_data is not None else 1
    return row, row_el.index(c) + 1


def _coordinate(position: tuple[int, int]) -> str:
    return f"{column_letter(position[1])}{position[0]}"


def _comment_refs(zf: zipfile.ZipFile, part: str, names: Set[str]) -> list[str]:
    """The cells (``B4``) the comments of the worksheet in `part` are attached to, in the order
    openpyxl attaches them: each comments part its relationships name, comment by comment."""
    rels = rels_part(part)
    if rels not in names:
        return []
    refs: list[str] = []
    for rel in relationships_in(zf.read(rels), rels, part):
        if rel.type != _COMMENTS or rel.external or rel.target not in names:
            continue
        comments = parse_part(zf.read(rel.target), rel.target)
        refs.extend(comment.get("ref", "") for comment in comments.iter(_COMMENT))
    return refs


def _tree_scan(root: etree._Element) -> tuple[dict[tuple[int, int], str], int, int]:
    """What the scan reads from a sheet's tree: its formulas without a value, and how many
    cells openpyxl makes for its merged ranges and for its hyperlinks (`_cells_made_at_load`;
    those its comments name are counted apart: a sheet's comments are not in its part)."""
    return _formulas_without_value(root), *_cells_made_at_load(root)


def _kept_tree_scan(plain: PlainSheet) -> tuple[dict[tuple[int, int], str], int, int]:
    """`_tree_scan` of a plain sheet's tree without its rows, which the sheets of one template
    share (`xlsx_plain._PARSED`): read once for it, kept with the bytes around its rows. Walked
    for each sheet, its formulas and merges took about 34 k instructions a sheet of the bench's
    (the package scan of its first 60 Excel returns: 84.6 -> 76.4 M)."""
    ends = plain.around.ends
    found = _TREE_SCANS.get(ends)
    if found is None:
        found = _tree_scan(plain.root)
        if ends_kept(ends):
            _TREE_SCANS[ends] = found
    return found


#: `_tree_scan` of the plain sheets' trees without their rows, by the bytes around their rows
#: (`xlsx_plain.kept_with_ends`); each sheet's scan takes a copy of the formulas.
_TREE_SCANS: dict[tuple[bytes, bytes], tuple[dict[tuple[int, int], str], int, int]] = (
    kept_with_ends({}))


def _cells_made_at_load(root: etree._Element) -> tuple[int, int]:
    """How many cells openpyxl makes when it loads the sheet: for its merged ranges, and for the
    cells its hyperlinks name."""
    merged = linked = 0
    for element in root.iter("{*}mergeCell", "{*}hyperlink"):  # one pass over the sheet for both
        # The tag ends in one of the two names asked for: no QName to make for each.
        if element.tag.endswith("hyperlink"):
            linked += _cells_named(element.get("ref", ""))
        else:
            merged += _cells_merged(element.get("ref", ""))
    return merged, linked


@lru_cache(maxsize=4096)
def _cells_merged(ref: str) -> int:
    """How many cells a merged range covers; none for one openpyxl refuses itself (whole rows
    or columns, or no reference)."""
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return 0
    if min_col is None or min_row is None or max_col is None or max_row is None:
        return 0
    return max(0, max_row - min_row + 1) * max(0, max_col - min_col + 1)


def _cells_named(ref: str) -> int:
    """How many cells ``ws[ref]`` makes in openpyxl: one cell, a range, or whole rows or columns
    (counted as far as Excel's sheet goes); none for a reference openpyxl refuses."""
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return 0  # openpyxl will reject the sheet itself
    if min_col is None and min_row is None:
        return 0  # no reference at all: openpyxl refuses it too
    rows = (max_row - min_row + 1) if min_row is not None and max_row is not None else EXCEL_ROWS
    columns = ((max_col - min_col + 1) if min_col is not None and max_col is not None
               else EXCEL_COLUMNS)
    return max(0, rows) * max(0, columns)
