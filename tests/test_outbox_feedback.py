"""Feedback as a reply to the group's e-mail, naming each problem by the task's Ref, first words and
column, from real returns consolidated end to end."""

from __future__ import annotations

import datetime as dt
import email
import io
from email import policy
from email.message import EmailMessage
from pathlib import Path

import docx
import openpyxl
import pytest
from mail_factory import (
    CDRP,
    DOCX_TYPE,
    SENT_UTC,
    STRONGER,
    XLSX_TYPE,
    File,
    Msg,
    MsgFile,
    eml,
    write,
    write_msg,
)

from pipeline.consolidate.result import Consolidation, Submission, SubmissionState
from pipeline.consolidate.steps import consolidate
from pipeline.document import Place
from pipeline.issues import Issue, make_issue
from pipeline.outbox.feedback import feedback_email, reply_subject, write_feedback
from pipeline.register import load_register

REGISTER = load_register()
OFFICER = "Partnership Officer <officer@gloucester.gov.uk>"
STRONGER_GROUP = "Stronger Communities Group"
CDRP_GROUP = "Crime and Disorder Reduction Partnership"
GREEN_GYM = "Explore Green Gym sessions in three parks with local volunteers"
HEADINGS = ["Action", "Ref", "Tasks", "Target", "Position", "RAG", "Planned improvement"]
ROWS = [
    ["Green spaces", "2.2b", GREEN_GYM, "3 parks", "1 park", "Amberish", "Advertise again by June 09"],
    ["", "2.2c", "Recruit ten volunteer walk leaders", "10", "4", "", ""],
]


def _return_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Stronger Communities Group: quarterly progress return")
    table = document.add_table(rows=1, cols=len(HEADINGS))
    for cell, text in zip(table.rows[0].cells, HEADINGS, strict=True):
        cell.text = text
    for values in ROWS:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _return_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Outcome 2.2"
    sheet.append(["Stronger Communities Group"])
    sheet.append(HEADINGS)
    for values in ROWS:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _read(path: Path) -> EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[return-value]


def _feedback(inbox: Path, out: Path) -> EmailMessage:
    result = consolidate(inbox, REGISTER, period="Q4 2008/09")
    written = {p.name: p for p in write_feedback(result, REGISTER, out, OFFICER)}
    return _read(written["stronger-communities.eml"])


def _text(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_feedback_replies_to_the_email_the_return_came_in(tmp_path: Path) -> None:
    sent = eml(File("Q4 return.docx", _return_docx(), DOCX_TYPE), subject="Our Q4 return")
    sent.replace_header("Message-ID", "<q4-return-1@stronger.example.org>")
    sent["References"] = "<request-q4@gloucester.gov.uk> <chase-q4@gloucester.gov.uk>"
    write(tmp_path / "inbox" / "stronger.eml", sent)
    reply = _feedback(tmp_path / "inbox", tmp_path / "out")
    assert reply["In-Reply-To"] == "<q4-return-1@stronger.example.org>"
    assert reply["References"] == ("<request-q4@gloucester.gov.uk> <chase-q4@gloucester.gov.uk> "
                                   "<q4-return-1@stronger.example.org>")
    assert reply["Subject"] == "Re: Our Q4 return"
    assert reply["To"] == STRONGER
    assert "your e-mail 'Our Q4 return', received 3 April 2009" in _text(reply)


def test_feedback_names_the_ref_the_tasks_first_words_and_the_column_in_word(tmp_path: Path) -> None:
    write(tmp_path / "inbox" / "stronger.eml", eml(File("Q4 return.docx", _return_docx(), DOCX_TYPE)))
    text = _text(_feedback(tmp_path / "inbox", tmp_path / "out"))
    print(text)
    assert ("Q4 return.docx, Ref 2.2b, task 'Explore Green Gym sessions in three…', RAG: "
            "Status 'Amberish' is not one of") in text
    assert "Q4 return.docx, Ref 2.2c, task 'Recruit ten volunteer walk leaders', RAG: " in text
    assert "table 1" not in text and "column" not in text


def test_feedback_on_an_excel_return_also_gives_the_cell(tmp_path: Path) -> None:
    write(tmp_path / "inbox" / "stronger.eml", eml(File("Q4 return.xlsx", _return_xlsx(), XLSX_TYPE)))
    text = _text(_feedback(tmp_path / "inbox", tmp_path / "out"))
    assert ("Q4 return.xlsx, Ref 2.2b, task 'Explore Green Gym sessions in three…', RAG "
            "(cell 'Outcome 2.2'!F3): Status 'Amberish'") in text
    assert "Ref 2.2c, task 'Recruit ten volunteer walk leaders', RAG (cell 'Outcome 2.2'!F4)" in text


def test_a_saved_file_gets_a_new_message_not_a_reply(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "stronger-communities-q4.docx").write_bytes(_return_docx())
    message = _feedback(inbox, tmp_path / "out")
    assert message["In-Reply-To"] is None and message["References"] is None
    assert message["Subject"].startswith("Your ")


def test_feedback_replies_to_the_correction_not_the_return_it_replaced(tmp_path: Path) -> None:
    first = eml(File("Q4 return.docx", _return_docx(), DOCX_TYPE), subject="Q4 return")
    first.replace_header("Message-ID", "<first@stronger.example.org>")
    again = eml(File("Q4 return.xlsx", _return_xlsx(), XLSX_TYPE), subject="RE: Q4 return",
                sent=first_sent_plus_a_day())
    again.replace_header("Message-ID", "<second@stronger.example.org>")
    write(tmp_path / "inbox" / "first.eml", first)
    write(tmp_path / "inbox" / "again.eml", again)
    reply = _feedback(tmp_path / "inbox", tmp_path / "out")
    assert reply["In-Reply-To"] == "<second@stronger.example.org>"
    assert reply["Subject"] == "RE: Q4 return", "no 'Re: RE:'"


def first_sent_plus_a_day():  # noqa: ANN201 - a datetime
    import datetime as dt

    from mail_factory import SENT

    return SENT + dt.timedelta(days=1)


def test_an_outlook_message_is_answered_by_its_internet_message_id(tmp_path: Path) -> None:
    headers = ("From: Di Robinson <stronger.communities@gloucesterpartnership.org.uk>\r\n"
               "Message-ID: <outlook-1@stronger.example.org>\r\n"
               "Subject: Q4 return from Outlook\r\n")
    write_msg(tmp_path / "inbox" / "stronger.msg",
              Msg(subject="Q4 return from Outlook", headers=headers,
                  files=[MsgFile("Q4 return.docx", _return_docx(), DOCX_TYPE)]))
    reply = _feedback(tmp_path / "inbox", tmp_path / "out")
    assert reply["In-Reply-To"] == "<outlook-1@stronger.example.org>"
    assert reply["Subject"] == "Re: Q4 return from Outlook"


@pytest.mark.parametrize(("subject", "expected"), [
    ("Q4 return", "Re: Q4 return"), ("RE: Q4 return", "RE: Q4 return"), ("re:x", "re:x"),
    ("  Q4\n return ", "Re: Q4 return"), ("", ""),
])
def test_reply_subject(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected


def _result(submissions: list[Submission], issues: list[Issue]) -> Consolidation:
    return Consolidation(period="Q4 2008/09", generated="2009-04-20 10:00", submissions=submissions,
                         issues=issues, groups=[g.name for g in REGISTER.groups])


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
    stronger = _read(written[1]).get_body().get_content()  # type: ignore[union-attr]
    assert "old.docx, received" in stronger and "replaced by a later return" in stronger
    assert "'Old'" not in stronger, "a superseded file's problems are not the group's to fix"
    assert "'Tasks'!A7" not in stronger
    cdrp = _read(written[0])
    assert cdrp["To"] == CDRP and cdrp["Subject"] == "Your Q4 2008/09 return: 1 warning to look at"
    assert "cdrp.xlsx, 'Tasks'!A7: Row 7 is hidden" in cdrp.get_body().get_content()  # type: ignore[union-attr]
