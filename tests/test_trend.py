"""The Trend sheet and the history's read-only trend queries; the Tasks and Exceptions sheets'
print set-up; Status detail only where it says more than Status."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from board_factory import Q2, Q3, board_consolidation, earlier_tasks
from consolidation_factory import CDRP, make_consolidation

from pipeline.history.store import open_store
from pipeline.history.trend import periods_at_amber_or_red, read_trend, status_strip
from pipeline.records import Status
from pipeline.report.master import write_master
from pipeline.report.sheets_tasks import TASK_COLUMNS

A, R, G, C = Status.AMBER, Status.RED, Status.GREEN, Status.ACHIEVED


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    tmp = tmp_path_factory.mktemp("trend")
    result = board_consolidation(tmp)
    write_master(result, tmp / "master.xlsx")
    return openpyxl.load_workbook(tmp / "master.xlsx")


def rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[list[object]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_read_trend_gives_the_earlier_periods_only(tmp_path: Path) -> None:
    board_consolidation(tmp_path)  # records Q2 and Q3
    with open_store(None, tmp_path / "history.sqlite") as store:
        trend = read_trend(store, "end of year 2008/9")
        assert trend.periods == [Q2, Q3]
        assert read_trend(store, Q3).periods == [Q2]
        assert read_trend(store, Q2).periods == []
        assert store.periods() == [Q2, Q3], "reading never records"
    assert {status: n for (group, status), n in trend.counts[Q3].items() if group == CDRP} == \
        {G: 1, R: 1, A: 1}
    current = make_consolidation().tasks
    earlier = trend.earlier_statuses(current)
    assert earlier[0] == {Q2: G, Q3: G}  # Neighbourhood Management Group
    assert earlier[3] == {}  # the Employer Offer is new


@pytest.mark.parametrize("recorded", [[Q3], [Q2, Q3]])
def test_a_period_known_already_gives_the_trend_reading_it_gives(tmp_path: Path,
                                                                 recorded: list[str]) -> None:
    with open_store(None, tmp_path / "history.sqlite") as store:
        for which, period in enumerate((Q2, Q3)):
            if period in recorded:
                earlier = make_consolidation(earlier_tasks(which))
                earlier.period = period
                store.record(earlier)
        read = read_trend(store, "Q4 2008/09")
        for known in recorded:
            given = read_trend(store, "Q4 2008/09", {known: store.tasks_of(known)})
            assert (given.periods, given.counts, given.lines) == (read.periods, read.counts, read.lines)
        assert read_trend(store, Q3, {Q3: store.tasks_of(Q3)}).periods == ([Q2] if Q2 in recorded else [])


@pytest.mark.parametrize(
    ("earlier", "now", "run", "strip"),
    [({Q2: A, Q3: R}, A, 3, "A R A"), ({Q3: A}, R, 2, "– A R"), ({Q2: R, Q3: G}, A, 1, "R G A"),
     ({Q2: A, Q3: A}, G, 0, "A A G"), ({}, C, 0, "– – ✓"), ({Q2: None, Q3: A}, A, 2, "? A A")],
)
def test_run_at_amber_or_red_and_strip(earlier: dict[str, Status | None], now: Status, run: int,
                                       strip: str) -> None:
    assert periods_at_amber_or_red(earlier, [Q2, Q3], now) == run
    assert status_strip(earlier, [Q2, Q3], now) == strip


def test_a_strip_shows_the_last_four_periods() -> None:
    periods = ["Q1 2008/09", Q2, Q3, "Q4 2007/08"]
    earlier = {p: A for p in periods}
    assert status_strip(earlier, periods, R) == "A A A R"


def test_trend_sheet_counts_every_period_with_a_chart(book: openpyxl.Workbook) -> None:
    ws = book["Trend"]
    table = rows(ws)
    assert table[0][:7] == ["Period", "Green", "Amber", "Red", "Achieved", "No status", "Total"]
    summary = {r[0]: r[3:9] for r in rows(book["Summary"]) if r[0] == "Total"}["Total"]
    periods = [r for r in table[1:4]]
    assert [p[0] for p in periods] == [Q2, Q3, book["Trend"]["A4"].value]
    assert periods[2][1:7] == list(summary)  # this period's totals are the Summary's
    assert periods[1][1:7] == [2, 5, 4, 0, 1, 12]
    assert len(ws._charts) == 1
    # The first group under "By group and period" is CDRP, its periods indented under it.
    first = next(i for i, r in enumerate(table) if r[0] == CDRP)
    assert [r[:4] for r in table[first + 1: first + 3]] == [
        [f"   {Q2}", 1, 1, 0], [f"   {Q3}", 1, 1, 1]]


def test_trend_sheet_strips(book: openpyxl.Workbook) -> None:
    table = rows(book["Trend"])
    start = next(i for i, r in enumerate(table) if r[0] == "Group")
    assert table[start][2:8] == [Q2, Q3, table[1 + 2][0], "Strip", "Ref", "Task"]
    strips = {r[7]: r[1:6] for r in table[start + 1:]}
    assert strips["Neighbourhood Management Group to perform community engagement events"] == [
        None, "Green", "Green", "Amber", "G G A"]
    assert strips["Develop integrated Employer Offer"] == [None, "–", "–", "Amber", "– – A"]
    assert strips["Healthy schools programme"] == [None, "Amber", "Amber", "Achieved", "A A ✓"]
    cell = next(c for c in book["Trend"][f"D{start + 2}":f"D{start + 20}"] if c[0].value == "Red")
    assert cell[0].fill.fgColor.rgb.endswith("FF0000")
    heading = [r[0] for r in table if isinstance(r[0], str) and r[0].startswith("Strip, earliest")]
    assert heading


def test_trend_sheet_without_history(tmp_path: Path) -> None:
    write_master(make_consolidation(), tmp_path / "m.xlsx")
    table = rows(openpyxl.load_workbook(tmp_path / "m.xlsx")["Trend"])
    assert table[2][0] == "No earlier period is recorded in the history yet."


def test_tasks_and_exceptions_print_legibly_on_a4_landscape(book: openpyxl.Workbook) -> None:
    for name in ("Tasks", "Exceptions"):
        ws = book[name]
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
        assert ws.print_title_rows == "$1:$1"
        assert ws.print_area.endswith(f"$A$1:$K${ws.max_row}")
        printed = TASK_COLUMNS[:11]
        assert [c.header for c in printed] == [
            "Group", "Outcome", "Ref", "Task", "Target", "Position", "Status", "Planned action",
            "Owner", "Revised deadline", "Direction"]
        # One page wide at no less than about 80% of full size: A4 landscape holds ~150 widths.
        assert sum(c.width for c in printed) <= 190
        assert ws["D2"].alignment.wrap_text and ws["F2"].alignment.wrap_text


def test_status_detail_only_where_it_differs_from_status(tmp_path: Path) -> None:
    write_master(make_consolidation(), tmp_path / "m.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "m.xlsx")["Tasks"]
    header = [c.value for c in ws[1]]
    status, detail = header.index("Status"), header.index("Status detail")
    pairs = [(r[status], r[detail]) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert ("Amber", None) in pairs  # written 'AMBER': nothing more to say
    assert ("Amber", "ACHIEVED\n\nACHIEVED\n\nAMBER") in pairs
    assert all(d is None for s, d in pairs if s == "Red")


def test_a_run_matches_its_tasks_to_the_earlier_periods_once_and_the_strips_show_it(
    tmp_path: Path,
) -> None:
    """The run matches its tasks to the trend's lines alongside its checks (`match_trend_alongside`);
    the Trend sheet's strips are made from that matching, not from matching again."""
    import shutil

    from pipeline.history.trend import NO_LINE
    from pipeline.register import load_register
    from pipeline.report.board import exception_contexts
    from pipeline.run import run_consolidation

    inbox = tmp_path / "inbox"
    shutil.copytree(Path(__file__).resolve().parents[1] / "inbox", inbox)
    history = tmp_path / "history.sqlite"
    with open_store(None, history) as store:  # Q2 as the seed's tasks were then
        earlier = make_consolidation(earlier_tasks(0))
        earlier.period = Q2
        store.record(earlier)
    register = load_register()
    # The shipped returns are dated in Q4 2008/09: Q3's run and Q4's take them in.
    run_consolidation(inbox, tmp_path / "out", register, period=Q3, pdf=False, history_file=history)
    run = run_consolidation(inbox, tmp_path / "out", register, period="Q4 2008/09", pdf=False,
                            history_file=history)
    trend, tasks = run.result.trend, run.result.tasks
    assert trend.periods == [Q2, Q3]
    assert trend.lines_of_run == trend.lines_of(tasks)
    assert NO_LINE not in trend.lines_of_run  # the same returns as Q3's: every task is known
    table = rows(openpyxl.load_workbook(tmp_path / "out" / "master.xlsx")["Trend"])
    start = next(i for i, r in enumerate(table) if r[0] == "Group")
    strips = [r[5] for r in table[start + 1:]]
    assert strips == [status_strip(dict(trend.lines[i].statuses), trend.periods, task.status)
                      for i, task in zip(trend.lines_of_run, tasks, strict=True)]
    assert sum(1 for strip in strips if "–" not in strip) >= 3  # reported in Q2 too
    # The board pack's periods in a row at amber or red come from the same matching.
    contexts = exception_contexts(run.result)
    line_of = {id(t): line for t, line in zip(tasks, trend.lines_of_run, strict=True)}
    assert run.result.exceptions
    assert [contexts[id(t)].run for t in run.result.exceptions] == [
        periods_at_amber_or_red(dict(trend.lines[line_of[id(t)]].statuses), trend.periods, t.status)
        for t in run.result.exceptions]
