"""Issue 2's acceptance test: the shipped inbox, modelled on seed 000's groups with their green
tasks too, consolidates into an exceptions report holding exactly seed 000's amber and red tasks."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from docx import Document

from pipeline.consolidate.steps import consolidate
from pipeline.normalise.status import read_status
from pipeline.publish import write_outputs
from pipeline.records import Status
from pipeline.register import load_register
from samples.seed000 import GROUPS, amber_red_tasks

INBOX = Path(__file__).resolve().parent.parent / "inbox"
REPORT_HEADER = ["Tasks", "Target", "Position", "Status", "Planned improvement/action needed and deadline"]


def _flat(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    inbox = tmp_path_factory.mktemp("inbox")
    for f in INBOX.iterdir():
        shutil.copy2(f, inbox / f.name)
    before = {f.name: f.read_bytes() for f in inbox.iterdir()}
    out = tmp_path_factory.mktemp("out")
    result = consolidate(inbox, load_register())
    write_outputs(result, out)
    assert {f.name: f.read_bytes() for f in inbox.iterdir()} == before, "inputs must never be modified"
    return result, out


def _report_rows(path: Path) -> list[tuple[str, ...]]:
    rows = []
    for table in Document(str(path)).tables:
        cells = [[c.text for c in row.cells] for row in table.rows]
        headers = [i for i, row in enumerate(cells) if [c.strip() for c in row] == REPORT_HEADER]
        if headers:
            rows += [tuple(_flat(c) for c in row) for row in cells[headers[0] + 1 :]]
    return rows


def test_report_holds_exactly_the_amber_and_red_tasks_of_seed_000(consolidated) -> None:  # noqa: ANN001
    _, out = consolidated
    got = Counter(
        (task, target, position, status.split()[0], planned)
        for task, target, position, status, planned in _report_rows(out / "exceptions.docx")
    )
    expected = Counter()
    for _, _, task in amber_red_tasks():
        worst = read_status(task.status).status
        assert worst in (Status.AMBER, Status.RED)
        expected[
            (_flat(task.task), _flat(task.target), _flat(task.position), worst.value, _flat(task.planned))
        ] += 1
    assert got == expected


def test_report_lists_groups_in_seed_order_under_their_headings(consolidated) -> None:  # noqa: ANN001
    _, out = consolidated
    paragraphs = [p.text.strip() for p in Document(str(out / "exceptions.docx")).paragraphs]
    positions = [paragraphs.index(g.name) for g in GROUPS]
    assert positions == sorted(positions)
    assert paragraphs[0].startswith("Action plan tasks at amber or red as at Q4 2008/09")


def test_every_task_row_read_reaches_the_workbook(consolidated) -> None:  # noqa: ANN001
    result, _ = consolidated
    rec = result.reconciliation
    assert rec.rows_read == rec.rows_written == len(result.tasks) + len(result.plans)
    assert rec.exceptions_listed in (None, rec.exceptions) and rec.balanced
    assert (rec.files_found, rec.files_read, rec.files_rejected, rec.files_skipped) == (7, 6, 0, 1)
    assert result.missing_groups == []
    assert rec.exceptions == sum(1 for _ in amber_red_tasks())
    greens = [t for t in result.tasks if t.status in (Status.GREEN, Status.ACHIEVED)]
    assert greens, "the sample returns carry green and achieved tasks too"


def test_only_the_deliberate_summary_mismatch_is_flagged(consolidated) -> None:  # noqa: ANN001
    result, _ = consolidated
    mismatched = {i.place.file for i in result.issues if i.code == "summary-mismatch"}
    assert mismatched == {"cdrp-progress-2008-09-Q4.docx"}
