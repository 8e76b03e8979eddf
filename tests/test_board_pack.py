"""Issue 12: the board pack, checked from the written files after two earlier periods were recorded."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from board_factory import DROPPED, Q3, board_consolidation
from consolidation_factory import CDRP, CHILDREN, ECONOMY, ENVIRONMENT, HEALTH, STRONGER
from docx.document import Document
from docx.table import Table

from pipeline.consolidate.result import Consolidation
from pipeline.consolidate.steps import consolidate
from pipeline.records import Status
from pipeline.register import load_register
from pipeline.report.board import cycle_counts, return_counts
from pipeline.report.exceptions_report import write_exceptions
from pipeline.report.master import write_master

INBOX = Path(__file__).resolve().parent.parent / "inbox"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Consolidation, Document, Path]:
    tmp = tmp_path_factory.mktemp("board")
    result = board_consolidation(tmp)
    write_exceptions(result, tmp / "exceptions.docx")
    write_master(result, tmp / "master.xlsx")
    return result, docx.Document(str(tmp / "exceptions.docx")), tmp / "master.xlsx"


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_starting(document: Document, first: str) -> list[list[str]]:
    found = [t for t in document.tables if t.rows[0].cells[0].text == first]
    assert len(found) == 1, first
    return texts(found[0])


def headline_rows(document: Document) -> list[list[str]]:
    found = [texts(t) for t in document.tables if texts(t)[0][:2] == ["Group", "Green"]]
    assert len(found) == 1
    return found[0]


def section(document: Document, heading: str) -> list[str]:
    """The paragraphs' text under a Heading 1, up to the next one."""
    out, inside = [], False
    for p in document.paragraphs:
        if p.style.name == "Heading 1":
            inside = p.text == heading
        elif inside and p.text.strip():
            out.append(p.text)
    return out


def exception_rows(document: Document) -> dict[str, list[str]]:
    """Each exception's five cells by the first line of its task."""
    rows = {}
    for table in document.tables:
        if table.rows[0].cells[0].text.startswith("Ref:"):
            for row in table.rows[2:]:
                cells = [c.text for c in row.cells]
                rows[cells[0].split("\n")[0]] = cells
    return rows


def test_cover_figures(written: tuple[Consolidation, Document, Path]) -> None:
    _, document, master = written
    facts = dict((row[0], row[1]) for row in table_starting(document, "Period"))
    assert facts["Period"] == "Q4 2008/09"
    assert facts["Produced on"] == "28 April 2009"
    assert facts["Compared with"] == Q3
    summary = openpyxl.load_workbook(master)["Summary"]
    notes = {row[0].value: row[2].value for row in summary.iter_rows(min_row=2, max_row=7)}
    missing = [g for g, note in notes.items() if note == "No return received"]
    assert facts["Returns missing"] == f"{len(missing)}: {', '.join(missing)}"
    assert facts["Returns received"] == f"{len(notes) - len(missing)} of {len(notes)} groups"
    # The cycle's counts are not known yet, so the cover does not invent them.
    assert "Returns late" not in facts and "Returns not yet accepted" not in facts


def test_the_first_page_holds_the_facts_the_headline_figures_and_the_key(
    written: tuple[Consolidation, Document, Path],
) -> None:
    _, document, _ = written
    sections = [(p.text, bool(p.paragraph_format.page_break_before))
                for p in document.paragraphs if p.style.name == "Heading 1"]
    # No page break pushes the headline figures off the first page.
    assert sections[:3] == [("Headline figures", False), ("How to read this report", False),
                            ("Tasks at amber or red", False)]
    first_table = texts(document.tables[0])
    assert first_table[0][0] == "Period"
    assert texts(document.tables[1])[0][:2] == ["Group", "Green"]
    # The key is one piece: each of its rows but the last keeps with the next.
    key = document.tables[2]
    assert texts(key)[0] == ["Mark", "Meaning"]
    kept = [all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
            for row in key.rows]
    assert kept == [True] * (len(key.rows) - 1) + [False]


def test_headline_figures_match_the_summary_sheet_and_last_period(
    written: tuple[Consolidation, Document, Path],
) -> None:
    _, document, master = written
    rows = headline_rows(document)
    assert rows[1][1:4] == ["Now", "Last", "+/–"]
    summary = openpyxl.load_workbook(master)["Summary"]
    by_group = {row[0].value: [c.value for c in row[3:7]]
                for row in summary.iter_rows(min_row=2, max_row=8)}
    body = {r[0].removesuffix(" (no return)"): r for r in rows[2:]}
    for group in (CDRP, ECONOMY, HEALTH, CHILDREN, STRONGER, "Total"):
        now = [int(body[group][1 + 3 * i]) for i in range(4)]
        assert now == by_group[group], group
    # CDRP in Q3: one green task, 'Publicise…' red, and an amber one no longer reported.
    cdrp = body[CDRP]
    assert cdrp[1:4] == ["1", "1", "0"]
    assert cdrp[4:7] == ["1", "1", "0"]
    assert cdrp[7:10] == ["0", "1", "−1"]
    assert body[ENVIRONMENT][1] == "–" and body[ENVIRONMENT][2] == "0"


def test_each_exception_shows_last_period_direction_and_run(
    written: tuple[Consolidation, Document, Path],
) -> None:
    _, document, _ = written
    status = {task: cells[3].split("\n") for task, cells in exception_rows(document).items()}
    assert status["Neighbourhood Management Group to perform community engagement events"] == [
        "Amber", "↓ worsened", "last period: Green", "amber/red for 1 period"]
    assert status["Develop Joint Commissioning Plan with partners"] == [
        "Amber", "→ no change", "last period: Amber", "amber/red for 3 periods"]
    assert status["Develop integrated Employer Offer"] == ["Amber", "new", "amber/red for 1 period"]
    assert status["Explore Green Gym initiative"] == [
        "Amber", "↑ improved", "last period: Red", "amber/red for 2 periods"]
    assert status["Take action through the Partnership to ensure cleaner, safer cycle paths"] == [
        "Red", "→ no change", "last period: Red", "amber/red for 3 periods"]
    # Not reported in Q2, amber in Q3: the run is two, not three.
    assert status["a) Ensure partners have a shared understanding of community cohesion"][-1] == (
        "amber/red for 2 periods")


def test_exceptions_are_headed_by_group_and_outcome(
    written: tuple[Consolidation, Document, Path],
) -> None:
    _, document, _ = written
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name in ("Heading 2", "Heading 3")]
    assert headings[:4] == [("Heading 2", CDRP), ("Heading 3", "Outcome 2.3"),
                            ("Heading 2", ECONOMY), ("Heading 3", "Outcome 4.3")]


def test_off_the_list_table(written: tuple[Consolidation, Document, Path]) -> None:
    _, document, _ = written
    rows = [r for t in document.tables if texts(t)[0][:3] == ["Group", "Ref", "Task"]
            for r in texts(t)]
    assert rows[1:] == [
        [CDRP, "2.3b", "Publicise crime reduction results", "Red", "Green"],
        [HEALTH, "3.4a", "Healthy schools programme", "Amber", "Achieved"],
    ]
    text = section(document, "Off the list since last period")
    assert text[0] == f"2 tasks at amber or red in {Q3} are green or achieved now."
    assert text[-1].startswith("1 task at amber or red last period is not in this period's returns")
    assert all(DROPPED not in r[2] for r in rows)


def test_appendix_of_data_quality(written: tuple[Consolidation, Document, Path]) -> None:
    _, document, _ = written
    appendix = [texts(t) for t in document.tables if texts(t)[0][:2] == ["Group", "Errors"]][0]
    assert appendix[1:] == [
        [HEALTH, "0", "1", "0"],
        [STRONGER, "1", "0", "0"],
        ["Group not identified", "1", "0", "1"],
        ["Total", "2", "1", "1"],
    ]
    kinds = [texts(t) for t in document.tables if texts(t)[0] == ["Problem", "Severity", "How many"]]
    assert kinds[0][1:] == [["File cannot be opened", "Error", "1"], ["Status missing", "Error", "1"],
                            ["Summary counts do not match the tasks", "Query", "1"]]
    assert section(document, "Appendix: data quality")[-1] == (
        f"Returns missing: {ENVIRONMENT}.")


def test_without_history_nothing_is_guessed(tmp_path: Path) -> None:
    from consolidation_factory import make_consolidation

    result = make_consolidation()
    write_exceptions(result, tmp_path / "exceptions.docx")
    document = docx.Document(str(tmp_path / "exceptions.docx"))
    status = {task: cells[3].split("\n") for task, cells in exception_rows(document).items()}
    assert status["Explore Green Gym initiative"] == ["Amber", "↑ improved"]
    assert section(document, "Off the list since last period") == [
        "No earlier period is recorded in the history, so there is nothing to compare with yet."]
    headline = headline_rows(document)
    assert headline[1][0] == CDRP  # one row of headings: no Now/Last/+/– row
    # The factory's returns have a task with no status: it has a column, so each row adds up.
    assert headline[0] == ["Group", "Green", "Amber", "Red", "Achieved", "No status", "All tasks"]


def test_the_cycle_hook_shows_late_and_unaccepted_returns_when_known() -> None:
    from consolidation_factory import make_consolidation

    result = make_consolidation()
    assert cycle_counts(result) == (None, None)

    cycled = dataclasses.replace(result, late_groups=[CDRP, HEALTH], unaccepted_groups=[])
    counts = return_counts(cycled)
    assert (counts.late, counts.not_accepted, counts.received) == (2, 0, 5)


def test_a_note_under_a_green_task_is_kept_with_its_action(tmp_path: Path) -> None:
    """Seed 000's note on the CESP followed a table whose last task is green."""
    inbox = tmp_path / "inbox"
    shutil.copytree(INBOX, inbox)
    result = consolidate(inbox, load_register())
    noted = [t for t in result.tasks if t.notes.startswith("Marketing Gloucester")]
    assert noted and all(t.status is Status.GREEN for t in noted)
    write_exceptions(result, tmp_path / "exceptions.docx")
    document = docx.Document(str(tmp_path / "exceptions.docx"))
    paragraphs = [p.text for p in document.paragraphs]
    note = next(i for i, p in enumerate(paragraphs) if p.startswith("Marketing Gloucester"))
    # It follows the CESP action's table, before the next group's heading.
    assert paragraphs.index("Healthy City Partnership") > note > paragraphs.index(
        "Economic Development Coordination Group")


def test_owner_and_revised_deadline_are_shown_when_the_return_gives_them(tmp_path: Path) -> None:
    from consolidation_factory import make_consolidation, seed_tasks

    tasks = seed_tasks()
    tasks[0] = dataclasses.replace(tasks[0], owner="Kerry Whitcombe, PCT",
                                   revised_deadline="June 09")
    write_exceptions(make_consolidation(tasks), tmp_path / "exceptions.docx")
    cells = exception_rows(docx.Document(str(tmp_path / "exceptions.docx")))[tasks[0].task]
    assert cells[0] == f"{tasks[0].task}\nOwner: Kerry Whitcombe, PCT"
    assert cells[1] == f"{tasks[0].target}\nRevised deadline: June 09"
    others = [c for task, c in exception_rows(docx.Document(str(tmp_path / "exceptions.docx"))).items()
              if task != tasks[0].task]
    assert not any("Owner:" in c[0] or "Revised deadline:" in c[1] for c in others)


def test_headline_rows_add_up_with_a_no_status_column_only_when_needed(tmp_path: Path) -> None:
    """A task with no status is counted in a No status column, so each row adds up to its total;
    the column is there only when some task has no status."""
    from consolidation_factory import make_consolidation

    result = make_consolidation()
    unstated = [t for t in result.tasks if t.status is None]
    assert unstated, "the factory has a task with no status"
    write_exceptions(result, tmp_path / "with.docx")
    headline = headline_rows(docx.Document(str(tmp_path / "with.docx")))
    assert headline[0][5] == "No status"
    for row in headline[1:]:
        if row[1] != "–":  # a group with no return
            assert sum(int(n) for n in row[1:6]) == int(row[6]), row
    assert headline[-1][5] == str(len(unstated))
    result.tasks = [t for t in result.tasks if t.status is not None]
    write_exceptions(result, tmp_path / "without.docx")
    headline = headline_rows(docx.Document(str(tmp_path / "without.docx")))
    assert headline[0] == ["Group", "Green", "Amber", "Red", "Achieved", "All tasks"]
