"""The period the returns report on, and the returns dated for another one."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pipeline.consolidate.result import FileResult, SubmissionState
from pipeline.document import Place
from pipeline.issues import make_issue
from pipeline.normalise.text import parse_date
from pipeline.periods import Period, ReportingCalendar, local_time


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


#: An e-mail dated more than this before the period began is not believed.
_MAIL_DATE_PAST = dt.timedelta(days=366)
#: ...nor one dated more than this after the moment of the run (clocks differ by minutes).
_MAIL_DATE_FUTURE = dt.timedelta(hours=12)


def query_mail_dates(results: list[FileResult], period: Period | None) -> None:
    """An e-mail dated in the future, or long before the period (without a period: only the
    future), is queried, and its returns are ordered by their files' own dates instead: a wrong
    clock never makes an e-mail supersede a group's real return by itself."""
    now = dt.datetime.now(dt.UTC)
    for result in results:
        sub = result.submission
        if not sub.sent or sub.received != sub.sent:
            continue
        try:
            sent = dt.datetime.fromisoformat(sub.sent)
        except ValueError:
            continue
        sent = sent if sent.tzinfo else sent.replace(tzinfo=dt.UTC)
        if sent > now + _MAIL_DATE_FUTURE:
            why = "in the future"
        elif period is not None and sent.date() < period.start - _MAIL_DATE_PAST:
            why = f"more than a year before {period.label} began"
        else:
            continue
        sub.received = sub.file_date
        if sub.kind == "E-mail":
            result.issues.append(make_issue(
                "email-date-implausible", Place(sub.file), subject=sub.subject or "(no subject)",
                date=_moment(sub.sent), why=why, file_date=_moment(sub.file_date) or "unknown"))


def _moment(iso: str) -> str:
    return local_time(iso, "{day} %B %Y, %H:%M")


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
