"""Excel number formats rendered as Excel shows them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.readers.xlsx_numfmt import render


@pytest.mark.parametrize(
    ("value", "code", "shown"),
    [
        (dt.date(2009, 3, 1), "mmm-yy", "Mar-09"),
        (dt.date(2009, 6, 30), "dd/mm/yyyy", "30/06/2009"),
        (dt.datetime(2009, 6, 30), "d mmmm yyyy", "30 June 2009"),
        (dt.datetime(2009, 6, 30, 14, 5), "dd/mm/yyyy hh:mm", "30/06/2009 14:05"),
        (dt.date(2009, 6, 30), "[$-809]dd mmmm yyyy;@", "30 June 2009"),
        (dt.date(2009, 6, 30), "dddd d mmm", "Tuesday 30 Jun"),
        (dt.time(9, 30), "h:mm AM/PM", "9:30 AM"),
        (0.656, "0.0%", "65.6%"),
        (0.665, "0%", "67%"),
        (1250, "#,##0", "1,250"),
        (1250.5, "#,##0.00", "1,250.50"),
        (-1250, "#,##0;(#,##0)", "(1,250)"),
        (-1250, "#,##0", "-1,250"),
        (1250, '"£"#,##0.00', "£1,250.00"),
        (1250, "[$£-809]#,##0", "£1,250"),
        (0, '0;-0;"-"', "-"),
        (12, '0" days"', "12 days"),
        (5, "00", "05"),
        (1.5, "0.0#", "1.5"),
        (7, "[Red]0", "7"),
    ],
)
def test_a_value_is_shown_as_excel_shows_it(value: object, code: str, shown: str) -> None:
    assert render(value, code) == shown


@pytest.mark.parametrize("code", ["General", "# ?/?", "0.00E+00", "@", ""])
def test_formats_not_rendered_fall_back_to_the_value(code: str) -> None:
    assert render(0.25, code) is None


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
       st.sampled_from(["0", "0.00", "#,##0", "0.0%", "#,##0;(#,##0)", '"£"#,##0.00', "0;-0;\"-\""]))
def test_any_number_renders_without_error_and_never_as_a_serial(value: float, code: str) -> None:
    shown = render(value, code)
    assert shown is not None and shown.strip() == shown
    assert ("%" in shown) == ("%" in code)
