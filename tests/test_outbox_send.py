"""Sending reminders and feedback through a real SMTP server on loopback (aiosmtpd): what arrives
(To, Cc, In-Reply-To, attachments), what happens when the server refuses, and the `send` command."""

from __future__ import annotations

import datetime as dt
import email
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email import policy
from email.message import EmailMessage
from pathlib import Path

import click
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from click.testing import CliRunner
from test_intake_mail_fetch import _free_port, _make_certificate

from pipeline.cli import main
from pipeline.console import group_lines
from pipeline.consolidate.result import Consolidation, Submission, SubmissionState
from pipeline.outbox.drafts import write_eml
from pipeline.outbox.feedback import feedback_email
from pipeline.outbox.reminders import ReminderKind, reminder_email, write_reminders
from pipeline.outbox.send import SendError, list_messages, send_messages
from pipeline.register import load_register
from pipeline.register_file import SmtpEntry

USER, PASSWORD = "officer", "correct horse battery staple"
OFFICER = "Partnership Officer <partnership.officer@example.org>"
STRONGER = "Stronger Communities Group"
CHAIR = "chair.stronger@example.org"
REGISTER = load_register()
REGISTER = replace(REGISTER, groups=[replace(g, chair=CHAIR) if g.name == STRONGER else g
                                     for g in REGISTER.groups])
NOW = dt.datetime(2009, 5, 6, 9, 30, tzinfo=dt.UTC)


@dataclass
class Mailbox:
    """What the server received: one envelope per message, and the server's address."""

    port: int
    security: str = "none"
    cafile: Path | None = None
    received: list[Envelope] = field(default_factory=list)

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(e.original_content or b"", policy=policy.default)  # type: ignore[misc]
                for e in self.received]

    def entry(self, user: str = USER) -> SmtpEntry:
        return SmtpEntry(host="127.0.0.1", port=self.port, user=user, security=self.security)  # type: ignore[arg-type]

    def context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cafile))


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        if address.startswith("nobody"):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.box.received.append(envelope)
        return "250 Message accepted for delivery"


def _authenticator(server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                   auth_data: object) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


def _serve(tmp_path: Path, security: str) -> Iterator[Mailbox]:
    cert = _make_certificate(tmp_path) if security != "none" else None
    if security != "none" and cert is None:
        pytest.skip("openssl is needed to make the test server's certificate")
    box = Mailbox(_free_port(), security, cert)
    context = None
    if cert is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, tmp_path / "key.pem")
    # aiosmtpd knows a connection is encrypted only after STARTTLS, not when it began in TLS.
    options: dict = {"authenticator": _authenticator, "auth_require_tls": security == "starttls"}
    if security == "starttls":
        options.update(tls_context=context, require_starttls=True)
    elif security == "tls":
        options.update(ssl_context=context)
    controller = Controller(_Handler(box), hostname="127.0.0.1", port=box.port, **options)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Mailbox]:
    """A plain SMTP server with a login, on loopback."""
    yield from _serve(tmp_path, "none")


@pytest.fixture(params=["starttls", "tls"])
def secure_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Mailbox]:
    """The same over STARTTLS (port 587 style) or TLS from the start (port 465 style)."""
    yield from _serve(tmp_path, request.param)


def _drafts(out: Path) -> tuple[Path, Path]:
    """An escalated reminder with its template attached, and feedback that replies to an e-mail."""
    template = out.parent / "stronger-communities-progress-return.docx"
    template.write_bytes(b"PK\x03\x04 not really a template, but bytes to compare")
    reminder = reminder_email(STRONGER, "Q4 2008/09", dt.date(2009, 4, 21), REGISTER, OFFICER,
                              today=dt.date(2009, 5, 6), template=template)
    answered = Submission(file="q4.eml/Q4 return.docx", kind="Word progress return",
                          state=SubmissionState.ACCEPTED,
                          group=STRONGER, sender="di.robinson@example.org",
                          message_id="<q4-return@example.org>", references="<request@example.org>",
                          subject="Our Q4 return")
    group = REGISTER.group_named(STRONGER)
    assert group is not None
    feedback = feedback_email(group, [answered], [], "Q4 2008/09", OFFICER)
    return (write_eml(reminder, out / "reminders" / "stronger-communities.eml"),
            write_eml(feedback, out / "feedback" / "stronger-communities.eml"))


def test_reminder_and_feedback_arrive_with_their_copies_threads_and_attachments(
        secure_server: Mailbox, tmp_path: Path) -> None:
    out = tmp_path / "out"
    reminder, feedback = _drafts(out)
    report = send_messages([reminder, feedback], secure_server.entry(),
                           PASSWORD, context=secure_server.context(), now=NOW)
    assert [o.sent for o in report.outcomes] == [True, True], report.outcomes
    assert report.line() == "Messages: 2 sent, 0 not sent."
    envelopes = secure_server.received
    assert envelopes[0].rcpt_tos == ["stronger.communities@gloucesterpartnership.org.uk", CHAIR]
    assert envelopes[0].mail_from == "partnership.officer@example.org"
    arrived, reply = secure_server.messages()
    assert arrived["To"] == "stronger.communities@gloucesterpartnership.org.uk"
    assert arrived["Cc"] == CHAIR
    assert arrived["Subject"] == "Overdue: Q4 2008/09 action-plan return (due Tuesday 21 April 2009)"
    assert arrived["X-Unsent"] is None, "the draft mark is taken off what is sent"
    assert arrived["Date"] == "Wed, 06 May 2009 09:30:00 +0000"
    [attachment] = list(arrived.iter_attachments())
    assert attachment.get_filename() == "stronger-communities-progress-return.docx"
    assert attachment.get_content() == b"PK\x03\x04 not really a template, but bytes to compare"
    assert reply["To"] == "di.robinson@example.org" and reply["Cc"] is None
    assert reply["In-Reply-To"] == "<q4-return@example.org>"
    assert reply["References"] == "<request@example.org> <q4-return@example.org>"
    assert reply["Subject"] == "Re: Our Q4 return"
    # Sent messages leave the drafts, kept as sent, so nothing is sent twice.
    assert list_messages(out) == []
    kept = report.outcomes[0].kept_as
    assert kept == out / "reminders" / "sent" / "2009-05-06-093000-stronger-communities.eml"
    assert email.message_from_bytes(kept.read_bytes(), policy=policy.default)["X-Unsent"] is None


def test_a_reminder_sent_is_not_written_again_until_the_interval_or_the_next_stage(
        server: Mailbox, tmp_path: Path) -> None:
    """Consolidating every day must not remind a group every day: once the reminder has gone out,
    the same one is written again only after the register's interval (7 days), or sooner when the
    next stage is due (the deadline passes: an overdue notice)."""
    out = tmp_path / "out"
    missing = Consolidation(period="Q4 2008/09", generated="2009-04-10 09:00",
                            groups=[g.name for g in REGISTER.groups],
                            missing_groups=[STRONGER, "Healthy City Partnership"])
    deadline = dt.date(2009, 4, 21)

    def remind(day: dt.date) -> tuple[list[str], dict[str, tuple[ReminderKind, dt.date]]]:
        done = write_reminders(missing, REGISTER, out, deadline, OFFICER, today=day,
                               attach_templates=False)
        return (list(done.written),
                {g: (r.kind, r.next_due) for g, r in done.recently_sent.items()})

    assert remind(dt.date(2009, 4, 10)) == ([STRONGER, "Healthy City Partnership"], {})
    sent_at = dt.datetime(2009, 4, 10, 16, 0).astimezone()
    report = send_messages([out / "reminders" / "stronger-communities.eml"], server.entry(),
                           PASSWORD, now=sent_at)
    assert [o.sent for o in report.outcomes] == [True]
    # The next morning: Stronger Communities was reminded yesterday; Healthy City was not sent
    # its draft, so it is written again.
    assert remind(dt.date(2009, 4, 11)) == (
        ["Healthy City Partnership"],
        {STRONGER: (ReminderKind.REQUEST, dt.date(2009, 4, 17))})
    assert sorted(p.name for p in (out / "reminders").glob("*.eml")) == ["healthy-city.eml"]
    done = write_reminders(missing, REGISTER, out, deadline, OFFICER, today=dt.date(2009, 4, 11),
                           attach_templates=False)
    [line] = [x for x in group_lines(missing, done.written, done.recently_sent) if STRONGER in x]
    assert click.unstyle(line).endswith("MISSING (reminded 10 Apr; no new reminder before 17 Apr)")
    # A week after it was sent, the request is due again.
    assert remind(dt.date(2009, 4, 17))[0] == [STRONGER, "Healthy City Partnership"]
    # Sent again on the 17th; on the 22nd the deadline has passed: the overdue notice is due at once.
    send_messages([out / "reminders" / "stronger-communities.eml"], server.entry(), PASSWORD,
                  now=dt.datetime(2009, 4, 17, 9, 0).astimezone())
    assert remind(dt.date(2009, 4, 20))[1] == {STRONGER: (ReminderKind.REQUEST, dt.date(2009, 4, 24))}
    written, recent = remind(dt.date(2009, 4, 22))
    assert written == [STRONGER, "Healthy City Partnership"] and recent == {}
    overdue = email.message_from_bytes((out / "reminders" / "stronger-communities.eml").read_bytes(),
                                       policy=policy.default)
    assert overdue["Subject"].startswith("Overdue: Q4 2008/09")
    assert (overdue["X-Pipeline-Period"], overdue["X-Pipeline-Reminder"]) == ("Q4 2008/09", "overdue")
    # Another period's reminder is another reminder.
    next_quarter = Consolidation(period="Q1 2009/10", generated="2009-04-23 09:00",
                                 groups=missing.groups,
                                 missing_groups=[STRONGER])
    later = write_reminders(next_quarter, REGISTER, out, dt.date(2009, 7, 21), OFFICER,
                            today=dt.date(2009, 4, 23), attach_templates=False)
    assert list(later.written) == [STRONGER] and later.recently_sent == {}


def test_list_messages_gives_recipients_subjects_and_attachments(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _drafts(out)
    listed = list_messages(out)
    assert [(m.kind, m.to, m.cc, m.subject, m.attachments) for m in listed] == [
        ("reminder", ["stronger.communities@gloucesterpartnership.org.uk"], [CHAIR],
         "Overdue: Q4 2008/09 action-plan return (due Tuesday 21 April 2009)",
         ["stronger-communities-progress-return.docx"]),
        ("feedback", ["di.robinson@example.org"], [], "Re: Our Q4 return", []),
    ]
    assert [m.kind for m in list_messages(out, reminders=False)] == ["feedback"]


def test_a_wrong_password_stops_with_one_sentence_and_sends_nothing(server: Mailbox, tmp_path: Path) -> None:
    reminder, _ = _drafts(tmp_path / "out")
    with pytest.raises(SendError) as caught:
        send_messages([reminder], server.entry(), "wrong")
    assert str(caught.value).startswith(f"The mail server 127.0.0.1:{server.port} refused the login for "
                                        "officer (535 ")
    assert str(caught.value).endswith("check the user in the register's [smtp] table and the password "
                                      "in PIPELINE_SMTP_PASSWORD.")
    assert server.received == [] and reminder.exists()


def test_no_server_listening_stops_with_one_sentence(tmp_path: Path) -> None:
    reminder, _ = _drafts(tmp_path / "out")
    port = _free_port()
    entry = SmtpEntry(host="127.0.0.1", port=port, user="", security="none")
    with pytest.raises(SendError) as caught:
        send_messages([reminder], entry, None, timeout=5)
    assert str(caught.value) == (
        f"Could not connect to the mail server 127.0.0.1:{port}: connection refused. Check host and "
        "port in the register's [smtp] table, and that this computer can reach the server.")


def test_a_server_certificate_that_is_not_trusted_is_refused(secure_server: Mailbox, tmp_path: Path) -> None:
    reminder, _ = _drafts(tmp_path / "out")
    with pytest.raises(SendError, match=r"^Could not make a secure connection to 127\.0\.0\.1:\d+ "
                                        r"\(CERTIFICATE_VERIFY_FAILED\)"):
        send_messages([reminder], secure_server.entry(), PASSWORD,
                      timeout=5)
    assert secure_server.received == []


def test_a_login_needs_the_password_from_the_environment(server: Mailbox, tmp_path: Path) -> None:
    reminder, _ = _drafts(tmp_path / "out")
    with pytest.raises(SendError, match="set the environment variable PIPELINE_SMTP_PASSWORD"):
        send_messages([reminder], server.entry(), None)


def test_an_address_the_server_refuses_fails_that_message_only(server: Mailbox, tmp_path: Path) -> None:
    out = tmp_path / "out"
    reminder, feedback = _drafts(out)
    group = REGISTER.group_named("Healthy City Partnership")
    assert group is not None
    nobody = write_eml(reminder_email(replace(group, contacts=("nobody@example.org",)), "Q4 2008/09",
                                      dt.date(2009, 4, 21), REGISTER, OFFICER, today=dt.date(2009, 4, 1)),
                       out / "reminders" / "healthy-city.eml")
    partly = write_eml(reminder_email(replace(group, contacts=("healthy@example.org", "nobody2@example.org")),
                                      "Q4 2008/09", dt.date(2009, 4, 21), REGISTER, OFFICER,
                                      today=dt.date(2009, 4, 1)), out / "reminders" / "cypag.eml")
    report = send_messages([nobody, partly, feedback], server.entry(), PASSWORD)
    first, second, third = report.outcomes
    assert not first.sent and first.reason == ("the server refused every address: nobody@example.org "
                                               "(550 5.1.1 No such mailbox here)")
    assert nobody.exists(), "a message not sent stays to be sent"
    assert second.sent and second.recipients == ["healthy@example.org"]
    assert second.reason == "the server refused nobody2@example.org (550 5.1.1 No such mailbox here)"
    assert third.sent
    assert report.line() == "Messages: 2 sent, 1 not sent."


# -- the command ----------------------------------------------------------------------------------


def _register_with_server(tmp_path: Path, port: int | None) -> Path:
    source = Path(__file__).resolve().parent.parent / "pipeline" / "register.toml"
    text = source.read_text(encoding="utf-8")
    if port is not None:
        text += f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\nuser = "{USER}"\nsecurity = "none"\n'
    path = tmp_path / "register.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_send_command_sends_the_reminders_and_says_what_went(server: Mailbox, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _drafts(out)
    register = _register_with_server(tmp_path, server.port)
    result = CliRunner().invoke(main, ["send", "--reminders", "--out", str(out), "--register", str(register)],
                                env={"PIPELINE_SMTP_PASSWORD": PASSWORD})
    assert result.output == (
        "  sent      reminders/stronger-communities.eml to "
        f"stronger.communities@gloucesterpartnership.org.uk, {CHAIR}\n"
        "Messages: 1 sent, 0 not sent.\n")
    assert result.exit_code == 0
    assert [m.kind for m in list_messages(out)] == ["feedback"], "--reminders sends only reminders"


def test_send_command_lists_what_is_waiting_without_sending(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _drafts(out)
    result = CliRunner().invoke(main, ["send", "--list", "--out", str(out)])
    assert result.exit_code == 0
    assert result.output == (
        f"  reminder  stronger.communities@gloucesterpartnership.org.uk, {CHAIR}: Overdue: Q4 2008/09 "
        "action-plan return (due Tuesday 21 April 2009)\n"
        "  feedback  di.robinson@example.org: Re: Our Q4 return\n"
        "2 messages waiting.\n")


def test_send_command_without_a_server_in_the_register_says_what_to_do(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _drafts(out)
    register = _register_with_server(tmp_path, None)
    result = CliRunner().invoke(main, ["send", "--out", str(out), "--register", str(register)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {register} names no mail server: add an [smtp] table (host, port, user, security) to "
        f"send from here, or send the .eml files in {out}/reminders and {out}/feedback from your mail "
        "program.\n")


def test_send_command_with_a_wrong_password_is_one_line_not_a_traceback(server: Mailbox,
                                                                       tmp_path: Path) -> None:
    out = tmp_path / "out"
    _drafts(out)
    register = _register_with_server(tmp_path, server.port)
    result = CliRunner().invoke(main, ["send", "--out", str(out), "--register", str(register)],
                                env={"PIPELINE_SMTP_PASSWORD": "wrong"})
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: The mail server 127.0.0.1:{server.port} refused the login")
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_send_command_with_nothing_waiting(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["send", "--feedback", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert result.output == (f"No feedback waiting in {tmp_path}: run 'pipeline consolidate' (with "
                             "--feedback for feedback) to write them.\n")


def test_a_message_sent_but_not_moved_says_to_delete_the_draft(server: Mailbox, tmp_path: Path) -> None:
    reminder, _ = _drafts(tmp_path / "out")
    (reminder.parent / "sent").write_text("a file where the sent/ folder should be")
    [outcome] = send_messages([reminder], server.entry(), PASSWORD).outcomes
    assert outcome.sent and outcome.kept_as is None and len(server.received) == 1
    assert outcome.reason.startswith("the draft could not be moved to sent/ (")
    assert outcome.reason.endswith("): delete stronger-communities.eml so that it is not sent again")
