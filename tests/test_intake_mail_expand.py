"""Saved e-mails (.eml, .msg) unpacked into inbox entries for their attachments: who sent each,
when and about what; forwarded messages, messages without attachments, damaged messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from mail_factory import (
    CDRP,
    DOCX_TYPE,
    PNG,
    SENT_UTC,
    STRONGER,
    XLSX_TYPE,
    File,
    Msg,
    MsgFile,
    docx_bytes,
    eml,
    expand_saved,
    write,
    write_msg,
    xlsx_bytes,
)

from pipeline.consolidate.read import read_one
from pipeline.consolidate.result import SubmissionState
from pipeline.document import Place
from pipeline.intake.mail.expand import AttachmentEntry, ExpandedEmail
from pipeline.intake.mail.messages import INLINE_IMAGE, OLE_MAGIC, read_message
from pipeline.intake.scan import EntryAction, InboxEntry, scan_inbox
from pipeline.issues import FileRejected, Severity
from pipeline.register import load_register

REGISTER = load_register()
CDRP_GROUP = "Crime and Disorder Reduction Partnership"


def _by_name(expanded: ExpandedEmail) -> dict[str, AttachmentEntry]:
    return {e.name.split("/", 1)[1]: e for e in expanded.entries}


# -- A mailbox export: .eml and .msg with Word and Excel returns ------------------------------


@pytest.fixture
def mailbox_export(tmp_path: Path) -> Path:
    """What the officer saves from Outlook and Thunderbird: two .eml and two .msg files."""
    inbox = tmp_path / "inbox"
    write(inbox / "stronger-q4.eml", eml(File("Q4 return.docx", docx_bytes(), DOCX_TYPE), inline_png=True))
    write(inbox / "cdrp-q4.eml", eml(File("cdrp.xlsx", xlsx_bytes(), XLSX_TYPE), sender=f"Bob <{CDRP}>",
                                     subject="CDRP return"))
    write_msg(inbox / "stronger-q4.msg", Msg(files=[MsgFile("Q4 return.docx", docx_bytes(), DOCX_TYPE),
                                                    MsgFile("image001.png", PNG, "image/png", inline=True)]))
    write_msg(inbox / "cdrp-q4.msg", Msg(sender=CDRP, sender_name="Bob", subject="CDRP return",
                                         files=[MsgFile("cdrp.xlsx", xlsx_bytes())]))
    return inbox


@pytest.mark.parametrize("message", ["stronger-q4.eml", "stronger-q4.msg"])
def test_word_return_is_listed_with_the_emails_sender_date_and_subject(
        mailbox_export: Path, tmp_path: Path, message: str) -> None:
    expanded = expand_saved(mailbox_export / message, tmp_path)
    entries = _by_name(expanded)
    assert set(entries) == {"Q4 return.docx", "image001.png"}
    word = entries["Q4 return.docx"]
    assert isinstance(word, InboxEntry)
    assert (word.name, word.action, word.kind) == (f"{message}/Q4 return.docx", "read", "word")
    assert (word.sender, word.sent, word.subject, word.message) == (STRONGER, SENT_UTC, "Q4 return", message)
    # Resubmissions are ordered by `sent`, the e-mail's date; `modified` stays the file's own.
    assert word.modified != SENT_UTC and word.modified.startswith(
        dt.datetime.fromtimestamp((mailbox_export / message).stat().st_mtime).strftime("%Y-%m-%dT%H:%M"))
    assert word.path.read_bytes() == docx_bytes()
    assert word.path.parent == expanded.folder and expanded.folder.parent == tmp_path / "work"
    assert expanded.issues == []


@pytest.mark.parametrize("message", ["stronger-q4.eml", "stronger-q4.msg"])
def test_inline_signature_picture_is_listed_as_skipped(mailbox_export: Path, tmp_path: Path,
                                                       message: str) -> None:
    picture = _by_name(expand_saved(mailbox_export / message, tmp_path))["image001.png"]
    assert (picture.action, picture.reason, picture.kind) == (EntryAction.SKIP, INLINE_IMAGE, None)


@pytest.mark.parametrize("message", ["cdrp-q4.eml", "cdrp-q4.msg"])
def test_excel_return_is_read_by_the_pipeline_and_its_group_found_from_the_sender(
        mailbox_export: Path, tmp_path: Path, message: str) -> None:
    entry = _by_name(expand_saved(mailbox_export / message, tmp_path))["cdrp.xlsx"]
    assert (entry.kind, entry.sender) == ("excel", CDRP)
    # The workbook names no group: only the sender's address says whose it is.
    result = read_one(entry, REGISTER)
    assert result.submission.state == SubmissionState.ACCEPTED, result.issues
    assert (result.submission.file, result.submission.group) == (f"{message}/cdrp.xlsx", CDRP_GROUP)
    assert result.submission.received == SENT_UTC


def test_summary_tells_the_officer_who_sent_what(mailbox_export: Path, tmp_path: Path) -> None:
    summary = expand_saved(mailbox_export / "stronger-q4.eml", tmp_path).summary
    assert summary is not None
    assert summary.lines() == [
        "E-mail: stronger-q4.eml",
        f"From: Di Robinson <{STRONGER}>",
        "Sent: 2009-04-03 09:15:00 UTC",
        "Subject: Q4 return",
        "Attachments:",
        f"  - image001.png (66 bytes): skipped: {INLINE_IMAGE}",
        "  - Q4 return.docx (36 KB): to be read",
    ]


# -- Forwarded messages, messages without attachments, damaged messages -----------------------


def test_forwarded_message_gives_up_its_attachments(tmp_path: Path) -> None:
    inner = eml(File("cdrp.xlsx", xlsx_bytes(), XLSX_TYPE), sender=f"Bob <{CDRP}>", subject="CDRP return")
    path = write(tmp_path / "inbox" / "fwd.eml", eml(subject="Fwd: CDRP return", forwarded=inner))
    expanded = expand_saved(path, tmp_path)
    [entry] = expanded.entries
    assert (entry.name, entry.action, entry.kind) == ("fwd.eml/cdrp.xlsx", "read", "excel")
    assert entry.path.read_bytes() == xlsx_bytes()
    assert expanded.summary is not None
    assert "from the forwarded message 'CDRP return'" in expanded.summary.attachments[0]


def test_outlook_message_attached_as_a_file_to_an_email(tmp_path: Path) -> None:
    """Forwarding a saved .msg from another mail program sends it as a plain file."""
    msg_path = write_msg(tmp_path / "as-file.msg", Msg(files=[MsgFile("Q4 return.docx", docx_bytes())]))
    outer = eml(File("Q4 return.msg", msg_path.read_bytes(), "application/vnd.ms-outlook"), subject="Fwd")
    expanded = expand_saved(write(tmp_path / "inbox" / "outer.eml", outer), tmp_path)
    assert [(e.name, e.kind) for e in expanded.entries] == [("outer.eml/Q4 return.docx", "word")]


def test_email_without_attachment_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "inbox" / "chat.eml", eml(subject="Will send Friday", inline_png=True))
    expanded = expand_saved(path, tmp_path)
    assert [(e.name, e.action) for e in expanded.entries] == [("chat.eml/image001.png", "skip")]
    [issue] = expanded.issues
    assert (issue.code, issue.severity, issue.place) == ("email-no-attachment", Severity.WARNING,
                                                         Place(file="chat.eml"))
    assert issue.message == (f"The e-mail 'Will send Friday' from {STRONGER} has no attachment, so there "
                             "was no return in it.")


def test_attachment_that_is_not_a_return_is_skipped_by_the_inbox_rules(tmp_path: Path) -> None:
    path = write(tmp_path / "inbox" / "txt.eml", eml(File("return.txt", b"Our return", "text/plain"),
                                                     File("~$return.docx", b"lock")))
    entries = _by_name(expand_saved(path, tmp_path))
    assert entries["return.txt"].reason == "not a Word or Excel file (a .txt file)"
    assert entries["~$return.docx"].action == "skip"


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("pdf-named.eml", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "it is not an e-mail message"),
    ("truncated.msg", OLE_MAGIC + b"\0" * 100, "it is not a readable Outlook message"),
])
def test_damaged_message_is_rejected_as_unreadable(tmp_path: Path, name: str, data: bytes,
                                                   reason: str) -> None:
    path = tmp_path / "inbox" / name
    path.parent.mkdir()
    path.write_bytes(data)
    with pytest.raises(FileRejected) as caught:
        read_message(path)
    assert caught.value.code == "unreadable-file" and caught.value.fields["reason"].startswith(reason)
    expanded = expand_saved(path, tmp_path)
    assert expanded.entries == [] and expanded.folder is None
    assert expanded.rejected_reason.startswith(f"The file cannot be opened: {reason}")
    assert [i.code for i in expanded.issues] == ["unreadable-file"]


def test_undated_email_orders_its_attachments_by_the_files_time(tmp_path: Path) -> None:
    message = eml(File("r.docx", docx_bytes(), DOCX_TYPE))
    del message["Date"]
    path = write(tmp_path / "inbox" / "undated.eml", message)
    [entry] = expand_saved(path, tmp_path).entries
    assert entry.sent == "" and entry.modified == next(iter(scan_inbox(path.parent))).modified
