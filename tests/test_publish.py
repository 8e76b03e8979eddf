"""Outputs are written whole or not at all: a failed run leaves the previous outputs as they were."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from consolidation_factory import make_consolidation

import pipeline.report.exceptions_report as exceptions_report
import pipeline.report.master as master
from pipeline.consolidate.result import ConsolidationError, Reconciliation
from pipeline.publish import OutputError, ensure_output_folder, write_outputs
from pipeline.records import TaskRecord
from pipeline.report.exceptions_report import ActionBlock


def test_a_failure_while_writing_leaves_the_previous_outputs_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "outputs"
    write_outputs(make_consolidation(), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exceptions_report, "write_exceptions", disk_full)
    expected = ("no space left on device.*Nothing was replaced: the previous master.xlsx, "
                "exceptions.docx and exceptions.pdf")
    with pytest.raises(OutputError, match=expected):
        write_outputs(make_consolidation(), out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before, "no new, half-written or stray file"


def test_an_output_folder_that_is_a_file_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    blocker = tmp_path / "outputs"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match="Cannot write to the output folder"):
        ensure_output_folder(blocker)


def test_the_reconciliation_counts_what_the_writers_wrote(tmp_path: Path) -> None:
    result = make_consolidation()
    rec = result.reconciliation
    assert rec.rows_written is None and not rec.balanced, "nothing is written yet"
    write_outputs(result, tmp_path / "outputs")
    assert rec.rows_written == len(result.tasks) + len(result.plans)
    # Counted in the child process that wrote the report, sent back and checked here.
    assert rec.exceptions_listed == len(result.exceptions) > 0
    assert rec.balanced


def test_a_writer_that_loses_a_row_fails_the_reconciliation_and_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "outputs"
    write_outputs(make_consolidation(), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = master.write_task_sheets

    def loses_the_last_task(book, styles, tasks, **kw):  # noqa: ANN001, ANN202
        return real(book, styles, list(tasks)[:-1], **kw)

    monkeypatch.setattr(master, "write_task_sheets", loses_the_last_task)
    result = make_consolidation()
    read = result.reconciliation.rows_read
    with pytest.raises(OutputError, match=f"Reconciliation failed: {read} task rows were read but "
                                          f"{read - 1} written and 0 listed in Issues.*Nothing was "
                                          "replaced"):
        write_outputs(result, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_report_that_loses_a_task_fails_the_reconciliation_and_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "outputs"
    write_outputs(make_consolidation(), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = exceptions_report._action_table
    lost: list[TaskRecord] = []

    def first_table_loses_its_last_task(block: ActionBlock, *args: Any) -> str:
        if not lost:
            lost.append(block.tasks[-1])
            block = dataclasses.replace(block, tasks=block.tasks[:-1])
        return real(block, *args)

    # In the child process that writes the report (forked after this), as in a run.
    monkeypatch.setattr(exceptions_report, "_action_table", first_table_loses_its_last_task)
    result = make_consolidation()
    amber_red = len(result.exceptions)
    with pytest.raises(OutputError, match=f"Could not write exceptions.docx: Reconciliation failed: "
                                          f"{amber_red} tasks are amber or red but the exceptions "
                                          f"report lists {amber_red - 1}.*Nothing was replaced"):
        write_outputs(result, out)
    assert result.reconciliation.exceptions_listed == amber_red - 1, "the count came back"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_an_exceptions_report_that_lists_fewer_tasks_fails_the_reconciliation() -> None:
    rec = Reconciliation(rows_read=5, rows_merged=5, rows_written=5, exceptions=3, exceptions_listed=2)
    assert not rec.balanced
    with pytest.raises(ConsolidationError, match="3 tasks are amber or red but the exceptions report "
                                                 "lists 2"):
        rec.check()
