"""The account of a run adds up as the officer sees the inbox: an e-mail with its attachments is one
arrival, identical copies are called copies, times are the officer's own, and an e-mail whose date
cannot be believed is queried and never wins over a group's real return by that date."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from mail_factory import DOCX_TYPE, STRONGER, XLSX_TYPE, File, eml, resaved, write

from pipeline.cli import main
from pipeline.consolidate.result import SubmissionState
from pipeline.consolidate.steps import consolidate
from pipeline.register import load_register

REGISTER = load_register()
INBOX = Path(__file__).resolve().parent.parent / "inbox"
STRONGER_RETURN = INBOX / "stronger-communities-progress-2008-09-Q4.docx"
HEALTHY_RETURN = INBOX / "healthy-city-progress-2008-09-Q4.docx"
EDCG_RETURN = INBOX / "economic-development-progress-2008-09-Q4.xlsx"
SENT = dt.datetime(2009, 4, 3, 9, 15, tzinfo=dt.UTC)
"""In New York (the officer's time zone in these tests) that is 3 April 2009, 05:15."""


@pytest.fixture
def new_york() -> Iterator[None]:
    """The officer works in New York: local times are four hours behind UTC in April."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def _set_file_date(path: Path, when: dt.datetime) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()))


def _inbox(tmp_path: Path) -> Path:
    """An e-mail carrying two returns, a copy of one of them saved beside it, and a saved file."""
    inbox = tmp_path / "inbox"
    write(inbox / "q4.eml", eml(File("stronger.docx", STRONGER_RETURN.read_bytes(), DOCX_TYPE),
                                File("edcg.xlsx", EDCG_RETURN.read_bytes(), XLSX_TYPE),
                                sent=SENT, subject="Q4 returns"))
    (inbox / "stronger (copy).docx").write_bytes(STRONGER_RETURN.read_bytes())
    (inbox / "healthy.docx").write_bytes(HEALTHY_RETURN.read_bytes())
    _set_file_date(inbox / "stronger (copy).docx", dt.datetime(2009, 4, 6, 14, 0, tzinfo=dt.UTC))
    _set_file_date(inbox / "healthy.docx", dt.datetime(2009, 4, 7, 16, 30, tzinfo=dt.UTC))
    return inbox


def test_an_email_with_its_attachments_is_one_arrival_in_the_account(tmp_path: Path, new_york: None) -> None:
    inbox = _inbox(tmp_path)
    done = CliRunner().invoke(main, ["consolidate", "--inbox", str(inbox), "--out", str(tmp_path / "out"),
                                     "--no-history"])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    # Three files were saved into the inbox: three found, whatever the e-mail carried.
    assert lines[-1].startswith("Files: 3 found (1 e-mail with 2 attached files), 3 read, 0 rejected, "
                                "0 skipped, 1 superseded. ")
    email_line = next(line for line in lines if line.startswith("  e-mail"))
    # The e-mail is not "read (0 rows)": it says who sent it, when in the officer's time, what it held.
    assert "q4.eml" in email_line and "0 rows" not in email_line
    assert f"from {STRONGER}, sent 3 Apr 2009 05:15, 'Q4 returns': 2 attached files" in email_line
    # Its attachments follow it, indented under it.
    at = lines.index(email_line)
    assert lines[at + 1].startswith("    read       q4.eml/stronger.docx")
    assert lines[at + 2].startswith("    read       q4.eml/edcg.xlsx")
    copy = next(line for line in lines if "stronger (copy).docx" in line and "superseded" in line)
    assert "an identical copy of q4.eml/stronger.docx (same content)" in copy
    groups = {line.split("  ")[1].strip(): line for line in lines
              if line.startswith("  ") and ("received:" in line or "resubmitted:" in line)}
    stronger = groups["Stronger Communities Group"]
    # A copy is a copy, not a resubmission; the e-mail's date is "e-mailed" in local time.
    assert "resubmitted" not in stronger
    assert ("received: q4.eml/stronger.docx (e-mailed 3 Apr 2009 05:15 by "
            f"{STRONGER}) (also received as identical copies: stronger (copy).docx)") in stronger
    # A saved file's time is the file's date, said to be that, in local time.
    assert "received: healthy.docx (the file's date 7 Apr 2009 12:30)" in groups["Healthy City Partnership"]


def test_an_email_whose_returns_are_all_rejected_is_one_rejected_arrival(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    write(inbox / "bad.eml", eml(File("a.docx", b"not a zip at all", DOCX_TYPE),
                                 File("b.docx", b"nor this", DOCX_TYPE), sent=SENT))
    (inbox / "healthy.docx").write_bytes(HEALTHY_RETURN.read_bytes())
    rec = consolidate(inbox, REGISTER).reconciliation
    assert (rec.files_found, rec.files_read, rec.files_rejected, rec.files_skipped) == (2, 1, 1, 0)
    assert (rec.emails, rec.attachments) == (1, 2)


def test_the_submissions_sheet_shows_local_times_and_says_which_is_the_files_date(
    tmp_path: Path, new_york: None
) -> None:
    import openpyxl

    inbox = _inbox(tmp_path)
    done = CliRunner().invoke(main, ["consolidate", "--inbox", str(inbox), "--out", str(tmp_path / "out"),
                                     "--no-history"])
    assert done.exit_code == 0, done.output
    sheet = openpyxl.load_workbook(tmp_path / "out" / "master.xlsx")["Submissions"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if "Received" in r)
    received = {r[0]: r[header.index("Received")] for r in rows if r[0]}
    assert received["q4.eml/stronger.docx"] == "2009-04-03 05:15"
    assert received["healthy.docx"] == "2009-04-07 12:30 (file's date)"


@pytest.mark.parametrize("sent, why", [
    (dt.datetime.now(dt.UTC) + dt.timedelta(days=400), "in the future"),
    (dt.datetime(2006, 1, 5, 9, 0, tzinfo=dt.UTC), "more than a year before Q4 2008/09 began"),
])
def test_an_email_dated_in_the_future_or_long_ago_is_queried_and_wins_nothing_by_its_date(
    tmp_path: Path, sent: dt.datetime, why: str
) -> None:
    inbox = tmp_path / "inbox"
    real = write(inbox / "real.eml", eml(File("return.docx", STRONGER_RETURN.read_bytes(), DOCX_TYPE),
                                         sent=SENT, subject="Our Q4 return"))
    # An earlier draft, e-mailed from a computer whose clock is wrong, saved before the real one.
    write(inbox / "odd.eml", eml(File("draft.docx", resaved(STRONGER_RETURN.read_bytes()), DOCX_TYPE),
                                 sent=sent, subject="Draft"))
    _set_file_date(inbox / "odd.eml", dt.datetime(2009, 4, 2, 8, 0, tzinfo=dt.UTC))
    _set_file_date(real, dt.datetime(2009, 4, 3, 12, 0, tzinfo=dt.UTC))
    result = consolidate(inbox, REGISTER, period="Q4 2008/09")
    subs = {s.file: s for s in result.submissions}
    assert subs["real.eml/return.docx"].state == SubmissionState.ACCEPTED
    draft = subs["odd.eml/draft.docx"]
    assert draft.group == "Stronger Communities Group"
    assert draft.state == SubmissionState.SUPERSEDED
    assert "real.eml/return.docx" in draft.reason
    # Ordered by the file's own date, which is what it arrived with.
    assert draft.received == draft.file_date and draft.received.startswith("2009-04-02")
    queried = [i for i in result.issues if i.code == "email-date-implausible"]
    assert [i.place.file for i in queried] == ["odd.eml"]
    assert why in queried[0].message and "the file's own date" in queried[0].message
    assert queried[0].group == "Stronger Communities Group"
    assert queried[0].severity.value == "query"
    assert not [i for i in result.issues if i.code == "email-date-implausible" and i.place.file == "real.eml"]


def test_messages_to_groups_call_a_saved_files_date_that_not_when_it_was_received(new_york: None) -> None:
    from pipeline.consolidate.result import Submission
    from pipeline.outbox.drafts import when_received

    mailed = Submission("q4.eml/return.docx", "Word progress return", SubmissionState.REJECTED,
                        received="2009-04-03T09:15:00+00:00", sent="2009-04-03T09:15:00+00:00")
    saved = Submission("return.docx", "Word progress return", SubmissionState.REJECTED,
                       received="2009-04-07T16:30:00+00:00", file_date="2009-04-07T16:30:00+00:00")
    assert when_received(mailed) == ", received 3 April 2009, 05:15"
    assert when_received(saved) == " (the file's date: 7 April 2009, 12:30)"


def test_two_returns_of_a_group_in_one_email_are_not_a_resubmission() -> None:
    from pipeline.console import group_lines
    from pipeline.consolidate.result import Consolidation, Submission

    group = "Stronger Communities Group"
    counted = Submission("q4.eml/b.xlsx", "Excel progress return", SubmissionState.ACCEPTED, group=group,
                         received="2009-04-03T09:15:00+00:00", sent="2009-04-03T09:15:00+00:00",
                         attached_to="q4.eml", sender=STRONGER, sha256="b")
    other = Submission("q4.eml/a.docx", "Word progress return", SubmissionState.SUPERSEDED, group=group,
                       received="2009-04-03T09:15:00+00:00", sent="2009-04-03T09:15:00+00:00",
                       attached_to="q4.eml", sender=STRONGER, sha256="a",
                       reason="q4.eml/b.xlsx, in the same e-mail, is counted as the group's return")
    lines = group_lines(Consolidation("Q4 2008/09", "", submissions=[other, counted], groups=[group]), {})
    assert f"{group}  received: q4.eml/b.xlsx (e-mailed" in lines[1]
