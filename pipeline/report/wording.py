"""Dates, lists and counts put the way the board pack writes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pipeline.report.text import clean


def parse_when(text: str) -> dt.datetime | None:
    """A run's ISO date and time, or None when it cannot be read."""
    try:
        return dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def as_date(text: str) -> str:
    """'2009-04-28T14:05' as '28 April 2009'; text that is not a date is shown as it is."""
    when = parse_when(text)
    return f"{when.day} {when:%B %Y}" if when else clean(text)


def and_list(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    names = [clean(n) for n in names]
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


