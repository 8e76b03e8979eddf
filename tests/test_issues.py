"""An issue keeps its facts (its place and values) and renders its message from them."""

from __future__ import annotations

import copy
import hashlib
import pickle
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.document import Place
from pipeline.issues import (
    CATALOGUE,
    Issue,
    Severity,
    _flat_lower,
    _shorten,
    _shortened_text,
    _template_names,
    about_task,
    issue_key,
    make_issue,
    make_task_issue,
)
from pipeline.records import TaskRecord


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


_texts = st.sampled_from(["", "Stronger Communities Group", "stronger  communities group", "3.1a",
                          "Hold quarterly MEETINGS", "hold quarterly meetings", "status"])


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["unknown-status", "position-unchanged", "hidden-row"]), _texts, _texts,
       _texts, _texts, st.lists(st.tuples(st.sampled_from(["group", "ref", "task", "column",
                                                           "explanation", "message"]), _texts),
                                max_size=4))
def test_a_remembered_key_is_the_key_worked_out_afresh(code: str, group: str, ref: str, task: str,
                                                       column: str,
                                                       changes: list[tuple[str, str]]) -> None:
    issue = replace(make_issue(code, Place("r.docx", table=1, row=2), value="v", task="t",
                               cells="A1", row=2, previous_period="Q3"),
                    group=group, ref=ref, task=task, column=column)
    assert issue.key == issue_key(issue) and issue.key == issue_key(issue)  # asked twice
    for name, value in changes:  # each changed issue is a new one, its key its own
        issue = replace(issue, **{name: value})
        assert issue.key == issue_key(issue)
    for other in (pickle.loads(pickle.dumps(issue)), copy.copy(issue)):
        assert other == issue and other.key == issue.key == issue_key(other)


def test_the_remembered_key_is_not_a_field() -> None:
    issue = make_issue("hidden-row", Place("r.xlsx", sheet="S", cell="A4"), row=4, cells="A4")
    fresh = make_issue("hidden-row", Place("r.xlsx", sheet="S", cell="A4"), row=4, cells="A4")
    assert issue.key and issue == fresh and hash(issue) == hash(fresh)
    assert "_key" not in repr(issue) and isinstance(issue, Issue)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(CATALOGUE)), _texts, _texts, _texts, _texts,
       st.sampled_from(["A long wording " * 10, "short", "  spaced  out  ", "", 3]))
def test_an_issue_made_about_a_task_in_one_go_is_the_issue_made_then_given_the_task(
        code: str, group: str, ref: str, wording: str, column: str, fact: object) -> None:
    task = TaskRecord(Place("r.docx", table=1, row=2), wording, group=group, ref=ref)
    facts = {name: fact for name in _template_names(code)} | {"task": wording, "extra": fact}
    place = task.place_of(column)
    one_go = make_task_issue(code, place, task, column, **facts)
    assert one_go == about_task(make_issue(code, place, **facts), task, column)
    assert (one_go.message, one_go.values, one_go.key) == (
        make_issue(code, place, **facts).message, tuple(facts.items()),
        about_task(make_issue(code, place, **facts), task, column).key)


def _rendered_plainly(code: str, facts: dict[str, object]) -> tuple[str, str]:
    """The message and advice as the catalogue's templates give them, each shown fact shortened
    afresh: what `make_issue`'s remembered renderings and shortened texts must give."""
    kind = CATALOGUE[code]
    shown = {name: _shorten(facts[name]) for name in _template_names(code) if name in facts}
    return kind.template.format_map(shown), kind.advice.format_map(shown)


_fact_values = st.one_of(
    st.sampled_from(["Q3 2008/09", "Green", "  spaced \n out ", " on 2009-03-30", "x" * 79, "y " * 45,
                     "", 3, None]),
    st.text(st.sampled_from("ab \t\n…'{}"), max_size=100), st.integers())


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(CATALOGUE)), st.data())
def test_an_issue_renders_what_the_templates_render_from_its_facts_shortened_afresh(
        code: str, data: st.DataObject) -> None:
    names = sorted(_template_names(code))
    facts = {name: data.draw(_fact_values, label=name) for name in names}
    task = TaskRecord(Place("r.docx", table=1, row=2), "Task", group="G", ref="1.1")
    for forget in (True, False, False):  # remembered texts, or not (the same texts again)
        if forget:
            _shortened_text.cache_clear()
        for issue in (make_issue(code, Place("r.docx"), **facts),
                      make_task_issue(code, Place("r.docx"), task, "status", **facts)):
            assert (issue.message, issue.advice) == _rendered_plainly(code, facts)
            assert issue.severity is CATALOGUE[code].severity and issue.values == tuple(facts.items())


def _key_plainly(issue: Issue) -> str:
    """`issue_key` as it was written before the group's and wording's flattening was
    remembered: what the remembered flattening must give."""
    if issue.task or issue.ref:
        subject = (issue.ref, " ".join(issue.task.lower().split())[:120], issue.column)
    else:
        subject = (issue.place.describe(), issue.message, "")
    text = "\x1f".join((" ".join(issue.group.lower().split()), issue.code, *subject))
    return hashlib.blake2s(text.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()


_spaced_texts = st.one_of(_texts, st.text(st.sampled_from("aBc \t\n\u00a0İ\ud800"), max_size=130))


@settings(max_examples=300, deadline=None)
@given(_spaced_texts, _spaced_texts, _spaced_texts, st.sampled_from(["", "status"]))
def test_a_key_with_its_flattening_remembered_is_the_key_worked_out_plainly(
        group: str, ref: str, wording: str, column: str) -> None:
    task = TaskRecord(Place("r.docx", table=1, row=2), wording, group=group, ref=ref)
    issues = [make_task_issue("position-unchanged", task.place, task, column, task=wording,
                              previous_period="Q3"),
              replace(make_issue("hidden-row", Place("r.xlsx", sheet="S", cell="A4"), row=4,
                                 cells=wording), group=group)]
    for forget in (True, False):  # flattened afresh, then remembered
        if forget:
            _flat_lower.cache_clear()
        for issue in issues:
            assert issue_key(issue) == _key_plainly(issue)
