"""The master workbook, read back with openpyxl and checked by its values, fills and layout."""

from __future__ import annotations

import dataclasses
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from consolidation_factory import (
    AT_TEXT,
    CHILDREN,
    DASH_TEXT,
    ENVIRONMENT,
    FORMULA_TEXT,
    GROUPS,
    PHONE_TEXT,
    make_consolidation,
    many_tasks,
)
from lxml import etree
from openpyxl.worksheet.worksheet import Worksheet

import pipeline.report.master as master
from pipeline.consolidate.result import Consolidation, SubmissionState
from pipeline.records import Status
from pipeline.report.errors import ReportError
from pipeline.report.master import write_master
from pipeline.report.sheets_tasks import TASK_COLUMNS
from pipeline.report.text import EXCEL_CELL_CHARS

SHEETS = [
    "Summary", "Tasks", "Exceptions", "Changes", "Trend", "Action plan", "Issues", "Submissions",
]
TASK_HEADERS = [c.header for c in TASK_COLUMNS]


@pytest.fixture
def result() -> Consolidation:
    return make_consolidation()


@pytest.fixture
def book(result: Consolidation, tmp_path: Path) -> openpyxl.Workbook:
    path = tmp_path / "master.xlsx"
    write_master(result, path)
    return openpyxl.load_workbook(path)


def header(ws: Worksheet) -> list[str]:
    return [c.value for c in ws[1] if c.value is not None]


def column(ws: Worksheet, name: str) -> list[object]:
    index = header(ws).index(name) + 1
    return [ws.cell(row=r, column=index).value for r in range(2, ws.max_row + 1)]


def fill_of(cell: openpyxl.cell.cell.Cell) -> str:
    assert cell.fill.fgColor.type == "rgb"
    return cell.fill.fgColor.rgb[-6:]


def test_sheets_in_order_with_headers_in_row_one(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == SHEETS
    assert header(book["Tasks"]) == TASK_HEADERS
    assert header(book["Exceptions"]) == TASK_HEADERS
    assert header(book["Summary"])[0] == "Group"
    assert header(book["Issues"]) == [
        "Source file", "Location", "Severity", "Code", "Problem", "What to do", "Explanation", "Key",
    ]
    assert header(book["Submissions"]) == [
        "File", "Group", "Kind", "Outcome", "Reason", "Rows", "Received", "Sender", "SHA-256",
    ]


def test_tasks_one_row_each_in_order_with_source(
    book: openpyxl.Workbook, result: Consolidation
) -> None:
    ws = book["Tasks"]
    assert ws.max_row == len(result.tasks) + 1
    assert column(ws, "Task") == [t.task for t in result.tasks]
    assert column(ws, "Source file") == [t.place.file for t in result.tasks]
    assert column(ws, "Location") == [t.place.describe() for t in result.tasks]
    assert column(ws, "Status")[-1] is None  # the task without a status stays blank
    assert "ACHIEVED\n\nACHIEVED\n\nAMBER" in column(ws, "Status detail")


@pytest.mark.parametrize("text", [FORMULA_TEXT, PHONE_TEXT, AT_TEXT, DASH_TEXT])
def test_formula_looking_text_is_a_string_cell(book: openpyxl.Workbook, text: str) -> None:
    found = [c for row in book["Tasks"].iter_rows() for c in row if c.value is not None
             and str(c.value).startswith(text)]
    assert found, text
    for cell in found:
        assert cell.data_type == "s"
        assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    assert all(c.data_type != "f" for ws in book for row in ws.iter_rows() for c in row)


def test_control_characters_are_removed(book: openpyxl.Workbook) -> None:
    assert "Done with a bell" in column(book["Tasks"], "Position")


def test_exceptions_are_the_amber_and_red_tasks_only(
    book: openpyxl.Workbook, result: Consolidation
) -> None:
    ws = book["Exceptions"]
    assert set(column(ws, "Status")) == {"Amber", "Red"}
    assert column(ws, "Task") == [t.task for t in result.exceptions]


def test_status_cells_are_filled_in_their_colours(book: openpyxl.Workbook) -> None:
    ws = book["Tasks"]
    status_col = TASK_HEADERS.index("Status") + 1
    seen = {}
    for row in range(2, ws.max_row + 1):
        cell = ws.cell(row=row, column=status_col)
        if cell.value:
            seen[cell.value] = cell
    assert fill_of(seen["Red"]) == "FF0000"
    assert seen["Red"].font.color.rgb[-6:] == "FFFFFF"
    assert fill_of(seen["Amber"]) == "FFC000"
    assert fill_of(seen["Green"]) == "00B050"
    assert fill_of(seen["Achieved"]) not in {"FF0000", "FFC000", "00B050"}


def test_every_sheet_is_frozen_filtered_and_prints_one_page_wide(
    book: openpyxl.Workbook,
) -> None:
    for name in SHEETS:
        ws = book[name]
        assert ws.freeze_panes == "A2", name
        assert ws.page_setup.orientation == "landscape", name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0, name
    for name in SHEETS[1:]:
        if name == "Trend":
            continue  # several tables on one sheet, like Summary (tests/test_trend.py)
        ws = book[name]
        assert [t.ref.split(":")[0] for t in ws.tables.values()] == ["A1"], name
        assert ws.print_title_rows == "$1:$1", name
    assert book["Tasks"].tables[next(iter(book["Tasks"].tables))].ref == "A1:P13"


def test_long_text_columns_are_wide_and_wrapped(book: openpyxl.Workbook) -> None:
    ws = book["Tasks"]
    assert ws.column_dimensions["F"].width >= 30  # Position
    assert ws["F2"].alignment.wrap_text and ws["F2"].alignment.vertical == "top"


def test_summary_counts_groups_in_register_order(book: openpyxl.Workbook, result: Consolidation) -> None:
    ws = book["Summary"]
    head = header(ws)
    assert head[:3] == ["Group", "Outcomes", "Note"]
    assert head[3:] == ["Green", "Amber", "Red", "Achieved", "No status", "Total"]
    rows = list(ws.iter_rows(min_row=2, max_row=len(GROUPS) + 2, values_only=True))
    assert [r[0] for r in rows] == [*GROUPS, "Total"]
    by_group = {r[0]: r for r in rows}
    assert by_group[ENVIRONMENT][2] == "No return received"
    assert by_group["Healthy City Partnership"][3:9] == (0, 2, 1, 1, 0, 4)
    assert by_group["Total"][8] == 12
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert f"No return received from: {ENVIRONMENT}." in texts
    # The account of what the writer wrote: the Summary sheet is filled after the other sheets.
    assert result.reconciliation.rows_written == len(result.tasks) + len(result.plans)
    assert result.reconciliation.line() in texts
    assert "By outcome" in texts


def test_summary_has_a_stacked_chart_of_the_four_statuses(book: openpyxl.Workbook) -> None:
    charts = book["Summary"]._charts
    assert len(charts) == 1
    assert charts[0].grouping == "stacked"
    assert len(charts[0].series) == 4


def test_action_plan_has_a_column_per_target_year(book: openpyxl.Workbook) -> None:
    ws = book["Action plan"]
    head = header(ws)
    assert head[6:9] == ["2008/09", "2009/10", "2010/11"]
    assert head[5] == "Baseline" and head[9] == "Milestones"
    assert [ws.cell(row=2, column=c).value for c in (7, 8, 9)] == ["60", "55", None]
    assert ws.cell(row=3, column=4).data_type == "s"  # the formula-like task


def test_issues_errors_first_then_queries_then_warnings(book: openpyxl.Workbook) -> None:
    ws = book["Issues"]
    assert column(ws, "Severity") == ["Error", "Error", "Query", "Warning", "Warning"]
    assert column(ws, "Code") == [
        "missing-status", "unreadable-file", "summary-mismatch", "unmapped-header",
        "several-statuses",
    ]
    assert fill_of(ws["C2"]) == "FFC7CE"


def test_submissions_list_files_then_missing_groups(book: openpyxl.Workbook) -> None:
    ws = book["Submissions"]
    assert column(ws, "Outcome")[-3:] == ["rejected", "superseded", "missing"]
    assert column(ws, "Group")[-1] == ENVIRONMENT
    assert column(ws, "Rows")[0] == 2
    assert column(ws, "Received")[0] == "2009-04-20 09:12 (file's date)"  # not e-mailed


def test_empty_exceptions_sheet_says_so(tmp_path: Path) -> None:
    result = make_consolidation([t for t in make_consolidation().tasks
                                 if t.status not in (Status.AMBER, Status.RED)])
    write_master(result, tmp_path / "m.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "m.xlsx")["Exceptions"]
    assert ws["A2"].value == "No task is at amber or red."


def test_text_longer_than_a_cell_is_cut_with_a_note(tmp_path: Path) -> None:
    result = make_consolidation()
    result.tasks[0] = dataclasses.replace(result.tasks[0], position="x" * 40_000)
    write_master(result, tmp_path / "m.xlsx")
    value = openpyxl.load_workbook(tmp_path / "m.xlsx")["Tasks"]["F2"].value
    assert len(value) <= EXCEL_CELL_CHARS
    assert value.endswith("more characters, see the return]")


def test_nan_is_a_blank_cell(tmp_path: Path) -> None:
    result = make_consolidation()
    result.submissions[0] = dataclasses.replace(result.submissions[0], rows=float("nan"))
    write_master(result, tmp_path / "m.xlsx")
    assert openpyxl.load_workbook(tmp_path / "m.xlsx")["Submissions"]["F2"].value is None


def test_large_runs_are_streamed_with_an_autofilter_instead_of_tables(tmp_path: Path) -> None:
    tasks = many_tasks(40)
    result = make_consolidation(tasks)
    path = tmp_path / "big.xlsx"
    write_master(result, path, constant_memory_over=10)
    book = openpyxl.load_workbook(path)
    ws = book["Tasks"]
    assert not ws.tables
    assert ws.auto_filter.ref == "A1:P41"
    assert ws.freeze_panes == "A2"
    assert column(ws, "Task") == [t.task for t in tasks]
    formula_cells = [c for c in ws["D"] if c.value == FORMULA_TEXT]
    assert formula_cells and all(c.data_type == "s" for c in formula_cells)
    assert fill_of(ws["G4"]) == "FF0000"  # third task is red
    assert book["Exceptions"].max_row == 1 + sum(1 for t in tasks if t.status in
                                                 (Status.AMBER, Status.RED))
    assert len(book["Summary"]._charts) == 1
    assert not list(tmp_path.glob(".*"))


def test_failure_mid_write_leaves_the_previous_file(
    tmp_path: Path, result: Consolidation, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "master.xlsx"
    path.write_bytes(b"last month's workbook")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    # Summary, Tasks and Exceptions are written before the Issues sheet fails.
    monkeypatch.setattr(master, "write_issues_sheet", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_master(result, path)
    assert path.read_bytes() == b"last month's workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["master.xlsx"]


@pytest.mark.parametrize("streamed", [False, True])
def test_failure_in_streamed_mode_leaves_no_scratch_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: bool
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    monkeypatch.setattr(master, "write_plan_sheet", lambda *a, **k: 1 / 0)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ZeroDivisionError):
        write_master(make_consolidation(many_tasks(30)), out / "m.xlsx",
                     constant_memory_over=0 if streamed else 1000)
    assert list(out.iterdir()) == []
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("streamed", [False, True])
def test_only_a_streamed_workbook_writes_scratch_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: bool
) -> None:
    """Held in memory, the workbook is zipped from memory (no file per part to write and remove:
    a tenth of a second of the shipped inbox's run); streamed, its rows go through scratch files."""
    import tempfile

    made: list[str] = []
    real_mkstemp = tempfile.mkstemp

    def counted(*args: object, **kwargs: object) -> tuple[int, str]:
        handle, name = real_mkstemp(*args, **kwargs)  # type: ignore[call-overload]
        made.append(name)
        return handle, name

    monkeypatch.setattr(tempfile, "mkstemp", counted)
    path = tmp_path / "m.xlsx"
    write_master(make_consolidation(many_tasks(30)), path, constant_memory_over=0 if streamed else 1000)
    assert openpyxl.load_workbook(path).sheetnames == SHEETS
    scratch = [name for name in made if Path(name).parent != tmp_path]  # not the staging file
    assert bool(scratch) == streamed


def test_a_rejected_write_raises_report_error(tmp_path: Path) -> None:
    import xlsxwriter

    from pipeline.report.xlsx_sheet import put
    from pipeline.report.xlsx_styles import Styles

    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    sheet = book.add_worksheet("S")
    with pytest.raises(ReportError, match="sheet 'S'"):
        put(sheet, Styles(book), 2_000_000, 0, "too far down", "text")
    book.close()


def test_children_group_with_only_green_tasks_is_counted(book: openpyxl.Workbook) -> None:
    rows = {r[0]: r for r in book["Summary"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert rows[CHILDREN][3] == 1 and rows[CHILDREN][8] == 1


def test_atomic_output_replaces_whole_and_keeps_permissions(tmp_path: Path) -> None:
    from pipeline.atomic import atomic_output

    path = tmp_path / "out.bin"
    path.write_bytes(b"old")
    path.chmod(0o640)
    with atomic_output(path) as temp:
        assert temp.parent == tmp_path and temp != path
        temp.write_bytes(b"new")
        assert path.read_bytes() == b"old"  # nothing visible until the end
    assert path.read_bytes() == b"new"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_atomic_output_refuses_an_empty_result(tmp_path: Path) -> None:
    from pipeline.atomic import WriteError, atomic_output

    path = tmp_path / "out.bin"
    path.write_bytes(b"old")
    with pytest.raises(WriteError, match="Nothing was written"), atomic_output(path):
        pass
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_changes_sheet_lists_worrying_changes_first(tmp_path: Path) -> None:
    from pipeline.document import Place
    from pipeline.history.changes import compare
    from pipeline.records import Status, TaskRecord

    def t(task: str, status: Status) -> TaskRecord:
        return TaskRecord(place=Place("a.docx", table=1, row=2), task=task, status=status,
                          group="Stronger Communities Group", outcome="2.1", ref="2.1a")

    before = [t("Arrange training for members", Status.GREEN), t("Map activity", Status.AMBER)]
    now = [t("Arrange training for members", Status.RED), t("Map activity", Status.GREEN)]
    result = make_consolidation()
    result.previous_period, result.changes = "Q3 2008/09", compare(before, now)
    path = tmp_path / "master.xlsx"
    write_master(result, path)
    sheet = openpyxl.load_workbook(path)["Changes"]
    assert header(sheet)[:7] == ["Group", "Outcome", "Ref", "Task", "Previous status", "Status now", "Change"]
    assert column(sheet, "Change") == ["newly red", "improved"]
    assert column(sheet, "Task") == ["Arrange training for members", "Map activity"]


def test_a_missing_group_whose_file_was_rejected_says_so(tmp_path: Path) -> None:
    from pipeline.consolidate.result import Submission

    result = make_consolidation()
    result.submissions.append(Submission(file="env-q4.docx", kind="A PDF document",
                                         state=SubmissionState.REJECTED,
                                         reason="The file is named .docx but holds a PDF document.",
                                         group=ENVIRONMENT))
    write_master(result, tmp_path / "m.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "m.xlsx")["Submissions"]
    assert column(ws, "Reason")[-1] == "No return could be read: env-q4.docx rejected (see above)"


@pytest.mark.parametrize("streamed", [False, True])
def test_text_that_never_came_through_intake_is_cleaned_where_it_is_written(
    tmp_path: Path, streamed: bool
) -> None:
    # A return's text is made safe when it is read; an officer's explanation (kept in the history)
    # and a register's names are not, so the cell writer still takes out what a cell cannot hold.
    # A lone surrogate would otherwise stop the streamed write (UTF-8 cannot encode it).
    result = make_consolidation()
    result.issues[0] = dataclasses.replace(result.issues[0],
                                           explanation="Moved\x07 by the board\ud800 in May\r\nAgreed")
    result.groups[0] = "Crime\x0b and Disorder"
    path = tmp_path / "m.xlsx"
    write_master(result, path, constant_memory_over=0 if streamed else 1000)
    book = openpyxl.load_workbook(path)
    assert "Moved by the board in May\nAgreed" in column(book["Issues"], "Explanation")
    assert "Crime and Disorder" in [row[0] for row in book["Summary"].iter_rows(values_only=True)]


@pytest.mark.parametrize("streamed", [False, True])
def test_rows_are_as_tall_as_their_wrapped_text(tmp_path: Path, streamed: bool) -> None:
    tasks = [dataclasses.replace(t, group="CDRP", task="Short", target="", place=t.place)
             for t in many_tasks(4)]
    # Position is 34 wide: about 37 characters a line, six words of 5 letters, so 60 take 10 lines.
    tasks[0] = dataclasses.replace(tasks[0], position=" ".join(["words"] * 60))
    tasks[1] = dataclasses.replace(tasks[1], notes="one\ntwo\nthree\nfour")
    tasks[2] = dataclasses.replace(tasks[2], notes="one\ttab")
    path = tmp_path / "m.xlsx"
    write_master(make_consolidation(tasks), path, constant_memory_over=0 if streamed else 1000)
    ws = openpyxl.load_workbook(path)["Tasks"]
    heights = [ws.row_dimensions[r].height for r in (2, 3, 4, 5)]
    # Heights are kept in whole pixels: within half a point.
    assert heights[0] == pytest.approx(10 * 12.75 + 2, abs=0.5)
    assert heights[1] == pytest.approx(4 * 12.75 + 2, abs=0.5)
    assert heights[2] is None and heights[3] is None  # one line each: Excel's own height
    assert ws["N3"].value == "one\ntwo\nthree\nfour"


@pytest.mark.parametrize("streamed", [False, True])
def test_blank_cells_are_not_written_and_the_grid_is_drawn_over_them(
    tmp_path: Path, streamed: bool
) -> None:
    path = tmp_path / "m.xlsx"
    write_master(make_consolidation(), path, constant_memory_over=0 if streamed else 1000)
    book = openpyxl.load_workbook(path)
    ws = book["Tasks"]
    owner = TASK_HEADERS.index("Owner") + 1
    assert all(ws.cell(row=r, column=owner).value is None for r in range(2, ws.max_row + 1))
    # A blank Owner cell holds no format of its own (it was never written)...
    assert ws.cell(row=2, column=owner).border.left.style is None
    # ...and the sheet's one rule gives each blank cell of the table the grid's border.
    (rng, rules), = [(str(r.sqref), r.rules) for r in ws.conditional_formatting]
    assert rng == f"A2:P{ws.max_row}"
    assert [r.type for r in rules] == ["containsBlanks"]
    assert rules[0].dxf.border.left.style == "thin"
    assert rules[0].dxf.border.left.color.rgb[-6:] == "BFBFBF"
    trend = book["Trend"]
    assert [r.type for cf in trend.conditional_formatting for r in cf.rules] == ["containsBlanks"]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_waits_until_the_workbook_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    import gc

    started: list[int] = []
    writing = False

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and writing:
            started.append(info["generation"])

    def watched(*args: object, **kwargs: object) -> dict[str, int]:
        nonlocal writing
        writing = True
        try:
            return write_sheets(*args, **kwargs)
        finally:
            writing = False

    write_sheets = master._write_sheets
    monkeypatch.setattr(master, "_write_sheets", watched)
    result = make_consolidation(many_tasks(40))
    thresholds, was = gc.get_threshold(), gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    gc.set_threshold(10)  # without the pause, a collection every ten new objects
    gc.callbacks.append(seen)
    try:
        write_master(result, tmp_path / "m.xlsx", constant_memory_over=10)
        assert gc.isenabled() is enabled  # as it was found
    finally:
        gc.callbacks.remove(seen)
        gc.set_threshold(*thresholds)
        (gc.enable if was else gc.disable)()
    assert started == []


@pytest.mark.parametrize("streamed", [False, True])
def test_text_shaped_like_rich_text_xml_is_written_as_it_is(tmp_path: Path, streamed: bool) -> None:
    # xlsxwriter writes text shaped "<r>...</r>" into the file unescaped, as its own rich-text
    # XML: a group's "<r>Fish & chips</r>" would make the whole workbook unreadable.
    shaped = "<r>Fish & chips</r>"
    result = make_consolidation()
    result.tasks[0] = dataclasses.replace(result.tasks[0], task=shaped, position="<r><t>x</t></r>")
    result.groups[0] = "<r>Crime & Disorder</r>"
    path = tmp_path / "m.xlsx"
    write_master(result, path, constant_memory_over=0 if streamed else 1000)
    book = openpyxl.load_workbook(path)
    assert column(book["Tasks"], "Task")[0] == shaped
    assert column(book["Tasks"], "Position")[0] == "<r><t>x</t></r>"
    assert "<r>Crime & Disorder</r>" in [row[0] for row in book["Summary"].iter_rows(values_only=True)]


@pytest.mark.parametrize("streamed", [False, True])
@pytest.mark.parametrize("text", ["<r>_x0041_</r>", "<r>a_x00e9_ and _x0041__x005F_b</r>",
                                  "_x005F_x0041_", "a _x0041_x0042_ b", "<r>_x005F_x0041_</r>"])
def test_text_that_looks_escaped_shows_as_written(tmp_path: Path, streamed: bool, text: str) -> None:
    # Excel reads "_x0041_" in a cell's text as an escaped "A" (each run of a rich text apart).
    # xlsxwriter escapes it in a plain string ("_x005F_x0041_"), but twice in a rich text's
    # run, which showed as "<r>_x005F_x0041_</r>" (LibreOffice, which decodes the "_x005F_",
    # 2026-12-02); and of two sharing an underscore ("_x005F_x0041_") it escaped only the
    # first, read back as "_x005FA". (LibreOffice 7 decodes only "_x005F_" and control
    # characters: it showed those as written either way.) Each cell's text is read back here as
    # Excel reads it, run by run.
    result = make_consolidation()
    result.tasks[0] = dataclasses.replace(result.tasks[0], task=text)
    path = tmp_path / "m.xlsx"
    write_master(result, path, constant_memory_over=0 if streamed else 1000)
    assert text in _texts_as_shown(path, "Tasks")


def _texts_as_shown(path: Path, sheet: str) -> list[str]:
    """Every text of a sheet (inline or shared) as Excel shows it: each run's ``_xHHHH_``
    escapes decoded, then the runs joined."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    book = openpyxl.load_workbook(path, read_only=True)
    index = book.sheetnames.index(sheet) + 1
    book.close()

    def shown(item: Any) -> str:  # an <si> or an <is>: its own <t>, or its runs' <t>s
        runs = [t.text or "" for t in item.iter(main + "t")]
        return "".join(re.sub(r"_x([0-9a-fA-F]{4})_", lambda m: chr(int(m.group(1), 16)), run)
                       for run in runs)

    with zipfile.ZipFile(path) as package:
        shared = []
        if "xl/sharedStrings.xml" in package.namelist():
            shared = [shown(si) for si in etree.fromstring(package.read("xl/sharedStrings.xml"))]
        root = etree.fromstring(package.read(f"xl/worksheets/sheet{index}.xml"))
    texts = []
    for c in root.iter(main + "c"):
        if c.get("t") == "s":
            texts.append(shared[int(c.findtext(main + "v") or 0)])
        elif c.get("t") == "inlineStr":
            texts.append(shown(c.find(main + "is")))
    return texts


@pytest.mark.parametrize("streamed", [False, True])
def test_a_blank_cell_typed_into_wraps_like_its_column(tmp_path: Path, streamed: bool) -> None:
    # Blank cells are not written (the grid is drawn over them), so what someone types into one
    # takes the column's default format: wrapped and top-aligned like the written cells, with no
    # border of its own (it reaches past the table's last row).
    path = tmp_path / "m.xlsx"
    write_master(make_consolidation(), path, constant_memory_over=0 if streamed else 1000)
    ws = openpyxl.load_workbook(path)["Tasks"]
    owner = header(ws).index("Owner") + 1
    letter = openpyxl.utils.get_column_letter(owner)
    assert not ws.cell(row=2, column=owner).has_style  # blank, not written
    default = ws.column_dimensions[letter]
    assert (default.alignment.wrap_text, default.alignment.vertical) == (True, "top")
    assert default.font.name == "Arial"
    assert default.border.left.style is None and default.border.bottom.style is None


def _open_files_under(folder: Path) -> list[str]:
    """The files this process holds open anywhere under `folder` (deleted ones included)."""
    held = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = str(fd.readlink())
        except OSError:
            continue
        if target.startswith(str(folder)):
            held.append(target)
    return held


def test_a_streamed_workbook_that_fails_midway_lets_go_of_its_row_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Streamed, xlsxwriter keeps each sheet's rows in an open file until the workbook is closed:
    # a failure halfway through must not leave them open for as long as the error is kept.
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(master, "write_issues_sheet", broken)
    target = tmp_path / "out" / "master.xlsx"
    target.parent.mkdir()
    with pytest.raises(RuntimeError) as failure:
        write_master(make_consolidation(many_tasks(40)), target, constant_memory_over=10)
    assert failure.value.__traceback__ is not None  # the error, and the workbook with it, still alive
    assert _open_files_under(scratch) == []
    assert list(scratch.iterdir()) == []  # the scratch folder went with its files
    assert list(target.parent.iterdir()) == []  # and nothing was published
