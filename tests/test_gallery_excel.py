"""Gallery: Excel returns as groups make them, read end to end: statuses by colour, symbol and
conditional format; hidden rows and columns; values as Excel shows them."""

from __future__ import annotations

from pathlib import Path

from gallery import HEAD, run
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.colors import Color
from xlsx_factory import new_workbook, put, save

from pipeline.records import Status

A, R, G, ACH = Status.AMBER, Status.RED, Status.GREEN, Status.ACHIEVED


def _sheet(tmp_path: Path, statuses: list[object], *, name: str = "stronger-communities-q4.xlsx", style=None):  # noqa: ANN001, ANN202
    """A Stronger Communities workbook: title rows, Ref and Action, the header, one task a status."""
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    put(ws, 1, 1, "Stronger Communities Group")
    put(ws, 2, 1, "Ref: 2.1a")
    put(ws, 3, 1, "Action: Take action to increase community cohesion")
    for c, heading in enumerate(HEAD, start=1):
        put(ws, 4, c, heading)
    for n, status in enumerate(statuses):
        row = 5 + n
        for c, value in enumerate(
            (
                f"Task {n + 1}: run session {n + 1}",
                "March 09",
                f"Session {n + 1} planned",
                status,
                f"Hold session {n + 1} by June 09",
            ),
            start=1,
        ):
            put(ws, row, c, value)
    if style is not None:
        style(ws)
    return wb, ws, tmp_path / name


def test_excel_status_shown_by_a_coloured_dot(tmp_path: Path) -> None:
    def style(ws):  # noqa: ANN001, ANN202
        ws["D5"].font = Font(color="FFFF0000")
        ws["D6"].font = Font(color=Color(theme=5, tint=-0.25))  # accent 2 (red), darker
        ws["D7"].font = Font(color="FF00B050")

    wb, _, path = _sheet(tmp_path, ["●", "●", "■"], style=style)
    gallery = run(tmp_path, save(wb, path))
    assert [t.status for t in gallery.tasks] == [R, R, G]
    assert [i.place.cell for i in gallery.issues("status-from-text-colour")] == ["D5", "D6", "D7"]


def test_excel_status_in_webdings_and_wingdings(tmp_path: Path) -> None:
    def style(ws):  # noqa: ANN001, ANN202
        ws["D5"].font = Font(name="Webdings", color="FFFFC000")
        ws["D6"].font = Font(name="Wingdings", color="FFC00000")
        ws["D7"].font = Font(name="Wingdings")

    wb, _, path = _sheet(tmp_path, ["n", "l", "\u00fc"], style=style)
    gallery = run(tmp_path, save(wb, path))
    assert [t.status for t in gallery.tasks] == [A, R, ACH]
    assert [t.status_text for t in gallery.tasks] == ["● (amber)", "● (red)", "✓"]
    assert len(gallery.issues("status-from-text-colour")) == 2
    assert len(gallery.issues("status-from-symbol")) == 1


def test_excel_status_by_theme_fill_with_tint(tmp_path: Path) -> None:
    def style(ws):  # noqa: ANN001, ANN202
        ws["D5"].fill = PatternFill("solid", fgColor=Color(theme=5, tint=0.399))  # pale red
        ws["D6"].fill = PatternFill("solid", fgColor=Color(theme=9, tint=-0.25))  # dark orange
        ws["D7"].fill = PatternFill("solid", fgColor=Color(theme=6))  # olive green

    wb, _, path = _sheet(tmp_path, [None, None, None], style=style)
    gallery = run(tmp_path, save(wb, path))
    assert [t.status for t in gallery.tasks] == [R, A, G]
    assert len(gallery.issues("status-from-colour")) == 3


def test_excel_status_by_conditional_format_on_its_value(tmp_path: Path) -> None:
    def style(ws):  # noqa: ANN001, ANN202
        red = PatternFill("solid", bgColor="FFFFC7CE")
        amber = PatternFill("solid", bgColor="FFFFEB9C")
        green = PatternFill("solid", bgColor="FFC6EFCE")
        ws.conditional_formatting.add("D5:D20", CellIsRule(operator="equal", formula=["3"], fill=red))
        ws.conditional_formatting.add("D5:D20", CellIsRule(operator="equal", formula=["2"], fill=amber))
        ws.conditional_formatting.add("D5:D20", CellIsRule(operator="equal", formula=["1"], fill=green))
        # A formula rule is not evaluated: its cell keeps its own look.
        ws.conditional_formatting.add("D8", FormulaRule(formula=['$C8<>""'], fill=red))

    wb, _, path = _sheet(tmp_path, [3, 2, 1, "Green"], style=style)
    gallery = run(tmp_path, save(wb, path))
    assert [t.status for t in gallery.tasks] == [R, A, G, G]
    assert [i.place.cell for i in gallery.issues("status-from-text-colour")] == ["D5", "D6", "D7"]
    assert [r["Status"] for r in gallery.exceptions_sheet] == ["Red", "Amber"]


def test_excel_hidden_row_of_last_quarter_is_not_a_task(tmp_path: Path) -> None:
    def style(ws):  # noqa: ANN001, ANN202
        ws.row_dimensions[6].hidden = True

    wb, _, path = _sheet(tmp_path, ["Green", "Red", "Amber"], style=style)
    gallery = run(tmp_path, save(wb, path))
    assert [t.task for t in gallery.tasks] == ["Task 1: run session 1", "Task 3: run session 3"]
    (hidden,) = gallery.issues("hidden-row")
    assert hidden.place.cell == "A6" and "A6, B6, C6, D6, E6" in hidden.message
    assert gallery.result.reconciliation.balanced


def test_excel_hidden_old_status_column_never_stands_in_for_the_visible_one(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    put(ws, 1, 1, "Stronger Communities Group")
    put(ws, 2, 1, "Ref: 2.1a")
    put(ws, 3, 1, "Action: Take action to increase community cohesion")
    heads = ("Tasks", "Target", "Position", "Status", "Status", "Planned improvement")
    for c, heading in enumerate(heads, start=1):
        put(ws, 4, c, heading)
    for c, value in enumerate(
        ("Run a session", "March 09", "Planned", "Green", "Red", "None needed"), start=1
    ):
        put(ws, 5, c, value)
    ws.column_dimensions["D"].hidden = True  # last quarter's status, hidden
    gallery = run(tmp_path, save(wb, tmp_path / "stronger-communities-q4.xlsx"))
    (task,) = gallery.tasks
    assert task.status is R and task.status_text == "Red"
    (hidden,) = gallery.issues("hidden-column")
    assert hidden.message.startswith("Column D is hidden but holds text (D4, D5)")


def test_excel_values_appear_as_excel_shows_them(tmp_path: Path) -> None:
    import datetime as dt

    wb, ws, path = _sheet(tmp_path, ["Green", "Amber", "Red"])
    ws["B5"], ws["B5"].number_format = dt.datetime(2009, 3, 1), "mmm-yy"
    ws["B6"], ws["B6"].number_format = dt.datetime(2009, 6, 30), "dd/mm/yyyy"
    ws["C5"], ws["C5"].number_format = 0.656, "0.0%"
    ws["C6"], ws["C6"].number_format = 1250, "#,##0"
    ws["B7"] = "=DATE(2009,3,31)"  # saved by openpyxl with no result: unknown, not blank
    gallery = run(tmp_path, save(wb, path))
    assert [(t.target, t.position) for t in gallery.tasks] == [
        ("Mar-09", "65.6%"), ("30/06/2009", "1,250"), ("", "Session 3 planned")]
    (formula,) = gallery.issues("formula-without-value")
    assert formula.place.cell == "B7" and formula.severity.value == "query"


def test_excel_key_in_a_footer_row_decides_the_words_and_is_not_a_task(tmp_path: Path) -> None:
    wb, ws, path = _sheet(tmp_path, ["Major delay", "Minor delay", "On schedule", "Blue"])
    put(ws, 10, 1, "RAG key: Red = major delay; Amber = minor delay; Green = on schedule; Blue = complete")
    ws.merge_cells(start_row=10, start_column=1, end_row=10, end_column=5)
    gallery = run(tmp_path, save(wb, path))
    assert [t.status for t in gallery.tasks] == [R, A, G, ACH]
    assert len(gallery.tasks) == 4 and not any("key" in t.notes.lower() for t in gallery.tasks)
    assert [r["Status"] for r in gallery.exceptions_sheet] == ["Red", "Amber"]
