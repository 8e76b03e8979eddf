"""Converting legacy and OpenDocument formats with LibreOffice, safely and within a time limit."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from pipeline.intake import convert as convert_module
from pipeline.intake.convert import convert_with_libreoffice
from pipeline.intake.sniff import sniff
from pipeline.issues import FileRejected
from tests import hostile_factory as make
from tests.intake_support import needs_soffice, snapshot


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _xlsx_text(path: Path) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    return "\n".join(str(v) for ws in workbook for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)


@needs_soffice
@pytest.mark.parametrize(
    ("case", "target"),
    [("rtf", "docx"), ("doc", "docx"), ("odt", "docx"), ("xls", "xlsx"), ("ods", "xlsx")],
)
def test_convert_really_converts(tmp_path: Path, case: str, target: str) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    if case == "rtf":
        source = make.rtf(inbox / "return.rtf")
    else:
        source = make.via_soffice(make.plain(tmp_path / f"plain.{target}", target), case, inbox)
    before = snapshot(inbox)
    result = convert_with_libreoffice(source, target, tmp_path / "work")
    assert result.is_relative_to(tmp_path / "work")
    assert sniff(result) == target
    text = _docx_text(result) if target == "docx" else _xlsx_text(result)
    assert "Reduce waiting times" in text
    assert snapshot(inbox) == before  # not modified, and no lock file or output beside it


@needs_soffice
def test_conversion_does_not_follow_links_to_local_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    source = make.odt_with_linked_section(tmp_path / "linked.odt", secret)
    result = convert_with_libreoffice(source, "docx", tmp_path / "work")
    assert "TOP SECRET" not in _docx_text(result)


def test_convert_without_libreoffice_needs_conversion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    with pytest.raises(FileRejected) as caught:
        convert_with_libreoffice(make.rtf(tmp_path / "return.rtf"), "docx", tmp_path / "work")
    assert (caught.value.code, caught.value.fields) == (
        "needs-conversion",
        {"extension": "rtf", "reason": "LibreOffice is not installed here to convert it"},
    )


@pytest.mark.parametrize(
    ("script", "reason"),
    [("{sleep} 30 & echo $! > {pidfile}; wait", "LibreOffice took over 1 second to convert it"),
     ("exit 0", "LibreOffice could not convert it (it may be damaged)")],
    ids=["hangs", "writes-nothing"],
)
def test_convert_reports_a_failing_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str, reason: str
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pidfile = tmp_path / "child.pid"
    fake = bin_dir / "soffice"
    fake.write_text("#!/bin/sh\n" + script.format(sleep=shutil.which("sleep"), pidfile=pidfile))
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setattr(convert_module, "TIMEOUT_SECONDS", 1)
    started = time.perf_counter()
    with pytest.raises(FileRejected) as caught:
        convert_with_libreoffice(make.rtf(tmp_path / "return.rtf"), "docx", tmp_path / "work")
    assert time.perf_counter() - started < 5
    assert caught.value.fields["reason"] == reason
    if pidfile.exists():
        # The whole process group was ended, not only the wrapper script.
        assert not _running(int(pidfile.read_text()))


def _running(pid: int) -> bool:
    """True while a process is alive (a zombie waiting to be reaped counts as ended)."""
    for _ in range(100):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return False
        if state in ("Z", "X"):
            return False
        time.sleep(0.01)
    return True
