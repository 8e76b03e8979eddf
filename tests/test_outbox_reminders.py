"""Reminders that know the deadline: a request before it, an overdue notice after it, the chair
copied once it is long past; each with the group's template in the format it last used."""

from __future__ import annotations

import datetime as dt
import email
import io
from dataclasses import replace
from email import policy
from email.message import EmailMessage
from pathlib import Path

import docx
import openpyxl
import pytest
from mail_factory import CDRP as CDRP_ADDRESS
from mail_factory import STRONGER as STRONGER_ADDRESS

from pipeline.consolidate.result import Consolidation, Submission, SubmissionState
from pipeline.document import Place
from pipeline.history.returns import last_returns
from pipeline.history.store import HistoryStore
from pipeline.outbox.reminders import ReminderKind, reminder_email, reminder_kind, write_reminders
from pipeline.records import Status, TaskRecord
from pipeline.register import load_register
from pipeline.run import run_consolidation, write_mail

OFFICER = "Partnership Officer <officer@gloucester.gov.uk>"
CHAIR = "chair.stronger@example.org"
STRONGER = "Stronger Communities Group"
EDCG = "Economic Development Coordination Group"
CYPAG = "Children & Young People Action Group"
CDRP = "Crime and Disorder Reduction Partnership"
DEADLINE = dt.date(2009, 4, 21)
#: The packaged register (escalation after 14 days), with a chair for the Stronger Communities Group.
REGISTER = load_register()
REGISTER = replace(REGISTER, groups=[replace(g, chair=CHAIR) if g.name == STRONGER else g
                                     for g in REGISTER.groups])
INBOX = Path(__file__).resolve().parent.parent / "inbox"


def _parse(message: EmailMessage | Path) -> EmailMessage:
    data = message.read_bytes() if isinstance(message, Path) else message.as_bytes()
    return email.message_from_bytes(data, policy=policy.default)  # type: ignore[return-value]


def _body(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def _attachments(message: EmailMessage) -> dict[str, tuple[str, bytes]]:
    return {part.get_filename() or "": (part.get_content_type(), part.get_content())
            for part in message.iter_attachments()}


@pytest.mark.parametrize(("today", "kind"), [
    (dt.date(2009, 4, 1), ReminderKind.REQUEST),
    (DEADLINE, ReminderKind.REQUEST),
    (DEADLINE + dt.timedelta(days=1), ReminderKind.OVERDUE),
    (DEADLINE + dt.timedelta(days=14), ReminderKind.OVERDUE),
    (DEADLINE + dt.timedelta(days=15), ReminderKind.ESCALATION),
])
def test_the_reminder_due_depends_on_the_deadline_and_the_escalation_days(today: dt.date,
                                                                          kind: ReminderKind) -> None:
    assert reminder_kind(DEADLINE, today, 14) is kind


def test_a_deadline_given_in_words_is_always_still_to_come() -> None:
    assert reminder_kind("end of April", dt.date(2030, 1, 1), 14) is ReminderKind.REQUEST


def test_before_the_deadline_a_polite_request_naming_period_and_deadline() -> None:
    message = _parse(reminder_email(STRONGER, "Q4 2008/09", DEADLINE, REGISTER, OFFICER,
                                    today=dt.date(2009, 4, 14)))
    assert message["Subject"] == "Reminder: Q4 2008/09 action-plan return due by Tuesday 21 April 2009"
    assert message["To"] == "stronger.communities@gloucesterpartnership.org.uk"
    assert message["Cc"] is None
    body = _body(message)
    assert ("Gloucester Partnership has not yet received the Stronger Communities Group's "
            "action-plan return for Q4 2008/09.") in body
    assert "Please send it by Tuesday 21 April 2009" in body
    assert "overdue" not in body


def test_after_the_deadline_an_overdue_notice_to_the_contacts_only() -> None:
    message = _parse(reminder_email(STRONGER, "Q4 2008/09", DEADLINE, REGISTER, OFFICER,
                                    today=dt.date(2009, 4, 24)))
    assert message["Subject"] == "Overdue: Q4 2008/09 action-plan return (due Tuesday 21 April 2009)"
    assert message["Cc"] is None
    body = _body(message)
    assert ("The Stronger Communities Group's action-plan return for Q4 2008/09 was due on Tuesday "
            "21 April 2009 and Gloucester Partnership has not yet received it: it is now 3 days "
            "overdue.") in body
    assert "chair" not in body


def test_long_past_the_deadline_the_overdue_notice_is_copied_to_the_chair() -> None:
    message = _parse(reminder_email(STRONGER, "Q4 2008/09", DEADLINE, REGISTER, OFFICER,
                                    today=dt.date(2009, 5, 6)))
    assert message["Subject"].startswith("Overdue: ")
    assert message["To"] == "stronger.communities@gloucesterpartnership.org.uk"
    assert message["Cc"] == CHAIR
    body = _body(message)
    assert "it is now 15 days overdue" in body
    assert ("As the return is more than 14 days overdue, the group's chair is copied into this "
            "reminder.") in body


def test_a_group_without_a_chair_is_still_reminded_without_a_copy() -> None:
    message = _parse(reminder_email("Healthy City Partnership", "Q4 2008/09", DEADLINE, REGISTER,
                                    OFFICER, today=dt.date(2009, 6, 1)))
    assert message["Subject"].startswith("Overdue: ") and message["Cc"] is None
    assert "chair" not in _body(message)


def _result(missing: list[str], period: str = "Q1 2009/10") -> Consolidation:
    return Consolidation(period=period, generated="2009-07-30 10:00",
                         groups=[g.name for g in REGISTER.groups], missing_groups=missing)


READ = SubmissionState.ACCEPTED


def _recorded(group: str, file: str, kind: str, state: SubmissionState, tasks: list[TaskRecord],
              received: str) -> tuple[Submission, list[TaskRecord]]:
    sha = f"{abs(hash((group, file))):064d}"[:64]
    return Submission(file=file, kind=kind, state=state, group=group, rows=len(tasks),
                      received=received, sha256=sha), tasks


def _record(store: HistoryStore, period: str, *returns: tuple[Submission, list[TaskRecord]]) -> None:  # noqa: F811
    result = _result([], period)
    result.submissions = [s for s, _ in returns]
    result.tasks = [t for _, tasks in returns for t in tasks]
    store.record(result)


EDCG_TASK = TaskRecord(place=Place("edcg.eml/edcg.xlsx", sheet="Outcome 4.3", cell="A5"),
                       task="Develop the Joint Commissioning Plan with partners", group=EDCG,
                       outcome="4.3", ref="4.3a", action="Joint commissioning", target="Plan agreed",
                       position="Draft written", status=Status.AMBER, status_text="Amber")


def test_the_last_accepted_word_or_excel_return_of_each_group(store: HistoryStore) -> None:  # noqa: F811
    stronger_task = replace(EDCG_TASK, place=Place("s.docx", table=2, row=3), group=STRONGER,
                            task="Hold four community events", ref="2.1a")
    _record(store, "Q3 2008/09",
            _recorded(EDCG, "edcg-q3.docx", "Word progress return", READ, [], "2009-01-10T09:00"),
            _recorded(STRONGER, "s.docx", "Word progress return", READ, [stronger_task],
                      "2009-01-11T09:00"))
    _record(store, "Q4 2008/09",
            _recorded(EDCG, "edcg.eml", "E-mail", READ, [], "2009-04-10T09:00"),
            _recorded(EDCG, "edcg.eml/edcg.xlsx", "Excel progress return", READ, [EDCG_TASK],
                      "2009-04-10T09:00"),
            _recorded(EDCG, "late.docx", "Word progress return", SubmissionState.REJECTED, [],
                      "2009-04-12T09:00"))
    found = last_returns(store)
    assert sorted(found) == [EDCG, STRONGER]
    edcg = found[EDCG]
    assert (edcg.period, edcg.file, edcg.file_name, edcg.fmt) == (
        "Q4 2008/09", "edcg.eml/edcg.xlsx", "edcg.xlsx", "xlsx"), "a rejected file is not a format used"
    assert [t.task for t in edcg.tasks] == [EDCG_TASK.task]
    assert found[STRONGER].fmt == "docx" and found[STRONGER].period == "Q3 2008/09"
    assert list(last_returns(store, [STRONGER, CYPAG])) == [STRONGER]


def test_a_reminder_attaches_the_template_in_the_format_last_used_filled_with_its_tasks(
        store: HistoryStore, tmp_path: Path) -> None:  # noqa: F811
    _record(store, "Q4 2008/09",
            _recorded(EDCG, "edcg.eml/edcg.xlsx", "Excel progress return", READ, [EDCG_TASK],
                      "2009-04-10T09:00"))
    written = list(write_reminders(_result([EDCG, CYPAG]), REGISTER, tmp_path, dt.date(2009, 7, 21),
                                   OFFICER, today=dt.date(2009, 7, 14),
                                   last_returns=last_returns(store)).written.values())
    assert [p.name for p in written] == ["edcg.eml", "cypag.eml"]
    edcg = _parse(written[0])
    files = _attachments(edcg)
    assert list(files) == ["edcg-progress-return.xlsx"]
    ctype, data = files["edcg-progress-return.xlsx"]
    assert ctype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = {str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value}
    assert EDCG_TASK.task in cells and "Draft written" in cells
    assert ("Your return form is attached (edcg-progress-return.xlsx), already filled in with the "
            "tasks of your last return (edcg.xlsx): update what has changed and send it back.") in _body(edcg)
    cypag = _parse(written[1])
    files = _attachments(cypag)
    assert list(files) == ["cypag-progress-return.docx"], "no return known: Word"
    document = docx.Document(io.BytesIO(files["cypag-progress-return.docx"][1]))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Children & Young People Action Group" in text
    assert ("Your return form is attached (cypag-progress-return.docx): fill it in and send it "
            "back.") in _body(cypag)


def test_a_run_writes_the_reminder_due_on_its_day_with_a_template(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("cdrp-progress-2008-09-Q4.docx", "economic-development-progress-2008-09-Q4.xlsx"):
        (inbox / name).write_bytes((INBOX / name).read_bytes())
    out = tmp_path / "out"
    run = run_consolidation(inbox, out, REGISTER, period="Q4 2008/09", workers=1)
    write_mail(run, REGISTER, out, feedback=False, deadline=DEADLINE, today=dt.date(2009, 5, 20))
    assert sorted(run.reminders) == sorted([STRONGER, "Healthy City Partnership", CYPAG])
    stronger = _parse(run.reminders[STRONGER])
    assert stronger["Cc"] == CHAIR and stronger["Subject"].startswith("Overdue: Q4 2008/09")
    assert list(_attachments(stronger)) == ["stronger-communities-progress-return.docx"]
    assert _parse(run.reminders["Healthy City Partnership"])["Cc"] is None


def test_a_reminder_says_what_was_received_but_could_not_be_used(tmp_path: Path) -> None:
    result = _result([STRONGER], "Q4 2008/09")
    result.submissions = [
        Submission(file="stronger.eml", kind="E-mail", state=SubmissionState.ACCEPTED, group=STRONGER),
        Submission(file="stronger.eml/Q4 return.docx", kind="Word progress return",
                   state=SubmissionState.REJECTED,
                   group=STRONGER, received="2009-04-03T09:15:00+00:00",
                   sent="2009-04-03T09:15:00+00:00", attached_to="stronger.eml",
                   reason="the file is protected with a password, so it cannot be read"),
    ]
    [path] = write_reminders(result, REGISTER, tmp_path, DEADLINE, OFFICER, today=dt.date(2009, 4, 14),
                             attach_templates=False).written.values()
    body = _body(_parse(path)).replace("\r\n", "\n")
    received = dt.datetime.fromisoformat("2009-04-03T09:15:00+00:00").astimezone()
    assert ("We did receive the following, but could not use it:\n"
            f"  - Q4 return.docx, received 3 April 2009, {received:%H:%M}: the file is protected with a "
            "password, so it cannot be read\n") in body
    assert "stronger.eml" not in body
    assert _attachments(_parse(path)) == {}
    assert "return form is attached" not in body


def test_reminder_goes_to_the_groups_contacts_naming_period_and_deadline() -> None:
    message = reminder_email(STRONGER, "Q4 2008/09", dt.date(2009, 4, 17), REGISTER, OFFICER,
                             today=dt.date(2009, 4, 10))
    parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["To"] == STRONGER_ADDRESS and parsed["From"] == OFFICER
    assert parsed["Subject"] == "Reminder: Q4 2008/09 action-plan return due by Friday 17 April 2009"
    assert parsed["X-Unsent"] == "1"
    body = parsed.get_body().get_content()  # type: ignore[union-attr]
    assert body.startswith("Dear Di Robinson,\n")
    assert ("Gloucester Partnership has not yet received the Stronger Communities Group's action-plan "
            "return for Q4 2008/09.") in body
    assert "Please send it by Friday 17 April 2009" in body
    assert body.rstrip().endswith("Partnership Officer\nGloucester Partnership")


def test_write_reminders_writes_one_draft_per_missing_group_and_removes_stale_ones(tmp_path: Path) -> None:
    out = tmp_path / "outputs"
    stale = out / "reminders" / "stronger-communities.eml"
    stale.parent.mkdir(parents=True)
    stale.write_text("from last run")
    result = _result([CDRP, "Healthy City Partnership"])
    reminders = write_reminders(result, REGISTER, out, "Friday 17 April", OFFICER)
    assert list(reminders.written) == [CDRP, "Healthy City Partnership"]
    assert reminders.recently_sent == {}
    written = list(reminders.written.values())
    assert [p.name for p in written] == ["cdrp.eml", "healthy-city.eml"]
    assert sorted(p.name for p in (out / "reminders").iterdir()) == ["cdrp.eml", "healthy-city.eml"]
    assert [_parse(p)["To"] for p in written] == [CDRP_ADDRESS, "healthy.city@gloucesterpartnership.org.uk"]
    assert all(b"\r\n" in p.read_bytes() for p in written)
