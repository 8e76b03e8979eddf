"""Status normalisation: every way a group writes a status, and colours."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalise.status import read_status, status_from_colour
from pipeline.records import STATUS_SEVERITY_ORDER, STATUS_WORD, Status


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Amber", Status.AMBER), ("AMBER", Status.AMBER), ("amber", Status.AMBER),
        ("Amber – needs attention", Status.AMBER), ("Red – needs action", Status.RED),
        ("Green – on track", Status.GREEN), ("GREEN", Status.GREEN), ("G", Status.GREEN),
        ("A", Status.AMBER), ("R", Status.RED), ("(R)", Status.RED), ("Complete", Status.ACHIEVED),
        ("Completed", Status.ACHIEVED), ("ACHIEVED", Status.ACHIEVED), ("Achieved ", Status.ACHIEVED),
        ("needs attention", Status.AMBER),
    ],
)
def test_one_status_in_any_form(text: str, expected: Status) -> None:
    reading = read_status(text)
    assert reading.status is expected
    assert reading.problem is None


def test_several_statuses_take_the_worst_and_say_so() -> None:
    reading = read_status("ACHIEVED\n\nACHIEVED\n\nAMBER")
    assert reading.status is Status.AMBER
    assert reading.found == (Status.ACHIEVED, Status.ACHIEVED, Status.AMBER)
    assert reading.several


@pytest.mark.parametrize(("text", "problem"), [("", "missing"), ("   \n ", "missing"),
                                               ("Ambr", "unknown"), ("tbc", "unknown"), ("Gren", "unknown")])
def test_missing_or_unreadable_status_is_not_guessed(text: str, problem: str) -> None:
    reading = read_status(text)
    assert reading.status is None
    assert reading.problem == problem


@pytest.mark.parametrize(
    ("fill", "expected"),
    [("FF0000", Status.RED), ("C00000", Status.RED), ("FFC000", Status.AMBER), ("FFBF00", Status.AMBER),
     ("FF9900", Status.AMBER), ("00B050", Status.GREEN), ("92D050", Status.GREEN), ("008000", Status.GREEN),
     ("FFFFFF", None), ("D9D9D9", None), ("000000", None), ("0070C0", None), (None, None), ("auto", None)],
)
def test_status_from_any_reasonable_shade(fill: str | None, expected: Status | None) -> None:
    assert status_from_colour(fill) is expected


words = st.sampled_from(["Red", "RED", "red", "Amber", "AMBER", "Green", "green", "Achieved",
                         "Complete", "Amber – needs attention"])


@given(st.lists(words, min_size=1, max_size=5))
def test_worst_of_any_list_of_statuses(lines: list[str]) -> None:
    reading = read_status("\n\n".join(lines))
    expected = [read_status(w).status for w in lines]
    assert reading.status is min(expected, key=STATUS_SEVERITY_ORDER.index)
    assert len(reading.found) == len(lines)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_text_reads_without_error(text: str) -> None:
    reading = read_status(text)
    assert (reading.status is None) == (reading.problem is not None)


@pytest.mark.parametrize("status", [None, *Status])
def test_a_status_word_looked_up_is_its_value(status: Status | None) -> None:
    assert STATUS_WORD[status] == (status.value if status else None)
    assert type(STATUS_WORD[status]) is (str if status else type(None))
