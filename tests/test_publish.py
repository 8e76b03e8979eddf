"""Outputs are written whole or not at all: a failed run leaves the previous outputs as they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from consolidation_factory import make_consolidation

import pipeline.report.exceptions_report as exceptions_report
from pipeline.publish import OutputError, ensure_output_folder, write_outputs


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
