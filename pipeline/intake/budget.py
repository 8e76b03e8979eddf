"""A time budget per file: a file that still reads too long is stopped, and the run goes on.

The limits on a file's shape (`pipeline.limits`) keep work proportional to its content; this is
the last guard for whatever still runs long. Each file is read in a worker process and the
parent watches the clock: a worker still busy when its file's time is up is killed (whatever it
is doing, a long call into lxml included, and from whichever thread the run was started, the
officer's page included), the file is reported, and a fresh worker reads the rest. A worker that
dies (out of memory, a crash) is reported the same way. Workers die with their parent
(`die_with_parent`): a killed run leaves none behind.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import pickle
import select
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from pipeline.heap import collector_paused, frozen_heap
from pipeline.workdirs import die_with_parent

Item = TypeVar("Item")
Result = TypeVar("Result")

#: How a file ended when it was not read: its time ran out, or its worker died.
TIMED_OUT = "timed out"
WORKER_DIED = "worker died"


class WorkerFailed(Exception):
    """The function raised in the worker: its traceback, as text (the exception may not pickle)."""


#: Items each worker is given ahead: the next one waits in its pipe, so a worker starts it as
#: soon as it has sent its answer, not once this process has taken the answer and sent another.
AHEAD = 2


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    queue: deque[int] = field(default_factory=deque)
    """The items given to it, in order: the first is the one it is working on."""
    started: float = 0.0
    """When it started the first item of its queue."""
    conn_fd: int = -1
    """Its pipe's file descriptor, and its process's sentinel, as polled (`_watch`)."""
    sentinel_fd: int = -1
    idle_death: bool = False
    """Its pipe was found closed when it was given an item with nothing else in its queue: it
    died between items, and that item is not what it died of."""


class BudgetedReader(Generic[Item, Result]):
    """Run `work(item)` for each item in worker processes, each within `seconds` of wall-clock time.

    `stopped(item, why)` makes the result of an item that was not finished: `why` is TIMED_OUT or
    WORKER_DIED. `on_start(item)` is told when an item starts.
    """

    def __init__(self, work: Callable[[Item], Result], stopped: Callable[[Item, str], Result],
                 *, workers: int, seconds: float | None,
                 on_start: Callable[[Item], None] | None = None) -> None:
        self.work, self.stopped, self.on_start = work, stopped, on_start
        self.workers = max(1, workers)
        self.seconds = seconds if seconds is not None and seconds > 0 else None
        # Forked on Linux: a worker starts at once with the readers already loaded.
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        self._context: Any = multiprocessing.get_context(method)
        self._alongside: threading.Thread | None = None
        self._items: Sequence[Item] = ()
        """The items of the run under way, which each worker starts with."""

    def run(self, items: Sequence[Item], meanwhile: Callable[[], object] | None = None) -> list[Result]:
        """Every item's result, in the items' order.

        `meanwhile()` is run in a thread of this process while the workers work (what the steps
        after reading import: pandas and pandera take about half a second), and waited for
        before this returns. What it raises is dropped: it may only prepare, not decide.
        """
        self._items = items
        results: list[Result | None] = [None] * len(items)
        pending = deque(range(len(items)))
        pool: list[_Worker] = []
        try:
            pool = [self._start() for _ in range(min(self.workers, len(items)))]
            if meanwhile is not None:
                self._alongside = threading.Thread(target=_quietly, args=(meanwhile,),
                                                   name="pipeline-meanwhile", daemon=True)
                self._alongside.start()
            # A return's records are many new objects and no garbage: collecting while they
            # arrive walked every answer so far again and again (0.5 s at 1,000 returns).
            with collector_paused(made_to_last=True):
                self._hand_out(items, results, pending, pool)
        finally:
            self._end_all(pool, gently=True)
            self._wait_alongside()
            self._items = ()
        return results  # type: ignore[return-value]

    def _wait_alongside(self) -> None:
        """Wait for the work done alongside: before a worker is forked again (a fork while that
        thread holds an import's lock would leave the new worker stuck on it), and at the end."""
        if self._alongside is not None:
            self._alongside.join()
            self._alongside = None

    def _hand_out(self, items: Sequence[Item], results: list[Result | None], pending: deque[int],
               pool: list[_Worker]) -> None:
        """Give the workers the items, `AHEAD` at a time each, until every item has its result."""
        # One poll object for the run, each busy worker's pipe and sentinel registered in it
        # while it has items (an idle worker's is not looked at, as before): the
        # `multiprocessing.connection.wait` it replaces made a selector and registered each
        # object again for every answer, 60 thousand instructions a call against 5 thousand
        # (about 900 calls at 1,000 returns).
        poller = select.poll() if hasattr(select, "poll") else None  # not on Windows: `wait`
        watched: list[_Worker | None] = [None] * len(pool)
        """The worker whose pipe and sentinel are registered, for each place in the pool."""
        while pending or any(w.queue for w in pool):
            for worker in pool:
                while len(worker.queue) < AHEAD and pending:
                    self._give(worker, pending.popleft(), items)
            for index, worker in enumerate(pool):
                _watch(poller, watched, index, worker if worker.queue else None)
            ready = _ready(poller, [w for w in pool if w.queue], self._wait_for)
            now = time.monotonic()
            for index, worker in enumerate(pool):
                if not worker.queue:
                    continue
                current = worker.queue[0]
                if worker.conn_fd in ready:
                    try:
                        status, value = worker.conn.recv()
                    except (EOFError, OSError):
                        status, value = "died", None
                    if status == "ok":
                        results[current] = value
                        worker.queue.popleft()
                        self._begin(worker, items, time.monotonic())
                        continue
                    if status == "raised":
                        worker.queue.popleft()  # what is left in its queue ends it at once
                        raise WorkerFailed(value)
                elif worker.sentinel_fd not in ready and not self._late(worker, now):
                    continue
                # Died, or out of time: the file is reported, a fresh worker takes over, and
                # the items given to this one behind it are read first.
                if not worker.idle_death:
                    why = TIMED_OUT if self._late(worker, now) and worker.process.is_alive() \
                        else WORKER_DIED
                    results[current] = self.stopped(items[current], why)
                    worker.queue.popleft()
                pending.extendleft(reversed(worker.queue))
                worker.queue.clear()
                _watch(poller, watched, index, None)  # before its pipe closes and its numbers go
                self._end_all([worker])
                pool[index] = self._start()

    def _start(self) -> _Worker:
        self._wait_alongside()
        parent_end, child_end = self._context.Pipe()
        # The items go with the worker, once (forked, it has them already): each is then given
        # by its index, not sent pickled (a return's entry, its path and dates, cost the parent
        # a pickling and the worker an unpickling each).
        process = self._context.Process(target=_serve,
                                        args=(child_end, self.work, os.getpid(), self._items),
                                        daemon=True, name="pipeline-reader")
        # The worker's collector need not walk all this process holds (the readers' modules, the
        # register, the results so far): frozen at the fork, it is left out of the worker's
        # collections. This process collects them again at once (unless it had frozen its own
        # heap already, on purpose).
        with frozen_heap():
            process.start()
        child_end.close()
        return _Worker(process, parent_end, conn_fd=parent_end.fileno(), sentinel_fd=process.sentinel)

    def _give(self, worker: _Worker, index: int, items: Sequence[Item]) -> None:
        worker.queue.append(index)
        try:
            _send(worker.conn, index)
        except OSError:
            # It has died (its end of the pipe is closed): on what it was reading, told when
            # its death is seen below; or between items, when it had none (so this one is not
            # said to have started).
            if len(worker.queue) == 1:
                worker.idle_death = True
                return
        if len(worker.queue) == 1:
            self._begin(worker, items, time.monotonic())

    def _begin(self, worker: _Worker, items: Sequence[Item], now: float) -> None:
        """The worker starts the first item of its queue (it reads its items one after another)."""
        if not worker.queue:
            return
        worker.started = now
        if self.on_start is not None:
            self.on_start(items[worker.queue[0]])

    def _late(self, worker: _Worker, now: float) -> bool:
        return self.seconds is not None and now - worker.started >= self.seconds

    def _wait_for(self, busy: list[_Worker]) -> float | None:
        if self.seconds is None or not busy:
            return None
        first = min(w.started for w in busy) + self.seconds
        return max(0.0, first - time.monotonic())

    @staticmethod
    def _end_all(workers: Sequence[_Worker], *, gently: bool = False) -> None:
        """End the workers: told to stop (`gently`: those with nothing in their queue) and
        given two seconds to, all at once (each one's exit, letting go of its memory, takes a
        few milliseconds), else killed."""
        told = []
        for worker in workers:
            if gently and not worker.queue:
                try:
                    _send(worker.conn, None)
                except OSError:
                    pass
                told.append(worker)
        deadline = time.monotonic() + 2
        for worker in told:
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
        for worker in workers:
            if worker.process.is_alive():
                worker.process.kill()
            worker.process.join(timeout=5)
            worker.conn.close()


def _ready(poller: select.poll | None, busy: list[_Worker],
           wait_for: Callable[[list[_Worker]], float | None]) -> set[int]:
    """The pipes and sentinels of the busy workers that are ready (`conn_fd`, `sentinel_fd`),
    waited for until the first of them is out of time (`wait_for`), or until one is ready."""
    timeout = wait_for(busy)
    if poller is not None:
        # In milliseconds, rounded up as `selectors` rounds (not to wake before the time).
        return {fd for fd, _ in poller.poll(None if timeout is None else math.ceil(timeout * 1e3))}
    ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=timeout)
    return {w.conn_fd for w in busy if w.conn in ready} \
        | {w.sentinel_fd for w in busy if w.process.sentinel in ready}


def _watch(poller: select.poll | None, watched: list[_Worker | None], index: int,
           worker: _Worker | None) -> None:
    """Register `worker`'s pipe and sentinel for the place `index` of the pool in `poller`, in
    place of those of the worker registered there, if another; None registers none there."""
    old = watched[index]
    if poller is None or old is worker:
        return
    if old is not None:
        poller.unregister(old.conn_fd)
        poller.unregister(old.sentinel_fd)
    if worker is not None:
        poller.register(worker.conn_fd, select.POLLIN)
        poller.register(worker.sentinel_fd, select.POLLIN)
    watched[index] = worker


def _quietly(work: Callable[[], object]) -> None:
    try:
        work()
    except Exception:  # noqa: BLE001, S110 - the step that needs it does it again, and says why
        pass


def _serve(conn: Connection, work: Callable[[Any], Any], parent: int, items: Sequence[Any]) -> None:
    """A worker: work on the item of each index the parent sends, one at a time, until it sends
    None."""
    die_with_parent(parent)
    # Ctrl+C is the parent's to handle (it ends the workers); a worker interrupted mid-file would
    # otherwise report it as a failure of the file.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            index = conn.recv()
        except (EOFError, OSError):
            return
        if index is None:
            return
        item = items[index]
        try:
            # Reading a file makes many objects and no cycles, all let go of once it is answered:
            # collecting while it reads walked them again and again (a fifth of a worker's CPU
            # at Python's default threshold). Any cycle it leaves is collected afterwards.
            with collector_paused():
                answer: tuple[str, Any] = ("ok", work(item))
        except BaseException:  # noqa: BLE001 - the parent decides; the worker only reports
            answer = ("raised", traceback.format_exc())
        try:
            _send(conn, answer)
        except Exception:  # noqa: BLE001 - a result that cannot be sent is reported as a failure
            _send(conn, ("raised", traceback.format_exc()))


def _send(conn: Connection, message: object) -> None:
    """Send `message` to the other end of the pipe (whose `recv` unpickles it): an index, a
    stop, an answer.

    Pickled by pickle itself, not by `Connection.send`, which makes a ForkingPickler for each
    message, copying copyreg's table and multiprocessing's own reducers into it (callgrind: an
    index sent and read 32.9 against 21.3 thousand instructions; an answer 31 thousand
    instructions less, of the 1.16 million pickling one costs). The bytes are the same.
    """
    conn.send_bytes(pickle.dumps(message))
