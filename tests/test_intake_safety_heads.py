"""The heads of parts `pipeline.intake.safety` remembers as judged plain: a head met again is
judged as it was, and a part declaring a DOCTYPE is refused however many plain heads were met."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.intake import safety
from pipeline.intake.package import open_package
from pipeline.intake.prolog import check_prolog, is_plain_prolog
from pipeline.issues import FileRejected
from tests import hostile_factory as make

_PROLOG = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_doctype_is_refused_after_the_plain_parts_of_its_template_were_met(
    tmp_path: Path, kind: str
) -> None:
    plain = make.plain(tmp_path / f"plain.{kind}", kind)
    with open_package(plain):
        pass  # its heads remembered
    with open_package(plain):
        pass  # and met again
    hostile = make.with_part(plain, tmp_path / f"hostile.{kind}", make.MAIN_PART[kind],
                             make.doctype_part("utf-8"))
    with pytest.raises(FileRejected) as caught:
        open_package(hostile)
    assert caught.value.code == "unsafe-content"
    assert all(is_plain_prolog(head) for head in safety._PLAIN_HEADS)


class _Part:
    """A package of one part, as `_prolog_checked` reads it: its head, or the part opened."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def head(self, _info: object, size: int) -> bytes:
        return self.data[:size]

    def open(self, _info: object) -> io.BytesIO:
        return io.BytesIO(self.data)


def _verdict(judge: Callable[[], None]) -> str | None:
    try:
        judge()
    except FileRejected as exc:
        return exc.code
    return None


_PARTS = st.one_of(st.just(_PROLOG + b"<w:document>"), st.just(b"<r/>"), st.binary(max_size=64),
                   st.just(_PROLOG + b'<!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'),
                   st.builds(lambda space: _PROLOG + space + b"<!DOCTYPE r><r/>",
                             st.sampled_from([b"", b" ", b"\n"])))


@given(st.lists(_PARTS, max_size=8))
def test_each_part_is_judged_as_its_prolog_check_judges_it_heads_remembered_or_not(
    parts: list[bytes],
) -> None:
    info = zipfile.ZipInfo("word/document.xml")
    for data in [*parts, *parts]:  # each met again
        remembered = _verdict(partial(safety._prolog_checked, _Part(data), info))  # type: ignore[arg-type]
        assert remembered == _verdict(partial(check_prolog, io.BytesIO(data), info.filename))
    assert all(is_plain_prolog(head) for head in safety._PLAIN_HEADS)
