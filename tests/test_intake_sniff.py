"""Telling what a file really is from its content, never its extension."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.intake.package import open_package
from pipeline.intake.sniff import has_macros, sniff
from tests import hostile_factory as make
from tests.intake_support import needs_soffice, write_bytes

SNIFF_CASES: dict[str, Callable[[Path], Path]] = {
    "docx": lambda d: make.plain_docx(d / "return.docx"),
    "xlsx": lambda d: make.plain_xlsx(d / "return.xlsx"),
    "xlsx-macro-enabled": lambda d: make.macro_xlsx(d / "return.xlsm"),
    "xlsx-named-docx": lambda d: make.plain_xlsx(d / "really-excel.docx"),
    "ole-encrypted-docx": lambda d: make.encrypted(make.plain_docx(d / "p.docx"), d / "x.docx"),
    "ole-encrypted-xlsx": lambda d: make.encrypted(make.plain_xlsx(d / "p.xlsx"), d / "x.xlsx"),
    "empty": lambda d: write_bytes(d / "empty.docx", b""),
    "pdf": lambda d: make.pdf(d / "scan.docx"),
    "rtf": lambda d: make.rtf(d / "return.rtf"),
    "zip": lambda d: make.other_zip(d / "archive.xlsx"),
    "zip-truncated": lambda d: make.truncated(make.plain_docx(d / "p.docx"), d / "cut.docx"),
    "unknown": lambda d: make.random_bytes(d / "noise.xlsx"),
    "odt": lambda d: make.odt_with_linked_section(d / "r.odt", d / "nothing.txt"),
}


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


def test_checked_package_sees_a_vba_project(tmp_path: Path) -> None:
    with open_package(make.macro_xlsx(tmp_path / "return.xlsm")) as package:
        assert package.has_macros
    with open_package(make.plain_xlsx(tmp_path / "return.xlsx")) as package:
        assert not package.has_macros


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
