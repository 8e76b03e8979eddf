"""Validation: each partnership check, its severity, and the sentence a group reads."""

import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandera.errors import SchemaErrors

from pipeline.document import Place
from pipeline.issues import Severity
from pipeline.normalise.deadlines import dates_named
from pipeline.normalise.text import ref_outcome, says_by_when
from pipeline.records import PlanRecord, Status, SummaryRecord, TaskRecord
from pipeline.register import load_register
from pipeline.validate import (
    _group_columns,
    _summary_frame,
    _summary_issue,
    _task_frame,
    failed_rows,
    validate,
)
from schemas.common import blank, each_text, repeated
from schemas.plans import PlanRows
from schemas.statuses import StatusChecks
from schemas.summaries import SummaryCounts
from schemas.tasks import TaskRows

REGISTER = load_register()
GROUP = "Stronger Communities Group"


def task(row: int, **fields: object) -> TaskRecord:
    base = dict(
        task=f"Task {row}",
        target="March 09",
        position="Going well",
        status=Status.GREEN,
        status_text="Green",
        planned="",
        group=GROUP,
        outcome="2.1",
        ref="",
        action="Act",
    )
    base.update(fields)
    return TaskRecord(place=Place("sc.docx", table=3, row=row), **base)  # type: ignore[arg-type]


def codes(issues: list) -> list[tuple[str, str]]:
    return [(i.code, i.place.describe()) for i in issues]


def test_a_clean_return_has_no_issues() -> None:
    tasks = [
        task(2),
        task(3, status=Status.AMBER, status_text="AMBER", planned="Arrange training by June 09"),
    ]
    assert validate(tasks, [], [], REGISTER) == []


@pytest.mark.parametrize(
    ("fields", "code", "severity", "message"),
    [
        (
            dict(status=None, status_text="Ambr"),
            "unknown-status",
            Severity.ERROR,
            "Status 'Ambr' is not one of Green, Amber, Red, Achieved.",
        ),
        (dict(status=None, status_text=""), "missing-status", Severity.ERROR, "Task 'Task 2' has no Status."),
        (
            dict(status=Status.RED, status_text="RED", planned=""),
            "missing-planned-action",
            Severity.ERROR,
            "Task 'Task 2' is red but has no planned improvement or action.",
        ),
        (
            dict(status=Status.AMBER, status_text="Amber", planned="Arrange training."),
            "planned-action-no-deadline",
            Severity.QUERY,
            "The planned improvement for amber task 'Task 2' does not say by when.",
        ),
        (
            dict(ref="3.4a"),
            "ref-outside-outcome",
            Severity.QUERY,
            "Ref '3.4a' does not belong to outcome 2.1, under which it is written.",
        ),
        (
            dict(task=""),
            "missing-task",
            Severity.ERROR,
            "A row has a target, a position, a status but no task text.",
        ),
        (
            dict(outcome="4.3"),
            "outcome-not-group",
            Severity.WARNING,
            "Outcome 4.3 is not one of Stronger Communities Group's outcomes; it belongs to Economic "
            "Development Coordination Group.",
        ),
        (dict(outcome="9.9"), "unknown-outcome", Severity.WARNING, "Outcome '9.9' is not in the register."),
        (
            dict(group="Green Spaces Forum"),
            "unknown-group",
            Severity.WARNING,
            "The group 'Green Spaces Forum' is not in the register.",
        ),
    ],
)
def test_each_check(fields: dict, code: str, severity: Severity, message: str) -> None:
    issues = validate([task(2, **fields)], [], [], REGISTER)
    assert [(i.code, i.severity) for i in issues] == [(code, severity)]
    assert issues[0].message.startswith(message)
    assert issues[0].place.describe() == "table 3, row 2"


def test_no_status_column_gives_no_missing_status() -> None:
    assert validate([task(2, status=None, status_text="", has_status_column=False)], [], [], REGISTER) == []


def test_duplicate_task_names_the_first() -> None:
    issues = validate([task(2, task="Arrange training"), task(5, task="arrange  training")], [], [], REGISTER)
    assert codes(issues) == [("duplicate-task", "table 3, row 5")]
    assert "also at table 3, row 2" in issues[0].message


def test_summary_counts_against_tasks() -> None:
    tasks = [task(2), task(3, status=Status.RED, status_text="Red", planned="By June 09")]
    summary = SummaryRecord(
        Place("sc.docx", table=1, row=3, column=4),
        "2.1",
        {"Green": 1, "Amber": None, "Red": 2, "Total": 2},
        count_places={"Red": Place("sc.docx", table=1, row=5, column=4)},
    )
    issues = validate(tasks, [], [(summary, "sc.docx")], REGISTER)
    assert codes(issues) == [("summary-mismatch", "table 1, row 5, column 4")]
    assert issues[0].message == "The summary for outcome 2.1 says 2 red, but the tasks below it have 1."


def test_every_failure_in_every_row_is_collected() -> None:
    tasks = [task(r, status=None, status_text="Ambr") for r in range(2, 12)]
    assert len(validate(tasks, [], [], REGISTER)) == 10


def test_plan_rows() -> None:
    plan = PlanRecord(
        Place("cy.docx", table=1, row=5),
        action="a) Ensure",
        task="",
        group="Children & Young People Action Group",
        outcome="3.3",
    )
    issues = validate([], [plan], [], REGISTER)
    assert [i.code for i in issues] == ["missing-task"]


def test_a_summary_left_blank_declares_nothing() -> None:
    summary = SummaryRecord(
        Place("sc.docx", table=1, row=3), "2.1", {"Green": None, "Red": None, "Total": None}
    )
    assert validate([task(2)], [], [(summary, "sc.docx")], REGISTER) == []


# The models' row checks run column-wise (pipeline.validate.failed_rows); pandera's own lazy run of
# the same models is the reference, row by row, on frames mixing every case.
_TEXTS = {
    "file": ["a.docx", "b.xlsx"],
    "group": ["Stronger Communities Group", "Green Spaces Forum", ""],
    "outcome": ["2.1", "4.3", "9.9", ""],
    "outcome_owner": ["", "Stronger Communities Group", "Economic Development Coordination Group"],
    "ref": ["", "2.1a", "3.4b", "2.1 a", "Ref"],
    "action": ["Act", ""],
    "task": ["Arrange training", "arrange  TRAINING", " ", "", "Other task"],
    "status": [None, "Green", "Amber", "Red", "Achieved"],
    "status_text": ["", "Green", "Ambr", " "],
    "planned": ["", "  ", "By June 09", "next meeting", "soon", "Restart by June 2009", "Q3",
                "Arrange training."],
    "milestones": ["", "Plan agreed"],
    "position": ["", "Going well", "going  WELL", "Ok", "Stalled since the summer"],
    "revised_deadline": ["", "June 09", "june  09", "July 09"],
}
_FLAGS = ("group_known", "status_query", "has_status_column", "other_cells_filled", "has_previous")


def _column(name: str) -> st.SearchStrategy[Any]:
    if name in _FLAGS:
        return st.booleans()
    if name in ("target_day", "period_end", "overdue_from"):
        return st.none() | st.integers(733000, 733010)
    if name == "min_chars":
        return st.sampled_from([0, 5, 12])
    if name.startswith("previous_"):
        return st.sampled_from(_TEXTS[name.removeprefix("previous_")])
    return st.sampled_from(_TEXTS[name])


def _rows(model: type[pa.DataFrameModel]) -> st.SearchStrategy[list[dict[str, Any]]]:
    row = st.fixed_dictionaries({name: _column(name) for name in model.to_schema().columns})
    return st.lists(row, min_size=1, max_size=25)


def _frame(model: type[pa.DataFrameModel], rows: list[dict[str, Any]]) -> pd.DataFrame:
    built = pd.DataFrame(rows, index=pd.RangeIndex(len(rows)), columns=list(model.to_schema().columns))
    for name in ("target_day", "period_end", "overdue_from"):
        if name in built:
            built[name] = built[name].astype("Int64")
    return built


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def _row_passes(code: str, r: dict[str, Any], seen: set[tuple[str, ...]]) -> bool:
    """Each check as a sentence about one row: the meaning the column-wise code must keep."""
    exception = r.get("status") in ("Amber", "Red")
    match code:
        case "unknown-group":
            return r["group_known"]
        case "unknown-outcome":
            return _blank(r["outcome"]) or not _blank(r["outcome_owner"])
        case "outcome-not-group":
            return _blank(r["outcome_owner"]) or not r["group_known"] or r["outcome_owner"] == r["group"]
        case "missing-task" if "milestones" in r:
            return not (_blank(r["task"]) and _blank(r["milestones"]))
        case "missing-task":
            return not (_blank(r["task"]) and r["other_cells_filled"])
        case "missing-status":
            return not r["has_status_column"] or not _blank(r["status_text"])
        case "unknown-status":
            return _blank(r["status_text"]) or r["status"] is not None or r["status_query"]
        case "missing-planned-action":
            return not exception or not _blank(r["planned"])
        case "planned-action-no-deadline":
            return not (exception and not _blank(r["planned"])) or says_by_when(r["planned"])
        case "ref-outside-outcome":
            under = ref_outcome(r["ref"])
            return under == "" or _blank(r["outcome"]) or under == r["outcome"]
        case "duplicate-task":
            key = (r["file"], r["group"], r["outcome"], r["ref"], r["action"],
                   " ".join(r["task"].lower().split()))
            first = key not in seen
            seen.add(key)
            return _blank(r["task"]) or first
        case "target-date-passed":
            late = None not in (r["target_day"], r["overdue_from"]) and r["target_day"] < r["overdue_from"]
            return not (r["status"] in ("Green", "Amber") and late)
        case "achieved-future-target":
            early = None not in (r["target_day"], r["period_end"]) and r["target_day"] > r["period_end"]
            return not (r["status"] == "Achieved" and early)
        case "achieved-no-position":
            return not (r["status"] == "Achieved" and _blank(r["position"]))
        case "position-unchanged":
            now = _words(r["position"])
            return not (r["has_previous"] and not _blank(r["position"]) and len(now) >= r["min_chars"]
                        and now == _words(r["previous_position"]))
        case "deadline-moved-again":
            both = not _blank(r["revised_deadline"]) and not _blank(r["previous_revised_deadline"])
            moved = _words(r["revised_deadline"]) != _words(r["previous_revised_deadline"])
            return not (r["has_previous"] and both and moved)
        case "red-without-date":
            planned = r["planned"]
            return not (r["status"] == "Red" and not _blank(planned) and says_by_when(planned)
                        and not dates_named(planned))
    raise AssertionError(f"no row case for {code}")


def _row_failures(model: type[pa.DataFrameModel], rows: list[dict[str, Any]]) -> set[tuple[int, str]]:
    found = set()
    for check in model.to_schema().checks:
        code = check.name.replace("_", "-")
        seen: set[tuple[str, ...]] = set()
        found |= {(i, code) for i, r in enumerate(rows) if not _row_passes(code, r, seen)}
    return found


def _pandera_failures(model: type[pa.DataFrameModel], frame: pd.DataFrame) -> set[tuple[int, str]]:
    try:
        model.validate(frame, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
        pairs = zip(cases["check"], cases["index"], strict=True)
        return {(int(i), str(c).replace("_", "-")) for c, i in pairs}
    return set()


@pytest.mark.parametrize("model", [TaskRows, PlanRows, StatusChecks])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_column_wise_checks_find_each_row_case(model: type[pa.DataFrameModel], data: st.DataObject) -> None:
    """The column-wise checks find exactly the rows the row-by-row sentences find, as pandera's
    own lazy run of the same model does, once each, check by check in the model's order."""
    rows = data.draw(_rows(model))
    found = failed_rows(model, _frame(model, rows))
    assert len(found) == len(set(found))
    assert set(found) == _row_failures(model, rows)
    assert set(found) == _pandera_failures(model, _frame(model, rows))
    order = [c.name.replace("_", "-") for c in model.to_schema().checks]
    assert found == sorted(found, key=lambda f: (order.index(f[1]), f[0]))


def test_checks_switched_off_are_not_run() -> None:
    frame = pd.DataFrame({name: [value] for name, value in dict(
        status="Red", target_day=1, period_end=2, overdue_from=2, position="Same words",
        previous_position="same  words", has_previous=True, min_chars=0, revised_deadline="",
        previous_revised_deadline="", planned="").items()})
    assert failed_rows(StatusChecks, frame) == [(0, "position-unchanged")]
    assert failed_rows(StatusChecks, frame, codes={"red-without-date"}) == []


def test_a_check_that_crashes_is_a_bug_not_an_issue() -> None:
    frame = pd.DataFrame({"file": ["a.docx"], "outcome": ["2.1"], "colour": ["Purple"],
                          "declared": [1], "counted": [1]})
    with pytest.raises(RuntimeError, match="Validation could not run"):
        failed_rows(SummaryCounts, frame)


def test_loading_the_backends_ahead_loads_what_the_first_validation_would() -> None:
    # What a run does while its returns are read, in a fresh interpreter: the backends pandera
    # loads on its first validation are loaded, nothing is raised, and validation works after.
    script = (
        "import sys\n"
        "from pipeline.validate import load_backends, validate\n"
        "backend = 'pandera.backends.pandas.container'\n"
        "before = backend in sys.modules\n"
        "load_backends(); load_backends()\n"
        "print(before, backend in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parent.parent)
    assert done.stdout.split() == ["False", "True"]


_counts = st.one_of(st.none(), st.integers(0, 12))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.fixed_dictionaries({"Green": _counts, "Amber": _counts, "Red": _counts,
                                       "Total": _counts}), min_size=1, max_size=4),
       st.lists(st.sampled_from([*Status, None]), max_size=8))
def test_a_summary_issue_from_the_row_given_is_the_one_from_the_frames_row(
        declared: list[dict[str, int | None]], statuses: list[Status | None]) -> None:
    summaries = [(SummaryRecord(Place("sc.docx", table=1, row=3 + n), "2.1", counts), "sc.docx")
                 for n, counts in enumerate(declared)]
    tasks = [task(10 + n, status=status) for n, status in enumerate(statuses)]
    frame, places, rows = _summary_frame(summaries, tasks)
    for i in range(len(rows)):
        assert _summary_issue(rows[i], places[i], "summary-mismatch") == \
            _summary_issue(frame.loc[i], places[i], "summary-mismatch")  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(), st.text(st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\xa0"
                                                                     "\u2000\u2028\u3000\u200bx")))),
       st.sampled_from(["str", object]))
def test_blank_is_what_stripping_leaves_empty(texts: list[str | None], dtype: object) -> None:
    series = pd.Series(texts, index=pd.RangeIndex(10, 10 + len(texts)), dtype=dtype)  # type: ignore[call-overload]
    stripped = series.fillna("").astype(str).str.strip() == ""
    assert blank(series).tolist() == stripped.tolist()
    assert blank(series).index.equals(series.index)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "group": st.sampled_from([GROUP, "Unknown Group", ""]),
    "outcome": st.sampled_from(["2.1", "1.1", "9.9", ""]),
    "status": st.sampled_from([*Status, None]),
    "status_text": st.sampled_from(["", "Green", "Ongoing"]),
    "target": st.sampled_from(["", "March 09"]),
    "position": st.sampled_from(["", "Going well"]),
    "planned": st.sampled_from(["", "By June"]),
    "status_query": st.booleans(),
    "has_status_column": st.booleans(),
}), min_size=1, max_size=6))
def test_the_task_frame_made_by_columns_is_the_one_made_by_rows(fields: list[dict[str, Any]]) -> None:
    tasks = [task(2 + n, **f) for n, f in enumerate(fields)]
    known = {g.name for g in REGISTER.groups}
    by_rows = pd.DataFrame([{**_group_columns(t, REGISTER, known), "ref": t.ref, "action": t.action,
                             "task": t.task, "status": t.status.value if t.status else None,
                             "status_text": t.status_text, "status_query": t.status_query,
                             "has_status_column": t.has_status_column, "planned": t.planned,
                             "other_cells_filled": bool(t.target or t.position or t.status_text
                                                        or t.planned)}
                            for t in tasks], index=pd.RangeIndex(len(tasks)))
    pd.testing.assert_frame_equal(_task_frame(tasks, REGISTER), by_rows, check_exact=True)


def _blank_by_definition(series: pd.Series) -> pd.Series:
    """`schemas.common.blank` as first written: every gap '' and every value its text."""
    text = series.fillna("").astype(str)
    return pd.Series([not t.strip() for t in text], index=series.index, dtype=bool)


_CELL_VALUES = st.one_of(
    st.text(alphabet=st.sampled_from(["a", " ", "\t", "\n", "\xa0", "\u3000", "\u2028", "é", "0"]),
            max_size=4),
    st.none(), st.just(float("nan")), st.just(pd.NA), st.integers(-2, 2), st.floats(-1, 1),
    st.booleans(),
)


@given(st.lists(_CELL_VALUES, max_size=12))
def test_blank_is_true_of_exactly_the_empty_spaces_only_and_missing_cells(values: list[object]) -> None:
    series = pd.Series(values, dtype=object, index=pd.RangeIndex(5, 5 + len(values)))
    assert blank(series).equals(_blank_by_definition(series))


@pytest.mark.parametrize("dtype", ["string", "object"])
def test_blank_of_a_text_column_with_gaps(dtype: str) -> None:
    series = pd.Series(["x", None, " ", "", "\xa0y"], dtype=dtype)
    assert blank(series).tolist() == [False, True, True, True, False]


def _each_text_by_definition(series: pd.Series, work: Any) -> pd.Series:
    """`schemas.common.each_text` as first written, through pandas."""
    text = series.fillna("").astype(str)
    distinct = text.unique()
    return text.map(dict(zip(distinct, map(work, distinct), strict=True)))


@given(st.lists(_CELL_VALUES, max_size=12),
       st.sampled_from([str.casefold, len, str.isspace, lambda text: text[:1] or None]))
def test_each_text_gives_what_pandas_mapping_the_texts_gives(values: list[object], work: Any) -> None:
    series = pd.Series(values, dtype=object, index=pd.RangeIndex(3, 3 + len(values)))
    assert each_text(series, work).equals(_each_text_by_definition(series, work))


@given(st.lists(st.tuples(st.sampled_from(["a", "b", ""]), st.sampled_from(["x", "X", " x"]),
                          st.sampled_from(["1", "2"])), max_size=15))
def test_repeated_is_what_pandas_finds_duplicated(rows: list[tuple[str, str, str]]) -> None:
    frame = pd.DataFrame(rows, columns=["file", "task", "ref"], dtype=object,
                         index=pd.RangeIndex(7, 7 + len(rows)))
    found = repeated(frame["file"], frame["task"], frame["ref"])
    assert found.equals(frame.duplicated(keep="first"))
