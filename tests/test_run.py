"""The run's own arrangement of its steps (`pipeline.run`): work done alongside gives what the
same work done in turn gives."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

import pipeline.consolidate.merge
import pipeline.history.staging
import pipeline.run
from pipeline.heap import frozen_heap
from pipeline.history.store import open_store
from pipeline.issues import Issue
from pipeline.preload import load_validation
from pipeline.register import load_register
from pipeline.run import run_consolidation
from pipeline.side_process import StandbyProcess

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


def _pid_noted(note: Path, work: Callable[..., list[Issue]]) -> Callable[..., list[Issue]]:
    """`work`, noting in `note` the process it ran in (a module's function, so it can be sent)."""

    def noting(*args: object) -> list[Issue]:
        with note.open("a") as file:
            file.write(f"{os.getpid()}\n")
        return work(*args)

    return noting


@pytest.mark.parametrize("history", [True, False], ids=["history", "no-history"])
def test_a_small_run_checked_in_the_standby_child_gives_the_issues_checked_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, history: bool
) -> None:
    standby = StandbyProcess(load_validation)
    try:
        assert standby.ready
        with_standby = run_consolidation(INBOX, tmp_path / "standby", load_register(), pdf=False,
                                         history=history, history_file=tmp_path / "standby.sqlite",
                                         standby=standby).result.issues
    finally:
        standby.close()
    # The same run without: the work noted where it was done, here.
    note = tmp_path / "checked-by"
    monkeypatch.setattr(pipeline.run, "_validation", _pid_noted(note, pipeline.run._validation))
    monkeypatch.setattr(pipeline.run, "_status_queries", _pid_noted(note, pipeline.run._status_queries))
    here = run_consolidation(INBOX, tmp_path / "here", load_register(), pdf=False, history=history,
                             history_file=tmp_path / "here.sqlite").result.issues
    assert note.read_text().split() == [str(os.getpid())] * 2
    assert VALIDATION_CODES <= {i.code for i in here}
    assert {"position-unchanged", "target-date-passed"} & {i.code for i in here}
    assert with_standby == here


def test_the_standby_child_is_used_for_a_small_inbox_and_closed_for_a_large_one(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(pipeline.run.SMALL_RUN_ENTRIES - 1):
        (inbox / f"return-{n}.docx").write_bytes(b"")
    standby = StandbyProcess(load_validation)
    try:
        assert pipeline.run._standing_by_for(standby, inbox) is standby
        (inbox / "one-more.docx").write_bytes(b"")
        assert pipeline.run._standing_by_for(standby, inbox) is None
        assert not standby.ready  # closed: a large run's reading wants every core
    finally:
        standby.close()


def test_comparing_with_the_history_runs_no_cycle_collection(tmp_path: Path) -> None:
    """Last period's tasks, the changes and the trend are made with the collector paused: a full
    collection then would walk every one of them and free nothing."""
    import gc

    from board_factory import Q3, earlier_tasks
    from consolidation_factory import make_consolidation

    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    with open_store(None, tmp_path / "history.sqlite") as store:
        earlier = make_consolidation(earlier_tasks(1) * 20)  # enough objects for collections
        earlier.period = Q3
        store.record(earlier)
        result = make_consolidation()
        gc.callbacks.append(count)
        try:
            with frozen_heap():  # as in a run
                last = pipeline.run.attach_history(result, store)
        finally:
            gc.callbacks.remove(count)
    assert len(last.tasks) == len(earlier.tasks) and result.trend.lines
    assert collections == []
