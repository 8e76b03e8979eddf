"""pipeline.side_process: work done in a forked child while this process does another."""

from __future__ import annotations

import errno
import os
import signal
import threading
from collections.abc import Callable

import pytest

from pipeline.side_process import SideProcess, can_fork

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
