"""The .docx reader, on real Word files built per case (see docx_factory)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from docx.document import Document
from docx_factory import (
    AUTHOR,
    DATE,
    W_NS,
    abstract_num,
    build_docx,
    delete,
    fragment,
    ins,
    num,
    p,
    quick_docx,
    r,
    sdt,
    tbl,
    tc,
    tr,
    write_parts,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import limits
from pipeline.document import Cell, Paragraph, Place, SourceDocument, Table, TrackedChange
from pipeline.intake.package import checked
from pipeline.issues import FileRejected
from pipeline.readers.docx import _main_document, read_docx
from pipeline.readers.docx_package import Package
from pipeline.readers.docx_paragraphs import read_paragraph
from pipeline.readers.docx_tables import trim_lines
from pipeline.xmlsafe import parse_part

NAME = "stronger-communities.docx"


def read(path: Path) -> SourceDocument:
    """Read a built file the way intake will."""
    return read_docx(path, NAME)


def tables(document: SourceDocument) -> list[Table]:
    """The document's tables, in order."""
    return [b for b in document.blocks if isinstance(b, Table)]


def paragraphs(document: SourceDocument) -> list[Paragraph]:
    """The document's free paragraphs, in order."""
    return [b for b in document.blocks if isinstance(b, Paragraph)]


def only_cell(path: Path) -> Cell:
    """The first cell of a file holding one table."""
    (table,) = tables(read(path))
    return table.rows[0].cells[0]


# -- One cell's text, construct by construct ------------------------------------------------

FLD = '<w:r><w:fldChar w:fldCharType="{}"/></w:r>'
CELL_CASES = [
    ("multi-paragraph-cell", tc("Mapping complete.", p(), "Training yet to be arranged"),
     ["Mapping complete.", "", "Training yet to be arranged"]),
    ("blank-paragraphs-trimmed-at-ends", tc(p(), "Arrange training.", p(" ")),
     ["Arrange training."]),
    ("lines-kept-as-written", tc("  indented ", "trailing space "), ["  indented ", "trailing space "]),
    ("soft-break-and-tab", tc(p(r("Line one", xml="<w:br/>"), "Line two", r(xml="<w:tab/>"), "x")),
     ["Line one", "Line two\tx"]),
    ("carriage-return", tc(p(r("a", xml="<w:cr/>"), "b")), ["a", "b"]),
    ("page-break-is-a-space", tc(p(r("end", xml='<w:br w:type="page"/>'), "start")),
     ["end start"]),
    ("curly-quotes-dashes-nbsp", tc("‘Amber’ – “needs attention” — Sept\u00a008"),
     ["‘Amber’ – “needs attention” — Sept\u00a008"]),
    ("soft-hyphen-dropped", tc(p(r("commun", xml="<w:softHyphen/>"), "ity\u00adwide")),
     ["communitywide"]),
    ("non-breaking-hyphen", tc(p(r("co", xml="<w:noBreakHyphen/>"), "op")), ["co\u2011op"]),
    ("symbol-wingdings-tick", tc(p("Done ", '<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>')),
     ["Done ✓"]),
    ("symbol-unmapped-dropped", tc(p("x", '<w:r><w:sym w:font="Webdings" w:char="F021"/></w:r>')),
     ["x"]),
    ("hidden-text-ignored", tc(p("Visible", r(" secret", hidden=True))), ["Visible"]),
    ("comments-ignored", tc(p('<w:commentRangeStart w:id="0"/>', "Noted", '<w:commentRangeEnd w:id="0"/>',
                              '<w:r><w:commentReference w:id="0"/></w:r>')), ["Noted"]),
    ("hyperlink-smarttag-customxml-unwrapped",
     tc(p('<w:hyperlink w:anchor="top">' + r("See plan") + "</w:hyperlink>",
          '<w:smartTag w:element="place">' + r(" in Gloucester") + "</w:smartTag>",
          '<w:customXml w:element="x">' + r(" today") + "</w:customXml>")),
     ["See plan in Gloucester today"]),
    ("simple-field-result-kept",
     tc(p("Page ", '<w:fldSimple w:instr=" PAGE ">' + r("3") + "</w:fldSimple>")), ["Page 3"]),
    ("field-code-ignored-result-kept",
     tc(p("Updated ", FLD.format("begin"),
          '<w:r><w:instrText xml:space="preserve"> DATE \\@ "d MMM" </w:instrText></w:r>',
          FLD.format("separate"), "4 Sept", FLD.format("end"))), ["Updated 4 Sept"]),
    ("property-change-is-not-a-text-change",
     tc(p(r("Bold now", props='<w:b/><w:rPrChange w:id="5" w:author="A" w:date="2008-09-01T00:00:00Z">'
                           "<w:rPr/></w:rPrChange>"))), ["Bold now"]),
    ("nested-table-rows-as-lines",
     tc("Before", tbl(tr("x", "y"), tr("z", tc()), grid=2), "After"),
     ["Before", "x | y", "z | ", "After"]),
    ("nested-table-merged-cells-once",
     tc(tbl(tr(tc("wide", span=2)), tr(tc("top", vmerge="restart"), "b"),
            tr(tc(vmerge="continue"), "c"), grid=2)), ["wide", "top | b", " | c"]),
]


@pytest.mark.parametrize(("cell_xml", "expected"), [c[1:] for c in CELL_CASES],
                         ids=[c[0] for c in CELL_CASES])
def test_cell_text(tmp_path: Path, cell_xml: str, expected: list[str]) -> None:
    path = build_docx(tmp_path / "cell.docx", tbl(tr(cell_xml), grid=1))
    cell = only_cell(path)
    assert cell.lines == expected
    assert not cell.changes and not cell.from_control


# -- Content controls -------------------------------------------------------------------------

CONTROL_CASES = [
    ("inline-content-control", tc(p("Status: ", sdt(r("Green")))), ["Status: Green"]),
    ("paragraph-wrapped-in-content-control", tc(sdt(p("Wrapped paragraph"))), ["Wrapped paragraph"]),
    ("drop-down-amber-selected", tc(p(sdt(r("Amber"), dropdown=["Green", "Amber", "Red"]))),
     ["Amber"]),
    ("control-showing-placeholder",
     tc(p(sdt(r("Choose an item."), dropdown=["Green", "Amber", "Red"], placeholder=True))), []),
    ("block-control-showing-placeholder", tc(sdt(p("Click here to enter text."), placeholder=True)),
     []),
    ("nested-controls-unwrapped", tc(sdt(sdt(p(sdt(r("deep")))))), ["deep"]),
    ("cell-wrapped-in-content-control", sdt(tc("Amber"), dropdown=["Green", "Amber"]), ["Amber"]),
    ("cell-wrapped-in-control-showing-placeholder", sdt(tc("Choose an item."), placeholder=True), []),
]


@pytest.mark.parametrize(("cell_xml", "expected"), [c[1:] for c in CONTROL_CASES],
                         ids=[c[0] for c in CONTROL_CASES])
def test_content_control_cell(tmp_path: Path, cell_xml: str, expected: list[str]) -> None:
    path = build_docx(tmp_path / "control.docx", tbl(tr(cell_xml), grid=1))
    cell = only_cell(path)
    assert cell.lines == expected
    assert cell.from_control


def test_cell_wrapped_in_content_control_does_not_shift_columns(tmp_path: Path) -> None:
    row = tr("Arrange training.", sdt(tc("AMBER"), tag="status"), "By October 08")
    path = build_docx(tmp_path / "cell-control.docx", tbl(row, grid=3))
    (table,) = tables(read(path))
    cells = table.rows[0].cells
    assert [c.text for c in cells] == ["Arrange training.", "AMBER", "By October 08"]
    assert [c.place.column for c in cells] == [1, 2, 3]
    assert [c.from_control for c in cells] == [False, True, False]


def test_rows_and_table_wrapped_in_content_controls(tmp_path: Path) -> None:
    first = tbl(tr("Tasks", "Status"), sdt(tr("a) Map", "GREEN"), tr("b) Train", "RED")), grid=2)
    second = tbl(tr("Ref:"), grid=1)
    path = build_docx(tmp_path / "row-control.docx", sdt(first) + p("Between") + second)
    document = read(path)
    found = tables(document)
    assert [t.place.table for t in found] == [1, 2]
    assert [row.texts() for row in found[0].rows] == [["Tasks", "Status"], ["a) Map", "GREEN"],
                                                      ["b) Train", "RED"]]
    assert [row.place.row for row in found[0].rows] == [1, 2, 3]
    # Repeating rows and whole-table controls are layout, not a value chosen in a cell.
    assert not any(c.from_control for row in found[0].rows for c in row.cells)
    assert found[1].rows[0].texts() == ["Ref:"]


def test_body_paragraphs_in_content_controls(tmp_path: Path) -> None:
    body = (sdt(p("Contact: Di Robinson")) + sdt(p("Click here to enter a date."), placeholder=True)
            + p("Ref:"))
    found = paragraphs(read(build_docx(tmp_path / "body-controls.docx", body)))
    assert [(x.text, x.place.paragraph) for x in found] == [("Contact: Di Robinson", 1),
                                                            ("Ref:", 3)]


def test_hidden_row_is_left_blank_marked_and_warned(tmp_path: Path) -> None:
    body = tbl(tr("Tasks"), tr("Old task", trpr="<w:hidden/>"), grid=1)
    document = read(build_docx(tmp_path / "hidden-row.docx", body))
    (table,) = tables(document)
    assert [(row.texts(), row.hidden) for row in table.rows] == [(["Tasks"], False),
                                                                 ([""], True)]
    assert [(i.code, i.place.describe()) for i in document.issues] == [
        ("hidden-row", "table 1, row 2")]
    assert "column 1 'Old task'" in document.issues[0].message


# -- Tracked changes -------------------------------------------------------------------------

def test_status_changed_from_green_to_amber(tmp_path: Path) -> None:
    row = tr("a) Ensure partners share an understanding", tc(p(delete("GREEN"), ins("AMBER"))))
    path = build_docx(tmp_path / "tracked-status.docx", tbl(row, grid=2))
    (table,) = tables(read(path))
    status = table.rows[0].cells[1]
    assert status.lines == ["AMBER"]
    assert status.changes == [TrackedChange("delete", "GREEN", AUTHOR, DATE),
                              TrackedChange("insert", "AMBER", AUTHOR, DATE)]


def test_split_insertion_is_one_change_and_paragraph_keeps_its_changes(tmp_path: Path) -> None:
    body = p("Target ", ins("March "), ins("09"), delete(" tba"))
    document = read(build_docx(tmp_path / "paragraph-change.docx", body))
    (paragraph,) = paragraphs(document)
    assert paragraph.lines == ["Target March 09"]
    assert paragraph.changes == [TrackedChange("insert", "March 09", AUTHOR, DATE),
                                 TrackedChange("delete", " tba", AUTHOR, DATE)]


def test_moved_text_kept_once_and_recorded_as_delete_and_insert(tmp_path: Path) -> None:
    moved = (f'<w:moveFrom w:id="3" w:author="{AUTHOR}" w:date="{DATE}">' + r("moved ")
             + "</w:moveFrom>" + r("Text ")
             + f'<w:moveTo w:id="4" w:author="{AUTHOR}" w:date="{DATE}">' + r("moved")
             + "</w:moveTo>")
    cell = only_cell(build_docx(tmp_path / "moved.docx", tbl(tr(tc(p(moved))), grid=1)))
    assert cell.lines == ["Text moved"]
    assert cell.changes == [TrackedChange("delete", "moved ", AUTHOR, DATE),
                            TrackedChange("insert", "moved", AUTHOR, DATE)]


def test_deleted_row_dropped_and_row_numbers_follow_the_file(tmp_path: Path) -> None:
    body = tbl(tr("Tasks"), tr(tc(p(delete("Old task"))), deleted=True), tr("New task"), grid=1)
    (table,) = tables(read(build_docx(tmp_path / "deleted-row.docx", body)))
    assert [row.texts() for row in table.rows] == [["Tasks"], ["New task"]]
    assert [row.place.row for row in table.rows] == [1, 3]


# -- Merged cells and the grid ------------------------------------------------------------------

def _merged_action(document: Document) -> None:
    table = document.add_table(rows=4, cols=3)
    for column, heading in enumerate(["Action", "Tasks", "Status"]):
        table.cell(0, column).text = heading
    table.cell(1, 0).text = "Take action to increase community cohesion"
    table.cell(1, 0).merge(table.cell(3, 0))
    for row, (task, status) in enumerate([("a) Map activity", "AMBER"), ("b) Survey", "AMBER"),
                                          ("c) Build resilience", "GREEN")], start=1):
        table.cell(row, 1).text = task
        table.cell(row, 2).text = status


def test_action_merged_down_three_task_rows(tmp_path: Path) -> None:
    (table,) = tables(read(build_docx(tmp_path / "merged-action.docx", make=_merged_action)))
    assert [len(row.cells) for row in table.rows] == [3, 3, 3, 3]
    actions = [row.cells[0] for row in table.rows[1:]]
    assert actions[0].lines == ["Take action to increase community cohesion"]
    assert not actions[0].merged_above
    assert [(c.merged_above, c.lines) for c in actions[1:]] == [(True, []), (True, [])]
    assert [row.cells[1].text for row in table.rows[1:]] == ["a) Map activity", "b) Survey",
                                                             "c) Build resilience"]
    assert [row.cells[2].place.column for row in table.rows] == [3, 3, 3, 3]


def _merged_heading(document: Document) -> None:
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "Outcome: 2:1 Communities live, work and play in peace and harmony"
    table.cell(0, 0).merge(table.cell(0, 2))
    for column, text in enumerate(["Date", "Green – on track", "1"]):
        table.cell(1, column).text = text


def test_horizontally_merged_cell_appears_once(tmp_path: Path) -> None:
    (table,) = tables(read(build_docx(tmp_path / "merged-heading.docx", make=_merged_heading)))
    first = table.rows[0].cells
    assert first[0].text.startswith("Outcome: 2:1")
    assert [(c.merged_left, c.lines, c.place.column) for c in first[1:]] == [
        (True, [], 2), (True, [], 3)]
    assert table.rows[1].texts() == ["Date", "Green – on track", "1"]


#: A tracked change of a cell's properties: the old ones were green and two columns wide.
TCPR_CHANGE = (f'<w:tcPrChange w:id="4" w:author="{AUTHOR}" w:date="{DATE}"><w:tcPr>'
               '<w:shd w:val="clear" w:color="auto" w:fill="00FF00"/><w:gridSpan w:val="2"/>'
               "</w:tcPr></w:tcPrChange>")

GRID_CASES = [
    ("grid-before-and-after", tbl(tr("b", "c", before=1, after=1), tr("1", "2", "3", "4"), grid=4),
     [["", "b", "c", ""], ["1", "2", "3", "4"]]),
    ("short-row-padded-to-grid", tbl(tr("only"), tr("1", "2", "3"), grid=3),
     [["only", "", ""], ["1", "2", "3"]]),
    ("span-and-vertical-merge-together",
     tbl(tr(tc("wide", span=2, vmerge="restart"), "x"), tr(tc(span=2, vmerge="continue"), "y"),
         grid=3), [["wide", "", "x"], ["", "", "y"]]),
    ("legacy-horizontal-merge",
     tbl(tr(tc("joined", tcpr='<w:hMerge w:val="restart"/>'), tc(tcpr="<w:hMerge/>"), "z"),
         grid=3), [["joined", "", "z"]]),
]


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in GRID_CASES],
                         ids=[c[0] for c in GRID_CASES])
def test_rows_line_up_with_the_grid(tmp_path: Path, body: str, expected: list[list[str]]) -> None:
    (table,) = tables(read(build_docx(tmp_path / "grid.docx", body)))
    assert [row.texts() for row in table.rows] == expected
    for row in table.rows:
        assert [c.place.column for c in row.cells] == list(range(1, len(row.cells) + 1))
        # Rows', padding's and spans' places are made as tuples, without Place's keywords: each
        # must be the Place the keywords make.
        file, number = table.place.file, table.place.table
        assert type(row.place) is Place and row.place == Place(file, table=number, row=row.place.row)
        for column, cell in enumerate(row.cells, start=1):
            assert type(cell.place) is Place
            assert cell.place == Place(file, table=number, row=row.place.row, column=column)


def test_tracked_change_of_cell_properties_keeps_the_cell_as_it_is_now(tmp_path: Path) -> None:
    body = tbl(tr(tc("Green", tcpr=TCPR_CHANGE), "b"), grid=3)
    (table,) = tables(read(build_docx(tmp_path / "changed-span.docx", body)))
    assert table.rows[0].texts() == ["Green", "b", ""]
    assert not table.rows[0].cells[1].merged_left


def test_vertical_merge_continuation_never_repeats_text(tmp_path: Path) -> None:
    body = tbl(tr(tc("top", vmerge="restart")), tr(tc("stale copy", vmerge="continue")), grid=1)
    (table,) = tables(read(build_docx(tmp_path / "vmerge.docx", body)))
    below = table.rows[1].cells[0]
    assert below.merged_above and below.lines == []


# -- Shading ---------------------------------------------------------------------------------

SHADING_CASES = [
    ("amber-FFC000", tc("x", fill="FFC000"), "FFC000"),
    ("red-FF0000", tc("x", fill="FF0000"), "FF0000"),
    ("green-00B050", tc("x", fill="00B050"), "00B050"),
    ("dark-red-C00000", tc("x", fill="C00000"), "C00000"),
    ("light-green-92D050", tc("x", fill="92D050"), "92D050"),
    ("lower-case-hex-upper-cased", tc("x", fill="ffc000"), "FFC000"),
    ("auto-is-no-fill", tc("x", fill="auto"), None),
    ("no-shading", tc("x"), None),
    ("theme-fill-only", tc("x", shd='<w:shd w:val="clear" w:color="auto" w:themeFill="accent2"/>'),
     "C0504D"),
    ("theme-fill-shaded",
     tc("x", shd='<w:shd w:val="clear" w:themeFill="accent1" w:themeFillShade="80"/>'), "28415F"),
    ("solid-pattern-uses-pattern-colour",
     tc("x", shd='<w:shd w:val="solid" w:color="FF0000" w:fill="auto"/>'), "FF0000"),
    ("paragraph-shading-in-empty-cell",
     tc(p(ppr='<w:shd w:val="clear" w:color="auto" w:fill="FFC000"/>')), "FFC000"),
    ("highlight-in-empty-looking-cell", tc(p(r("  ", props='<w:highlight w:val="yellow"/>'))),
     "FFFF00"),
    ("highlight-on-text-is-not-a-cell-colour",
     tc(p(r("AMBER", props='<w:highlight w:val="yellow"/>'))), None),
    ("tracked-shading-change-shows-the-new-colour", tc("x", fill="FF0000", tcpr=TCPR_CHANGE),
     "FF0000"),
    ("tracked-shading-change-in-a-changed-cell",
     tc(p("x", ins("y")), fill="FF0000", tcpr=TCPR_CHANGE), "FF0000"),
]


@pytest.mark.parametrize(("cell_xml", "expected"), [c[1:] for c in SHADING_CASES],
                         ids=[c[0] for c in SHADING_CASES])
def test_cell_fill(tmp_path: Path, cell_xml: str, expected: str | None) -> None:
    assert only_cell(build_docx(tmp_path / "fill.docx", tbl(tr(cell_xml), grid=1))).fill == expected


# -- Automatic numbering ---------------------------------------------------------------------

LETTERS = abstract_num(90, [("lowerLetter", "%1)"), ("lowerRoman", "%2.")]) + num(90, 90)
OUTLINE = abstract_num(91, [("decimal", "%1."), ("decimal", "%1.%2.")]) + num(91, 91)
BULLETS = abstract_num(92, [("bullet", "\uf0b7")]) + num(92, 92)
RESTART = num(93, 90, start_override=1)


def test_task_letters_from_automatic_numbering(tmp_path: Path) -> None:
    rows = [tr(tc(p("Ensure partners share an understanding", num=(90, 0))), "AMBER"),
            tr(tc(p("Ensure new communities have access", num=(90, 0))), "AMBER"),
            tr(tc(p("Build resilience:", num=(90, 0)), p("to violent extremism", num=(90, 1)),
                  p("to extreme events", num=(90, 1))), "GREEN")]
    path = build_docx(tmp_path / "task-letters.docx", tbl(*rows, grid=2), numbering=LETTERS)
    (table,) = tables(read(path))
    assert [row.cells[0].lines for row in table.rows] == [
        ["a) Ensure partners share an understanding"],
        ["b) Ensure new communities have access"],
        ["c) Build resilience:", "i. to violent extremism", "ii. to extreme events"],
    ]


NUMBERING_CASES = [
    ("bullets-add-nothing", [p("first", num=(92, 0)), p("second", num=(92, 0))],
     ["first", "second"]),
    ("deeper-level-restarts",
     [p("one", num=(91, 0)), p("sub", num=(91, 1)), p("sub", num=(91, 1)), p("two", num=(91, 0)),
      p("sub", num=(91, 1))], ["1. one", "1.1. sub", "1.2. sub", "2. two", "2.1. sub"]),
    ("second-instance-continues-the-list",
     [p("a", num=(90, 0)), p("b", num=(90, 0)), p("restarted", num=(93, 0)),
      p("next", num=(93, 0))], ["a) a", "b) b", "a) restarted", "b) next"]),
    ("numbering-switched-off", [p("plain", num=(0, 0))], ["plain"]),
    ("empty-numbered-paragraph-still-counts",
     [p("one", num=(90, 0)), p(num=(90, 0)), p("three", num=(90, 0))], ["a) one", "", "c) three"]),
]


@pytest.mark.parametrize(("content", "expected"), [c[1:] for c in NUMBERING_CASES],
                         ids=[c[0] for c in NUMBERING_CASES])
def test_numbering(tmp_path: Path, content: list[str], expected: list[str]) -> None:
    path = build_docx(tmp_path / "numbering.docx", tbl(tr(tc(*content)), grid=1),
                      numbering=LETTERS + OUTLINE + BULLETS + RESTART)
    assert only_cell(path).lines == expected


def test_list_styles_number_through_styles_part(tmp_path: Path) -> None:
    def make(document: Document) -> None:
        for text in ("Map activity", "Arrange training"):
            document.add_paragraph(text, style="List Number")
        document.add_paragraph("Invite GARAS", style="List Bullet")

    found = paragraphs(read(build_docx(tmp_path / "list-styles.docx", make=make)))
    assert [(x.text, x.style) for x in found] == [
        ("1. Map activity", "ListNumber"), ("2. Arrange training", "ListNumber"),
        ("Invite GARAS", "ListBullet")]


# -- Body paragraphs, tables and the seed-001 layout --------------------------------------------

def _seed_001(document: Document) -> None:
    document.add_heading("Thematic Sub-Group Performance Reporting", level=1)
    document.add_paragraph("Stronger Communities Group")
    document.add_paragraph("")
    summary = document.add_table(rows=5, cols=3)
    summary.cell(0, 0).text = "Outcome: 2:1 Communities live, work and play in peace and harmony"
    summary.cell(0, 0).merge(summary.cell(0, 2))
    for row, values in enumerate([("Date: 4th September 2008", "Green – on track", "1"),
                                  ("Thematic Sub-group: Stronger Communities",
                                   "Amber – needs attention", "2"),
                                  ("Contact: Di Robinson", "Red – needs action", "1"),
                                  ("", "Total", "4")], start=1):
        for column, value in enumerate(values):
            summary.cell(row, column).text = value
    document.add_paragraph("")
    ref = document.add_table(rows=2, cols=1)
    ref.cell(0, 0).text = "Ref:"
    ref.cell(1, 0).text = ("Action: Take action to increase community cohesion and integration "
                           "in Gloucester")
    tasks = document.add_table(rows=3, cols=5)
    for column, heading in enumerate(["Tasks", "Target", "Position", "Status",
                                      "Planned improvement/action needed and deadline"]):
        tasks.cell(0, column).text = heading
    row = tasks.rows[1].cells
    row[0].text = "b) Ensure new and emerging communities have improved access to services"
    row[1].text = "Establish priorities with countywide survey – Sept 08;develop action plan"
    row[2].text = "Connections made with county work; GAVCA and GARAS exploring pilot activity"
    row[3].text = "AMBER"
    row[4].text = "Finalise action plan by October 08"
    row[4].add_paragraph("")
    row[4].add_paragraph("Invite GARAS to next meeting")
    row = tasks.rows[2].cells
    row[0].text = "c) Build resilience:"
    row[0].add_paragraph("* to violent extremism ")
    row[0].add_paragraph("* to extreme events e.g. flooding")
    row[1].text = "* Police & community partnership approach established – pilot projects"
    row[2].text = "Pilot projects underway"
    row[3].text = "GREEN"
    document.add_paragraph("Outcome: 2.2: Our diverse communities have a strong influence")


def test_seed_001_like_return(tmp_path: Path) -> None:
    document = read(build_docx(tmp_path / "seed-001.docx", make=_seed_001))
    kinds = [type(b).__name__ for b in document.blocks]
    assert kinds == ["Paragraph", "Paragraph", "Table", "Table", "Table", "Paragraph"]
    heading, group, summary, ref, tasks, last = document.blocks
    assert (heading.text, heading.style, heading.place.paragraph) == (
        "Thematic Sub-Group Performance Reporting", "Heading1", 1)
    assert group.text == "Stronger Communities Group" and group.place.paragraph == 2
    assert last.place.paragraph == 5  # the two empty paragraphs still count
    assert [t.place.table for t in (summary, ref, tasks)] == [1, 2, 3]
    assert summary.rows[0].cells[0].text.startswith("Outcome: 2:1 Communities")
    assert [c.merged_left for c in summary.rows[0].cells] == [False, True, True]
    assert summary.rows[4].texts() == ["", "Total", "4"]
    assert [row.texts() for row in ref.rows] == [["Ref:"], [
        "Action: Take action to increase community cohesion and integration in Gloucester"]]
    assert tasks.rows[0].texts()[3] == "Status"
    assert tasks.rows[1].cells[4].lines == ["Finalise action plan by October 08", "",
                                            "Invite GARAS to next meeting"]
    assert tasks.rows[2].cells[0].lines == ["c) Build resilience:", "* to violent extremism ",
                                            "* to extreme events e.g. flooding"]
    assert tasks.rows[2].cells[4].lines == []
    status = tasks.rows[1].cells[3]
    assert (status.text, status.place.table, status.place.row, status.place.column) == (
        "AMBER", 3, 2, 4)
    assert all(c.place.file == NAME for t in (summary, ref, tasks) for row in t.rows
               for c in row.cells)


def test_nested_table_does_not_take_a_table_number(tmp_path: Path) -> None:
    body = tbl(tr(tc("outer", tbl(tr("inner"), grid=1))), grid=1) + tbl(tr("second"), grid=1)
    found = tables(read(build_docx(tmp_path / "nested.docx", body)))
    assert [t.place.table for t in found] == [1, 2]
    assert found[0].rows[0].cells[0].lines == ["outer", "inner"]


def test_core_properties(tmp_path: Path) -> None:
    core = {"title": "Stronger Communities return", "author": "Di Robinson",
            "last_modified_by": "ACA"}
    document = read(build_docx(tmp_path / "properties.docx", p("x"), core=core))
    assert document.kind == "docx" and document.file == NAME
    assert {k: document.properties[k] for k in core} == core
    assert document.properties["modified"].startswith("20")


# -- Limits and files that cannot be read ----------------------------------------------------

def test_row_limit_stops_table_with_issue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_ROWS", 3)
    body = tbl(*[tr(f"task {i}") for i in range(5)], grid=1)
    document = read(build_docx(tmp_path / "many-rows.docx", body))
    (table,) = tables(document)
    assert len(table.rows) == 3
    (issue,) = document.issues
    assert issue.code == "limit-exceeded" and issue.place.table == 1
    assert issue.message == "Table 1 exceeds the limit of 3 rows; the rest was not read."


def test_cell_text_cut_at_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_CELL_CHARS", 12)
    body = tbl(tr(tc("Mapping complete", "More")), grid=1)
    document = read(build_docx(tmp_path / "long-cell.docx", body))
    cell = tables(document)[0].rows[0].cells[0]
    assert cell.lines == ["Mapping comp"]
    (issue,) = document.issues
    assert (issue.code, issue.place) == ("limit-exceeded", cell.place)
    assert issue.message.startswith("The cell's text exceeds the limit of 12 characters")


XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'
DOCUMENT_TAG = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'

BAD_FILES = [
    ("not-a-zip", None, "unreadable-file"),
    ("missing-document-xml", {"word/document.xml": None}, "unreadable-file"),
    ("damaged-xml", {"word/document.xml": XML_DECLARATION + DOCUMENT_TAG + b"<w:body><w:p>"},
     "unreadable-file"),
    ("strict-open-xml", {"word/document.xml": b'<w:document xmlns:w="http://purl.oclc.org/ooxml/'
                         b'wordprocessingml/main"/>'}, "unreadable-file"),
    ("doctype", {"word/document.xml": XML_DECLARATION + b'<!DOCTYPE d [<!ENTITY e "x">]>'
                 + DOCUMENT_TAG + b"</w:document>"}, "unsafe-content"),
]


@pytest.mark.parametrize(("parts", "code"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_unreadable_files_are_rejected(tmp_path: Path, parts: dict[str, bytes | None] | None,
                                       code: str) -> None:
    path = tmp_path / "bad.docx"
    if parts is None:
        path.write_bytes(b"This is a plain text file, not a Word document.")
    else:
        write_parts(path, parts)
    with pytest.raises(FileRejected) as caught:
        read(path)
    assert caught.value.code == code
    assert caught.value.fields.get("reason")


def test_oversized_part_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_PART_BYTES", 100)
    with pytest.raises(FileRejected) as caught:
        read(build_docx(tmp_path / "big.docx", p("x" * 500)))
    assert caught.value.code == "file-too-large"


def test_damaged_core_properties_do_not_lose_the_return(tmp_path: Path) -> None:
    path = write_parts(tmp_path / "bad-core.docx", {"docProps/core.xml": b"<cp:coreProperties"})
    assert read(path).properties == {}


# -- xml:space="preserve" is taken out of the main part's text before parsing (`_parse_main`) ----

PRESERVED = b'<w:r><w:t xml:space="preserve"> spaced </w:t></w:r>'
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _main_part(tmp_path: Path, declaration: bytes, body: bytes) -> Path:
    return write_parts(tmp_path / "main.docx", {
        "word/document.xml": declaration + DOCUMENT_TAG + b"<w:body>" + body + b"</w:body></w:document>"})


@pytest.mark.parametrize(("declaration", "taken_out"), [
    (XML_DECLARATION, True),
    (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>", True),
    # Not declared UTF-8: "<" might not be "<" in every encoding, so the part is parsed as sent.
    (b'<?xml version="1.0" encoding="ISO-8859-1"?>', False),
    (b"", False),
])
def test_preserved_text_is_read_alike_with_its_attribute_taken_out(
        tmp_path: Path, declaration: bytes, taken_out: bool) -> None:
    path = _main_part(tmp_path, declaration, b"<w:p>" + PRESERVED + b"</w:p>")
    with checked(path) as package:
        _, root = _main_document(Package(package))
    (t,) = root.iter(f"{{{W_NS}}}t")
    assert (t.text, t.get(XML_SPACE)) == (" spaced ", None if taken_out else "preserve")
    assert [b.lines for b in read(path).blocks] == [[" spaced "]]


def test_cell_properties_giving_the_width_alone_are_read_as_none(tmp_path: Path) -> None:
    width = b'<w:tcPr><w:tcW w:w="1701" w:type="dxa"/></w:tcPr>'
    spanned = b'<w:tcPr><w:tcW w:w="3402" w:type="dxa"/><w:gridSpan w:val="2"/></w:tcPr>'
    cell = b"<w:tc>%s<w:p><w:r><w:t>%s</w:t></w:r></w:p></w:tc>"
    # In a comment the text replaced keeps its first "<" and last ">": no "--" is made of the
    # dashes around it.
    body = (b'<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="1701"/><w:gridCol w:w="1701"/>'
            b'<w:gridCol w:w="1701"/></w:tblGrid><w:tr>' + cell % (width, b"a") + b"<!-- -<w:tc>"
            + width + b"- -" + width + b"- -->" + cell % (spanned, b"b") + b"</w:tr></w:tbl>")
    path = _main_part(tmp_path, XML_DECLARATION, body)
    with checked(path) as package:
        _, root = _main_document(Package(package))
    assert [len(tc) for tc in root.iter(f"{{{W_NS}}}tc")] == [1, 2]
    assert [len(tc_pr) for tc_pr in root.iter(f"{{{W_NS}}}tcPr")] == [2]
    (table,) = tables(read(path))
    assert [(c.text, c.merged_left) for c in table.rows[0].cells] == [
        ("a", False), ("b", False), ("", True)]


def test_table_properties_alike_to_the_first_are_read_as_none(tmp_path: Path) -> None:
    look = (b'<w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
            b'<w:tblLook w:val="04A0" w:firstRow="1" w:noVBand="1"/></w:tblPr>')
    other = b'<w:tblPr><w:tblStyle w:val="Other"/></w:tblPr>'
    table = (b'<w:tbl>%s<w:tblGrid><w:gridCol w:w="1701"/></w:tblGrid><w:tr><w:tc><w:p><w:r>'
             b"<w:t>%s</w:t></w:r></w:p></w:tc></w:tr></w:tbl>")
    # In a comment the text replaced keeps its first "<" and last ">".
    body = (table % (look, b"a") + b"<!-- -<w:tbl>" + look + b"- -->" + table % (other, b"b")
            + table % (look, b"c"))
    path = _main_part(tmp_path, XML_DECLARATION, body)
    with checked(path) as package:
        _, root = _main_document(Package(package))
    assert [len(t_pr) for t_pr in root.iter(f"{{{W_NS}}}tblPr")] == [0, 1, 0]
    assert [t.rows[0].cells[0].text for t in tables(read(path))] == ["a", "b", "c"]


def test_preserved_text_in_a_cdata_section_stays_as_written(tmp_path: Path) -> None:
    # In a CDATA section "<" stands for itself: there the text is not markup to take out.
    body = (b"<w:p>" + PRESERVED + b'<w:r><w:t><![CDATA[<w:t xml:space="preserve">]]></w:t></w:r>'
            b"</w:p>")
    document = read(_main_part(tmp_path, XML_DECLARATION, body))
    assert [b.lines for b in document.blocks] == [[' spaced <w:t xml:space="preserve">']]


def test_damaged_main_part_is_refused_in_the_parsers_words_for_the_text_sent(
        tmp_path: Path) -> None:
    # The column the parser names is that of the part as sent, not as read.
    body = b"<w:p>" + PRESERVED * 3 + b"<w:r><w:t>a</w:r></w:p>"
    path = _main_part(tmp_path, XML_DECLARATION, body)
    with pytest.raises(FileRejected) as caught:
        read(path)
    with checked(path) as package:
        data = package.read("word/document.xml")
    with pytest.raises(FileRejected) as as_sent:
        parse_part(data, "word/document.xml")
    assert caught.value.fields["reason"] == as_sent.value.fields["reason"]
    assert "column" in caught.value.fields["reason"] or "line" in caught.value.fields["reason"]


# -- Property: merged tables come out once, in grid position ---------------------------------

SAFE_TEXT = st.text(alphabet="abcxyzABC0129 .,;:()/&£%'-‘’“”–—\u00a0", min_size=1,
                    max_size=25).filter(lambda s: any(ch.isalnum() for ch in s))


@st.composite
def merged_tables(draw: st.DrawFn) -> tuple[int, list[list[tuple[int, int, str]]]]:
    """A grid with random spans and vertical merges: rows of (column, span, text or "^")."""
    width = draw(st.integers(1, 5))
    rows: list[list[tuple[int, int, str]]] = []
    for _ in range(draw(st.integers(1, 5))):
        above = {(c, s) for c, s, _ in rows[-1]} if rows else set()
        cells: list[tuple[int, int, str]] = []
        column = 0
        while column < width:
            span = draw(st.integers(1, width - column))
            merged = (column, span) in above and draw(st.booleans())
            cells.append((column, span, "^" if merged else draw(SAFE_TEXT)))
            column += span
        rows.append(cells)
    return width, rows


def _merged_table_xml(width: int, rows: list[list[tuple[int, int, str]]]) -> str:
    out = []
    for index, cells in enumerate(rows):
        below = {(c, s) for c, s, t in rows[index + 1] if t == "^"} if index + 1 < len(rows) else set()
        xml = []
        for column, span, text in cells:
            if text == "^":
                xml.append(tc(span=span, vmerge="continue"))
            else:
                xml.append(tc(text, span=span,
                              vmerge="restart" if (column, span) in below else None))
        out.append(tr(*xml))
    return tbl(*out, grid=width)


@settings(max_examples=60, deadline=None)
@given(merged_tables())
def test_merged_cells_come_out_once_in_grid_position(
        layout: tuple[int, list[list[tuple[int, int, str]]]]) -> None:
    width, rows = layout
    with tempfile.TemporaryDirectory() as folder:
        path = quick_docx(Path(folder) / "merged.docx", _merged_table_xml(width, rows))
        (table,) = tables(read(path))
    assert len(table.rows) == len(rows)
    for number, (row, cells) in enumerate(zip(table.rows, rows, strict=True), start=1):
        assert len(row.cells) == width
        assert [c.place.column for c in row.cells] == list(range(1, width + 1))
        assert {c.place.row for c in row.cells} == {number}
        for column, span, text in cells:
            cell = row.cells[column]
            if text == "^":
                assert cell.merged_above and cell.lines == []
            else:
                assert cell.lines == [text] and not cell.merged_above and not cell.merged_left
            for following in row.cells[column + 1:column + span]:
                assert following.merged_left and following.lines == []
    written = sorted(t for cells in rows for _, _, t in cells if t != "^")
    read_back = sorted(c.text for row in table.rows for c in row.cells if c.lines)
    assert read_back == sorted(t.strip() for t in written)


@pytest.mark.parametrize("blank", [False, True], ids=["shown", "in-a-placeholder"])
@pytest.mark.parametrize("empty", ["<w:p/>", "<w:p></w:p>", "<w:p>stray text</w:p>"],
                         ids=["self-closed", "open-and-closed", "text-outside-runs"])
def test_a_paragraph_with_no_children_holds_nothing_read_paragraph_keeps(empty: str,
                                                                          blank: bool) -> None:
    # The body's paragraphs with no children (the blank lines between tables) are skipped
    # without being read: reading one must find nothing the reader would keep.
    (paragraph,) = fragment(empty)
    text = read_paragraph(paragraph, None, blank)
    assert not trim_lines(text.lines) and not text.changes and not text.hidden


def test_paragraphs_with_no_children_still_count_in_places(tmp_path: Path) -> None:
    body = p("one") + "<w:p/>" + "<w:p></w:p>" + p("four")
    document = read_docx(build_docx(tmp_path / "empty-paragraphs.docx", body), "x.docx")
    numbers = {b.lines[0]: b.place.paragraph for b in document.blocks if isinstance(b, Paragraph)}
    assert numbers["four"] - numbers["one"] == 3
