"""Fast paths of `pipeline.intake.package` held to the general ones they stand in for."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.intake.package import (
    _UNREAD_TYPES,
    check_package,
    count_unread,
    local_name,
    read_package,
)
from tests import hostile_factory as make

_UTF8_NAME = 0x800


@given(name=st.binary(max_size=40), flag_bits=st.sampled_from([0, _UTF8_NAME, 0x8, _UTF8_NAME | 0x8]))
def test_a_local_name_is_decoded_as_its_flag_says(name: bytes, flag_bits: int) -> None:
    encoding = "utf-8" if flag_bits & _UTF8_NAME else "cp437"
    assert local_name(name, flag_bits) == name.decode(encoding, "replace")


@pytest.mark.parametrize("name", [b"word/document.xml", b"[Content_Types].xml", bytes(range(128)),
                                  "word/d\u00f6c.xml".encode(), "word/d\u00f6c.xml".encode("cp437"),
                                  b"\x80\xff"])
@pytest.mark.parametrize("flag_bits", [0, _UTF8_NAME])
def test_each_byte_of_a_local_name_is_decoded_as_zipfile_decodes_it(name: bytes, flag_bits: int) -> None:
    encoding = "utf-8" if flag_bits & _UTF8_NAME else "cp437"
    assert local_name(name, flag_bits) == name.decode(encoding, "replace")



@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_each_part_read_after_its_head_is_judged_is_the_part_zipfile_reads(tmp_path: Path,
                                                                           kind: str) -> None:
    # Each part's packed bytes are found once (`_packed`) and served again when it is read.
    path = make.plain(tmp_path / f"plain.{kind}", kind, "Reduce waiting times " * 20)
    with zipfile.ZipFile(path) as plain, check_package(read_package(path)) as package:
        for name in plain.namelist():
            assert package.read(name) == plain.read(name)
            assert package.read(name) == plain.read(name)


def _counted_by_pattern(relationships: bytes) -> dict[str, int]:
    """What `count_unread` finds, by its definition: every pattern searched."""
    counts = {what: len(pattern.findall(relationships)) for what, pattern in _UNREAD_TYPES.items()}
    return {what: count for what, count in counts.items() if count}


_TYPES = ["http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk",
          "http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject",
          "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package",
          "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
          "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles",
          "aFChunk", "/package", "x/oleObject"]
_RELATIONSHIP = st.builds(lambda kind, quote: f'<Relationship Id="r1" Type={quote}{kind}{quote}/>',
                          st.sampled_from(_TYPES), st.sampled_from(['"', "'"]))


@given(st.lists(st.one_of(_RELATIONSHIP, st.sampled_from(['Type="', '/package"', '"', " "])),
                max_size=12))
def test_unread_content_is_counted_as_every_pattern_counts_it(pieces: list[str]) -> None:
    relationships = "".join(pieces).encode()
    found: dict[str, int] = {}
    count_unread(relationships, found)
    assert found == _counted_by_pattern(relationships)


@pytest.mark.parametrize("kind", _TYPES)
def test_each_relationship_type_is_counted_as_every_pattern_counts_it(kind: str) -> None:
    relationships = f'<Relationships><Relationship Id="r1" Type="{kind}"/></Relationships>'.encode()
    found = {"pasted": 1}  # added to, not replaced
    count_unread(relationships, found)
    expected = _counted_by_pattern(relationships)
    assert found == {**expected, "pasted": expected.get("pasted", 0) + 1}
