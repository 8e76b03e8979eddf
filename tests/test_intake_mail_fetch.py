"""Fetching returns over IMAP, from a real Dovecot on loopback: each message saved once, TLS,
and the messages that tell the officer what to check."""

from __future__ import annotations

import datetime as dt
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
from mail_factory import CDRP, DOCX_TYPE, XLSX_TYPE, File, docx_bytes, eml, xlsx_bytes

from pipeline.fetch_command import fetch
from pipeline.intake.mail.expand import expand_email
from pipeline.intake.mail.fetch import STATE_FILE, FetchError, fetch_mail, imap_mailbox
from pipeline.intake.scan import scan_inbox

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
