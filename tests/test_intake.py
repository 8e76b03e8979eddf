"""Intake: scanning the inbox, sniffing content, refusing hostile files, converting, opening."""

from __future__ import annotations

import errno
import importlib.util
import os
import shutil
import sys
import tempfile
import threading
import time
import tracemalloc
import types
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.document import Place, SourceDocument
from pipeline.intake import convert as convert_module
from pipeline.intake.convert import convert_with_libreoffice
from pipeline.intake.open import open_return
from pipeline.intake.safety import check_xml_parts, check_zip
from pipeline.intake.scan import EntryAction, InboxEntry, scan_inbox
from pipeline.intake.sniff import has_macros, sniff
from pipeline.issues import FileRejected
from tests import hostile_factory as make

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed, so nothing can be converted"
)


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


needs_readers = pytest.mark.skipif(
    not (_has_module("pipeline.readers.docx") and _has_module("pipeline.readers.xlsx")),
    reason="the docx/xlsx readers have not landed yet",
)


def entry_for(path: Path, inbox: Path | None = None) -> InboxEntry:
    """The inbox entry scan_inbox would make for one file."""
    inbox = inbox or path.parent
    (found,) = [e for e in scan_inbox(inbox) if e.path == path]
    return found


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under a folder with its bytes and mtime, to prove nothing was touched."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- Fake readers: open_return's own logic, tested apart from the readers' ------------------


class FakeReaders:
    """Stand-ins for read_docx/read_xlsx that record their calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Path, str]] = []
        self.issues: list[str] = []
        self.error: Exception | None = None

    def reader(self, kind: str) -> Callable[[Path, str], SourceDocument]:
        def read(path: Path, name: str) -> SourceDocument:
            self.calls.append((kind, path, name))
            if self.error is not None:
                raise self.error
            from pipeline.issues import make_issue

            issues = [make_issue(code, Place(file=name)) for code in self.issues]
            return SourceDocument(file=name, kind=kind, blocks=[], issues=issues)

        return read


@pytest.fixture
def fake_readers(monkeypatch: pytest.MonkeyPatch) -> FakeReaders:
    fakes = FakeReaders()
    for kind in ("docx", "xlsx"):
        module = types.ModuleType(f"pipeline.readers.{kind}")
        setattr(module, f"read_{kind}", fakes.reader(kind))
        monkeypatch.setitem(sys.modules, f"pipeline.readers.{kind}", module)
    return fakes


# -- scan --------------------------------------------------------------------------------------


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


# -- sniff -------------------------------------------------------------------------------------

SNIFF_CASES: dict[str, Callable[[Path], Path]] = {
    "docx": lambda d: make.plain_docx(d / "return.docx"),
    "xlsx": lambda d: make.plain_xlsx(d / "return.xlsx"),
    "xlsx-macro-enabled": lambda d: make.macro_xlsx(d / "return.xlsm"),
    "xlsx-named-docx": lambda d: make.plain_xlsx(d / "really-excel.docx"),
    "ole-encrypted-docx": lambda d: make.encrypted(make.plain_docx(d / "p.docx"), d / "x.docx"),
    "ole-encrypted-xlsx": lambda d: make.encrypted(make.plain_xlsx(d / "p.xlsx"), d / "x.xlsx"),
    "empty": lambda d: _write(d / "empty.docx", b""),
    "pdf": lambda d: make.pdf(d / "scan.docx"),
    "rtf": lambda d: make.rtf(d / "return.rtf"),
    "zip": lambda d: make.other_zip(d / "archive.xlsx"),
    "zip-truncated": lambda d: make.truncated(make.plain_docx(d / "p.docx"), d / "cut.docx"),
    "unknown": lambda d: make.random_bytes(d / "noise.xlsx"),
    "odt": lambda d: make.odt_with_linked_section(d / "r.odt", d / "nothing.txt"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", SNIFF_CASES)
def test_sniff_judges_by_content(tmp_path: Path, case: str) -> None:
    path = SNIFF_CASES[case](tmp_path)
    expected = case.split("-")[0] if not case.startswith("ole-encrypted") else "ole-encrypted"
    assert sniff(path) == expected


@needs_soffice
@pytest.mark.parametrize(("fmt", "source_kind"), [("doc", "docx"), ("xls", "xlsx"),
                                                  ("odt", "docx"), ("ods", "xlsx")])
def test_sniff_tells_legacy_and_opendocument_formats(
    tmp_path: Path, fmt: str, source_kind: str
) -> None:
    source = make.plain(tmp_path / f"return.{source_kind}", source_kind)
    assert sniff(make.via_soffice(source, fmt, tmp_path / "out")) == fmt


def test_has_macros_sees_a_vba_project(tmp_path: Path) -> None:
    assert has_macros(make.macro_xlsx(tmp_path / "return.xlsm"))
    assert not has_macros(make.plain_xlsx(tmp_path / "return.xlsx"))


_SIGNATURES = [b"", b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
               b"{\\rtf", b"%PDF-"]


@settings(max_examples=300, deadline=None)
@given(prefix=st.sampled_from(_SIGNATURES), body=st.binary(max_size=2048))
def test_sniff_never_raises_on_random_bytes(prefix: bytes, body: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "noise.docx"
        path.write_bytes(prefix + body)
        assert sniff(path) in make_kinds()
        has_macros(path)


def make_kinds() -> set[str]:
    from pipeline.intake.sniff import DESCRIPTIONS

    return set(DESCRIPTIONS)


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=2048))
def test_zip_checks_raise_only_file_rejected_on_random_bytes(body: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "noise.docx"
        path.write_bytes(b"PK\x03\x04" + body)
        for check in (check_zip, check_xml_parts):
            try:
                check(path)
            except FileRejected:
                pass


# -- safety: zip bombs -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One 300 MB-of-zeros bomb per kind, built once (about 0.7 s each)."""
    folder = tmp_path_factory.mktemp("bombs")
    return {kind: make.zip_bomb(folder / f"bomb.{kind}", kind) for kind in ("docx", "xlsx")}


@pytest.fixture
def inflation_recorder(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of every zip part opened for reading (nothing else can inflate one)."""
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def recording_open(self: zipfile.ZipFile, name, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(name if isinstance(name, str) else name.filename)
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)
    return opened


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_zip_bomb_is_refused_from_its_directory_alone(
    tmp_path: Path, bombs: dict[str, Path], inflation_recorder: list[str], kind: str
) -> None:
    path = shutil.copy(bombs[kind], tmp_path / f"return.{kind}")
    assert Path(path).stat().st_size < 1_000_000
    tracemalloc.start()
    started = time.perf_counter()
    opened = open_return(entry_for(Path(path)), tmp_path / "work")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert opened.document is None
    assert [i.code for i in opened.issues] == ["file-too-large"]
    assert opened.rejected_reason == (
        "The file was refused before reading: its parts would inflate to 300 MB "
        "(at most 200 MB is read)."
    )
    assert elapsed < 0.2
    assert peak < 5 * 1024 * 1024
    assert inflation_recorder == []


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (lambda p: make.zip_bomb(p, "docx", inflated_mb=150),
         "its part word/document.xml would inflate to 150 MB"),
        (lambda p: make.zip_bomb(p, "xlsx", inflated_mb=20),
         "its part xl/workbook.xml is compressed 1,0"),
        (lambda p: make.many_parts(p, "docx", parts=5_001), "it holds 5,003 parts"),
    ],
    ids=["part-too-large", "compression-ratio", "too-many-parts"],
)
def test_check_zip_limits(tmp_path: Path, build: Callable[[Path], Path], reason: str) -> None:
    path = build(tmp_path / "return.docx")
    with pytest.raises(FileRejected) as caught:
        check_zip(path)
    assert caught.value.code == "file-too-large"
    assert caught.value.fields["reason"].startswith(reason)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_check_zip_passes_a_plain_return(tmp_path: Path, kind: str) -> None:
    path = make.plain(tmp_path / f"return.{kind}", kind)
    check_zip(path)
    check_xml_parts(path)


def test_truncated_zip_is_damaged(tmp_path: Path) -> None:
    path = make.truncated(make.plain_docx(tmp_path / "p.docx"), tmp_path / "cut.docx")
    with pytest.raises(FileRejected) as caught:
        check_zip(path)
    assert caught.value.code == "unreadable-file"
    assert caught.value.fields["reason"] == (
        "it is damaged or incomplete (the zip archive cannot be read)"
    )


# -- safety: XML entity attacks ----------------------------------------------------------------


@pytest.fixture
def tripwire(tmp_path: Path) -> Iterator[tuple[Path, Callable[[], bool]]]:
    """A named pipe standing in for a secret file: anything opening it to read is caught.

    Opening a pipe to read blocks until a writer comes, so a watcher that keeps trying to open
    it for writing (which fails while no reader waits) sees every attempt, then unblocks it.
    """
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs named pipes")
    secret = tmp_path / "secret.txt"
    os.mkfifo(secret)
    caught = threading.Event()
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                fd = os.open(secret, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno != errno.ENXIO:
                    raise
                time.sleep(0.001)
                continue
            caught.set()
            os.write(fd, b"TOP SECRET")
            os.close(fd)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    yield secret, caught.is_set
    stop.set()
    watcher.join(timeout=2)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_external_entity_is_refused_and_nothing_outside_is_read(
    tmp_path: Path, tripwire: tuple[Path, Callable[[], bool]], fake_readers: FakeReaders,
    kind: str,
) -> None:
    secret, was_read = tripwire
    path = make.xxe(tmp_path / f"return.{kind}", kind, secret)
    opened = open_return(entry_for(path), tmp_path / "work")
    assert [i.code for i in opened.issues] == ["unsafe-content"]
    assert opened.rejected_reason == (
        f"The file was refused: its part {make.MAIN_PART[kind]} declares a DOCTYPE or entities."
    )
    assert fake_readers.calls == []
    time.sleep(0.05)
    assert not was_read()


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_billion_laughs_is_refused(tmp_path: Path, kind: str) -> None:
    path = make.billion_laughs(tmp_path / f"return.{kind}", kind)
    started = time.perf_counter()
    opened = open_return(entry_for(path), tmp_path / "work")
    assert time.perf_counter() - started < 0.5
    assert [i.code for i in opened.issues] == ["unsafe-content"]


@pytest.mark.parametrize(
    ("part", "reason"),
    [
        (make.doctype_part("utf-8"), "declares a DOCTYPE"),
        (make.doctype_part("utf-8", before="<!-- a comment -->\n"), "declares a DOCTYPE"),
        (make.doctype_part("utf-8", before="<?pi x?>" + " " * 200_000), "declares a DOCTYPE"),
        (make.doctype_part("utf-16"), "declares a DOCTYPE"),  # with a BOM
        (make.doctype_part("utf-16-le", declare="utf-16"), "declares a DOCTYPE"),  # no BOM
        (make.doctype_part("utf-16-be", declare="utf-16"), "declares a DOCTYPE"),
        (b"\xef\xbb\xbf" + make.doctype_part("utf-8"), "declares a DOCTYPE"),
        (make.doctype_part("utf-32"), "unusual text encoding"),
        (make.doctype_part("utf-32-le", declare="utf-32"), "unusual text encoding"),
        (make.doctype_part("cp500", declare="ebcdic-cp-us"), "unusual text encoding"),
        (make.doctype_part("utf-7"), "unusual text encoding (utf-7)"),
        (b'<?xml version="1.0" encoding="utf-16"?><r/>', "unusual text encoding (utf-16)"),
        (b"<!doctype r><r/>", "declares a DOCTYPE"),
        (b"<?xml version='1.0'?><!-- " + b"x" * 1_100_000 + b" --><r/>",
         "has over a megabyte before its first element"),
    ],
    ids=["utf-8", "after-comment", "after-70-KB-of-prolog", "utf-16-bom", "utf-16-le",
         "utf-16-be", "utf-8-bom", "utf-32", "utf-32-le", "ebcdic", "utf-7",
         "utf-16-declared-in-ascii", "lower-case", "endless-prolog"],
)
def test_xml_prolog_check_refuses_doctype_in_any_encoding(
    tmp_path: Path, part: bytes, reason: str
) -> None:
    plain = make.plain_xlsx(tmp_path / "plain.xlsx")
    # Planted in a part with no .xml name: content types can make any part XML.
    path = make.with_part(plain, tmp_path / "return.xlsx", "xl/workbook.dat", part)
    with pytest.raises(FileRejected) as caught:
        check_xml_parts(path)
    assert caught.value.code == "unsafe-content"
    assert reason in caught.value.fields["reason"]


@pytest.mark.parametrize(
    "part",
    [
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<r a="<!DOCTYPE"/>',
        "<?xml version='1.0' encoding='utf-16'?><r>é</r>".encode("utf-16"),
        b"<?xml version='1.0' encoding='windows-1252'?><!-- caf\xe9 --><r/>",
        b"<r><![CDATA[<!DOCTYPE in text>]]></r>",
        b"\x89PNG\r\n\x1a\n" + bytes(64),
        b"\x01\x00\x00\x00 EMF picture",
    ],
    ids=["doctype-in-attribute", "utf-16", "windows-1252", "cdata", "png", "emf"],
)
def test_xml_prolog_check_lets_harmless_parts_through(tmp_path: Path, part: bytes) -> None:
    plain = make.plain_docx(tmp_path / "plain.docx")
    check_xml_parts(make.with_part(plain, tmp_path / "return.docx", "word/extra.xml", part))


# -- convert -----------------------------------------------------------------------------------


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


# -- open_return: rejections -------------------------------------------------------------------

REJECTIONS: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    "empty-docx": (lambda d: _write(d / "return.docx", b""), "empty-file",
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
def test_open_return_rejects(tmp_path: Path, fake_readers: FakeReaders, case: str) -> None:
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
    assert fake_readers.calls == []
    assert snapshot(inbox) == before


def test_open_return_turns_an_unexpected_error_into_a_short_reason(
    tmp_path: Path, fake_readers: FakeReaders
) -> None:
    fake_readers.error = KeyError("word/styles.xml\nTraceback (most recent call last): ...")
    path = make.plain_docx(tmp_path / "return.docx")
    opened = open_return(entry_for(path), tmp_path / "work")
    assert opened.document is None
    assert opened.rejected_reason == (
        "The file cannot be opened: the reader failed on it (KeyError: word/styles.xml)."
    )


def test_open_return_passes_on_a_reader_rejection(tmp_path: Path, fake_readers: FakeReaders) -> None:
    fake_readers.error = FileRejected("unreadable-file", reason="its part word/x.xml is damaged")
    opened = open_return(entry_for(make.plain_docx(tmp_path / "return.docx")), tmp_path / "w")
    assert [i.code for i in opened.issues] == ["unreadable-file"]
    assert opened.kind_label == "Word file"


def test_open_return_refuses_an_email(tmp_path: Path) -> None:
    (tmp_path / "mail.eml").write_bytes(b"From: a@b")
    with pytest.raises(ValueError, match="unpack it"):
        open_return(entry_for(tmp_path / "mail.eml"), tmp_path / "work")


# -- open_return: reading, with the readers stood in for ---------------------------------------


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
        (make.macro_xlsx, "return.xlsm", "xlsx", ["macros-not-run"], "Excel file"),
    ],
    ids=["docx", "xlsx", "xlsx-named-docx", "docx-named-xlsx", "docx-named-docm", "xlsm"],
)
def test_open_return_reads_what_the_file_really_is(
    tmp_path: Path, fake_readers: FakeReaders, build: Callable[[Path], Path], name: str,
    reader: str, codes: list[str], label: str,
) -> None:
    path = build(tmp_path / name)
    opened = open_return(entry_for(path), tmp_path / "work")
    assert opened.document is not None and opened.rejected_reason is None
    assert fake_readers.calls == [(reader, path.resolve(), name)]
    assert [i.code for i in opened.issues] == codes
    assert opened.kind_label == label


def test_mismatch_warning_says_what_the_file_holds(tmp_path: Path, fake_readers: FakeReaders) -> None:
    opened = open_return(entry_for(make.plain_xlsx(tmp_path / "return.docx")), tmp_path / "w")
    (issue,) = opened.issues
    assert issue.sentence() == (
        "The file is named .docx but holds an Excel workbook; it was read as such. "
        "Give the file the extension that matches its content (.xlsx) next time."
    )


def test_macros_warning_is_not_repeated_when_the_reader_gives_it(
    tmp_path: Path, fake_readers: FakeReaders
) -> None:
    fake_readers.issues = ["macros-not-run"]
    opened = open_return(entry_for(make.macro_xlsx(tmp_path / "return.xlsm")), tmp_path / "w")
    assert opened.issues == []
    assert opened.document is not None
    assert [i.code for i in opened.document.issues] == ["macros-not-run"]


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
    tmp_path: Path, fake_readers: FakeReaders, case: str, reader: str, codes: list[str],
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
    ((kind, read_path, name),) = fake_readers.calls
    assert (kind, name) == (reader, path.name)
    assert read_path.is_relative_to(tmp_path / "work") and sniff(read_path) == reader
    assert snapshot(inbox) == before


def test_legacy_file_without_libreoffice_is_rejected(
    tmp_path: Path, fake_readers: FakeReaders, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    opened = open_return(entry_for(make.rtf(tmp_path / "return.rtf")), tmp_path / "work")
    assert opened.rejected_reason == (
        "This .rtf file could not be read: LibreOffice is not installed here to convert it."
    )


# -- open_return with the real readers ---------------------------------------------------------


@needs_readers
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


@needs_readers
@needs_soffice
def test_open_return_reads_a_real_rtf_through_libreoffice(tmp_path: Path) -> None:
    opened = open_return(entry_for(make.rtf(tmp_path / "return.rtf")), tmp_path / "work")
    assert opened.document is not None, opened.rejected_reason
    assert opened.document.file == "return.rtf"
    assert [i.code for i in opened.issues] == ["converted-file"]
