"""Feedback as a reply to the group's e-mail, naming each problem by the task's Ref, first words and
column, from real returns consolidated end to end."""

from __future__ import annotations

import email
import io
from dataclasses import replace
from email import policy
from email.message import EmailMessage
from pathlib import Path

import docx
import openpyxl
import pytest
from mail_factory import DOCX_TYPE, STRONGER, XLSX_TYPE, File, Msg, MsgFile, eml, write, write_msg

from pipeline.consolidate.steps import consolidate
from pipeline.document import Place
from pipeline.intake.mail.messages import message_id, references
from pipeline.issues import make_issue
from pipeline.outbox.feedback import reply_subject, write_feedback
from pipeline.outbox.places import TaskPlaces, first_words
from pipeline.records import TaskRecord
from pipeline.register import load_register

REGISTER = load_register()
OFFICER = "Partnership Officer <officer@gloucester.gov.uk>"
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


@pytest.mark.parametrize(("header", "expected"), [
    ("<abc.123@example.org>", "<abc.123@example.org>"),
    ("  <abc@example.org> (comment)", "<abc@example.org>"),
    ("<a b>\r\nBcc: victim@example.org", ""),
    ("no brackets@example.org", ""),
    ("", ""),
])
def test_only_a_well_formed_message_id_is_kept(header: str, expected: str) -> None:
    assert message_id(header) == expected


def test_references_keep_the_newest_well_formed_ids() -> None:
    ids = " ".join(f"<{n}@example.org>" for n in range(30))
    kept = references(ids + " junk <bad id>").split()
    assert len(kept) == 20 and kept[-1] == "<29@example.org>"


@pytest.mark.parametrize(("subject", "expected"), [
    ("Q4 return", "Re: Q4 return"), ("RE: Q4 return", "RE: Q4 return"), ("re:x", "re:x"),
    ("  Q4\n return ", "Re: Q4 return"), ("", ""),
])
def test_reply_subject(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Short task", "Short task"),
    (GREEN_GYM, "Explore Green Gym sessions in three…"),
    ("Supercalifragilisticexpialidocious" * 2, "SupercalifragilisticexpialidociousSuperc…"),
    ("Hold events, workshops, and a fair in the summer", "Hold events, workshops, and a fair in…"),
])
def test_a_task_is_named_by_its_first_whole_words(text: str, expected: str) -> None:
    assert first_words(text) == expected


def test_a_row_level_problem_in_excel_names_no_column() -> None:
    row = Place("r.xlsx", sheet="Tasks", cell="A7")
    task = TaskRecord(place=row, task="Hold events", ref="1.1a",
                      cell_places={"task": row, "status": Place("r.xlsx", sheet="Tasks", cell="D7")},
                      headings={"task": "Tasks", "status": "Status"})
    places = TaskPlaces([task])
    hidden = make_issue("hidden-row", row, row=7, cells="A7, B7")
    assert places.describe(hidden) == "Ref 1.1a, task 'Hold events' (cell 'Tasks'!A7)"
    missing = make_issue("missing-task", row, filled="a status")
    assert places.describe(missing) == "Ref 1.1a, task 'Hold events', Tasks (cell 'Tasks'!A7)"
    elsewhere = make_issue("summary-mismatch", Place("r.xlsx", sheet="Tasks", cell="D2"), outcome="1.1",
                           declared=1, colour="green", counted=2)
    assert places.describe(elsewhere) == "'Tasks'!D2"


def test_the_facts_an_issue_was_made_with_name_the_task_even_without_the_record() -> None:
    issue = make_issue("missing-status", Place("r.docx", table=2, row=4, column=4), task="Hold events")
    issue = replace(issue, ref="2.1a", task="Hold events in every ward", column="status")
    assert TaskPlaces([]).describe(issue) == "Ref 2.1a, task 'Hold events in every ward', Status"
