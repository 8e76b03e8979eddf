"""The fast path for plain Word tables (``docx_plain``): a table read in one pass reads exactly as
the full walk reads it, and anything the pass does not handle sends the table to the full walk."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx_factory import abstract_num, build_docx, fragment, num, p, r, sdt, tbl, tc, tr

from pipeline.document import Cell, Row, Table
from pipeline.limits import MAX_CELL_CHARS, MAX_COLUMNS
from pipeline.readers.docx import read_docx
from pipeline.readers.docx_plain import PlainRow, scan_plain, scan_plain_tables

#: Between two cells, a bookmark is harmless, but the one pass leaves such a table to the full walk.
BOOKMARK = '<w:bookmarkStart w:id="7" w:name="here"/>'
LISTS = abstract_num(80, [("lowerLetter", "%1)"), ("lowerRoman", "%2.")]) + num(80, 80)
OTHER_NAMESPACE = ('<x:r xmlns:x="urn:example"><x:t>other</x:t><x:p><x:t>p</x:t></x:p>'
                   "<x:tab/><x:br/><x:color/><x:sym/><x:shd/><x:tbl/><x:tr/><x:tc/></x:r>")
RED_DOT = r("n", props='<w:rFonts w:ascii="Webdings" w:hAnsi="Webdings"/><w:color w:val="FF0000"/>')

CASES = [
    ("merged-and-shaded",
     [tr(tc("wide", span=2, fill="FFC000"), tc("top", vmerge="restart")),
      tr(tc("a", tcpr='<w:hMerge w:val="restart"/>'), tc(tcpr="<w:hMerge/>"), tc(vmerge="continue"))],
     3),
    ("blank-spanning-cell-shaded-by-its-paragraph",
     [tr(tc(p(ppr='<w:shd w:val="clear" w:color="auto" w:fill="FF0000"/>'), span=2), "x")], 3),
    ("list-labels", [tr(tc(p("Map", num=(80, 0)), p("Train", num=(80, 1))), tc(p("Act", num=(80, 0))))],
     2),
    ("symbols-and-colours",
     [tr(tc(p(RED_DOT)), tc(p('<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>')),
         tc(p(r("AMBER", props='<w:color w:val="FFC000"/>'))))], 3),
    ("breaks-tabs-and-hyphens",
     [tr(tc(p(r("a", xml="<w:tab/>"), r("b", xml='<w:br w:type="page"/>'), r("c", xml="<w:br/>"),
              r("soft\xadly", xml="<w:noBreakHyphen/>"))))], 1),
    ("grid-padding-and-hidden-rows",
     [tr("b", before=1, after=1), tr("gone", trpr="<w:hidden/>"),
      tr("squeezed", trpr='<w:trHeight w:val="10" w:hRule="exact"/>'), tr("1", "2", "3")], 3),
    ("blank-and-highlighted",
     [tr(tc(p(r("  ", props='<w:highlight w:val="yellow"/>'))), tc(), tc(p("  ")))], 3),
    ("one-line-blank-long-or-at-the-limit",
     [tr(tc(p("\u00a0")), tc(p("x" * MAX_CELL_CHARS)), tc(p("y" * (MAX_CELL_CHARS + 1))),
         tc(p(" z ")))], 4),
    ("one-paragraph-of-runs-empty-or-several",
     [tr(tc(p(r("a"), r("b "), r("c"))), tc(p()), tc(p("x"), p("")), tc(p(""), p("y")))], 4),
    # Rows with no properties take a shorter way in the one pass (no `_row` call): padded to
    # the grid, their blank cells (spaces in several runs, blank paragraphs) trimmed away.
    ("rows-without-properties-padded-and-blank",
     [tr(tc(p(r(" "), r("\u2003"))), tc(p(""), p(" ")), tc(p(r("a"), r(" "))), "plain"), tr("x"),
      tr()], 4),
    ("wider-than-the-column-limit", [tr(*[str(n) for n in range(MAX_COLUMNS + 2)])],
     MAX_COLUMNS + 2),
    # The one pass asks lxml for its tags by local name in any namespace: elements of another
    # namespace (or none) with the same names are not ours, in the one pass as in the full walk.
    ("our-names-in-other-namespaces",
     [tr(tc(p(r("a") + OTHER_NAMESPACE + "<t>none</t>" + r("b"))), tc(p(OTHER_NAMESPACE)))], 2),
]


def _plain_rows(body: str) -> list[PlainRow] | None:
    """What the one pass makes of the first table of ``body`` (None: left to the full walk)."""
    elements = fragment(body)
    tables = [e for e in elements if e.tag.endswith("}tbl")]
    return scan_plain_tables(elements[0].getparent(), tables).get(tables[0])


def _read_table(path: Path, body: str, numbering: str) -> Table:
    (table,) = [b for b in read_docx(build_docx(path, body, numbering=numbering), path.name).blocks
                if isinstance(b, Table)]
    return table


@pytest.mark.parametrize(("rows", "grid"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_plain_table_reads_as_the_full_walk_reads_it(tmp_path: Path, rows: list[str],
                                                     grid: int) -> None:
    plain = tbl(*rows, grid=grid)
    walked = tbl(rows[0].replace("</w:tc>", "</w:tc>" + BOOKMARK, 1), *rows[1:], grid=grid)
    assert _plain_rows(plain) is not None
    assert _plain_rows(walked) is None
    one_pass = _read_table(tmp_path / "plain.docx", plain, LISTS)
    full_walk = _read_table(tmp_path / "plain.docx", walked, LISTS)
    assert one_pass == full_walk
    # The one pass sets the fields of most rows and cells itself, not through their __init__:
    # every one of them, the cell's text too (which == leaves out), as the full walk's.
    assert _every_field(one_pass) == _every_field(full_walk)


def _every_field(table: Table) -> list[object]:
    return [([getattr(row, name) for name in Row.__slots__ if name != "cells"],
             [[getattr(cell, name) for name in Cell.__slots__] for cell in row.cells])
            for row in table.rows]


@pytest.mark.parametrize(("rows", "grid"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_one_pass_sees_each_cell_as_scan_plain_sees_it(rows: list[str], grid: int) -> None:
    # The one pass tells its commonest tags (text, paragraph, cell) apart by comparing strings
    # and the rest by a dict lookup; a cell's own scan looks every tag up. Both must find the
    # same paragraphs, the same text in each, and the same list properties.
    plain_rows = _plain_rows(tbl(*rows, grid=grid))
    assert plain_rows is not None
    for row in plain_rows:
        for cell, paragraphs, _shows in row.cells:
            own = scan_plain(cell)
            assert own is not None
            assert paragraphs == own.paragraphs


@pytest.mark.parametrize("body", [
    tbl(tr("a", BOOKMARK + tc("b")), grid=2),
    tbl('<w:customXml w:element="row">' + tr("a") + "</w:customXml>", grid=1),
    tbl(tr('<w:customXml w:element="cell">' + tc("a") + "</w:customXml>"), grid=1),
    tbl(tr(tc('<w:customXml w:element="para">' + p("a") + "</w:customXml>")), grid=1),
    tbl(tr(tc(p("a"), tbl(tr("nested"), grid=1), p())), grid=1),
    tbl(tr(sdt(tc("Amber"))), grid=1),
    tbl(tr(tc(p("a", '<w:ins w:id="1" w:author="A"><w:r><w:t>b</w:t></w:r></w:ins>'))), grid=1),
    tbl(tr(tc(p(r("secret", hidden=True)))), grid=1),
    tbl(tr("a"), grid=1).replace("</w:tbl>", BOOKMARK + "</w:tbl>"),
    tbl(tr("a"), grid=1) + "<w:r><w:t>stray</w:t></w:r>" + p("after"),
    tbl(tr("a"), grid=1) + "<w:r><w:t>stray at the end</w:t></w:r>",
    # A row's properties anywhere but first (the one pass looks for them there only).
    tbl(tr("a", trpr="<w:cantSplit/>").replace(
        "<w:tr>", '<w:tr><w:tblPrEx><w:tblW w:w="0" w:type="auto"/></w:tblPrEx>'), grid=1),
    tbl(tr("a", "b").replace("</w:tc>", "</w:tc><w:trPr><w:cantSplit/></w:trPr>", 1), grid=2),
    tbl(tr("a"), tr("b").replace("</w:tc>", "</w:tc><w:trPr><w:cantSplit/></w:trPr>", 1),
        grid=1),
    # Something in a row besides its properties and cells, before its first cell or after its
    # last (the one pass tells by counting the row's children).
    tbl(tr("a").replace("<w:tr>", "<w:tr>" + BOOKMARK), grid=1),
    tbl(tr("a", trpr="<w:cantSplit/>").replace("</w:tr>", BOOKMARK + "</w:tr>"), grid=1),
], ids=["bookmark-between-cells", "row-in-custom-xml", "cell-in-custom-xml",
        "paragraph-in-custom-xml", "nested-table", "cell-in-content-control", "tracked-insertion",
        "hidden-text", "bookmark-after-the-rows", "run-after-the-table", "run-after-the-last-table",
        "row-properties-after-an-exception", "row-properties-after-a-cell",
        "last-row-properties-after-a-cell", "bookmark-before-the-first-cell",
        "bookmark-after-the-last-cell"])
def test_what_the_one_pass_leaves_to_the_full_walk(body: str) -> None:
    assert _plain_rows(body) is None


def test_columns_a_blank_cell_spans_take_its_paragraph_shading(tmp_path: Path) -> None:
    body = tbl(tr(tc(p(ppr='<w:shd w:val="clear" w:color="auto" w:fill="FF0000"/>'), span=2), "x"),
               grid=3)
    cells = _read_table(tmp_path / "shaded-span.docx", body, "").rows[0].cells
    assert [(c.fill, c.merged_left, c.text) for c in cells] == [
        ("FF0000", False, ""), ("FF0000", True, ""), (None, False, "x")]


@pytest.mark.parametrize("after", [
    p("Changed", '<w:ins w:id="1" w:author="A"><w:r><w:t>!</w:t></w:r></w:ins>'),
    sdt(p("In a control")),
    tbl(tr(tc(p("a", '<w:del w:id="2" w:author="A"><w:r><w:delText>b</w:delText></w:r></w:del>'))),
        grid=1),
    p("A note") + tbl(tr("b"), grid=1),
], ids=["tracked-change-in-the-next-paragraph", "control-around-the-next-paragraph",
        "changed-table-next", "paragraph-and-table-next"])
def test_what_follows_a_plain_table_leaves_it_plain(after: str) -> None:
    rows = _plain_rows(tbl(tr("a", "b"), grid=2) + after)
    assert rows is not None and len(rows) == 1


def test_plain_rows_hold_their_row_its_properties_and_cells() -> None:
    # The one pass makes each PlainRow as a tuple is made (tuple.__new__), not through the named
    # tuple's own __new__: each field must hold what its name says.
    rows = _plain_rows(tbl(tr("a", "b", trpr='<w:cantSplit/>'), tr("c", "d"), grid=2))
    assert rows is not None and len(rows) == 2
    for row in rows:
        assert type(row) is PlainRow
        assert row.tr.tag.endswith("}tr") and [cell[0] for cell in row.cells] == [
            child for child in row.tr if child.tag.endswith("}tc")]
    assert rows[0].tr_pr is not None and rows[0].tr_pr.tag.endswith("}trPr")
    assert rows[0].tr_pr.getparent() is rows[0].tr and rows[1].tr_pr is None


#: Bodies whose paragraphs of text alone hold "found" (or nothing): the one pass takes those, and
#: only those.
BODY_PARAGRAPHS = [
    p("found") + p(r("found "), r("in runs")) + tbl(tr("cell"), grid=1) + p("found after a table")
    + p() + p(""),
    p(r("a", xml="<w:tab/>")) + p("styled", style="Heading1") + p("listed", num=(80, 0))
    + p(r("br", xml="<w:br/>")) + p(RED_DOT) + p(r("coloured", props='<w:color w:val="FF0000"/>')),
    p(r("a"), '<w:hyperlink><w:r><w:t>found in a link</w:t></w:r></w:hyperlink>')
    + p(r("shaded", props='<w:shd w:val="clear" w:fill="FF0000"/>')),
    p("found before a control") + sdt(p("inside")) + p(r("hidden", hidden=True)),
    # Text after the last paragraph, outside it, is none of its text.
    p("last") + "<w:r><w:t>stray</w:t></w:r>",
    p("found" + "\xad" + "soft") + p(r("found") + OTHER_NAMESPACE),
    p('<w:ins w:id="1" w:author="A"><w:r><w:t>inserted</w:t></w:r></w:ins>') + p("found at the end"),
]


@pytest.mark.parametrize("body", BODY_PARAGRAPHS)
def test_the_one_pass_takes_a_body_paragraph_of_text_alone_as_scan_plain_does(body: str) -> None:
    elements = fragment(body)
    texts: dict[object, list[str]] = {}
    scan_plain_tables(elements[0].getparent(), [e for e in elements if e.tag.endswith("}tbl")],
                      texts)
    assert set(texts) == {e for e in elements if e.tag.endswith("}p")
                          and ("found" in "".join(e.itertext()) or not "".join(e.itertext()))}
    for paragraph, parts in texts.items():
        plain = scan_plain(paragraph)
        assert plain is not None and plain.paragraphs == [(parts, None)]
        assert not (plain.properties or plain.has_look or plain.has_shading)
