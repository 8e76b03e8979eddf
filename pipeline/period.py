"""The reporting period, named the partnership's way: 'Q2 2008/09' or 'end of year 2008/9'."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

_YEAR = re.compile(r"\b((?:19|20)\d\d)\s*[/-]\s*\d{1,4}\b")
_QUARTER = re.compile(r"\b(?:q|quarter)\s*([1-4])\b", re.IGNORECASE)
_YEAR_END = re.compile(r"\b(?:end\s+of\s+(?:the\s+)?year|year[\s-]*end)\b", re.IGNORECASE)


def period_of(day: dt.date) -> str:
    """The financial-year quarter a date falls in (April to March); the fourth is 'end of year'."""
    start_year = day.year if day.month >= 4 else day.year - 1
    quarter = (day.month - 4) % 12 // 3 + 1
    if quarter == 4:
        return f"end of year {start_year}/{(start_year + 1) % 10}"
    return f"Q{quarter} {start_year}/{(start_year + 1) % 100:02d}"


def period_from_dates(dates: list[dt.date]) -> str:
    """The period most returns are dated in (the later one on a tie); '' when no return has a date."""
    if not dates:
        return ""
    counts = Counter(period_of(d) for d in dates)
    latest = {p: max(d for d in dates if period_of(d) == p) for p in counts}
    return max(counts, key=lambda p: (counts[p], latest[p]))


def period_sort_key(label: str) -> tuple[int, int] | None:
    """(first year of the financial year, quarter 1-4) for a label, or None when it cannot be read.

    'end of year 2008/9' is the fourth quarter of 2008/09: the partnership writes its year-end
    return with a one-digit second year, its quarterly ones with two.
    """
    year = _YEAR.search(label)
    if year is None:
        return None
    if _YEAR_END.search(label):
        return int(year.group(1)), 4
    quarter = _QUARTER.search(label)
    if quarter is None:
        return None
    return int(year.group(1)), int(quarter.group(1))


def dated_for_another_period(day: dt.date, period: str) -> bool:
    """True when a return's date is too far from the period to be its return.

    Returns are often dated the week after the quarter they report on, so a date in the quarter
    after the period still counts as the period's; earlier or later than that does not. A period
    label that cannot be read ('Pilot') makes no date stale.
    """
    wanted = period_sort_key(period)
    found = period_sort_key(period_of(day))
    if wanted is None or found is None:
        return False
    distance = (found[0] * 4 + found[1]) - (wanted[0] * 4 + wanted[1])
    return distance not in (0, 1)
