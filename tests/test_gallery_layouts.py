"""Gallery: the layouts groups really send, read end to end from real Word and Excel files."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from docx_factory import build_docx, p, tbl, tc, tr
from gallery import HEAD, fields, run

from pipeline.records import Status

A, R, G = Status.AMBER, Status.RED, Status.GREEN


def _opening() -> str:
    return p("Stronger Communities Group") + p(
        "Outcome 2.1 – Communities live, work and play in peace and harmony"
    )


def test_ref_column_and_extra_columns_become_fields_and_notes(tmp_path: Path) -> None:
    head = (
        "Ref",
        "Tasks",
        "Target",
        "Lead officer",
        "Position",
        "Status",
        "Revised deadline",
        "Planned improvement",
        "Comments",
        "Evidence",
        "Budget",
    )
    body = _opening() + tbl(
        tr(*head),
        tr(
            "2.1a",
            "Map community activity",
            "June 08",
            "Di Robinson",
            "Mapping complete",
            "Green",
            "",
            "None needed",
            "",
            "Map on website",
            "£500",
        ),
        tr(
            "2.1b",
            "Arrange cohesion training",
            "Autumn 08",
            "Sam Patel",
            "Not yet arranged",
            "Red",
            "March 09",
            "Book trainer by January 09",
            "Trainer left",
            "",
            "",
        ),
        grid=11,
    )
    gallery = run(tmp_path, build_docx(tmp_path / "stronger-communities-q4.docx", body))
    first, second = (fields(t) for t in gallery.tasks)
    assert first == {
        "task": "Map community activity",
        "target": "June 08",
        "position": "Mapping complete",
        "status": "Green",
        "status_text": "Green",
        "planned": "None needed",
        "ref": "2.1a",
        "action": "",
        "outcome": "2.1",
        "group": "Stronger Communities Group",
        "owner": "Di Robinson",
        "revised_deadline": "",
        "notes": "Evidence: Map on website\nBudget: £500",
    }
    assert (second["ref"], second["owner"], second["revised_deadline"], second["notes"]) == (
        "2.1b",
        "Sam Patel",
        "March 09",
        "Comments: Trainer left",
    )
    assert not gallery.issues("unmapped-header")
    (row,) = gallery.exceptions_sheet
    assert (row["Owner"], row["Revised deadline"]) == ("Sam Patel", "March 09")
    assert [r["Owner"] for r in gallery.tasks_sheet] == ["Di Robinson", "Sam Patel"]


def test_a_timescale_or_lead_officer_column_never_makes_a_progress_table_a_plan(tmp_path: Path) -> None:
    head = ("Tasks", "Timescale", "Position", "Status", "Lead officer", "Planned improvement")
    body = (
        _opening()
        + p("Ref: 2.1a")
        + p("Action: Take action to increase community cohesion")
        + tbl(
            tr(*head),
            tr(
                "Run a cohesion event",
                "March 09",
                "Venue booked",
                "Amber",
                "Di Robinson",
                "Confirm by February 09",
            ),
            grid=6,
        )
    )
    gallery = run(tmp_path, build_docx(tmp_path / "stronger-communities-q4.docx", body))
    (task,) = gallery.tasks
    assert not gallery.result.plans
    assert (task.target, task.owner, task.status) == ("March 09", "Di Robinson", A)
    assert gallery.result.submissions[0].kind == "Word progress return"


def test_header_repeated_mid_table_is_not_a_task(tmp_path: Path) -> None:
    body = (
        _opening()
        + p("Ref: 2.1a")
        + p("Action: Take action to increase community cohesion")
        + tbl(
            tr(*HEAD),
            tr("Task one", "June 08", "Done", "Green", "None"),
            tr(*HEAD),
            tr("Task two", "March 09", "Slipping", "Amber", "Recover by April 09"),
            tr(*(h.upper() for h in HEAD)),
            tr("Task three", "March 09", "Stalled", "Red", "Escalate by April 09"),
            grid=5,
        )
    )
    gallery = run(tmp_path, build_docx(tmp_path / "stronger-communities-q4.docx", body))
    assert [t.task for t in gallery.tasks] == ["Task one", "Task two", "Task three"]
    assert [t.action for t in gallery.tasks] == ["Take action to increase community cohesion"] * 3


def test_ref_and_action_on_one_line(tmp_path: Path) -> None:
    body = (
        _opening()
        + p("Ref: 2.1a   Action: Take action to increase community cohesion")
        + tbl(tr(*HEAD), tr("Task one", "June 08", "Done", "Green", "None"), grid=5)
        + p("Ref. 2.1b – Action: Strengthen community organisations")
        + tbl(tr(*HEAD), tr("Task two", "March 09", "Slipping", "Amber", "Recover by April 09"), grid=5)
        + p("Ref no: 2.1c")
        + p("Action – Widen volunteering")
        + tbl(tr(*HEAD), tr("Task three", "March 09", "Stalled", "Red", "Escalate by April 09"), grid=5)
    )
    gallery = run(tmp_path, build_docx(tmp_path / "stronger-communities-q4.docx", body))
    assert [(t.ref, t.action) for t in gallery.tasks] == [
        ("2.1a", "Take action to increase community cohesion"),
        ("2.1b", "Strengthen community organisations"),
        ("2.1c", "Widen volunteering"),
    ]


def test_summary_ref_action_and_tasks_in_one_big_table(tmp_path: Path) -> None:
    body = p("Thematic Sub-Group Performance Reporting") + tbl(
        tr(tc(p("Outcome: 2:1 Communities live, work and play in peace and harmony"), span=5)),
        tr(tc(p("Date: 4th September 2008"), span=2), tc(p("Sub-group: Stronger Communities Group"), span=3)),
        tr(tc(p("Green – on track"), span=4), "1"),
        tr(tc(p("Amber – needs attention"), span=4), "1"),
        tr(tc(p("Red – needs action"), span=4), "1"),
        tr(tc(p("Total"), span=4), "3"),
        tr(tc(p("Ref: 2.1a"), span=5)),
        tr(tc(p("Action: Take action to increase community cohesion"), span=5)),
        tr(*HEAD),
        tr("Task one", "June 08", "Done", "Green", "None"),
        tr("Task two", "March 09", "Slipping", "Amber", "Recover by April 09"),
        tr(tc(p("Ref: 2.1b"), span=5)),
        tr(tc(p("Action: Strengthen community organisations"), span=5)),
        tr(*HEAD),
        tr("Task three", "March 09", "Stalled", "Red", "Escalate by April 09"),
        grid=5,
    )
    gallery = run(tmp_path, build_docx(tmp_path / "stronger-communities-q4.docx", body))
    assert [(t.ref, t.task, t.status) for t in gallery.tasks] == [
        ("2.1a", "Task one", G),
        ("2.1a", "Task two", A),
        ("2.1b", "Task three", R),
    ]
    assert {t.group for t in gallery.tasks} == {"Stronger Communities Group"}
    (summary,) = gallery.result.summaries
    assert summary.declared == {"Green": 1, "Amber": 1, "Red": 1, "Total": 3}
    assert not gallery.issues("summary-mismatch")


def test_several_outcomes_on_several_sheets_with_a_summary_of_formulas_and_instructions(
    tmp_path: Path,
) -> None:
    path = tmp_path / "stronger-communities-q4.xlsx"
    book = xlsxwriter.Workbook(str(path))
    notes = book.add_worksheet("Instructions")
    notes.write_string(0, 0, "How to fill in this return")
    notes.write_string(2, 0, "Fill in one sheet per outcome. Use Green, Amber, Red or Achieved.")
    notes.write_string(3, 0, "Send it back to the partnership officer by the deadline.")
    summary = book.add_worksheet("Summary")
    summary.write_row(0, 0, ["Outcome", "Green", "Amber", "Red", "Total"])
    summary.write_string(1, 0, "2.1")
    summary.write_string(2, 0, "2.2")
    summary.write_string(3, 0, "Total")
    values = [[1, 1, 0, 2], [0, 0, 1, 1], [1, 1, 1, 3]]
    for r, row in enumerate(values, start=1):
        for c, value in enumerate(row, start=1):
            summary.write_formula(r, c, f"=COUNTIF('Outcome 2.1'!D:D,\"x{c}\")", None, value)
    for sheet_name, outcome, tasks in (
        (
            "Outcome 2.1",
            "Outcome 2.1 – Communities live, work and play in peace and harmony",
            [("Task one", "Green"), ("Task two", "Amber")],
        ),
        (
            "Outcome 2.2",
            "Outcome 2.2 – Our diverse communities have a strong influence",
            [("Task three", "Red")],
        ),
    ):
        ws = book.add_worksheet(sheet_name)
        ws.write_string(0, 0, "Stronger Communities Group")
        if sheet_name == "Outcome 2.1":  # the other sheet says its outcome by its name only
            ws.write_string(1, 0, outcome)
        ws.write_string(2, 0, f"Ref: {outcome[8:11]}a")
        ws.write_string(3, 0, "Action: Take action")
        ws.write_row(4, 0, list(HEAD))
        for r, (task, status) in enumerate(tasks, start=5):
            ws.write_row(r, 0, [task, "March 09", "Under way", status, "Recover by April 09"])
    book.close()
    gallery = run(tmp_path, path)
    assert [(t.outcome, t.ref, t.task, t.status) for t in gallery.tasks] == [
        ("2.1", "2.1a", "Task one", G),
        ("2.1", "2.1a", "Task two", A),
        ("2.2", "2.2a", "Task three", R),
    ]
    assert not gallery.result.summaries, "a summary table's Total row is no declared count"
    assert not gallery.issues("summary-mismatch")
    assert gallery.result.reconciliation.balanced
