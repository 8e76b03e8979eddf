"""What the intake tests share: the entry a scan makes for one file, a folder's snapshot, LibreOffice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.intake.scan import InboxEntry, scan_inbox

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed, so nothing can be converted"
)


def entry_for(path: Path, inbox: Path | None = None) -> InboxEntry:
    """The inbox entry scan_inbox would make for one file."""
    inbox = inbox or path.parent
    (found,) = [e for e in scan_inbox(inbox) if e.path == path]
    return found


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under a folder with its bytes and mtime, to prove nothing was touched."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def write_bytes(path: Path, data: bytes) -> Path:
    """Write a file of exactly these bytes and return its path."""
    path.write_bytes(data)
    return path
