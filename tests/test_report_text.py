"""Text made safe for a cell or a page (`pipeline.report.text`)."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape as sax_escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.report.text import clean, clean_unprintable, escape_xml, fit_cell, lines

#: The plain definition `clean` is held to: line endings made \n, then every character XML 1.0
#: forbids or a cell would not show taken out.
_TAKEN_OUT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _plain_clean(text: str) -> str:
    return _TAKEN_OUT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


_AWKWARD = st.lists(st.sampled_from(
    ["a", "Z", " ", "é", "–", "\n", "\r", "\r\n", "\t", "\x00", "\x07", "\x0b", "\x1f", "\x7f", "\x85",
     "\x9f", "\ud800", "\udfff", "\ufffe", "\uffff", "\u2028", "\u200b", "\u00a0", "\U0001f600"]),
    max_size=20).map("".join)


@given(_AWKWARD)
def test_clean_takes_out_what_the_plain_definition_takes_out(text: str) -> None:
    assert clean(text) == _plain_clean(text)
    if not text.isprintable():
        assert clean_unprintable(text) == _plain_clean(text)


def test_clean_of_what_is_not_text() -> None:
    assert clean(None) == clean(float("nan")) == ""
    assert clean(12) == "12"


def test_a_text_over_a_cells_limit_is_cut_and_says_so() -> None:
    cut = fit_cell("x" * 40_000)
    assert len(cut) <= 32_767 and cut.endswith(f"[cut: {40_000 - cut.index(' ')} more characters, "
                                               "see the return]")
    assert fit_cell("x" * 32_767) == "x" * 32_767


@given(_AWKWARD | st.text(max_size=20))
def test_lines_of_a_text_are_its_cleaned_lines_without_blank_ends(text: str) -> None:
    """`lines`' one-line case (a printable text) is the definition's: the text cleaned, blank
    lines at either end dropped, each line's end stripped, at least one line."""
    expected = [line.rstrip() for line in _plain_clean(text).strip("\n").split("\n")] or [""]
    assert lines(text) == expected


@pytest.mark.parametrize("text", ["", "plain", "R&D <draft> > 5 & < 6", "&amp; already", 'say "no"',
                                  "a\tb\nc", "Ünïcödé & ☂"])
def test_report_text_is_escaped_as_xml_sax_escapes_it(text: str) -> None:
    """The reports' own escape (which spares their processes urllib and http) is saxutils'."""
    assert escape_xml(text) == sax_escape(text)
