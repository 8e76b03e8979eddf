"""Outcome headings, Refs, dates, deadlines and periods, worded as the seeds word them."""

import datetime as dt

import pytest

from pipeline.normalise.text import parse_date, parse_outcome, ref_outcome, says_by_when


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Outcome: 2:1 Communities live, work and play in peace and harmony",
            ("2.1", "Communities live, work and play in peace and harmony"),
        ),
        ("Outcome: 2.2: Our diverse communities", ("2.2", "Our diverse communities")),
        ("Outcome 2.1: 1 Communities live", ("2.1", "Communities live")),
        ("Outcome 3.3: Every child thrives", ("3.3", "Every child thrives")),
        ("Outcome Measure:", None),
        ("Outcomes agreed by partners", None),
    ],
)
def test_outcome_headings(text: str, expected: tuple[str, str] | None) -> None:
    assert parse_outcome(text) == expected


@pytest.mark.parametrize(
    ("ref", "outcome"), [("2.3b", "2.3"), ("3.4d (i &ii)", "3.4"), ("4.3a", "4.3"), ("", ""), ("a)", "")]
)
def test_ref_outcome(ref: str, outcome: str) -> None:
    assert ref_outcome(ref) == outcome


@pytest.mark.parametrize(
    ("text", "by_when"),
    [
        ("Finalise action plan by October 08", True),
        ("Draft action plan April 09.", True),
        ("Group to review and decide target next mtg", True),
        ("Arrange training.", False),
        ("the target may be met", False),
        ("by May 09", True),
        ("To arrange once the merger is complete.", False),
    ],
)
def test_deadlines(text: str, by_when: bool) -> None:
    assert says_by_when(text) is by_when


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Date: 4th September 2008", dt.date(2008, 9, 4)),
        ("31st March 2009", dt.date(2009, 3, 31)),
        ("31/03/2009", dt.date(2009, 3, 31)),
        ("2009-03-31", dt.date(2009, 3, 31)),
        ("tba", None),
    ],
)
def test_dates(text: str, date: dt.date | None) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        (
            "<p>Ensure that the CSP adheres to Hear By Right.</p>",
            "Ensure that the CSP adheres to Hear By Right.",
        ),
        (
            "<p>A paper will be discussed.</p> <p>CSP representation on the LDF project board</p>",
            "A paper will be discussed.\nCSP representation on the LDF project board",
        ),
        (
            'This work: <ul style="list-style-type: none"> To increase the percentage. <li>NI 1</li></ul>',
            "This work:\nTo increase the percentage.\nNI 1",
        ),
        (
            "Reduce under- 18 conception rate by 50% (< 1998 level)",
            "Reduce under- 18 conception rate by 50% (< 1998 level)",
        ),
        ("CO<sub>2</sub> a<b", "CO<sub>2</sub> a<b"),
    ],
)
def test_stray_html_is_taken_out_and_plain_text_left_alone(text: str, clean: str) -> None:
    from pipeline.normalise.text import strip_stray_html

    assert strip_stray_html(text) == clean
