"""Reading a saved e-mail (.eml or Outlook .msg): who sent it, when, about what, and its files.

A message is told by its content, not its extension: Outlook's own format is an OLE file, and
anything else is read as internet mail, so a .msg saved as MIME text still reads. Attachment
names are made safe here, once, for every caller.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
import unicodedata
from dataclasses import dataclass, field, replace
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path, PurePosixPath

from pipeline.intake.mail.names import UniqueNames, safe_file_name
from pipeline.intake.safety import size
from pipeline.issues import FileRejected
from pipeline.limits import MAX_ATTACHMENTS, MAX_EMAIL_NESTING, MAX_UNCOMPRESSED_BYTES
from pipeline.textsafe import safe_text

#: The first bytes of an OLE compound file, which is what an Outlook .msg is.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Forwarded messages inside forwarded messages are followed this deep, no deeper.
MAX_NESTING = MAX_EMAIL_NESTING
#: Extensions of attached files that are themselves messages (forwarded as attachments).
MESSAGE_EXTENSIONS = frozenset({".eml", ".msg"})

TOO_MANY = (f"the e-mail carries more than {MAX_ATTACHMENTS} files, the limit; this one was "
            "not opened")
INLINE_IMAGE = "it is a picture shown in the body of the e-mail (a logo or signature), not a return"
TOO_DEEP = f"it is a message forwarded more than {MAX_NESTING} times over; it was not opened"


@dataclass(frozen=True)
class MailAttachment:
    """One file an e-mail carries, under a safe name, and why it is not a return when it is not."""

    name: str
    """Safe to write in any folder: no folders, no control characters, unique in its message."""
    data: bytes = field(repr=False)
    original_name: str = ""
    """The name as the message gives it (may be hostile); empty when it gave none."""
    content_type: str = ""
    skipped: str = ""
    """Why this is not a return whatever its name (an inline picture); empty otherwise."""
    forwarded_in: str = ""
    """The subject of the forwarded message it came out of; empty when attached directly."""


@dataclass(frozen=True)
class MailMessage:
    """A saved e-mail: its sender, date, subject and the files it carries."""

    sender: str
    """The sender's address in lower case, or empty when the message names none."""
    sender_name: str
    date: str
    """When it was sent, ISO 8601 in UTC (``2009-04-03T09:15:00+00:00``); empty when unknown."""
    subject: str
    attachments: tuple[MailAttachment, ...] = ()
    forwarded: tuple[str, ...] = ()
    """Subjects of the messages forwarded inside this one, whose files are among the attachments."""
    message_id: str = ""
    """The message's own Message-ID (``<…@…>``), so a reply can name the message it answers."""
    references: str = ""
    """The Message-IDs of the thread it belongs to, oldest first, space-separated."""

    @property
    def returns(self) -> list[MailAttachment]:
        """The attachments that may be returns: all but inline pictures and the like."""
        return [a for a in self.attachments if not a.skipped]

    @property
    def has_files(self) -> bool:
        """True when the message carries any attachment other than pictures in its body."""
        return any(a.skipped != INLINE_IMAGE for a in self.attachments)


@dataclass
class ParsedMessage:
    """What a format's reader found, before names are made safe: the readers' common output."""

    sender: str = ""
    sender_name: str = ""
    date: str = ""
    subject: str = ""
    found: list[MailAttachment] = field(default_factory=list)
    """Attachments with their original names; ``name`` is filled in by `parse_message`."""
    forwarded: list[str] = field(default_factory=list)
    message_id: str = ""
    references: str = ""


def read_message(path: Path) -> MailMessage:
    """Read a saved .eml or .msg file; raise FileRejected when it is not a readable message."""
    try:
        on_disk = path.stat().st_size
        if on_disk > MAX_UNCOMPRESSED_BYTES:
            raise FileRejected("file-too-large", reason=f"the message is {size(on_disk)}")
        data = path.read_bytes()
    except OSError as exc:
        raise FileRejected("unreadable-file", reason=f"the file cannot be opened "
                           f"({(exc.strerror or type(exc).__name__).lower()})") from exc
    return parse_message(data)


def parse_message(data: bytes, depth: int = 0) -> MailMessage:
    """Read a message from its bytes, in either format; attachments get safe, unique names."""
    if not data.strip():
        raise FileRejected("empty-file")
    if data.startswith(OLE_MAGIC):
        from pipeline.intake.mail.outlook import parse_outlook

        parsed = parse_outlook(data, depth)
    else:
        try:
            parsed = parse_mime(data, depth)
        except FileRejected:
            raise
        except Exception as exc:
            # The standard library records most damage as defects; what it cannot, rejects the
            # message rather than stopping the run.
            raise FileRejected("unreadable-file", reason="the message is damaged "
                               f"({type(exc).__name__})") from exc
    names = UniqueNames()
    forwarded = list(parsed.forwarded)
    attachments: list[MailAttachment] = []
    for found in parsed.found:
        if _is_message_file(found):
            # An e-mail attached as a file (Outlook's "forward as attachment" saved as .msg):
            # its files are what the group meant to send.
            try:
                inner = parse_message(found.data, depth + 1) if depth < MAX_NESTING else None
            except FileRejected:
                inner = None
            if inner is not None:
                forwarded += [inner.subject, *inner.forwarded]
                for att in inner.attachments:
                    attachments.append(replace(att, name=names.claim(att.name),
                                               forwarded_in=att.forwarded_in or inner.subject))
                continue
            reason = TOO_DEEP if depth >= MAX_NESTING else (
                "it is an attached e-mail that could not be read")
            found = replace(found, skipped=found.skipped or reason)
        fallback = _fallback_name(found)
        name = names.claim(safe_file_name(found.original_name, fallback))
        attachments.append(replace(found, name=name))
    if len(attachments) > MAX_ATTACHMENTS:
        # Listed, never silently dropped, but not opened: no return comes with hundreds of files.
        attachments[MAX_ATTACHMENTS:] = [
            replace(att, data=b"", skipped=TOO_MANY) for att in attachments[MAX_ATTACHMENTS:]]
    return MailMessage(sender=parsed.sender, sender_name=parsed.sender_name, date=parsed.date,
                       subject=parsed.subject, attachments=tuple(attachments),
                       forwarded=tuple(forwarded), message_id=parsed.message_id,
                       references=parsed.references)


def parse_mime(data: bytes, depth: int = 0) -> ParsedMessage:
    """Read internet mail (RFC 5322 / MIME, what .eml files hold) with the standard library."""
    message = BytesParser(policy=policy.default).parsebytes(data)
    if not any(key in message for key in ("from", "date", "subject", "message-id", "content-type",
                                           "mime-version", "received")):
        # The parser accepts any bytes; a file without a single mail header is not a message.
        raise FileRejected("unreadable-file", reason="it is not an e-mail message (it has no "
                           "sender, date, subject or other mail header)")
    parsed = ParsedMessage()
    parsed.sender_name, parsed.sender = _sender(message)
    parsed.date = utc_iso(_header(message, "date"))
    parsed.subject = clean_text(_header(message, "subject"))
    parsed.message_id = message_id(_header(message, "message-id"))
    parsed.references = references(_header(message, "references"))
    _collect(message, depth, "", parsed)
    return parsed


def _collect(part: Message, depth: int, forwarded_in: str, parsed: ParsedMessage) -> None:
    """Gather the files in one MIME part, going into forwarded messages."""
    ctype = part.get_content_type()
    if ctype == "message/rfc822":
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if not isinstance(inner, Message):
            return
        if depth >= MAX_NESTING:
            parsed.found.append(MailAttachment("", b"", _filename(part), ctype, TOO_DEEP, forwarded_in))
            return
        subject = clean_text(_header(inner, "subject"))
        parsed.forwarded.append(subject)
        _collect(inner, depth + 1, subject, parsed)
        return
    if part.is_multipart():
        for sub in part.get_payload():
            if isinstance(sub, Message):
                _collect(sub, depth, forwarded_in, parsed)
        return
    filename = _filename(part)
    disposition = part.get_content_disposition()
    if not filename and disposition != "attachment" and part.get_content_maintype() == "text":
        return  # the body of the message, not a file
    data = part.get_payload(decode=True)
    inline = part.get_content_maintype() == "image" and (
        part.get("content-id") is not None or disposition == "inline")
    parsed.found.append(MailAttachment("", data if isinstance(data, bytes) else b"", filename, ctype,
                                       INLINE_IMAGE if inline else "", forwarded_in))


def _filename(part: Message) -> str:
    try:
        return part.get_filename() or ""
    except Exception:
        # A malformed RFC 2231 parameter can make the standard library raise; the file still counts.
        return ""


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:
        # policy.default parses headers when asked for them and can fail on hostile ones.
        return ""
    return str(value) if value is not None else ""


def _sender(message: Message) -> tuple[str, str]:
    """The display name and lower-cased address of whoever sent the message."""
    for field_name in ("from", "sender", "reply-to"):
        try:
            header = message.get(field_name)
            pairs = [(a.display_name, a.addr_spec) for a in getattr(header, "addresses", ())]
        except Exception:
            raw = [str(v) for k, v in message.raw_items() if k.lower() == field_name]
            pairs = getaddresses(raw)
        for name, address in pairs:
            if "@" in address:
                return clean_text(name), clean_text(address).lower()
    return "", ""


def utc_iso(text: str | dt.datetime | None) -> str:
    """A mail date (RFC 5322 text or a datetime) as ISO 8601 in UTC; empty when it is unusable."""
    if not text:
        return ""
    when = text
    if isinstance(text, str):
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return ""
    if not isinstance(when, dt.datetime):
        return ""
    if when.tzinfo is None:
        # "-0000" means the zone is unknown; UTC is the reading RFC 5322 gives it.
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


#: A Message-ID as RFC 5322 writes it: angle brackets around printable text with no spaces.
_MESSAGE_ID_RE = re.compile(r"<[!-;=?-~]{1,250}>")
#: A reply names at most this many earlier messages of its thread (the newest ones).
MAX_REFERENCES = 20


def message_id(text: str) -> str:
    """The first well-formed Message-ID in a header (``<…@…>``); empty when there is none."""
    found = _MESSAGE_ID_RE.search(text or "")
    return found.group(0) if found else ""


def references(text: str) -> str:
    """The well-formed Message-IDs of a References header, space-separated, the newest kept."""
    return " ".join(_MESSAGE_ID_RE.findall(text or "")[-MAX_REFERENCES:])


def clean_text(text: str) -> str:
    """One line of text: control characters dropped, runs of white space made one space."""
    text = "".join(ch if unicodedata.category(ch) != "Cc" else " " for ch in text or "")
    text = safe_text(text)  # surrogates and bidi overrides too
    return " ".join(text.split())


def _is_message_file(found: MailAttachment) -> bool:
    suffix = PurePosixPath(found.original_name.replace("\\", "/")).suffix.lower()
    return not found.skipped and (suffix in MESSAGE_EXTENSIONS
                                  or found.content_type == "application/vnd.ms-outlook")


def _fallback_name(found: MailAttachment) -> str:
    """A name for a file the message did not name: what it is, with the extension its type has."""
    stem = "forwarded message" if found.content_type == "message/rfc822" else (
        "image" if found.content_type.startswith("image/") else "attachment")
    extension = mimetypes.guess_extension(found.content_type or "") or ""
    return stem + ("" if extension == ".bin" else extension)

