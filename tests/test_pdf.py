"""exceptions.pdf: made by LibreOffice when it is installed, published with the other outputs."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from consolidation_factory import make_consolidation

from pipeline.cli import main
from pipeline.publish import write_outputs
from pipeline.report import pdf
from pipeline.report.exceptions_report import write_exceptions

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed, so no PDF can be made")


def pages(data: bytes) -> list[bytes]:
    """The MediaBox of each page of a PDF."""
    return re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)


@needs_soffice
def test_the_pdf_is_written_with_the_workbook_and_the_report(tmp_path: Path) -> None:
    notes: list[str] = []
    written = write_outputs(make_consolidation(), tmp_path, notes)
    assert [p.name for p in written] == ["master.xlsx", "exceptions.docx", "exceptions.pdf"]
    data = (tmp_path / "exceptions.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = pages(data)
    assert len(boxes) >= 3  # cover, headline figures and exceptions, appendix
    width, height = (float(n) for n in boxes[0].split()[2:4])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    assert notes == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "exceptions.docx", "exceptions.pdf", "master.xlsx"]


@needs_soffice
def test_the_command_line_makes_the_pdf_only_when_asked(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    sample = Path(__file__).resolve().parents[1] / "inbox" / "stronger-communities-progress-2008-09-Q4.docx"
    shutil.copy2(sample, inbox / sample.name)
    out = tmp_path / "out"
    command = ["consolidate", "--inbox", str(inbox), "--out", str(out), "--no-history"]
    asked = CliRunner().invoke(main, [*command, "--pdf"])
    assert asked.exit_code == 0, asked.output
    assert (out / "exceptions.pdf").read_bytes().startswith(b"%PDF-")
    assert f"Wrote {out / 'master.xlsx'}, {out / 'exceptions.docx'} and {out / 'exceptions.pdf'}" in (
        asked.output.splitlines())
    # Run again without it: the PDF of the previous outputs goes with them.
    plain = CliRunner().invoke(main, command)
    assert plain.exit_code == 0, plain.output
    assert not (out / "exceptions.pdf").exists()
    assert (f"No PDF this time: pipeline consolidate --pdf also makes {out / 'exceptions.pdf'} "
            "for the board.") in plain.output.splitlines()


def test_without_libreoffice_one_line_says_how_to_get_the_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    (tmp_path / "exceptions.pdf").write_bytes(b"%PDF- last quarter's")
    notes: list[str] = []
    written = write_outputs(make_consolidation(), tmp_path, notes)
    assert [p.name for p in written] == ["master.xlsx", "exceptions.docx"]
    # Last quarter's PDF would be taken for this one: it goes with the outputs it belonged to.
    assert not (tmp_path / "exceptions.pdf").exists()
    assert notes == [
        "exceptions.pdf not written: LibreOffice is not installed. Install it (Debian/Ubuntu: apt "
        "install libreoffice-writer) and run again, or open exceptions.docx in Word and save it "
        "as PDF."]


def test_a_hung_libreoffice_is_stopped_at_the_time_limit(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "find_soffice", lambda: str(fake))
    report = tmp_path / "exceptions.docx"
    write_exceptions(make_consolidation(), report)
    started = time.monotonic()
    why = pdf.write_pdf(report, tmp_path / "exceptions.pdf", timeout=1)
    assert time.monotonic() - started < 10
    assert why == ("exceptions.pdf not written: LibreOffice took longer than 1 seconds. Open "
                   "exceptions.docx in Word or LibreOffice and save it as PDF.")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exceptions.docx", "soffice"]


def test_a_report_too_long_to_convert_quickly_gets_no_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "PDF_MAX_EXCEPTIONS", 3)
    notes: list[str] = []
    written = write_outputs(make_consolidation(), tmp_path, notes)
    assert [p.name for p in written] == ["master.xlsx", "exceptions.docx"]
    assert notes == ["exceptions.pdf not written: the report holds 8 tasks at amber or red, too "
                     "many to convert quickly (the limit is 3). Open exceptions.docx in Word and "
                     "save it as PDF."]
