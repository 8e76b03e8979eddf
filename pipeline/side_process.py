"""Running one piece of work in a forked child process while this one does another.

The two outputs of a run (the master workbook and the exceptions report) are each a few seconds
of Python for a county's returns: written one after the other they take the sum, side by side
on two cores the longer of the two. A forked child starts with the parent's memory as it is (the
consolidation is not copied or pickled), does its work and sends back the result, or the
exception it raised, which the parent raises again as its own; work whose child could not be
started, or was killed before it answered, is done in the parent. Where fork is not available, the
work is done in this process when its result is asked for; so it is when another thread that
is not a daemon runs here (the officer's page), as forking beside running threads can leave the
child waiting on a lock one of them held.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import Any

from pipeline.heap import frozen_heap
from pipeline.workdirs import die_with_parent


def can_fork() -> bool:
    """True where a child can be forked safely: fork exists, and no other thread but daemon
    ones (a progress bar's) is running."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    current = threading.current_thread()
    return all(t is current or t.daemon for t in threading.enumerate())


class SideProcess:
    """`work()` started in a forked child now; `result()` waits for it and gives what it returned.
    With `in_child` false (work too small to be worth a process), it is done in this process
    when its result is asked for.

    `first()`, when given, is done by the child before `work()`, and what it returns is sent back
    at once, for `first_result()` to take while the child goes on: work this process would
    otherwise do itself, handed to the child's idle time. It is never done in this process:
    without a child, or when `first()` raised or the child died before answering, there is no
    such result (None), and this process does that work its own way."""

    def __init__(self, work: Callable[[], Any], *, in_child: bool = True,
                 first: Callable[[], Any] | None = None) -> None:
        self._work = work
        self._process: Any = None
        self._connection: Any = None
        self._first_taken = first is None
        if not (in_child and can_fork()):
            return  # done in this process, when its result is asked for
        receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
        parent = os.getpid()

        def child() -> None:
            receiver.close()
            die_with_parent(parent)
            if first is not None:
                try:
                    handed: Any = first()
                except Exception:  # noqa: BLE001 - the parent does that work itself
                    handed = None
                try:
                    sender.send(handed)
                except Exception:  # noqa: BLE001 - (cannot be pickled) likewise
                    sender.send(None)
            try:
                outcome: tuple[str, Any] = ("returned", work())
            except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
                outcome = ("raised", exc)
            try:
                sender.send(outcome)
            except Exception:  # an exception that cannot be pickled: its words are enough
                sender.send(("raised", RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
            sender.close()

        # Objects that exist now are never collected in the child, so its garbage collector
        # does not touch (and copy) the pages it shares with this process.
        process = multiprocessing.get_context("fork").Process(target=child, daemon=True)
        try:
            with frozen_heap():
                process.start()
        except OSError:  # no process to be had now (memory, the process limit): done here
            receiver.close()
            return
        finally:
            sender.close()
        self._process = process
        self._connection = receiver

    def first_result(self) -> Any:
        """What `first()` returned in the child (waiting for it); None without a child, when it
        raised, or when the child ended before sending it. Taken once, before `result()`."""
        if self._first_taken:
            raise RuntimeError("first_result() is taken once, before result()")
        self._first_taken = True
        if self._process is None:
            return None
        try:
            return self._connection.recv()
        except EOFError:
            return None

    def result(self) -> Any:
        """What the work returned; the exception it raised is raised here. A child that ended
        without an answer (killed: by the system when memory ran short, say) has its work
        done again here."""
        if self._process is None:
            return self._work()
        if not self._first_taken:  # what `first()` sent, not taken: it comes first on the pipe
            self.first_result()
        try:
            kind, value = self._connection.recv()
        except EOFError:
            self._process.join()
            return self._work()
        finally:
            self._connection.close()
        self._process.join()
        if kind == "raised":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child if it is still at work (the run failed elsewhere)."""
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join()
