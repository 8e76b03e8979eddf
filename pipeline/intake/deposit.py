"""Putting a file into the inbox from outside (the officer's page): judged as a run would judge it.

A file is read once, privately, with the same intake checks and readers a consolidation uses;
one the run would reject is refused at once with the reason, and never reaches the inbox.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.consolidate.result import SubmissionState
from pipeline.intake.mail.names import safe_file_name
from pipeline.intake.scan import EntryAction, EntryKind, InboxEntry, scan_inbox
from pipeline.register import Register
from pipeline.workdirs import remove_stale_work_dirs, staging_prefix, work_dir


@dataclass(frozen=True)
class Deposit:
    """What became of one file offered for the inbox."""

    original: str
    """The name the file was offered under, as given."""
    name: str
    """The name it was saved under in the inbox; empty when it was refused."""
    accepted: bool
    detail: str
    """What it is ('Word progress return · CDRP · 12 rows') or why it was refused."""


def deposit(data: bytes, original: str, inbox: Path, register: Register) -> Deposit:
    """Check a file as a run would and, unless a run would reject it, save it into the inbox.

    The name is made safe (no folders, nothing hidden) and never replaces a file already there.
    """
    name = safe_file_name(original, fallback="return")
    with work_dir("deposit") as work:
        folder = Path(work) / "in"
        folder.mkdir()
        (folder / name).write_bytes(data)
        entries = scan_inbox(folder)
        entry = entries[0]
        if entry.action is not EntryAction.READ:
            return Deposit(original, "", False, f"{name} is not read: {entry.reason}.")
        refusal, detail = _judge(entry, register, Path(work))
        if refusal:
            return Deposit(original, "", False, f"{name} was refused: {refusal}.")
        saved = _save(folder / name, inbox)
    return Deposit(original, saved, True, detail)


def _judge(entry: InboxEntry, register: Register, work: Path) -> tuple[str, str]:
    """(why a run would reject it or '', what it is in words)."""
    if entry.kind is EntryKind.EMAIL:
        from pipeline.intake.mail.expand import expand_email

        mail = expand_email(entry, work)
        if mail.rejected_reason:
            return mail.rejected_reason, ""
        readable = [e for e in mail.entries if e.action is EntryAction.READ]
        subject = mail.summary.subject if mail.summary else ""
        return "", f"E-mail '{subject}' · {len(readable)} attachment(s) to read"
    from pipeline.consolidate.read import read_one

    result = read_one(entry, register)
    sub = result.submission
    if sub.state == SubmissionState.REJECTED:
        return sub.reason, ""
    rows = f"{sub.rows} row" + ("" if sub.rows == 1 else "s")
    return "", " · ".join(part for part in (sub.kind, sub.group or "group not recognised", rows))


def _save(source: Path, inbox: Path) -> str:
    """Put into the inbox, whole, under a name no file there has yet ('return (2).docx')."""
    inbox.mkdir(parents=True, exist_ok=True)
    remove_stale_work_dirs(inbox)  # what an upload that was killed was still writing
    # Written first under a hidden name (a run skips hidden files), then linked to its own name:
    # a run never sees half a file, and the link fails rather than replace a file already there.
    with tempfile.NamedTemporaryFile(dir=inbox, prefix=staging_prefix("uploading"), delete=False) as handle:
        handle.write(source.read_bytes())
        partial = Path(handle.name)
    try:
        stem, suffix = source.stem, source.suffix
        number = 1
        while True:
            candidate = source.name if number == 1 else f"{stem} ({number}){suffix}"
            try:
                os.link(partial, inbox / candidate)
                return candidate
            except FileExistsError:
                number += 1
    finally:
        partial.unlink(missing_ok=True)
