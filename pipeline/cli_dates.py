"""The one date parameter of the command line: a date as people write it."""

from __future__ import annotations

import datetime as dt
import re

import click


class DateParam(click.ParamType):
    """A date as people write it: 31/12/2026, 2026-12-31, 31 Dec 2026."""

    name = "date"
    _FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%d-%m-%Y", "%d.%m.%Y",
                "%d/%m/%y", "%d %b %y", "%d %B %y")

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        text = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", " ".join(str(value).replace(",", " ").split()),
                      flags=re.IGNORECASE)
        for form in self._FORMATS:
            try:
                day = dt.datetime.strptime(text, form).date()
                break
            except ValueError:
                continue
        else:
            self.fail(f"{value!r} is not a date: write it as 31/12/2026, 2026-12-31 or "
                      "31 Dec 2026.", param, ctx)
        return day
