"""The master workbook's Issues rows written by another process and taken in place of writing
them (`write_issue_rows`, `RowsSheet.take_rows`): the same workbook as when written here, the
rows really those written apart, and rows that do not fit this workbook never taken."""

from __future__ import annotations

import dataclasses
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from consolidation_factory import make_consolidation, many_tasks

import pipeline.report.master
from pipeline.consolidate.result import Consolidation
from pipeline.document import Place
from pipeline.issues import Issue, make_issue
from pipeline.publish import write_outputs
from pipeline.report.master import IssueRows, write_issue_rows, write_master


def _issues(count: int, reason: str = "not a zip file") -> list[Issue]:
    kinds = [
        lambda n: make_issue("unreadable-file", Place(f"file-{n}.docx"), reason=f"{reason} {n}"),
        lambda n: make_issue("missing-status", Place(f"file-{n}.docx", table=2, row=n),
                             task=f"=task {n} – “quoted”"),
        lambda n: make_issue("unmapped-header", Place(f"file-{n}.xlsx", sheet="Q4", cell="H1"),
                             header=f"Comments & <notes> {n}"),
    ]
    return [kinds[n % 3](n) for n in range(count)]


def _result(issues: int = 300) -> Consolidation:
    result = make_consolidation(many_tasks(40))
    result.issues = _issues(issues)
    return result


def _parts(path: Path) -> dict[str, bytes]:
    """Every part of a package but its creation time."""
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        return {name: package.read(name) for name in package.namelist() if name != "docProps/core.xml"}


def _problems(path: Path) -> list[str]:
    sheet = openpyxl.load_workbook(path)["Issues"]
    return [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_rows_written_apart_make_the_workbook_written_here(tmp_path: Path) -> None:
    result = _result()
    here, apart = tmp_path / "here.xlsx", tmp_path / "apart.xlsx"
    write_master(result, here, constant_memory_over=0)
    (tmp_path / "rows").mkdir()
    rows = write_issue_rows(result.issues, tmp_path / "rows")
    write_master(dataclasses.replace(result), apart, constant_memory_over=0, issue_rows=lambda: rows)
    assert _parts(apart) == _parts(here)
    assert len(_problems(apart)) == len(result.issues)


def test_the_rows_taken_are_those_written_apart(tmp_path: Path) -> None:
    # Rows written for other issues (as many) show in the workbook: they were taken, not rewritten.
    result = _result()
    (tmp_path / "rows").mkdir()
    other = _issues(len(result.issues), reason="written apart")
    rows = write_issue_rows(other, tmp_path / "rows")
    write_master(result, tmp_path / "apart.xlsx", constant_memory_over=0, issue_rows=lambda: rows)
    problems = _problems(tmp_path / "apart.xlsx")
    assert any("written apart" in p for p in problems)
    assert not any("not a zip file" in p for p in problems)


@pytest.mark.parametrize("unfit", ["other formats", "other issues", "none", "not streamed"])
def test_rows_that_do_not_fit_are_written_here(tmp_path: Path, unfit: str) -> None:
    result = _result()
    (tmp_path / "rows").mkdir()
    rows: IssueRows | None = write_issue_rows(result.issues, tmp_path / "rows")
    assert rows is not None
    if unfit == "other formats":
        rows = rows._replace(formats=rows.formats[::-1])
    elif unfit == "other issues":
        rows = rows._replace(issues=rows.issues + 1)
    elif unfit == "none":
        rows = None
    streamed = 10**9 if unfit == "not streamed" else 0
    here, apart = tmp_path / "here.xlsx", tmp_path / "apart.xlsx"
    write_master(result, here, constant_memory_over=streamed)
    write_master(dataclasses.replace(result), apart, constant_memory_over=streamed,
                 issue_rows=lambda: rows)
    assert _parts(apart).keys() == _parts(here).keys()
    assert _problems(apart) == _problems(here)
    if unfit != "not streamed":
        assert _parts(apart) == _parts(here)


def test_a_run_writes_its_issue_rows_in_the_reports_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written_by = tmp_path / "written-by"
    original = pipeline.report.master.write_issue_rows

    def noting_the_process(issues: list[Issue], folder: Path) -> IssueRows:
        with written_by.open("a") as note:
            note.write(f"{os.getpid()}\n")
        return original(issues, folder)

    monkeypatch.setattr(pipeline.report.master, "write_issue_rows", noting_the_process)
    monkeypatch.setattr(pipeline.report.master, "CONSTANT_MEMORY_OVER", 0)
    outputs = {}
    for name, apart_from in (("here", 10**9), ("apart", 0)):
        monkeypatch.setattr(pipeline.report.master, "ISSUE_ROWS_APART_FROM", apart_from)
        write_outputs(_result(), tmp_path / name, pdf=False)
        outputs[name] = _parts(tmp_path / name / "master.xlsx")
    (pid,) = written_by.read_text().split()
    assert pid != str(os.getpid())
    assert outputs["apart"] == outputs["here"]


def test_a_sheet_written_into_after_taking_its_rows_is_refused(tmp_path: Path) -> None:
    from pipeline.report.xlsx_rows import RowsWorkbook

    (tmp_path / "rows").mkdir()
    rows = write_issue_rows(_issues(3), tmp_path / "rows")
    book = RowsWorkbook(tmp_path / "out.xlsx", tmp_path, {})
    sheet = book.add_worksheet("Issues")
    sheet.take_rows(rows.rows)
    sheet.write_string(7, 0, "written after")
    with pytest.raises(ValueError, match="after taking its rows"):
        sheet.finish_rows()
