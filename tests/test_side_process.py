"""pipeline.side_process: work done in a forked child while this process does another."""

from __future__ import annotations

import errno
import functools
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pipeline.side_process import SideProcess, StandbyProcess, can_fork

needs_fork = pytest.mark.skipif(not can_fork(), reason="fork is not available here")


@needs_fork
def test_the_work_runs_in_another_process_and_its_result_comes_back() -> None:
    side = SideProcess(lambda: (os.getpid(), [1, 2, 3]))
    pid, value = side.result()
    assert pid != os.getpid()
    assert value == [1, 2, 3]


@needs_fork
def test_what_the_work_raised_is_raised_here() -> None:
    def full() -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError) as caught:
        SideProcess(full).result()
    assert caught.value.errno == errno.ENOSPC


@needs_fork
def test_an_exception_that_cannot_be_pickled_comes_back_in_words() -> None:
    class Odd(Exception):
        def __init__(self, a: int, b: int) -> None:
            super().__init__(f"odd {a} {b}")
            self.lock = threading.Lock()  # cannot be pickled

    def fails() -> None:
        raise Odd(1, 2)

    with pytest.raises(RuntimeError, match="Odd: odd 1 2"):
        SideProcess(fails).result()


def _killed_outside(parent: int) -> Callable[[], int]:
    """Work that kills the process it runs in, unless that is `parent`; returns its pid there."""

    def work() -> int:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return os.getpid()

    return work


@needs_fork
def test_work_whose_child_was_killed_is_done_here() -> None:
    assert SideProcess(_killed_outside(os.getpid())).result() == os.getpid()


def test_work_for_which_no_child_can_be_started_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert SideProcess(os.getpid).result() == os.getpid()


def test_with_another_thread_running_the_work_is_done_here() -> None:
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert not can_fork()
        assert SideProcess(os.getpid).result() == os.getpid()
    finally:
        stop.set()
        worker.join()


@needs_fork
def test_first_work_is_done_in_the_child_and_handed_over_before_the_work() -> None:
    side = SideProcess(os.getpid, first=lambda: ("first", os.getpid()))
    word, first_pid = side.first_result()
    assert word == "first" and first_pid != os.getpid()
    assert side.result() == first_pid  # the same child did both


@needs_fork
def test_first_work_that_fails_hands_over_nothing_and_the_work_goes_on() -> None:
    def fails() -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    side = SideProcess(lambda: "done", first=fails)
    assert side.first_result() is None
    assert side.result() == "done"


@needs_fork
def test_first_work_not_taken_does_not_stand_in_for_the_result() -> None:
    side = SideProcess(lambda: "done", first=lambda: "first")
    assert side.result() == "done"


@needs_fork
def test_first_work_whose_child_was_killed_hands_over_nothing() -> None:
    killed = _killed_outside(os.getpid())
    side = SideProcess(killed, first=killed)
    assert side.first_result() is None
    assert side.result() == os.getpid()  # the work, done here


def test_first_work_is_never_done_here() -> None:
    done: list[str] = []
    side = SideProcess(lambda: "done", in_child=False, first=lambda: done.append("first"))
    assert side.first_result() is None
    assert side.result() == "done"
    assert done == []


# --- StandbyProcess: a child that gets ready now and is given its work later ------------------

#: What `_prepare` set in the process it ran in (the standby child's, or none).
_PREPARED: list[str] = []


def _prepare() -> None:
    _PREPARED.append("ready")


def _where(*args: object) -> tuple[int, list[str], tuple[object, ...]]:
    """The work given to a standby child: where it ran, what was prepared there, its arguments."""
    return os.getpid(), list(_PREPARED), args


def _fails(code: int) -> None:
    raise OSError(code, "No space left on device")


def _kills_outside(parent: int) -> int:
    return _killed_outside(parent)()


def _waits_for(path: str) -> None:
    """Prepares until `path` exists (as long as the test allows)."""
    import time

    for _ in range(2_000):
        if os.path.exists(path):
            return
        time.sleep(0.005)


@pytest.fixture
def standby() -> Iterator[StandbyProcess]:
    """A standby child that prepares with `_prepare`, closed after the test."""
    child = StandbyProcess(_prepare)
    yield child
    child.close()


@needs_fork
def test_a_standby_child_prepares_then_does_the_work_it_is_given(standby: StandbyProcess) -> None:
    assert standby.ready
    pid, prepared, args = standby.submit(_where, 1, [2, 3]).result()
    assert pid != os.getpid() and prepared == ["ready"] and args == (1, [2, 3])
    assert _PREPARED == []  # prepared there, not here
    assert standby.submit(_where, "again").result()[0] == pid  # the same child, once more


@needs_fork
def test_what_the_standby_work_raised_is_raised_here_and_the_child_goes_on(standby: StandbyProcess) -> None:
    with pytest.raises(OSError) as caught:
        standby.submit(_fails, errno.ENOSPC).result()
    assert caught.value.errno == errno.ENOSPC
    assert standby.submit(_where).result()[0] != os.getpid()


@needs_fork
def test_standby_work_whose_child_died_is_done_here(standby: StandbyProcess) -> None:
    assert standby.submit(_kills_outside, os.getpid()).result() == os.getpid()
    assert not standby.ready  # what comes next is done here too
    assert standby.submit(_where, "after").result() == (os.getpid(), [], ("after",))


@needs_fork
def test_standby_work_not_taken_before_the_child_is_closed_is_done_here(standby: StandbyProcess) -> None:
    submitted = standby.submit(_where, "x")
    standby.close()
    assert submitted.result() == (os.getpid(), [], ("x",))


@needs_fork
def test_standby_work_whose_arguments_do_not_pickle_is_done_here(standby: StandbyProcess) -> None:
    lock = threading.Lock()
    with pytest.raises(TypeError):
        pickle.dumps(lock)
    pid, _, args = standby.submit(_where, lock).result()
    assert pid == os.getpid() and args == (lock,)


@needs_fork
def test_a_standby_child_takes_one_piece_of_work_at_a_time(standby: StandbyProcess) -> None:
    first = standby.submit(_where, 1)
    with pytest.raises(RuntimeError, match="one piece of work at a time"):
        standby.submit(_where, 2)
    assert first.result()[2] == (1,)
    with pytest.raises(RuntimeError, match="taken once"):
        first.result()


@needs_fork
def test_giving_a_standby_child_a_large_work_does_not_wait_for_it_to_be_ready(tmp_path: Path) -> None:
    go = tmp_path / "go"
    standby = StandbyProcess(functools.partial(_waits_for, str(go)))
    try:
        large = "x" * 4_000_000  # far more than a pipe holds
        given: list[object] = []
        giving = threading.Thread(target=lambda: given.append(standby.submit(_where, large)))
        giving.start()
        giving.join(timeout=5)
        assert not giving.is_alive()  # submitted while the child still prepares
        go.touch()
        pid, _, args = given[0].result()  # type: ignore[attr-defined]
        assert pid != os.getpid() and args == (large,)
    finally:
        go.touch()
        standby.close()


def test_without_fork_a_standby_does_its_work_here() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        standby = StandbyProcess(_prepare)
        assert not standby.ready
        assert standby.submit(_where, 5).result() == (os.getpid(), [], (5,))
        standby.close()
    finally:
        stop.set()
        other.join()
