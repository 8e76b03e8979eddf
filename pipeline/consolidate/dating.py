"""The period the returns report on, and the returns dated for another one."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pipeline.consolidate.result import FileResult, SubmissionState
from pipeline.document import Place
from pipeline.issues import make_issue
from pipeline.normalise.text import parse_date
from pipeline.periods import Period, ReportingCalendar


def period_from(results: list[FileResult], calendar: ReportingCalendar) -> Period:
    """The period the returns report on: the one most of them name in their own words, else the
    one most of their dates report on, else their e-mails' dates; the period just ended without
    any of these."""
    read = [r for r in results if r.submission.state == SubmissionState.ACCEPTED and r.data is not None]
    named = Counter(r.data.period_named for r in read if r.data is not None and r.data.period_named)
    if named:
        return calendar.parse(max(named, key=lambda label: (named[label], calendar.parse(label))))
    dates = [d for r in read if r.data is not None for d in [parse_date(r.data.report_date)] if d is not None]
    if not dates:
        dates = [d for r in read if r.submission.sender for d in [_day_of(r.submission.received)] if d]
    return calendar.period_from_dates(dates) or calendar.period_reported_on(dt.date.today())


def _day_of(received: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(received).date()
    except ValueError:
        return None


def flag_other_periods(results: list[FileResult], period: Period, calendar: ReportingCalendar) -> None:
    """A return dated well away from the period (last quarter's file sent again) is queried."""
    for result in results:
        data = result.data
        if data is not None and data.period_named:
            if data.period_named != period.label:
                result.stale = f"for {data.period_named} by its own title, not {period}"
                data.issues.append(make_issue("other-period-named", Place(data.file),
                                              its_period=data.period_named, period=period.label))
            continue
        day = parse_date(data.report_date) if data is not None else None
        its_period = calendar.other_period_dated(day, period) if day is not None else None
        if data is None or its_period is None:
            continue
        result.stale = f"dated {data.report_date}, in {its_period}, not {period}"
        data.issues.append(
            make_issue(
                "other-period",
                Place(data.file),
                date=data.report_date,
                its_period=its_period.label,
                period=period.label,
            )
        )
