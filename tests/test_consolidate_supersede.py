"""Which returns count: supersession and holding back, as pure functions over files' results."""

from __future__ import annotations

import pytest

from pipeline.consolidate.result import FileResult, Submission, SubmissionState
from pipeline.consolidate.supersede import hold_back_other_periods, supersede_resubmissions
from pipeline.document import Place
from pipeline.issues import make_issue
from pipeline.periods import ReportingCalendar
from pipeline.records import ReturnData, ReturnKind, TaskRecord

Q4 = ReportingCalendar().parse("Q4 2008/09")
STRONGER = "Stronger Communities Group"
HEALTH = "Healthy City Partnership"


def _result(file: str, received: str, *, group: str = STRONGER, sha256: str = "",
            kind: ReturnKind = ReturnKind.PROGRESS, stale: str = "",
            state: SubmissionState = SubmissionState.ACCEPTED) -> FileResult:
    data = ReturnData(file=file, kind=kind, tasks=[TaskRecord(place=Place(file), task="A task")])
    submission = Submission(file=file, kind="Word progress return", state=state, group=group,
                            received=received, sha256=sha256 or file, rows=1)
    return FileResult(submission, data, stale=stale)


def _states(results: list[FileResult]) -> dict[str, SubmissionState]:
    return {r.submission.file: r.submission.state for r in results}


def test_the_later_return_from_a_group_supersedes_the_earlier() -> None:
    results = [_result("second.docx", "2009-04-10T09:00:00+00:00"),
               _result("first.docx", "2009-04-03T09:00:00+00:00"),
               _result("health.docx", "2009-04-01T09:00:00+00:00", group=HEALTH)]
    supersede_resubmissions(results)
    assert _states(results) == {"second.docx": SubmissionState.ACCEPTED,
                                "first.docx": SubmissionState.SUPERSEDED,
                                "health.docx": SubmissionState.ACCEPTED}
    assert results[1].submission.reason == (
        "a later return from the same group was received (second.docx)")


def test_an_e_mail_time_and_a_local_file_time_are_compared_as_instants() -> None:
    # 10:30 at UTC+02:00 is 08:30 UTC: before the e-mail sent at 09:00 UTC.
    results = [_result("saved.docx", "2009-04-10T10:30:00+02:00"),
               _result("mailed.docx", "2009-04-10T09:00:00+00:00")]
    supersede_resubmissions(results)
    assert _states(results) == {"saved.docx": SubmissionState.SUPERSEDED,
                                "mailed.docx": SubmissionState.ACCEPTED}


def test_a_progress_return_and_an_action_plan_from_one_group_both_count() -> None:
    results = [_result("progress.docx", "2009-04-03T09:00:00+00:00"),
               _result("plan.docx", "2009-04-10T09:00:00+00:00", kind=ReturnKind.PLAN)]
    supersede_resubmissions(results)
    assert set(_states(results).values()) == {SubmissionState.ACCEPTED}


def test_an_identical_copy_is_read_once_whatever_its_group() -> None:
    results = [_result("copy.docx", "2009-04-10T09:00:00+00:00", sha256="same", group=""),
               _result("original.docx", "2009-04-03T09:00:00+00:00", sha256="same", group="")]
    supersede_resubmissions(results)
    assert _states(results) == {"copy.docx": SubmissionState.SUPERSEDED,
                                "original.docx": SubmissionState.ACCEPTED}
    assert results[0].submission.reason == "an identical copy of original.docx (same content)"


def test_the_periods_own_return_wins_over_a_later_one_dated_for_another_period() -> None:
    stale = "dated 4th September 2008, in Q2 2008/09, not Q4 2008/09"
    results = [_result("q4.docx", "2009-04-03T09:00:00+00:00"),
               _result("q2-again.docx", "2009-04-10T09:00:00+00:00", stale=stale)]
    supersede_resubmissions(results)
    assert _states(results) == {"q4.docx": SubmissionState.ACCEPTED,
                                "q2-again.docx": SubmissionState.SUPERSEDED}
    assert results[1].submission.reason == f"it is {stale}; q4.docx is the return for this period"


@pytest.mark.parametrize("state", [SubmissionState.REJECTED, SubmissionState.SKIPPED,
                                   SubmissionState.HELD_BACK])
def test_a_file_that_does_not_count_never_supersedes(state: SubmissionState) -> None:
    results = [_result("bad.docx", "2009-04-10T09:00:00+00:00", state=state),
               _result("good.docx", "2009-04-03T09:00:00+00:00")]
    supersede_resubmissions(results)
    assert _states(results) == {"bad.docx": state, "good.docx": SubmissionState.ACCEPTED}


def test_a_return_dated_for_another_period_is_held_back_with_how_to_count_it() -> None:
    result = _result("q2-again.docx", "2009-04-10T09:00:00+00:00", stale="for Q2 2008/09 by its own title")
    hold_back_other_periods([result], Q4, count_anyway=())
    assert result.submission.state == SubmissionState.HELD_BACK
    assert result.submission.reason == (
        "for Q2 2008/09 by its own title: not counted. If it is the return for Q4 2008/09, count "
        'it with pipeline accept "q2-again.docx"')


def test_a_return_the_officer_counted_is_kept_and_loses_its_other_period_query() -> None:
    result = _result("q2-again.docx", "2009-04-10T09:00:00+00:00", sha256="abc", stale="for Q2 2008/09")
    assert result.data is not None
    result.data.issues.append(make_issue("other-period-named", Place("q2-again.docx"),
                                         its_period="Q2 2008/09", period="Q4 2008/09"))
    hold_back_other_periods([result], Q4, count_anyway={"abc"})
    assert result.submission.state == SubmissionState.ACCEPTED
    assert (result.stale, result.data.issues) == ("", [])
