"""An issue keeps its facts (its place and values) and renders its message from them."""

from __future__ import annotations

import pickle

import pytest

from pipeline.document import Place
from pipeline.issues import CATALOGUE, Severity, make_issue


def test_an_issue_keeps_its_place_and_values_and_renders_its_message_from_them() -> None:
    place = Place("stronger.docx", table=2, row=5, column=4)
    issue = make_issue("unknown-status", place, value="Ongoing-ish")
    assert (issue.place.file, issue.place.table, issue.place.row, issue.place.column) == (
        "stronger.docx", 2, 5, 4)
    assert issue.facts == {"value": "Ongoing-ish"}
    assert issue.severity is CATALOGUE["unknown-status"].severity
    assert issue.message == CATALOGUE["unknown-status"].template.format(value="Ongoing-ish")
    assert issue.advice == CATALOGUE["unknown-status"].advice.format(value="Ongoing-ish")


def test_a_long_value_is_shortened_in_the_message_but_kept_whole_in_the_facts() -> None:
    header = "A heading " * 20
    issue = make_issue("unmapped-header", Place("r.xlsx", sheet="Q4", cell="H1"), header=header)
    assert issue.facts["header"] == header
    assert header.strip() not in issue.message and "…" in issue.message
    assert issue.severity is Severity.WARNING


def test_a_template_naming_a_fact_not_given_is_refused_when_the_issue_is_made() -> None:
    with pytest.raises(KeyError, match="header"):
        make_issue("unmapped-header", Place("r.xlsx"))


def test_an_issue_crosses_processes_whole() -> None:
    issue = make_issue("summary-mismatch", Place("h.docx", table=1, row=2), outcome="3.4",
                       declared=4, colour="Amber", counted=3)
    copy = pickle.loads(pickle.dumps(issue))
    assert copy == issue and copy.message == issue.message
