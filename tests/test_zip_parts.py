"""A zip package written from deflated pieces: read back by `zipfile`, CRC-checked, equal."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.zip_parts import DeflatedStream, ZipParts, crc32_combine, deflated


@settings(max_examples=200)
@given(st.binary(max_size=300), st.binary(max_size=300))
def test_crc32_combine_is_the_crc_of_the_two_one_after_the_other(first: bytes, second: bytes) -> None:
    assert crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second)) == zlib.crc32(first + second)


def test_crc32_combine_over_a_long_second_part() -> None:
    first, second = b"head" * 10, bytes(range(256)) * 40_000
    assert crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second)) == zlib.crc32(first + second)


def test_a_part_made_of_pieces_deflated_apart_reads_back_whole(tmp_path: Path) -> None:
    head, tail = b"<worksheet><sheetData>", b"</sheetData></worksheet>"
    blocks = [b'<row r="%d"><c><v>%d</v></c></row>' % (n, n * n) for n in range(1, 5_000)]
    stream = DeflatedStream(tmp_path / "rows.deflated")
    for start in range(0, len(blocks), 300):
        stream.write(b"".join(blocks[start:start + 300]))
    stream.close()
    rows = b"".join(blocks)
    assert (stream.crc, stream.size) == (zlib.crc32(rows), len(rows))
    whole = head + rows + tail
    crc = crc32_combine(crc32_combine(zlib.crc32(head), stream.crc, stream.size),
                        zlib.crc32(tail), len(tail))
    with (tmp_path / "out.zip").open("wb") as out:
        package = ZipParts(out)
        package.add("[Content_Types].xml", [deflated(b"<Types/>", last=True)],
                    crc=zlib.crc32(b"<Types/>"), size=8)
        package.add("xl/worksheets/sheet1.xml",
                    [deflated(head, last=False), stream.path, deflated(tail, last=True)],
                    crc=crc, size=len(whole), date_time=(2026, 12, 1, 10, 30, 8))
        package.add("stored.txt", [b"as it is"], crc=zlib.crc32(b"as it is"), size=8, method=0)
        package.close()
    with zipfile.ZipFile(tmp_path / "out.zip") as written:
        assert written.testzip() is None
        assert written.namelist() == ["[Content_Types].xml", "xl/worksheets/sheet1.xml", "stored.txt"]
        assert written.read("xl/worksheets/sheet1.xml") == whole
        assert written.read("stored.txt") == b"as it is"
        assert written.getinfo("xl/worksheets/sheet1.xml").date_time == (2026, 12, 1, 10, 30, 8)


def test_a_failure_to_write_the_rows_is_raised_to_the_writer(tmp_path: Path) -> None:
    stream = DeflatedStream(tmp_path / "rows.deflated")
    stream._file.close()  # as a full disk would: the thread's next write fails
    stream.write(b"x" * 100)
    for _ in range(50):  # the writer is never left waiting on the thread, and is told
        try:
            stream.write(b"x" * 100_000)
        except ValueError:
            break
    with pytest.raises(ValueError):
        stream.close()


def test_a_closed_stream_says_what_it_wrote_and_takes_no_more(tmp_path: Path) -> None:
    stream = DeflatedStream(tmp_path / "rows.deflated")
    stream.write(b"<row/>" * 1000)
    stream.close()
    written = stream.deflated()
    assert (written.path, written.size, written.crc) == (
        tmp_path / "rows.deflated", 6000, zlib.crc32(b"<row/>" * 1000))
    assert zlib.decompressobj(-15).decompress(written.path.read_bytes()) == b"<row/>" * 1000
    with pytest.raises(ValueError, match="closed"):
        stream.write(b"<row/>")  # never left waiting on a thread that is gone
