"""Benchmark: the history store, the comparison of two periods and the status checks, at 1,000 returns.

    uv run python bench/history.py [--returns 1000] [--repeat 1] [--seed 1]

Builds the task records of N returns (30 tasks each, the shapes of `bench/generate.py`: one
group per return, three outcomes of ten tasks sharing one Ref) for two periods; in the second,
some tasks are reworded, some dropped, some new, most statuses move on, and three positions in
four say something new (the rest are restated word for word). Times on a SQLite file in a
temporary folder: `record()` of each period, `tasks_of()` of the first, `compare()`
of the two (matching included), `read_trend()` of the next period (both recorded periods
earlier) and `check_statuses()` of the second period against the first. Each figure is wall
and CPU seconds; with `--repeat R`, the best of R runs. Dated figures: bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import STATUS_WEIGHTS, STATUSES, specs  # noqa: E402  (bench/ is not a package)

from pipeline.consolidate.result import Consolidation, Submission, SubmissionState  # noqa: E402
from pipeline.document import Place  # noqa: E402
from pipeline.history.changes import compare  # noqa: E402
from pipeline.history.store import open_store  # noqa: E402
from pipeline.history.trend import read_trend  # noqa: E402
from pipeline.records import Status, TaskRecord  # noqa: E402
from pipeline.register_file import ChecksEntry  # noqa: E402
from pipeline.validate import check_statuses  # noqa: E402

T = TypeVar("T")

_REWORDINGS = (("the", "our"), (" and ", " & "), ("Increase", "Raise"), ("Reduce", "Cut"),
               ("number of", "count of"))


#: Share of tasks whose position is the same, word for word, in both periods.
RESTATED = 0.25


def _moved_on(position: str) -> str:
    """A position a quarter on or back: its first sentence, or a line of its own."""
    first, dot, rest = position.partition(". ")
    return f"{first}." if dot and rest else f"{position} Work continues."


def periods(n: int, seed: int) -> tuple[list[TaskRecord], list[TaskRecord]]:
    """The tasks of N returns last period and this one."""
    rng = random.Random(seed)
    words = random.Random(seed + 1)
    previous: list[TaskRecord] = []
    current: list[TaskRecord] = []
    for index, spec in enumerate(specs(n, seed)):
        word = index % 2 == 0
        row = 1
        for action in spec.actions:
            for seed_task, status in action.tasks:
                row += 1
                place = (Place(file=spec.file_name, table=2, row=row) if word
                         else Place(file=spec.file_name, sheet=f"Outcome {action.outcome}",
                                    cell=f"A{row}"))
                task = TaskRecord(place=place, task=seed_task.task, target=seed_task.target,
                                  position=seed_task.position, status=Status(status),
                                  status_text=status, planned=seed_task.planned,
                                  group=spec.group, outcome=action.outcome, ref=action.ref,
                                  action=action.action, owner=spec.contact)
                previous.append(task)
                luck = rng.random()
                if luck < 0.03:
                    continue  # no longer reported
                text = task.task
                if luck < 0.15:
                    old, new = rng.choice(_REWORDINGS)
                    text = text.replace(old, new, 1) if old in text else text + "."
                moved = Status(rng.choices(STATUSES, STATUS_WEIGHTS)[0]) if rng.random() < 0.5 \
                    else task.status
                # A group restates its position word for word for about a quarter of its tasks;
                # the others report something new (their own random stream, so the rest of the
                # data is as it was before positions moved).
                position = task.position if words.random() < RESTATED else _moved_on(task.position)
                current.append(replace(task, task=text, status=moved, position=position))
                if luck > 0.97:
                    current.append(replace(task, task=f"New: {text[:40]} in {spec.group}",
                                           ref=""))
    return previous, current


def _consolidation(period: str, tasks: list[TaskRecord]) -> Consolidation:
    files = sorted({t.place.file for t in tasks})
    subs = [Submission(file=f, kind="Word progress return", state=SubmissionState.ACCEPTED, rows=30,
                       sha256=f"{i:064x}") for i, f in enumerate(files)]
    return Consolidation(period=period, generated="2009-04-07 10:00", submissions=subs,
                         tasks=tasks)


def _best(repeat: int, run: Callable[[], T]) -> tuple[tuple[float, float], T]:
    """(wall, CPU) seconds of the fastest of `repeat` runs, and what the run gave."""
    best, result = (float("inf"), float("inf")), None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = run()
        best = min(best, (time.perf_counter() - start, time.process_time() - cpu))
    return best, result  # type: ignore[return-value]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--returns", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    previous, current = periods(args.returns, args.seed)
    print(f"{args.returns} returns: {len(previous)} tasks last period, {len(current)} this period")
    with tempfile.TemporaryDirectory() as folder, \
            open_store(None, Path(folder) / "history.sqlite") as store:
        first = _consolidation("Q3 2008/09", previous)
        second = _consolidation("Q4 2008/09", current)
        times = {"record() last period": _best(args.repeat, lambda: store.record(first))[0],
                 "record() this period": _best(args.repeat, lambda: store.record(second))[0]}
        times["tasks_of()"], back = _best(args.repeat, lambda: store.tasks_of("Q3 2008/09"))
        assert back == previous, "tasks_of() must give back what record() stored"
        times["compare()"], changes = _best(args.repeat, lambda: compare(back, current))
        times["read_trend()"], trend = _best(args.repeat, lambda: read_trend(store, "Q1 2009/10"))
        times["check_statuses()"], queries = _best(args.repeat, lambda: check_statuses(
            current, back, period="Q4 2008/09", period_end=dt.date(2009, 3, 31),
            previous_period="Q3 2008/09", checks=ChecksEntry()))
    kinds: dict[str, int] = {}
    for change in changes:
        kinds[change.kind] = kinds.get(change.kind, 0) + 1
    print(f"{'':22s} {'wall s':>7s} {'cpu s':>7s}")
    for name, (wall, cpu) in times.items():
        print(f"{name:22s} {wall:7.2f} {cpu:7.2f}")
    print(f"{'total':22s} {sum(w for w, _ in times.values()):7.2f} {sum(c for _, c in times.values()):7.2f}")
    print("changes: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print(f"trend: {len(trend.lines)} lines over {len(trend.periods)} periods; "
          f"status queries: {len(queries)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
