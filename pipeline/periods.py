"""Reporting periods: every way a partnership names one resolves to one period, shown one way.

"Q4 2008/09", "quarter 4 08/09", "end of year 2008/9", "year end 2008-09", "March 2009",
"Jan–Mar 2009" and "2008/09 Q4" are the same quarter; its canonical label is "Q4 2008/09" and
its inbox folder `2008-09-Q4`. The financial year's first month and whether the partnership
reports quarterly or half-yearly come from the register.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.errors import PipelineError

_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# A financial year: 2008/09, 2008/9, 08/09, 2008-2009, FY2008/09.
_FIN_YEAR = r"(?:fy\s*)?((?:19|20)?\d\d)\s*[/-]\s*((?:19|20)?\d\d?)(?!\d)"
_YEAR = r"((?:19|20)\d\d)"
#: What any period found inside a text holds (the text as written, before _simplify, which only
#: lower-cases, makes en, em and figure dashes hyphens and takes spaces out around them).
_PERIOD_HINT = re.compile(r"(?:19|20)\d\d|\d\s*[/\-\u2012\u2013\u2014]")
_QUARTER = r"(?:q|qtr|quarter)\s*([1-4])|([1-4])(?:st|nd|rd|th)\s+quarter"
_HALF = r"(?:h|half)\s*([12])|(first|second|1st|2nd)\s+half|(half[\s-]*year(?:ly)?|mid[\s-]*year)"
_YEAR_END = r"end\s+of\s+(?:the\s+)?(?:financial\s+)?year|year[\s-]*end|full\s+year|annual"

# The patterns below are compiled once, here: a return's first cells are each asked for a period,
# and building a pattern's text and finding it among re's compiled ones cost more than most
# searches (the same patterns as written in place before).
_FOLDER_RE = re.compile(r"((?:19|20)\d\d)(?:-(\d\d))?-([qh])([1-4])")
_QUARTER_RE = re.compile(rf"\b(?:{_QUARTER})\b")
_HALF_RE = re.compile(rf"\b(?:{_HALF})\b")
_YEAR_END_RE = re.compile(rf"\b(?:{_YEAR_END})\b")
_MONTH_SPAN_RE = re.compile(rf"\b{_MONTH}(?:\s+{_YEAR})?\s*(?:-|to|until)\s*{_MONTH}\s+{_YEAR}\b")
_SINGLE_MONTH_RE = re.compile(rf"(?:(?:as\s+)?at\s+|end\s+of\s+|to\s+)?{_MONTH}\s+{_YEAR}")
_FIN_YEAR_RE = re.compile(rf"(?<![\d/]){_FIN_YEAR}")
_CALENDAR_YEAR_RE = re.compile(rf"(?<![\d/]){_YEAR}(?![\d/])")
_DASH_SPACES_RE = re.compile(r"\s*-\s*")
_WORD_DASH_RE = re.compile(r"(?<=[a-z])-(?=[a-z])")
_SPACES_RE = re.compile(r"\s+")


def long_date(day: dt.date | dt.datetime) -> str:
    """A date as the partnership writes it: '1 February 2027' (no leading zero, on every system)."""
    return f"{day.day} {day:%B %Y}"


def local_time(iso: str, pattern: str = "{day} %b %Y %H:%M") -> str:
    """An ISO 8601 moment in the officer's own time zone ('14 Apr 2009 10:02'); a time without an
    offset is already local. Text that is not a moment comes back as it is."""
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    local = when.astimezone() if when.tzinfo else when
    return local.strftime(pattern.replace("{day}", str(local.day)))


class PeriodError(PipelineError, ValueError):
    """A period label that cannot be read; the message lists the forms that are accepted. A
    "cannot run" error, so every front door shows it as it is."""


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: the financial year it belongs to and its number within that year."""

    year: int
    """The calendar year the financial year starts in (2008 for 2008/09)."""
    number: int
    """1-4 for a quarter, 1-2 for a half year."""
    per_year: int = 4
    first_month: int = 4

    @property
    def letter(self) -> str:
        """Q for a quarter, H for a half year."""
        return "Q" if self.per_year == 4 else "H"

    @property
    def year_label(self) -> str:
        """The financial year as the partnership writes it: '2008/09' (or '2009' from January)."""
        if self.first_month == 1:
            return str(self.year)
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        """The canonical label, shown everywhere: 'Q4 2008/09', 'H1 2009/10'."""
        return f"{self.letter}{self.number} {self.year_label}"

    @property
    def folder(self) -> str:
        """The period's inbox folder name: '2008-09-Q4'."""
        year = str(self.year) if self.first_month == 1 else f"{self.year}-{(self.year + 1) % 100:02d}"
        return f"{year}-{self.letter}{self.number}"

    @property
    def is_year_end(self) -> bool:
        """True for the last period of the financial year (the year-end return)."""
        return self.number == self.per_year

    @property
    def months(self) -> int:
        """How many months the period lasts."""
        return 12 // self.per_year

    @property
    def start(self) -> dt.date:
        """The period's first day."""
        month0 = self.first_month - 1 + (self.number - 1) * self.months
        return dt.date(self.year + month0 // 12, month0 % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        """The period's last day."""
        return self.next().start - dt.timedelta(days=1)

    @property
    def index(self) -> int:
        """A running count of periods, for distances between two periods."""
        return self.year * self.per_year + self.number - 1

    def next(self) -> Period:
        """The period after this one."""
        return self.shifted(1)

    def previous(self) -> Period:
        """The period before this one."""
        return self.shifted(-1)

    def shifted(self, count: int) -> Period:
        """The period `count` periods later (earlier when negative)."""
        year, number0 = divmod(self.index + count, self.per_year)
        return Period(year, number0 + 1, self.per_year, self.first_month)

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class ReportingCalendar:
    """How a partnership's periods fall: when its financial year starts, how often it reports."""

    first_month: int = 4
    reporting: str = "quarterly"
    """``quarterly`` or ``half-yearly``."""
    grace_days: int = 45
    """A return dated up to this many days after a period ends reports on that period."""

    @property
    def per_year(self) -> int:
        """Periods in a financial year."""
        return 2 if self.reporting == "half-yearly" else 4

    def period_of(self, day: dt.date) -> Period:
        """The period a day falls in."""
        month0 = (day.month - self.first_month) % 12
        year = day.year if day.month >= self.first_month else day.year - 1
        return Period(year, month0 // (12 // self.per_year) + 1, self.per_year, self.first_month)

    def period_reported_on(self, day: dt.date) -> Period:
        """The period a return dated `day` reports on: returns are written in the weeks after a
        period ends, so one dated 2 July 2009 reports on Q1 2009/10, not Q2."""
        return self.period_of(day - dt.timedelta(days=self.grace_days))

    def other_period_dated(self, day: dt.date, period: Period) -> Period | None:
        """The period a return dated `day` falls in when that is too far from `period` to be its
        return, else None. Returns are often dated in the period after the one they report on,
        so a date there still counts as the period's; earlier than the period, or later than
        that, does not."""
        its_period = self.period_of(day)
        return None if (its_period.index - period.index) in (0, 1) else its_period

    def period_from_dates(self, days: Iterable[dt.date]) -> Period | None:
        """The period most returns report on (the later one on a tie); None without a date."""
        counts = Counter(self.period_reported_on(d) for d in days)
        if not counts:
            return None
        return max(counts, key=lambda p: (counts[p], p))

    def parse(self, label: str) -> Period:
        """The period a label names, in any of the partnership's ways of writing it."""
        found = self._read(label, whole=True)
        if found is None:
            raise PeriodError(self._refusal(label))
        return found

    def find_in(self, text: str) -> Period | None:
        """A period named inside a longer text ('Year end return 2008/9'), or None. A bare month
        ('4 September 2008') is a date, not a period, and is not taken."""
        if _PERIOD_HINT.search(text) is None:
            # Every form found inside a text names a year of four digits ('2009', '2008-q4'),
            # or a financial year's two numbers with a slash or dash between them ('08/09'):
            # the many cells of a return that hold neither ('Outcome 2.1', 'Ref: 1.1a', 'by
            # April 09'; it is asked of each return's first rows) are looked at no further.
            # test_a_text_without_a_period_hint_names_no_period holds it to reading the text.
            return None
        return self._read(text, whole=False)

    def accepted_forms(self) -> str:
        """Examples of the label forms this calendar reads, for messages."""
        example = Period(2009, 1, self.per_year, self.first_month)
        last = Period(2008, self.per_year, self.per_year, self.first_month)
        start = _MONTHS[self.first_month - 1].title()
        end_month = _MONTHS[(self.first_month - 2 + example.months) % 12].title()
        return (
            f"{example.label}, {example.folder}, "
            f"{'quarter' if self.per_year == 4 else 'half'} 1 {example.year_label}, "
            f"end of year {last.year_label}, {start}–{end_month} {example.end.year}, "
            f"{end_month} {example.end.year}"
        )

    def _refusal(self, label: str) -> str:
        start = _MONTH_NAMES[self.first_month - 1]
        return (
            f"{label!r} is not a reporting period this pipeline can read. Write it as one of: "
            f"{self.accepted_forms()} ({self.reporting} reporting, the financial year starting in "
            f"{start})."
        )

    def _read(self, text: str, *, whole: bool) -> Period | None:
        simple = _simplify(text)
        if not simple:
            return None
        folder = _FOLDER_RE.fullmatch(simple)
        if folder:
            return self._numbered(int(folder.group(1)), folder.group(3), int(folder.group(4)), text)
        fin_year = _find_fin_year(simple, self.first_month)
        if fin_year is not None:
            year, span = fin_year
            rest = (simple[: span[0]] + " " + simple[span[1] :]).strip()
            found = self._in_year(year, rest, text)
            if found is not None:
                return found
        months = self._months(simple, whole=whole)
        if months is not None:
            return months
        return None

    def _in_year(self, year: int, rest: str, text: str) -> Period | None:
        """The period named by the words around a financial year ('Q4', 'end of year')."""
        quarter = _QUARTER_RE.search(rest)
        if quarter:
            return self._numbered(year, "q", int(quarter.group(1) or quarter.group(2)), text)
        half = _HALF_RE.search(rest)
        if half:
            if half.group(1):
                number = int(half.group(1))
            elif half.group(2):
                number = 1 if half.group(2) in ("first", "1st") else 2
            else:
                number = 1  # 'half year 2009/10': the first half's return
            return self._numbered(year, "h", number, text)
        if _YEAR_END_RE.search(rest):
            return Period(year, self.per_year, self.per_year, self.first_month)
        return None

    def _numbered(self, year: int, letter: str, number: int, text: str) -> Period:
        if letter == "q" and self.per_year == 2:
            raise PeriodError(
                f"{text!r} names a quarter, but the register says the partnership reports "
                f"half-yearly: write it as H1 or H2, e.g. {Period(year, 1, 2, self.first_month)}."
            )
        if letter == "h" and self.per_year == 4:
            # A quarterly partnership's half-year return is its second quarter's.
            if number == 1:
                return Period(year, 2, 4, self.first_month)
            return Period(year, 4, 4, self.first_month)
        return Period(year, number, self.per_year, self.first_month)

    def _months(self, simple: str, *, whole: bool) -> Period | None:
        """'March 2009' (whole labels only) or 'Jan-Mar 2009' / 'October 2008 to March 2009'."""
        span = _MONTH_SPAN_RE.search(simple)
        if span:
            last = dt.date(int(span.group(4)), _month_number(span.group(3)), 1)
            first_month = _month_number(span.group(1))
            first_year = (
                int(span.group(2))
                if span.group(2)
                else (last.year if first_month <= last.month else last.year - 1)
            )
            first = dt.date(first_year, first_month, 1)
            period = self.period_of(last)
            if self.period_of(first) != period:
                return None
            return period
        if whole:
            single = _SINGLE_MONTH_RE.fullmatch(simple)
            if single:
                return self.period_of(dt.date(int(single.group(2)), _month_number(single.group(1)), 1))
        return None


def _simplify(text: str) -> str:
    text = text.lower().replace("\u2013", "-").replace("\u2014", "-").replace("\u2012", "-")
    text = _DASH_SPACES_RE.sub("-", text)
    text = _WORD_DASH_RE.sub(" - ", text)  # 'jan-mar' reads as a span
    return _SPACES_RE.sub(" ", text).strip()


def _month_number(name: str) -> int:
    return _MONTHS.index(name[:3]) + 1


def _find_fin_year(text: str, first_month: int) -> tuple[int, tuple[int, int]] | None:
    """The financial year a text names and where: 2008/09 -> 2008. A year from January is '2009'."""
    for match in _FIN_YEAR_RE.finditer(text):
        start = _full_year(match.group(1))
        second = match.group(2)
        if len(second) == 4:
            follows = int(second) == start + 1
        else:
            follows = int(second) == (start + 1) % (10 ** len(second))
        if follows:
            return start, match.span()
    if first_month == 1:
        single = _CALENDAR_YEAR_RE.search(text)
        if single:
            return int(single.group(1)), single.span()
    return None


def _full_year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def periods_in_order(labels: Iterable[str], calendar: ReportingCalendar) -> list[str]:
    """Labels in time order; one that is not a period ('Pilot run') keeps its place after the
    period recorded before it."""
    keyed = []
    last: tuple[int, int] = (0, 0)
    for position, label in enumerate(labels):
        try:
            period = calendar.parse(label)
            key: tuple[int, int] | None = (period.index, 0)
        except PeriodError:
            key = None
        keyed.append(((key or last), 0 if key else 1, position, label))
        last = key or last
    return [label for *_, label in sorted(keyed)]
