"""Zip packages read and written part by part: where a part's stored bytes are, and a package
written from parts already deflated, some of them deflated on another core.

Intake reads a return's parts from their stored bytes (`stored_at`), after their local header;
so does the master workbook's splice. The long sheets of a streamed master workbook are a
hundred megabytes of XML: deflating them is a tenth of the workbook's time. `DeflatedStream`
deflates a sheet's rows in a thread of its own as they are written (zlib and the file's writes
let go of the interpreter's lock, so the thread runs on a second core while this one makes the
next rows), each stream ending on a byte boundary without closing the deflate stream;
`ZipParts` then writes the package: a part put together from pieces (xlsxwriter's XML before the
rows, the rows, the XML after them) as one deflate stream, whose CRC-32 is made from the pieces'
(`crc32_combine`), and every other part copied as it was deflated. `zipfile` writes every part
through its own compressor, in the calling thread.
"""

from __future__ import annotations

import queue
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import BinaryIO, NamedTuple

#: How hard the rows are deflated: level 1 takes about a quarter of the time of zlib's default
#: level and makes the master workbook of 1,000 returns about a fifth larger.
LEVEL = 1
_COPY_BYTES = 1 << 20
_QUEUED_BLOCKS = 8
_LIMIT = 0xFFFF_FFFF  # sizes and offsets of a zip without its zip64 extension
_DEFLATED = 8
_LOCAL = struct.Struct("<4s5H3L2H")
#: A local header: its signature, and its size before the name and extra field.
_LOCAL_HEADER = b"PK\x03\x04"
#: A local header's signature and the lengths of the name and extra field that follow it.
_LOCAL_NAME_EXTRA = struct.Struct("<4s22xHH")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")


def stored_at(package: bytes, info: zipfile.ZipInfo) -> tuple[bytes, int]:
    """The name a part's local header gives, and where its stored bytes start in `package` (the
    local header's own name and extra field lengths count, as `zipfile.ZipFile.open` reads them).
    Raises BadZipFile when there is no local header where the directory says."""
    at = info.header_offset
    # Read in place by one precompiled struct, not sliced out and unpacked by a format looked up
    # in struct's cache: intake finds every part of every return here (the bench's 120 returns'
    # 1,680 parts: 11.0 -> 9.2 M instructions, callgrind). A negative offset is no header
    # (unpack_from would count it from the end).
    if at < 0 or len(package) - at < _LOCAL.size:
        raise zipfile.BadZipFile(f"no local header for {info.filename}")
    signature, name_length, extra_length = _LOCAL_NAME_EXTRA.unpack_from(package, at)
    if signature != _LOCAL_HEADER:
        raise zipfile.BadZipFile(f"no local header for {info.filename}")
    start = at + _LOCAL.size
    return package[start:start + name_length], start + name_length + extra_length


class Deflated(NamedTuple):
    """Bytes deflated into a file as a piece of a part (ended by a sync flush): where, and the
    CRC-32 and length of the bytes before deflating. What a closed `DeflatedStream` wrote, in a
    form another process can hand over."""

    path: Path
    crc: int
    size: int


class DeflatedStream:
    """Bytes deflated into a file by a thread of its own, with their CRC-32 and length.

    `write` hands a block to the thread (waiting only when it is several blocks behind); `close`
    waits for it and raises what it raised. The stream ends with a sync flush: on a byte
    boundary, not the deflate stream's last block, so other deflated pieces may follow it.
    """

    def __init__(self, path: Path, level: int = LEVEL) -> None:
        self.path = path
        self.crc = 0
        self.size = 0
        """Bytes written (before deflating)."""
        self._file: BinaryIO = path.open("wb")
        self._compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        self._blocks: queue.Queue[bytes | None] = queue.Queue(maxsize=_QUEUED_BLOCKS)
        self._failed: BaseException | None = None
        self._thread: threading.Thread | None = threading.Thread(
            target=self._deflate, name="pipeline-deflate", daemon=True)
        self._thread.start()

    def write(self, block: bytes) -> None:
        """Deflate `block` after those written before."""
        if self._failed is not None:
            raise self._failed
        if self._thread is None:  # nothing would take it: a full queue would wait for ever
            raise ValueError(f"the stream into {self.path.name} is closed")
        self._blocks.put(block)

    def close(self) -> None:
        """Wait for every block to be deflated and written, and raise what the thread raised."""
        if self._thread is None:
            return
        self._blocks.put(None)
        self._thread.join()
        self._thread = None
        if self._failed is not None:
            raise self._failed

    def deflated(self) -> Deflated:
        """What the closed stream wrote."""
        if self._thread is not None:
            raise RuntimeError("the stream is still open")
        return Deflated(self.path, self.crc, self.size)

    def _deflate(self) -> None:
        try:
            with self._file:
                while (block := self._blocks.get()) is not None:
                    self.crc = zlib.crc32(block, self.crc)
                    self.size += len(block)
                    self._file.write(self._compressor.compress(block))
                self._file.write(self._compressor.flush(zlib.Z_SYNC_FLUSH))
        except BaseException as exc:  # noqa: BLE001 - raised again by write or close
            self._failed = exc
            while self._blocks.get() is not None:  # the writer must never wait on a full queue
                pass


def deflated(data: bytes, level: int = LEVEL, *, last: bool) -> bytes:
    """`data` deflated as a piece of a part: ended by a sync flush, or as the stream's end."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of two byte strings one after the other, from each one's CRC-32 and the
    second's length (zlib's crc32_combine, which Python's zlib does not offer)."""
    # crc1 carried through length2 zero bytes, one power of two of them for each bit set.
    powers = _zero_bytes_operators()
    bit = 0
    while length2 > 0:
        if length2 & 1:
            crc1 = _times(powers[bit], crc1)
        length2 >>= 1
        bit += 1
    return crc1 ^ crc2


@cache
def _zero_bytes_operators() -> tuple[list[int], ...]:
    """The CRC's operator for 2**n zero bytes, for n from 0 to 63, as 32 columns each: made once
    (64 squarings), as zlib's own table is, rather than by squaring again in every call."""
    operator = [0xEDB88320] + [1 << n for n in range(31)]  # for one zero bit
    for _ in range(3):
        operator = _square(operator)  # two, four, eight zero bits: one zero byte
    powers = [operator]
    for _ in range(63):
        powers.append(_square(powers[-1]))
    return tuple(powers)


def _times(matrix: list[int], vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _square(matrix: list[int]) -> list[int]:
    return [_times(matrix, column) for column in matrix]


class ZipParts:
    """A zip package written part by part from deflated data, its directory at `close`."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._offset = 0
        self._directory: list[bytes] = []

    def add(self, name: str, pieces: Iterable[bytes | Path], *, crc: int, size: int,
            date_time: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0),
            external_attr: int = 0o600 << 16, method: int = _DEFLATED) -> None:
        """A part whose data, as stored in the package, is `pieces` one after the other (bytes,
        or a file's whole content), of CRC-32 `crc` and `size` bytes once inflated."""
        pieces = list(pieces)
        stored = sum(len(p) if isinstance(p, bytes) else p.stat().st_size for p in pieces)
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else 0x800
        if max(stored, size, self._offset) > _LIMIT:
            raise ValueError(f"part {name} is too large for a zip without zip64")
        time, date = _dos_time(date_time)
        self._out.write(_LOCAL.pack(_LOCAL_HEADER, 20, flags, method, time, date, crc, stored, size,
                                    len(encoded), 0) + encoded)
        for piece in pieces:
            if isinstance(piece, bytes):
                self._out.write(piece)
            else:
                with piece.open("rb") as data:
                    while chunk := data.read(_COPY_BYTES):
                        self._out.write(chunk)
        self._directory.append(_CENTRAL.pack(b"PK\x01\x02", 20, 20, flags, method, time, date, crc,
                                             stored, size, len(encoded), 0, 0, 0, 0, external_attr,
                                             self._offset) + encoded)
        self._offset += _LOCAL.size + len(encoded) + stored

    def close(self) -> None:
        """Write the package's directory."""
        directory = b"".join(self._directory)
        if len(self._directory) > 0xFFFF or self._offset + len(directory) > _LIMIT:
            raise ValueError("the package is too large for a zip without zip64")
        self._out.write(directory)
        self._out.write(_END.pack(b"PK\x05\x06", 0, 0, len(self._directory), len(self._directory),
                                  len(directory), self._offset, 0))


def _dos_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    return hour << 11 | minute << 5 | second // 2, max(0, year - 1980) << 9 | month << 5 | day
