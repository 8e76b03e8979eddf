"""A saved .eml as the page shows it: who it is to, the subject and the words."""

from __future__ import annotations

from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path


@dataclass
class MailView:
    """The headers a person reads, the plain-text body and the names of any attachments."""

    sender: str
    to: str
    subject: str
    date: str
    body: str
    attachments: list[str] = field(default_factory=list)


def read_eml(path: Path) -> MailView:
    """Read a message the run wrote (reminders and feedback are plain text)."""
    with open(path, "rb") as handle:
        message = BytesParser(policy=policy.default).parse(handle)
    part = message.get_body(preferencelist=("plain",))
    body = part.get_content() if part is not None else ""
    attachments = [a.get_filename() or "attachment" for a in message.iter_attachments()]
    return MailView(str(message.get("From", "")), str(message.get("To", "")),
                    str(message.get("Subject", "")), str(message.get("Date", "")), body, attachments)
