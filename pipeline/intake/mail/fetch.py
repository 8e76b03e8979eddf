"""Fetching returns from a mail folder over IMAP into the inbox, each message once.

Messages are saved byte for byte as the server holds them (never re-encoded), so what the
pipeline reads is what the group sent. Which messages were saved is remembered in a small hidden
file in the inbox, by server, user, folder and the folder's UIDVALIDITY (a server that renumbers
a folder changes it, and every message is then new again).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import imaplib
import json
import os
import re
import ssl
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from pipeline.errors import PipelineError
from pipeline.intake.mail.messages import MailMessage, parse_message
from pipeline.intake.mail.names import safe_file_name
from pipeline.issues import FileRejected
from pipeline.words import plural
from pipeline.workdirs import remove_stale_work_dirs, staging_prefix

#: The hidden file in the inbox that lists the messages already fetched.
STATE_FILE = ".fetched-uids"
#: Longest subject kept in a saved message's file name.
SUBJECT_CHARS = 60
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class FetchError(PipelineError):
    """The mail folder cannot be read; the message says what to do about it."""


@dataclass
class FetchResult:
    """What one fetch did: the files saved and the messages passed over."""

    saved: list[Path] = field(default_factory=list)
    already_fetched: int = 0
    without_attachments: int = 0

    def line(self) -> str:
        """The one-line account printed at the end of a fetch."""
        return (f"Saved {plural(len(self.saved), 'new message')} with attachments; "
                f"{self.already_fetched} already fetched, "
                f"{self.without_attachments} without attachments passed over.")


def fetch_mail(host: str, user: str, password: str, folder: str, inbox: Path, *,
               port: int | None = None, since: dt.date | None = None, tls: bool = True,
               ssl_context: ssl.SSLContext | None = None, timeout: float = 60.0) -> FetchResult:
    """Save each message in the folder not fetched before and carrying attachments into the inbox."""
    inbox = Path(inbox)
    inbox.mkdir(parents=True, exist_ok=True)
    remove_stale_work_dirs(inbox)  # what a fetch that was killed was still writing
    state_path = inbox / STATE_FILE
    state = _load_state(state_path)
    result = FetchResult()
    with _connect(host, port, tls, ssl_context, timeout) as conn:
        _login(conn, host, user, password)
        uidvalidity = _select(conn, host, folder)
        key = f"imap://{quote(user, safe='')}@{host}/{quote(folder, safe='')};UIDVALIDITY={uidvalidity}"
        done = set(state.get(key, []))
        for uid in _search(conn, since):
            if uid in done:
                result.already_fetched += 1
                continue
            raw, arrived = _fetch(conn, uid)
            try:
                mail: MailMessage | None = parse_message(raw)
            except FileRejected:
                # Saved all the same: the consolidation reports it as unreadable, not lost silently.
                mail = None
            if mail is None or mail.has_files:
                result.saved.append(_save(inbox, raw, _file_name(mail, arrived, uid)))
            else:
                result.without_attachments += 1
            done.add(uid)
            # After every message: an interrupted fetch must not save the same message twice.
            state[key] = sorted(done)
            _save_state(state_path, state)
    return result


@contextlib.contextmanager
def _connect(host: str, port: int | None, tls: bool, context: ssl.SSLContext | None, timeout: float):
    port = port or (993 if tls else 143)
    try:
        if tls:
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                host, port, ssl_context=context or ssl.create_default_context(), timeout=timeout)
        else:
            conn = imaplib.IMAP4(host, port, timeout=timeout)
    except ssl.SSLError as exc:
        raise FetchError(f"The secure connection to {host}:{port} failed ({exc.reason or exc}). "
                         "Check the server name and port (IMAP over TLS is usually 993).") from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        raise FetchError(f"Cannot connect to {host}:{port} ({_why(exc)}). Check the server name "
                         "and port, and that this computer can reach the mail server.") from exc
    try:
        yield conn
    except (OSError, imaplib.IMAP4.abort) as exc:
        raise FetchError(f"The connection to {host} was lost ({_why(exc)}). Run the fetch again: "
                         "messages already saved are not saved twice.") from exc
    finally:
        with contextlib.suppress(Exception):
            conn.logout()


def _login(conn: imaplib.IMAP4, host: str, user: str, password: str) -> None:
    try:
        conn.login(user, password)
    except imaplib.IMAP4.error as exc:
        raise FetchError(f"{host} refused the login for {user} ({_why(exc)}). Check the user name "
                         "and the password in PIPELINE_IMAP_PASSWORD.") from exc


def _select(conn: imaplib.IMAP4, host: str, folder: str) -> str:
    """Open the folder read-only (nothing is marked read or moved) and return its UIDVALIDITY."""
    try:
        status, data = conn.select(imap_mailbox(folder), readonly=True)
    except imaplib.IMAP4.error as exc:
        status, data = "NO", [str(exc).encode()]
    if status != "OK":
        said = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
        raise FetchError(f"The folder {folder!r} cannot be opened on {host} ({said}). Check its name "
                         "as your mail program shows it; a sub-folder is written with the server's "
                         "separator, e.g. INBOX/Returns or INBOX.Returns.")
    _, values = conn.response("UIDVALIDITY")
    value = values[0] if values and values[0] else b"unknown"
    return value.decode("ascii", "replace") if isinstance(value, bytes) else str(value)


def _search(conn: imaplib.IMAP4, since: dt.date | None) -> list[int]:
    criteria = ["SINCE", f"{since.day:02d}-{_MONTHS[since.month - 1]}-{since.year}"] if since else ["ALL"]
    status, data = conn.uid("SEARCH", *criteria)
    if status != "OK":
        raise FetchError(f"The server could not list the folder's messages ({data!r}).")
    return sorted(int(uid) for uid in b" ".join(d for d in data if d).split())


def _fetch(conn: imaplib.IMAP4, uid: int) -> tuple[bytes, str]:
    """The message's bytes as stored, and when it arrived; BODY.PEEK leaves it unread."""
    status, data = conn.uid("FETCH", str(uid), "(INTERNALDATE BODY.PEEK[])")
    parts = [d for d in data if isinstance(d, tuple)]
    if status != "OK" or not parts:
        raise FetchError(f"The server did not return message {uid} ({data!r}).")
    head, raw = parts[0][0], parts[0][1]
    arrived = imaplib.Internaldate2tuple(head)
    day = dt.date(arrived.tm_year, arrived.tm_mon, arrived.tm_mday).isoformat() if arrived else ""
    return raw, day


def _file_name(mail: MailMessage | None, arrived: str, uid: int) -> str:
    """``<date>-<subject>-<uid>``: sorts by date in a folder listing, and the UID keeps it unique."""
    day = (mail.date[:10] if mail else "") or arrived or "undated"
    return f"{day}-{_subject_for_name(mail.subject if mail else '')}-{uid}"


def _save(inbox: Path, raw: bytes, stem: str) -> Path:
    """Write the message as ``<stem>.eml``, whole or not at all, never over another file."""
    # Hidden while being written: a consolidation running meanwhile skips it.
    fd, temp_name = tempfile.mkstemp(dir=inbox, prefix=staging_prefix("fetching"), suffix=".part")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        number, target = 1, inbox / f"{stem}.eml"
        while target.exists():
            number += 1
            target = inbox / f"{stem} ({number}).eml"
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target


def _subject_for_name(subject: str) -> str:
    words = " ".join(re.sub(r'[<>:"/\\|?*]+', " ", subject).split())
    return safe_file_name(words, "no subject")[:SUBJECT_CHARS].rstrip(". ") or "no subject"


def _load_state(path: Path) -> dict[str, list[int]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise FetchError(f"The list of messages already fetched, {path}, cannot be read ({exc}). "
                         "Move it away to start afresh (messages saved before would be saved "
                         "again).") from exc
    mailboxes = data.get("mailboxes", {}) if isinstance(data, dict) else {}
    return {k: [int(u) for u in v] for k, v in mailboxes.items() if isinstance(v, list)}


def _save_state(path: Path, state: dict[str, list[int]]) -> None:
    from pipeline.atomic import atomic_output

    text = json.dumps({"version": 1, "mailboxes": state}, indent=1, sort_keys=True)
    with atomic_output(path) as temp:
        temp.write_text(text + "\n", encoding="utf-8")


def imap_mailbox(name: str) -> str:
    """A folder name as IMAP wants it: modified UTF-7 (RFC 3501 5.1.3), quoted."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            encoded = base64.b64encode("".join(pending).encode("utf-16-be")).decode("ascii")
            out.append("&" + encoded.rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    quoted = "".join(out).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}"'


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc).strip()
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1]
    return text or type(exc).__name__
