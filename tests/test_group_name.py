"""The group name a return gives outside a "Group:" line: its title, file name or e-mail."""

from __future__ import annotations

import pytest

from pipeline.layout.group_name import file_name_text, group_name_in


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Green Spaces Forum – quarterly return Q4 2008/09", "Green Spaces Forum"),
        ("Return from the Allotments Network", "Allotments Network"),
        ("Older People's Sub-group: progress to March", "Older People's Sub-group"),
        ("Children and Young People Action Group", "Children and Young People Action Group"),
        ("Thematic Sub-Group Performance Reporting", ""),
        ("Priority Action Group return", ""),
        ("Gloucester Partnership – action plan", ""),
        ("our group met in May", ""),
        ("Q4 return", ""),
    ],
)
def test_group_name_in_a_title(text: str, name: str) -> None:
    assert group_name_in([text], partnership="Gloucester Partnership") == name


def test_file_name_read_as_a_title() -> None:
    assert file_name_text("older-peoples-forum_q4.docx") == "Older Peoples Forum Q4"
    assert group_name_in([file_name_text("older-peoples-forum_q4.docx")]) == "Older Peoples Forum"
    assert group_name_in([file_name_text("return-q4.xlsx")]) == ""
