"""Reporting periods: every label form resolves to one period, dates to the period reported on."""

import datetime as dt
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.periods import Period, PeriodError, ReportingCalendar, periods_in_order

QUARTERLY = ReportingCalendar()
HALF_YEARLY = ReportingCalendar(reporting="half-yearly")
Q4_2008 = Period(2008, 4)


@pytest.mark.parametrize(
    "label",
    [
        "Q4 2008/09",
        "q4 2008/9",
        "Quarter 4 08/09",
        "quarter 4 2008-09",
        "2008/09 Q4",
        "2008-09-Q4",
        "end of year 2008/9",
        "End of Year 2008/09",
        "year end 2008-09",
        "Year-end 2008/2009",
        "March 2009",
        "Mar 2009",
        "as at March 2009",
        "Jan–Mar 2009",
        "Jan-Mar 2009",
        "January to March 2009",
        "4th quarter 2008/09",
        "FY2008/09 Q4",
    ],
)
def test_every_label_form_is_the_same_quarter(label: str) -> None:
    assert QUARTERLY.parse(label) == Q4_2008
    assert QUARTERLY.parse(label).label == "Q4 2008/09"


@pytest.mark.parametrize(
    ("label", "canonical"),
    [
        ("half year 2009/10", "H1 2009/10"),
        ("H2 2008/09", "H2 2008/09"),
        ("second half 2008/09", "H2 2008/09"),
        ("end of year 2008/9", "H2 2008/09"),
        ("Oct 2008 - Mar 2009", "H2 2008/09"),
        ("March 2009", "H2 2008/09"),
    ],
)
def test_half_yearly_labels(label: str, canonical: str) -> None:
    assert HALF_YEARLY.parse(label).label == canonical


def test_a_quarter_is_refused_when_the_partnership_reports_half_yearly() -> None:
    with pytest.raises(PeriodError, match="half-yearly"):
        HALF_YEARLY.parse("Q1 2009/10")


def test_half_year_in_a_quarterly_partnership_is_the_second_quarter() -> None:
    assert QUARTERLY.parse("half year 2009/10").label == "Q2 2009/10"


@pytest.mark.parametrize("label", ["Pilot", "2008/09", "Q5 2008/09", "Q1 2008/10", "Feb-May 2009", ""])
def test_unreadable_labels_are_refused_with_the_accepted_forms(label: str) -> None:
    with pytest.raises(PeriodError, match="Write it as one of: Q1 2009/10, 2009-10-Q1"):
        QUARTERLY.parse(label)


def test_financial_year_from_january() -> None:
    calendar = ReportingCalendar(first_month=1)
    assert calendar.parse("Q1 2009").label == "Q1 2009"
    assert calendar.parse("March 2009") == calendar.parse("2009 quarter 1")
    assert calendar.parse("Q1 2009").folder == "2009-Q1"


def test_period_dates_and_neighbours() -> None:
    assert (Q4_2008.start, Q4_2008.end) == (dt.date(2009, 1, 1), dt.date(2009, 3, 31))
    assert Q4_2008.next().label == "Q1 2009/10" and Q4_2008.previous().label == "Q3 2008/09"
    assert Q4_2008.folder == "2008-09-Q4" and QUARTERLY.parse(Q4_2008.folder) == Q4_2008


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (dt.date(2009, 7, 2), "Q1 2009/10"),  # written in the weeks after the quarter ended
        (dt.date(2009, 6, 20), "Q1 2009/10"),
        (dt.date(2009, 4, 20), "Q4 2008/09"),  # a year-end return written in April
        (dt.date(2009, 9, 1), "Q2 2009/10"),
    ],
)
def test_a_return_date_reports_on_the_period_just_ended(day: dt.date, period: str) -> None:
    assert QUARTERLY.period_reported_on(day).label == period


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Year end return 2008/9", "Q4 2008/09"),
        ("Stronger Communities Group – Quarter 2 2009/10 progress", "Q2 2009/10"),
        ("Thematic Sub-Group Performance Reporting 4 September 2008", None),
        ("Progress report Jan-Mar 2009", "Q4 2008/09"),
    ],
)
def test_a_period_named_in_a_title(text: str, period: str | None) -> None:
    found = QUARTERLY.find_in(text)
    assert (found.label if found else None) == period


def test_periods_in_order_keeps_unreadable_labels_after_their_predecessor() -> None:
    recorded = ["Q4 2008/09", "Pilot run", "Q2 2008/09", "Q1 2009/10"]
    assert periods_in_order(recorded, QUARTERLY) == ["Q2 2008/09", "Q4 2008/09", "Pilot run", "Q1 2009/10"]


@pytest.mark.parametrize(
    ("day", "period", "stale"),
    [
        (dt.date(2009, 3, 31), "Q4 2008/09", None),
        (dt.date(2009, 4, 6), "Q4 2008/09", None),
        (dt.date(2008, 9, 4), "Q4 2008/09", "Q2 2008/09"),
        (dt.date(2009, 7, 1), "Q4 2008/09", "Q2 2009/10"),
        (dt.date(2008, 12, 1), "Q3 2008/09", None),
    ],
)
def test_a_date_is_for_another_period_only_when_well_away_from_it(
    day: dt.date, period: str, stale: str | None
) -> None:
    found = QUARTERLY.other_period_dated(day, QUARTERLY.parse(period))
    assert (found.label if found else None) == stale


def test_most_returns_decide_the_period() -> None:
    dates = [dt.date(2009, 3, 31)] * 3 + [dt.date(2008, 9, 4)]
    assert QUARTERLY.period_from_dates(dates) == Q4_2008
    assert QUARTERLY.period_from_dates([]) is None


#: Pieces of the texts a return's first rows hold, and of every form a period is named in.
_PERIOD_PIECES = ["2008", "2009", "08", "09", "9", "1", "4", "20", "19", "/", "-", "\u2013", "\u2014",
                  "\u2012", " ", "  ", "\n", "q", "Q", "h", "fy", "quarter", "half", "year end",
                  "end of year", "March", "jan", "to", "Outcome", "2.1", "Date:", "a", "08/09",
                  "08 \u2013 09", "q4 ", "h2 "]


@given(st.lists(st.sampled_from(_PERIOD_PIECES), max_size=8).map("".join),
       st.sampled_from([QUARTERLY, HALF_YEARLY, ReportingCalendar(first_month=1)]))
@example("Q4 08/09", QUARTERLY)
@example("h1 08 \u2014 09", HALF_YEARLY)
@example("Year end 2008/9", QUARTERLY)
def test_a_text_without_a_period_hint_names_no_period(text: str, calendar: ReportingCalendar) -> None:
    # find_in reads only a text with a four-digit year or a number before a slash or dash in it:
    # reading any text must find what find_in finds (or fail alike).
    try:
        read = calendar._read(text, whole=False)
    except PeriodError as error:
        with pytest.raises(PeriodError, match=re.escape(str(error))):
            calendar.find_in(text)
        return
    assert calendar.find_in(text) == read
