"""Fast paths of `pipeline.intake.package` held to the general ones they stand in for."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.intake.package import local_name

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

