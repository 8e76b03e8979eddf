"""Unpacking a saved e-mail into inbox entries for its attachments, so they are read like any file."""

from __future__ import annotations

import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.document import Place
from pipeline.intake.mail.messages import MailAttachment, MailMessage, read_message
from pipeline.intake.mail.names import safe_file_name
from pipeline.intake.safety import size
from pipeline.intake.scan import EntryAction, InboxEntry, scan_inbox
from pipeline.issues import FileRejected, Issue, make_issue


@dataclass(frozen=True)
class AttachmentEntry(InboxEntry):
    """A file that arrived attached to an e-mail, with what the e-mail says about it."""

    sender: str = ""
    """The e-mail's sender address, lower case (matched to a group's contacts)."""
    sender_name: str = ""
    """The sender's display name ('Green Spaces Forum'), which may name a group."""
    sent: str = ""
    """When the e-mail was sent, ISO 8601 in UTC; empty when the message gives no date."""
    subject: str = ""
    message: str = ""
    """The e-mail's own name in the inbox (``returns/q4.eml``)."""
    message_id: str = ""
    """The e-mail's Message-ID, so feedback can be sent as a reply to it."""
    references: str = ""


@dataclass
class MailSummary:
    """What the officer needs to know about one e-mail at a glance."""

    message: str
    sender: str
    sender_name: str
    sent: str
    subject: str
    attachments: list[str] = field(default_factory=list)
    """One line per attachment: its name, size and what became of it."""
    message_id: str = ""
    references: str = ""

    def lines(self) -> list[str]:
        """The summary as lines of plain text."""
        who = f"{self.sender_name} <{self.sender}>" if self.sender_name and self.sender else (
            self.sender or self.sender_name or "(no sender)")
        when = self.sent.replace("T", " ").replace("+00:00", " UTC") if self.sent else "(no date)"
        found = [f"  - {a}" for a in self.attachments] or ["  (none)"]
        return [f"E-mail: {self.message}", f"From: {who}", f"Sent: {when}",
                f"Subject: {self.subject or '(no subject)'}", "Attachments:", *found]


@dataclass
class ExpandedEmail:
    """One e-mail unpacked: an entry per attachment, the officer's summary, and its issues."""

    message: str
    """The e-mail's name in the inbox."""
    entries: list[AttachmentEntry] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    summary: MailSummary | None = None
    folder: Path | None = None
    """Where the attachments were written (inside the caller's workdir); None if none were."""
    rejected_reason: str = ""
    """Why the e-mail itself could not be read (its issue is in ``issues``); empty when it was."""


def expand_email(entry: InboxEntry, workdir: Path) -> ExpandedEmail:
    """Write an e-mail's attachments to a fresh folder in workdir and list them as inbox entries."""
    place = Place(file=entry.name)
    try:
        mail = read_message(entry.path)
    except FileRejected as exc:
        issue = exc.to_issue(place)
        return ExpandedEmail(entry.name, issues=[issue], rejected_reason=issue.message)
    folder = Path(tempfile.mkdtemp(prefix="mail-", dir=workdir))
    for attachment in mail.attachments:
        # "xb": names are unique and the folder is new, so an existing file means a bug, not a
        # file to overwrite.
        with open(folder / attachment.name, "xb") as handle:
            handle.write(attachment.data)
    # The inbox's own rules decide what is a return, so an attachment is judged like a saved file.
    scanned = {e.name: e for e in scan_inbox(folder)}
    result = ExpandedEmail(entry.name, folder=folder, summary=MailSummary(
        entry.name, mail.sender, mail.sender_name, mail.date, mail.subject,
        message_id=mail.message_id, references=mail.references))
    for attachment in mail.attachments:
        found = _entry(entry, mail, attachment, scanned[attachment.name])
        result.entries.append(found)
        result.summary.attachments.append(_describe(attachment, found))  # type: ignore[union-attr]
        if _renamed_for_safety(attachment):
            result.issues.append(make_issue("unsafe-attachment-name", Place(file=found.name),
                                            original=repr(attachment.original_name),
                                            name=attachment.name))
    if not mail.has_files:
        result.issues.append(make_issue("email-no-attachment", place,
                                        subject=mail.subject or "(no subject)",
                                        sender=mail.sender or "an unknown sender"))
    return result


def _entry(email: InboxEntry, mail: MailMessage, attachment: MailAttachment,
           scanned: InboxEntry) -> AttachmentEntry:
    action, reason, kind = scanned.action, scanned.reason, scanned.kind
    if attachment.skipped:
        action, reason, kind = EntryAction.SKIP, attachment.skipped, None
    return AttachmentEntry(
        path=scanned.path,
        name=f"{email.name}/{attachment.name}",
        size=len(attachment.data),
        # The e-mail file's own date; `sent` is the e-mail's, which orders resubmissions by when
        # they were sent (not when the officer happened to save them) when it is believable.
        modified=email.modified,
        action=action,
        reason=reason,
        kind=kind,
        sender=mail.sender,
        sender_name=mail.sender_name,
        sent=mail.date,
        subject=mail.subject,
        message=email.name,
        message_id=mail.message_id,
        references=mail.references,
    )


def _describe(attachment: MailAttachment, entry: AttachmentEntry) -> str:
    what = "to be read" if entry.action is EntryAction.READ else f"skipped: {entry.reason}"
    where = f", from the forwarded message '{attachment.forwarded_in}'" if attachment.forwarded_in else ""
    return f"{attachment.name} ({size(len(attachment.data))}{where}): {what}"


def _renamed_for_safety(attachment: MailAttachment) -> bool:
    """True when the sender's name had to change to be safe (not merely numbered to be unique)."""
    original = unicodedata.normalize("NFC", attachment.original_name)
    return bool(original) and safe_file_name(original) != original
