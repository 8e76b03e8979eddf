"""A run tells where its time went, step by step, only when asked to (PIPELINE_TIMINGS)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.register import load_register
from pipeline.run import run_consolidation
from pipeline.timings import PREFIX, TIMINGS_ENV

INBOX = Path(__file__).resolve().parent.parent / "inbox"
LINE = re.compile(rf"^{PREFIX}(?P<step>[a-z ()]+): \d+\.\d\d s wall, \d+\.\d\d s CPU$")


def _consolidate(tmp_path: Path) -> None:
    run_consolidation(INBOX, tmp_path / "out", load_register(), pdf=False,
                      history_file=tmp_path / "history.sqlite")


def test_each_step_of_a_run_says_its_wall_and_cpu_seconds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(TIMINGS_ENV, "1")
    _consolidate(tmp_path)
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith(PREFIX)]
    assert all(LINE.match(line) for line in lines), lines
    steps = [m["step"] for line in lines if (m := LINE.match(line))]
    # Work done alongside (the report, the validation) says so; a child says it on its own stderr.
    assert [s for s in steps if not s.endswith(" (alongside)")] == [
        "read", "merge", "history", "checks", "workbook", "outputs", "record"]


def test_a_run_says_nothing_of_its_timings_unless_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(TIMINGS_ENV, raising=False)
    _consolidate(tmp_path)
    captured = capsys.readouterr()
    assert PREFIX not in captured.err and PREFIX not in captured.out
