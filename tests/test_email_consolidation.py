"""Returns that arrive by e-mail, consolidated end to end: who sent what, resubmissions, who is
missing, and the e-mails the officer sends back."""

from __future__ import annotations

import datetime as dt
import email
import os
import shutil
from email import policy
from pathlib import Path

from docx_factory import table_runs
from mail_factory import (
    CDRP,
    DOCX_TYPE,
    STRONGER,
    XLSX_TYPE,
    File,
    Msg,
    MsgFile,
    eml,
    resaved,
    write,
    write_msg,
)

from pipeline.consolidate.result import SubmissionState
from pipeline.consolidate.steps import consolidate
from pipeline.outbox.feedback import write_feedback
from pipeline.outbox.places import TaskPlaces
from pipeline.outbox.reminders import write_reminders
from pipeline.register import load_register

REGISTER = load_register()
INBOX = Path(__file__).resolve().parent.parent / "inbox"
FIRST = dt.datetime(2009, 4, 3, 10, 15, tzinfo=dt.UTC)


def _sample(name: str) -> bytes:
    return (INBOX / name).read_bytes()


def _mailbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    stronger = _sample("stronger-communities-progress-2008-09-Q4.docx")
    write(
        inbox / "stronger-first.eml",
        eml(File("Q4 return.docx", resaved(stronger), DOCX_TYPE), sent=FIRST, subject="Q4 return"),
    )
    write(
        inbox / "stronger-again.eml",
        eml(
            File("Q4 return v2.docx", stronger, DOCX_TYPE),
            sent=FIRST + dt.timedelta(days=2),
            subject="Q4 return – corrected",
        ),
    )
    write_msg(
        inbox / "edcg.msg",
        Msg(
            sender="economic.development@gloucesterpartnership.org.uk",
            sender_name="EDCG",
            subject="Economic Development return",
            files=[MsgFile("edcg.xlsx", _sample("economic-development-progress-2008-09-Q4.xlsx"), XLSX_TYPE)],
        ),
    )
    shutil.copy2(INBOX / "cdrp-progress-2008-09-Q4.docx", inbox / "cdrp-progress-2008-09-Q4.docx")
    return inbox


def test_mailbox_export_is_read_with_senders_and_the_late_resubmission_supersedes(tmp_path: Path) -> None:
    result = consolidate(_mailbox(tmp_path), REGISTER)
    subs = {s.file: s for s in result.submissions}
    assert subs["stronger-first.eml/Q4 return.docx"].state == SubmissionState.SUPERSEDED
    assert "stronger-again.eml/Q4 return v2.docx" in subs["stronger-first.eml/Q4 return.docx"].reason
    assert subs["stronger-again.eml"].reason == "'Q4 return – corrected': 1 return attached"
    latest = subs["stronger-again.eml/Q4 return v2.docx"]
    assert (latest.state, latest.group, latest.sender) == (
        SubmissionState.ACCEPTED,
        "Stronger Communities Group",
        STRONGER,
    )
    assert latest.received.startswith("2009-04-05T10:15")
    edcg = subs["edcg.msg/edcg.xlsx"]
    assert (edcg.state, edcg.group, edcg.rows) == (
        SubmissionState.ACCEPTED, "Economic Development Coordination Group", 5)
    assert subs["edcg.msg"].kind == "E-mail" and subs["edcg.msg"].state == SubmissionState.ACCEPTED
    # Each task is read once: the superseded return is never merged a second time.
    stronger_tasks = [t for t in result.tasks if t.group == "Stronger Communities Group"]
    assert len(stronger_tasks) == 11
    assert {t.place.file for t in stronger_tasks} == {"stronger-again.eml/Q4 return v2.docx"}
    assert result.missing_groups == ["Healthy City Partnership", "Children & Young People Action Group"]
    assert result.reconciliation.rows_read == result.reconciliation.rows_merged


def test_reminders_for_missing_groups_and_feedback_naming_each_problems_place(tmp_path: Path) -> None:
    result = consolidate(_mailbox(tmp_path), REGISTER)
    out = tmp_path / "out"
    reminders = list(write_reminders(result, REGISTER, out, dt.date(2009, 4, 17),
                                     "officer@gloucester.gov.uk").written.values())
    assert sorted(p.name for p in reminders) == ["cypag.eml", "healthy-city.eml"]
    reminder = email.message_from_bytes(reminders[0].read_bytes(), policy=policy.default)
    assert "Q4 2008/09" in reminder.get_body(("plain",)).get_content()
    feedback = {p.name: p for p in write_feedback(result, REGISTER, out, "officer@gloucester.gov.uk")}
    cdrp = email.message_from_bytes(feedback["cdrp.eml"].read_bytes(), policy=policy.default)
    assert CDRP in cdrp["To"]
    text = cdrp.get_body(("plain",)).get_content()
    places = TaskPlaces(result.tasks)
    for issue in (i for i in result.issues if i.place.file == "cdrp-progress-2008-09-Q4.docx"):
        assert places.describe(issue) in text
        assert issue.message.split(":")[0][:40] in text
    stronger = email.message_from_bytes(
        feedback["stronger-communities.eml"].read_bytes(), policy=policy.default
    )
    assert STRONGER in stronger["To"], "feedback goes to whoever sent the return"


def test_the_same_file_received_twice_is_read_once(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    healthy = _sample("healthy-city-progress-2008-09-Q4.docx")
    write(
        inbox / "first.eml",
        eml(
            File("return.docx", healthy, DOCX_TYPE),
            sent=FIRST,
            sender="Healthy City <healthy.city@gloucesterpartnership.org.uk>",
        ),
    )
    write(
        inbox / "forwarded.eml",
        eml(File("healthy city return.docx", healthy, DOCX_TYPE), sent=FIRST + dt.timedelta(hours=3)),
    )
    result = consolidate(inbox, REGISTER)
    subs = {s.file: s for s in result.submissions}
    copy = subs["forwarded.eml/healthy city return.docx"]
    assert copy.state == SubmissionState.SUPERSEDED
    assert copy.reason == "an identical copy of first.eml/return.docx (same content)"
    assert len(result.tasks) == 11 == result.reconciliation.rows_read == result.reconciliation.rows_merged


def test_last_quarters_return_sent_again_is_queried_and_does_not_win(tmp_path: Path) -> None:
    from docx import Document

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    current = inbox / "stronger-q4.docx"
    shutil.copy2(INBOX / "stronger-communities-progress-2008-09-Q4.docx", current)
    # Last September's return, saved again with a later file time: it must not replace Q4's.
    old = Document(str(current))
    for run in table_runs(old):
        run.text = run.text.replace("31st March 2009", "4th September 2008")
    stale = inbox / "stronger-q2-resent.docx"
    old.save(str(stale))
    os.utime(stale, (current.stat().st_mtime + 3600,) * 2)
    result = consolidate(inbox, REGISTER)
    subs = {s.file: s for s in result.submissions}
    assert subs["stronger-q4.docx"].state == SubmissionState.ACCEPTED
    assert subs["stronger-q2-resent.docx"].state == SubmissionState.HELD_BACK
    assert result.period == "Q4 2008/09"
    assert subs["stronger-q2-resent.docx"].reason == (
        "dated 4th September 2008, in Q2 2008/09, not Q4 2008/09: not counted. If it is the return "
        'for Q4 2008/09, count it with pipeline accept "stronger-q2-resent.docx"'
    )
    # Sent on its own, the old return is held back, the group still missing, with a query to answer.
    current.unlink()
    alone = consolidate(inbox, REGISTER, period="Q4 2008/09")
    (query,) = [i for i in alone.issues if i.code == "other-period"]
    assert query.place.file == "stronger-q2-resent.docx" and query.severity.value == "query"
    assert "Stronger Communities Group" in alone.missing_groups
    assert not [t for t in alone.tasks if t.group == "Stronger Communities Group"]
    # Once the officer accepts it for this period, it is counted.
    sha = subs["stronger-q2-resent.docx"].sha256
    counted = consolidate(inbox, REGISTER, period="Q4 2008/09", count_anyway={sha})
    assert "Stronger Communities Group" not in counted.missing_groups
    assert not [i for i in counted.issues if i.code == "other-period"]
