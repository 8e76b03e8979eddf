"""Templates pre-filled from the master: every cell written from returns is text, never a formula."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook

from pipeline.register import load_register
from pipeline.templates.make import build_template
from pipeline.templates.prefill import read_master

REGISTER = load_register()
HOSTILE = ["=HYPERLINK(\"http://example.invalid\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)",
           "=cmd|' /C calc'!A0"]


def _template_from_master(tmp_path: Path, texts: list[str]) -> Workbook:
    """The Crime and Disorder group's Excel template, pre-filled from a master whose tasks are
    these texts (each in every text column), opened with openpyxl."""
    book = Workbook()
    book.active.title = "Summary"
    sheet = book.create_sheet("Tasks")
    sheet.append(["Group", "Outcome", "Ref", "Action", "Task", "Target", "Position", "Status"])
    for i, text in enumerate(texts):
        row = ["CDRP", "2.3", f"2.3{'abcdefgh'[i]}", text, text, text, text, "Amber"]
        sheet.append(row)
        # openpyxl would store a leading "=" as a formula: make each one a plain string cell.
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"
    book.save(tmp_path / "master.xlsx")

    previous = read_master(tmp_path / "master.xlsx", REGISTER)
    assert previous.usable
    cdrp = REGISTER.group_named("Crime and Disorder Reduction Partnership")
    assert cdrp is not None
    made = build_template(cdrp, "progress", "xlsx", REGISTER, tmp_path / "templates", previous)
    assert made.prefilled_tasks == len(texts)
    return load_workbook(made.path)


def test_formula_like_text_from_the_master_stays_text_in_editable_cells(tmp_path: Path) -> None:
    template = _template_from_master(tmp_path, HOSTILE)
    found = [cell for ws in template.worksheets for row in ws.iter_rows() for cell in row
             if isinstance(cell.value, str) and cell.value in HOSTILE]
    assert {c.value for c in found} == set(HOSTILE)
    for cell in found:
        assert cell.data_type == "s", f"{cell.coordinate} is stored as a formula"
        if not cell.protection.locked:
            # An editable cell keeps text as text when the group edits it (Excel's Text format).
            assert cell.number_format == "@", cell.coordinate
    assert any(not c.protection.locked for c in found), "the pre-filled cells are editable"


def test_text_shaped_like_rich_text_xml_is_written_as_it_is(tmp_path: Path) -> None:
    # xlsxwriter writes text shaped "<r>...</r>" into the file unescaped, as its own rich-text
    # XML: the "&" would make the whole template unreadable.
    texts = ["<r>Fish & chips</r>", "<r></r>", "<r><t>x</t></r>"]
    template = _template_from_master(tmp_path, texts)
    found = {cell.value for ws in template.worksheets for row in ws.iter_rows() for cell in row}
    assert set(texts) <= found
