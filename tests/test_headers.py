"""Header mapping: the wording groups really use, onto our fields."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalise.headers import SYNONYMS, financial_year, fold, match_header


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Tasks", "task"), ("TASK", "task"), ("Target(s)", "target"), ("Position", "position"),
        ("Progress", "position"), ("Progress to date", "position"), ("RAG", "status"),
        ("R.A.G. Status", "status"), ("Status", "status"),
        ("Planned improvement/action needed and deadline", "planned"),
        ("Planned improvement / action needed & deadline", "planned"),
        ("Planned Improvement", "planned"), ("Next steps", "planned"),
        ("Ref", "ref"), ("Action", "action"), ("What do we want to achieve", "objective"),
        ("How will we do it", "task"), ("Who will be involved", "resources"),
        ("What will success look like (links to national indicator set)", "measures"),
        ("Milestones/Detailed Tasks", "milestones"), ("Timescale", "timescale"),
        ("Resource/ Organisations involved", "resources"), ("Contact Officer", "contact_officer"),
        ("Lead Partnership", "lead_partnership"), ("Long-term Ambitions", "long_term"),
        ("Measures", "measures"),
    ],
)
def test_known_headings(heading: str, field: str) -> None:
    assert match_header(heading).field == field


@pytest.mark.parametrize("heading", ["Colour", "Shape", "",
                                     "Action: Reduce fear of crime (Latest figures available Fear of Crime "
                                     "Survey March 2008 show that number of people)"])
def test_unknown_headings_match_nothing(heading: str) -> None:
    assert match_header(heading).field is None


@pytest.mark.parametrize(("text", "year"), [("2008/ 2009", "2008/09"), ("2009/10", "2009/10"),
                                            ("Baseline\n\n2007/8", "2007/08"), ("2010-11", "2010/11"),
                                            ("1998", ""), ("2008/2010", "")])
def test_financial_years(text: str, year: str) -> None:
    assert financial_year(text) == year


synonym = st.sampled_from([(s, f) for f, words in SYNONYMS.items() if f != "targets" for s in words])


@given(synonym, st.sampled_from([str.upper, str.lower, str.title, lambda s: f"  {s} ", lambda s: s + ":"]))
def test_any_synonym_in_any_case_maps_to_its_field(pair: tuple[str, str], change) -> None:  # noqa: ANN001
    text, field = pair
    expected = "target" if field == "targets" else field
    assert match_header(change(text)).field == expected


def test_fold_treats_ampersand_as_and() -> None:
    assert fold("Action needed & Deadline") == fold("action needed and deadline")
