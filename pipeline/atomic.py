"""Writing a file whole or not at all: the outputs, the e-mail drafts, fetch's list of messages."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.workdirs import staging_prefix


class WriteError(PipelineError):
    """A file could not be put in place; the message says what to do, and the previous one is kept."""


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success move it into place, on failure remove it."""
    path = Path(path)
    # Same directory, so os.replace is a rename on one file system and never a copy.
    # Named after this process, so a run killed while writing leaves nothing the next one keeps.
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=staging_prefix(path.stem), suffix=".part")
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        if temp.stat().st_size == 0:
            raise WriteError(f"Nothing was written for {path.name}; the previous file is kept.")
        _fsync(temp)
        # mkstemp makes the file private (0600); an output is shared like any file the user saves.
        os.chmod(temp, _mode_for(path))
        try:
            os.replace(temp, path)
        except PermissionError as exc:
            # On Windows the usual cause: the previous output is open in Excel or Word.
            raise WriteError(
                f"Cannot replace {path}: {exc.strerror}. If it is open in Excel or Word, "
                "close it and run again; the previous file is unchanged."
            ) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable; directories cannot be opened this way on Windows.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _mode_for(path: Path) -> int:
    """Keep the permissions of the file being replaced, else what the user's umask gives."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
