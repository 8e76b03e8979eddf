"""A time budget per file: a file that still reads too long is stopped, and the run goes on.

The limits on a file's shape (`pipeline.limits`) keep work proportional to its content; this is
the last guard for whatever still runs long. It uses the real-time interval timer, so it works in
the main thread of a process (the CLI's, and each reading worker's); elsewhere it is a no-op.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class FileTimedOut(BaseException):
    """Reading one file took longer than its budget.

    A BaseException, so no reader's ``except Exception`` can swallow it and carry on.
    """


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise FileTimedOut inside the block once `seconds` have passed (None: no budget)."""
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def on_alarm(_signum: int, _frame: FrameType | None) -> None:
        raise FileTimedOut

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, float(seconds))  # type: ignore[arg-type]
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
