"""A sheet of plain rows and cells, read from its part's text (`xlsx_plain.plain_sheet`,
`xlsx_fast._plain_sheet_cells`), gives exactly what reading its parsed tree gives
(`_parsed_sheet_cells`): the same cells in the same order, the same hidden rows, or the same
refusal, by the fast reader or by the parser; any other sheet is read from its tree."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.issues import FileRejected
from pipeline.readers import xlsx_fast, xlsx_plain
from pipeline.readers.xlsx_fast import (
    WINDOWS_EPOCH,
    Unsupported,
    _CellFormat,
    _sheet,
    _Styles,
)
from pipeline.readers.xlsx_plain import plain_sheet
from pipeline.xmlsafe import parse_part

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ROOT = (f'<worksheet xmlns="{_MAIN}" xmlns:r="http://schemas.openxmlformats.org/'
         'officeDocument/2006/relationships" xmlns:x14ac="http://schemas.microsoft.com/office/'
         'spreadsheetml/2009/9/ac"><dimension ref="A1:E9"/><sheetViews><sheetView '
         'workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
_END = ('<mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells><pageMargins left="0.7" '
        'right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
_STRINGS = ["Tasks", "Target", " ", "Red & amber"]
_STYLES = _Styles([
    _CellFormat("General", None, False, False),
    _CellFormat("0.00", "FFC000", False, False),
    _CellFormat("yyyy-mm-dd", None, True, False),
    _CellFormat("[h]:mm", "00B050", True, True),
])


def _part(body: str, *, start: str = _DECLARATION + _ROOT, end: str = _END) -> bytes:
    return f"{start}<sheetData>{body}</sheetData>{end}".encode()


_PART = "xl/worksheets/sheet1.xml"


def _read(data: bytes, *, plain: bool) -> object:
    """The sheet as `_sheet` reads it from its tree (or from its text when it can, as the
    package scan does, when `plain`), or 'Unsupported', or the parser's refusal."""
    try:
        found = plain_sheet(data, _PART) if plain else None
        root = found.root if found is not None else parse_part(data, _PART)
    except FileRejected as exc:
        return f"rejected: {exc.fields}"
    try:
        sheet = _sheet(root, "Sheet", "visible", _STRINGS, _STYLES, WINDOWS_EPOCH, found)
    except Unsupported:
        return "Unsupported"
    return list(sheet.cells.items()), sheet.merges, sorted(sheet.hidden_rows)


def _read_as_text(data: bytes) -> bool:
    """Whether the sheet's cells are read from its text, not its tree."""
    return plain_sheet(data, _PART) is not None


_EXCEL_ROWS = (
    '<row r="1" spans="1:5" x14ac:dyDescent="0.25"><c r="A1" s="1" t="s"><v>0</v></c>'
    '<c r="B1" s="1"/></row>'
    '<row r="3" spans="1:5" ht="30" customHeight="1"><c r="A3" t="s"><v>1</v></c>'
    '<c r="B3" s="2"><v>39814.5</v></c><c r="C3" s="3"><v>1.25</v></c><c r="D3"><v>42</v></c>'
    '<c r="E3" t="b"><v>1</v></c></row>'
    '<row r="4" hidden="1"><c r="A4" t="e"><v>#N/A</v></c><c r="B4" t="str"><v>a "b" > c</v>'
    '</c><c r="C4" t="s"><v>3</v></c><c r="D4" t="s"><v></v></c><c r="E4" t="inlineStr"/></row>'
    '<row><c r="A5" t="s"><v>2</v></c></row><row r="7"></row>'
)

#: Sheets read from their text: what their trees give is checked, not written out here.
PLAIN = [
    pytest.param(_part(_EXCEL_ROWS), id="excel-rows"),
    pytest.param(_part(""), id="no-rows"),
    pytest.param(_part(_EXCEL_ROWS, start=_ROOT), id="no-declaration"),
    pytest.param(_part(_EXCEL_ROWS, end='<rowBreaks count="1"><brk id="4" max="16383" '
                                        'man="1"/></rowBreaks></worksheet>'), id="row-breaks"),
    pytest.param(_part('<row r="1">text between <c r="A1" t="s"><v>0</v></c> cells</row>'),
                 id="text-between-cells"),
    pytest.param(_part('<row r="1"><c r="A1" t="s"><v>9</v></c></row>'),
                 id="missing-shared-string"),
    pytest.param(_part('<row r="1"><c r="A1" t="s"><v>x</v></c></row>'),
                 id="shared-string-not-a-number"),
    pytest.param(_part('<row r="1"><c r="A1" t="s"><v> 1 </v></c></row>'),
                 id="shared-string-with-spaces"),
    pytest.param(_part('<row r="1"><c r="A1" s="9"/></row>'), id="missing-format"),
    pytest.param(_part('<row r="1"><c r="A1" s="01"/></row>'), id="format-written-long"),
    pytest.param(_part('<row r="1"><c r="A1"><v>1x</v></c></row>'), id="not-a-number"),
    pytest.param(_part('<row r="1"><c r="A1" t="q"><v>1</v></c></row>'), id="unknown-type"),
    pytest.param(_part('<row r="1.5"><c r="A1"><v>1</v></c></row>'), id="decimal-row"),
    pytest.param(_part('<row r="2" foo="1"><c r="A2"><v>1</v></c></row>'),
                 id="unknown-row-attribute"),
    pytest.param(_part('<row r="2"><c r="A2"><v>1</v></c><c r="A2" t="s"><v>0</v></c></row>'),
                 id="repeated-cell"),
    pytest.param(_part('<row r="1" x14ac:dyDescent="0.25" hidden="1" xml:space="preserve">'
                       '<c r="A1"><v>1</v></c></row>'), id="prefixed-row-attributes"),
    pytest.param(_part('<row r="1.0" x14ac:dyDescent="0.25"><c r="A1"><v>1</v></c></row>'),
                 id="decimal-row-with-prefixed-attribute"),
]

#: Sheets read from their trees (or refused by the parser): the text is not read.
TREE = [
    pytest.param(_part('<row r="1"><c t="s" r="A1"><v>0</v></c></row>'), id="attribute-order"),
    pytest.param(_part('<row r="1"><c r="A1" t="s" cm="1"><v>0</v></c></row>'),
                 id="other-cell-attribute"),
    pytest.param(_part('<row r="1"><c s="1" t="s"><v>0</v></c></row>'), id="no-reference"),
    pytest.param(_part('<row r="1"><c r="A1" t="s"><!-- <v>1</v> --><v>0</v></c></row>'),
                 id="comment-in-cell"),
    pytest.param(_part('<!-- <row r="5"><c r="Z9" t="s"><v>1</v></c></row> -->'
                       '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), id="comment-rows"),
    pytest.param(_part('<row r="1"><c r="A1" t="str"><v><![CDATA[a<b]]></v></c></row>'),
                 id="cdata"),
    pytest.param(_part('<row r="1"><c r="A1" t="str"><v>a &amp; b</v></c></row>'),
                 id="entity"),
    pytest.param(_part('<row r="1"><c r="A1" t="str"><v>a\r\nb</v></c></row>'),
                 id="carriage-return"),
    pytest.param(_part('<row r="1"><c r="A1" t="str"><v>café</v></c></row>'), id="not-ascii"),
    pytest.param(_part('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'),
                 id="inline-string"),
    pytest.param(_part('<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>'), id="formula"),
    pytest.param(_part('<row r="1"/><row r="2"><c r="A2"><v>1</v></c></row>'),
                 id="empty-row-element"),
    pytest.param(_part('\n<row r="1">\n<c r="A1" t="s"><v>0</v></c>\n</row>\n'),
                 id="whitespace-between-rows"),
    pytest.param(_part('<row r="1" ><c r="A1"><v>1</v></c></row>'), id="space-in-tag"),
    pytest.param(_part("<row r='1'><c r=\"A1\"><v>1</v></c></row>"), id="single-quotes"),
    pytest.param(_part('<row r="1" xmlns:y="urn:y"><c r="A1"><v>1</v></c></row>'),
                 id="namespace-on-row"),
    pytest.param(_part('<row r="1" xmlns="urn:other"><c r="A1"><v>1</v></c></row>'),
                 id="default-namespace-on-row"),
    pytest.param(_part('<row r="1.0" xmlns:y="urn:y"><c r="A1"><v>1</v></c></row>'),
                 id="decimal-row-declaring-a-namespace"),
    pytest.param(_part('<row r="1" zz:foo="1"><c r="A1"><v>1</v></c></row>'),
                 id="unbound-prefix"),
    pytest.param(_part('<c r="A1" t="s"><v>0</v></c><row r="1"><c r="B1"><v>1</v></c></row>'),
                 id="cell-outside-rows"),
    pytest.param(_part('<row r="1"><row r="2"><c r="A2"><v>1</v></c></row></row>'),
                 id="row-in-row"),
    pytest.param(_part('<row r="1"><c r="A1"><v>1</v></c></row>', end=(
        f'<extLst><ext uri="x"><row xmlns="{_MAIN}" r="9"><c r="A9"><v>9</v></c></row></ext>'
        "</extLst></worksheet>")), id="row-outside-sheet-data"),
    pytest.param(_part('<row r="1"><c r="A1"><v>1</v></c></row>', start=_DECLARATION + (
        f'<x:worksheet xmlns:x="{_MAIN}">'), end="</x:worksheet>").replace(
            b"<sheetData>", b"<x:sheetData>").replace(b"</sheetData>", b"</x:sheetData>"),
                 id="prefixed"),
    pytest.param(_part('<row r="1"><c r="A1"><v>1</v></c></row>', start=_DECLARATION + _ROOT + (
        '<other xmlns="urn:other">'), end="</other>" + _END), id="other-namespace"),
    pytest.param(_part('<row r="1"><c r="A1"><v>1</v></c></row>',
                       start=_DECLARATION + "<?pi x?>" + _ROOT), id="processing-instruction"),
    pytest.param(_part('<row r="1"><c r="A1"><v>1</v></c></row>', start=(
        '<?xml version="1.0" encoding="ISO-8859-1"?>' + _ROOT)), id="other-encoding"),
    pytest.param(b"\xef\xbb\xbf" + _part('<row r="1"><c r="A1"><v>1</v></c></row>'), id="bom"),
    pytest.param(_part('<row r="1" s="1" x14ac:s="2"><c r="A1"><v>1</v></c></row>'),
                 id="one-name-two-prefixes"),
    pytest.param(_part('<row r="1"><c r="A1"><v>1</v></c>&amp;</row>'), id="entity-after-cell"),
]

#: Sheets whose text between <sheetData> and </sheetData> the parser refuses, or reads otherwise
#: than as plain rows and cells, however plain the rest of it looks: each is parsed whole, and
#: refused (or read) exactly as before.
_X = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"
NOT_WELL_FORMED = [
    pytest.param(_part('<row r="1"><c r="A1" t="str"><v>a\x01b</v></c></row>'),
                 id="control-character"),
    pytest.param(_part('<row r="1" ht="1\x0b"><c r="A1"><v>1</v></c></row>'),
                 id="control-character-in-a-value"),
    pytest.param(_part('<row r="1">\x1f<c r="A1"><v>1</v></c></row>'),
                 id="control-character-between-cells"),
    pytest.param(_part('<row r="1"><c r="A1" t="str"><v>a]]>b</v></c></row>'), id="cdata-end"),
    pytest.param(_part('<row r="1">]]><c r="A1"><v>1</v></c></row>'),
                 id="cdata-end-between-cells"),
    pytest.param(_part('<row r="1">a & b<c r="A1"><v>1</v></c></row>'), id="bare-ampersand"),
    pytest.param(_part('<row r="1"><c r="A1"><v>1</v></c>&nbsp;</row>'), id="undefined-entity"),
    pytest.param(_part('<row r="1" r="2"><c r="A1"><v>1</v></c></row>'), id="repeated-attribute"),
    pytest.param(_part('<row r="1" x14ac:a="1" y:a="2"><c r="A1"><v>1</v></c></row>',
                       start=_DECLARATION + _ROOT.replace(">", f' xmlns:y="{_X}">', 1)),
                 id="repeated-namespaced-attribute"),
    pytest.param(_part('<row r="1" zz:foo="1"><c r="A1"><v>1</v></c></row>'),
                 id="unbound-prefix"),
    pytest.param(_part('<row r="1"</row>'), id="unclosed-row-start"),
    pytest.param(_part('<row r="1"><c r="A1"><v>1</v></c></row>').replace(b"</worksheet>",
                                                                       b"</worksheet"),
                 id="damaged-after-rows"),
    pytest.param(_part('<row r="1"><c r="A1"><v>1</v></c></row>').replace(b"<dimension",
                                                                       b"<dimension <"),
                 id="damaged-before-rows"),
    pytest.param(_part('<row r="1"><c r="A1" t="str"><v>cafX</v></c></row>').replace(
        b"cafX", b"caf\xe9"), id="not-utf-8"),
    pytest.param(_part(f'<row r="1" {"a" * 60_000}="1"><c r="A1"><v>1</v></c></row>'),
                 id="name-too-long"),
]


@pytest.mark.parametrize("data", PLAIN)
def test_a_plain_sheet_is_read_from_its_text_as_from_its_tree(data: bytes) -> None:
    assert _read(data, plain=True) == _read(data, plain=False)
    assert _read_as_text(data)


@pytest.mark.parametrize("data", TREE)
def test_any_other_sheet_is_read_from_its_tree(data: bytes) -> None:
    assert _read(data, plain=True) == _read(data, plain=False)
    assert not _read_as_text(data)


@pytest.mark.parametrize("data", NOT_WELL_FORMED)
def test_a_sheet_the_parser_refuses_is_refused_alike(data: bytes) -> None:
    assert not _read_as_text(data)
    assert str(_read(data, plain=False)).startswith("rejected: ")
    assert _read(data, plain=True) == _read(data, plain=False)


def test_a_plain_row_read_again_is_the_same() -> None:
    """Cells and row starts are remembered by their text: read again, from memory, alike."""
    data = _part(_EXCEL_ROWS)
    first = _read(data, plain=True)
    assert xlsx_plain._PLAIN_CELLS and xlsx_plain._PLAIN_ROW_STARTS
    assert _read(data, plain=True) == first == _read(data, plain=False)


@pytest.mark.parametrize("plain", [True, False])
def test_a_sheets_start_and_end_are_judged_alike_when_met_again(plain: bool) -> None:
    """What surrounds <sheetData> is judged once (`_PLAIN_ENDS`): met again, alike."""
    data = _part(_EXCEL_ROWS, start=_DECLARATION + _ROOT + ("" if plain else "<!-- x -->"))
    xlsx_plain._PLAIN_ENDS.clear()
    first = (_read(data, plain=True), _read_as_text(data))
    assert list(xlsx_plain._PLAIN_ENDS.values()) == [plain]
    assert (_read(data, plain=True), _read_as_text(data)) == first
    assert first == (_read(data, plain=False), plain)


def test_a_long_cell_or_row_start_is_read_but_not_remembered() -> None:
    long_text, long_height = "x" * 200, "1" * 200
    data = _part(f'<row r="1" ht="{long_height}"><c r="A1" t="str"><v>{long_text}</v></c></row>')
    assert _read_as_text(data)
    assert _read(data, plain=True) == _read(data, plain=False)
    assert not any(long_text in key for key in xlsx_plain._PLAIN_CELLS)
    assert not any(long_height in key for key in xlsx_plain._PLAIN_ROW_STARTS)


_FRAGMENTS = [
    '<c r="A{r}" t="s"><v>0</v></c>', '<c r="B{r}" s="1"/>', '<c r="C{r}" s="2"><v>40000</v></c>',
    '<c r="D{r}" t="s"><v>3</v></c>', '<c r="E{r}"><v>-1.5E3</v></c>', '<c r="F{r}" t="b"><v>0</v></c>',
    '<c r="A{r}" t="str"><v>a&amp;b</v></c>', '<c t="s" r="B{r}"><v>1</v></c>', " ", "x",
    '<!-- <c r="Z{r}" s="7"/> -->', '<c r="G{r}" t="s"><v>7</v></c>', '<c r="H{r}" s="8"/>',
    '<c r="I{r}" t="inlineStr"/>', '<c r="J{r}" t="inlineStr"><is><t>y</t></is></c>',
    "&", "\x01", "]]>", '<c r="K{r}" t="str"><v>a\x1fb</v></c>',
]
_ROW_STARTS = ['<row r="{r}">', '<row r="{r}" spans="1:9" x14ac:dyDescent="0.25">', "<row>",
               '<row r="{r}" hidden="1">', '<row r="{r}" s="1" customFormat="1">', '<row r="{r}" ht="x">',
               '<row r="{r}" s="9">', '<row r="{r}" r="{r}">', '<row r="{r}" zz:a="1">']


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_ROW_STARTS),
                          st.lists(st.sampled_from(_FRAGMENTS), max_size=6),
                          st.sampled_from(["", "", " ", '<c r="K1"/>', "<!-- -->"])),
                max_size=6))
def test_any_sheet_is_read_from_its_text_as_from_its_tree(
        rows: list[tuple[str, list[str], str]]) -> None:
    body = "".join(outside + start.format(r=number) + "".join(
        fragment.format(r=number) for fragment in cells) + "</row>"
        for number, (start, cells, outside) in enumerate(rows, start=1))
    data = _part(body)
    assert _read(data, plain=True) == _read(data, plain=False)


def test_a_date_cell_is_read_alike() -> None:
    data = _part('<row r="1"><c r="A1" s="2"><v>1</v></c><c r="B1" s="3"><v>1.5</v></c></row>')
    cells = _read(data, plain=True)
    assert isinstance(cells, tuple)
    assert cells[0][0] == ((1, 1), (dt.datetime(1900, 1, 1), "yyyy-mm-dd", None))
    assert cells == _read(data, plain=False)


_MERGES_AND_LINKS = [
    pytest.param(_END, id="one-range"),
    pytest.param('<mergeCells count="3"><mergeCell ref="A1:C1"/><mergeCell ref="B3:C4"/>'
                 '<mergeCell ref="E7:E9"/></mergeCells></worksheet>', id="ranges-first-cells-absent"),
    pytest.param('<mergeCells><mergeCell ref="A1:C1"/></mergeCells><mergeCells><mergeCell '
                 'ref="B3:D3"/></mergeCells></worksheet>', id="last-mergeCells-read"),
    pytest.param('<mergeCells count="2"><mergeCell ref="A1:C2"/><mergeCell ref="B2:D3"/>'
                 '</mergeCells></worksheet>', id="overlapping"),
    pytest.param('<mergeCells count="1"><mergeCell ref="A:C"/></mergeCells></worksheet>',
                 id="whole-columns"),
    pytest.param('<hyperlinks><hyperlink ref="A1" display="x"/></hyperlinks></worksheet>',
                 id="hyperlinks"),
    pytest.param('<x:mergeCells xmlns:x="urn:other"><x:mergeCell ref="A1:C1"/></x:mergeCells>'
                 '</worksheet>', id="other-namespace"),
]


@pytest.mark.parametrize("end", _MERGES_AND_LINKS)
def test_what_surrounds_sheet_data_is_read_from_the_tree_once_and_alike(end: str) -> None:
    """A plain sheet's merged ranges' cells and its hyperlinks are worked out once for the bytes
    around its <sheetData> (`xlsx_plain._AROUND`, `_PLAIN_MERGES`): met again, alike, and as its
    tree gives them, cells in the same order; a refusal is never kept."""
    data = _part(_EXCEL_ROWS, end=end)
    for cache in (xlsx_plain._PLAIN_ENDS, xlsx_plain._AROUND, xlsx_plain._PARSED,
                  xlsx_fast._PLAIN_MERGES):
        cache.clear()
    first = _read(data, plain=True)
    again = _read(data, plain=True)
    assert first == again == _read(data, plain=False)
    assert _read_as_text(data)
    assert len(xlsx_fast._PLAIN_MERGES) == (first != "Unsupported")
    assert _read(_part(_EXCEL_ROWS.replace("1.25", "2.5"), end=end), plain=True) == (
        _read(_part(_EXCEL_ROWS.replace("1.25", "2.5"), end=end), plain=False))


def test_kept_merges_are_forgotten_with_the_ends_they_belong_to(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_plain, "_PLAIN_ENDS_KEPT", 2)
    for cache in (xlsx_plain._PLAIN_ENDS, xlsx_plain._AROUND, xlsx_plain._PARSED,
                  xlsx_fast._PLAIN_MERGES):
        cache.clear()
    for width in "BCDEF":
        end = f'<mergeCells count="1"><mergeCell ref="A1:{width}1"/></mergeCells></worksheet>'
        data = _part(_EXCEL_ROWS, end=end)
        assert _read(data, plain=True) == _read(data, plain=False)
        assert set(xlsx_fast._PLAIN_MERGES) <= set(xlsx_plain._PLAIN_ENDS)
        assert set(xlsx_plain._AROUND) <= set(xlsx_plain._PLAIN_ENDS)
        assert set(xlsx_plain._PARSED) <= set(xlsx_plain._PLAIN_ENDS)
        assert len(xlsx_plain._PLAIN_ENDS) <= 2


def test_a_plain_sheets_inks_are_read_from_its_rows_as_from_its_tree() -> None:
    """The looks of a plain sheet's cells (`sheet_looks` given its rows and the tree without
    them) are those of the whole tree's cells: formats with an ink, rich shared strings."""
    from pipeline.readers.xlsx_looks import Look, WorkbookLooks, sheet_looks

    data = _part(_EXCEL_ROWS + '<row r="8"><c r="A8" s="3" t="s"><v>1</v></c>'
                 '<c r="B8" t="s"><v> 3</v></c><c r="C8" t="s"><v>3</v></c></row>')
    workbook = WorkbookLooks([None, Look("FF0000"), None, Look(None, "Wingdings")], [], rich={
        3: (("a", "00FF00", ""), ("b", None, "Webdings")), 1: (("T", "0000FF", ""),)})
    found = plain_sheet(data, _PART)
    assert found is not None
    plain = sheet_looks(found.root, workbook, found)
    whole = sheet_looks(parse_part(data, _PART), workbook)
    assert plain.inks and list(plain.inks.items()) == list(whole.inks.items())


def test_a_plain_sheets_columns_and_rules_are_read_once_and_alike() -> None:
    """The hidden columns and conditional formats of plain sheets that start and end alike are
    worked out once for their differential formats (`xlsx_looks._TREE_LOOKS`): met again, or
    with other formats, they are what the whole tree gives."""
    from pipeline.readers.xlsx_looks import WorkbookLooks, sheet_looks

    start = _DECLARATION + _ROOT + '<cols><col min="2" max="3" width="9" hidden="1"/></cols>'
    end = ('<conditionalFormatting sqref="A1:E9"><cfRule type="cellIs" dxfId="1" priority="2" '
           'operator="equal"><formula>"Red"</formula></cfRule><cfRule type="containsText" '
           'dxfId="0" priority="1" text="amber"/></conditionalFormatting>' + _END)
    data = _part(_EXCEL_ROWS, start=start, end=end)

    def seen(looks: object) -> object:
        return (sorted(looks.hidden_columns),  # type: ignore[attr-defined]
                [(rule.areas, rule.fill, rule.colour, rule.priority, rule.unread)
                 for rule in looks.rules],  # type: ignore[attr-defined]
                [looks.conditional(1, 1, value)  # type: ignore[attr-defined]
                 for value in ("Red", "Amber", "x", None)])

    for dxfs in ([("FF0000", None), (None, "00FF00")], [(None, None), ("0000FF", None)],
                 [("FF0000", None), (None, "00FF00")]):
        workbook = WorkbookLooks([], dxfs)
        found = plain_sheet(data, _PART)
        assert found is not None
        whole = seen(sheet_looks(parse_part(data, _PART), workbook))
        assert seen(sheet_looks(found.root, workbook, found)) == whole
        assert seen(sheet_looks(found.root, workbook, found)) == whole
        assert whole[0] == [2, 3]


def test_what_the_scan_reads_around_sheet_data_is_read_once_and_alike(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The package scan's formulas without a value, merged and linked cells of a plain sheet's
    tree without its rows (`xlsx_package._kept_tree_scan`) are those of its whole tree, worked
    out once for the bytes around its <sheetData> and forgotten with them."""
    from pipeline.readers import xlsx_package

    end = ('<mergeCells count="1"><mergeCell ref="A1:C2"/></mergeCells><hyperlinks>'
           '<hyperlink ref="B2:B4" display="x"/></hyperlinks><extLst><ext uri="{x}" xmlns:xm='
           '"http://schemas.microsoft.com/office/excel/2006/main"><xm:f>Lists!$A$1</xm:f>'
           '</ext></extLst></worksheet>')
    data = _part(_EXCEL_ROWS, end=end)
    for cache in (xlsx_plain._PLAIN_ENDS, xlsx_plain._AROUND, xlsx_plain._PARSED,
                  xlsx_package._TREE_SCANS):
        cache.clear()
    whole = xlsx_package._tree_scan(parse_part(data, _PART))
    found = plain_sheet(data, _PART)
    assert found is not None
    first = xlsx_package._kept_tree_scan(found)
    assert first is xlsx_package._kept_tree_scan(found)
    assert first == whole and whole[1:] == (6, 3) and whole[0]
    assert set(xlsx_package._TREE_SCANS) == set(xlsx_plain._PLAIN_ENDS) == {found.around.ends}
    monkeypatch.setattr(xlsx_plain, "_PLAIN_ENDS_KEPT", 1)
    other = plain_sheet(_part(_EXCEL_ROWS), _PART)  # other ends: the kept ones forgotten
    assert other is not None and not xlsx_package._TREE_SCANS
    assert xlsx_package._kept_tree_scan(other) == xlsx_package._tree_scan(
        parse_part(_part(_EXCEL_ROWS), _PART))
    assert set(xlsx_package._TREE_SCANS) == {other.around.ends}


@pytest.mark.parametrize("raw", [
    b"", b"]", b"]]", b"]] >", b"a]]>", b"]]>", b"]" * 9 + b"]]>", b"] " * 9 + b"]]", b"x]>]]]>",
    b"]" * 20, b"]>" * 20 + b"]]>"])
def test_bytes_are_held_as_in_finds_them(raw: bytes) -> None:
    # xlsx_plain.holds looks for "]]>" (and U+FFFE's first bytes) only where its first byte is.
    assert xlsx_plain.holds(raw, b"]]>") == (b"]]>" in raw)
    assert xlsx_plain.holds(raw + b"\xef\xbf", b"\xef\xbf")
    assert not xlsx_plain.holds(raw.replace(b"]", b"\xef"), b"\xef\xbf")
