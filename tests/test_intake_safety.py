"""Refusing hostile files before any reader sees them: zip bombs and XML entity attacks."""

from __future__ import annotations

import errno
import io
import os
import shutil
import tempfile
import threading
import time
import tracemalloc
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import limits
from pipeline.intake.open import open_return
from pipeline.intake.package import _READ_WHOLE, CheckedPackage, forget_parts_met
from pipeline.intake.prolog import check_decoded_prolog, check_prolog
from pipeline.intake.safety import check_xml_parts, check_zip
from pipeline.issues import FileRejected
from tests import hostile_factory as make
from tests.intake_support import entry_for


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


@pytest.fixture(scope="session")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One 300 MB-of-zeros bomb per kind, built once (about 0.7 s each)."""
    folder = tmp_path_factory.mktemp("bombs")
    return {kind: make.zip_bomb(folder / f"bomb.{kind}", kind) for kind in ("docx", "xlsx")}


@pytest.fixture
def inflation_recorder(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of every zip part opened for reading, or whose first bytes were inflated (nothing
    else can inflate one)."""
    opened: list[str] = []
    real_open, real_head = zipfile.ZipFile.open, CheckedPackage.head

    def recording_open(self: zipfile.ZipFile, name, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(name if isinstance(name, str) else name.filename)
        return real_open(self, name, *args, **kwargs)

    def recording_head(self: CheckedPackage, info: zipfile.ZipInfo, size: int) -> bytes:
        opened.append(info.filename)
        return real_head(self, info, size)

    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)
    monkeypatch.setattr(CheckedPackage, "head", recording_head)
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
    tmp_path: Path, tripwire: tuple[Path, Callable[[], bool]], kind: str,
) -> None:
    secret, was_read = tripwire
    path = make.xxe(tmp_path / f"return.{kind}", kind, secret)
    opened = open_return(entry_for(path), tmp_path / "work")
    assert [i.code for i in opened.issues] == ["unsafe-content"]
    assert opened.rejected_reason == (
        f"The file was refused: its part {make.MAIN_PART[kind]} declares a DOCTYPE or entities."
    )
    assert opened.document is None, "no reader was given the file"
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


def _verdict(check: Callable[[], None]) -> str | None:
    try:
        check()
    except FileRejected as exc:
        return f"{exc.code}: {exc.fields['reason']}"
    return None


@pytest.mark.parametrize(
    "part",
    [
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<w:document/>',
        b"<?xml version='1.0' encoding='utf-8' standalone='no'?>\n<r/>",
        b'<?xml version="1.0"?>\n<a:theme/>',
        b"<worksheet/>",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><r/>',
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- note --><!DOCTYPE r><r/>',
        b'<?xml version="1.0" encoding="UTF-8"?><?pi x?><!DOCTYPE r><r/>',
        b'<?xml version="1.0" encoding="utf-16"?><r/>',
        b'<?xml version="1.0" encoding="ebcdic-cp-us"?><r/>',
        b"<!doctype r><r/>",
        b"  <!DOCTYPE r><r/>",
        b"<\x00r\x00/\x00>\x00",
        b"\xef\xbb\xbf" + make.doctype_part("utf-8"),
        make.doctype_part("utf-16"),
        make.doctype_part("utf-7"),
    ],
    ids=["office", "single-quotes", "no-encoding", "no-prolog", "doctype", "after-comment",
         "after-pi", "utf-16-declared", "ebcdic-declared", "lower-case", "after-spaces",
         "utf-16-le", "utf-8-bom", "utf-16-bom", "utf-7"],
)
def test_the_usual_prolog_accepted_at_a_glance_is_never_one_the_full_check_refuses(
    part: bytes,
) -> None:
    assert _verdict(lambda: check_prolog(io.BytesIO(part), "word/part.xml")) == _verdict(
        lambda: check_decoded_prolog(b"", io.BytesIO(part), "word/part.xml"))


@pytest.mark.parametrize(
    "part",
    [
        b'<?xml version="1.0"?>' + b" " * 5_000 + b"<!DOCTYPE r><r/>",
        b'<?xml version="1.0"?><!--' + b"x" * 100_000 + b"--><!DOCTYPE r><r/>",
        "<?xml version='1.0' encoding='utf-16'?>".encode("utf-16") + " ".encode("utf-16-le")
        * 400 + "<!DOCTYPE r><r/>".encode("utf-16-le"),
    ],
    ids=["after-spaces", "after-a-long-comment", "utf-16-after-spaces"],
)
def test_a_doctype_past_the_first_bytes_read_is_still_refused(tmp_path: Path, part: bytes) -> None:
    # Intake inflates only a part's first bytes when its prolog is the usual one; any other is
    # read on to its first element.
    path = make.with_part(make.plain_docx(tmp_path / "plain.docx"), tmp_path / "return.docx",
                          "word/extra.xml", part)
    with pytest.raises(FileRejected) as caught:
        check_xml_parts(path)
    assert caught.value.fields["reason"] == "its part word/extra.xml declares a DOCTYPE or entities"


@pytest.mark.parametrize(
    ("kind", "part", "read"),
    [
        ("docx", "word/document.xml", True),
        ("xlsx", "xl/worksheets/sheet1.xml", True),
        ("xlsx", "xl/styles.xml", True),
        ("docx", "docProps/app.xml", False),
        ("xlsx", "docProps/app.xml", False),
    ],
    ids=["word-document", "excel-sheet", "excel-styles", "word-unread", "excel-unread"],
)
def test_a_part_that_fails_its_checksum_rejects_the_file_when_it_is_read(
    tmp_path: Path, kind: str, part: str, read: bool,
) -> None:
    # Intake judges prologs only; a part is inflated whole, and its checksum checked, where a
    # reader reads it. Damage in a part no reader reads (the application's own statistics)
    # costs nothing that is reported.
    source = make.plain(tmp_path / f"plain.{kind}", kind, "Reduce waiting times " * 20)
    if part == "docProps/app.xml":
        source = make.with_part(source, tmp_path / f"padded.{kind}", part,
                                b'<?xml version="1.0"?><Properties>' + b" " * 10_000
                                + b"</Properties>")
    path = make.with_damaged_part(source, tmp_path / f"return.{kind}", part)
    opened = open_return(entry_for(path), tmp_path / "work")
    if not read:
        assert opened.document is not None, opened.rejected_reason
        return
    assert opened.document is None
    assert opened.rejected_reason == f"The file cannot be opened: its part {part} is damaged."


# -- safety: how many XML elements -------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "refused"),
    [
        # Over the limit in bytes, not in "<": nothing need be counted.
        (b"<r>" + b"x" * 5_000 + b"</r>", False),
        # Over the limit in "<" but not in elements: closing tags are not elements.
        (b"<r>" + b"<a>x</a>" * 400 + b"</r>", False),
        (b"<r>" + b"<a/>" * 1_001 + b"</r>", True),
        # Named otherwise than .xml, a part is not counted (as before: it is not parsed as XML).
        (None, False),
    ],
    ids=["long-text", "closing-tags", "empty-elements", "not-xml-named"],
)
def test_elements_are_counted_only_where_they_can_refuse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, part: bytes | None, refused: bool,
) -> None:
    monkeypatch.setattr(limits, "MAX_XML_ELEMENTS", 1_000)
    plain = make.plain_docx(tmp_path / "plain.docx")
    with zipfile.ZipFile(plain) as zf:
        # The rest of the package, counted alike: the limit is for all its parts together.
        base = sum(zf.read(n).count(b"<") - zf.read(n).count(b"</") for n in zf.namelist()
                   if n.endswith((".xml", ".rels")))
    monkeypatch.setattr(limits, "MAX_XML_ELEMENTS", 1_000 + base)
    name, data = ("word/extra.xml", part) if part is not None else (
        "word/extra.dat", b"<r>" + b"<a/>" * 2_000 + b"</r>")
    path = make.with_part(plain, tmp_path / "return.docx", name, data)
    if not refused:
        check_xml_parts(path)
        return
    with pytest.raises(FileRejected) as caught:
        check_xml_parts(path)
    assert caught.value.code == "file-too-large"
    assert caught.value.fields["reason"] == (
        f"it has over {1_000 + base:,} XML elements, the limit (part word/extra.xml)")


def test_a_package_with_four_bytes_of_xml_per_element_of_the_limit_is_not_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An element takes at least four bytes (<a/>): a package with no more bytes of XML than four
    # times the limit cannot hold more elements than the limit, however many "<" it has.
    part = b"<r><![CDATA[" + b"<" * 20_000 + b"]]></r>"
    path = make.with_part(make.plain_xlsx(tmp_path / "plain.xlsx"), tmp_path / "return.xlsx",
                          "xl/extra.xml", part)
    with zipfile.ZipFile(path) as zf:
        xml = [zf.read(n) for n in zf.namelist() if n.endswith((".xml", ".rels"))]
    monkeypatch.setattr(limits, "MAX_XML_ELEMENTS", -(-sum(map(len, xml)) // 4))
    assert sum(data.count(b"<") - data.count(b"</") for data in xml) > limits.MAX_XML_ELEMENTS
    check_xml_parts(path)
    monkeypatch.setattr(limits, "MAX_XML_ELEMENTS", limits.MAX_XML_ELEMENTS - 1)
    with pytest.raises(FileRejected) as caught:
        check_xml_parts(path)  # past four bytes an element, "<" are counted as before
    assert caught.value.code == "file-too-large"


# -- a part's first bytes, inflated without opening it -----------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    body=st.binary(max_size=4000) | st.text(max_size=3000).map(str.encode),
    size=st.integers(min_value=0, max_value=700),
    method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
    extra=st.binary(max_size=40).map(lambda b: b"\xca\xfe" + len(b).to_bytes(2, "little") + b),
    read_before=st.booleans(),
)
def test_a_part_and_its_head_are_what_zipfile_reads(body: bytes, size: int, method: int,
                                                   extra: bytes, read_before: bool) -> None:
    forget_parts_met()
    if read_before:  # its head is then given from the part inflated whole
        _READ_WHOLE.add("word/document.xml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>", compress_type=zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type, info.extra = method, extra  # an extra field moves where data starts
        zf.writestr(info, body)
    package = CheckedPackage(Path("return.docx"), buffer.getvalue())
    for info in package.infolist():
        with package.open(info) as part:
            assert package.head(info, size) == part.read(size)
        assert package.read(info.filename) == zipfile.ZipFile(io.BytesIO(package.data)).read(info)
        assert package.head(info, size) == package.read(info.filename)[:size]  # once inflated


def _outcome(package: CheckedPackage, name: str) -> bytes | str:
    try:
        return package.read(name)
    except FileRejected as exc:
        return f"{exc.code}: {exc.fields}"


@settings(max_examples=200, deadline=None)
@given(
    body=st.binary(min_size=800, max_size=6000) | st.text(min_size=1, max_size=60).map(
        lambda text: (text * 400).encode()) | st.binary(max_size=300),
    size=st.integers(min_value=0, max_value=700),
    flip=st.none() | st.tuples(st.integers(min_value=0), st.integers(min_value=1, max_value=255)),
    declared=st.sampled_from([0, -1, 1]),
    read_before=st.booleans(),
)
def test_a_part_read_on_from_its_head_is_read_as_from_its_start(
    body: bytes, size: int, flip: tuple[int, int] | None, declared: int, read_before: bool
) -> None:
    # CheckedPackage.read goes on from the inflater `head` kept: the part, or its rejection
    # (a byte of its packed data changed, its declared size one off), is as when read afresh.
    # A part of a name read whole before is inflated whole for its head: a damaged one is
    # judged by its head all the same, and rejected when it is read.
    forget_parts_met()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("word/document.xml", body, compress_type=zipfile.ZIP_DEFLATED)
    data = bytearray(buffer.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename)
    if flip is not None and info.compress_size:
        data[start + flip[0] % info.compress_size] ^= flip[1]
    if declared:
        at = _central_entry(data, info)
        size_declared = int.from_bytes(data[at + 24:at + 28], "little") + declared
        data[at + 24:at + 28] = max(size_declared, 0).to_bytes(4, "little")
    afresh = CheckedPackage(Path("return.docx"), bytes(data))
    expected = _outcome(afresh, "word/document.xml")
    forget_parts_met()
    if read_before:
        _READ_WHOLE.add("word/document.xml")
    package = CheckedPackage(Path("return.docx"), bytes(data))
    try:
        package.head(package.getinfo("word/document.xml"), size)
    except (zlib.error, EOFError, zipfile.BadZipFile):
        return  # intake rejects it at its check, before any reader reads it
    assert _outcome(package, "word/document.xml") == expected
    if flip is None and not declared:
        assert expected == body


def _forged(path: Path, name: str, change: Callable[[bytearray, zipfile.ZipInfo], None]) -> Path:
    """A copy of a package with the bytes of one part's entry changed by `change`."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        change(data, zf.getinfo(name))
    forged = path.with_name("forged-" + path.name)
    forged.write_bytes(bytes(data))
    return forged


def _renamed_locally(data: bytearray, info: zipfile.ZipInfo) -> None:
    at = info.header_offset + 30  # the name in the local header: one letter changed
    data[at] = ord("W") if data[at] != ord("W") else ord("V")


def _inflating_further(data: bytearray, info: zipfile.ZipInfo) -> None:
    # The central directory declares one byte less than the part holds (its checksum kept).
    at = _central_entry(data, info)
    size = int.from_bytes(data[at + 24:at + 28], "little")
    data[at + 24:at + 28] = (size - 1).to_bytes(4, "little")


def _central_entry(data: bytearray, info: zipfile.ZipInfo) -> int:
    name = info.filename.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0 and data[at + 46:at + 46 + len(name)] != name:
        at = data.find(b"PK\x01\x02", at + 4)
    assert at >= 0
    return at


@pytest.mark.parametrize("change", [_renamed_locally, _inflating_further],
                         ids=["named-otherwise-locally", "inflates-past-its-size"])
def test_a_read_part_forged_in_its_entry_rejects_the_file(
    tmp_path: Path, change: Callable[[bytearray, zipfile.ZipInfo], None]
) -> None:
    source = make.plain(tmp_path / "plain.docx", "docx", "Reduce waiting times " * 20)
    opened = open_return(entry_for(_forged(source, "word/document.xml", change)), tmp_path / "w")
    assert opened.document is None
    assert opened.rejected_reason == (
        "The file cannot be opened: its part word/document.xml is damaged.")


def test_an_unread_part_whose_local_header_is_broken_is_reported_damaged(tmp_path: Path) -> None:
    source = make.plain(tmp_path / "plain.docx", "docx")
    path = tmp_path / "return.docx"
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as zf:
        offset = zf.getinfo("docProps/app.xml").header_offset
    data[offset:offset + 4] = b"PK\x09\x09"
    path.write_bytes(bytes(data))
    opened = open_return(entry_for(path), tmp_path / "work")
    assert opened.document is None
    assert opened.rejected_reason == "The file cannot be opened: its part docProps/app.xml is damaged."


# -- parts met before: the returns of one template share most of their parts -------------------


def _package_with(body: bytes, name: str = "word/styles.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>", compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr(name, body, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@settings(max_examples=100, deadline=None)
@given(
    body=st.binary(max_size=3000) | st.text(min_size=1, max_size=60).map(
        lambda text: (text * 300).encode()),
    size=st.integers(min_value=0, max_value=700),
    flip=st.none() | st.tuples(st.integers(min_value=0), st.integers(min_value=1, max_value=255)),
    read_first=st.booleans(),
)
def test_a_part_met_before_is_judged_and_read_as_when_met_afresh(
    body: bytes, size: int, flip: tuple[int, int] | None, read_first: bool
) -> None:
    # A second package holding the same part (its head judged, or read whole, before) gives the
    # same head and part; one whose packed bytes differ by a byte, with the same directory entry
    # (checksum and sizes), is not given the first's: it is read, or refused, as on its own.
    first = CheckedPackage(Path("first.docx"), _package_with(body))
    info = first.getinfo("word/styles.xml")
    first.head(info, size)
    if read_first:
        first.read("word/styles.xml")
    data = bytearray(_package_with(body))
    start = info.header_offset + 30 + len(info.filename)
    if flip is not None and info.compress_size:
        data[start + flip[0] % info.compress_size] ^= flip[1]
    forget_parts_met()
    afresh = CheckedPackage(Path("second.docx"), bytes(data))
    try:
        expected_head: bytes | str = afresh.head(afresh.getinfo("word/styles.xml"), size)
    except (zlib.error, EOFError, zipfile.BadZipFile) as exc:
        expected_head = type(exc).__name__
    expected = _outcome(afresh, "word/styles.xml")
    forget_parts_met()
    for met in ("first.docx", "again.docx"):  # kept from its second meeting on
        first = CheckedPackage(Path(met), _package_with(body))
        first.head(info, size)
        if read_first:
            first.read("word/styles.xml")
    second = CheckedPackage(Path("second.docx"), bytes(data))
    try:
        head: bytes | str = second.head(second.getinfo("word/styles.xml"), size)
    except (zlib.error, EOFError, zipfile.BadZipFile) as exc:
        head = type(exc).__name__
    assert head == expected_head
    assert _outcome(second, "word/styles.xml") == expected
    if flip is None:
        assert expected == body


def test_a_part_read_whole_is_inflated_whole_for_its_head_next_time() -> None:
    forget_parts_met()
    body = b'<?xml version="1.0"?><w:document>' + b"<w:p/>" * 2000 + b"</w:document>"
    first = CheckedPackage(Path("first.docx"), _package_with(body, "word/document.xml"))
    info = first.getinfo("word/document.xml")
    assert first.head(info, 256) == body[:256]
    assert "word/document.xml" not in _READ_WHOLE  # only its head inflated
    assert first.read("word/document.xml") == body
    assert "word/document.xml" in _READ_WHOLE
    # Another return's part of that name (not the same bytes): inflated whole for its head.
    other = body.replace(b"<w:p/>", b"<w:r/>", 1)
    second = CheckedPackage(Path("second.docx"), _package_with(other, "word/document.xml"))
    assert second.head(second.getinfo("word/document.xml"), 256) == other[:256]
    assert second._inflated["word/document.xml"] == other
    assert not second._begun
    # A large one only its head, as any other part, until it is read.
    large = body.replace(b"<w:p/>", b"<w:p> </w:p>" * 30_000, 1)
    third = CheckedPackage(Path("third.docx"), _package_with(large, "word/document.xml"))
    assert third.head(third.getinfo("word/document.xml"), 256) == large[:256]
    assert "word/document.xml" not in third._inflated
    assert third.read("word/document.xml") == large
    forget_parts_met()
    assert not _READ_WHOLE


def test_parts_met_before_are_kept_within_their_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.intake.package as package_module

    forget_parts_met()
    monkeypatch.setattr(package_module, "_KNOWN_PARTS", 3)
    for number in range(6):
        for _ in range(2):  # kept from its second meeting on
            package = CheckedPackage(Path("return.docx"),
                                     _package_with(b"<w:styles/>" * (number + 1)))
            package.read("word/styles.xml")
    assert len(package_module._KNOWN) == 3  # the least recently met let go of first
    assert package_module._KNOWN[next(reversed(package_module._KNOWN))].data == b"<w:styles/>" * 6
    assert package_module._known_bytes == sum(len(p.packed) for p in package_module._KNOWN.values())
    forget_parts_met()


def test_a_part_is_kept_for_parts_met_later_from_its_second_meeting_on(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.intake.package as package_module

    forget_parts_met()
    body = b'<?xml version="1.0"?><w:styles>' + b"<w:style/>" * 500 + b"</w:styles>"
    met = [CheckedPackage(Path(f"return{n}.docx"), _package_with(body)) for n in range(3)]
    assert met[0].read("word/styles.xml") == body
    assert not package_module._KNOWN  # a return's own part, met once: only its entry noted
    assert len(package_module._MET_ONCE) == 1
    assert met[1].read("word/styles.xml") == body
    (kept,) = package_module._KNOWN.values()  # met again: kept
    assert kept.data == body
    # Met a third time: given what was kept, not inflated again.
    info = met[2].getinfo("word/styles.xml")
    assert met[2]._known(info, met[2]._packed(info)) is kept
    assert met[2].read("word/styles.xml") is kept.data
    # The entries noted are bounded, forgotten all at once.
    monkeypatch.setattr(package_module, "_MET_ONCE_KEPT", 1)
    other = CheckedPackage(Path("other.docx"), _package_with(body.replace(b"style/", b"s/")))
    other.read("word/styles.xml")
    assert package_module._MET_ONCE == {(zipfile.ZIP_DEFLATED, zlib.crc32(other.read(
        "word/styles.xml")), other.getinfo("word/styles.xml").compress_size, 3042)}
    forget_parts_met()
    assert not package_module._MET_ONCE and not package_module._KNOWN


def test_a_part_let_go_of_while_it_is_looked_up_is_served_all_the_same(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.intake.package as package_module

    class LetGoOfMeanwhile(OrderedDict):  # type: ignore[type-arg]
        """As if another thread let go of each part found between its lookup and its move."""

        def move_to_end(self, key: object, last: bool = True) -> None:
            self.pop(key)
            raise KeyError(key)

    forget_parts_met()
    monkeypatch.setattr(package_module, "_KNOWN", LetGoOfMeanwhile())
    body = b'<?xml version="1.0"?><w:styles>' + b"<w:style/>" * 500 + b"</w:styles>"
    for n in range(2):  # kept from its second meeting on
        CheckedPackage(Path(f"return{n}.docx"), _package_with(body)).read("word/styles.xml")
    (kept,) = package_module._KNOWN.values()
    third = CheckedPackage(Path("third.docx"), _package_with(body))
    info = third.getinfo("word/styles.xml")
    assert third._known(info, third._packed(info)) is kept
    assert not package_module._KNOWN  # let go of meanwhile
    assert third.read("word/styles.xml") == body
    forget_parts_met()

