"""What every message the officer sends back has in common: its headers, its words for dates and
counts, and writing it as an .eml draft.

Each is written as an .eml file marked as unsent (``X-Unsent: 1``): Outlook and Thunderbird open
it as a draft, so the officer reads it, adds a line if they wish, and presses Send; or
`pipeline.outbox.send` sends it through the register's mail server.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Iterable, Sequence
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

from pipeline.consolidate.result import Submission
from pipeline.register import Group, Register

#: .eml files are written with CRLF line ends, as mail is sent and as Outlook saves it.
EML_POLICY = policy.default.clone(linesep="\r\n")
#: The content types of the files a message carries; the system's table may lack Office's.
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: The header that makes Outlook open an .eml as a draft to send rather than as received mail.
UNSENT_HEADER = "X-Unsent"


def new_message(sender: str, to: Sequence[str], subject: str, body: list[str], *,
                cc: Sequence[str] = (), in_reply_to: str = "", references: str = "",
                attachments: Iterable[Path] = ()) -> EmailMessage:
    """A plain-text message from the officer, with its threading headers and files attached."""
    message = EmailMessage(policy=policy.default)
    message["From"] = sender
    if to:
        message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = subject
    message["Date"] = format_datetime(dt.datetime.now().astimezone())
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        # The thread so far, then the message answered: how mail programs keep a conversation.
        message["References"] = " ".join(dict.fromkeys([*references.split(), in_reply_to]))
    message[UNSENT_HEADER] = "1"
    message.set_content("\n".join(body) + "\n")
    for path in attachments:
        ctype = (OFFICE_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
                 or "application/octet-stream")
        maintype, subtype = ctype.split("/", 1)
        message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype,
                               filename=path.name)
    return message


def write_eml(message: EmailMessage, path: Path) -> Path:
    """Write a message as an .eml file, whole or not at all."""
    from pipeline.atomic import atomic_output

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as temp:
        temp.write_bytes(message.as_bytes(policy=EML_POLICY))
    return path


def remove_stale(folder: Path, register: Register, written: list[Path]) -> None:
    """Remove a previous run's draft for a group that has none now, so it is never sent by mistake."""
    from pipeline.workdirs import remove_stale_work_dirs

    remove_stale_work_dirs(folder)  # drafts a killed run was still writing
    keep = {p.name for p in written}
    for group in register.groups:
        stale = folder / f"{group.slug}.eml"
        if stale.name not in keep:
            stale.unlink(missing_ok=True)


def greeting(group: Group) -> str:
    """'Dear Di Robinson,' or, when the register names nobody, 'Dear colleagues,'."""
    return f"Dear {group.contact_name}," if group.contact_name else "Dear colleagues,"


def signature(sender: str, partnership: str) -> list[str]:
    """The closing lines: thanks, the sender's name, the partnership."""
    name = parseaddr(sender)[0]
    return ["", "With thanks,", *([name] if name else []), *([partnership] if partnership else [])]


def day(value: dt.date | str) -> str:
    """A date in words (``Friday 17 April 2009``); text is used as given."""
    if isinstance(value, str):
        return value
    return f"{value:%A} {value.day} {value:%B %Y}"


def when_received(submission: Submission) -> str:
    """', received 3 April 2009, 10:15' when the e-mail's date says so; for a file saved into the
    inbox only its own date is known, and it is called that."""
    if not submission.received:
        return ""
    if submission.sent and submission.received == submission.sent:
        return f", received {moment(submission.received)}"
    return f" (the file's date: {moment(submission.received)})"


def moment(iso: str) -> str:
    """An ISO time in the officer's local time, in words (``3 April 2009, 10:15``)."""
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if when.tzinfo is not None:
        when = when.astimezone()
    return f"{when.day} {when:%B %Y, %H:%M}"
