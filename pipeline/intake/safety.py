"""Refusing a hostile .docx/.xlsx before any library inflates or parses it.

No library we use limits how far a zip may inflate (a 185 KB .docx inflating to 100 MB took
python-docx 56 s and 5.5 GB), so the zip's directory is judged first, from the sizes it
declares; `zipfile` then holds every part to its declared size (a forged size fails its CRC).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pipeline import limits
from pipeline.intake.prolog import HEAD_BYTES, check_prolog, is_plain_prolog
from pipeline.issues import FileRejected

if TYPE_CHECKING:
    from pipeline.intake.package import CheckedPackage

_T = TypeVar("_T")

DAMAGED = "it is damaged or incomplete (the zip archive cannot be read)"


def read_directory(path: Path) -> list[zipfile.ZipInfo]:
    """The zip's directory (names and declared sizes), read without inflating any part."""
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.infolist()
    except Exception as exc:
        # BadZipFile, but also struct and value errors from a mangled directory.
        raise FileRejected("unreadable-file", reason=DAMAGED) from exc


def check_zip(path: Path) -> None:
    """Refuse a zip whose directory says it would inflate too far, before inflating anything."""
    check_directory(read_directory(path))


def check_directory(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip directory that says its parts would inflate too far, or that is forged."""
    parts = [i for i in infos if not i.is_dir()]
    # Sizes summed by map, not by generators, and each limit read once a package, not once a
    # part: every return's directory is judged.
    total = sum(map(_FILE_SIZE, parts))
    # Read from `limits` each time, so a test may lower one.
    if total > limits.MAX_UNCOMPRESSED_BYTES:
        raise FileRejected("file-too-large", reason=f"its parts would inflate to {size(total)} "
                           f"(at most {size(limits.MAX_UNCOMPRESSED_BYTES)} is read)")
    if len(parts) > limits.MAX_PARTS:
        raise FileRejected("file-too-large", reason=f"it holds {len(parts):,} parts "
                           f"(at most {limits.MAX_PARTS:,} are read)")
    seen: set[str] = set()
    ratio_limit = limits.MAX_COMPRESSION_RATIO
    part_limit = limits.MAX_PART_BYTES
    ratio_from = limits.RATIO_CHECK_MIN_BYTES
    for info in parts:
        # Part names are case-insensitive: two entries of one name are read differently by Word
        # (or Excel) and by any library, so what the group sees may not be what is read.
        key = info.filename.lower()
        if key in seen:
            raise FileRejected("unsafe-content", reason=f"it holds two parts named {info.filename}")
        seen.add(key)
        file_size = info.file_size
        if file_size > part_limit:
            raise FileRejected("file-too-large", reason=f"its part {info.filename} would "
                               f"inflate to {size(file_size)} (limit {size(part_limit)} a part)")
        if file_size > ratio_from and file_size > ratio_limit * info.compress_size:
            ratio = file_size // max(info.compress_size, 1)
            raise FileRejected("file-too-large", reason=f"its part {info.filename} is "
                               f"compressed {ratio:,} to 1 (limit {ratio_limit} to 1)")
        if info.flag_bits & 0x1:
            # Office never encrypts zip entries; its own password protection is an OLE file.
            raise FileRejected("unreadable-file", reason=f"its part {info.filename} is "
                               "encrypted inside the zip")
    packed = sum(map(_COMPRESS_SIZE, parts))
    if total > ratio_from and total > ratio_limit * packed:
        # Many parts each just under the limit add up the same way as one part over it.
        raise FileRejected("file-too-large", reason=f"it is compressed {total // max(packed, 1):,} "
                           f"to 1 in all (limit {ratio_limit} to 1)")


_FILE_SIZE = attrgetter("file_size")
_COMPRESS_SIZE = attrgetter("compress_size")


def check_xml_parts(path: Path) -> None:
    """Refuse a package any of whose parts declares a DOCTYPE or entities (see `check_parts`)."""
    from pipeline.intake.package import read_package

    try:
        with read_package(path) as package:
            check_parts(package)
    except FileRejected:
        raise
    except Exception as exc:
        raise FileRejected("unreadable-file", reason=DAMAGED) from exc


#: Parts that are XML by their name: counted when the package is large enough to need it.
_XML_NAMES = (".xml", ".rels", ".vml")
#: The fewest bytes an XML element takes: ``<a/>``.
_SMALLEST_ELEMENT_BYTES = 4


def check_parts(zf: CheckedPackage) -> None:
    """Refuse a package any of whose parts declares a DOCTYPE or entities, or that holds too
    many XML elements. Call after `check_directory`, which bounds what reading a part costs.

    Every part is looked at, whatever its name: a package may declare any part name as XML in
    its content types, and openpyxl parses workbook.xml with lxml, not defusedxml. Only the
    prolog (what comes before the first element) is judged, as a DOCTYPE can appear only there,
    so only a part's first bytes are inflated (`CheckedPackage.head`): a part no reader reads
    (a Word file's 800 KB of styles) costs next to nothing, and a part a reader reads is
    inflated whole, and its checksum checked, when it is read (`CheckedPackage.read`), or here
    when a part of its name was read before (`CheckedPackage.head`).
    """
    xml_parts: list[zipfile.ZipInfo] = []
    for info in zf.infolist():
        if info.is_dir() or info.file_size == 0:
            continue
        if info.filename.lower().endswith(_XML_NAMES):
            xml_parts.append(info)
        _damaged_as(info, _prolog_checked, zf)
    # Counting is costly (a byte search over every part, each inflated whole), so it is done
    # only where it can refuse. An element takes at least four bytes (`<a/>`), and every element
    # counted is a "<": a package with no more than four bytes of XML per element of the limit,
    # or no more "<" in all, cannot hold too many elements for a parser to build.
    limit = limits.MAX_XML_ELEMENTS
    if sum(map(_FILE_SIZE, xml_parts)) <= _SMALLEST_ELEMENT_BYTES * limit:
        return
    if sum(_damaged_as(info, _opening, zf) for info in xml_parts) <= limit:
        return
    elements = 0
    for info in xml_parts:
        elements += _damaged_as(info, _elements, zf)
        if elements > limit:
            raise FileRejected("file-too-large", reason=f"it has over {limit:,} XML elements, "
                               f"the limit (part {info.filename})")


def _damaged_as(info: zipfile.ZipInfo, judge: Callable[[CheckedPackage, zipfile.ZipInfo], _T],
                zf: CheckedPackage) -> _T:
    """`judge` one part; a part that cannot be inflated rejects the file, naming the part."""
    try:
        return judge(zf, info)
    except FileRejected:
        raise
    except Exception as exc:
        raise FileRejected("unreadable-file", reason=f"its part {info.filename} "
                           "is damaged") from exc


#: The first `HEAD_BYTES` of parts judged to start with a plain prolog in this process: the
#: returns of one template share most of their parts, and a head met again is the same bytes,
#: judged the same (looked up by its hash, about a tenth of what matching it costs).
_PLAIN_HEADS: set[bytes] = set()
#: At most this many are kept (forgotten all at once past it): a template's parts, and a few.
_PLAIN_HEADS_KEPT = 256


def _prolog_checked(zf: CheckedPackage, info: zipfile.ZipInfo) -> None:
    head = zf.head(info, HEAD_BYTES)
    if head in _PLAIN_HEADS:
        return
    if is_plain_prolog(head):
        if len(_PLAIN_HEADS) >= _PLAIN_HEADS_KEPT:
            _PLAIN_HEADS.clear()
        _PLAIN_HEADS.add(head)
        return
    with zf.open(info) as part:  # any other prolog is decoded as far as it goes
        check_prolog(part, info.filename)


def _opening(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """How many "<" a part holds: at least as many as its elements."""
    count = 0
    with zf.open(info) as part:
        while chunk := part.read(1 << 20):
            count += chunk.count(b"<")
    return count


def _count(data: bytes) -> int:
    """About how many XML elements these bytes hold: their start tags (at C speed).

    A small file can hold millions of empty elements (``<w:p/>`` compresses 60 to 1 and more);
    parsing them costs seconds and gigabytes long before any size limit is reached.
    """
    return data.count(b"<") - data.count(b"</")


def _elements(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """`_count` over one part, inflated in chunks."""
    count = 0
    with zf.open(info) as part:
        while chunk := part.read(1 << 20):
            count += _count(chunk)
    return count


def size(n: int) -> str:
    """A size in words a person reads at a glance: ``4.2 GB``, ``300 MB``, ``12 KB``."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            value = n / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:,.0f} {unit}"
    return f"{n} bytes"
