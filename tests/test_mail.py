"""E-mail: reading saved messages, unpacking their attachments, fetching over IMAP, writing back."""

from __future__ import annotations

import datetime as dt
import email
import getpass
import imaplib
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
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
    eml_with_raw_names,
    write,
    write_msg,
    xlsx_bytes,
)

from pipeline.consolidate.read import read_one
from pipeline.consolidate.result import Consolidation, Submission, SubmissionState
from pipeline.document import Place
from pipeline.fetch_command import fetch
from pipeline.intake.mail.expand import AttachmentEntry, ExpandedEmail, expand_email
from pipeline.intake.mail.fetch import STATE_FILE, FetchError, fetch_mail, imap_mailbox
from pipeline.intake.mail.messages import INLINE_IMAGE, OLE_MAGIC, read_message
from pipeline.intake.mail.names import MAX_NAME_CHARS, UniqueNames, safe_file_name
from pipeline.intake.scan import EntryAction, InboxEntry, scan_inbox
from pipeline.issues import FileRejected, Issue, Severity, make_issue
from pipeline.outbox.drafts import write_eml
from pipeline.outbox.feedback import feedback_email, write_feedback
from pipeline.outbox.reminders import reminder_email, write_reminders
from pipeline.register import load_register

REGISTER = load_register()
STRONGER_GROUP = "Stronger Communities Group"
CDRP_GROUP = "Crime and Disorder Reduction Partnership"
OFFICER = "Partnership Officer <officer@gloucester.gov.uk>"


def _expand(path: Path, tmp_path: Path) -> ExpandedEmail:
    entry = next(e for e in scan_inbox(path.parent) if e.name == path.name)
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    return expand_email(entry, work)


def _by_name(expanded: ExpandedEmail) -> dict[str, AttachmentEntry]:
    return {e.name.split("/", 1)[1]: e for e in expanded.entries}


# -- A mailbox export: .eml and .msg with Word and Excel returns --------------------------------


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
    expanded = _expand(mailbox_export / message, tmp_path)
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
    picture = _by_name(_expand(mailbox_export / message, tmp_path))["image001.png"]
    assert (picture.action, picture.reason, picture.kind) == (EntryAction.SKIP, INLINE_IMAGE, None)


@pytest.mark.parametrize("message", ["cdrp-q4.eml", "cdrp-q4.msg"])
def test_excel_return_is_read_by_the_pipeline_and_its_group_found_from_the_sender(
        mailbox_export: Path, tmp_path: Path, message: str) -> None:
    entry = _by_name(_expand(mailbox_export / message, tmp_path))["cdrp.xlsx"]
    assert (entry.kind, entry.sender) == ("excel", CDRP)
    # The workbook names no group: only the sender's address says whose it is.
    result = read_one(entry, REGISTER)
    assert result.submission.state == SubmissionState.ACCEPTED, result.issues
    assert (result.submission.file, result.submission.group) == (f"{message}/cdrp.xlsx", CDRP_GROUP)
    assert result.submission.received == SENT_UTC


def test_summary_tells_the_officer_who_sent_what(mailbox_export: Path, tmp_path: Path) -> None:
    summary = _expand(mailbox_export / "stronger-q4.eml", tmp_path).summary
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


# -- Hostile and awkward attachment names -------------------------------------------------------


@pytest.mark.parametrize(("sent_as", "saved_as"), [
    ("../../etc/passwd.docx", "passwd.docx"),
    ("/abs/x.xlsx", "x.xlsx"),
    ("con\x00.docx", "_con.docx"),
    ("..\\..\\Windows\\win.docx", "win.docx"),
    (".hidden.docx", "hidden.docx"),
    ("..", "attachment.docx"),  # no name left: named by its content type
    ("evil\u202excod.docx", "evilxcod.docx"),
    ("what? \"really\".docx", "what_ _really_.docx"),
    ("trailing dots...", "trailing dots"),
])
def test_hostile_attachment_name_is_saved_safely_inside_the_folder(
        tmp_path: Path, sent_as: str, saved_as: str) -> None:
    path = write(tmp_path / "inbox" / "hostile.eml", eml_with_raw_names([sent_as], docx_bytes()))
    expanded = _expand(path, tmp_path)
    [entry] = expanded.entries
    assert entry.name == f"hostile.eml/{saved_as}"
    assert entry.path.parent == expanded.folder
    assert sorted(p.name for p in expanded.folder.iterdir()) == [saved_as]
    [issue] = expanded.issues
    assert (issue.code, issue.severity, issue.place.file) == ("unsafe-attachment-name", Severity.WARNING,
                                                              entry.name)
    assert repr(sent_as)[:40] in issue.message and f"'{saved_as}'" in issue.message


def test_same_name_twice_is_numbered_without_a_warning(tmp_path: Path) -> None:
    names = ["return.docx", "return.docx", "Return.docx"]
    path = write(tmp_path / "inbox" / "twice.eml", eml_with_raw_names(names, docx_bytes()))
    expanded = _expand(path, tmp_path)
    assert [e.name for e in expanded.entries] == [
        "twice.eml/return.docx", "twice.eml/return (2).docx", "twice.eml/Return (3).docx"]
    assert expanded.issues == []


def test_long_name_is_cut_keeping_its_extension() -> None:
    name = safe_file_name("x" * 300 + ".docx")
    assert len(name) == MAX_NAME_CHARS and name.endswith("x.docx")


@given(st.text())
def test_any_name_becomes_a_plain_visible_file_name(name: str) -> None:
    safe = safe_file_name(name)
    assert safe and len(safe) <= MAX_NAME_CHARS
    assert "/" not in safe and "\\" not in safe and not safe.startswith(".")
    assert all(ord(c) >= 32 and c not in '<>:"|?*' for c in safe)
    assert safe_file_name(safe) == safe


@given(st.lists(st.sampled_from(["a.docx", "A.docx", "a (2).docx", "b"]), max_size=8))
def test_unique_names_never_clash_whatever_the_case(names: list[str]) -> None:
    taken = UniqueNames()
    claimed = [taken.claim(n) for n in names]
    assert len({c.lower() for c in claimed}) == len(claimed)


# -- Forwarded messages, messages without attachments, damaged messages -------------------------


def test_forwarded_message_gives_up_its_attachments(tmp_path: Path) -> None:
    inner = eml(File("cdrp.xlsx", xlsx_bytes(), XLSX_TYPE), sender=f"Bob <{CDRP}>", subject="CDRP return")
    path = write(tmp_path / "inbox" / "fwd.eml", eml(subject="Fwd: CDRP return", forwarded=inner))
    expanded = _expand(path, tmp_path)
    [entry] = expanded.entries
    assert (entry.name, entry.action, entry.kind) == ("fwd.eml/cdrp.xlsx", "read", "excel")
    assert entry.path.read_bytes() == xlsx_bytes()
    assert expanded.summary is not None
    assert "from the forwarded message 'CDRP return'" in expanded.summary.attachments[0]


def test_forward_of_a_forward_inside_an_outlook_message(tmp_path: Path) -> None:
    innermost = Msg(subject="Original", files=[MsgFile("return.docx", docx_bytes())])
    middle = Msg(subject="Fwd: Original", files=[MsgFile("return.docx", b"older copy")], embedded=[innermost])
    path = write_msg(tmp_path / "inbox" / "fwd.msg", Msg(subject="Fwd: Fwd: Original", embedded=[middle]))
    mail = read_message(path)
    assert [(a.name, a.forwarded_in) for a in mail.attachments] == [
        ("return.docx", "Fwd: Original"), ("return (2).docx", "Original")]
    assert mail.forwarded == ("Fwd: Original", "Original")


def test_outlook_message_attached_as_a_file_to_an_email(tmp_path: Path) -> None:
    """Forwarding a saved .msg from another mail program sends it as a plain file."""
    msg_path = write_msg(tmp_path / "as-file.msg", Msg(files=[MsgFile("Q4 return.docx", docx_bytes())]))
    outer = eml(File("Q4 return.msg", msg_path.read_bytes(), "application/vnd.ms-outlook"), subject="Fwd")
    expanded = _expand(write(tmp_path / "inbox" / "outer.eml", outer), tmp_path)
    assert [(e.name, e.kind) for e in expanded.entries] == [("outer.eml/Q4 return.docx", "word")]


def test_email_without_attachment_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "inbox" / "chat.eml", eml(subject="Will send Friday", inline_png=True))
    expanded = _expand(path, tmp_path)
    assert [(e.name, e.action) for e in expanded.entries] == [("chat.eml/image001.png", "skip")]
    [issue] = expanded.issues
    assert (issue.code, issue.severity, issue.place) == ("email-no-attachment", Severity.WARNING,
                                                         Place(file="chat.eml"))
    assert issue.message == (f"The e-mail 'Will send Friday' from {STRONGER} has no attachment, so there "
                             "was no return in it.")


def test_attachment_that_is_not_a_return_is_skipped_by_the_inbox_rules(tmp_path: Path) -> None:
    path = write(tmp_path / "inbox" / "txt.eml", eml(File("return.txt", b"Our return", "text/plain"),
                                                     File("~$return.docx", b"lock")))
    entries = _by_name(_expand(path, tmp_path))
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
    expanded = _expand(path, tmp_path)
    assert expanded.entries == [] and expanded.folder is None
    assert expanded.rejected_reason.startswith(f"The file cannot be opened: {reason}")
    assert [i.code for i in expanded.issues] == ["unreadable-file"]


def test_msg_that_holds_internet_mail_is_read_by_its_content(tmp_path: Path) -> None:
    path = write(tmp_path / "saved-as.msg", eml(File("r.docx", docx_bytes(), DOCX_TYPE)))
    assert [a.name for a in read_message(path).attachments] == ["r.docx"]


@pytest.mark.parametrize(("header", "expected"), [
    ("Fri, 03 Apr 2009 10:15:00 +0100", "2009-04-03T09:15:00+00:00"),
    ("Fri, 03 Apr 2009 09:15:00 -0000", "2009-04-03T09:15:00+00:00"),
    ("Thu, 02 Apr 2009 22:15:00 -1100", "2009-04-03T09:15:00+00:00"),
    ("sometime last week", ""),
])
def test_date_is_converted_to_utc(tmp_path: Path, header: str, expected: str) -> None:
    message = eml(File("r.docx", b"x"))
    message.replace_header("Date", header)
    assert read_message(write(tmp_path / "m.eml", message)).date == expected


def test_undated_email_orders_its_attachments_by_the_files_time(tmp_path: Path) -> None:
    message = eml(File("r.docx", docx_bytes(), DOCX_TYPE))
    del message["Date"]
    path = write(tmp_path / "inbox" / "undated.eml", message)
    [entry] = _expand(path, tmp_path).entries
    assert entry.sent == "" and entry.modified == next(iter(scan_inbox(path.parent))).modified


# -- Reminders and feedback, read back as a mail program would ----------------------------------


def _parse(path: Path) -> EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[return-value]


def test_reminder_goes_to_the_groups_contacts_naming_period_and_deadline() -> None:
    message = reminder_email(STRONGER_GROUP, "Q4 2008/09", dt.date(2009, 4, 17), REGISTER, OFFICER,
                             today=dt.date(2009, 4, 10))
    parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["To"] == STRONGER and parsed["From"] == OFFICER
    assert parsed["Subject"] == "Reminder: Q4 2008/09 action-plan return due by Friday 17 April 2009"
    assert parsed["X-Unsent"] == "1"
    body = parsed.get_body().get_content()  # type: ignore[union-attr]
    assert body.startswith("Dear Di Robinson,\n")
    assert ("Gloucester Partnership has not yet received the Stronger Communities Group's action-plan "
            "return for Q4 2008/09.") in body
    assert "Please send it by Friday 17 April 2009" in body
    assert body.rstrip().endswith("Partnership Officer\nGloucester Partnership")


def _result(submissions: list[Submission], issues: list[Issue],
            missing: list[str] | None = None) -> Consolidation:
    return Consolidation(period="Q4 2008/09", generated="2009-04-20 10:00", submissions=submissions,
                         issues=issues, groups=[g.name for g in REGISTER.groups],
                         missing_groups=missing or [])


def test_write_reminders_writes_one_draft_per_missing_group_and_removes_stale_ones(tmp_path: Path) -> None:
    out = tmp_path / "outputs"
    stale = out / "reminders" / "stronger-communities.eml"
    stale.parent.mkdir(parents=True)
    stale.write_text("from last run")
    result = _result([], [], missing=[CDRP_GROUP, "Healthy City Partnership"])
    reminders = write_reminders(result, REGISTER, out, "Friday 17 April", OFFICER)
    assert list(reminders.written) == [CDRP_GROUP, "Healthy City Partnership"]
    assert reminders.recently_sent == {}
    written = list(reminders.written.values())
    assert [p.name for p in written] == ["cdrp.eml", "healthy-city.eml"]
    assert sorted(p.name for p in (out / "reminders").iterdir()) == ["cdrp.eml", "healthy-city.eml"]
    assert [_parse(p)["To"] for p in written] == [CDRP, "healthy.city@gloucesterpartnership.org.uk"]
    assert all(b"\r\n" in p.read_bytes() for p in written)


RETURN = "stronger-q4.eml/Q4 return.docx"
PROBLEMS = [
    make_issue("tracked-change", Place(RETURN, table=1, row=3), what="Inserted 'x'", author="Di", when=""),
    make_issue("unknown-status", Place(RETURN, table=2, row=5), value="Amberish"),
    make_issue("planned-action-no-deadline", Place(RETURN, table=2, row=7), status="Amber",
               task="Hold events"),
    make_issue("missing-status", Place(RETURN, table=3, row=2), task="Recruit volunteers"),
]


def _submission(file: str = RETURN, sender: str = "di.robinson@example.org", **kw: object) -> Submission:
    fields: dict = {"kind": "Word progress return", "state": SubmissionState.ACCEPTED,
                    "group": STRONGER_GROUP, "rows": 12, "received": SENT_UTC, "sent": SENT_UTC,
                    "sender": sender, **kw}
    return Submission(file=file, **fields)


def test_feedback_lists_each_problem_with_its_place_errors_first() -> None:
    group = REGISTER.group_named(STRONGER_GROUP)
    assert group is not None
    message = feedback_email(group, [_submission()], PROBLEMS, "Q4 2008/09", OFFICER)
    parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["To"] == "di.robinson@example.org", "to whoever sent the return"
    assert parsed["Subject"] == "Your Q4 2008/09 return: 2 errors, 1 query, 1 warning to look at"
    body = parsed.get_body().get_content()  # type: ignore[union-attr]
    received = dt.datetime.fromisoformat(SENT_UTC).astimezone()
    assert f"  - Q4 return.docx, received 3 April 2009, {received:%H:%M}: read (12 task rows)" in body
    for issue in PROBLEMS:
        assert f"Q4 return.docx, {issue.place.describe()}: {issue.message}" in body
        assert f"What to do: {issue.advice}" in body
    headings = ["Errors (2)", "Queries (1)", "Warnings (1)"]
    assert [body.index(h) for h in headings] == sorted(body.index(h) for h in headings)
    assert "Errors must be corrected in the return." in body
    assert "Queries must be corrected, or explained in your reply." in body
    assert "Warnings are for your information; no reply is needed." in body
    assert body.index("table 2, row 5") < body.index("table 3, row 2") < body.index("table 2, row 7")


def test_feedback_on_a_clean_return_says_thank_you() -> None:
    group = REGISTER.group_named(STRONGER_GROUP)
    assert group is not None
    message = feedback_email(group, [_submission(sender="")], [], "Q4 2008/09", OFFICER)
    assert message["To"] == STRONGER, "no sender known: the group's contacts"
    assert message["Subject"] == "Your Q4 2008/09 return: received, thank you"
    body = message.get_body().get_content()  # type: ignore[union-attr]
    assert "Everything was read without any problems. Thank you for a clean return." in body
    assert "Errors" not in body


def test_write_feedback_gives_each_group_the_problems_of_its_own_live_files(tmp_path: Path) -> None:
    old = "old.docx"
    sheet = "cdrp.eml/cdrp.xlsx"
    submissions = [
        _submission(),
        _submission(old, state=SubmissionState.SUPERSEDED,
                    reason="a later return from the same group was received"),
        _submission(sheet, sender=CDRP, group=CDRP_GROUP, kind="Excel progress return"),
    ]
    issues = [*PROBLEMS, make_issue("unknown-status", Place(old, table=1, row=1), value="Old"),
              make_issue("hidden-row", Place(sheet, sheet="Tasks", cell="A7"), row=7, cells="A7, B7")]
    written = write_feedback(_result(submissions, issues), REGISTER, tmp_path / "outputs", OFFICER)
    assert [p.name for p in written] == ["cdrp.eml", "stronger-communities.eml"]
    stronger = _parse(written[1]).get_body().get_content()  # type: ignore[union-attr]
    assert "old.docx, received" in stronger and "replaced by a later return" in stronger
    assert "'Old'" not in stronger, "a superseded file's problems are not the group's to fix"
    assert "'Tasks'!A7" not in stronger
    cdrp = _parse(written[0])
    assert cdrp["To"] == CDRP and cdrp["Subject"] == "Your Q4 2008/09 return: 1 warning to look at"
    assert "cdrp.xlsx, 'Tasks'!A7: Row 7 is hidden" in cdrp.get_body().get_content()  # type: ignore[union-attr]


def test_write_eml_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "out" / "x.eml"
    message = reminder_email(CDRP_GROUP, "Q4", "Friday", REGISTER, OFFICER)
    write_eml(message, target)
    write_eml(message, target)
    assert [p.name for p in target.parent.iterdir()] == ["x.eml"]
    assert _parse(target)["Subject"] == message["Subject"]


# -- Fetching over IMAP from a real Dovecot on loopback -----------------------------------------

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None)
IMAP_USER, IMAP_PASSWORD = "officer", "correct horse battery staple"


@dataclass
class ImapServer:
    """A private Dovecot on 127.0.0.1 with one user, its plain and TLS ports and its certificate."""

    port: int
    tls_port: int | None
    cafile: Path | None

    def connect(self) -> imaplib.IMAP4:
        """A plain connection, logged in, for putting test messages in."""
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(IMAP_USER, IMAP_PASSWORD)
        return conn


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dovecot_config(root: Path, user: str, group: str, port: int, tls_port: int | None) -> str:
    tls = f"""
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
""" if tls_port else "ssl = no\n"
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{tls}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
mail_location = maildir:{root}/mail/%u/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port or 0}
  }}
}}
service anvil {{
  chroot =
}}
"""


@pytest.fixture(scope="module")
def imap_server() -> Iterator[ImapServer]:
    """Dovecot in the foreground with a private config; every process it runs is one user's."""
    if DOVECOT is None:
        pytest.skip("Dovecot is not installed (scripts/ci_imap_setup.sh installs it), so the IMAP "
                    "fetch cannot be tested against a real server")
    # A short path under /tmp: Dovecot's sockets live in it and a socket path must stay short.
    root = Path(tempfile.mkdtemp(prefix="imap-"))
    root.chmod(0o755)
    # As root, Dovecot refuses to give mail to root: run its users as nobody instead.
    user, group = ("nobody", "nogroup") if os.geteuid() == 0 else (getpass.getuser(), None)
    if group is None:
        import grp

        group = grp.getgrgid(os.getegid()).gr_name
    process = None
    try:
        for sub in ("run", "state", "mail"):
            (root / sub).mkdir()
        (root / "users").write_text(f"{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}::::::\n")
        port, tls_port = _free_port(), _free_port()
        cafile = _make_certificate(root)
        if cafile is None:
            tls_port = None
        (root / "dovecot.conf").write_text(_dovecot_config(root, user, group, port, tls_port))
        if os.geteuid() == 0:
            shutil.chown(root / "mail", user, group)
        process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _wait_for(port, process, root)
        yield ImapServer(port, tls_port, cafile)
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(root, ignore_errors=True)


def _make_certificate(root: Path) -> Path | None:
    """A self-signed certificate for 127.0.0.1, trusted by the tests' TLS context alone."""
    if shutil.which("openssl") is None:
        return None
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(root / "key.pem"),
         "-out", str(root / "cert.pem")], capture_output=True, check=False)
    return root / "cert.pem" if made.returncode == 0 else None


def _wait_for(port: int, process: subprocess.Popen, root: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            stderr = process.stderr.read().decode() if process.stderr else ""
            pytest.skip(f"Dovecot could not be started: {(stderr + log).strip()[-500:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    pytest.skip("Dovecot did not start listening within 15 seconds")


def _append(server: ImapServer, folder: str, message: EmailMessage,
            arrived: dt.datetime = dt.datetime(2009, 4, 3, 10, 15, tzinfo=dt.UTC)) -> bytes:
    """Put a message in a folder as a mail server delivers it; returns the bytes stored."""
    raw = message.as_bytes(policy=policy.SMTP)
    conn = server.connect()
    try:
        conn.create(imap_mailbox(folder))  # "already exists" the second time is fine
        status, data = conn.append(imap_mailbox(folder), None, imaplib.Time2Internaldate(arrived), raw)
        assert status == "OK", data
    finally:
        conn.logout()
    return raw


def _invoke(inbox: Path, server: ImapServer, folder: str, *extra: str, password: str | None = IMAP_PASSWORD):
    env = {"PIPELINE_IMAP_PASSWORD": password} if password is not None else {}
    args = ["--imap", "127.0.0.1", "--port", str(server.port), "--user", IMAP_USER, "--folder", folder,
            "--inbox", str(inbox), "--no-tls", *extra]
    from pipeline.cli import main

    return CliRunner().invoke(main, ["fetch", *args], env=env)  # through the one error boundary


NO_TLS_WARNING = ("Warning: --no-tls sends the password and the messages unencrypted; use it only for a "
                  "test server on this computer.\n")


def test_fetch_saves_each_new_message_with_attachments_once(imap_server: ImapServer, tmp_path: Path) -> None:
    folder = "Returns – Q4"  # not ASCII: the folder name goes over the wire in modified UTF-7
    with_return = _append(imap_server, folder, eml(File("Q4 return.docx", docx_bytes(), DOCX_TYPE),
                                                   subject="Q4 return: Stronger/Communities"))
    _append(imap_server, folder, eml(subject="Sending it Friday", inline_png=True))
    inbox = tmp_path / "inbox"

    first = _invoke(inbox, imap_server, folder)
    assert first.exit_code == 0, first.output
    assert first.stderr == NO_TLS_WARNING
    assert first.stdout == (
        "  saved  2009-04-03-Q4 return Stronger Communities-1.eml\n"
        "Saved 1 new message with attachments; 0 already fetched, 1 without attachments passed over.\n")
    saved = inbox / "2009-04-03-Q4 return Stronger Communities-1.eml"
    assert saved.read_bytes() == with_return, "saved byte for byte as the server holds it"

    second = _invoke(inbox, imap_server, folder)
    assert second.exit_code == 0, second.output
    assert second.stdout == ("Saved 0 new messages with attachments; 2 already fetched, "
                             "0 without attachments passed over.\n")
    assert sorted(p.name for p in inbox.iterdir()) == [STATE_FILE, saved.name]

    _append(imap_server, folder, eml(File("cdrp.xlsx", xlsx_bytes(), XLSX_TYPE), sender=f"Bob <{CDRP}>",
                                     subject="CDRP"))
    third = _invoke(inbox, imap_server, folder)
    assert third.stdout.splitlines()[0] == "  saved  2009-04-03-CDRP-3.eml"

    state = json.loads((inbox / STATE_FILE).read_text())
    [key] = state["mailboxes"]
    assert key.startswith("imap://officer@127.0.0.1/Returns%20%E2%80%93%20Q4;UIDVALIDITY=")
    assert state["mailboxes"][key] == [1, 2, 3]
    conn = imap_server.connect()
    conn.select(imap_mailbox(folder), readonly=True)
    assert b"\\Seen" not in b" ".join(conn.uid("FETCH", "1:*", "(FLAGS)")[1]), "left unread for the officer"
    conn.logout()

    # The state file is hidden from the consolidation; the saved messages unpack like any e-mail.
    scanned = {e.name: e for e in scan_inbox(inbox)}
    assert scanned[STATE_FILE].action == "skip"
    expanded = expand_email(scanned[saved.name], tmp_path)
    assert [e.name for e in expanded.entries] == [f"{saved.name}/Q4 return.docx"]


def test_fetch_over_tls_since_a_date(imap_server: ImapServer, tmp_path: Path) -> None:
    if imap_server.tls_port is None:
        pytest.skip("openssl is not installed, so no certificate could be made for the TLS test")
    folder = "INBOX"
    _append(imap_server, folder, eml(File("old.docx", b"x"), subject="Last year"),
            arrived=dt.datetime(2008, 4, 1, 9, 0, tzinfo=dt.UTC))
    _append(imap_server, folder, eml(File("new.docx", b"x"), subject="This year"),
            arrived=dt.datetime(2009, 4, 6, 9, 0, tzinfo=dt.UTC))
    context = ssl.create_default_context(cafile=str(imap_server.cafile))
    result = fetch_mail("127.0.0.1", IMAP_USER, IMAP_PASSWORD, folder, tmp_path, port=imap_server.tls_port,
                        since=dt.date(2009, 4, 1), ssl_context=context)
    assert [p.name for p in result.saved] == ["2009-04-03-This year-2.eml"]
    # Without the test's own trust, the self-signed certificate is refused: TLS is really checked.
    with pytest.raises(FetchError, match="The secure connection to 127.0.0.1:.* failed"):
        fetch_mail("127.0.0.1", IMAP_USER, IMAP_PASSWORD, folder, tmp_path, port=imap_server.tls_port)


def test_fetch_with_a_wrong_password_says_what_to_check(imap_server: ImapServer, tmp_path: Path) -> None:
    result = _invoke(tmp_path, imap_server, "INBOX", password="wrong")
    assert result.exit_code == 1
    assert result.stderr.startswith(NO_TLS_WARNING + "Error: 127.0.0.1 refused the login for officer (")
    assert result.stderr.endswith("Check the user name and the password in PIPELINE_IMAP_PASSWORD.\n")


def test_fetch_from_a_missing_folder_says_how_to_name_it(imap_server: ImapServer, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="The folder 'Nowhere' cannot be opened on 127.0.0.1"):
        fetch_mail("127.0.0.1", IMAP_USER, IMAP_PASSWORD, "Nowhere", tmp_path, port=imap_server.port,
                   tls=False)


def test_fetch_without_a_password_says_how_to_give_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(fetch, ["--imap", "mail.example.org", "--user", "u", "--folder", "INBOX",
                                        "--inbox", str(tmp_path)], env={"PIPELINE_IMAP_PASSWORD": ""})
    assert result.exit_code == 1
    assert result.output == (
        "Error: No password: set the environment variable PIPELINE_IMAP_PASSWORD to the mailbox's password "
        "and run the command again (it is never taken on the command line).\n")


def test_fetch_to_a_server_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"Cannot connect to 127.0.0.1:\d+ \(.*\)\. Check the server name"):
        fetch_mail("127.0.0.1", "u", "p", "INBOX", tmp_path, port=_free_port(), tls=False, timeout=5)


@pytest.mark.parametrize(("folder", "wire"), [
    ("INBOX", '"INBOX"'),
    ("Entwürfe", '"Entw&APw-rfe"'),
    ("R&D", '"R&-D"'),
    ('Say "hi"', '"Say \\"hi\\""'),
    ("Returns – Q4", '"Returns &IBM- Q4"'),
])
def test_folder_names_go_over_the_wire_in_modified_utf7(folder: str, wire: str) -> None:
    assert imap_mailbox(folder) == wire


def test_fetch_command_has_help() -> None:
    result = CliRunner().invoke(fetch, ["--help"])
    assert result.exit_code == 0
    assert "Save new e-mails with attachments from a mail folder into the inbox" in result.output
