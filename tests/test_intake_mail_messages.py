"""Reading a saved message (.eml or Outlook .msg): its attachments, forwards, date and message ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from mail_factory import DOCX_TYPE, File, Msg, MsgFile, docx_bytes, eml, write, write_msg

from pipeline.intake.mail.messages import message_id, read_message, references


def test_forward_of_a_forward_inside_an_outlook_message(tmp_path: Path) -> None:
    innermost = Msg(subject="Original", files=[MsgFile("return.docx", docx_bytes())])
    middle = Msg(subject="Fwd: Original", files=[MsgFile("return.docx", b"older copy")], embedded=[innermost])
    path = write_msg(tmp_path / "inbox" / "fwd.msg", Msg(subject="Fwd: Fwd: Original", embedded=[middle]))
    mail = read_message(path)
    assert [(a.name, a.forwarded_in) for a in mail.attachments] == [
        ("return.docx", "Fwd: Original"), ("return (2).docx", "Original")]
    assert mail.forwarded == ("Fwd: Original", "Original")


def test_msg_that_holds_internet_mail_is_read_by_its_content(tmp_path: Path) -> None:
    path = write(tmp_path / "saved-as.msg", eml(File("r.docx", docx_bytes(), DOCX_TYPE)))
    assert [a.name for a in read_message(path).attachments] == ["r.docx"]


@pytest.mark.parametrize(("header", "expected"), [
    ("Fri, 03 Apr 2009 10:15:00 +0100", "2009-04-03T09:15:00+00:00"),
    ("Fri, 03 Apr 2009 09:15:00 -0000", "2009-04-03T09:15:00+00:00"),
    ("Thu, 02 Apr 2009 22:15:00 -1100", "2009-04-03T09:15:00+00:00"),
    ("sometime last week", ""),
])
def test_date_is_converted_to_utc(tmp_path: Path, header: str, expected: str) -> None:
    message = eml(File("r.docx", b"x"))
    message.replace_header("Date", header)
    assert read_message(write(tmp_path / "m.eml", message)).date == expected


@pytest.mark.parametrize(("header", "expected"), [
    ("<abc.123@example.org>", "<abc.123@example.org>"),
    ("  <abc@example.org> (comment)", "<abc@example.org>"),
    ("<a b>\r\nBcc: victim@example.org", ""),
    ("no brackets@example.org", ""),
    ("", ""),
])
def test_only_a_well_formed_message_id_is_kept(header: str, expected: str) -> None:
    assert message_id(header) == expected


def test_references_keep_the_newest_well_formed_ids() -> None:
    ids = " ".join(f"<{n}@example.org>" for n in range(30))
    kept = references(ids + " junk <bad id>").split()
    assert len(kept) == 20 and kept[-1] == "<29@example.org>"
