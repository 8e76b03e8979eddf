"""Opening one return: every check in order, ending in a reader or a rejection with its issue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import pipeline.readers.docx as docx_reader
import pipeline.readers.xlsx as xlsx_reader
from pipeline.document import Place, SourceDocument
from pipeline.intake.open import open_return
from pipeline.intake.package import CheckedPackage
from pipeline.intake.sniff import sniff
from pipeline.issues import FileRejected
from tests import hostile_factory as make
from tests.intake_support import entry_for, needs_soffice, snapshot, write_bytes


@dataclass
class ReaderCalls:
    """Each call open_return made to a reader, around the real readers; an error to raise instead."""

    calls: list[tuple[str, Path, str]] = field(default_factory=list)
    error: Exception | None = None


@pytest.fixture
def readers(monkeypatch: pytest.MonkeyPatch) -> ReaderCalls:
    """The real readers, watched: open_return looks each one up when it needs it."""
    record = ReaderCalls()
    for kind, module in (("docx", docx_reader), ("xlsx", xlsx_reader)):
        real = getattr(module, f"read_{kind}")

        def read(source: CheckedPackage, name: str, *args: object, _kind: str = kind,
                 _real: Callable[..., SourceDocument] = real, **kwargs: object) -> SourceDocument:
            # Intake gives each reader the package it checked, never a path to check again.
            assert isinstance(source, CheckedPackage)
            record.calls.append((_kind, source.path, name))
            if record.error is not None:
                raise record.error
            return _real(source, name, *args, **kwargs)

        monkeypatch.setattr(module, f"read_{kind}", read)
    return record



REJECTIONS: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    "empty-docx": (lambda d: write_bytes(d / "return.docx", b""), "empty-file",
                   "The file is empty (0 bytes)."),
    "pdf-named-docx": (lambda d: make.pdf(d / "return.docx"), "wrong-content",
                       "The file is named .docx but holds a PDF document."),
    "random-bytes-xlsx": (lambda d: make.random_bytes(d / "return.xlsx"), "wrong-content",
                          "The file is named .xlsx but holds no Word or Excel content."),
    "plain-zip-named-xlsx": (lambda d: make.other_zip(d / "return.xlsx"), "wrong-content",
                             "The file is named .xlsx but holds a zip archive with no Word or "
                             "Excel content."),
    "truncated-docx": (
        lambda d: make.truncated(make.plain_docx(d / "p.docx"), d / "return.docx"),
        "unreadable-file",
        "The file cannot be opened: it is damaged or incomplete (the zip archive cannot be "
        "read)."),
    "password-protected-docx": (
        lambda d: make.encrypted(make.plain_docx(d / "p.docx"), d / "return.docx"),
        "password-protected", "The file is protected with a password, so it cannot be read."),
    "password-protected-xlsx": (
        lambda d: make.encrypted(make.plain_xlsx(d / "p.xlsx"), d / "return.xlsx"),
        "password-protected", "The file is protected with a password, so it cannot be read."),
}


@pytest.mark.parametrize("case", REJECTIONS)
def test_open_return_rejects(tmp_path: Path, readers: ReaderCalls, case: str) -> None:
    build, code, message = REJECTIONS[case]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = build(inbox)
    before = snapshot(inbox)
    opened = open_return(entry_for(path), tmp_path / "work")
    assert opened.document is None
    assert [(i.code, i.place, i.message) for i in opened.issues] == [
        (code, Place(file=path.name), message)
    ]
    assert opened.rejected_reason == message
    assert readers.calls == []
    assert snapshot(inbox) == before


def test_open_return_turns_an_unexpected_error_into_a_short_reason(
    tmp_path: Path, readers: ReaderCalls
) -> None:
    readers.error = KeyError("word/styles.xml\nTraceback (most recent call last): ...")
    path = make.plain_docx(tmp_path / "return.docx")
    opened = open_return(entry_for(path), tmp_path / "work")
    assert opened.document is None
    assert opened.rejected_reason == (
        "The file cannot be opened: the reader failed on it (KeyError: word/styles.xml)."
    )


def test_open_return_passes_on_a_reader_rejection(tmp_path: Path, readers: ReaderCalls) -> None:
    readers.error = FileRejected("unreadable-file", reason="its part word/x.xml is damaged")
    opened = open_return(entry_for(make.plain_docx(tmp_path / "return.docx")), tmp_path / "w")
    assert [i.code for i in opened.issues] == ["unreadable-file"]
    assert opened.kind_label == "Word file"


def test_open_return_refuses_an_email(tmp_path: Path) -> None:
    (tmp_path / "mail.eml").write_bytes(b"From: a@b")
    with pytest.raises(ValueError, match="unpack it"):
        open_return(entry_for(tmp_path / "mail.eml"), tmp_path / "work")


# -- open_return: reading, the readers watched ---------------------------------------


@pytest.mark.parametrize(
    ("build", "name", "reader", "codes", "label"),
    [
        (make.plain_docx, "return.docx", "docx", [], "Word file"),
        (make.plain_xlsx, "return.xlsx", "xlsx", [], "Excel file"),
        (make.plain_xlsx, "return.docx", "xlsx", ["extension-mismatch"],
         "Excel file (named .docx)"),
        (make.plain_docx, "return.xlsx", "docx", ["extension-mismatch"],
         "Word file (named .xlsx)"),
        (make.plain_docx, "return.docm", "docx", [], "Word file"),
        (make.macro_xlsx, "return.xlsm", "xlsx", [], "Excel file"),
    ],
    ids=["docx", "xlsx", "xlsx-named-docx", "docx-named-xlsx", "docx-named-docm", "xlsm"],
)
def test_open_return_reads_what_the_file_really_is(
    tmp_path: Path, readers: ReaderCalls, build: Callable[[Path], Path], name: str,
    reader: str, codes: list[str], label: str,
) -> None:
    path = build(tmp_path / name)
    opened = open_return(entry_for(path), tmp_path / "work")
    assert opened.document is not None and opened.rejected_reason is None
    assert readers.calls == [(reader, path.resolve(), name)]
    assert [i.code for i in opened.issues if i.code != "macros-not-run"] == codes
    assert opened.kind_label == label


def test_mismatch_warning_says_what_the_file_holds(tmp_path: Path, readers: ReaderCalls) -> None:
    opened = open_return(entry_for(make.plain_xlsx(tmp_path / "return.docx")), tmp_path / "w")
    (issue,) = opened.issues
    assert issue.sentence() == (
        "The file is named .docx but holds an Excel workbook; it was read as such. "
        "Give the file the extension that matches its content (.xlsx) next time."
    )


def test_a_macro_enabled_workbook_is_warned_about_once(tmp_path: Path, readers: ReaderCalls) -> None:
    opened = open_return(entry_for(make.macro_xlsx(tmp_path / "return.xlsm")), tmp_path / "w")
    assert opened.document is not None
    codes = [i.code for i in [*opened.issues, *opened.document.issues]]
    assert codes.count("macros-not-run") == 1, codes


@needs_soffice
@pytest.mark.parametrize(
    ("case", "reader", "codes", "label"),
    [
        ("rtf", "docx", ["converted-file"], "Word file (converted from .rtf)"),
        ("doc", "docx", ["converted-file"], "Word file (converted from .doc)"),
        ("xls", "xlsx", ["converted-file"], "Excel file (converted from .xls)"),
        ("doc-named-docx", "docx", ["extension-mismatch", "converted-file"],
         "Word file (converted from .doc)"),
    ],
)
def test_open_return_converts_legacy_formats_then_reads(
    tmp_path: Path, readers: ReaderCalls, case: str, reader: str, codes: list[str],
    label: str,
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    fmt = case.split("-")[0]
    if fmt == "rtf":
        path = make.rtf(inbox / "return.rtf")
    else:
        plain = make.plain(tmp_path / f"plain.{reader}", reader)
        path = make.via_soffice(plain, fmt, inbox)
        if case.endswith("named-docx"):
            path = path.rename(inbox / "return.docx")
    before = snapshot(inbox)
    opened = open_return(entry_for(path), tmp_path / "work")
    assert [i.code for i in opened.issues] == codes
    assert opened.kind_label == label
    ((kind, read_path, name),) = readers.calls
    assert (kind, name) == (reader, path.name)
    assert read_path.is_relative_to(tmp_path / "work") and sniff(read_path) == reader
    assert snapshot(inbox) == before


def test_legacy_file_without_libreoffice_is_rejected(
    tmp_path: Path, readers: ReaderCalls, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    opened = open_return(entry_for(make.rtf(tmp_path / "return.rtf")), tmp_path / "work")
    assert opened.rejected_reason == (
        "This .rtf file could not be read: LibreOffice is not installed here to convert it."
    )


# -- open_return with the real readers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "name", "kind", "codes"),
    [
        (make.plain_docx, "return.docx", "docx", []),
        (make.plain_xlsx, "return.xlsx", "xlsx", []),
        (make.plain_xlsx, "return.docx", "xlsx", ["extension-mismatch"]),
    ],
    ids=["docx", "xlsx", "xlsx-named-docx"],
)
def test_open_return_with_the_real_readers(
    tmp_path: Path, build: Callable[[Path], Path], name: str, kind: str, codes: list[str]
) -> None:
    opened = open_return(entry_for(build(tmp_path / name)), tmp_path / "work")
    assert opened.document is not None, opened.rejected_reason
    assert opened.document.kind == kind
    assert [i.code for i in opened.issues] == codes
    texts = [c.text for b in opened.document.blocks if hasattr(b, "rows")
             for r in b.rows for c in r.cells]
    assert "Reduce waiting times" in texts


@needs_soffice
def test_open_return_reads_a_real_rtf_through_libreoffice(tmp_path: Path) -> None:
    opened = open_return(entry_for(make.rtf(tmp_path / "return.rtf")), tmp_path / "work")
    assert opened.document is not None, opened.rejected_reason
    assert opened.document.file == "return.rtf"
    assert [i.code for i in opened.issues] == ["converted-file"]


@pytest.mark.parametrize(
    ("lines", "value", "cleaned_lines", "cleaned_value"),
    [
        # The cell's one line is its value itself: judged once, cleaned in both.
        pytest.param(None, "bell\x07", ["bell"], "bell", id="value-is-its-line"),
        # A value unlike its lines (a symbol font's drawing): judged on its own.
        pytest.param(["●"], "bell\x07", ["●"], "bell", id="value-apart-from-lines"),
        pytest.param(["ok", "too"], "ok\ntoo\x07", ["ok", "too"], "ok\ntoo", id="several-lines"),
        pytest.param(["ok"], "ok", ["ok"], "ok", id="safe"),
    ],
)
def test_text_safety_judges_every_value(lines: list[str] | None, value: str,
                                        cleaned_lines: list[str], cleaned_value: str) -> None:
    from pipeline.document import Cell, Row, Table
    from pipeline.intake.open import make_text_safe

    place = Place("return.xlsx", sheet="Tasks", cell="A1")
    cell = Cell(value.split("\n") if lines is None else lines, place, value=value)
    document = SourceDocument("return.xlsx", "xlsx", [Table([Row([cell], place)], place)])
    make_text_safe(document)
    assert (cell.lines, cell.value) == (cleaned_lines, cleaned_value)
