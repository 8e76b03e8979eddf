"""The per-file time budget is real: a worker busy in a long C call is killed at its deadline, a
worker that dies is reported, the rest is read, and no worker outlives a killed run."""

from __future__ import annotations

import gc
import hashlib
import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline.intake.budget import TIMED_OUT, WORKER_DIED, BudgetedReader, _Worker

REPO = Path(__file__).resolve().parent.parent


def _work(item: str) -> str:
    if item.startswith("sleep "):
        time.sleep(float(item.split()[1]))
    if item == "slow in C":
        # A single call into C that no signal interrupts: about 10 s of key stretching.
        hashlib.pbkdf2_hmac("sha256", b"return", b"salt", 10_000_000)
    if item == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    return item.upper()


def test_a_long_call_in_c_is_stopped_at_the_deadline_and_the_rest_is_done() -> None:
    started = time.monotonic()
    reader = BudgetedReader(_work, lambda item, why: f"{item}: {why}", workers=1, seconds=0.5)
    assert reader.run(["first", "slow in C", "last"]) == ["FIRST", f"slow in C: {TIMED_OUT}", "LAST"]
    assert time.monotonic() - started < 5


def test_a_worker_that_dies_is_reported_and_the_rest_is_done() -> None:
    reader = BudgetedReader(_work, lambda item, why: f"{item}: {why}", workers=2, seconds=30)
    assert reader.run(["a", "crash", "b", "c"]) == ["A", f"crash: {WORKER_DIED}", "B", "C"]


@pytest.mark.parametrize("polled", [True, False], ids=["poll", "wait (no poll, as on Windows)"])
def test_items_late_or_dead_are_reported_by_poll_and_without_it(
        polled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # A worker replaced takes its place's registration in the poll (its pipe may reuse the
    # numbers of the one before); without select.poll, multiprocessing's wait does the waiting.
    if not polled:
        monkeypatch.delattr(select, "poll")
    reader = BudgetedReader(_work, lambda item, why: f"{item}: {why}", workers=2, seconds=1)
    items = ["a", "sleep 10", "crash", "b", "crash", "c", "sleep 0.1", "d"]
    assert reader.run(items) == ["A", f"sleep 10: {TIMED_OUT}", f"crash: {WORKER_DIED}", "B",
                                 f"crash: {WORKER_DIED}", "C", "SLEEP 0.1", "D"]


def test_an_item_given_ahead_is_timed_from_when_it_starts_and_is_told_then() -> None:
    # Each worker is given the next item while it reads one; that item's time counts from when
    # the worker starts it, not from when it was given, and the officer is told of it then.
    told: list[tuple[str, float]] = []
    reader = BudgetedReader(_work, lambda item, why: f"{item}: {why}", workers=1, seconds=1.5,
                            on_start=lambda item: told.append((item, time.monotonic())))
    items = ["sleep 0.9", "sleep 0.9", "sleep 0.9"]
    assert reader.run(items) == ["SLEEP 0.9"] * 3
    assert [item for item, _ in told] == items
    assert told[1][1] - told[0][1] > 0.8 and told[2][1] - told[1][1] > 0.8


def test_the_items_given_ahead_to_a_worker_that_is_stopped_are_read_by_the_next() -> None:
    reader = BudgetedReader(_work, lambda item, why: f"{item}: {why}", workers=1, seconds=30)
    assert reader.run(["crash", "a", "b", "crash", "c"]) == [
        f"crash: {WORKER_DIED}", "A", "B", f"crash: {WORKER_DIED}", "C"]


def test_work_meanwhile_runs_alongside_the_workers_and_is_done_before_the_end() -> None:
    # What the next steps import is imported in a thread while the workers read.
    seen: list[tuple[str, bool]] = []

    def meanwhile() -> None:
        time.sleep(0.3)  # the workers are reading meanwhile
        seen.append((threading.current_thread().name, True))

    reader = BudgetedReader(_work, lambda item, why: f"{item}: {why}", workers=1, seconds=30)
    started = time.monotonic()
    assert reader.run(["sleep 0.3", "b"], meanwhile) == ["SLEEP 0.3", "B"]
    assert seen == [("pipeline-meanwhile", True)]
    assert time.monotonic() - started < 1.5  # side by side, not one after the other
    assert threading.active_count() == 1  # nothing left running to fork beside later


def test_a_worker_is_forked_again_only_once_the_work_meanwhile_is_done() -> None:
    # A fork while that thread holds an import's lock would leave the new worker stuck on it.
    done: list[float] = []

    def meanwhile() -> None:
        time.sleep(0.5)
        done.append(time.monotonic())

    forked: list[float] = []
    reader: BudgetedReader[str, str] = BudgetedReader(
        _work, lambda item, why: f"{item}: {why}", workers=1, seconds=30)
    start = reader._start

    def timed_start() -> object:
        worker = start()
        forked.append(time.monotonic())
        return worker

    reader._start = timed_start  # type: ignore[method-assign]
    assert reader.run(["crash", "a"], meanwhile) == [f"crash: {WORKER_DIED}", "A"]
    assert len(forked) == 2 and forked[1] >= done[0]


def test_what_the_work_meanwhile_raises_is_dropped() -> None:
    def meanwhile() -> None:
        raise ImportError("no such module")

    reader = BudgetedReader(_work, lambda item, why: f"{item}: {why}", workers=1, seconds=30)
    assert reader.run(["a"], meanwhile) == ["A"]


def _collector_of_worker(_: str) -> tuple[bool, int]:
    return gc.isenabled(), gc.get_freeze_count()


def test_workers_start_with_this_process_frozen_and_leave_its_collector_as_it_was() -> None:
    # A command run in this process earlier froze its heap at exit (cli.py): start unfrozen.
    gc.unfreeze()
    reader = BudgetedReader(_collector_of_worker, lambda item, why: (False, 0), workers=1,
                            seconds=30)
    ((enabled, frozen),) = reader.run(["a"])
    # The worker's collector leaves out what it inherited, and is paused while it reads a file
    # (many objects, no cycles); this process's is untouched.
    assert not enabled and frozen > 1000
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_heap_frozen_on_purpose_stays_frozen() -> None:
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        BudgetedReader(_work, lambda item, why: why, workers=1, seconds=30).run(["a"])
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()


_KILLED_RUN = """
import sys, time
from pathlib import Path
import pipeline.consolidate.read as read
from pipeline.consolidate.steps import consolidate
from pipeline.register import load_register

def stuck(entry, register):
    time.sleep(120)

read.read_here = stuck
consolidate(Path(sys.argv[1]), load_register(), workers=2)
"""


def _children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:
            continue
        ppid = next((line.split()[1] for line in lines if line.startswith("PPid:")), "")
        if ppid == str(pid):
            found.append(int(status.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_killed_run_leaves_no_workers(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("a.docx", "b.docx"):
        (inbox / name).write_bytes((REPO / "inbox" / "cdrp-progress-2008-09-Q4.docx").read_bytes())
    run = subprocess.Popen([sys.executable, "-c", _KILLED_RUN, str(inbox)], cwd=REPO)
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while time.monotonic() < deadline and not workers:
            time.sleep(0.1)
            workers = _children(run.pid)
        assert workers, "the run never started a worker"
        run.kill()
        run.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)], "workers outlived the killed run"
    finally:
        run.kill()
        for worker in _children(run.pid):
            os.kill(worker, signal.SIGKILL)


def test_a_worker_found_dead_between_items_blames_none_of_them() -> None:
    # Its pipe is closed when it is given its next item (it died idle: killed from outside):
    # the items it never had are read by the worker started in its place, none is reported,
    # and the run does not end in a broken pipe.
    told: list[str] = []
    reader = BudgetedReader(_work, lambda item, why: f"{item}: {why}", workers=1, seconds=30,
                            on_start=told.append)
    real_start, started = reader._start, []

    def start_dead_first() -> _Worker:
        worker = real_start()
        if not started:
            worker.process.kill()
            worker.process.join()
        started.append(worker)
        return worker

    reader._start = start_dead_first  # type: ignore[method-assign]
    assert reader.run(["a", "b", "c"]) == ["A", "B", "C"]
    assert len(started) == 2 and started[0].idle_death
    assert told == ["a", "b", "c"]  # each said to start once, by the worker that read it
