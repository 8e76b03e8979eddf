"""Sending the reminders and feedback the run wrote, through the mail server the register names.

The drafts stay the source of truth: each is an .eml file in ``OUT/reminders`` or ``OUT/feedback``.
Sending one takes off the draft mark (``X-Unsent``), dates it now, hands it to the server for
every To and Cc address, and moves it to ``sent/`` beside the drafts, so it is never sent twice.
A server that cannot be reached or refuses the login stops the sending with one plain sentence
(`SendError`); a message the server refuses is a failure of that message only, with its reason.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import socket
import ssl
from collections.abc import Iterable
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, getaddresses
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import PipelineError, os_reason
from pipeline.outbox.drafts import UNSENT_HEADER
from pipeline.register_file import SmtpEntry

if TYPE_CHECKING:
    from pipeline.register import Register

#: The environment variable holding the mail server's password (never an option on the line).
PASSWORD_VARIABLE = "PIPELINE_SMTP_PASSWORD"
#: The folders of an output folder that hold messages to send, and what each holds.
FOLDERS = {"reminders": "reminder", "feedback": "feedback"}
#: Where a sent message is kept, inside the folder it was sent from.
SENT_FOLDER = "sent"
#: Seconds to wait for the server before giving up.
TIMEOUT = 30


class SendError(PipelineError):
    """Nothing can be sent: the server cannot be reached, or refuses the login."""


@dataclass(frozen=True)
class Outgoing:
    """A message waiting in an output folder: who it goes to and what it says on the envelope."""

    path: Path
    kind: str
    """``reminder`` or ``feedback``."""
    to: list[str]
    cc: list[str]
    subject: str
    attachments: list[str] = field(default_factory=list)

    @property
    def recipients(self) -> list[str]:
        """Every address it goes to, To then Cc."""
        return [*self.to, *self.cc]


@dataclass(frozen=True)
class SendOutcome:
    """What became of one message: sent (and where it is kept now), or why not."""

    path: Path
    sent: bool
    recipients: list[str] = field(default_factory=list)
    reason: str = ""
    """Why it was not sent, in plain words; empty when it was."""
    kept_as: Path | None = None
    """Where the message as sent is kept (``…/sent/…``)."""


@dataclass
class SendReport:
    """Every message's outcome, in the order given."""

    outcomes: list[SendOutcome] = field(default_factory=list)

    @property
    def sent(self) -> list[SendOutcome]:
        """The messages the server accepted."""
        return [o for o in self.outcomes if o.sent]

    @property
    def failed(self) -> list[SendOutcome]:
        """The messages that were not sent."""
        return [o for o in self.outcomes if not o.sent]

    def line(self) -> str:
        """The one-line account: how many were sent and how many were not."""
        return f"Messages: {len(self.sent)} sent, {len(self.failed)} not sent."


def mail_server(register: Register, out_dir: Path) -> SmtpEntry:
    """The register's mail server; a SendError saying what to do instead when it names none."""
    if register.smtp is None:
        raise SendError(
            f"{register.source or 'The register'} names no mail server: add an [smtp] table (host, "
            f"port, user, security) to send from here, or send the .eml files in {out_dir}/reminders "
            f"and {out_dir}/feedback from your mail program.")
    return register.smtp


def list_messages(out_dir: Path, *, reminders: bool = True, feedback: bool = True) -> list[Outgoing]:
    """The reminders and feedback waiting to be sent in an output folder, reminders first."""
    wanted = [name for name, on in (("reminders", reminders), ("feedback", feedback)) if on]
    found = []
    for folder in wanted:
        for path in sorted((Path(out_dir) / folder).glob("*.eml")):
            message = _read(path)
            found.append(Outgoing(
                path=path, kind=FOLDERS[folder], to=_addresses(message, "to"),
                cc=_addresses(message, "cc"), subject=str(message.get("subject", "")),
                attachments=[a.get_filename() or "attachment" for a in message.iter_attachments()]))
    return found


def send_messages(paths: Iterable[Path], smtp: SmtpEntry, password: str | None, *,
                  context: ssl.SSLContext | None = None, timeout: float = TIMEOUT,
                  now: dt.datetime | None = None) -> SendReport:
    """Send each message through the server; raise SendError when none can be sent at all."""
    paths = [Path(p) for p in paths]
    report = SendReport()
    if not paths:
        return report
    if smtp.user and not password:
        raise SendError(f"No password for {smtp.user} on {smtp.host}: set the environment variable "
                        f"{PASSWORD_VARIABLE} to it and run again (it is never taken on the command line).")
    with _connect(smtp, password, context, timeout) as server:
        for path in paths:
            outcome = _send_one(server, path, now)
            report.outcomes.append(outcome)
            if not outcome.sent and outcome.reason.startswith(_DISCONNECTED):
                # The server hung up: the rest cannot go either, and each says so.
                report.outcomes += [SendOutcome(p, False, reason=outcome.reason)
                                    for p in paths[len(report.outcomes):]]
                break
    return report


_DISCONNECTED = "the server closed the connection"


def _connect(smtp: SmtpEntry, password: str | None, context: ssl.SSLContext | None,
             timeout: float) -> smtplib.SMTP:
    where = f"{smtp.host}:{smtp.port}"
    context = context or ssl.create_default_context()
    server: smtplib.SMTP | None = None
    try:
        if smtp.security == "tls":
            server = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=timeout, context=context)
        else:
            server = smtplib.SMTP(smtp.host, smtp.port, timeout=timeout)
        server.ehlo()
        if smtp.security == "starttls":
            server.starttls(context=context)
            server.ehlo()
        if smtp.user:
            server.login(smtp.user, password or "")
    except smtplib.SMTPAuthenticationError as exc:
        _close(server)
        raise SendError(f"The mail server {where} refused the login for {smtp.user} "
                        f"({_smtp_reason(exc)}): check the user in the register's [smtp] table and "
                        f"the password in {PASSWORD_VARIABLE}.") from exc
    except smtplib.SMTPNotSupportedError as exc:
        _close(server)
        what = "STARTTLS" if smtp.security == "starttls" and "STARTTLS" in str(exc) else "logging in"
        raise SendError(f"The mail server {where} does not offer {what}: check security "
                        f"(starttls, tls or none) and port in the register's [smtp] table.") from exc
    except ssl.SSLError as exc:
        _close(server)
        raise SendError(f"Could not make a secure connection to {where} ({exc.reason or exc}): "
                        "check security (starttls for port 587, tls for port 465) in the "
                        "register's [smtp] table.") from exc
    except (OSError, smtplib.SMTPException) as exc:
        _close(server)
        raise SendError(f"Could not connect to the mail server {where}: {_connect_reason(exc)}. "
                        "Check host and port in the register's [smtp] table, and that this "
                        "computer can reach the server.") from exc
    return server


def _send_one(server: smtplib.SMTP, path: Path, now: dt.datetime | None) -> SendOutcome:
    try:
        message = _read(path)
    except OSError as exc:
        return SendOutcome(path, False, reason=f"it could not be read ({os_reason(exc)})")
    del message[UNSENT_HEADER]
    del message["Date"]
    message["Date"] = format_datetime(now or dt.datetime.now().astimezone())
    recipients = [*_addresses(message, "to"), *_addresses(message, "cc"), *_addresses(message, "bcc")]
    if not recipients:
        return SendOutcome(path, False, reason="it has no address to send to: add the group's "
                           "contacts to the register and run the consolidation again")
    try:
        refused = server.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        return SendOutcome(path, False, recipients, "the server refused every address: "
                           + _refusals(exc.recipients))
    except smtplib.SMTPServerDisconnected:
        return SendOutcome(path, False, recipients, _DISCONNECTED + "; run the command again to send "
                           "what is left")
    except smtplib.SMTPResponseException as exc:
        return SendOutcome(path, False, recipients, f"the server refused it ({_smtp_reason(exc)})")
    except (smtplib.SMTPException, OSError, UnicodeError) as exc:
        return SendOutcome(path, False, recipients, f"it could not be sent ({os_reason(exc)})")
    delivered = [r for r in recipients if r not in refused]
    kept, problem = _keep_sent(path, message, now)
    notes = [f"the server refused {_refusals(refused)}" if refused else "", problem]
    return SendOutcome(path, True, delivered, "; ".join(n for n in notes if n), kept)


def _keep_sent(path: Path, message: EmailMessage, now: dt.datetime | None) -> tuple[Path | None, str]:
    """Move the draft into sent/, as it was sent, so it is not sent again; else say why not."""
    from pipeline.outbox.drafts import write_eml

    stamp = (now or dt.datetime.now()).strftime("%Y-%m-%d-%H%M%S")
    kept = path.parent / SENT_FOLDER / f"{stamp}-{path.name}"
    try:
        write_eml(message, kept)
        path.unlink()
    except (OSError, PipelineError) as exc:
        return None, (f"the draft could not be moved to {SENT_FOLDER}/ ({os_reason(exc)}): delete "
                      f"{path.name} so that it is not sent again")
    return kept, ""


def _read(path: Path) -> EmailMessage:
    with open(path, "rb") as handle:
        return BytesParser(policy=policy.default).parse(handle)


def _addresses(message: EmailMessage, name: str) -> list[str]:
    values = [str(v) for v in message.get_all(name, [])]
    return [address for _, address in getaddresses(values) if "@" in address]


def _refusals(refused: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{address} ({code} {_text(reply)})" for address, (code, reply) in refused.items())


def _smtp_reason(exc: smtplib.SMTPResponseException) -> str:
    return f"{exc.smtp_code} {_text(exc.smtp_error)}"


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(text.split())


def _connect_reason(exc: BaseException) -> str:
    if isinstance(exc, socket.gaierror):
        return "there is no server of that name"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "it did not answer in time"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "it closed the connection at once"
    return os_reason(exc)


def _close(server: smtplib.SMTP | None) -> None:
    if server is None:
        return
    try:
        server.close()
    except OSError:
        pass


__all__ = ["PASSWORD_VARIABLE", "Outgoing", "SendError", "SendOutcome", "SendReport",
           "list_messages", "mail_server", "send_messages"]
