"""The history store, the changes between two periods, and the history command, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from conftest import Backend
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, utils
from sqlalchemy import select, update

from pipeline.consolidate.result import Consolidation, Submission, SubmissionState
from pipeline.document import Place
from pipeline.history import store as store_module
from pipeline.history.changes import (
    DIRECTIONS,
    KINDS,
    UNCHANGED,
    Change,
    apply_directions,
    change_kind,
    compare,
)
from pipeline.history.matching import match_tasks
from pipeline.history.migrate import VERSION_TABLE
from pipeline.history.schema import Base, IssueRow, TaskRow
from pipeline.history.store import HistoryError, HistoryStore, open_store
from pipeline.history_command import history
from pipeline.issues import Severity, make_issue
from pipeline.records import Status, TaskRecord

Q3 = "Q3 2008/09"
EOY = "Q4 2008/09"
STRONGER = "Stronger Communities Group"
HEALTH = "Healthy City Partnership"
SHA_G = "a" * 64
SHA_H = "b" * 64


# --- backends -------------------------------------------------------------------------------


# --- data -------------------------------------------------------------------------------------


def _task(group: str, ref: str, task: str, status: Status | None, row: int) -> TaskRecord:
    file = "stronger.docx" if group == STRONGER else "health.xlsx"
    place = (Place(file=file, table=2, row=row) if file.endswith(".docx")
             else Place(file=file, sheet="Progress", cell=f"F{row}"))
    return TaskRecord(place=place, task=task, status=status,
                      status_text=status.value.upper() if status else "", group=group,
                      outcome=ref[:3], ref=ref, action=f"Action {ref}", target="Target",
                      position="Position", planned="Planned")


#: The previous period: one task for every kind of change.
PREVIOUS = [
    _task(STRONGER, "1.1a", "Recruit ten new community volunteers", Status.GREEN, 2),
    _task(STRONGER, "1.1b", "Open the Kingsholm community centre", Status.AMBER, 3),
    _task(STRONGER, "1.2a", "Publish the neighbourhood charter", Status.AMBER, 4),
    _task(STRONGER, "1.2b", "Run the residents' survey", Status.GREEN, 5),
    _task(STRONGER, "1.3a", "Train staff in conflict resolution", Status.RED, 6),
    _task(HEALTH, "2.1a", "Reduce smoking in pregnancy by 5%", Status.AMBER, 2),
    _task(HEALTH, "2.1b", "Extend the walking-for-health scheme", Status.GREEN, 3),
    _task(HEALTH, "2.2a", "Start healthy eating classes", Status.RED, 4),
]

#: This period: the same tasks moved on, one reworded, one dropped, two new.
CURRENT = [
    _task(STRONGER, "1.1a", "Recruit ten new community volunteers", Status.AMBER, 2),
    _task(STRONGER, "1.1b", "Open the Kingsholm community centre", Status.RED, 3),
    _task(STRONGER, "1.2a", "Publish the neighbourhood charter", Status.GREEN, 4),
    _task(STRONGER, "1.2b", "Run the residents' survey", Status.ACHIEVED, 5),
    _task(STRONGER, "1.3a", "Train staff in conflict resolution", Status.RED, 6),
    _task(STRONGER, "1.4a", "Set up a youth forum", Status.GREEN, 7),
    _task(HEALTH, "2.1a", "Reduce smoking during pregnancy by 5%", Status.GREEN, 2),
    _task(HEALTH, "2.2a", "Start healthy eating classes", None, 4),
    # The same words as a Stronger Communities task: another group's task is never matched to it.
    _task(HEALTH, "1.1a", "Recruit ten new community volunteers", Status.AMBER, 5),
]

EXPECTED_KINDS = [
    ("1.1a", "worsened"),
    ("1.1b", "newly red"),
    ("1.2a", "improved"),
    ("1.2b", "newly achieved"),
    ("1.3a", "unchanged"),
    ("1.4a", "new task"),
    ("2.1a", "improved"),
    ("2.2a", "not comparable"),
    ("1.1a", "new task"),
    ("2.1b", "no longer reported"),
]


def _consolidation(period: str, tasks: list[TaskRecord], *, health_sha: str = SHA_H) -> Consolidation:
    submissions = [
        Submission(file="stronger.docx", kind="Word progress return", state=SubmissionState.ACCEPTED,
                   group=STRONGER, rows=5, received="2009-01-10T09:00", sender="sc@example.org",
                   sha256=SHA_G),
        # The same file again, attached to an e-mail: one return, recorded once.
        Submission(file="mail.eml/stronger.docx", kind="Word progress return",
                   state=SubmissionState.SUPERSEDED,
                   reason="a later return from the same group was received (stronger.docx)",
                   group=STRONGER, rows=5, received="2009-01-09T09:00", sha256=SHA_G),
        Submission(file="health.xlsx", kind="Excel progress return", state=SubmissionState.ACCEPTED,
                   group=HEALTH, rows=3, received="2009-01-11T09:00", sha256=health_sha),
        Submission(file="notes.txt", kind="other file", state=SubmissionState.SKIPPED, reason="not a return"),
    ]
    return Consolidation(period=period, generated="2009-01-12 10:00", submissions=submissions,
                         tasks=[replace(t) for t in tasks])


# --- periods ----------------------------------------------------------------------------------


# --- store ------------------------------------------------------------------------------------


def test_migrations_create_exactly_the_declared_schema(store: HistoryStore) -> None:
    with store.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE}),
                                Base.metadata) == []


def test_the_head_revision_is_alembics_own() -> None:
    from alembic.script import ScriptDirectory

    from pipeline.history.migrate import alembic_config, head_revision

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_a_database_at_the_latest_revision_opens_without_loading_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    database = tmp_path / "history.sqlite"
    open_store(None, database).close()  # created and migrated (with Alembic)
    code = ("import sys; from pathlib import Path; from pipeline.history.store import open_store; "
            f"open_store(None, Path({str(database)!r})).close(); print('alembic' in sys.modules)")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "False"


def test_a_database_from_a_newer_pipeline_is_refused(tmp_path: Path) -> None:
    import sqlite3

    database = tmp_path / "history.sqlite"
    open_store(None, database).close()
    with sqlite3.connect(database) as connection:
        connection.execute(f"UPDATE {VERSION_TABLE} SET version_num = '9999'")
    with pytest.raises(HistoryError, match="has a schema this pipeline does not know"):
        open_store(None, database)


def test_record_a_period(store: HistoryStore) -> None:
    store.record(_consolidation(Q3, PREVIOUS))
    assert store.periods() == [Q3]
    assert store.counts(Q3) == (3, len(PREVIOUS))  # the e-mailed copy of stronger.docx is not a row
    # Every field the history keeps comes back as it went in, the place in the return included.
    assert store.tasks_of(Q3) == PREVIOUS
    assert all(type(t.place) is Place and len(t.place) == len(Place._fields) for t in store.tasks_of(Q3))
    assert store.tasks_of("Q1 2007/08") == []


@pytest.mark.parametrize("severity", list(Severity))
def test_a_severity_word_looked_up_is_its_value(severity: Severity) -> None:
    assert store_module._SEVERITY_WORD[severity] == severity.value
    assert type(store_module._SEVERITY_WORD[severity]) is str


def test_a_task_read_back_takes_each_value_as_its_field() -> None:
    # _task_record gives TaskRecord its fields by position: each column's value must land in its
    # own field, and every other field keep its default, as a call by keywords would have it.
    names = [column.key for column in store_module._TASK_RECORD_COLUMNS]
    row = [f"<{name}>" for name in names]
    row[names.index("status")] = "Amber"
    fields = {"group_name": "group"}
    place = Place(*(row[names.index(name)] for name in ("file", "table_no", "row_no", "column_no",
                                                         "paragraph_no", "sheet", "cell")))
    expected = TaskRecord(place=place, status=Status.AMBER, **{
        fields.get(name, name): value for name, value in zip(names, row, strict=True)
        if name not in ("file", "table_no", "row_no", "column_no", "paragraph_no", "sheet", "cell",
                        "status")})
    assert store_module._task_record(row) == expected


def test_a_period_is_recorded_in_chunks_whole_and_in_order(store: HistoryStore,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """record() inserts a few thousand rows at a time: every chunk lands, in report order."""
    monkeypatch.setattr(store_module, "_CHUNK", 2)
    tasks = PREVIOUS + [replace(t, task=f"{t.task} again") for t in PREVIOUS]
    result = _consolidation(Q3, tasks)
    result.issues = [make_issue("missing-status", t.place, task=t.task) for t in tasks]
    store.record(result)
    assert store.tasks_of(Q3) == tasks
    with store.engine.connect() as connection:
        recorded = connection.execute(select(IssueRow.seq, IssueRow.message).order_by(IssueRow.seq)).all()
    assert [tuple(row) for row in recorded] == [(i, issue.message) for i, issue in enumerate(result.issues)]


def test_a_missing_value_is_recorded_as_its_columns_default(store: HistoryStore) -> None:
    # The rows are written as tuples (store._task_row and the others), a missing value taking the
    # default the schema declares for its column, as the ORM's inserts did: every such column
    # of every table, read back.
    task = replace(PREVIOUS[0], group=None, outcome=None, ref=None, action=None, task=None,
                   target=None, position=None, status_text=None, planned=None, owner=None,
                   revised_deadline=None, place=Place(file=None))  # type: ignore[arg-type]
    result = _consolidation(Q3, [task])
    # (An issue's group and place make its key: they are never missing.)
    result.issues = [replace(make_issue("missing-status", Place(file=""), task="x"), ref=None,
                             task=None, column=None, advice=None,  # type: ignore[arg-type]
                             explanation=None)]
    result.submissions = [Submission("a.docx", None, SubmissionState.ACCEPTED,  # type: ignore[arg-type]
                                     group=None, rows=None, sender=None,  # type: ignore[arg-type]
                                     received=None, reason=None)]  # type: ignore[arg-type]
    store.record(result)
    missing = {"task": [c for c in store_module.WRITTEN_COLUMNS["task"] if c not in
                        ("period_id", "seq", "status", "location", "sheet", "cell", "table_no",
                         "row_no", "column_no", "paragraph_no")],
               "issue": ["ref", "task", "column_name", "advice", "explanation"],
               "source_file": ["sender", "received", "group_name", "kind", "reason", "row_count"]}
    tables = {"task": TaskRow, "issue": IssueRow, "source_file": store_module.SourceFileRow}
    with store.engine.connect() as connection:
        for name, row_class in tables.items():
            table = row_class.__table__
            defaults = {c.key: c.default.arg for c in table.columns
                        if c.default is not None and c.default.is_scalar}
            assert set(defaults) <= set(store_module.WRITTEN_COLUMNS[name]), name
            (row,) = connection.execute(select(table)).mappings().all()
            assert {key: row[key] for key in missing[name]} == {
                key: defaults[key] for key in missing[name]}, name


def test_a_status_word_this_version_does_not_know_reads_as_none(store: HistoryStore) -> None:
    store.record(_consolidation(Q3, PREVIOUS))
    with store.engine.begin() as connection:
        connection.execute(update(TaskRow).where(TaskRow.seq == 0).values(status="Blue"))
    assert [t.status for t in store.tasks_of(Q3)] == [None, *(t.status for t in PREVIOUS[1:])]
    assert [r.status for r in store.group_history(periods=[Q3])][:1] == [None]


def test_rerunning_a_period_replaces_its_record(store: HistoryStore) -> None:
    store.record(_consolidation(Q3, PREVIOUS))
    store.record(_consolidation(Q3, PREVIOUS))
    assert store.periods() == [Q3]
    assert store.counts(Q3) == (3, len(PREVIOUS))
    store.record(_consolidation(Q3, PREVIOUS[:2]))
    assert store.counts(Q3) == (3, 2)
    assert [t.ref for t in store.tasks_of(Q3)] == ["1.1a", "1.1b"]


def test_same_file_is_recognised_by_its_hash(store: HistoryStore) -> None:
    store.record(_consolidation(Q3, PREVIOUS))
    # Health sent its Q3 file again at the end of the year, unchanged.
    store.record(_consolidation(EOY, CURRENT, health_sha=SHA_H))
    assert store.seen_before(SHA_H) == [(Q3, "health.xlsx"), (EOY, "health.xlsx")]
    # Within a period the file is recorded once, under the copy that counted.
    assert store.seen_before(SHA_G) == [(Q3, "stronger.docx"), (EOY, "stronger.docx")]
    assert store.seen_before("c" * 64) == []
    assert store.seen_before("") == []


def test_previous_period_follows_the_calendar_not_the_order_of_recording(store: HistoryStore) -> None:
    store.record(_consolidation(EOY, CURRENT))
    store.record(_consolidation(Q3, PREVIOUS))
    assert store.periods() == [Q3, EOY]
    assert store.previous_period(EOY) == Q3
    assert store.previous_period(Q3) is None
    assert store.previous_period("Q1 2009/10") == EOY  # not recorded yet: where it would go
    assert store.previous_period("Q1 2008/09") is None


def test_group_history(store: HistoryStore) -> None:
    store.record(_consolidation(Q3, PREVIOUS))
    store.record(_consolidation(EOY, CURRENT))
    rows = store.group_history("healthy city partnership")
    assert [(r.period, r.ref, r.status) for r in rows] == [
        (Q3, "2.1a", Status.AMBER),
        (Q3, "2.1b", Status.GREEN),
        (Q3, "2.2a", Status.RED),
        (EOY, "2.1a", Status.GREEN),
        (EOY, "2.2a", None),
        (EOY, "1.1a", Status.AMBER),
    ]
    assert {r.group for r in rows} == {HEALTH}
    assert len(store.group_history(None)) == len(PREVIOUS) + len(CURRENT)
    assert store.groups() == [HEALTH, STRONGER]
    earlier = store.group_history(periods=[Q3])
    assert earlier == [r for r in store.group_history() if r.period == Q3] and len(earlier) == len(PREVIOUS)
    assert store.group_history(periods=[]) == []


def test_a_database_url_of_another_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="must be PostgreSQL or SQLite, not 'mysql'"):
        open_store("mysql://u:p@localhost/x", tmp_path / "history.sqlite")


def test_an_unreachable_server_is_a_history_error_with_the_password_hidden(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match=r"Cannot open the history database "
                                           r"postgresql\+psycopg://u:\*\*\*@127\.0\.0\.1:1/x") as caught:
        open_store("postgresql://u:secret@127.0.0.1:1/x?connect_timeout=2", tmp_path / "h.sqlite")
    assert "secret" not in str(caught.value)


# --- changes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("before", "now", "kind"), [
    (Status.GREEN, Status.AMBER, "worsened"),
    (Status.ACHIEVED, Status.GREEN, "worsened"),
    (Status.AMBER, Status.RED, "newly red"),
    (Status.ACHIEVED, Status.RED, "newly red"),
    (None, Status.RED, "newly red"),
    (Status.RED, Status.AMBER, "improved"),
    (Status.RED, Status.ACHIEVED, "newly achieved"),
    (None, Status.ACHIEVED, "newly achieved"),
    (Status.RED, Status.RED, "unchanged"),
    (None, None, "unchanged"),
    (Status.RED, None, "not comparable"),
    (None, Status.AMBER, "not comparable"),
])
def test_change_kind(before: Status | None, now: Status | None, kind: str) -> None:
    assert change_kind(before, now) == kind


def test_compare_two_periods(store: HistoryStore) -> None:
    store.record(_consolidation(Q3, PREVIOUS))
    current = [replace(t) for t in CURRENT]
    changes = compare(store.tasks_of(store.previous_period(EOY)), current)
    assert [(c.ref, c.kind) for c in changes] == EXPECTED_KINDS
    reworded = changes[6]
    assert (reworded.task, reworded.previous_task) == ("Reduce smoking during pregnancy by 5%",
                                                       "Reduce smoking in pregnancy by 5%")
    assert (reworded.previous_status, reworded.current_status) == (Status.AMBER, Status.GREEN)
    dropped = changes[-1]
    assert (dropped.group, dropped.task, dropped.previous_status, dropped.current_status) == (
        HEALTH, "Extend the walking-for-health scheme", Status.GREEN, None)


def test_a_group_whose_return_has_not_arrived_is_awaited_not_lost() -> None:
    current = [t for t in CURRENT if t.group != HEALTH]
    changes = compare(PREVIOUS, current, awaiting=[HEALTH])
    health = [c.kind for c in changes if c.group == HEALTH]
    assert health and set(health) == {"awaiting return"}
    # The same tasks missing from a return that did arrive are no longer reported.
    assert {c.kind for c in compare(PREVIOUS, current) if c.group == HEALTH} == {"no longer reported"}


def test_apply_directions() -> None:
    current = [replace(t) for t in CURRENT]
    apply_directions(current, compare(PREVIOUS, current))
    assert [t.direction for t in current] == [
        "↓ worsened", "↓ newly red", "↑ improved", "↑ newly achieved", "→ no change", "new",
        "↑ improved", "", "new",
    ]
    assert set(DIRECTIONS.values()) >= {t.direction for t in current}


@dataclasses.dataclass(frozen=True)
class _ChangeAsDataclass:
    """`Change` as it was, a frozen dataclass: the named tuple must behave as it did."""

    group: str
    outcome: str
    ref: str
    task: str
    previous_status: Status | None
    current_status: Status | None
    kind: str
    previous_task: str = ""
    current: TaskRecord | None = dataclasses.field(default=None, repr=False, compare=False)


_statuses = st.sampled_from([None, *Status])
_change_values = st.tuples(st.sampled_from(["", STRONGER]), st.sampled_from(["", "3.1"]),
                           st.sampled_from(["", "3.1a"]), st.text(max_size=5), _statuses, _statuses,
                           st.sampled_from(KINDS), st.text(max_size=5))


@given(_change_values, _change_values, st.booleans())
def test_a_change_compares_hashes_and_shows_itself_as_the_dataclass_did(
        first: tuple[Any, ...], second: tuple[Any, ...], with_task: bool) -> None:
    task = TaskRecord(place=Place("a.docx"), task="t") if with_task else None
    made = [(Change(*values, current=task), _ChangeAsDataclass(*values, current=task))
            for values in (first, second, first)]
    for (change, reference), (other, other_reference) in itertools.product(made, made):
        assert (change == other) is (reference == other_reference)
        assert (change != other) is (reference != other_reference)
        if change == other:
            assert hash(change) == hash(other)
    for change, reference in made:
        assert hash(change) == hash(reference)  # hashable, though a task record is not
        assert repr(change) == repr(reference).replace("_ChangeAsDataclass(", "Change(")
        assert {name: getattr(change, name) for name in Change._fields} == \
            {f.name: getattr(reference, f.name) for f in dataclasses.fields(reference)}
        # Equal to no other kind of object, not even a tuple of its values.
        assert change != reference and change != tuple(change) and tuple(change) != change
        assert not (change == tuple(change) or tuple(change) == change)
        with pytest.raises(AttributeError):
            change.kind = UNCHANGED  # type: ignore[misc]


def test_matching_is_one_to_one_and_respects_refs() -> None:
    before = [_task(STRONGER, "3.1a", "Hold quarterly meetings", Status.GREEN, 2)]
    after = [
        _task(STRONGER, "3.1b", "Hold quarterly meetings", Status.RED, 2),  # another Ref: not it
        _task(STRONGER, "", "Hold quarterly meetings", Status.AMBER, 3),   # no Ref: may be it
        _task(STRONGER, "", "Hold quarterly meetings.", Status.AMBER, 4),  # only one can be
    ]
    assert [c.kind for c in compare(before, after)] == ["new task", "worsened", "new task"]


def test_tasks_without_text_pair_only_by_a_shared_ref() -> None:
    before = [_task(STRONGER, "5.1a", "", Status.GREEN, 2), _task(STRONGER, "", "", Status.RED, 3),
              _task(STRONGER, "5.2a", "Map the local youth clubs", Status.AMBER, 4)]
    after = [_task(STRONGER, "", "", Status.AMBER, 2), _task(STRONGER, "5.1 a.", "", Status.RED, 3),
             _task(STRONGER, "", "map the  local youth clubs", Status.GREEN, 4)]
    assert match_tasks(before, after) == [(0, 1), (2, 2)]


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text())
def test_the_plain_ratio_of_sorted_words_is_token_sort_ratio(a: str, b: str) -> None:
    """Matching sorts each task's words once and scores pairs by the plain ratio: the same score."""
    first, second = utils.default_process(a), utils.default_process(b)
    assert fuzz.ratio(" ".join(sorted(first.split())), " ".join(sorted(second.split()))) == \
        fuzz.token_sort_ratio(first, second)


def _reference_pairs(previous: list[TaskRecord], current: list[TaskRecord]) -> list[tuple[int, int]]:
    """match_tasks as sentences about each pair: same group; equal Refs or one has none; the same
    words (or, both empty, a shared Ref) score 100, else token_sort_ratio from 85; the closest
    pair first, then a shared Ref, then the nearer place in the group's list."""
    def words(text: str) -> str:
        return " ".join(text.casefold().split())

    def ref(text: str) -> str:
        return re.sub(r"[\s.]+$", "", re.sub(r"\s+", "", text.casefold()))

    def ranks(tasks: list[TaskRecord]) -> list[int]:
        seen: dict[str, int] = {}
        found = []
        for t in tasks:
            found.append(seen.get(words(t.group), 0))
            seen[words(t.group)] = found[-1] + 1
        return found

    rank_before, rank_after = ranks(previous), ranks(current)
    candidates = []
    for i, old in enumerate(previous):
        for j, new in enumerate(current):
            a, b = ref(old.ref), ref(new.ref)
            if words(old.group) != words(new.group) or (a and b and a != b):
                continue
            same_ref = bool(a) and a == b
            if words(old.task) == words(new.task):
                if not (words(old.task) or same_ref):
                    continue
                score = 100.0
            else:
                score = fuzz.token_sort_ratio(utils.default_process(words(old.task)),
                                              utils.default_process(words(new.task)))
                if score < 85:
                    continue
            candidates.append((-score, not same_ref, abs(rank_before[i] - rank_after[j]), i, j))
    pairs, used_i, used_j = [], set(), set()
    for *_, i, j in sorted(candidates):
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            pairs.append((i, j))
    return sorted(pairs, key=lambda p: p[1])


_WORDS = ["Hold", "hold", "quarterly", "meetings", "meetings.", "the", "Staff", "staff", "é", "...", "&"]
_task_like = st.builds(
    lambda group, ref, words, row: _task(group, ref, " ".join(words), Status.GREEN, row),
    st.sampled_from([STRONGER, "stronger  communities group", "Another Group"]),
    st.sampled_from(["", "3.1a", "3.1 a.", "3.1b"]),
    st.lists(st.sampled_from(_WORDS), max_size=4),
    st.integers(1, 40),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_task_like, max_size=12), st.lists(_task_like, max_size=12))
def test_matching_pairs_what_the_sentences_pair(previous: list[TaskRecord],
                                                current: list[TaskRecord]) -> None:
    assert match_tasks(previous, current) == _reference_pairs(previous, current)


# --- the history command ----------------------------------------------------------------------


def test_history_command_output(backend: Backend) -> None:
    with open_store(backend.db, backend.default_path) as store:
        store.record(_consolidation(Q3, PREVIOUS))
        store.record(_consolidation(EOY, CURRENT))
        # Healthy City sent nothing for the next quarter: its column is there, every task '-'.
        store.record(_consolidation("Q1 2009/10", CURRENT[:1]))
    result = CliRunner().invoke(history, [*backend.cli_args(), "--group", "Healthy City Partnership"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Group                     Ref   Task                                   Q3 2008/09"
        "  Q4 2008/09  Q1 2009/10\n"
        "------------------------  ----  -------------------------------------  ----------"
        "  ----------  ----------\n"
        "Healthy City Partnership  2.1a  Reduce smoking during pregnancy by 5%  Amber     "
        "  Green       -\n"
        "Healthy City Partnership  2.1b  Extend the walking-for-health scheme   Green     "
        "  -           -\n"
        "Healthy City Partnership  2.2a  Start healthy eating classes           Red       "
        "  no status   -\n"
        "Healthy City Partnership  1.1a  Recruit ten new community volunteers   -         "
        "  Amber       -\n"
    )


def test_history_command_shortens_tasks_and_filters_by_task(backend: Backend) -> None:
    long = "Deliver the neighbourhood management pilot in Matson, Podsmead and Barton"
    with open_store(backend.db, backend.default_path) as store:
        store.record(_consolidation(Q3, [_task(STRONGER, "4.1a", long, Status.AMBER, 2), *PREVIOUS]))
    result = CliRunner().invoke(history, [*backend.cli_args(), "--task", "matson"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Group                       Ref   Task                                   Q3 2008/09\n"
        "--------------------------  ----  -------------------------------------  ----------\n"
        "Stronger Communities Group  4.1a  Deliver the neighbourhood management…  Amber\n"
    )


def test_history_command_unknown_group(backend: Backend) -> None:
    with open_store(backend.db, backend.default_path) as store:
        store.record(_consolidation(Q3, PREVIOUS))
    result = CliRunner().invoke(history, [*backend.cli_args(), "--group", "Transport Group"])
    assert result.exit_code == 1
    assert result.output == ("Error: No tasks are recorded for the group 'Transport Group'. Groups "
                             "recorded: Healthy City Partnership, Stronger Communities Group.\n")


def test_history_command_without_a_history(tmp_path: Path) -> None:
    result = CliRunner().invoke(history, ["--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == (f"Error: No history yet: {tmp_path / 'history.sqlite'} does not exist. "
                             "Run 'pipeline consolidate' first, or name the database with --db.\n")
    assert not (tmp_path / "history.sqlite").exists()


def test_history_command_has_help() -> None:
    result = CliRunner().invoke(history, ["--help"])
    assert result.exit_code == 0
    assert "Show each task's status in every period consolidated so far; list or remove" in result.output
