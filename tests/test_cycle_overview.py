"""The quarter read back from the history in one go (`pipeline.cycle.overview`), as the page and
`pipeline status` show it: the tracker, the counts against last period, the last run."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.cycle.actions import open_period, plan_run
from pipeline.cycle.overview import place_from_words, quarter_overview, restored_run
from pipeline.cycle.workspace import SAMPLE_HISTORY, Workspace
from pipeline.document import Place
from pipeline.records import Status
from pipeline.register import load_register
from pipeline.run import run_consolidation
from tests.web_fixtures import EXCEL_RETURN, WORD_RETURN


@pytest.mark.parametrize("place", [
    Place("r.docx", table=3, row=2, column=5), Place("r.docx", table=1), Place("r.docx", paragraph=4),
    Place("r.docx", table=2, row=7), Place("r.xlsx", sheet="Outcome 2.1", cell="D14"),
    Place("r.xlsx", sheet="Group's tasks", cell="AB102"), Place("r.xlsx", sheet="Summary"), Place("r.pdf"),
    Place("r.pdf", table=1, row=3, page=2),
])
def test_a_recorded_place_is_read_back_from_its_words(place: Place) -> None:
    assert place_from_words(place.file, place.describe()) == place


@given(st.one_of(
    st.builds(Place, st.just("f"), table=st.integers(1, 99) | st.none(), row=st.integers(1, 999) | st.none(),
              column=st.integers(1, 30) | st.none(), paragraph=st.integers(1, 99) | st.none(),
              page=st.integers(0, 500) | st.none(), sheet=st.none(), cell=st.none()),
    st.builds(Place, st.just("f"), sheet=st.text(min_size=1, max_size=20),
              cell=st.from_regex(r"[A-Z]{1,3}[1-9][0-9]{0,4}", fullmatch=True) | st.none(),
              table=st.none(), row=st.none(), column=st.none(), paragraph=st.none(), page=st.none()),
))
def test_any_place_is_read_back_as_the_same_words(place: Place) -> None:
    # Words are what a person reads; a place read back from them must say the same.
    assert place_from_words("f", place.describe()).describe() == place.describe()


def _workspace(tmp_path: Path) -> Workspace:
    return Workspace(load_register(None), tmp_path / "inbox", tmp_path / "outputs")


def _consolidate(ws: Workspace) -> None:
    plan = plan_run(ws)
    run_consolidation(plan.inbox, ws.out, ws.register, period=plan.period, exclude=plan.exclude,
                      history_file=plan.history_file)


def test_nothing_opened_nothing_recorded_is_an_empty_overview(tmp_path: Path) -> None:
    shown = quarter_overview(_workspace(tmp_path))
    assert shown.period == "" and shown.tracker is None and shown.last_run is None
    assert not (tmp_path / "outputs").exists()


def test_the_quarter_in_one_reading_of_the_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _workspace(tmp_path)
    open_period(ws, "Q3 2008/09", deadline=dt.date(2009, 1, 21))
    for source in (WORD_RETURN, EXCEL_RETURN):
        shutil.copy(source, ws.period_inbox("Q3 2008/09"))
    _consolidate(ws)
    from pipeline.cycle.actions import close_period

    close_period(ws)
    open_period(ws, "Q4 2008/09", deadline=dt.date(2009, 4, 21))
    shutil.copy(WORD_RETURN, ws.period_inbox("Q4 2008/09"))
    _consolidate(ws)

    from pipeline.history.store import open_store

    opened: list[Path] = []

    def counting(db: str | None, path: Path) -> object:
        opened.append(path)
        return open_store(db, path)

    monkeypatch.setattr("pipeline.history.store.open_store", counting)
    shown = quarter_overview(ws, today=dt.date(2009, 4, 16))
    assert len(opened) == 1, "the history is opened once for the whole quarter"
    assert shown.period == "Q4 2008/09" and shown.tracker is not None
    assert shown.tracker.deadline_words() == "Deadline 21 April 2009: 5 days left"
    assert shown.previous_period == "Q3 2008/09"
    economy = "Economic Development Coordination Group"
    assert sum(shown.counts.get(economy, {}).values()) == 0
    assert shown.previous_counts[economy][Status.GREEN] == 2
    assert [p.label for p in shown.closed] == ["Q3 2008/09"]
    assert [e.action for e in shown.audit][:1] == ["opened"]
    assert shown.last_run is not None and [f.file for f in shown.last_run.files] == [WORD_RETURN.name]
    # The recorded run is shown as a run: its problems at their places, the same keys.
    run = restored_run(ws, shown)
    assert run is not None
    assert [i.key for i in run.result.issues] == [i.key for i in shown.last_run.issues]
    assert economy in run.result.missing_groups
    assert {p.name for p in run.written} >= {"master.xlsx", "exceptions.docx"}


def test_the_sample_inbox_is_read_from_its_own_history(tmp_path: Path) -> None:
    from pipeline.intake.scan import SAMPLE_MARKER

    ws = _workspace(tmp_path)
    ws.inbox_root.mkdir()
    shutil.copy(WORD_RETURN, ws.inbox_root)
    (ws.inbox_root / SAMPLE_MARKER).write_text("sample")
    _consolidate(ws)
    assert not (ws.out / "history.sqlite").exists()
    shown = quarter_overview(ws)
    assert shown.tracker is None and shown.last_run is not None
    assert shown.history == ws.out / SAMPLE_HISTORY


def test_status_prints_the_last_consolidation_read_from_the_same_overview(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main

    monkeypatch.chdir(tmp_path)
    ws = Workspace(load_register(None), Path("inbox"), Path("outputs"))
    open_period(ws, "Q4 2008/09", deadline=dt.date(2099, 4, 21))
    shutil.copy(WORD_RETURN, ws.period_inbox("Q4 2008/09"))
    _consolidate(ws)
    shown = quarter_overview(ws)
    assert shown.last_run is not None
    said = CliRunner().invoke(main, ["status"])
    assert said.exit_code == 0, said.output
    assert said.output.splitlines()[-1] == shown.last_run.line()
    assert shown.last_run.line().endswith(": 1 file, 4 tasks; 0 errors, 3 queries (0 explained), 0 warnings.")
