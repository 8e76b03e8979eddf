"""A period's record staged beside the history (`history.staging`) and copied in by SQLite is
the record `HistoryStore.record` makes from the consolidation itself, row for row."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pipeline.consolidate.result import Consolidation
from pipeline.consolidate.steps import consolidate
from pipeline.history.schema import IssueRow, SourceFileRow, TaskRow
from pipeline.history.staging import stage_record
from pipeline.history.store import HistoryStore, open_store
from pipeline.register import load_register

INBOX = Path(__file__).resolve().parent.parent / "inbox"
PERIOD = "Q4 2008/09"


@pytest.fixture(scope="module")
def shipped() -> Consolidation:
    """The shipped returns consolidated: tasks, plans, issues and files of every kind there is."""
    result = consolidate(INBOX, load_register(), period=PERIOD)
    assert result.tasks and result.issues and len(result.submissions) > 1
    return result


def _recorded(store: HistoryStore) -> dict[str, list[tuple[Any, ...]]]:
    """Every column of the period's files, tasks and issues but the row and period ids, in order."""
    recorded = {}
    with store.engine.connect() as connection:
        for row_class in (SourceFileRow, TaskRow, IssueRow):
            table = row_class.__table__
            columns = [c for c in table.columns if c.key not in ("id", "period_id")]
            rows = connection.execute(select(*columns).order_by(table.c.id)).all()
            recorded[table.name] = [tuple(row) for row in rows]
    return recorded


def test_a_staged_record_is_the_record_made_from_the_consolidation(
    store: HistoryStore, shipped: Consolidation, tmp_path: Path
) -> None:
    store.record(shipped)
    direct = _recorded(store)
    # Recorded again from its staged file: the period's record replaced by the same rows.
    store.record(shipped, staged=stage_record(shipped, tmp_path / "staged.sqlite"))
    assert _recorded(store) == direct
    assert len(direct["task"]) == len(shipped.tasks) and len(direct["issue"]) == len(shipped.issues)
    assert store.periods() == [PERIOD]


@pytest.mark.parametrize("staged", ["missing", "not a database", "no tables"])
def test_a_staged_file_that_cannot_be_copied_in_leaves_the_record_made_as_without_one(
    tmp_path: Path, shipped: Consolidation, staged: str
) -> None:
    path = tmp_path / "staged.sqlite"
    if staged == "not a database":
        path.write_text("not SQLite")
    elif staged == "no tables":
        path.touch()  # an empty SQLite database
    with open_store(None, tmp_path / "direct.sqlite") as direct, \
            open_store(None, tmp_path / "fallen-back.sqlite") as fallen_back:
        direct.record(shipped)
        fallen_back.record(shipped, staged=path)
        assert _recorded(fallen_back) == _recorded(direct)


def test_in_a_sqlite_history_the_rows_are_the_staged_files(tmp_path: Path, shipped: Consolidation) -> None:
    # What makes the staging pay: the rows are copied from the file, not made again. (The file
    # must be the consolidation's own; one with a task's words changed shows where they came from.)
    reworded = replace(shipped, tasks=[replace(shipped.tasks[0], task="Staged words"), *shipped.tasks[1:]])
    with open_store(None, tmp_path / "history.sqlite") as store:
        store.record(shipped, staged=stage_record(reworded, tmp_path / "staged.sqlite"))
        assert [t.task for t in store.tasks_of(PERIOD)][:2] == ["Staged words", shipped.tasks[1].task]
