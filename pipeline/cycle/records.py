"""What the cycle's book records, as plain records: periods, acceptances, the files and issues of a
period's last consolidation, the audit trail. The book itself (`book.py`) keeps them in the
history database; these need no database library, so what only shows them (the tracker, a run
without history) does not load one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.consolidate.result import SubmissionState
from pipeline.errors import PipelineError

#: An acceptance that signs a return off, and one that counts a return dated for another period.
SIGNED_OFF = "signed-off"
COUNTED = "counted"


class CycleError(PipelineError):
    """A step of the cycle cannot be taken (no such period, a closed period, no such query)."""


@dataclass(frozen=True)
class PeriodInfo:
    """A period of the cycle as the book keeps it."""

    label: str
    deadline: dt.date
    opened_at: dt.datetime
    opened_by: str
    closed_at: dt.datetime | None = None
    closed_by: str = ""

    @property
    def is_open(self) -> bool:
        """True until the period is closed."""
        return self.closed_at is None


@dataclass(frozen=True)
class Acceptance:
    """A return the officer accepted (signed off, or counted for this period)."""

    period: str
    group: str
    file: str
    sha256: str
    kind: str
    at: dt.datetime
    by: str
    note: str = ""


@dataclass(frozen=True)
class RecordedFile:
    """A file of a period's last consolidation, and what became of it."""

    file: str
    sha256: str
    group: str
    kind: str
    status: SubmissionState
    reason: str
    received: str
    sender: str
    rows: int
    errors: int
    queries: int
    explained: int


@dataclass(frozen=True)
class RecordedIssue:
    """A problem found in a period's last consolidation."""

    key: str
    code: str
    severity: str
    file: str
    location: str
    group: str
    ref: str
    task: str
    column: str
    message: str
    advice: str
    explanation: str


@dataclass(frozen=True)
class AuditEntry:
    """One thing done in the cycle."""

    at: dt.datetime
    who: str
    action: str
    period: str
    group: str
    detail: str
