"""One consolidation at a time per output folder: a second run is refused with a clear message."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import PipelineError

#: The lock file in the output folder; it holds who is running and since when.
LOCK_NAME = ".pipeline-run.lock"


class RunInProgress(PipelineError):
    """Another consolidation is writing into the same output folder."""


@contextmanager
def run_lock(out: Path) -> Iterator[None]:
    """Hold the output folder's run lock for the duration of a consolidation."""
    path = Path(out) / LOCK_NAME
    for _ in range(5):
        handle = open(path, "a+b")  # noqa: SIM115 - held open for the lock's lifetime
        locked = _try_lock(handle)
        if not locked or _still_there(handle, path):
            break
        handle.close()  # locked a file the run before us had just removed: take the new one
    if not locked:
        handle.seek(0)
        holder = handle.read(200).decode("utf-8", "replace").strip()
        handle.close()
        raise RunInProgress(
            f"Another consolidation is running into {out}"
            f"{f' ({holder})' if holder else ''}; wait for it to finish, then run again."
        )
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}, started {dt.datetime.now():%H:%M:%S}".encode())
        handle.flush()
        yield
    finally:
        # Removed while still held, so no other run can take a lock on a file about to vanish;
        # a killed run leaves the file, but the kernel releases its lock and the next run takes it.
        path.unlink(missing_ok=True)
        handle.close()


def _still_there(handle: object, path: Path) -> bool:
    try:
        return os.fstat(handle.fileno()).st_ino == path.stat().st_ino  # type: ignore[attr-defined]
    except OSError:
        return False


def _try_lock(handle: object) -> bool:
    fileno = handle.fileno()  # type: ignore[attr-defined]
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fileno, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fileno, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True
