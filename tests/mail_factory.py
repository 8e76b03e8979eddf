"""Builds real e-mails for the mail tests: .eml with the standard library, .msg as MS-OXMSG.

No maintained package writes a new Outlook message from scratch (extract-msg reads them and can
only re-export one it opened), but extract-msg's `OleWriter` writes a valid OLE compound file.
So the .msg files here are laid out by hand after [MS-OXMSG]: a property stream per object
(message, recipient, attachment, embedded message) with fixed-size values inline and strings
and binaries in ``__substg1.0_<id><type>`` streams.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from functools import cache
from pathlib import Path

import docx
import openpyxl
from extract_msg.ole_writer import OleWriter

from pipeline.intake.mail.expand import ExpandedEmail, expand_email
from pipeline.intake.scan import scan_inbox

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STRONGER = "stronger.communities@gloucesterpartnership.org.uk"
CDRP = "cdrp@gloucesterpartnership.org.uk"
SENT = dt.datetime(2009, 4, 3, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))
"""3 April 2009, 10:15 British Summer Time: 09:15 UTC."""
SENT_UTC = "2009-04-03T09:15:00+00:00"
#: A 1x1 PNG, as a mail client embeds a logo in a signature.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@cache  # One build per task: zip entries carry the time they were written.
def docx_bytes(task: str = "Hold four community events") -> bytes:
    """A real Word progress return with one task, as a group would fill the template."""
    document = docx.Document()
    document.add_paragraph("Stronger Communities Group")
    table = document.add_table(rows=2, cols=5)
    for cell, text in zip(table.rows[0].cells, ["Tasks", "Target", "Position", "Status",
                                                "Planned improvement"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, [task, "4 events", "2 held", "Green", ""], strict=True):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@cache
def xlsx_bytes(task: str = "Recruit ten volunteers") -> bytes:
    """A real Excel progress return with one task."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Tasks", "Target", "Position", "Status", "Planned improvement"])
    sheet.append([task, "10", "6", "Amber", "Advertise again by June 09"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class File:
    """An attachment to put in a test message."""

    name: str
    data: bytes
    content_type: str = "application/octet-stream"


def eml(*files: File, sender: str = f"Di Robinson <{STRONGER}>", subject: str = "Q4 return",
        sent: dt.datetime = SENT, inline_png: bool = False, forwarded: EmailMessage | None = None,
        body: str = "Please find our return attached.\n\nDi") -> EmailMessage:
    """An e-mail as a mail client sends it: text and HTML body, files, optionally a logo inline."""
    msg = EmailMessage(policy=policy.default)
    msg["From"] = sender
    msg["To"] = "Partnership Officer <officer@gloucester.gov.uk>"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(sent)
    msg["Message-ID"] = f"<{abs(hash((subject, sent)))}@example.org>"
    msg.set_content(body)
    html = f"<p>{body}</p>" + ('<img src="cid:logo@example.org">' if inline_png else "")
    msg.add_alternative(html, subtype="html")
    if inline_png:
        # As Outlook and Thunderbird do it: multipart/related around the HTML, the picture by CID.
        html_part = msg.get_payload()[1]
        html_part.add_related(PNG, "image", "png", cid="<logo@example.org>", filename="image001.png")
    for f in files:
        maintype, subtype = f.content_type.split("/", 1)
        msg.add_attachment(f.data, maintype=maintype, subtype=subtype, filename=f.name)
    if forwarded is not None:
        msg.add_attachment(forwarded)
    return msg


def eml_with_raw_names(names: list[str], data: bytes) -> bytes:
    """A message whose attachment names are written exactly as given (RFC 2231), hostile or not.

    The standard library will not put a NUL or a path in a name it writes, but a sender's
    software can; RFC 2231 percent-encoding carries any byte.
    """
    boundary = "=====hostile====="
    lines = [
        f"From: Someone <{CDRP}>", "To: officer@gloucester.gov.uk", "Subject: Return",
        f"Date: {format_datetime(SENT)}", "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed; boundary="{boundary}"', "", f"--{boundary}",
        "Content-Type: text/plain; charset=utf-8", "", "Attached.", "",
    ]
    import base64

    for name in names:
        encoded = "".join(c if c.isalnum() or c in "._-" else f"%{b:02X}"
                          for c in name for b in c.encode("utf-8"))
        lines += [f"--{boundary}", f"Content-Type: {DOCX_TYPE}",
                  f"Content-Disposition: attachment; filename*=utf-8''{encoded}",
                  "Content-Transfer-Encoding: base64", "", base64.encodebytes(data).decode("ascii")]
    lines.append(f"--{boundary}--")
    return "\r\n".join(lines).encode("ascii")


def write(path: Path, message: EmailMessage | bytes) -> Path:
    """Save a message as an .eml file, as a mail client's "Save as" does."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(message if isinstance(message, bytes) else message.as_bytes())
    return path


# -- Outlook .msg ------------------------------------------------------------------------------

PT_LONG, PT_BOOLEAN, PT_UNICODE, PT_SYSTIME, PT_BINARY, PT_OBJECT = (
    0x0003, 0x000B, 0x001F, 0x0040, 0x0102, 0x000D)
ATTACH_BY_VALUE, ATTACH_EMBEDDED_MSG = 1, 5
_READABLE_WRITABLE = 0x6


@dataclass
class MsgFile:
    """An attachment of an Outlook message; ``inline`` gives it a Content-ID and hides it."""

    name: str
    data: bytes
    mime: str = ""
    inline: bool = False


@dataclass
class Msg:
    """An Outlook message to write; ``embedded`` are messages attached as Outlook items."""

    subject: str = "Q4 return"
    sender_name: str = "Di Robinson"
    sender: str = STRONGER
    sent: dt.datetime = SENT
    files: list[MsgFile] = field(default_factory=list)
    embedded: list[Msg] = field(default_factory=list)
    headers: str = ""
    """Internet headers as Outlook keeps them for mail that came from outside, or none."""


def write_msg(path: Path, message: Msg) -> Path:
    """Write an Outlook .msg file holding the message, its files and its embedded messages."""
    ole = OleWriter()
    _write_message(ole, [], message, top=True)
    # Named properties: none are used, but readers expect the storage and its three streams.
    for stream in ("00020102", "00030102", "00040102"):
        ole.addEntry(["__nameid_version1.0", f"__substg1.0_{stream}"], b"")
    path.parent.mkdir(parents=True, exist_ok=True)
    ole.write(path)
    return path


def _write_message(ole: OleWriter, at: list[str], m: Msg, *, top: bool) -> None:
    props: list[tuple[int, int, object]] = [
        (0x001A, PT_UNICODE, "IPM.Note"),
        (0x0037, PT_UNICODE, m.subject),
        (0x0C1A, PT_UNICODE, m.sender_name),
        (0x0C1E, PT_UNICODE, "SMTP"),
        (0x0C1F, PT_UNICODE, m.sender),
        (0x5D01, PT_UNICODE, m.sender),
        (0x0039, PT_SYSTIME, m.sent),
        (0x0E06, PT_SYSTIME, m.sent),
        (0x0E07, PT_LONG, 0x1),  # read, sent (no "unsent" flag)
        (0x1000, PT_UNICODE, "Please find our return attached."),
    ]
    if m.headers:
        props.append((0x007D, PT_UNICODE, m.headers))
    attachments = len(m.files) + len(m.embedded)
    # Top level: 8 reserved, next recipient id, next attachment id, counts, 8 reserved;
    # an embedded message has the same without the last 8 bytes.
    header = struct.pack("<8xIIII", 1, attachments, 1, attachments) + (b"\0" * 8 if top else b"")
    _write_props(ole, at, props, header)
    recipient = [*at, "__recip_version1.0_#00000000"]
    _write_props(ole, recipient, [
        (0x0C15, PT_LONG, 1),
        (0x3001, PT_UNICODE, "Partnership Officer"),
        (0x3002, PT_UNICODE, "SMTP"),
        (0x3003, PT_UNICODE, "officer@gloucester.gov.uk"),
        (0x39FE, PT_UNICODE, "officer@gloucester.gov.uk"),
    ], b"\0" * 8)
    for number, f in enumerate(m.files):
        storage = [*at, f"__attach_version1.0_#{number:08X}"]
        props = [
            (0x0E21, PT_LONG, number),
            (0x3705, PT_LONG, ATTACH_BY_VALUE),
            (0x3001, PT_UNICODE, f.name),
            (0x3704, PT_UNICODE, f.name[:12]),
            (0x3707, PT_UNICODE, f.name),
            (0x3701, PT_BINARY, f.data),
            (0x370B, PT_LONG, -1),
        ]
        if f.mime:
            props.append((0x370E, PT_UNICODE, f.mime))
        if f.inline:
            props += [(0x3712, PT_UNICODE, f"{f.name}@01D0A1B2.C3D4E5F6"), (0x7FFE, PT_BOOLEAN, True)]
        _write_props(ole, storage, props, b"\0" * 8)
    for offset, inner in enumerate(m.embedded):
        number = len(m.files) + offset
        storage = [*at, f"__attach_version1.0_#{number:08X}"]
        _write_props(ole, storage, [
            (0x0E21, PT_LONG, number),
            (0x3705, PT_LONG, ATTACH_EMBEDDED_MSG),
            (0x3001, PT_UNICODE, inner.subject),
            (0x3701, PT_OBJECT, None),
            (0x370B, PT_LONG, -1),
        ], b"\0" * 8)
        _write_message(ole, [*storage, "__substg1.0_3701000D"], inner, top=False)


def _write_props(ole: OleWriter, at: list[str], props: list[tuple[int, int, object]],
                 header: bytes) -> None:
    table = bytearray(header)
    for prop_id, prop_type, value in props:
        tag = struct.pack("<II", (prop_id << 16) | prop_type, _READABLE_WRITABLE)
        if prop_type == PT_LONG:
            table += tag + struct.pack("<i4x", value)
        elif prop_type == PT_BOOLEAN:
            table += tag + struct.pack("<H6x", 1 if value else 0)
        elif prop_type == PT_SYSTIME:
            assert isinstance(value, dt.datetime)
            table += tag + struct.pack("<Q", _filetime(value))
        elif prop_type == PT_OBJECT:
            table += tag + struct.pack("<II", 0xFFFFFFFF, 0)
        else:
            data = (str(value).encode("utf-16-le") + b"\0\0") if prop_type == PT_UNICODE else bytes(
                value)  # type: ignore[arg-type]
            stream = f"__substg1.0_{prop_id:04X}{prop_type:04X}"
            # A string's stream has no terminator; its size in the table counts one.
            ole.addEntry([*at, stream], data[:-2] if prop_type == PT_UNICODE else data)
            table += tag + struct.pack("<II", len(data), 0)
    ole.addEntry([*at, "__properties_version1.0"], bytes(table))


def _filetime(when: dt.datetime) -> int:
    """100-nanosecond intervals since 1 January 1601 UTC, as Windows keeps time."""
    epoch = dt.datetime(1601, 1, 1, tzinfo=dt.UTC)
    return int((when.astimezone(dt.UTC) - epoch).total_seconds() * 10_000_000)


def expand_saved(path: Path, tmp_path: Path) -> ExpandedEmail:
    """A saved e-mail in an inbox folder unpacked as a run would, into `tmp_path/work`."""
    entry = next(e for e in scan_inbox(path.parent) if e.name == path.name)
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    return expand_email(entry, work)


def resaved(docx_bytes: bytes) -> bytes:
    """The same return saved again: the same content in different bytes, as a second save gives
    (so not an identical copy)."""
    source, target = zipfile.ZipFile(io.BytesIO(docx_bytes)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as copy:
        for name in source.namelist():
            copy.writestr(name, source.read(name))
    return target.getvalue()
