"""Putting period labels in time order: 'Q3 2008/09' before 'end of year 2008/9'."""

from __future__ import annotations

import re
from collections.abc import Sequence

_YEAR = re.compile(r"\b((?:19|20)\d\d)\s*[/-]\s*\d{1,4}\b")
_QUARTER = re.compile(r"\b(?:q|quarter)\s*([1-4])\b", re.IGNORECASE)
_YEAR_END = re.compile(r"\b(?:end\s+of\s+(?:the\s+)?year|year[\s-]*end)\b", re.IGNORECASE)


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


def order_periods(labels_in_record_order: Sequence[str]) -> list[str]:
    """The labels in time order; a label that cannot be read stays just after the one recorded before it."""
    keyed = []
    last: tuple[int, int] = (0, 0)
    for position, label in enumerate(labels_in_record_order):
        key = period_sort_key(label)
        # An unreadable label ('Pilot run') has no place in the calendar, so it keeps its place in
        # the order of recording: right after the readable period recorded before it.
        keyed.append(((key or last), 0 if key else 1, position, label))
        last = key or last
    return [label for *_, label in sorted(keyed)]
