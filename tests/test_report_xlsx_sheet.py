"""Cells and table-like sheets (`pipeline.report.xlsx_sheet`): how tall a row of wrapped text is."""

from __future__ import annotations

import textwrap

from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.report.xlsx_sheet import text_lines, wrapped_lines

_LINE = st.lists(st.one_of(
    st.sampled_from(["a", "word", " ", "  ", "\u00a0", "\u2028", "é", "–", "-", "--", "\t", "\x0b",
                     "end."]),
    st.integers(min_value=2, max_value=45).map(lambda n: "x" * n)), max_size=30).map("".join)


@given(_LINE, st.integers(min_value=1, max_value=30))
@example("a  b", 1)
@example("ab " + "x" * 20, 5)
@example("   leading and trailing   ", 5)
@example("\u00a0 \u00a0 word \u00a0", 2)
def test_a_line_wraps_into_as_many_lines_as_textwrap_makes(line: str, per_line: int) -> None:
    # The count made without textwrap (a line with no hyphen and no white space but spaces) and
    # the one made by it agree; the uncached function, so that each example is counted afresh.
    assert wrapped_lines.__wrapped__(line, per_line) == (len(textwrap.wrap(line, per_line)) or 1)


def test_a_texts_lines_are_its_lines_wrapped() -> None:
    assert text_lines("one\ntwo words here", 5) == 1 + 3
    assert text_lines("", 5) == 1
