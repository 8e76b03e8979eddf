"""The officer's page in-process: every view, and every refusal the guard and the views make."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from starlette.testclient import TestClient

from pipeline.web.app import create_app
from pipeline.web.jobs import Job, JobState
from pipeline.web.settings import Settings
from tests import mail_factory as mail
from tests.web_fixtures import EXCEL_RETURN, ROOT, WORD_RETURN, session_settings


def client_for(settings: Settings, *, logged_in: bool = True) -> TestClient:
    client = TestClient(create_app(settings), follow_redirects=False)
    if logged_in:
        client.cookies.set(settings.cookie_name, settings.token)
    return client


def consolidated(settings: Settings) -> TestClient:
    """A session whose inbox holds the two returns and whose consolidation has finished."""
    shutil.copy(WORD_RETURN, settings.inbox)
    shutil.copy(EXCEL_RETURN, settings.inbox)
    client = client_for(settings)
    assert client.post("/run", data={"csrf_token": settings.csrf_token}).status_code == 303
    client.app.state.runner.thread.join(timeout=120)  # type: ignore[attr-defined]
    assert client.app.state.runner.job.state is JobState.DONE  # type: ignore[attr-defined]
    return client


def period_of(client: TestClient) -> str:
    """The period the session's last run consolidated (its label is the period model's to choose)."""
    return str(client.app.state.runner.latest.result.period)  # type: ignore[attr-defined]


def upload(client: TestClient, settings: Settings, *files: tuple[str, bytes]) -> object:
    return client.post("/upload", data={"csrf_token": settings.csrf_token},
                       files=[("returns", (name, io.BytesIO(data))) for name, data in files])


# The session -------------------------------------------------------------------------------

def test_the_launch_link_sets_the_session_cookie_and_leaves_the_address_bar(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    client = client_for(settings, logged_in=False)
    response = client.get(f"/history?token={settings.token}")
    assert response.status_code == 303
    assert response.headers["location"] == "/history"
    cookie = response.headers["set-cookie"]
    assert f"{settings.cookie_name}={settings.token}" in cookie
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("path", ["/", "/run", "/report", "/messages", "/history", "/returns/0",
                                  "/download/master.xlsx", "/static/style.css"])
def test_no_page_without_the_session(tmp_path: Path, path: str) -> None:
    response = client_for(session_settings(tmp_path), logged_in=False).get(path)
    assert response.status_code == 403
    assert "open the address the &#39;pipeline serve&#39; command printed" in response.text


def test_every_answer_forbids_framing_foreign_scripts_and_referrers(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    for response in (client_for(settings).get("/"), client_for(settings, logged_in=False).get("/")):
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "same-origin"


def test_two_sessions_on_one_computer_have_cookies_of_their_own(tmp_path: Path) -> None:
    one, two = session_settings(tmp_path / "one"), session_settings(tmp_path / "two")
    assert one.cookie_name != two.cookie_name


def test_a_wrong_token_is_refused(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    client = client_for(settings, logged_in=False)
    assert client.get("/?token=guessed").status_code == 403
    client.cookies.set(settings.cookie_name, "guessed")
    assert client.get("/").status_code == 403


def test_a_foreign_host_is_refused_even_with_the_session(tmp_path: Path) -> None:
    """DNS rebinding: another site's name pointed at 127.0.0.1 still sends its own Host."""
    client = client_for(session_settings(tmp_path))
    response = client.get("/", headers={"Host": "evil.example:8765"})
    assert response.status_code == 400
    assert "answers only at the address" in response.text


def test_a_post_from_a_foreign_origin_is_refused(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    client = client_for(settings)
    response = client.post("/run", data={"csrf_token": settings.csrf_token},
                           headers={"Origin": "http://evil.example"})
    assert response.status_code == 403
    assert "another site" in response.text
    assert client.app.state.runner.job is None  # type: ignore[attr-defined]
    cross = client.post("/run", data={"csrf_token": settings.csrf_token},
                        headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403


def test_a_post_from_the_page_itself_is_accepted(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    client = client_for(settings)
    response = client.post("/run", data={"csrf_token": settings.csrf_token},
                           headers={"Origin": "http://testserver"})
    assert response.status_code == 303
    client.app.state.runner.thread.join(timeout=120)  # type: ignore[attr-defined]


@pytest.mark.parametrize("token", [None, "", "not-the-token"])
def test_a_form_without_this_sessions_csrf_token_is_refused(tmp_path: Path, token: str | None) -> None:
    settings = session_settings(tmp_path)
    client = client_for(settings)
    data = {} if token is None else {"csrf_token": token}
    response = client.post("/run", data=data)
    assert response.status_code == 403
    assert "Reload the page" in response.text
    assert client.app.state.runner.job is None  # type: ignore[attr-defined]
    refused = client.post("/upload", data=data,
                          files=[("returns", ("r.docx", io.BytesIO(WORD_RETURN.read_bytes())))])
    assert refused.status_code == 403
    assert list(settings.inbox.iterdir()) == []


# Dropping returns onto the page -----------------------------------------------------------------

def test_dropped_returns_are_checked_and_saved_or_refused_with_the_reason(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    client = client_for(settings)
    response = upload(client, settings, (WORD_RETURN.name, WORD_RETURN.read_bytes()),
                      ("notes.txt", b"minutes of the meeting"),
                      ("broken.docx", b"this is not a Word file"))
    assert response.status_code == 200
    text = response.text
    assert f"Added:</strong> {WORD_RETURN.name}" in text
    assert "Crime and Disorder Reduction Partnership" in text
    assert "Refused:</strong> notes.txt" in text and "not a Word or Excel file (a .txt file)" in text
    assert "Refused:</strong> broken.docx" in text
    assert sorted(p.name for p in settings.inbox.iterdir()) == [WORD_RETURN.name]
    assert (settings.inbox / WORD_RETURN.name).read_bytes() == WORD_RETURN.read_bytes()


def test_a_dropped_name_cannot_leave_the_inbox_or_replace_a_file(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    client = client_for(settings)
    data = WORD_RETURN.read_bytes()
    upload(client, settings, ("../../escaped.docx", data), ("escaped.docx", data))
    assert sorted(p.name for p in settings.inbox.iterdir()) == ["escaped (2).docx", "escaped.docx"]
    assert not (tmp_path / "escaped.docx").exists()


def test_names_are_escaped_on_the_page(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    response = upload(client_for(settings), settings, ("<script>alert(1)</script>.txt", b"x"))
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;alert(1)" in response.text


def test_a_dropped_email_is_judged_by_its_attachments(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    with_return = mail.eml(mail.File(WORD_RETURN.name, WORD_RETURN.read_bytes(), mail.DOCX_TYPE),
                           subject="CDRP Q4 return").as_bytes()
    unreadable = b"\x00\x01 not an e-mail at all"
    response = upload(client_for(settings), settings, ("cdrp.eml", with_return), ("junk.msg", unreadable))
    assert "Added:</strong> cdrp.eml" in response.text
    assert "E-mail &#39;CDRP Q4 return&#39; · 1 attachment(s) to read" in response.text
    assert "Refused:</strong> junk.msg" in response.text
    assert sorted(p.name for p in settings.inbox.iterdir()) == ["cdrp.eml"]


def test_an_upload_larger_than_the_cap_is_refused_before_it_is_read(tmp_path: Path) -> None:
    settings = session_settings(tmp_path, max_upload_bytes=10_000)
    response = upload(client_for(settings), settings, (WORD_RETURN.name, WORD_RETURN.read_bytes()))
    assert response.status_code == 413
    assert "The upload is 38 KB; at most 9.8 KB can be sent at once." in response.text
    assert list(settings.inbox.iterdir()) == []


def test_too_many_files_at_once_are_refused(tmp_path: Path) -> None:
    settings = session_settings(tmp_path, max_upload_files=2)
    data = WORD_RETURN.read_bytes()
    response = upload(client_for(settings), settings, ("a.docx", data), ("b.docx", data), ("c.docx", data))
    assert response.status_code == 400
    assert "At most 2 files can be added at once" in response.text
    assert list(settings.inbox.iterdir()) == []


def test_an_upload_with_no_file_chosen_says_so(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    response = client_for(settings).post("/upload", data={"csrf_token": settings.csrf_token},
                                         files=[("returns", ("", io.BytesIO(b"")))])
    assert response.status_code == 400
    assert "Choose one or more returns" in response.text


# Running and what it produced ------------------------------------------------------------------

def test_the_quarter_before_any_run_lists_the_inbox(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    shutil.copy(WORD_RETURN, settings.inbox)
    text = client_for(settings).get("/").text
    assert WORD_RETURN.name in text
    assert "Nothing has been consolidated since the page was opened" in text
    assert f'name="csrf_token" value="{settings.csrf_token}"' in text


def test_a_run_shows_its_account_and_the_quarter_its_groups(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    client = consolidated(settings)
    progress = client.get("/run/progress").text
    assert f"Done: {period_of(client)}" in progress
    assert "hx-trigger" not in progress  # polling stops once the run has ended
    assert "Files: 2 found, 2 read, 0 rejected, 0 skipped. Task rows: 9 read, 9 written." in progress
    assert "No return from:</strong> Healthy City Partnership" in progress
    quarter = client.get("/").text
    assert re.search(r"Crime and Disorder Reduction Partnership</th>\s*<td>\s*<span class=\"state "
                     r"state-received\">received</span>", quarter)
    assert "state-missing\">missing</span>" in quarter


def test_the_quarter_compares_each_groups_counts_with_the_last_period(tmp_path: Path) -> None:
    settings = session_settings(tmp_path, period="Q3 2008/09")
    client = consolidated(settings)
    assert "(in brackets" not in client.get("/").text
    (settings.inbox / EXCEL_RETURN.name).unlink()
    settings.period = "Q4 2008/09"
    client.post("/run", data={"csrf_token": settings.csrf_token})
    client.app.state.runner.thread.join(timeout=120)  # type: ignore[attr-defined]
    text = client.get("/").text
    assert "(in brackets: Q3 2008/09)" in text
    row = re.search(r"Economic Development Coordination Group</th>(.*?)</tr>", text, re.S)
    assert row is not None
    # Missing this quarter: no tasks now, last quarter's 2 green, 2 amber, 0 red, 1 achieved.
    assert re.findall(r'<td class="num">(\d+) <span class="was">\((\d+)\)</span>', row.group(1)) == [
        ("0", "2"), ("0", "2"), ("0", "0"), ("0", "1")]


def test_a_running_consolidation_is_followed_by_polling(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    client = client_for(settings)
    runner = client.app.state.runner  # type: ignore[attr-defined]
    import datetime as dt

    runner.job = Job(started=dt.datetime.now(), total=3, read=["a.docx"])
    text = client.get("/run/progress").text
    assert 'hx-get="/run/progress" hx-trigger="every 1s"' in text
    assert "Read 1 of 3 files; last: a.docx." in text
    second = client.post("/run", data={"csrf_token": settings.csrf_token})
    assert second.status_code == 409
    assert "A consolidation is already running" in second.text


def test_a_run_that_cannot_happen_says_why(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    settings.inbox = tmp_path / "no-such-folder"
    client = client_for(settings)
    client.post("/run", data={"csrf_token": settings.csrf_token})
    client.app.state.runner.thread.join(timeout=60)  # type: ignore[attr-defined]
    text = client.get("/run").text
    assert "The consolidation could not run" in text
    assert "does not exist" in text and "no-such-folder" in text


def test_a_returns_page_shows_its_tasks_beside_its_problems(tmp_path: Path) -> None:
    client = consolidated(session_settings(tmp_path))
    text = client.get("/returns/0").text
    assert "<h1>cdrp-progress-2008-09-Q4.docx</h1>" in text
    assert "Hold PACT meetings in each neighbourhood policing area" in text
    assert "Planned improvement has no deadline" in text
    assert '<a href="#t3-r2">table 3, row 2, column 5</a>' in text
    assert '<tr id="t3-r2" class="flagged">' in text
    assert "What to do:</strong> Add a date or a deadline" in text
    assert client.get("/returns/99").status_code == 404


def test_the_report_is_previewed_from_the_file_the_run_wrote(tmp_path: Path) -> None:
    client = consolidated(session_settings(tmp_path))
    text = client.get("/report").text
    assert f"Action plan tasks at amber or red as at {period_of(client)}" in text
    assert "Develop Joint Commissioning Plan" in text
    assert 'style="background:#' in text  # the status cells keep their shading, beside the word
    assert ">Amber</td>" in text


def test_master_workbook_downloads_with_its_tasks(tmp_path: Path) -> None:
    client = consolidated(session_settings(tmp_path))
    response = client.get("/download/master.xlsx")
    assert response.status_code == 200
    assert 'filename="master.xlsx"' in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    tasks = [row for row in book["Tasks"].iter_rows(min_row=2, values_only=True) if any(row)]
    assert any("Hold PACT meetings" in str(cell) for row in tasks for cell in row)
    docx = client.get("/download/exceptions.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert docx.headers["content-disposition"].startswith("attachment")
    # Only a PDF is ever shown inline; asking for anything else inline still saves it.
    saved = client.get("/download/master.xlsx?inline=1")
    assert saved.headers["content-disposition"].startswith("attachment")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="the PDF needs LibreOffice (soffice)")
def test_the_pdf_downloads_and_opens_inline(tmp_path: Path) -> None:
    client = consolidated(session_settings(tmp_path))
    assert "Open the PDF in a new tab" in client.get("/report").text
    pdf = client.get("/download/exceptions.pdf?inline=1")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert "content-security-policy" not in pdf.headers  # the browser's PDF viewer may run
    assert pdf.headers["content-disposition"].startswith("inline")
    assert client.get("/download/exceptions.pdf").headers["content-disposition"].startswith("attachment")


@pytest.mark.parametrize("name", ["..%2F..%2Fpyproject.toml", "%2e%2e/%2e%2e/pyproject.toml",
                                  "history.sqlite", "reminders/..%2F..%2Fmaster.xlsx", "%2Fetc%2Fpasswd",
                                  "feedback"])
def test_only_files_the_run_wrote_can_be_downloaded(tmp_path: Path, name: str) -> None:
    settings = session_settings(tmp_path)
    client = consolidated(settings)
    assert (settings.out / "history.sqlite").exists()
    response = client.get(f"/download/{name}")
    assert response.status_code == 404
    assert b"[tool" not in response.content and b"SQLite" not in response.content


def test_nothing_downloads_before_a_run(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    settings.out.mkdir()
    (settings.out / "master.xlsx").write_bytes(b"an old file the page did not write")
    assert client_for(settings).get("/download/master.xlsx").status_code == 404


def test_reminders_and_feedback_are_shown_and_downloadable(tmp_path: Path) -> None:
    client = consolidated(session_settings(tmp_path))
    listing = client.get("/messages").text
    links = re.findall(r'href="/messages/([^"]+)"', listing)
    assert any(link.startswith("reminders/") for link in links)
    assert any(link.startswith("feedback/") for link in links)
    reminder = next(link for link in links if link.startswith("reminders/"))
    page = client.get(f"/messages/{reminder}").text
    assert "<dt>To</dt>" in page and period_of(client) in page
    eml = client.get(f"/download/{reminder}")
    assert eml.status_code == 200 and eml.headers["content-type"].startswith("message/rfc822")
    assert b"Subject:" in eml.content
    assert client.get("/messages/reminders/nobody.eml").status_code == 404


def test_history_shows_each_task_and_the_chart_in_words(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    assert "No consolidation has been recorded yet" in client_for(settings).get("/history").text
    client = consolidated(settings)
    text = client.get("/history").text
    assert "<svg" in text and 'role="img"' in text
    assert (f"Crime and Disorder Reduction Partnership: {period_of(client)}: 2 Green, 1 Amber, 1 Achieved"
            in text)
    filtered = client.get("/history", params={"task": "PACT"}).text
    assert "Hold PACT meetings" in filtered and "Repeat Fear of Crime Survey" not in filtered


def test_pages_that_need_a_run_say_so(tmp_path: Path) -> None:
    client = client_for(session_settings(tmp_path))
    for path in ("/report", "/messages", "/returns/0"):
        response = client.get(path)
        assert response.status_code == 404
        assert "run the consolidation first" in response.text


# Listening beyond this computer ----------------------------------------------------------------

def _login(client: TestClient, password: str) -> Any:
    """Post the login form as the browser does: the form's token, from the login page's cookie."""
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    return client.post("/login", data={"password": password, "csrf_token": token.group(1)})


def test_with_a_password_the_page_asks_for_it(tmp_path: Path) -> None:
    settings = session_settings(tmp_path, password="correct horse")
    client = client_for(settings, logged_in=False)
    assert client.get("/").headers["location"] == "/login"
    assert _login(client, "wrong").status_code == 403
    response = _login(client, "correct horse")
    assert response.status_code == 303
    assert client.get("/").status_code == 200


def test_the_login_page_has_its_stylesheet_and_no_links_into_the_session(tmp_path: Path) -> None:
    settings = session_settings(tmp_path, password="correct horse")
    client = client_for(settings, logged_in=False)
    form = client.get("/login").text
    assert 'href="/static/style.css"' in form and 'href="/history"' not in form
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/history").headers["location"] == "/login"


def test_a_login_without_the_forms_token_is_refused(tmp_path: Path) -> None:
    """Login CSRF: another site cannot log the officer's browser in (nor guess through it)."""
    settings = session_settings(tmp_path, password="correct horse")
    client = client_for(settings, logged_in=False)
    bare = client.post("/login", data={"password": "correct horse"})
    assert bare.status_code == 403 and "login form had expired" in bare.text
    client.get("/login")  # the cookie is set, but the form must carry the same token
    forged = client.post("/login", data={"password": "correct horse", "csrf_token": "x" * 43})
    assert forged.status_code == 403
    assert settings.cookie_name not in forged.headers.get("set-cookie", "")


def test_wrong_passwords_make_the_client_wait_longer_each_time(tmp_path: Path) -> None:
    from pipeline.web.security import LOGIN_FREE_TRIES, LoginThrottle

    now = [1000.0]
    settings = session_settings(tmp_path, password="correct horse")
    client = client_for(settings, logged_in=False)
    client.app.state.login_throttle = LoginThrottle(clock=lambda: now[0])  # type: ignore[attr-defined]
    for _ in range(LOGIN_FREE_TRIES):
        assert _login(client, "guess").status_code == 403
    # The fifth wrong password: the next try waits 2 s.
    locked = _login(client, "correct horse")
    assert locked.status_code == 429
    assert "Too many wrong passwords from this computer: try again in 2 seconds." in locked.text
    assert locked.headers["retry-after"] == "2"
    now[0] += 2
    assert _login(client, "guess").status_code == 403  # the sixth: wait 4 s
    now[0] += 3
    assert _login(client, "correct horse").status_code == 429
    now[0] += 1
    assert _login(client, "correct horse").status_code == 303
    # Once in, the count starts again.
    assert client.app.state.login_throttle.wait("testclient") == 0  # type: ignore[attr-defined]


def test_the_wait_is_counted_per_client_and_capped() -> None:
    from pipeline.web.security import LOGIN_LONGEST_WAIT_SECONDS, LoginThrottle

    now = [0.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    for _ in range(40):
        throttle.failed("192.0.2.7")
    assert throttle.wait("192.0.2.7") == LOGIN_LONGEST_WAIT_SECONDS
    assert throttle.wait("192.0.2.8") == 0


def test_without_a_password_there_is_no_login(tmp_path: Path) -> None:
    client = client_for(session_settings(tmp_path), logged_in=False)
    assert client.get("/login").status_code == 403


# Sending the messages -------------------------------------------------------------------------

def _register_naming(tmp_path: Path, port: int) -> Path:
    text = (ROOT / "pipeline" / "register.toml").read_text(encoding="utf-8")
    path = tmp_path / "register.toml"
    path.write_text(text + f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n',
                    encoding="utf-8")
    return path


class _Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.received.append((list(envelope.rcpt_tos), envelope.original_content or b""))  # type: ignore[attr-defined]
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[tuple[_Inbox, Path]]:
    """A plain SMTP server on loopback, and a register naming it."""
    from aiosmtpd.controller import Controller

    from pipeline.web.serving import bind_free_port

    sock, port = bind_free_port("127.0.0.1", 0, 1)
    sock.close()
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, _register_naming(tmp_path, port)
    finally:
        controller.stop()


def test_the_reminders_are_sent_through_the_registers_server(
        tmp_path: Path, smtp: tuple[_Inbox, Path]) -> None:
    inbox, register = smtp
    settings = session_settings(tmp_path, register_path=register)
    client = consolidated(settings)
    listing = client.get("/messages").text
    assert "Send all 3 messages through 127.0.0.1:" in listing
    assert client.post("/messages/send", data={"kind": "reminders"}).status_code == 403
    sending = {"kind": "reminders", "csrf_token": settings.csrf_token}
    response = client.post("/messages/send", data=sending)
    assert response.status_code == 200
    assert "Messages: 3 sent, 0 not sent." in response.text
    assert len(inbox.received) == 3
    assert any("healthy.city@" in to for recipients, _ in inbox.received for to in recipients)
    again = client.post("/messages/send", data=sending)
    assert "Nothing is waiting to be sent" in again.text
    assert len(inbox.received) == 3, "a message is never sent twice"


def test_one_message_is_sent_on_its_own_and_is_then_no_longer_waiting(
        tmp_path: Path, smtp: tuple[_Inbox, Path]) -> None:
    inbox, register = smtp
    settings = session_settings(tmp_path, register_path=register)
    client = consolidated(settings)
    listing = client.get("/messages").text
    names = re.findall(r'name="name" value="([^"]+)"', listing)
    feedback = next(n for n in names if n.startswith("feedback/"))
    shown = client.get(f"/messages/{feedback}").text
    assert f'name="name" value="{feedback}"' in shown and "Send it through 127.0.0.1:" in shown
    sent = client.post("/messages/send", data={"name": feedback, "csrf_token": settings.csrf_token})
    assert "Messages: 1 sent, 0 not sent." in sent.text
    assert len(inbox.received) == 1
    assert f'value="{feedback}"' not in sent.text.split("</section>", 1)[1]
    assert (settings.out / "feedback" / "sent").is_dir()
    assert client.get(f"/messages/{feedback}").status_code == 404
    again = client.post("/messages/send", data={"name": feedback, "csrf_token": settings.csrf_token})
    assert "Nothing is waiting to be sent" in again.text and len(inbox.received) == 1
    # A name is looked up among the waiting messages, never joined onto a folder.
    away = client.post("/messages/send",
                       data={"name": "../master.xlsx", "csrf_token": settings.csrf_token})
    assert "Nothing is waiting to be sent" in away.text and len(inbox.received) == 1


def test_without_a_mail_server_the_page_offers_no_sending(tmp_path: Path) -> None:
    settings = session_settings(tmp_path)
    client = consolidated(settings)
    page = client.get("/messages").text.split("<main", 1)[1]
    assert "<button" not in page and "send them from here" not in page
    response = client.post("/messages/send", data={"kind": "feedback", "csrf_token": settings.csrf_token})
    assert response.status_code == 502
    from html import unescape

    from pipeline.outbox.send import SendError, mail_server
    from pipeline.register import load_register

    with pytest.raises(SendError) as said:
        mail_server(load_register(None), settings.out)
    assert str(said.value) in unescape(response.text)  # the words of `pipeline send`, from one place
