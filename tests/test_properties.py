"""Property tests over the whole reading path: whatever tasks a return holds, in whatever status
wording and with whatever merged Action cells, every task comes out once with its text intact."""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
from docx_factory import p, quick_docx, r, tbl, tc, tr
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.layout.interpret import interpret
from pipeline.readers.docx import read_docx
from pipeline.readers.xlsx import read_xlsx
from pipeline.records import Status
from pipeline.register import load_register

REGISTER = load_register()
HEAD = ("Action", "Tasks", "Target", "Position", "Status", "Planned improvement/action needed and deadline")
STATUS_FORMS = {
    Status.RED: ["Red", "RED", "red", "R", "Red – needs action"],
    Status.AMBER: ["Amber", "AMBER", "A", "Amber – needs attention"],
    Status.GREEN: ["Green", "GREEN", "g", "Green – on track"],
    Status.ACHIEVED: ["Achieved", "ACHIEVED", "Complete", "Completed"],
}
# Words with curly quotes, dashes and accents, never a word that is itself a status or a label.
word = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ’‘“”–—éç&%()", min_size=1, max_size=9
).filter(lambda w: w.lower() not in {"r", "a", "g", "ref", "action", "outcome", "total"})
text = st.lists(word, min_size=1, max_size=6).map(" ".join)
cell_lines = st.lists(text, min_size=1, max_size=3)
status = st.sampled_from(list(STATUS_FORMS)).flatmap(
    lambda s: st.tuples(st.just(s), st.sampled_from(STATUS_FORMS[s]))
)
task_row = st.tuples(cell_lines, text, cell_lines, status, st.booleans())
"""(task lines, target, position lines, (status, as written), starts a new action)"""


def _expected(rows: list) -> list[tuple[str, str, Status]]:
    tasks = [(f"Task {i} " + lines[0], *lines[1:]) for i, (lines, *_rest) in enumerate(rows)]
    return [
        ("\n".join(t), target, st_) for t, (_, target, _p, (st_, _w), _n) in zip(tasks, rows, strict=True)
    ]


def _actions(rows: list) -> list[str]:
    names, current = [], ""
    for i, (*_rest, new) in enumerate(rows):
        if new or i == 0:
            current = f"Action {i}"
        names.append(current)
    return names


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(task_row, min_size=1, max_size=12))
# Found by Hypothesis: a task row whose words look like headings ("Task 1 B", "OUTCME", "Red –
# needs action") was once taken for a new header row, and the task was lost.
@example(rows=[(["B"], "AA", ["AA"], (Status.RED, "Red"), False),
               (["B"], "OUTCME", ["AA"], (Status.RED, "Red – needs action"), False)])
def test_word_every_task_once_with_its_text_status_and_merged_action(rows: list) -> None:
    actions = _actions(rows)
    body_rows = [tr(*HEAD)]
    for i, ((lines, target, position, (_, written), _new), action) in enumerate(
        zip(rows, actions, strict=True)
    ):
        first = i == 0 or actions[i - 1] != action
        action_cell = tc(p(r(action)), vmerge="restart") if first else tc(p(), vmerge="continue")
        task_lines = [f"Task {i} " + lines[0], *lines[1:]]
        body_rows.append(
            tr(
                action_cell,
                tc(*(p(r(t)) for t in task_lines)),
                tc(p(r(target))),
                tc(*(p(r(x)) for x in position)),
                tc(p(r(written))),
                tc(p(r("By March 09"))),
            )
        )
    with tempfile.TemporaryDirectory() as folder:
        path = quick_docx(Path(folder) / "return.docx", tbl(*body_rows, grid=6))
        data = interpret(read_docx(path, "return.docx"), REGISTER)
    got = [(t.task, t.target, t.status) for t in data.tasks]
    assert got == _expected(rows)
    assert [t.action for t in data.tasks] == actions
    assert [t.position for t in data.tasks] == ["\n".join(row[2]) for row in rows]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(task_row, min_size=1, max_size=12), st.integers(min_value=0, max_value=4))
def test_excel_every_task_once_with_title_rows_and_merged_actions(rows: list, title_rows: int) -> None:
    actions = _actions(rows)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Outcome 2.1"
    for n in range(title_rows):
        sheet.cell(row=n + 1, column=1, value=f"Stronger Communities Group – return {n}")
    header_row = title_rows + 1
    for c, heading in enumerate(HEAD, start=1):
        sheet.cell(row=header_row, column=c, value=heading)
    start = None
    for i, ((lines, target, position, (_, written), _new), action) in enumerate(
        zip(rows, actions, strict=True)
    ):
        row = header_row + 1 + i
        if i == 0 or actions[i - 1] != action:
            if start is not None and row - 1 > start:
                sheet.merge_cells(start_row=start, start_column=1, end_row=row - 1, end_column=1)
            start = row
            sheet.cell(row=row, column=1, value=action)
        values = [
            "\n".join([f"Task {i} " + lines[0], *lines[1:]]),
            target,
            "\n".join(position),
            written,
            "By March 09",
        ]
        for c, value in enumerate(values, start=2):
            sheet.cell(row=row, column=c, value=value)
    last = header_row + len(rows)
    if start is not None and last > start:
        sheet.merge_cells(start_row=start, start_column=1, end_row=last, end_column=1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "return.xlsx"
        book.save(path)
        data = interpret(read_xlsx(path, "return.xlsx"), REGISTER)
    assert [(t.task, t.target, t.status) for t in data.tasks] == _expected(rows)
    assert [t.action for t in data.tasks] == actions
    assert [t.place.cell for t in data.tasks] == [f"A{header_row + 1 + i}" for i in range(len(rows))]
