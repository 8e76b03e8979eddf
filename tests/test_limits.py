"""Bounded work per file: small hostile files cost time and memory for what they hold, not what
they declare; every limit is named in its message; a long file is stopped and the rest is read.

The resource cases are read in a child process under an address-space limit, and its CPU time
and peak memory for the read are measured there.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline import limits
from pipeline.cli import main
from pipeline.consolidate.result import Consolidation, SubmissionState
from pipeline.consolidate.steps import consolidate
from pipeline.register import load_register
from tests import hostile_factory as make

REPO = Path(__file__).resolve().parent.parent
#: The child's whole address space: a dense grid of 4 million cells would need several times this.
ADDRESS_SPACE = 1536 * 1024 * 1024

_CHILD = """
import json, resource, sys, time
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from pipeline.consolidate.read import read_here
from pipeline.intake.scan import scan_inbox
from pipeline.layout.interpret import interpret  # imported before measuring, like every other import
from pipeline.register import load_register
path = Path(sys.argv[1])
register = load_register()
(entry,) = [e for e in scan_inbox(path.parent) if e.path == path]
before = resource.getrusage(resource.RUSAGE_SELF)
started = time.perf_counter()
result = read_here(entry, register)
after = resource.getrusage(resource.RUSAGE_SELF)
issues = [i.message for i in result.issues] + [i.message for i in (result.data.issues if result.data else [])]
# VmHWM, not ru_maxrss: on Linux ru_maxrss carries over the parent's peak across fork and exec.
status = Path("/proc/self/status").read_text()
peak_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
print(json.dumps({{"cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
                  "wall": time.perf_counter() - started, "peak_mb": peak_kb / 1024,
                  "state": result.submission.state, "reason": result.submission.reason,
                  "rows": result.submission.rows, "issues": issues}}))
"""


def _read_in_child(path: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", _CHILD.format(limit=ADDRESS_SPACE), str(path)],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _rewrite(source: Path, target: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, change(data) if info.filename == part else data)
    return target


def far_cell_xlsx(path: Path) -> Path:
    """A 6 KB workbook with its task table in A1:B2 and one cell at GR20000."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tasks", "Status"])
    sheet.append(["Reduce waiting times", "Green"])
    sheet["GR20000"] = "x"
    book.save(path)
    return path


def declared_dimension_xlsx(path: Path) -> Path:
    """A plain return whose sheet declares it uses A1:XFD1048576."""
    plain = make.plain_xlsx(path.with_name("plain-" + path.name))
    return _rewrite(plain, path, "xl/worksheets/sheet1.xml", lambda data: re.sub(
        rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data))


def grid_span_docx(path: Path) -> Path:
    """A two-column task table followed by 3,000 rows each spanning 200 columns."""
    plain = make.plain_docx(path.with_name("plain-" + path.name))
    row = (b'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="200"/></w:tcPr><w:p><w:r><w:t>a</w:t></w:r>'
           b"</w:p></w:tc></w:tr>")
    return _rewrite(plain, path, "word/document.xml",
                    lambda data: data.replace(b"</w:tbl>", row * 3000 + b"</w:tbl>", 1))


def empty_paragraphs_docx(path: Path, count: int = 1_500_000) -> Path:
    """A return padded with empty paragraphs: about 60 to 1, under the compression-ratio limit."""
    plain = make.plain_docx(path.with_name("plain-" + path.name))
    pad = b"".join(b"<w:p/>" if i % 3 else b'<w:p w:rsidR="%08X"/>' % (i * 2654435761 % 2**32)
                   for i in range(count))
    return _rewrite(plain, path, "word/document.xml",
                    lambda data: data.replace(b"<w:body>", b"<w:body>" + pad, 1))


@pytest.mark.parametrize(
    ("build", "state", "message"),
    [
        (far_cell_xlsx, "accepted", None),
        (declared_dimension_xlsx, "accepted", None),
        (grid_span_docx, "accepted", None),
        (empty_paragraphs_docx, "rejected",
         "The file was refused before reading: it has over 500,000 XML elements, the limit "
         "(part word/document.xml)."),
        (lambda p: make.many_parts(p, "docx", parts=50_000), "rejected",
         "The file was refused before reading: it holds 50,002 parts (at most 5,000 are read)."),
    ],
    ids=["cell-at-GR20000", "dimension-A1-XFD1048576", "gridSpan-200", "empty-paragraphs",
         "50000-tiny-parts"],
)
def test_a_small_hostile_file_costs_what_it_holds(
    tmp_path: Path, build: Callable[[Path], Path], state: str, message: str | None
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    suffix = ".xlsx" if "xlsx" in getattr(build, "__name__", "") else ".docx"
    path = build(inbox / f"return{suffix}")
    for extra in inbox.glob("plain-*"):
        extra.unlink()
    measured = _read_in_child(path)
    assert measured["state"] == state, measured
    if message is not None:
        assert measured["reason"] == message
    else:
        assert measured["rows"] >= 1, measured  # the task table is read
    assert measured["peak_mb"] < 200, measured
    assert measured["cpu"] < 2.0, measured


def test_the_cell_limit_is_named_and_the_rest_is_read(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tasks", "Status"])
    for i in range(limits.MAX_CELLS // 5 + 10):
        sheet.append([f"Task {i}", "Target", "Position", "Green", "Planned"])
    path = tmp_path / "inbox" / "long.xlsx"
    path.parent.mkdir()
    book.save(path)
    measured = _read_in_child(path)
    assert measured["state"] == SubmissionState.ACCEPTED
    assert "Sheet 'Sheet' with 50,055 cells to read exceeds the limit of 50,000 cells in one file; "\
           "the rest was not read." in measured["issues"]
    assert measured["peak_mb"] < 200, measured


def test_a_file_that_reads_too_long_is_stopped_and_the_rest_is_read(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make.plain_docx(inbox / "housing.docx")
    consolidate(inbox, load_register(), workers=1)  # the libraries loaded: only reading is timed
    # Within the limits, but about 1.5 s to read on a quiet machine: six times the budget below.
    empty_paragraphs_docx(inbox / "slow.docx", count=450_000)
    (inbox / "plain-slow.docx").unlink()
    result = consolidate(inbox, load_register(), time_limit=0.25, workers=1)
    by_file = {s.file: s for s in result.submissions}
    assert by_file["slow.docx"].state == SubmissionState.REJECTED
    assert by_file["slow.docx"].reason == (
        "Reading the file was stopped after 0.25 seconds, the limit for one file; nothing from "
        "it was used.")
    assert by_file["housing.docx"].state == SubmissionState.ACCEPTED and by_file["housing.docx"].rows == 1
    assert [i.code for i in result.issues if i.place.file == "slow.docx"] == ["read-time-exceeded"]


def test_a_run_from_a_thread_is_held_to_the_time_budget_too(tmp_path: Path) -> None:
    """The officer's page consolidates in a thread, where no signal can stop a file: the budget
    holds there too (the file is read in a worker that is killed when its time is up)."""
    import threading

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make.plain_docx(inbox / "housing.docx")
    empty_paragraphs_docx(inbox / "slow.docx", count=450_000)
    (inbox / "plain-slow.docx").unlink()
    found: dict[str, object] = {}
    thread = threading.Thread(
        target=lambda: found.update(result=consolidate(inbox, load_register(), time_limit=0.25, workers=1)))
    thread.start()
    thread.join(timeout=60)
    result = found["result"]
    assert isinstance(result, Consolidation)
    by_file = {s.file: s for s in result.submissions}
    assert by_file["slow.docx"].state == SubmissionState.REJECTED
    assert by_file["slow.docx"].reason.startswith("Reading the file was stopped after 0.25 seconds")
    assert by_file["housing.docx"].state == SubmissionState.ACCEPTED and by_file["housing.docx"].rows == 1


def test_a_huge_inbox_prints_a_bounded_account(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(3_000):
        (inbox / f"note-{i:05}.txt").write_text("x")
    make.plain_docx(inbox / "housing.docx")
    result = CliRunner().invoke(main, ["consolidate", "--inbox", str(inbox), "--out",
                                       str(tmp_path / "out"), "--no-history"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) < 100
    skipped = [line for line in lines if line.startswith("  skipped ")]
    assert len(skipped) == limits.CONSOLE_LINES_PER_STATE
    assert ("  … and 2,950 more skipped files, each listed in the Submissions sheet.") in lines
    assert lines[-1].startswith("Files: 3001 found, 1 read, 0 rejected, 3000 skipped.")


def test_an_email_with_too_many_files_lists_the_rest_as_not_opened() -> None:
    from email.message import EmailMessage

    from pipeline.intake.mail.messages import parse_message

    message = EmailMessage()
    message["From"] = "housing@example.org"
    message["Subject"] = "Our return"
    message.set_content("Attached.")
    for i in range(limits.MAX_ATTACHMENTS + 5):
        message.add_attachment(b"x", maintype="application", subtype="octet-stream",
                               filename=f"file-{i:03}.docx")
    parsed = parse_message(message.as_bytes())
    assert len(parsed.attachments) == limits.MAX_ATTACHMENTS + 5, "every file is listed"
    assert [a.name for a in parsed.returns][-1] == "file-099.docx"
    assert {a.skipped for a in parsed.attachments[limits.MAX_ATTACHMENTS:]} == {
        "the e-mail carries more than 100 files, the limit; this one was not opened"}


def test_every_limit_is_documented() -> None:
    documented = (REPO / "docs" / "limits.md").read_text()
    names = [n for n in dir(limits) if n.isupper()]
    assert names
    missing = [n for n in names if f"`{n}`" not in documented and n != "RATIO_CHECK_MIN_BYTES"]
    assert missing == []
