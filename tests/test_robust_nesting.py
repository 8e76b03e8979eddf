"""Limits and faults the first round of tests left without a case of their own: e-mails forwarded
too deep, XML nested too deep, several padded returns in one inbox, a concurrent run, and text
reordering characters inside a cell."""

from __future__ import annotations

import shutil
import time
import zipfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from mail_factory import DOCX_TYPE, File, docx_bytes, eml, write

from pipeline import limits
from pipeline.cli import main
from pipeline.consolidate.result import SubmissionState
from pipeline.consolidate.steps import consolidate
from pipeline.register import load_register
from tests import hostile_factory as make

REGISTER = load_register()
REPO = Path(__file__).resolve().parent.parent


def test_an_email_forwarded_too_deep_lists_what_it_did_not_open(tmp_path: Path) -> None:
    inner = eml(File("deep.docx", docx_bytes("Deep task"), DOCX_TYPE), subject="level 0")
    for level in range(1, limits.MAX_EMAIL_NESTING + 2):
        inner = eml(subject=f"level {level}", forwarded=inner)
    inbox = tmp_path / "inbox"
    write(inbox / "forwarded.eml", inner)
    write(inbox / "plain.eml", eml(File("return.docx", docx_bytes(), DOCX_TYPE)))
    result = consolidate(inbox, REGISTER)
    subs = {s.file: s for s in result.submissions}
    deep = [s for name, s in subs.items() if name.startswith("forwarded.eml/")]
    assert deep, "what was not opened is still listed"
    assert any(s.state == SubmissionState.SKIPPED and s.reason == (
        f"it is a message forwarded more than {limits.MAX_EMAIL_NESTING} times over; it was not "
        "opened") for s in deep)
    assert subs["plain.eml/return.docx"].state == SubmissionState.ACCEPTED


def test_xml_nested_too_deep_is_refused_and_the_rest_is_read(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make.plain_docx(inbox / "housing.docx")
    deep = inbox / "deep.docx"
    depth = limits.MAX_XML_DEPTH + 50
    with zipfile.ZipFile(inbox / "housing.docx") as src, \
            zipfile.ZipFile(deep, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b"<w:customXml>" * depth
                                    + b"</w:customXml>" * depth, 1)
            dst.writestr(info.filename, data)
    started = time.monotonic()
    result = consolidate(inbox, REGISTER)
    subs = {s.file: s for s in result.submissions}
    assert subs["deep.docx"].state == SubmissionState.REJECTED
    assert "word/document.xml" in subs["deep.docx"].reason and "depth" in subs["deep.docx"].reason.lower()
    assert subs["housing.docx"].state == SubmissionState.ACCEPTED
    assert time.monotonic() - started < 60


def test_three_padded_returns_in_one_inbox_still_give_the_outputs(tmp_path: Path) -> None:
    from test_limits import empty_paragraphs_docx

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    empty_paragraphs_docx(inbox / "padded-1.docx")
    (inbox / "plain-padded-1.docx").unlink()
    for n in (2, 3):
        shutil.copy(inbox / "padded-1.docx", inbox / f"padded-{n}.docx")
    make.plain_docx(inbox / "housing.docx")
    out = tmp_path / "out"
    done = CliRunner().invoke(main, ["consolidate", "--inbox", str(inbox), "--out", str(out), "--no-history"])
    assert done.exit_code == 0, done.output
    assert "Files: 4 found, 1 read, 3 rejected" in done.output
    assert (out / "master.xlsx").exists() and (out / "exceptions.docx").exists()


def test_a_second_run_into_the_same_folder_is_refused_and_the_outputs_kept(tmp_path: Path) -> None:
    from pipeline.run_lock import run_lock

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make.plain_docx(inbox / "housing.docx")
    out = tmp_path / "out"
    first = CliRunner().invoke(main, ["consolidate", "--inbox", str(inbox), "--out", str(out),
                                      "--no-history"])
    assert first.exit_code == 0, first.output
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    with run_lock(out):  # another run, in the middle of its work
        second = CliRunner().invoke(main, ["consolidate", "--inbox", str(inbox), "--out", str(out),
                                           "--no-history"])
    assert second.exit_code == 1
    assert second.output.startswith(f"Error: Another consolidation is running into {out}")
    assert len(second.output.strip().splitlines()) == 1
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name in before} == before


def test_reordering_characters_in_a_cell_never_reach_a_sheet(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Return"
    sheet.append(["Tasks", "Target", "Position", "Status", "Planned improvement"])
    sheet.append(["Pay \u202e0001\u202c suppliers", "10", "6", "Amber", "Chase \u2067them\u2069"])
    book.save(inbox / "stronger-communities.xlsx")
    out = tmp_path / "out"
    done = CliRunner().invoke(main, ["consolidate", "--inbox", str(inbox), "--out", str(out), "--no-history"])
    assert done.exit_code == 0, done.output
    master = openpyxl.load_workbook(out / "master.xlsx")
    texts = [str(c.value) for ws in master.worksheets for row in ws.iter_rows() for c in row
             if c.value is not None]
    assert "Pay 0001 suppliers" in texts
    assert not [t for t in texts if any(ch in t for ch in "\u202e\u202c\u2067\u2069")]
