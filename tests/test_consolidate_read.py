"""Reading the inbox (pipeline.consolidate.read): work folders only where needed, the pool's workers
given the register once, the same results in one process or several."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from pipeline.consolidate.read import read_all, read_one
from pipeline.intake.scan import scan_inbox
from pipeline.register import load_register

INBOX = Path(__file__).resolve().parents[1] / "inbox"
WORD = "stronger-communities-progress-2008-09-Q4.docx"
EXCEL = "economic-development-progress-2008-09-Q4.xlsx"


def _made_folders(monkeypatch: pytest.MonkeyPatch, log: Path) -> Path:
    """Every folder made from now on, in this process or a worker forked from it, is written to
    `log` (os.mkdir is what mkdtemp and Path.mkdir call)."""
    real = os.mkdir
    log.write_text("")

    def spy(path: str | os.PathLike[str], mode: int = 0o777, *args: object, **kwargs: object) -> None:
        with open(log, "a", encoding="utf-8") as out:
            out.write(os.fspath(path) + "\n")
        real(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "mkdir", spy)
    return log


@pytest.mark.parametrize("name", [WORD, EXCEL])
def test_a_return_that_needs_no_converting_is_read_without_a_work_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy2(INBOX / name, inbox / name)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    register = load_register(Path(__file__).resolve().parents[1] / "pipeline" / "register.toml")
    entry = scan_inbox(inbox)[0]
    made = _made_folders(monkeypatch, tmp_path / "made.txt")
    result = read_one(entry, register)
    assert result.data is not None and result.data.rows > 0
    assert made.read_text() == ""
    assert list((tmp_path / "tmp").iterdir()) == []


def test_the_pool_reads_what_one_process_reads(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for source in INBOX.iterdir():
        if source.suffix in (".docx", ".xlsx") and not source.name.startswith("~$"):
            for copy in range(4):  # enough files for the pool (PARALLEL_FROM)
                shutil.copy2(source, inbox / f"{copy}-{source.name}")
    register = load_register(Path(__file__).resolve().parents[1] / "pipeline" / "register.toml")
    entries = scan_inbox(inbox)
    assert len(entries) >= 24
    alone = read_all(entries, register, None, 1)
    pooled = read_all(entries, register, None, 2)
    assert [(r.submission, r.data) for r in pooled] == [(r.submission, r.data) for r in alone]


def test_the_period_a_return_names_is_the_same_remembered_or_found_afresh(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """_period_named remembers each text's label per calendar: a second reading, a reading after
    the labels are forgotten, and a reading under another calendar each find what the calendar
    itself finds in the texts."""
    from pipeline import consolidate
    from pipeline.document import Paragraph, Place, SourceDocument
    from pipeline.periods import ReportingCalendar

    read_module = consolidate.read
    texts = ["Thematic Sub-Group Performance Reporting 4 September 2008", "Outcome 2.1",
             "Progress report Jan-Mar 2009"]
    paragraphs = [Paragraph([text], Place("x.docx", paragraph=i)) for i, text in enumerate(texts)]
    document = SourceDocument(file="x.docx", kind="docx", blocks=list(paragraphs))
    quarterly, half_yearly, from_january = (ReportingCalendar(), ReportingCalendar(reporting="half-yearly"),
                                            ReportingCalendar(first_month=1))
    for calendar in (quarterly, half_yearly, from_january, quarterly):
        found = next((p.label for p in map(calendar.find_in, texts) if p is not None), "")
        assert read_module._period_named(document, calendar) == found
        assert read_module._period_named(document, calendar) == found
    monkeypatch.setattr(read_module, "_PERIOD_LABELS_KEPT", 1)  # forgotten at every new text
    assert read_module._period_named(document, quarterly) == "Q4 2008/09"


def test_each_records_group_is_named_as_the_register_names_it() -> None:
    """_resolve_group: every record gets the register's name for the group it writes, or keeps
    what it wrote, or the return's group when blank."""
    from pipeline import consolidate
    from pipeline.document import Place, SourceDocument
    from pipeline.intake.scan import InboxEntry
    from pipeline.records import ReturnData, ReturnKind, TaskRecord

    register = load_register()
    written = ["Crime & Disorder Reduction Partnership", "Economic Development", "",
               "Crime & Disorder Reduction Partnership", "No such group", "CDRP"]
    tasks = [TaskRecord(Place("x.docx", row=i), f"Task {i}", group=g) for i, g in enumerate(written)]
    data = ReturnData(file="x.docx", kind=ReturnKind.PROGRESS, tasks=tasks,
                      group="Economic Development Coordination Group")
    document = SourceDocument(file="x.docx", kind="docx", blocks=[])
    consolidate.read._resolve_group(data, InboxEntry.__new__(InboxEntry), register, document)

    def named(group: str) -> str:
        found = register.match_group(group).group
        return found.name if found is not None else group or data.group

    assert [t.group for t in data.tasks] == [named(g) for g in written]
    assert data.tasks[0].group == data.tasks[5].group == "Crime and Disorder Reduction Partnership"


@pytest.mark.parametrize("content", ["word", "excel", "damaged zip", "not a return"])
def test_a_files_fingerprint_is_the_sha256_of_its_bytes_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str
) -> None:
    """The fingerprint that tells the same return received twice is taken of the very bytes
    intake read: a return read, or rejected, is opened once for it all."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    if content in ("word", "excel"):
        name = WORD if content == "word" else EXCEL
        shutil.copy2(INBOX / name, inbox / name)
    elif content == "damaged zip":
        name = "cut-short.docx"
        (inbox / name).write_bytes((INBOX / WORD).read_bytes()[:2000])
    else:
        name = "notes.docx"
        (inbox / name).write_bytes(b"Minutes of the meeting, not a return.\n" * 40)
    path = inbox / name
    register = load_register(Path(__file__).resolve().parents[1] / "pipeline" / "register.toml")
    entry = scan_inbox(inbox)[0]
    opened: list[str] = []
    real_open = Path.open

    def watched(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            opened.append(str(args[0] if args else kwargs.get("mode", "r")))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", watched)
    from pipeline.consolidate.read import read_here

    result = read_here(entry, register)
    assert result.submission.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    expected = {"word": 1, "excel": 1, "damaged zip": 1, "not a return": 2}[content]
    assert len(opened) - 1 == expected  # less the read just above
    assert (result.data is not None) == (content in ("word", "excel"))
