"""Reading the dates a target or a planned improvement names: 'March 09', 'Autumn 08', '5th June 2009'.

Only dates with a month (or season) and a year count: a bare year ('by 2010', 'the 1998
baseline') names no day to be late by, so it is left alone rather than guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from pipeline.normalise.text import parse_date

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_WORDS = {m: i + 1 for i, m in enumerate(_MONTHS)}
_MONTH_WORDS.update({m[:3]: i + 1 for i, m in enumerate(_MONTHS)})
_MONTH_WORDS["sept"] = 9
#: The last month of each season, as the partnership would read 'Autumn 08' (by the end of November).
_SEASONS = {"spring": 5, "summer": 8, "autumn": 11, "winter": 2}
_YEAR = r"['’]?((?:19|20)\d\d|\d\d)\b"
_MONTH_YEAR = re.compile(
    r"\b(" + "|".join(sorted([*_MONTH_WORDS, *_SEASONS], key=len, reverse=True)) + r")\.?,?\s*"
    + _YEAR, re.IGNORECASE)
_DAY_FIRST = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+[a-z]+\.?,?\s+(?:\d{4}|\d{2})\b"
                        r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b", re.IGNORECASE)


def dates_named(text: str) -> list[dt.date]:
    """Every date the text names; a month or season stands for its last day."""
    found: list[dt.date] = []
    for match in _DAY_FIRST.finditer(text):
        day = parse_date(match.group())
        if day is not None:
            found.append(day)
    rest = _DAY_FIRST.sub(" ", text)
    for match in _MONTH_YEAR.finditer(rest):
        word, year_text = match.group(1).lower(), match.group(2)
        year = int(year_text) if len(year_text) == 4 else 2000 + int(year_text)
        month = _SEASONS.get(word) or _MONTH_WORDS[word]
        if word == "winter":
            year += 1  # Winter 08 runs into February 09
        found.append(dt.date(year, month, calendar.monthrange(year, month)[1]))
    return found


def latest_date(text: str) -> dt.date | None:
    """The latest date a target names ('Map of activity – June 08; training Autumn 08': 30 Nov 2008)."""
    found = dates_named(text)
    return max(found) if found else None
