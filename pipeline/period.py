"""The reporting period, named the partnership's way: 'Q2 2008/09' or 'end of year 2008/9'."""

from __future__ import annotations

import datetime as dt
from collections import Counter


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
