"""The gallery's harness: consolidate real returns, write both outputs, and read them back.

Every gallery test builds its returns as real files, runs the whole consolidation, writes the
master workbook and the exceptions report, and checks the same things of each: every task row
found with every field exact, nothing but tasks in Tasks, every amber/red task in the
Exceptions sheet and in the report, every status read from a colour or a symbol warned about.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl

from pipeline.consolidate.result import Consolidation
from pipeline.consolidate.steps import consolidate
from pipeline.issues import Issue
from pipeline.records import Status, TaskRecord
from pipeline.register import Register, load_register
from pipeline.report.exceptions_report import write_exceptions
from pipeline.report.master import write_master

REGISTER = load_register()
HEAD = ("Tasks", "Target", "Position", "Status", "Planned improvement/action needed and deadline")
#: Issue codes that say a status was read from a colour or a symbol, not a word.
COLOUR_OR_SYMBOL = frozenset({"status-from-colour", "status-from-symbol", "status-from-text-colour"})


@dataclass
class Run:
    """One consolidation of a gallery inbox, with its outputs read back."""

    result: Consolidation
    tasks_sheet: list[dict[str, object]] = field(default_factory=list)
    exceptions_sheet: list[dict[str, object]] = field(default_factory=list)
    report_text: str = ""

    @property
    def tasks(self) -> list[TaskRecord]:
        return self.result.tasks

    def codes(self) -> list[str]:
        return [i.code for i in self.result.issues]

    def issues(self, code: str) -> list[Issue]:
        return [i for i in self.result.issues if i.code == code]


def run(tmp_path: Path, *files: Path, register: Register = REGISTER) -> Run:
    """Consolidate the files as an inbox, write both outputs, read them back, check the basics."""
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    for f in files:
        shutil.move(str(f), inbox / f.name)
    result = consolidate(inbox, register)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    write_master(result, out / "master.xlsx")
    result.reconciliation.exceptions_listed = write_exceptions(result, out / "exceptions.docx")
    book = openpyxl.load_workbook(out / "master.xlsx")
    gallery = Run(
        result, _rows(book["Tasks"]), _rows(book["Exceptions"]), _report_text(out / "exceptions.docx")
    )
    check_outputs(gallery)
    return gallery


def _rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[dict[str, object]]:
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        return []
    head = [str(h) for h in rows[0]]
    found = [dict(zip(head, r, strict=False)) for r in rows[1:] if any(v not in (None, "") for v in r)]
    return [r for r in found if r.get("Task") or r.get("Status")]


def _report_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _flat(text: str) -> str:
    return " ".join(text.split())


def check_outputs(gallery: Run) -> None:
    """What holds of every gallery return: Tasks is the tasks, every exception reaches both
    outputs, every status read from a colour or symbol is warned about."""
    tasks = gallery.tasks
    assert [_flat(str(r["Task"] or "")) for r in gallery.tasks_sheet] == [_flat(t.task) for t in tasks]
    exceptions = [t for t in tasks if t.status in (Status.AMBER, Status.RED)]
    assert [_flat(str(r["Task"] or "")) for r in gallery.exceptions_sheet] == [
        _flat(t.task) for t in exceptions
    ]
    report = _flat(gallery.report_text)
    for task in exceptions:
        assert _flat(task.task) in report, f"{task.task!r} missing from the exceptions report"
    warned = {str(i.place) for i in gallery.result.issues if i.code in COLOUR_OR_SYMBOL}
    for task in tasks:
        # What the cell showed, without the colour the reader added to a shape ("● (red)").
        shown = task.status_text.split(" (")[0]
        by_words = any(c.isalpha() for c in shown) and not shown.startswith("(cell shaded")
        if task.status is not None and not by_words:
            assert str(task.place_of("status")) in warned, f"{task.task!r}: colour read without a warning"


def fields(task: TaskRecord) -> dict[str, object]:
    """The fields a gallery test compares, status as its word."""
    return {
        "task": task.task,
        "target": task.target,
        "position": task.position,
        "status": task.status.value if task.status else None,
        "status_text": task.status_text,
        "planned": task.planned,
        "ref": task.ref,
        "action": task.action,
        "outcome": task.outcome,
        "group": task.group,
        "owner": task.owner,
        "revised_deadline": task.revised_deadline,
        "notes": task.notes,
    }
