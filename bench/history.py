"""Benchmark: the history store and the comparison of two periods, at 1,000 returns.

    uv run python bench/history.py [--returns 1000] [--repeat 1] [--seed 1]

Builds the task records of N returns (30 tasks each, the shapes of `bench/generate.py`: one
group per return, three outcomes of ten tasks sharing one Ref) for two periods; in the second,
some tasks are reworded, some dropped, some new, and most statuses move on. Times on a SQLite
file in a temporary folder: `record()` of each period, `tasks_of()` of the first, `compare()`
of the two. With `--repeat R` each time is the best of R runs. Dated figures: bench/README.md.
"""

from __future__ import annotations

import argparse
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
from pipeline.records import Status, TaskRecord  # noqa: E402

T = TypeVar("T")

_REWORDINGS = (("the", "our"), (" and ", " & "), ("Increase", "Raise"), ("Reduce", "Cut"),
               ("number of", "count of"))


def periods(n: int, seed: int) -> tuple[list[TaskRecord], list[TaskRecord]]:
    """The tasks of N returns last period and this one."""
    rng = random.Random(seed)
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
                current.append(replace(task, task=text, status=moved))
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


def _best(repeat: int, run: Callable[[], T]) -> tuple[float, T]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    assert result is not None or best >= 0
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
        t_record, _ = _best(args.repeat, lambda: store.record(first))
        t_record2, _ = _best(args.repeat, lambda: store.record(second))
        t_read, back = _best(args.repeat, lambda: store.tasks_of("Q3 2008/09"))
        assert back == previous, "tasks_of() must give back what record() stored"
        t_compare, changes = _best(args.repeat, lambda: compare(back, current))
    kinds: dict[str, int] = {}
    for change in changes:
        kinds[change.kind] = kinds.get(change.kind, 0) + 1
    print(f"record() last period  {t_record:6.2f} s")
    print(f"record() this period  {t_record2:6.2f} s")
    print(f"tasks_of()            {t_read:6.2f} s")
    print(f"compare()             {t_compare:6.2f} s")
    print(f"total                 {t_record + t_record2 + t_read + t_compare:6.2f} s")
    print("changes: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
