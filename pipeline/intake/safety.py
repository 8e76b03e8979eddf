"""Refusing a hostile .docx/.xlsx before any library inflates or parses it.

No library we use limits how far a zip may inflate (a 185 KB .docx inflating to 100 MB took
python-docx 56 s and 5.5 GB), so the zip's directory is judged first, from the sizes it
declares; `zipfile` then holds every part to its declared size (a forged size fails its CRC).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline.intake.prolog import check_prolog
from pipeline.issues import FileRejected
from pipeline.limits import (
    MAX_COMPRESSION_RATIO,
    MAX_PART_BYTES,
    MAX_PARTS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_XML_ELEMENTS,
    RATIO_CHECK_MIN_BYTES,
)

_DAMAGED = "it is damaged or incomplete (the zip archive cannot be read)"


def read_directory(path: Path) -> list[zipfile.ZipInfo]:
    """The zip's directory (names and declared sizes), read without inflating any part."""
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.infolist()
    except Exception as exc:
        # BadZipFile, but also struct and value errors from a mangled directory.
        raise FileRejected("unreadable-file", reason=_DAMAGED) from exc


def check_zip(path: Path) -> None:
    """Refuse a zip whose directory says it would inflate too far, before inflating anything."""
    parts = [i for i in read_directory(path) if not i.is_dir()]
    total = sum(i.file_size for i in parts)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise FileRejected("file-too-large", reason=f"its parts would inflate to {size(total)} "
                           f"(at most {size(MAX_UNCOMPRESSED_BYTES)} is read)")
    if len(parts) > MAX_PARTS:
        raise FileRejected("file-too-large", reason=f"it holds {len(parts):,} parts "
                           f"(at most {MAX_PARTS:,} are read)")
    seen: set[str] = set()
    for info in parts:
        # Part names are case-insensitive: two entries of one name are read differently by Word
        # (or Excel) and by any library, so what the group sees may not be what is read.
        key = info.filename.lower()
        if key in seen:
            raise FileRejected("unsafe-content", reason=f"it holds two parts named {info.filename}")
        seen.add(key)
        if info.file_size > MAX_PART_BYTES:
            raise FileRejected("file-too-large", reason=f"its part {info.filename} would "
                               f"inflate to {size(info.file_size)} (limit "
                               f"{size(MAX_PART_BYTES)} a part)")
        if info.file_size > RATIO_CHECK_MIN_BYTES and (
            info.file_size > MAX_COMPRESSION_RATIO * info.compress_size
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            raise FileRejected("file-too-large", reason=f"its part {info.filename} is "
                               f"compressed {ratio:,} to 1 (limit {MAX_COMPRESSION_RATIO} to 1)")
        if info.flag_bits & 0x1:
            # Office never encrypts zip entries; its own password protection is an OLE file.
            raise FileRejected("unreadable-file", reason=f"its part {info.filename} is "
                               "encrypted inside the zip")
    packed = sum(i.compress_size for i in parts)
    if total > RATIO_CHECK_MIN_BYTES and total > MAX_COMPRESSION_RATIO * packed:
        # Many parts each just under the limit add up the same way as one part over it.
        raise FileRejected("file-too-large", reason=f"it is compressed {total // max(packed, 1):,} "
                           f"to 1 in all (limit {MAX_COMPRESSION_RATIO} to 1)")


def check_xml_parts(path: Path) -> None:
    """Refuse a package any of whose parts declares a DOCTYPE or entities (read in chunks).

    Every part is looked at, whatever its name: a package may declare any part name as XML in
    its content types, and openpyxl parses workbook.xml with lxml, not defusedxml. Only the
    prolog (what comes before the first element) is read, as a DOCTYPE can appear only there.
    Call after `check_zip`, which bounds what reading a part can cost.
    """
    elements = 0
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.is_dir() or info.file_size == 0:
                    continue
                try:
                    with zf.open(info) as part:
                        check_prolog(part, info.filename)
                    elements += _count_elements(zf, info)
                    if elements > MAX_XML_ELEMENTS:
                        raise FileRejected("file-too-large", reason=f"it has over "
                                           f"{MAX_XML_ELEMENTS:,} XML elements, the limit (part "
                                           f"{info.filename})")
                except FileRejected:
                    raise
                except Exception as exc:
                    raise FileRejected("unreadable-file", reason=f"its part {info.filename} "
                                       "is damaged") from exc
    except FileRejected:
        raise
    except Exception as exc:
        raise FileRejected("unreadable-file", reason=_DAMAGED) from exc


def _count_elements(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """About how many XML elements a part holds (its start tags), counted at C speed in chunks.

    A small file can hold millions of empty elements (``<w:p/>`` compresses 60 to 1 and more);
    parsing them costs seconds and gigabytes long before any size limit is reached.
    """
    if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
        return 0
    count = 0
    with zf.open(info) as part:
        while chunk := part.read(1 << 20):
            count += chunk.count(b"<") - chunk.count(b"</")
    return count


def size(n: int) -> str:
    """A size in words a person reads at a glance: ``4.2 GB``, ``300 MB``, ``12 KB``."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            value = n / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:,.0f} {unit}"
    return f"{n} bytes"
