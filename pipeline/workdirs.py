"""Private work folders and staging files that a killed run cannot leave behind for good.

Each one's name carries the process id of the run that made it (``pipeline-4242-mail-…`` in the
temp folder, ``.writing-4242-master.….part`` beside an output), so the next run can tell one whose
owner is gone (killed, or the machine restarted) from one a concurrent run is still using, and
remove only the former. Every temporary folder or file the pipeline makes is named here.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: A folder of the old naming (no process id) is removed once it is this old.
STALE_AFTER_SECONDS = 24 * 3600

_OWNED = re.compile(r"^(?P<prefix>pipeline|\.writing)-(?P<pid>\d+)-")
_LEGACY = re.compile(r"^(pipeline|\.writing)-(?!\d+-)")


def make_work_dir(purpose: str, parent: Path | None = None, *, hidden: bool = False) -> Path:
    """A new private folder named after this process (in the system's temp folder by default)."""
    prefix = f"{'.writing' if hidden else 'pipeline'}-{os.getpid()}-{purpose}-"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))


@contextmanager
def work_dir(purpose: str, parent: Path | None = None) -> Iterator[Path]:
    """A private folder for the block (see `make_work_dir`), removed with its contents after it."""
    folder = make_work_dir(purpose, parent)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def staging_prefix(purpose: str) -> str:
    """The start of a hidden staging file's name beside its target (``.writing-4242-master.``)."""
    return f".writing-{os.getpid()}-{purpose}."


def work_dir_name(purpose: str, parent: Path | None = None) -> Path:
    """The name of a private folder `make_work_dir` would make, not yet made: for a folder only
    some runs need (create it with ``mkdir(mode=0o700)``), named so a killed run's is removed."""
    folder = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    return folder / f"pipeline-{os.getpid()}-{purpose}-{secrets.token_hex(8)}"


def remove_stale_work_dirs(parent: Path | None = None) -> list[Path]:
    """Remove the work folders and staging files of runs that are no longer running; return what
    was removed."""
    folder = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    removed: list[Path] = []
    try:
        with os.scandir(folder) as it:
            candidates = [e for e in it if e.name.startswith(("pipeline-", ".writing-"))]
    except OSError:
        return removed
    now = time.time()
    for item in candidates:
        owned = _OWNED.match(item.name)
        if owned:
            stale = not _alive(int(owned.group("pid")))
        elif _LEGACY.match(item.name):
            try:
                stale = now - item.stat(follow_symlinks=False).st_mtime > STALE_AFTER_SECONDS
            except OSError:
                continue
        else:
            continue
        if stale and _is_ours(item):
            if item.is_dir(follow_symlinks=False):
                shutil.rmtree(item.path, ignore_errors=True)
            else:
                Path(item.path).unlink(missing_ok=True)
            removed.append(Path(item.path))
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    except OSError:
        return False
    return True


def _is_ours(item: os.DirEntry[str]) -> bool:
    """Only folders this user owns are removed (a shared /tmp holds other people's too)."""
    try:
        return not hasattr(os, "getuid") or item.stat(follow_symlinks=False).st_uid == os.getuid()
    except OSError:
        return False


def die_with_parent(parent: int | None = None) -> None:
    """Ask the kernel to end this (worker) process when its parent dies (Linux; a no-op elsewhere).

    A worker blocked reading a long file would otherwise outlive a run that was killed.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:
        # The parent died before the request was made: nobody is left to ask for the result.
        os._exit(1)
