"""The group and outcome register: loading it and matching names to it."""

from pathlib import Path

import pytest

from pipeline.register import RegisterError, load_register

REGISTER = load_register()


def test_shipped_register_has_the_seed_groups_in_order() -> None:
    assert [g.name for g in REGISTER.groups] == [
        "Crime and Disorder Reduction Partnership", "Economic Development Coordination Group",
        "Healthy City Partnership", "Children & Young People Action Group", "Stronger Communities Group"]
    assert [o.number for o in REGISTER.outcomes_of("Stronger Communities Group")] == ["2.1", "2.2", "3.1"]


@pytest.mark.parametrize(("text", "group"), [
    ("Stronger Communities", "Stronger Communities Group"),
    ("Children and Young People Action Group", "Children & Young People Action Group"),
    ("Crime & Disorder Reduction Partnrship", "Crime and Disorder Reduction Partnership"),
    ("Economic Development Co-ordination Group", "Economic Development Coordination Group"),
    ("CYPAG", "Children & Young People Action Group"),
])
def test_match_group_tolerates_wording(text: str, group: str) -> None:
    match = REGISTER.match_group(text)
    assert match.group is not None and match.group.name == group


def test_unknown_group_names_the_closest() -> None:
    match = REGISTER.match_group("Healthy Town Partnership")
    assert match.group is None and match.closest == "Healthy City Partnership"


@pytest.mark.parametrize(("text", "slug"), [("cypag-action-plan-2008-10", "cypag"),
                                            ("Q4 return - healthy city", "healthy-city"),
                                            ("random", None)])
def test_find_group_in_file_names(text: str, slug: str | None) -> None:
    found = REGISTER.find_group_in(text)
    assert (found.slug if found else None) == slug


def test_broken_register_says_what_is_wrong(tmp_path: Path) -> None:
    bad = tmp_path / "register.toml"
    bad.write_text('[[groups]]\nshort = "X"\n')
    with pytest.raises(RegisterError, match="no 'name'"):
        load_register(bad)
    bad.write_text('[[groups]]\nname = "A"\n[[outcomes]]\nnumber = "1.1"\ngroup = "B"\n')
    with pytest.raises(RegisterError, match="names the group 'B'"):
        load_register(bad)
    with pytest.raises(RegisterError, match="does not exist"):
        load_register(tmp_path / "missing.toml")
