"""Which returns count: pure functions over the inbox files' results.

The same file received twice is read once; a return dated for another period is held back until
the officer counts it; of a group's returns of one kind only the latest counts, the others are
listed as superseded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from pipeline.consolidate.result import FileResult, Submission, SubmissionState
from pipeline.periods import Period

#: The queries that say a return is for another period than the one consolidated.
OTHER_PERIOD = ("other-period", "other-period-named")


def _drop_identical_copies(results: list[FileResult]) -> None:
    """The same file received twice (saved twice, attached to two e-mails) is read once: the
    copies that arrived later are listed as superseded by the first."""
    first: dict[str, FileResult] = {}
    for result in sorted(
        (
            r
            for r in results
            if r.submission.state == SubmissionState.ACCEPTED and r.data is not None and r.submission.sha256
        ),
        key=lambda r: _arrival(r.submission),
    ):
        original = first.setdefault(result.submission.sha256, result)
        if original is not result:
            result.submission.state = SubmissionState.SUPERSEDED
            result.submission.reason = f"an identical copy of {original.submission.file} (same content)"


def hold_back_other_periods(
    results: list[FileResult], period: Period, count_anyway: Collection[str]
) -> None:
    """A return dated for another period is not counted until the officer accepts it for this one."""
    for result in results:
        if not result.stale or result.submission.state != SubmissionState.ACCEPTED or result.data is None:
            continue
        if result.submission.sha256 and result.submission.sha256 in count_anyway:
            result.stale = ""
            result.data.issues = [i for i in result.data.issues if i.code not in OTHER_PERIOD]
            continue
        result.submission.state = SubmissionState.HELD_BACK
        result.submission.rows = result.data.rows
        result.submission.reason = (
            f"{result.stale}: not counted. If it is the return for {period}, count it with "
            f'pipeline accept "{result.submission.file}"'
        )


def supersede_resubmissions(results: list[FileResult]) -> None:
    """Keep only the latest return per group and kind; the earlier ones are listed as superseded
    by the one that is counted."""
    _drop_identical_copies(results)
    latest: dict[tuple[str, str], FileResult] = {}
    counted = []
    for result in results:
        sub = result.submission
        if sub.state != SubmissionState.ACCEPTED or not sub.group or result.data is None:
            continue
        counted.append(result)
        key = (sub.group, result.data.kind)
        current = latest.get(key)
        # The period's own return wins over one dated for another period, whatever came last.
        if current is None or (not result.stale, _arrival(sub)) > (
            not current.stale,
            _arrival(current.submission),
        ):
            latest[key] = result
    for result in counted:
        assert result.data is not None
        winner = latest[(result.submission.group, result.data.kind)]
        if winner is not result:
            _mark_superseded(result, winner)


def _arrival(sub: Submission) -> tuple[dt.datetime, str]:
    """When a return arrived, comparable across e-mail dates (UTC) and file times (local)."""
    try:
        when = dt.datetime.fromisoformat(sub.received)
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC), sub.file
    # A time without an offset is the machine's own local time (a file's modification time).
    return (when if when.tzinfo else when.astimezone()), sub.file


def _mark_superseded(result: FileResult, by: FileResult) -> None:
    result.submission.state = SubmissionState.SUPERSEDED
    if result.stale and not by.stale:
        result.submission.reason = f"it is {result.stale}; {by.submission.file} is the return for this period"
    elif result.submission.attached_to and result.submission.attached_to == by.submission.attached_to:
        result.submission.reason = (f"{by.submission.file}, in the same e-mail, is counted as the group's "
                                    "return (one return per group is counted)")
    else:
        result.submission.reason = f"a later return from the same group was received ({by.submission.file})"
