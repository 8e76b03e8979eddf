"""A return's zip package, opened once and checked once: what every reader is given.

Intake reads the file from disk once, judges the zip's directory (`safety.check_directory`) and
every part's prolog (`safety.check_parts`), and notes what the package holds that no reader
reads (macros, pasted-in documents, embedded objects). A reader then reads parts from it, each
inflated once and its checksum checked then (a part of a name read before, when its head is
judged), and does not check again. A part whose packed bytes
are those of a part met before in this process (the returns of one template share most of theirs)
is given what that part inflated to, judged and checked already.
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from pipeline.intake.safety import DAMAGED, check_directory, check_parts
from pipeline.issues import FileRejected
from pipeline.zip_parts import stored_at

#: What a package may hold that no reader reads, found by its relationship type.
_UNREAD_TYPES = {
    "pasted": re.compile(rb'Type="[^"]*/aFChunk"'),
    "embedded": re.compile(rb'Type="[^"]*/(?:oleObject|package)"'),
}
_STRICT_SPREADSHEET = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
#: Packed bytes inflated at a time for a part's first bytes (`CheckedPackage.head`).
_FEED_BYTES = 1024
#: How parts are packed that `CheckedPackage` inflates itself (Office's); zipfile reads others.
_INFLATED_HERE = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
#: The flag saying a part's name is UTF-8 (else code page 437).
_UTF8_NAME = 0x800


class _KnownPart:
    """A part inflated before in this process: its packed bytes, the head judged of it, and
    the whole part once read (its size and checksum checked)."""

    __slots__ = ("packed", "head", "data")

    def __init__(self, packed: bytes) -> None:
        self.packed = packed
        self.head: tuple[int, bytes] | None = None
        """How many bytes were asked for, and what they were."""
        self.data: bytes | None = None


#: Parts already inflated in this process, by their directory entry (how packed, checksum, packed
#: and inflated size), each served only to a part whose packed bytes are the same byte for byte.
#: The returns of one template share most of their parts (a Word return 14 of its 16: styles,
#: theme, settings, relationships), and inflating a part's first bytes cost about as much as
#: judging them (starting the inflation, its code tables); the same bytes inflate to the same part.
#: (An OrderedDict: a dict let go of from its front leaves its first slots empty, and each
#: next(iter()) walked past all of them.)
_KNOWN: OrderedDict[tuple[int, int, int, int], _KnownPart] = OrderedDict()
#: The officer's page may check returns in threads of its own.
_KNOWN_LOCK = threading.Lock()
#: At most this many parts and packed bytes are kept (the least recently met let go of first):
#: a return's own parts (its text, its sheets) are met once and make way.
_KNOWN_PARTS = 32
_KNOWN_BYTES = 4 << 20
#: A part inflating past this size is not kept whole.
_KNOWN_PART_BYTES = 256 << 10

#: The names of parts read whole in this process (`CheckedPackage.read`): a part of one of these
#: names, of at most `_KNOWN_PART_BYTES`, is inflated whole when its head is asked for
#: (`CheckedPackage.head`).
_READ_WHOLE: set[str] = set()
#: At most this many are kept (forgotten all at once past it): a template's parts read, and a few.
_READ_WHOLE_KEPT = 64


class CheckedPackage(zipfile.ZipFile):
    """A .docx/.xlsx (or .odt/.ods) whose directory and XML prologs intake has checked.

    A zip file over the file's bytes, read once; each part is inflated once however often it
    is read (the check, the package scan and the reader read some of the same parts).
    """

    def __init__(self, path: Path, data: bytes) -> None:
        self._begun: dict[str, tuple[zlib._Decompress, int, bytes]] = {}
        """What `head` inflated of a part, to go on from when the part is read whole: its
        inflater, how many packed bytes it was fed, and what it gave (set first: `close`, which
        a failed zip's __del__ calls, lets go of them)."""
        self._stored: dict[zipfile.ZipInfo, memoryview] = {}
        """Each directory entry's packed bytes found so far (`_packed`), by the entry itself: its
        local header read and held to the entry once, though intake judges a part's head and a
        reader then reads the part."""
        super().__init__(io.BytesIO(data))
        self.path = path
        self.data = data
        """The whole file as read from disk (openpyxl is given these bytes)."""
        self._view = memoryview(data)
        """The file's bytes, each part's packed bytes sliced from them (`_packed`): one view of
        them made, not one for each part."""
        self._inflated: dict[str, bytes] = {}

    def read(self, name: str | zipfile.ZipInfo, pwd: bytes | None = None) -> bytes:
        """A part's bytes, inflated on first reading only.

        Intake judged only each part's prolog: a part found damaged here (its checksum does
        not match, it does not inflate to its declared size) rejects the file, naming the part.
        """
        if not isinstance(name, str) or pwd is not None:
            return super().read(name, pwd)
        data = self._inflated.get(name)
        if data is None:
            info = self.getinfo(name)  # KeyError for a part it does not hold, as zipfile's
            try:
                data = self._inflated[name] = self._inflate(info)
            except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
                raise FileRejected("unreadable-file", reason=f"its part {name} is damaged"
                                   ) from exc
            if name not in _READ_WHOLE:
                if len(_READ_WHOLE) >= _READ_WHOLE_KEPT:
                    _READ_WHOLE.clear()
                _READ_WHOLE.add(name)
        return data

    def head(self, info: zipfile.ZipInfo, size: int) -> bytes:
        """A part's first `size` bytes (all of it when shorter): what intake judges a part's
        prolog by, inflated no further."""
        whole = self._inflated.get(info.filename)
        if whole is not None:
            return whole[:size]
        if info.compress_type not in _INFLATED_HERE:
            with self.open(info) as part:
                return part.read(size)
        packed = self._packed(info)
        if info.compress_type == zipfile.ZIP_STORED:
            return bytes(packed[:size])
        begun = self._begun.get(info.filename)
        if begun is not None and (len(begun[2]) >= size or begun[0].eof):
            return begun[2][:size]
        known = self._known(info, packed)
        if known is not None:
            if known.data is not None:
                return known.data[:size]
            if known.head is not None and known.head[0] == size:
                return known.head[1]
        if begun is None and info.file_size <= _KNOWN_PART_BYTES and (
                info.filename in _READ_WHOLE and self.NameToInfo.get(info.filename) is info):
            # A part of a name read whole before in this process (a Word return's text, an
            # Excel return's sheets: each return's own, not met before): inflated whole now, in
            # one go, as its reader will read it. Its head inflated first and then the rest, it
            # cost a sixth more (159 k instructions against 137 k for the bench's 12 KB sheets
            # and texts: zlib's slow loop for the head, the rest's bytes copied onto the head's).
            # One that fails to inflate is left to be rejected when read, as any other; a large
            # one (which this saves little of) is not inflated whole before the check's verdict.
            try:
                whole = self._inflated[info.filename] = self._inflate(info)
            except (zipfile.BadZipFile, zlib.error, EOFError):
                pass  # its head judged as any other part's, its damage reported when it is read
            else:
                return whole[:size]
        # Fed a little at a time: a whole part given to `decompress` with a limit is copied
        # whole into its unconsumed tail.
        inflater, found, fed = zlib.decompressobj(-zlib.MAX_WBITS), b"", 0
        while len(found) < size and fed < len(packed) and not inflater.eof:
            found += inflater.decompress(packed[fed:fed + _FEED_BYTES], size - len(found))
            fed += _FEED_BYTES
        if begun is None:
            # Kept: a part a reader reads whole goes on from here, not from its first byte
            # (starting a part's inflation, its code tables, costs about as much as a head).
            self._begun[info.filename] = (inflater, fed, found)
        _remember(info, packed, known, head=(size, found))
        return found

    def _inflate(self, info: zipfile.ZipInfo) -> bytes:
        """A part's bytes, held to its declared size and checksum as `zipfile` holds them.

        Inflated straight from the file's bytes: the dozen small parts of every return cost
        more to open as zipfile streams than to inflate (a fifth of intake's time).
        """
        if info.compress_type not in _INFLATED_HERE:
            return super().read(info)
        packed = self._packed(info)
        if len(packed) < info.compress_size:
            raise EOFError(f"{info.filename} is cut short")
        if info.compress_type == zipfile.ZIP_STORED:
            data = bytes(packed)
        else:
            known = self._known(info, packed)
            if known is not None and known.data is not None:
                self._begun.pop(info.filename, None)
                return known.data
            begun = self._begun.pop(info.filename, None)
            rest: bytes | memoryview
            if begun is None:
                inflater, data, rest = zlib.decompressobj(-zlib.MAX_WBITS), b"", packed
            else:
                # On from where `head` stopped: what it had not taken of its last feed, then
                # the packed bytes it was not fed.
                inflater, fed, data = begun
                rest = inflater.unconsumed_tail + packed[fed:]
            if len(data) > info.file_size:
                raise zipfile.BadZipFile(f"{info.filename} inflates past its size")
            # One byte more than declared at most: a part that inflates further is forged.
            data += inflater.decompress(rest, info.file_size + 1 - len(data))
            if not inflater.eof:
                raise zipfile.BadZipFile(f"{info.filename} does not inflate to its end")
        if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
        if info.compress_type == zipfile.ZIP_DEFLATED and len(data) <= _KNOWN_PART_BYTES:
            _remember(info, packed, known, data=data)
        return data

    def _known(self, info: zipfile.ZipInfo, packed: memoryview) -> _KnownPart | None:
        """The part inflated before whose packed bytes are this part's, if one is kept."""
        key = (info.compress_type, info.CRC, info.compress_size, info.file_size)
        # Looked up without the lock, which only `_remember`'s changes together need: each of
        # these two is one step another thread cannot come between (a key of plain ints hashes
        # and compares with no Python code run), and a part let go of between them is still
        # this part (bench/instructions.py read 2,348.0 -> 2,335.5 M: the lock's `with`, taken
        # for every part a check or a reader looks up, parses its arguments each time).
        known = _KNOWN.get(key)
        if known is not None:
            try:
                _KNOWN.move_to_end(key)  # met again: kept longest
            except KeyError:
                pass  # let go of by another thread meanwhile: served all the same
        # Compared as bytes (a memoryview compares byte by byte in Python's own loop).
        if known is None or len(packed) != len(known.packed) or packed.tobytes() != known.packed:
            return None
        return known

    def _packed(self, info: zipfile.ZipInfo) -> memoryview:
        """A part's bytes as stored: after its local header, which must be one, and name the
        part the directory names."""
        packed = self._stored.get(info)
        if packed is not None:
            return packed
        name, start = stored_at(self.data, info)
        if local_name(name, info.flag_bits) != info.orig_filename:
            raise zipfile.BadZipFile(f"{info.filename} is named otherwise in its local header")
        packed = self._stored[info] = self._view[start:start + info.compress_size]
        return packed

    def close(self) -> None:
        """Close the package, and let go of the inflaters `head` kept."""
        self._begun.clear()
        self._stored.clear()
        super().close()

    @cached_property
    def names(self) -> frozenset[str]:
        """Every part's name."""
        return frozenset(self.namelist())

    @cached_property
    def has_macros(self) -> bool:
        """True when the package carries a VBA project (macros), which is never run, only noticed."""
        return any(n.lower().endswith("vbaproject.bin") for n in self.names)

    def unread_content(self) -> dict[str, int]:
        """How many pasted-in documents (altChunk) and embedded objects it holds, by kind."""
        found: dict[str, int] = {}
        for name in sorted(self.names):
            if not name.lower().endswith(".rels"):
                continue
            # Relationship parts are small, and the check has bounded what reading them costs.
            count_unread(self.read(name), found)
        return found

    def is_strict_workbook(self) -> bool:
        """True when an .xlsx is saved as Strict Open XML (its namespace, in the first 2 KB)."""
        try:
            return _STRICT_SPREADSHEET in self.read("xl/workbook.xml")[:2048]
        except Exception:
            return False


def count_unread(relationships: bytes, found: dict[str, int]) -> None:
    """Add to `found` how many relationships of each kind of `_UNREAD_TYPES` a part holds."""
    # Every type `_UNREAD_TYPES` finds ends in one of these: a part (most) with none of them is
    # not searched pattern by pattern (each search scans on from every ``Type="``; a substring
    # is looked for in C at a few instructions a byte).
    if (b'/aFChunk"' not in relationships and b'/oleObject"' not in relationships
            and b'/package"' not in relationships):
        return
    for what, pattern in _UNREAD_TYPES.items():
        count = len(pattern.findall(relationships))
        if count:
            found[what] = found.get(what, 0) + count


def local_name(name: bytes, flag_bits: int) -> str:
    """A part's name as its local header gives it, decoded as `zipfile` decodes the directory's:
    UTF-8 when the entry's flag says so, else code page 437 (undecodable bytes replaced)."""
    if name.isascii():
        # Both encodings give ASCII bytes as ASCII, and Office names every part in ASCII:
        # decoded in C, not by the cp437 codec's Python function (called for every part read).
        return name.decode("ascii")
    return name.decode("utf-8" if flag_bits & _UTF8_NAME else "cp437", "replace")


def _remember(info: zipfile.ZipInfo, packed: memoryview, known: _KnownPart | None, *,
              head: tuple[int, bytes] | None = None, data: bytes | None = None) -> None:
    """Keep what was inflated of a part (its head or the whole of it) for a part with the same
    packed bytes, in `_KNOWN`."""
    global _known_bytes
    if known is None:
        if len(packed) > _KNOWN_BYTES // 4:
            return
        key = (info.compress_type, info.CRC, info.compress_size, info.file_size)
        if key not in _MET_ONCE:
            # Met for the first time: only its directory entry noted. A return's own parts (its
            # text, its sheets, its properties: five of every return's fourteen) are never met
            # again, and kept at once each was copied and kept only to be let go of (check_package
            # over the bench's 120 returns 156.2 -> 150.3 M instructions, callgrind).
            if len(_MET_ONCE) >= _MET_ONCE_KEPT:
                _MET_ONCE.clear()
            _MET_ONCE.add(key)
            return
        known = _KnownPart(packed.tobytes())
        with _KNOWN_LOCK:
            replaced = _KNOWN.pop(key, None)
            _KNOWN[key] = known
            _known_bytes += len(known.packed) - (len(replaced.packed) if replaced else 0)
            while len(_KNOWN) > _KNOWN_PARTS or _known_bytes > _KNOWN_BYTES:
                _known_bytes -= len(_KNOWN.popitem(last=False)[1].packed)
    if head is not None:
        known.head = head
    if data is not None:
        known.data = data


#: The packed bytes `_KNOWN` holds.
_known_bytes = 0
#: The directory entries (as `_KNOWN` is keyed) of parts met once, whose packed bytes are kept
#: in `_KNOWN` only when an entry of the same is met again (`_remember`).
_MET_ONCE: set[tuple[int, int, int, int]] = set()
#: At most this many are noted (forgotten all at once past it).
_MET_ONCE_KEPT = 1024


def forget_parts_met() -> None:
    """Let go of every part kept for parts met later (`_KNOWN`), and of the names read whole."""
    global _known_bytes
    with _KNOWN_LOCK:
        _KNOWN.clear()
        _known_bytes = 0
    _MET_ONCE.clear()
    _READ_WHOLE.clear()


def open_package(path: Path) -> CheckedPackage:
    """Read a zip package from disk and check it; raise FileRejected for a hostile or damaged one."""
    return check_package(read_package(path))


def read_package(path: Path) -> CheckedPackage:
    """Read a zip package from disk and its directory, not yet checked (`check_package` does);
    raise FileRejected when it cannot be read or its directory is damaged."""
    return package_of(path, read_file(path))


def read_file(path: Path) -> bytes:
    """A file's bytes, read whole; FileRejected when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FileRejected("unreadable-file", reason=f"it could not be read ({exc.strerror})"
                           ) from exc


def package_of(path: Path, data: bytes) -> CheckedPackage:
    """The zip package of a file's bytes (`data`, read from `path`) and its directory, not yet
    checked (`check_package` does); FileRejected when its directory is damaged."""
    try:
        return CheckedPackage(path, data)
    except Exception as exc:
        # BadZipFile, but also struct and value errors from a mangled directory.
        raise FileRejected("unreadable-file", reason=DAMAGED) from exc


def check_package(package: CheckedPackage) -> CheckedPackage:
    """Judge the package's directory and every part's prolog before any reader reads it; a
    hostile or damaged package is closed and rejected."""
    try:
        check_directory(package.infolist())
        check_parts(package)
    except FileRejected:
        package.close()
        raise
    except Exception as exc:
        package.close()
        raise FileRejected("unreadable-file", reason=DAMAGED) from exc
    return package


@contextmanager
def checked(source: Path | CheckedPackage) -> Iterator[CheckedPackage]:
    """The package to read: the one intake checked, or the file checked now (closed after)."""
    if isinstance(source, CheckedPackage):
        yield source
        return
    with open_package(source) as package:
        yield package
