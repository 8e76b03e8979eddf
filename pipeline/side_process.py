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

`StandbyProcess` is the other way round: a child forked early, before its work is known, that
gets ready (loads the libraries the work needs) on the core this process leaves idle while it
starts, and is sent the work and its inputs later. A small run's checks are done so: the run's
own process never loads pandas and pandera, about a second of its start on one core.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
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
            _answer(sender, work)
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


class StandbyProcess:
    """A child forked now that gets ready at once, on the core this process leaves idle, and
    then waits to be given work: `prepare()` (importing the libraries the work needs, say) runs
    while this process goes on with its own start, and each `submit(work, *args)` later is done
    there, with the libraries loaded.

    Unlike `SideProcess`, the work is not known when the child is forked: it and its arguments
    are pickled over (a function of a module, and arguments that pickle), so it suits small
    inputs. `submit` does not wait for the child: the pickled work is written from a thread, so
    this process goes on even while the child is still preparing. The child takes one piece of
    work at a time; `Submitted.result()` waits for its answer. Work whose child could not be
    started, has died or was closed is done in this process when its result is asked for.
    """

    def __init__(self, prepare: Callable[[], object]) -> None:
        self._process: Any = None
        self._connection: Any = None
        self._busy: Submitted | None = None
        if not can_fork():
            return
        mine, theirs = multiprocessing.get_context("fork").Pipe()
        parent = os.getpid()

        def child() -> None:
            mine.close()
            die_with_parent(parent)
            # Ctrl+C is the parent's to handle; it ends this child with it.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                prepare()
            except Exception:  # noqa: BLE001, S110 - the work imports what it needs itself
                pass
            _serve_standby(theirs)

        process = multiprocessing.get_context("fork").Process(target=child, daemon=True,
                                                                 name="pipeline-standby")
        try:
            with frozen_heap():
                process.start()
        except OSError:  # no process to be had now: the work is done here
            mine.close()
            return
        finally:
            theirs.close()
        self._process, self._connection = process, mine

    @property
    def ready(self) -> bool:
        """True while a child is there to take work (it may still be preparing)."""
        return self._process is not None

    def submit(self, work: Callable[..., Any], *args: Any) -> Submitted:
        """Start `work(*args)` in the child (or, without one, when its result is asked for)."""
        if self._busy is not None and not self._busy.taken:
            raise RuntimeError("the standby child takes one piece of work at a time: take the "
                               "result of the last one first")
        submitted = Submitted(self, work, args)
        if self._process is not None:
            self._busy = submitted
            submitted.send(self._connection)
        return submitted

    def close(self) -> None:
        """End the child (at once: it holds nothing of its own that needs saving). Closed with
        work given to it and not taken, or when the child has died, that work is done here."""
        if self._process is None:
            return
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if process.is_alive():
            process.kill()
        process.join()
        connection.close()  # work still waiting for its answer is done in this process


class Submitted:
    """One piece of work given to a `StandbyProcess`: `result()` waits for it."""

    def __init__(self, standby: StandbyProcess, work: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self._standby, self._work, self._args = standby, work, args
        self._connection: Any = None
        self._sending: threading.Thread | None = None
        self._send_failed = False
        self.taken = False

    def send(self, connection: Any) -> None:
        """Write the work to the child from a thread of its own (`StandbyProcess.submit`)."""
        self._connection = connection
        self._sending = threading.Thread(target=self._send, name="pipeline-standby-send", daemon=True)
        self._sending.start()

    def _send(self) -> None:
        try:
            self._connection.send((self._work, self._args))
        except Exception:  # noqa: BLE001 - (a broken pipe, arguments that do not pickle) done here
            self._send_failed = True

    def result(self) -> Any:
        """What the work returned; the exception it raised is raised here. Work the child could
        not do (it died, it was closed, the work could not be sent) is done in this process."""
        if self.taken:
            raise RuntimeError("a submitted work's result is taken once")
        self.taken = True
        if self._connection is None:
            return self._work(*self._args)
        assert self._sending is not None
        self._sending.join()
        if self._send_failed:
            self._standby.close()
            return self._work(*self._args)
        try:
            kind, value = self._connection.recv()
        except (EOFError, OSError):
            self._standby.close()
            return self._work(*self._args)
        if kind == "raised":
            raise value
        return value

    def cancel(self) -> None:
        """Leave the work unfinished (the run failed elsewhere); its child is closed with it."""
        if not self.taken:
            self.taken = True
            self._standby.close()


def _serve_standby(connection: Any) -> None:
    """The standby child: do each piece of work sent, answer, until told to stop (None)."""
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        work, args = job
        _answer(connection, functools.partial(work, *args))


def _answer(connection: Any, work: Callable[[], Any]) -> None:
    """Do `work` (in a child) and send the parent what it returned, or the exception it raised:
    in words when it cannot be pickled."""
    try:
        outcome: tuple[str, Any] = ("returned", work())
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        outcome = ("raised", exc)
    try:
        connection.send(outcome)
    except Exception:  # an exception that cannot be pickled: its words are enough
        connection.send(("raised", RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
