"""The run's own arrangement of its steps (`pipeline.run`): work done alongside gives what the
same work done in turn gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import pipeline.consolidate.merge
import pipeline.history.staging
import pipeline.run
from pipeline.history.store import open_store
from pipeline.issues import Issue
from pipeline.register import load_register
from pipeline.run import run_consolidation

INBOX = Path(__file__).resolve().parent.parent / "inbox"
#: Codes the schemas raise on the shipped returns (`merge.validation_issues`), not the readers.
VALIDATION_CODES = {"planned-action-no-deadline", "missing-planned-action", "summary-mismatch"}


def _issues(tmp_path: Path, name: str) -> list[Issue]:
    run = run_consolidation(INBOX, tmp_path / name, load_register(), pdf=False,
                            history_file=tmp_path / f"{name}.sqlite")
    return run.result.issues


def test_records_validated_in_a_child_give_the_issues_validated_here_in_the_same_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    validating = tmp_path / "validated-by"
    original = pipeline.consolidate.merge.validation_issues

    def noting_the_process(*args: object) -> list[Issue]:
        with validating.open("a") as note:
            note.write(f"{os.getpid()}\n")
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline.consolidate.merge, "validation_issues", noting_the_process)
    monkeypatch.setattr(pipeline.run, "VALIDATE_ALONGSIDE_FROM", 10**9)
    here = _issues(tmp_path, "here")
    monkeypatch.setattr(pipeline.run, "VALIDATE_ALONGSIDE_FROM", 0)
    alongside = _issues(tmp_path, "alongside")

    first, second = validating.read_text().split()
    assert first == str(os.getpid()) and second != first  # the second run validated in a child
    assert VALIDATION_CODES <= {i.code for i in here}
    assert alongside == here


def test_a_record_staged_in_the_reports_child_is_the_record_made_after_publishing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staging = tmp_path / "staged-by"
    original = pipeline.history.staging.stage_record

    def noting_the_process(*args: object) -> Path:
        with staging.open("a") as note:
            note.write(f"{os.getpid()}\n")
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline.history.staging, "stage_record", noting_the_process)
    runs = {}
    for name, stage_from in (("direct", 10**9), ("staged", 0)):
        monkeypatch.setattr(pipeline.run, "STAGE_RECORD_FROM", stage_from)
        run_consolidation(INBOX, tmp_path / name, load_register(), pdf=False,
                          history_file=tmp_path / f"{name}.sqlite")
        with open_store(None, tmp_path / f"{name}.sqlite") as store:
            (period,) = store.periods()
            runs[name] = (store.tasks_of(period), store.counts(period))

    (pid,) = staging.read_text().split()  # the second run staged its record, in a child
    assert pid != str(os.getpid())
    assert runs["staged"] == runs["direct"] and runs["direct"][0]
