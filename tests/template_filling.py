"""Filling in the generated templates the way a group member would, for the round-trip tests.

Word: python-docx and lxml, typing into cells and content controls, and choosing from a
drop-down exactly as Word records it (the chosen text in the control, ``w:showingPlcHdr``
and the placeholder style gone, ``w:lastValue`` set). Excel: openpyxl, typing only into
unlocked cells, only values the cell's data validation accepts.

Each filler returns what it typed, as the records the pipeline should give back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from lxml import etree
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.register import Group

REPORT_DATE = "4 September 2008"
REPORT_DATE_ISO = "2008-09-04T00:00:00Z"
CONTACT = "Jane Smith"
#: The statuses given to the tasks typed under an action, in turn.
STATUS_CYCLE = ("Amber", "Green", "Red", "Achieved")


@dataclass(frozen=True)
class TypedTask:
    """A task as typed into a progress template."""

    group: str
    outcome: str
    ref: str
    action: str
    task: str
    target: str
    position: str
    status: str
    planned: str


@dataclass(frozen=True)
class TypedPlan:
    """A plan row as typed into a planning template."""

    group: str
    outcome: str
    ref: str
    action: str
    task: str
    measures: str
    baseline: str
    targets: dict[str, str]
    milestones: str
    timescale: str
    resources: str
    contact_officer: str
    lead_partnership: str
    long_term: str


@dataclass
class Typed:
    """Everything typed into one template."""

    tasks: list[TypedTask] = field(default_factory=list)
    plans: list[TypedPlan] = field(default_factory=list)
    outcome_measures: list[str] = field(default_factory=list)
    """Outcome-measure baselines and targets typed (the pipeline has no field for them)."""


def task_values(outcome: str, action: int, row: int) -> tuple[str, str, str, str, str]:
    """Task, target, position, status and planned improvement for one typed row."""
    status = STATUS_CYCLE[(action + row) % len(STATUS_CYCLE)]
    task = f"{'abcdef'[row]}) Task {row + 1} of action {action + 1} under outcome {outcome}"
    target = f"Target {row + 1}: done by March 09"
    # Two paragraphs in one cell: a person pressing Enter.
    position = f"Position of task {row + 1}\nSecond line of the position"
    planned = (f"Chase partners and report back by March 09 (task {row + 1})"
               if status in ("Amber", "Red") else "")
    return task, target, position, status, planned


def action_text(outcome: str, action: int) -> tuple[str, str]:
    """The Ref and Action typed for an action block."""
    return f"{outcome}{'abc'[action]}", f"Action {action + 1} for outcome {outcome}: work with partners"


# -- Word ---------------------------------------------------------------------------------------

W_SDT, W_SDT_PR, W_SDT_CONTENT = qn("w:sdt"), qn("w:sdtPr"), qn("w:sdtContent")


def controls(element: etree._Element, tag: str) -> list[etree._Element]:
    """The content controls with this w:tag inside an element, in document order."""
    return [sdt for sdt in element.iter(W_SDT)
            if sdt.find(f"{W_SDT_PR}/{qn('w:tag')}") is not None
            and sdt.find(f"{W_SDT_PR}/{qn('w:tag')}").get(qn("w:val")) == tag]


def showing_placeholder(sdt: etree._Element) -> bool:
    """True when the control still shows its placeholder."""
    return sdt.find(f"{W_SDT_PR}/{qn('w:showingPlcHdr')}") is not None


def control_text(sdt: etree._Element) -> str:
    """The text a control shows."""
    return "".join(t.text or "" for t in sdt.find(W_SDT_CONTENT).iter(qn("w:t")))


def fill_control(sdt: etree._Element, text: str) -> None:
    """Type into a content control (or choose from a drop-down) as Word records it."""
    properties = sdt.find(W_SDT_PR)
    flag = properties.find(qn("w:showingPlcHdr"))
    if flag is not None:
        properties.remove(flag)
    choices = properties.find(qn("w:dropDownList"))
    if choices is not None:
        values = [item.get(qn("w:value")) for item in choices.findall(qn("w:listItem"))]
        assert text in values, f"{text!r} is not in the drop-down {values}"
        choices.set(qn("w:lastValue"), text)
    date = properties.find(qn("w:date"))
    if date is not None:
        date.set(qn("w:fullDate"), REPORT_DATE_ISO)
    content = sdt.find(W_SDT_CONTENT)
    for child in list(content):
        content.remove(child)
    run = etree.SubElement(content, qn("w:r"))
    t = etree.SubElement(run, qn("w:t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def type_in_cell(cell: _Cell, text: str) -> None:
    """Type into an empty cell, pressing Enter between lines."""
    lines = text.split("\n")
    cell.paragraphs[0].add_run(lines[0])
    for line in lines[1:]:
        cell.add_paragraph(line)


def _first_text(table: Table) -> str:
    return table.rows[0].cells[0].text.strip()


def fill_progress_docx(path: Path, group: Group, *, actions_per_outcome: int = 2,
                       rows_per_action: int = 3, counts: bool = True) -> Typed:
    """Fill a Word progress template: date, contact, Ref, Action, tasks and statuses."""
    doc = Document(str(path))
    typed = Typed()
    outcome = ""
    action_index = -1
    ref = action = ""
    summaries: list[tuple[Table, str]] = []
    for table in doc.tables:
        first = _first_text(table)
        body = table._tbl
        if first.startswith("Outcome:"):
            outcome = first.split()[1]
            action_index = -1
            summaries.append((table, outcome))
            fill_control(controls(body, "date")[0], REPORT_DATE)
            for contact in controls(body, "contact"):
                fill_control(contact, CONTACT)
        elif controls(body, "ref"):
            action_index += 1
            if action_index < actions_per_outcome:
                ref, action = action_text(outcome, action_index)
                fill_control(controls(body, "ref")[0], ref)
                fill_control(controls(body, "action")[0], action)
        elif first == "Tasks" and action_index < actions_per_outcome:
            empty = [row for row in table.rows[1:] if not row.cells[0].text.strip()]
            for row_index, row in enumerate(empty[:rows_per_action]):
                task, target, position, status, planned = task_values(outcome, action_index, row_index)
                cells = row.cells
                type_in_cell(cells[0], task)
                type_in_cell(cells[1], target)
                type_in_cell(cells[2], position)
                fill_control(controls(row._tr, "status")[0], status)
                if planned:
                    type_in_cell(cells[4], planned)
                typed.tasks.append(TypedTask(group.name, outcome, ref, action, task, target,
                                             position, status, planned))
    if counts:
        for table, number in summaries:
            _type_counts(table, [t for t in typed.tasks if t.outcome == number])
    doc.save(str(path))
    return typed


def _type_counts(table: Table, tasks: list[TypedTask]) -> None:
    # The summary has no Achieved line: the instructions say to count Achieved tasks as Green.
    wanted = {"Green": sum(t.status in ("Green", "Achieved") for t in tasks),
              "Amber": sum(t.status == "Amber" for t in tasks),
              "Red": sum(t.status == "Red" for t in tasks), "Total": len(tasks)}
    for row in table.rows[2:]:
        label = row.cells[2].text.strip().split(" ")[0]
        if label in wanted and wanted[label]:
            type_in_cell(row.cells[3], str(wanted[label]))


def fill_plan_docx(path: Path, group: Group, years: tuple[str, ...], *, rows: int = 3) -> Typed:
    """Fill a Word planning template: the outcome measure and a few task rows per outcome."""
    doc = Document(str(path))
    typed = Typed()
    for table in doc.tables:
        if not _first_text(table).startswith("Aim"):
            continue
        outcome = table.rows[1].cells[0].text.split()[1].rstrip(":")
        fill_control(controls(table._tbl, "outcome-measure")[0], "Share of people who get on well")
        measure_values = ["60%", *[f"{61 + i}%" for i in range(len(years))]]
        for offset, value in enumerate(measure_values):
            type_in_cell(table.rows[3].cells[3 + offset], value)
        typed.outcome_measures += measure_values
        for index, row in enumerate(table.rows[6:6 + rows]):
            plan = plan_values(group, outcome, years, index)
            cells = row.cells
            values = [plan.action if index != 1 else "", plan.task, plan.measures, plan.baseline,
                      *[plan.targets[y] for y in years], plan.milestones, plan.timescale,
                      plan.resources, plan.contact_officer, plan.lead_partnership, plan.long_term]
            for cell, value in zip(cells, values, strict=True):
                if value:
                    type_in_cell(cell, value)
            typed.plans.append(plan)
    doc.save(str(path))
    return typed


def plan_values(group: Group, outcome: str, years: tuple[str, ...], index: int) -> TypedPlan:
    """One plan row; row 1 carries row 0's action down (its Action cell is left empty)."""
    letter = "a" if index < 2 else "b"
    action = f"{letter}) Action {letter} for outcome {outcome}: improve access"
    return TypedPlan(
        group=group.name, outcome=outcome, ref=f"{outcome}{letter}", action=action,
        task=f"· Task {index + 1} of outcome {outcome}\n· its second bullet",
        measures=f"Measure {index + 1}", baseline=f"Baseline {index + 1}",
        targets={y: f"Target {y} {index + 1}" for y in years},
        milestones=f"1. Milestone {index + 1}\n2. Next milestone", timescale="2008-10",
        resources="City Council; GAVCA", contact_officer=f"Officer {index + 1}",
        lead_partnership=group.short, long_term=f"Ambition {index + 1}",
    )


# -- Excel --------------------------------------------------------------------------------------


def type_into(sheet: Worksheet, coordinate: str, value: str) -> None:
    """Type into a cell as Excel would let a person: unlocked, and accepted by its validation."""
    cell: XlCell = sheet[coordinate]
    assert sheet.protection.sheet, f"{sheet.title} is not protected"
    assert cell.protection.locked is False, f"{sheet.title}!{coordinate} is locked"
    for validation in sheet.data_validations.dataValidation:
        if coordinate not in validation.sqref:
            continue
        if validation.type == "list":
            allowed = validation.formula1.strip('"').split(",")
            assert value in allowed, f"{value!r} is not in the list {allowed}"
        elif validation.type == "custom":
            # =LEFT(TRIM(A6),5)="Date:" -- the cell must keep its label.
            label = validation.formula1.rsplit("=", 1)[1].strip('"')
            assert value.strip().lower().startswith(label.lower()), f"{value!r} lost {label!r}"
        elif validation.type == "whole":
            assert value.isdigit(), f"{value!r} is not a whole number"
            cell.value = int(value)  # Excel stores a typed count as a number
            return
    cell.value = value


def fill_progress_xlsx(path: Path, group: Group, *, actions_per_outcome: int = 2,
                       rows_per_action: int = 3, counts: bool = False) -> Typed:
    """Fill an Excel progress template, sheet by sheet."""
    book = load_workbook(path)
    typed = Typed()
    for sheet in book.worksheets[1:]:
        outcome = ""
        action_index = -1
        ref = action = ""
        row = 1
        count_cells: dict[str, str] = {}
        while row <= sheet.max_row:
            text = str(sheet.cell(row, 1).value or "")
            label = str(sheet.cell(row, 3).value or "").split(" ")[0]
            if label in ("Green", "Amber", "Red", "Total"):
                count_cells[label] = sheet.cell(row, 4).coordinate
            if text.startswith("Outcome:"):
                outcome = text.split()[1]
            elif text.startswith("Date:"):
                type_into(sheet, f"A{row}", f"Date: {REPORT_DATE}")
            elif text.strip() == "Contact:":
                type_into(sheet, f"A{row}", f"Contact: {CONTACT}")
            elif text.startswith("Ref:"):
                action_index += 1
                if action_index < actions_per_outcome:
                    ref, action = action_text(outcome, action_index)
                    type_into(sheet, f"A{row}", f"Ref: {ref}")
                    type_into(sheet, f"A{row + 1}", f"Action: {action}")
            elif text == "Tasks" and action_index < actions_per_outcome:
                for offset in range(rows_per_action):
                    r = row + 1 + offset
                    task, target, position, status, planned = task_values(outcome, action_index, offset)
                    for column, value in zip("ABCDE", (task, target, position, status, planned),
                                             strict=True):
                        if value:
                            type_into(sheet, f"{column}{r}", value)
                    typed.tasks.append(TypedTask(group.name, outcome, ref, action, task, target,
                                                 position, status, planned))
            row += 1
        if counts:
            mine = [t for t in typed.tasks if t.outcome == outcome]
            wanted = {"Green": sum(t.status in ("Green", "Achieved") for t in mine),
                      "Amber": sum(t.status == "Amber" for t in mine),
                      "Red": sum(t.status == "Red" for t in mine), "Total": len(mine)}
            for label, coordinate in count_cells.items():
                if wanted[label]:
                    type_into(sheet, coordinate, str(wanted[label]))
    book.save(path)
    return typed


def fill_plan_xlsx(path: Path, group: Group, years: tuple[str, ...], *, rows: int = 3) -> Typed:
    """Fill an Excel planning template: the outcome measure and a few rows per outcome sheet."""
    book = load_workbook(path)
    typed = Typed()
    columns = [chr(ord("A") + i) for i in range(10 + len(years))]
    for sheet in book.worksheets[1:]:
        outcome = ""
        header = 0
        for row in range(1, sheet.max_row + 1):
            text = str(sheet.cell(row, 1).value or "")
            if text.startswith("Outcome ") and not text.startswith("Outcome Measure"):
                outcome = text.split()[1].rstrip(":")
            elif text.startswith("Outcome Measure:"):
                type_into(sheet, f"A{row}", "Outcome Measure: Share of people who get on well")
                values = ["60%", *[f"{61 + i}%" for i in range(len(years))]]
                for offset, value in enumerate(values):
                    type_into(sheet, f"{columns[3 + offset]}{row + 1}", value)
                typed.outcome_measures += values
            elif text == "Action" and not header:
                header = row
        for index in range(rows):
            r = header + 2 + index
            plan = plan_values(group, outcome, years, index)
            values = [plan.action if index != 1 else "", plan.task, plan.measures, plan.baseline,
                      *[plan.targets[y] for y in years], plan.milestones, plan.timescale,
                      plan.resources, plan.contact_officer, plan.lead_partnership, plan.long_term]
            for column, value in zip(columns, values, strict=True):
                if value:
                    type_into(sheet, f"{column}{r}", value)
            typed.plans.append(plan)
    book.save(path)
    return typed


# -- Updating a pre-filled template -------------------------------------------------------------

UPDATED_PLAN = "Agree a new date with partners by March 09"


def add_planned_docx(path: Path) -> list[str]:
    """Write a planned improvement for every pre-filled Amber or Red task; returns their tasks."""
    doc = Document(str(path))
    updated = []
    for table in doc.tables:
        if _first_text(table) != "Tasks":
            continue
        for row in table.rows[1:]:
            (status,) = controls(row._tr, "status")
            if not showing_placeholder(status) and control_text(status) in ("Amber", "Red"):
                type_in_cell(row.cells[4], UPDATED_PLAN)
                updated.append(row.cells[0].text.strip())
    doc.save(str(path))
    return updated


def add_planned_xlsx(path: Path) -> list[str]:
    """The same in Excel: column E of every row whose Status (column D) is Amber or Red."""
    book = load_workbook(path)
    updated = []
    for sheet in book.worksheets[1:]:
        for row in range(1, sheet.max_row + 1):
            if sheet.cell(row, 4).value in ("Amber", "Red"):
                type_into(sheet, f"E{row}", UPDATED_PLAN)
                updated.append(str(sheet.cell(row, 1).value).strip())
    book.save(path)
    return updated
