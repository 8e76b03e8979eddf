"""Cell references, number formats, serial dates, escapes, fills and core properties: the fast
Excel reader's own copies give exactly what openpyxl's give, on every column and on many inputs
(or, for fills and core properties, leave the workbook to openpyxl), and reading a return the
fast way never loads openpyxl."""

from __future__ import annotations

import datetime as dt
import string
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl.packaging.core import DocumentProperties
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.styles.fills import Fill
from openpyxl.styles.numbers import BUILTIN_FORMATS as OPENPYXL_BUILTIN_FORMATS
from openpyxl.styles.numbers import is_date_format as openpyxl_is_date_format
from openpyxl.styles.numbers import is_timedelta_format
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple as openpyxl_coordinate_to_tuple
from openpyxl.utils.cell import range_boundaries as openpyxl_range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel
from openpyxl.utils.escape import unescape as openpyxl_unescape

from pipeline.readers import xlsx_fast
from pipeline.readers.xlsx_cells import DEFAULT_PALETTE, FillColours, unescape
from pipeline.readers.xlsx_fast import Unsupported
from pipeline.readers.xlsx_numfmt import (
    BUILTIN_FORMATS,
    MAC_EPOCH,
    from_serial,
    is_date_format,
    is_duration_format,
)
from pipeline.readers.xlsx_refs import column_index, column_letter, coordinate_to_tuple, range_boundaries

REPO = Path(__file__).resolve().parent.parent
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def outcome(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[str, Any]:
    """What a call gives: its value, or that it raised (which exception does not matter)."""
    try:
        return "value", function(*args, **kwargs)
    except Exception:
        return "raised", None


# -- Cell references ---------------------------------------------------------------------------


def test_every_column_has_openpyxl_s_letters_and_back() -> None:
    for index in range(1, 18279):
        letters = get_column_letter(index)
        assert column_letter(index) == letters
        assert column_index(letters) == column_index_from_string(letters) == index
        assert column_index(letters.lower()) == index
    for index in (0, -1, 18279, 10**6):
        assert outcome(column_letter, index) == ("raised", None)


_REFERENCE_TEXT = st.text(alphabet=string.ascii_letters[:6] + "XYZxyz" + "$:0123456789 _-ßﬀ٣²+", max_size=12)


@given(text=st.one_of(_REFERENCE_TEXT, st.text(max_size=6)))
@settings(max_examples=2000, deadline=None)
def test_references_read_as_openpyxl_reads_them(text: str) -> None:
    assert outcome(column_index, text) == outcome(column_index_from_string, text)
    assert outcome(coordinate_to_tuple, text) == outcome(openpyxl_coordinate_to_tuple, text)
    assert outcome(range_boundaries, text) == outcome(openpyxl_range_boundaries, text)


@pytest.mark.parametrize("text", ["A1", "$B$12", "XFD1048576", "A1:C5", "b2:$D$9", "B:D", "3:7", "A",
                                  "5", "A1:", ":B2", "A1:C", "ZZZ1", "AAAA1", "A0", ""])
def test_the_usual_references_read_as_openpyxl_reads_them(text: str) -> None:
    assert outcome(range_boundaries, text) == outcome(openpyxl_range_boundaries, text)
    assert outcome(coordinate_to_tuple, text) == outcome(openpyxl_coordinate_to_tuple, text)


# -- Number formats and serial dates ----------------------------------------------------------


def test_the_builtin_formats_and_palette_are_openpyxl_s() -> None:
    assert BUILTIN_FORMATS == OPENPYXL_BUILTIN_FORMATS
    assert DEFAULT_PALETTE == COLOR_INDEX


_FORMAT_TEXT = st.text(alphabet='dmyhsDMYHS0#,.%;:/-_\\"[]$@ AMPamp€abc', max_size=16)


@given(code=st.one_of(_FORMAT_TEXT, st.sampled_from(sorted(OPENPYXL_BUILTIN_FORMATS.values())),
                      st.sampled_from(["[h]:mm:ss", "[mm]:ss.00", "[$-809]dd/mm/yyyy", '"days" 0',
                                       "[Red]0.0", "[ss].0", "dd-mmm-yy;@"])))
@settings(max_examples=1500, deadline=None)
def test_date_and_duration_formats_are_told_as_openpyxl_tells_them(code: str) -> None:
    assert is_date_format(code) == openpyxl_is_date_format(code)
    assert is_duration_format(code) == is_timedelta_format(code)


@given(value=st.one_of(st.floats(min_value=-1e6, max_value=3e6, allow_nan=False),
                       st.integers(min_value=-10**6, max_value=3 * 10**6),
                       st.sampled_from([0, 0.5, 0.99999999, 1, 59, 60, 61, 39903.5, 1e20])),
       mac=st.booleans(), duration=st.booleans())
@settings(max_examples=1500, deadline=None)
def test_serial_numbers_are_the_dates_openpyxl_makes_of_them(value: float, mac: bool, duration: bool) -> None:
    ours = outcome(from_serial, value, MAC_EPOCH if mac else xlsx_fast.WINDOWS_EPOCH, duration=duration)
    assert ours == outcome(from_excel, value, CALENDAR_MAC_1904 if mac else WINDOWS_EPOCH,
                           timedelta=duration)


@given(text=st.text(alphabet="_x0123456789aAfFgX\r\n é", max_size=20))
@settings(max_examples=1000, deadline=None)
def test_office_escapes_are_undone_as_openpyxl_undoes_them(text: str) -> None:
    assert unescape(text) == openpyxl_unescape(text)


# -- Fills: the same colour as openpyxl's, or left to openpyxl ---------------------------------

_COLOUR_ATTRIBUTES = st.dictionaries(
    st.sampled_from(["rgb", "indexed", "theme", "tint", "auto", "type"]),
    st.sampled_from(["FFFF0000", "00B050", "ff00b050", "FF00", "zz00b050", "0", "1", "5", "64",
                     "65", "80", "+3", " 4", "-0.25", "0.5", "1.5", "-1", "1e-1", "true", "false",
                     "rgb", ""]),
    max_size=3,
)


@st.composite
def _fill_xml(draw: st.DrawFn) -> bytes:
    pattern = draw(st.one_of(st.none(), st.sampled_from(
        ["solid", "none", "gray125", "darkGrid", "lightUp", "Solid", "dotted", ""])))
    attributes = f' patternType="{pattern}"' if pattern is not None else ""
    if draw(st.booleans()) and draw(st.booleans()):
        attributes += ' extra="1"'
    colours = ""
    for tag in draw(st.lists(st.sampled_from(["fgColor", "bgColor", "color"]), max_size=3)):
        found = draw(_COLOUR_ATTRIBUTES)
        colours += f"<{tag} " + " ".join(f'{k}="{v}"' for k, v in found.items()) + "/>"
    if draw(st.integers(0, 9)) == 0:
        return f'<fill xmlns="{MAIN}"><gradientFill degree="90"/></fill>'.encode()
    return f'<fill xmlns="{MAIN}"><patternFill{attributes}>{colours}</patternFill></fill>'.encode()


def _openpyxl_fill_colour(fill: etree._Element, colours: FillColours) -> tuple[str, Any]:
    read = outcome(Fill.from_tree, fill)
    if read[0] == "raised" or read[1] is None:
        return "raised", None
    return "value", colours.hex_of(read[1])


@given(xml=_fill_xml())
@settings(max_examples=1500, deadline=None)
def test_a_fill_has_openpyxl_s_colour_or_is_left_to_openpyxl(xml: bytes) -> None:
    colours = FillColours(None, None)
    fill = etree.fromstring(xml)
    ours = outcome(lambda: colours.hex_of(xlsx_fast._pattern_fill(fill)))
    if ours[0] == "raised":
        with pytest.raises(Unsupported):
            xlsx_fast._pattern_fill(fill)
        return
    assert ours == _openpyxl_fill_colour(fill, colours)


@pytest.mark.parametrize(("colour", "expected"), [
    ('rgb="FFFF0000"', "FF0000"), ('rgb="00B050"', "00B050"), ('indexed="10"', "FF0000"),
    ('indexed="64"', "000000"), ('theme="4" tint="-0.249977111117893"', None), ("", "000000"),
])
def test_the_fills_returns_use_are_read_without_openpyxl(colour: str, expected: str | None) -> None:
    fill = etree.fromstring(f'<fill xmlns="{MAIN}"><patternFill patternType="solid"><fgColor {colour}/>'
                            '<bgColor indexed="64"/></patternFill></fill>')
    colours = FillColours(None, None)
    ours = colours.hex_of(xlsx_fast._pattern_fill(fill))
    assert ("value", ours) == _openpyxl_fill_colour(fill, colours)
    if expected is not None:
        assert ours == expected


# -- Core properties ---------------------------------------------------------------------------

_CORE_NAMESPACES = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
}
_DATES = ["2009-04-06T16:30:00Z", "2009-04-06T16:30:00.123Z", "2009-04-06T16:30Z", "2009-04-06",
          "2009-13-06T16:30:00Z", "2009-04-06T16:30:00+01:00", "", " ", "16:30", "x"]


@st.composite
def _core_xml(draw: st.DrawFn) -> bytes:
    parts = []
    for name in draw(st.lists(st.sampled_from(
            ["dc:title", "dc:creator", "cp:lastModifiedBy", "dcterms:modified", "dcterms:created",
             "cp:lastPrinted", "cp:keywords", "dc:subject", "cp:unknown", "cp:title"]), max_size=6)):
        if name in ("dcterms:modified", "dcterms:created", "cp:lastPrinted"):
            text = draw(st.sampled_from(_DATES))
            extra = ' xsi:type="dcterms:W3CDTF"'
        else:
            text = draw(st.sampled_from(["", "Economic Development", " a b ", "Ü"]))
            extra = ""
        parts.append(f"<{name}{extra}>{text}</{name}>" if text else f"<{name}{extra}/>")
    namespaces = " ".join(f'xmlns:{k}="{v}"' for k, v in _CORE_NAMESPACES.items())
    return (f'<cp:coreProperties {namespaces} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            + "".join(parts) + "</cp:coreProperties>").encode()


def _core(xml: bytes) -> tuple[str, Any]:
    return outcome(lambda: _core_fields(xlsx_fast._core_properties(_package(xml))))


def _core_fields(core: object) -> tuple[object, ...]:
    return tuple(getattr(core, name) for name in ("title", "creator", "lastModifiedBy", "modified"))


def _package(core_xml: bytes) -> zipfile.ZipFile:
    import io

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zf:
        zf.writestr("docProps/core.xml", core_xml)
    return zipfile.ZipFile(data)


@given(xml=_core_xml())
@settings(max_examples=1000, deadline=None)
def test_core_properties_are_openpyxl_s_or_left_to_openpyxl(xml: bytes) -> None:
    ours = _core(xml)
    if ours[0] == "raised":
        with pytest.raises(Unsupported):
            xlsx_fast._core_properties(_package(xml))
        return
    theirs = outcome(DocumentProperties.from_tree, etree.fromstring(xml))
    assert theirs[0] == "value"
    present = {etree.QName(e).localname for e in etree.fromstring(xml) if e.text}
    # openpyxl fills in "openpyxl" and now for a missing creator and modified; the reader reports
    # only what the file holds.
    expected = tuple(value if name in present else None for name, value in
                     zip(("title", "creator", "lastModifiedBy", "modified"), _core_fields(theirs[1]),
                         strict=True))
    assert tuple(v if name in present else None for name, v in
                 zip(("title", "creator", "lastModifiedBy", "modified"), ours[1], strict=True)) == expected


def test_the_shipped_return_s_core_properties_are_read_without_openpyxl() -> None:
    (path,) = (REPO / "inbox").glob("*.xlsx")
    with zipfile.ZipFile(path) as zf:
        ours = xlsx_fast._core_properties(zf)
        theirs = DocumentProperties.from_tree(etree.fromstring(zf.read("docProps/core.xml")))
    assert _core_fields(ours) == _core_fields(theirs)
    assert ours.modified == dt.datetime(2009, 4, 6, 16, 30)


# -- openpyxl stays unloaded -------------------------------------------------------------------


def test_reading_the_shipped_excel_return_does_not_load_openpyxl() -> None:
    """The fast reader needs none of openpyxl for a return as Excel writes it (openpyxl's import
    is about 0.1 s of every run's start); a workbook it leaves to openpyxl still loads it."""
    script = (
        "import sys; from pathlib import Path\n"
        "from pipeline.readers.xlsx import read_xlsx\n"
        "(path,) = Path('inbox').glob('*.xlsx')\n"
        "document = read_xlsx(path, path.name)\n"
        "assert document.blocks, 'nothing read'\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'openpyxl'))\n"
        "read_xlsx(path, path.name, fast=False)\n"
        "print('openpyxl' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines() == ["[]", "True"]
