"""The templates handed to groups: filled in as a person would, they come back whole and clean.

Every group's progress and planning template, in Word and Excel, is generated, filled in
(tests/template_filling.py), put in an inbox and consolidated: the run must raise no issue at
all and give back every value typed, under the right group, outcome, Ref and action.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from openpyxl import Workbook, load_workbook

from pipeline.consolidate.result import Consolidation
from pipeline.consolidate.steps import consolidate
from pipeline.publish import write_outputs
from pipeline.records import Status
from pipeline.register import Group, load_register
from pipeline.template_command import template
from pipeline.templates.make import FORMATS, KINDS, build_template, make_all, make_template
from pipeline.templates.prefill import read_master
from pipeline.templates.wording import plan_years
from tests import template_filling as fill

REGISTER = load_register()
YEARS = plan_years(2008)
CASES = [(g, kind, fmt) for g in REGISTER.groups for kind in KINDS for fmt in FORMATS]
STRONGER = REGISTER.group_named("Stronger Communities Group")


def _id(case: tuple[Group, str, str]) -> str:
    group, kind, fmt = case
    return f"{group.slug}-{kind}-{fmt}"


def _issues(result: Consolidation) -> list[tuple[str, str, str]]:
    return [(i.code, str(i.place), i.message) for i in result.issues]


def _fill(path: Path, group: Group, kind: str, fmt: str) -> fill.Typed:
    if kind == "progress":
        return (fill.fill_progress_docx if fmt == "docx" else fill.fill_progress_xlsx)(path, group)
    return (fill.fill_plan_docx if fmt == "docx" else fill.fill_plan_xlsx)(path, group, YEARS.years)


def _filled_inbox(tmp_path: Path, group: Group, kind: str, fmt: str) -> tuple[Path, fill.Typed]:
    inbox = tmp_path / "inbox"
    path = make_template(group, kind, fmt, REGISTER, inbox, years=YEARS)
    return inbox, _fill(path, group, kind, fmt)


# -- The round trip -----------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_filled_template_comes_back_whole_with_no_issue(tmp_path: Path, case: tuple[Group, str, str]) -> None:
    group, kind, fmt = case
    inbox, typed = _filled_inbox(tmp_path, group, kind, fmt)
    result = consolidate(inbox, REGISTER)
    assert _issues(result) == []
    (submission,) = result.submissions
    assert (submission.state, submission.group) == ("accepted", group.name)
    assert result.reconciliation.rows_read == result.reconciliation.rows_merged
    if kind == "progress":
        assert typed.tasks and not result.plans
        got = [
            (
                t.group,
                t.outcome,
                t.ref,
                t.action,
                t.task,
                t.target,
                t.position,
                t.status.value if t.status else "",
                t.planned,
            )
            for t in result.tasks
        ]
        wanted = [
            (t.group, t.outcome, t.ref, t.action, t.task, t.target, t.position, t.status, t.planned)
            for t in typed.tasks
        ]
        assert got == wanted
        assert {t.report_date for t in result.tasks} == {fill.REPORT_DATE}
    else:
        assert typed.plans and not result.tasks
        got_plans = [_plan_fields(p, p.notes) for p in _action_rows(result)]
        wanted_plans = [_plan_fields(p, "") for p in typed.plans]
        assert got_plans == wanted_plans


@pytest.mark.parametrize("fmt", FORMATS)
def test_unfilled_template_reads_as_nothing_and_raises_nothing(tmp_path: Path, fmt: str) -> None:
    inbox = tmp_path / "inbox"
    for kind in KINDS:
        make_template(STRONGER, kind, fmt, REGISTER, inbox, years=YEARS)
    result = consolidate(inbox, REGISTER)
    # A template sent back unfilled is no clean return: each file is queried as an empty table.
    codes = [i.code for i in result.issues]
    assert codes and set(codes) == {"no-task-rows"}
    assert (result.tasks, result.plans) == ([], [])
    assert [s.group for s in result.submissions] == [STRONGER.name] * 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_outcome_measure_targets_come_back(tmp_path: Path, fmt: str) -> None:
    inbox, typed = _filled_inbox(tmp_path, STRONGER, "plan", fmt)
    result = consolidate(inbox, REGISTER)
    measures = [p for p in result.plans if p.action == "Outcome measure"]
    assert typed.outcome_measures
    assert measures and all(p.outcome for p in measures)
    kept = " ".join(" ".join([p.task, p.baseline, *p.targets.values()]) for p in measures)
    assert all(value in kept for value in typed.outcome_measures)


def _plan_fields(p: Any, notes: str) -> tuple[Any, ...]:
    """A plan row's values in one tuple, read back or as typed into the template."""
    return (p.group, p.outcome, p.ref, p.action, p.task, p.measures, p.baseline, p.targets,
            p.milestones, p.timescale, p.resources, p.contact_officer, p.lead_partnership,
            p.long_term, notes)


def _action_rows(result: Consolidation) -> list:
    """The plan rows of the action table, without the outcome measures above it."""
    return [p for p in result.plans if p.action != "Outcome measure"]


# -- Pre-filling from last quarter's master workbook --------------------------------------------


@pytest.fixture(scope="module")
def last_quarter(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Consolidation]:
    """A master workbook written by the pipeline from a filled Stronger Communities return."""
    root = tmp_path_factory.mktemp("last-quarter")
    inbox, _ = _filled_inbox(root, STRONGER, "progress", "docx")
    result = consolidate(inbox, REGISTER)
    assert _issues(result) == []
    write_outputs(result, root / "outputs")
    return root / "outputs" / "master.xlsx", result


def _carried(result: Consolidation) -> list[tuple[str, ...]]:
    return [
        (
            t.group,
            t.outcome,
            t.ref,
            t.action,
            t.task,
            t.target,
            t.position,
            t.status.value if t.status else "",
        )
        for t in result.tasks
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_prefilled_template_carries_last_quarter_and_asks_only_for_what_changed(
    tmp_path: Path, fmt: str, last_quarter: tuple[Path, Consolidation]
) -> None:
    master, previous = last_quarter
    inbox = tmp_path / "inbox"
    made = build_template(STRONGER, "progress", fmt, REGISTER, inbox, master)
    assert made.prefilled_tasks == len(previous.tasks) and made.skipped_tasks == 0

    as_sent = consolidate(inbox, REGISTER)
    assert _carried(as_sent) == _carried(previous)
    assert all(t.planned == "" for t in as_sent.tasks)
    # Last quarter's planned improvements are not carried: each Amber or Red task needs a new one.
    exceptions = [t for t in previous.tasks if t.status in (Status.AMBER, Status.RED)]
    assert [(i.code, i.severity.value) for i in as_sent.issues] == [
        ("missing-planned-action", "error")
    ] * len(exceptions)

    updated = (fill.add_planned_docx if fmt == "docx" else fill.add_planned_xlsx)(made.path)
    assert updated == [t.task.splitlines()[0] for t in exceptions]
    result = consolidate(inbox, REGISTER)
    assert _issues(result) == []
    assert _carried(result) == _carried(previous)
    assert [t.planned for t in result.tasks if t.status in (Status.AMBER, Status.RED)] == [
        fill.UPDATED_PLAN
    ] * len(exceptions)


def test_prefilled_word_template_has_the_statuses_chosen(
    tmp_path: Path, last_quarter: tuple[Path, Consolidation]
) -> None:
    master, previous = last_quarter
    path = make_template(STRONGER, "progress", "docx", REGISTER, tmp_path, master)
    chosen = [
        fill.control_text(sdt)
        for sdt in fill.controls(Document(str(path)).element, "status")
        if not fill.showing_placeholder(sdt)
    ]
    assert chosen == [t.status.value for t in previous.tasks if t.status]


def test_prefill_finds_columns_by_name_and_ignores_others(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Summary"
    sheet = book.create_sheet("Tasks")
    sheet.append(["Status", "Notes", "TASK", "Target", "Position", "Ref", "Action", "Outcome", "Group"])
    sheet.append(
        ["AMBER", "x", "Old task", "March 09", "Half done", "2.3a", "Reduce fear of crime", "2.3", "CDRP"]
    )
    sheet.append(["Green", "", "Other group's task", "", "", "2.1a", "A", "2.1", "Stronger Communities"])
    sheet.append(["Red", "", "Task with no outcome", "", "", "", "B", "", "CDRP"])
    sheet.append([None] * 9)
    book.save(tmp_path / "master.xlsx")

    previous = read_master(tmp_path / "master.xlsx", REGISTER)
    assert previous.usable
    cdrp = REGISTER.group_named("Crime and Disorder Reduction Partnership")
    made = build_template(cdrp, "progress", "xlsx", REGISTER, tmp_path / "inbox", previous)
    assert (made.prefilled_tasks, made.skipped_tasks) == (1, 1)
    result = consolidate(tmp_path / "inbox", REGISTER)
    assert [(t.outcome, t.ref, t.action, t.task, t.target, t.position, t.status) for t in result.tasks] == [
        ("2.3", "2.3a", "Reduce fear of crime", "Old task", "March 09", "Half done", Status.AMBER)
    ]


@pytest.mark.parametrize("content", ["no-tasks-sheet", "missing-columns", "not-a-workbook"])
def test_unusable_master_gives_a_blank_template_and_says_why(tmp_path: Path, content: str) -> None:
    path = tmp_path / "master.xlsx"
    if content == "not-a-workbook":
        path.write_text("not a workbook")
    else:
        book = Workbook()
        book.active.title = "Summary" if content == "no-tasks-sheet" else "Tasks"
        book.active.append(["Group", "Task", "Status"])
        book.save(path)
    previous = read_master(path, REGISTER)
    expected = {
        "no-tasks-sheet": "has no 'Tasks' sheet",
        "missing-columns": "has no Outcome, Ref, Action, Target, Position columns",
        "not-a-workbook": "could not be opened as an Excel workbook",
    }[content]
    assert expected in previous.problem
    made = build_template(STRONGER, "progress", "docx", REGISTER, tmp_path / "out", previous)
    assert made.prefilled_tasks == 0
    runner = CliRunner()
    out = runner.invoke(template, ["--group", "SCG", "--master", str(path), "--out", str(tmp_path / "cli")])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[0] == f"Not pre-filled: {previous.problem}. The templates are blank."


# -- What the templates guard against -----------------------------------------------------------


@pytest.mark.parametrize("group", REGISTER.groups, ids=[g.slug for g in REGISTER.groups])
def test_excel_progress_template_has_status_list_protection_and_open_input_cells(
    tmp_path: Path, group: Group
) -> None:
    path = make_template(group, "progress", "xlsx", REGISTER, tmp_path)
    book = load_workbook(path)
    assert book.sheetnames[0] == "Instructions"
    assert book.sheetnames[1:] == [f"Outcome {o.number}" for o in REGISTER.outcomes_of(group.name)]
    for sheet in book.worksheets:
        assert sheet.protection.sheet and not sheet.protection.password
    for sheet in book.worksheets[1:]:
        lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
        assert lists and all(v.formula1 == '"Green,Amber,Red,Achieved"' for v in lists)
        # An absent errorStyle is Excel's default, "stop": nothing else can be entered.
        assert all(
            v.showInputMessage
            and v.prompt
            and v.showErrorMessage
            and v.errorStyle in (None, "stop")
            and v.error
            for v in lists
        )
        listed = {c for v in lists for r in v.sqref.ranges for c in _cells(r.coord)}
        coloured = {c for rng in sheet.conditional_formatting for c in _cells(str(rng.sqref))}
        header_rows = [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "Tasks"]
        assert header_rows
        for header in header_rows:
            assert all(sheet.cell(header, c).protection.locked for c in range(1, 6))
            row = header + 1
            while row <= sheet.max_row and sheet.cell(row, 1).protection.locked is False:
                assert all(sheet.cell(row, c).protection.locked is False for c in range(1, 6))
                assert f"D{row}" in listed and f"D{row}" in coloured
                row += 1
            assert row - header - 1 >= 3, "a few empty task rows under each action"


def _cells(ranges: str) -> set[str]:
    from openpyxl.utils.cell import get_column_letter as letter
    from openpyxl.utils.cell import range_boundaries

    found = set()
    for part in ranges.split():
        min_col, min_row, max_col, max_row = range_boundaries(part)
        found |= {f"{letter(c)}{r}" for c in range(min_col, max_col + 1) for r in range(min_row, max_row + 1)}
    return found


@pytest.mark.parametrize("group", REGISTER.groups, ids=[g.slug for g in REGISTER.groups])
def test_word_progress_template_has_a_status_drop_down_on_every_task_row(
    tmp_path: Path, group: Group
) -> None:
    doc = Document(str(make_template(group, "progress", "docx", REGISTER, tmp_path)))
    task_tables = [t for t in doc.tables if t.rows[0].cells[0].text == "Tasks"]
    assert len(task_tables) == 3 * len(REGISTER.outcomes_of(group.name))
    for table in task_tables:
        assert [c.text for c in table.rows[0].cells] == [
            "Tasks",
            "Target",
            "Position",
            "Status",
            "Planned improvement/action needed and deadline",
        ]
        for row in table.rows[1:]:
            (sdt,) = fill.controls(row._tr, "status")
            items = sdt.findall(f"{qn('w:sdtPr')}/{qn('w:dropDownList')}/{qn('w:listItem')}")
            assert [i.get(qn("w:value")) for i in items] == ["Green", "Amber", "Red", "Achieved"]
            assert fill.showing_placeholder(sdt) and fill.control_text(sdt) == "Choose a status"
    section = doc.sections[0]
    assert section.page_width > section.page_height


def test_plan_years_default_to_the_next_financial_year() -> None:
    assert plan_years(2008).years == ("2008/09", "2009/10", "2010/11")
    assert plan_years(2008).baseline == "2007/08"
    assert plan_years(today=dt.date(2008, 1, 15)) == plan_years(2008)
    assert plan_years(today=dt.date(2008, 4, 1)) == plan_years(2009)
    assert plan_years(1999).years[0] == "1999/00"


@pytest.mark.parametrize("fmt", FORMATS)
def test_plan_template_headers_follow_the_years_given(tmp_path: Path, fmt: str) -> None:
    years = plan_years(2011)
    inbox, typed = tmp_path / "inbox", None
    path = make_template(STRONGER, "plan", fmt, REGISTER, inbox, years=years)
    typed = (fill.fill_plan_docx if fmt == "docx" else fill.fill_plan_xlsx)(path, STRONGER, years.years)
    result = consolidate(inbox, REGISTER)
    assert _issues(result) == []
    assert [set(p.targets) for p in _action_rows(result)] == [{"2011/12", "2012/13", "2013/14"}] * len(
        typed.plans
    )


# -- LibreOffice opens every template -----------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_every_template_opens_in_libreoffice(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    for fmt in FORMATS:
        made = [p for kind in KINDS for p in make_all(REGISTER, kind, fmt, tmp_path / fmt, years=YEARS)]
        out = tmp_path / f"pdf-{fmt}"
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                *map(str, made),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
        for path in made:
            pdf = out / f"{path.stem}.pdf"
            assert pdf.is_file() and pdf.stat().st_size > 1000, f"{path.name} did not convert"


# -- The command --------------------------------------------------------------------------------


def test_command_makes_every_groups_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(template, ["--all", "--kind", "plan", "--format", "xlsx", "--start", "2008"])
    assert out.exit_code == 0, out.output
    written = sorted(p.name for p in Path("outputs/templates").iterdir())
    assert written == sorted(f"{g.slug}-action-plan.xlsx" for g in REGISTER.groups)
    counts = {g.name: len(REGISTER.outcomes_of(g.name)) for g in REGISTER.groups}
    assert out.output.splitlines() == [
        "Plan years: 2008/09 to 2010/11, with the baseline in 2007/08.",
        *[
            f"Wrote outputs/templates/{g.slug}-action-plan.xlsx: {g.name}, "
            f"{counts[g.name]} outcome{'s' if counts[g.name] > 1 else ''}."
            for g in REGISTER.groups
        ],
    ]


def test_command_prefills_from_the_default_master(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, last_quarter: tuple[Path, Consolidation]
) -> None:
    master, previous = last_quarter
    monkeypatch.chdir(tmp_path)
    Path("outputs").mkdir()
    shutil.copy(master, "outputs/master.xlsx")
    out = CliRunner().invoke(template, ["--group", "stronger communities"])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines() == [
        "Pre-filling with last quarter's tasks from outputs/master.xlsx.",
        f"Wrote outputs/templates/stronger-communities-progress-return.docx: Stronger Communities "
        f"Group, 3 outcomes, pre-filled with {len(previous.tasks)} tasks.",
    ]


def test_command_without_a_master_says_the_templates_are_blank(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(template, ["--group", "CDRP", "--format", "xlsx"])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines() == [
        "No master workbook at outputs/master.xlsx, so the templates are blank. Give one with "
        "--master FILE to pre-fill last quarter's tasks.",
        "Wrote outputs/templates/cdrp-progress-return.xlsx: Crime and Disorder Reduction "
        "Partnership, 1 outcome.",
    ]


def test_command_names_the_groups_when_the_group_is_unknown(tmp_path: Path) -> None:
    out = CliRunner().invoke(template, ["--group", "Parks Group", "--out", str(tmp_path)])
    assert out.exit_code == 1
    assert "There is no group called 'Parks Group' in the register." in out.output
    for group in REGISTER.groups:
        assert f"  {group.name} ({group.short})\n" in out.output
    assert out.output.rstrip().endswith("Give one of these with --group, or use --all.")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "Say which group with --group NAME, or make every group's template with --all."),
        (["--all", "--group", "CDRP"], "Give either --group NAME or --all, not both."),
    ],
)
def test_command_asks_for_exactly_one_of_group_and_all(args: list[str], message: str) -> None:
    out = CliRunner().invoke(template, args)
    assert out.exit_code == 2 and message in out.output


def test_command_refuses_a_master_that_does_not_exist(tmp_path: Path) -> None:
    out = CliRunner().invoke(
        template, ["--group", "CDRP", "--master", str(tmp_path / "nope.xlsx"), "--out", str(tmp_path)]
    )
    assert out.exit_code == 1
    assert f"The master workbook {tmp_path / 'nope.xlsx'} does not exist." in out.output


def test_command_has_help_for_every_option() -> None:
    assert all(p.help for p in template.params if isinstance(p, type(template.params[0])))
    out = CliRunner().invoke(template, ["--help"])
    assert out.exit_code == 0 and "--kind [progress|plan]" in out.output
