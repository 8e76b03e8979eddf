"""Putting period labels in time order: 'Q3 2008/09' before 'end of year 2008/9'."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.period import period_sort_key


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
