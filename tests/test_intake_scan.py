"""Listing the inbox: what is read, what is skipped and why, never following links."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path, PurePosixPath

import pytest

from pipeline.intake.scan import EntryAction, scan_inbox, suffix_of
from tests import hostile_factory as make


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("~$return.docx", "lock file that Word or Excel leaves"),
        ("~$budget.xlsx", "lock file that Word or Excel leaves"),
        (".~lock.return.docx#", "lock file that LibreOffice leaves"),
        (".DS_Store", "hidden or system file"),
        ("Thumbs.db", "hidden or system file"),
        ("desktop.ini", "hidden or system file"),
        (".hidden-return.docx", "hidden or system file"),
        ("notes.txt", "not a Word or Excel file (a .txt file)"),
        ("photo.JPG", "not a Word or Excel file (a .jpg file)"),
        ("README", "not a Word or Excel file (a file with no extension)"),
    ],
)
def test_scan_skips_what_is_not_a_return(tmp_path: Path, name: str, reason: str) -> None:
    (tmp_path / name).write_bytes(b"x")
    (entry,) = scan_inbox(tmp_path)
    assert (entry.name, entry.action, entry.kind) == (name, EntryAction.SKIP, None)
    assert reason in entry.reason


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("return.docx", "word"), ("macros.docm", "word"), ("old.doc", "word"),
        ("open.odt", "word"), ("rich.rtf", "word"), ("RETURN.XLSX", "excel"),
        ("macros.xlsm", "excel"), ("old.xls", "excel"), ("open.ods", "excel"),
        ("forwarded.eml", "email"), ("outlook.msg", "email"), ("scan.pdf", "pdf"),
    ],
)
def test_scan_reads_candidates_by_extension(tmp_path: Path, name: str, kind: str) -> None:
    (tmp_path / name).write_bytes(b"anything")
    (entry,) = scan_inbox(tmp_path)
    assert (entry.action, entry.kind, entry.reason, entry.size) == ("read", kind, "", 8)


def test_scan_lists_nested_files_sorted_by_relative_path(tmp_path: Path) -> None:
    for name in ["b.docx", "a/z.xlsx", "a/b/c.docx", "a-b.docx", "A.docx"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    names = [e.name for e in scan_inbox(tmp_path)]
    assert names == ["A.docx", "a/b/c.docx", "a/z.xlsx", "a-b.docx", "b.docx"]


def test_scan_records_modified_time_as_iso(tmp_path: Path) -> None:
    path = tmp_path / "return.docx"
    path.write_bytes(b"x")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    (entry,) = scan_inbox(tmp_path)
    assert datetime.fromisoformat(entry.modified).timestamp() == 1_700_000_000
    assert entry.path == path.resolve()


def test_scan_skips_symlinks_without_following_them(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    make.plain_docx(outside / "secret.docx")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "link.docx").symlink_to(outside / "secret.docx")
    (inbox / "folder-link").symlink_to(outside, target_is_directory=True)
    (inbox / "dangling.docx").symlink_to(tmp_path / "gone.docx")
    entries = scan_inbox(inbox)
    assert [(e.name, e.action) for e in entries] == [
        ("dangling.docx", "skip"), ("folder-link", "skip"), ("link.docx", "skip"),
    ]
    assert all("link to another place" in e.reason for e in entries)


def test_scan_never_enters_the_outputs_folder(tmp_path: Path) -> None:
    (tmp_path / "return.docx").write_bytes(b"x")
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    (outputs / "master.xlsx").write_bytes(b"x")
    names = [e.name for e in scan_inbox(tmp_path, exclude=[outputs])]
    assert names == ["return.docx"]


def test_scan_skips_hidden_folders_whole(tmp_path: Path) -> None:
    (tmp_path / ".git" / "objects").mkdir(parents=True)
    (tmp_path / ".git" / "objects" / "x.docx").write_bytes(b"x")
    (entry,) = scan_inbox(tmp_path)
    assert (entry.name, entry.action) == (".git", "skip")
    assert "hidden folder" in entry.reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_scan_skips_a_pipe_rather_than_block_on_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.docx")
    (entry,) = scan_inbox(tmp_path)
    assert (entry.action, entry.reason) == ("skip", "it is not an ordinary file")


def test_scan_refuses_an_inbox_that_is_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError):
        scan_inbox(tmp_path / "missing")


@pytest.mark.parametrize("name", [
    "return.docx", "a/b/Return Q1.DOCX", "archive.tar.gz", ".hidden", "notes.", "no-extension",
    "folder.d/plain", "a/.hidden", "..", "x/y.", ".docx.", "weird..xlsx", "a.b/c.d/e",
])
def test_a_names_suffix_is_what_pathlib_gives(name: str) -> None:
    # The scan and intake ask it of every file: worked out on the string, held to pathlib here.
    assert suffix_of(name) == PurePosixPath(name).suffix


def test_nested_names_are_relative_posix_paths_in_folder_order(tmp_path: Path) -> None:
    for relative in ("b.docx", "a/z.xlsx", "a/b/c.docx", "a b/x.docx", "a-b/y.docx", "ab.docx"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(b"x")
    entries = scan_inbox(tmp_path)
    names = [e.name for e in entries]
    assert names == sorted((p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
                            if p.is_file()), key=lambda n: PurePosixPath(n).parts)
    assert all(e.path == tmp_path.resolve() / e.name for e in entries)
    assert {e.name: e.extension for e in entries}["a/z.xlsx"] == "xlsx"
