"""Reading an Outlook .msg (an OLE file laid out as MS-OXMSG) with extract-msg."""

from __future__ import annotations

import datetime as dt
import logging
import mimetypes
from email import policy
from email.parser import HeaderParser
from typing import Any

from pipeline.intake.mail.messages import (
    INLINE_IMAGE,
    MAX_NESTING,
    TOO_DEEP,
    MailAttachment,
    ParsedMessage,
    clean_text,
    message_id,
    references,
    utc_iso,
)
from pipeline.issues import FileRejected

log = logging.getLogger(__name__)

CLOUD_LINK = ("it is a link to a file kept online (OneDrive or SharePoint), not the file itself; "
              "ask the group to attach the file")
NOT_EXTRACTED = "it could not be taken out of the Outlook message"


def parse_outlook(data: bytes, depth: int = 0) -> ParsedMessage:
    """Read an Outlook message from its bytes; raise FileRejected when it cannot be read."""
    import extract_msg
    from extract_msg.enums import ErrorBehavior

    # Damaged attachments become "broken" ones to report, not an exception that loses the rest.
    tolerant = ErrorBehavior.ATTACH_SUPPRESS_ALL | ErrorBehavior.STANDARDS_VIOLATION | ErrorBehavior.RTFDE
    _require_outlook(data)
    try:
        msg = extract_msg.openMsg(data, strict=False, errorBehavior=tolerant)
    except Exception as exc:
        log.debug("extract-msg could not open a message", exc_info=True)
        raise FileRejected("unreadable-file", reason="it is not a readable Outlook message "
                           f"({type(exc).__name__})") from exc
    try:
        parsed = ParsedMessage()
        _fill(msg, parsed)
        _collect(msg, depth, "", parsed)
        return parsed
    except FileRejected:
        raise
    except Exception as exc:
        log.debug("extract-msg failed inside a message", exc_info=True)
        raise FileRejected("unreadable-file", reason="the Outlook message is damaged "
                           f"({type(exc).__name__})") from exc
    finally:
        msg.close()


def _require_outlook(data: bytes) -> None:
    """Refuse an old-format Office file that is not an Outlook message (a .doc named .msg…)."""
    import io

    import olefile

    from pipeline.intake.sniff import DESCRIPTIONS, sniff_ole

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if ole.exists("__properties_version1.0"):
                return
    except Exception as exc:
        raise FileRejected("unreadable-file", reason="it is not a readable Outlook message "
                           "(it is damaged)") from exc
    kind = sniff_ole(io.BytesIO(data))
    raise FileRejected("wrong-content", extension="msg",
                       actual=DESCRIPTIONS.get(kind, DESCRIPTIONS["ole"]) + ", not an Outlook message")


def _fill(msg: Any, parsed: ParsedMessage) -> None:
    """Sender, date and subject: from the internet headers when Outlook kept them, else its own fields."""
    headers = HeaderParser(policy=policy.default).parsestr(_string(msg, "007D") or "")
    from_header = headers.get("from")
    addresses = getattr(from_header, "addresses", ()) if from_header is not None else ()
    address = next((a for a in addresses if "@" in a.addr_spec), None)
    if address is not None:
        parsed.sender_name, parsed.sender = clean_text(address.display_name), address.addr_spec.lower()
    else:
        # Exchange keeps an internal "/O=ORG/OU=..." address in 0C1F; the SMTP one is in 5D01.
        candidates = [_string(msg, p) for p in ("5D01", "0C1F", "5D02", "0065")]
        parsed.sender = next((clean_text(c).lower() for c in candidates if c and "@" in c), "")
        parsed.sender_name = clean_text(_string(msg, "0C1A") or _string(msg, "0042") or "")
    parsed.date = (utc_iso(str(headers.get("date") or "")) or utc_iso(_time(msg, "0039"))
                   or utc_iso(_time(msg, "0E06")))
    parsed.subject = clean_text(_string(msg, "0037") or "")
    # PR_INTERNET_MESSAGE_ID and PR_INTERNET_REFERENCES, when the headers were not kept.
    parsed.message_id = message_id(str(headers.get("message-id") or "") or _string(msg, "1035") or "")
    parsed.references = references(str(headers.get("references") or "") or _string(msg, "1039") or "")


def _collect(msg: Any, depth: int, forwarded_in: str, parsed: ParsedMessage) -> None:
    from extract_msg.enums import AttachmentType

    for att in msg.attachments:
        kind = _safe(lambda a=att: a.type)
        name = _attachment_name(att)
        data = _safe(lambda a=att: a.data)
        if hasattr(data, "attachments"):
            # An Outlook item attached to the message (forwarded "as attachment"), signed or not.
            if depth >= MAX_NESTING:
                parsed.found.append(MailAttachment("", b"", name, "application/vnd.ms-outlook",
                                                   TOO_DEEP, forwarded_in))
                continue
            subject = clean_text(_string(data, "0037") or "")
            parsed.forwarded.append(subject)
            _collect(data, depth + 1, subject, parsed)
        elif isinstance(data, bytes) and kind in (AttachmentType.DATA, AttachmentType.SIGNED):
            ctype = (_mimetype(att) or mimetypes.guess_type(name)[0] or "").lower()
            content_id = _safe(lambda a=att: a.cid)
            hidden = bool(_safe(lambda a=att: a.hidden))
            inline = ctype.startswith("image/") and bool(content_id or hidden)
            parsed.found.append(MailAttachment("", data, name, ctype, INLINE_IMAGE if inline else "",
                                               forwarded_in))
        else:
            reason = CLOUD_LINK if kind == AttachmentType.WEB else NOT_EXTRACTED
            parsed.found.append(MailAttachment("", b"", name, "", reason, forwarded_in))


def _attachment_name(att: Any) -> str:
    for getter in (lambda: att.longFilename, lambda: att.shortFilename, lambda: att.displayName,
                   lambda: att.name):
        value = _safe(getter)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _mimetype(att: Any) -> str:
    value = _safe(lambda: att.mimetype)
    return value if isinstance(value, str) else ""


def _string(msg: Any, prop: str) -> str | None:
    """A string property (either the Unicode or the 8-bit form) by its four-digit hex id."""
    value = _safe(lambda: msg.getStringStream(f"__substg1.0_{prop}"))
    return value if isinstance(value, str) else None


def _time(msg: Any, prop: str) -> dt.datetime | None:
    value = _safe(lambda: msg.getPropertyVal(f"{prop}0040"))
    return value if isinstance(value, dt.datetime) else None


def _safe(getter: Any) -> Any:
    # extract-msg raises a variety of errors on odd but harmless fields; one odd field must not
    # lose the message.
    try:
        return getter()
    except Exception:
        return None
