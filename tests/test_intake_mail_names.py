"""Attachment names chosen by the sender, made safe and unique before anything is saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mail_factory import docx_bytes, eml_with_raw_names, expand_saved, write

from pipeline.intake.mail.names import MAX_NAME_CHARS, UniqueNames, safe_file_name
from pipeline.issues import Severity


@pytest.mark.parametrize(("sent_as", "saved_as"), [
    ("../../etc/passwd.docx", "passwd.docx"),
    ("/abs/x.xlsx", "x.xlsx"),
    ("con\x00.docx", "_con.docx"),
    ("..\\..\\Windows\\win.docx", "win.docx"),
    (".hidden.docx", "hidden.docx"),
    ("..", "attachment.docx"),  # no name left: named by its content type
    ("evil\u202excod.docx", "evilxcod.docx"),
    ("what? \"really\".docx", "what_ _really_.docx"),
    ("trailing dots...", "trailing dots"),
])
def test_hostile_attachment_name_is_saved_safely_inside_the_folder(
        tmp_path: Path, sent_as: str, saved_as: str) -> None:
    path = write(tmp_path / "inbox" / "hostile.eml", eml_with_raw_names([sent_as], docx_bytes()))
    expanded = expand_saved(path, tmp_path)
    [entry] = expanded.entries
    assert entry.name == f"hostile.eml/{saved_as}"
    assert entry.path.parent == expanded.folder
    assert sorted(p.name for p in expanded.folder.iterdir()) == [saved_as]
    [issue] = expanded.issues
    assert (issue.code, issue.severity, issue.place.file) == ("unsafe-attachment-name", Severity.WARNING,
                                                              entry.name)
    assert repr(sent_as)[:40] in issue.message and f"'{saved_as}'" in issue.message


def test_same_name_twice_is_numbered_without_a_warning(tmp_path: Path) -> None:
    names = ["return.docx", "return.docx", "Return.docx"]
    path = write(tmp_path / "inbox" / "twice.eml", eml_with_raw_names(names, docx_bytes()))
    expanded = expand_saved(path, tmp_path)
    assert [e.name for e in expanded.entries] == [
        "twice.eml/return.docx", "twice.eml/return (2).docx", "twice.eml/Return (3).docx"]
    assert expanded.issues == []


def test_long_name_is_cut_keeping_its_extension() -> None:
    name = safe_file_name("x" * 300 + ".docx")
    assert len(name) == MAX_NAME_CHARS and name.endswith("x.docx")


@given(st.text())
def test_any_name_becomes_a_plain_visible_file_name(name: str) -> None:
    safe = safe_file_name(name)
    assert safe and len(safe) <= MAX_NAME_CHARS
    assert "/" not in safe and "\\" not in safe and not safe.startswith(".")
    assert all(ord(c) >= 32 and c not in '<>:"|?*' for c in safe)
    assert safe_file_name(safe) == safe


@given(st.lists(st.sampled_from(["a.docx", "A.docx", "a (2).docx", "b"]), max_size=8))
def test_unique_names_never_clash_whatever_the_case(names: list[str]) -> None:
    taken = UniqueNames()
    claimed = [taken.claim(n) for n in names]
    assert len({c.lower() for c in claimed}) == len(claimed)
