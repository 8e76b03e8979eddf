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
        # A formula rule on another cell: "Green" shaded red is said, and the word wins.
        ws.conditional_formatting.add("D8", FormulaRule(formula=['$C8<>""'], fill=red))

    wb, _, path = _sheet(tmp_path, [3, 2, 1, "Green"], style=style)
    gallery = run(tmp_path, save(wb, path))
    assert [t.status for t in gallery.tasks] == [R, A, G, G]
    assert [i.place.cell for i in gallery.issues("status-from-text-colour")] == ["D5", "D6", "D7"]
    assert [r["Status"] for r in gallery.exceptions_sheet] == ["Red", "Amber"]
    (conflict,) = gallery.issues("status-colour-conflict")
    assert conflict.place.cell == "D8"


def _scores(ws, scores: list[object]) -> None:  # noqa: ANN001
    put(ws, 4, 6, "Risk score")
    for n, score in enumerate(scores):
        put(ws, 5 + n, 6, score)


def test_excel_status_by_a_formula_rule_on_another_cell(tmp_path: Path) -> None:
    def style(ws):  # noqa: ANN001, ANN202
        _scores(ws, [3, 2, 1, None])
        red = PatternFill("solid", bgColor="FFFF0000")
        amber = PatternFill("solid", bgColor="FFFFC000")
        green = PatternFill("solid", bgColor="FF00B050")
        ws.conditional_formatting.add("D5:D20", FormulaRule(formula=["$F5>=3"], fill=red))
        ws.conditional_formatting.add("D5:D20", FormulaRule(formula=["$F5=2"], fill=amber))
        ws.conditional_formatting.add("D5:D20", FormulaRule(formula=["1=$F5"], fill=green))
        ws.conditional_formatting.add(
            "D5:D20", FormulaRule(formula=['ISNUMBER(SEARCH("delayed",$C5))'], fill=amber))

    wb, ws, path = _sheet(tmp_path, ["●", "●", "●", "●"], style=style)
    put(ws, 8, 3, "Venue delayed")
    gallery = run(tmp_path, save(wb, path))
    assert [t.status for t in gallery.tasks] == [R, A, G, A]
    assert [t.status_text for t in gallery.tasks] == ["● (red)", "● (amber)", "● (green)", "● (amber)"]
    assert [i.place.cell for i in gallery.issues("status-from-text-colour")] == ["D5", "D6", "D7", "D8"]
    assert [r["Status"] for r in gallery.exceptions_sheet] == ["Red", "Amber", "Amber"]


def test_excel_status_by_icon_set_or_colour_scale_is_not_guessed_and_is_warned(
        tmp_path: Path) -> None:
    from openpyxl.formatting.rule import ColorScaleRule, IconSetRule

    def style(ws):  # noqa: ANN001, ANN202
        ws.conditional_formatting.add(
            "D5:D6", IconSetRule("3TrafficLights1", "num", [1, 2, 3], showValue=False))
        ws.conditional_formatting.add(
            "D7", ColorScaleRule(start_type="num", start_value=1, start_color="FF00B050",
                                 end_type="num", end_value=3, end_color="FFFF0000"))
        ws["D7"].fill = PatternFill("solid", fgColor="FF00B050")  # what the scale paints over

    wb, _, path = _sheet(tmp_path, [3, 1, 3, "Amber"], style=style)
    gallery = run(tmp_path, save(wb, path))
    assert [t.status for t in gallery.tasks] == [None, None, None, A]
    warned = gallery.issues("status-look-not-read")
    assert [w.place.cell for w in warned] == ["D5", "D6", "D7"]
    assert warned[0].message == (
        "The Status cell is shown by a conditional-format icon set only, which cannot be read "
        "here; no status was taken from it.")
    assert "colour scale" in warned[2].message
    assert warned[0].advice.startswith("Write the status word")
    assert len(gallery.issues("unknown-status")) == 3
    assert not gallery.issues("status-from-colour") and not gallery.issues("status-from-text-colour")


def test_excel_formula_rule_too_complex_to_evaluate_is_never_guessed(tmp_path: Path) -> None:
    def style(ws):  # noqa: ANN001, ANN202
        _scores(ws, [3, 1])
        red = PatternFill("solid", bgColor="FFFF0000")
        green = PatternFill("solid", bgColor="FF00B050")
        # The higher-priority rule cannot be evaluated: whether it paints D5 red is unknown, so
        # neither it nor the rule under it nor the cell's own fill says the status.
        ws.conditional_formatting.add("D5:D6", FormulaRule(formula=["AND($F5>2,TODAY()>40000)"], fill=red))
        ws.conditional_formatting.add("D5:D6", FormulaRule(formula=["$F5<3"], fill=green))
        ws["D5"].fill = PatternFill("solid", fgColor="FF00B050")

    wb, _, path = _sheet(tmp_path, [None, "Green"], style=style)
    gallery = run(tmp_path, save(wb, path))
    assert [t.status for t in gallery.tasks] == [None, G]
    (warned,) = gallery.issues("status-look-not-read")
    assert warned.place.cell == "D5" and "conditional-format formula rule" in warned.message
    assert len(gallery.issues("missing-status")) == 1 and not gallery.issues("status-from-colour")


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


def test_excel_rich_text_runs_in_colour_and_in_wingdings(tmp_path: Path) -> None:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    def style(ws):  # noqa: ANN001, ANN202
        ws["D5"] = CellRichText([TextBlock(InlineFont(color="FFFF0000"), "●")])
        ws["D6"] = CellRichText([TextBlock(InlineFont(rFont="Wingdings", color="FFFFC000"), "l")])
        ws["D7"] = CellRichText([TextBlock(InlineFont(color="FFFF0000"), "Green")])
        ws["D8"] = CellRichText([TextBlock(InlineFont(color="FFFF0000"), "●"),
                                 TextBlock(InlineFont(color="FF00B050"), "●")])
        ws["D9"] = CellRichText([TextBlock(InlineFont(rFont="Wingdings"), "ü")])

    wb, _, path = _sheet(tmp_path, [None] * 5, style=style)
    gallery = run(tmp_path, save(wb, path))
    assert [t.status for t in gallery.tasks] == [R, A, G, None, ACH]
    assert [t.status_text for t in gallery.tasks] == ["● (red)", "● (amber)", "Green", "●●", "✓"]
    assert [i.place.cell for i in gallery.issues("status-from-text-colour")] == ["D5", "D6"]
    (conflict,) = gallery.issues("status-ink-conflict")
    assert conflict.place.cell == "D7" and "written in red" in conflict.message
    (mixed,) = gallery.issues("status-look-not-read")
    assert mixed.place.cell == "D8" and "text in several colours" in mixed.message
    (tick,) = gallery.issues("status-from-symbol")
    assert tick.place.cell == "D9"


def test_excel_rich_text_in_shared_strings_as_excel_writes_it(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "stronger-communities-q4.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Outcome 2.1")
    red, amber = book.add_format({"font_color": "#C00000"}), book.add_format({"font_color": "#FFC000"})
    wing = book.add_format({"font_name": "Wingdings", "font_color": "#00B050"})
    ws.write_string(0, 0, "Stronger Communities Group")
    ws.write_string(1, 0, "Ref: 2.1a")
    ws.write_string(2, 0, "Action: Take action to increase community cohesion")
    for c, heading in enumerate(HEAD):
        ws.write_string(3, c, heading)
    statuses = [(red, "●", red, " "), (amber, "Amb", amber, "er"), (wing, "l", wing, " ")]
    for n, fragments in enumerate(statuses):
        row = 4 + n
        for c, value in enumerate((f"Task {n + 1}", "March 09", "Planned", None, "Do it by June 09")):
            if value is not None:
                ws.write_string(row, c, value)
        assert ws.write_rich_string(row, 3, *fragments) == 0
    book.close()
    gallery = run(tmp_path, path)
    assert [t.status for t in gallery.tasks] == [R, A, G]
    assert [i.place.cell for i in gallery.issues("status-from-text-colour")] == ["D5", "D7"]
    assert not gallery.issues("status-ink-conflict")


def test_excel_key_of_coloured_swatches_below_the_table(tmp_path: Path) -> None:
    wb, ws, path = _sheet(tmp_path, ["Major delay", "Minor delay", "On schedule"])
    put(ws, 10, 1, "Key")
    for row, (fill, words) in enumerate(
            (("FFFF0000", "Major delay"), ("FFFFC000", "Minor delay"), ("FF00B050", "On schedule")),
            start=11):
        ws.cell(row, 1).fill = PatternFill("solid", fgColor=fill)
        put(ws, row, 2, words)
    gallery = run(tmp_path, save(wb, path))
    assert [t.status for t in gallery.tasks] == [R, A, G]
    assert len(gallery.tasks) == 3
    (used,) = gallery.issues("status-key")
    assert used.message.endswith("Red – Major delay; Amber – Minor delay; Green – On schedule.")
    assert [r["Status"] for r in gallery.exceptions_sheet] == ["Red", "Amber"]


X14_ICONS = (
    '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:conditionalFormattings><x14:conditionalFormatting '
    'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:cfRule type="iconSet" priority="1" id="{00000000-0000-0000-0000-000000000001}">'
    '<x14:iconSet iconSet="3TrafficLights2" showValue="0" custom="1">'
    '<x14:cfvo type="percent"><xm:f>0</xm:f></x14:cfvo>'
    '<x14:cfvo type="num"><xm:f>2</xm:f></x14:cfvo>'
    '<x14:cfvo type="num"><xm:f>3</xm:f></x14:cfvo>'
    '<x14:cfIcon iconSet="3TrafficLights1" iconId="0"/><x14:cfIcon iconSet="3Symbols" iconId="1"/>'
    '<x14:cfIcon iconSet="3TrafficLights1" iconId="2"/></x14:iconSet></x14:cfRule>'
    "<xm:sqref>D5:D6</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings>"
    "</ext></extLst>"
)


def test_excel_icon_set_of_excel_2010_in_the_extension_list_is_warned(tmp_path: Path) -> None:
    from xlsx_factory import rewrite_part, sheet_part

    wb, _, path = _sheet(tmp_path, [1, 3, "Red"])
    save(wb, path)
    rewrite_part(path, sheet_part(0), lambda xml: xml.replace(b"</worksheet>",
                                                              X14_ICONS.encode() + b"</worksheet>"))
    gallery = run(tmp_path, path)
    assert [t.status for t in gallery.tasks] == [None, None, R]
    assert [w.place.cell for w in gallery.issues("status-look-not-read")] == ["D5", "D6"]
