"""What one consolidation is made of: each inbox file's fate, the merged records, the counts."""

from __future__ import annotations

import copyreg
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pipeline.errors import PipelineError
from pipeline.issues import Issue
from pipeline.pickled import pickled_by_name
from pipeline.records import EXCEPTION_STATUSES, PlanRecord, ReturnData, SummaryRecord, TaskRecord
from pipeline.words import plural


class ConsolidationError(PipelineError):
    """The consolidation cannot run at all (no inbox, a broken invariant)."""


@pickled_by_name
class SubmissionState(StrEnum):
    """What became of one file found in the inbox."""

    ACCEPTED = "accepted"
    """Read and counted (merged into the outputs)."""
    REJECTED = "rejected"
    """It could not be read; the reason says why."""
    SKIPPED = "skipped"
    """Not a return (a lock file, a picture), never opened."""
    SUPERSEDED = "superseded"
    """Read, but a later return from the same group (or an identical copy) is the one used."""
    HELD_BACK = "held back"
    """Dated for another period: read, not counted unless the officer accepts it for this one."""


@dataclass
class Submission:
    """One file found in the inbox and what became of it."""

    file: str
    """The file's name relative to the inbox (``mail.eml/return.docx`` for an attachment)."""
    kind: str
    """What the file is, in words: ``Word progress return``, ``Excel planning return``…"""
    state: SubmissionState
    """What became of it: read and counted, rejected, skipped, superseded or held back."""
    reason: str = ""
    """Why it was rejected, skipped or superseded; empty when accepted."""
    group: str = ""
    rows: int = 0
    """Task and plan rows read from it."""
    received: str = ""
    """When it arrived (ISO 8601): the e-mail's date, else (no date, or one not believable) the
    file's own date."""
    sent: str = ""
    """The date the e-mail it came in gives, ISO 8601 in UTC; empty for a saved file or an e-mail
    without a date."""
    file_date: str = ""
    """The modification time of the file in the inbox (for an attachment: its e-mail's file)."""
    attached_to: str = ""
    """The e-mail it arrived attached to (its name in the inbox); empty for a file saved on its own."""
    sender: str = ""
    sha256: str = ""
    message_id: str = ""
    """The Message-ID of the e-mail it came in (feedback replies to it); empty for a saved file."""
    references: str = ""
    """That e-mail's own References (its thread), space-separated."""
    subject: str = ""
    """That e-mail's subject, which the reply's subject repeats."""


def arrivals(submissions: list[Submission]) -> list[tuple[Submission, list[Submission]]]:
    """The files as the officer saw them arrive: each saved file, each e-mail with its attachments."""
    attached: dict[str, list[Submission]] = {}
    for sub in submissions:
        if sub.attached_to:
            attached.setdefault(sub.attached_to, []).append(sub)
    return [(sub, attached.get(sub.file, [])) for sub in submissions if not sub.attached_to]


def arrival_state(sub: Submission, attachments: list[Submission]) -> SubmissionState:
    """What became of one arrival: a saved file's own state; an e-mail's from its attachments
    (read if one of them was read, superseded or held back when all those read were, rejected
    when the e-mail or every return in it was, else skipped)."""
    if sub.kind != "E-mail" or sub.state == SubmissionState.REJECTED:
        return sub.state
    states = {a.state for a in attachments}
    for state in (SubmissionState.ACCEPTED, SubmissionState.HELD_BACK, SubmissionState.SUPERSEDED,
                  SubmissionState.REJECTED):
        if state in states:
            return state
    return SubmissionState.SKIPPED


@dataclass
class Reconciliation:
    """The counts that prove nothing read was lost."""

    files_found: int = 0
    files_read: int = 0
    files_rejected: int = 0
    files_skipped: int = 0
    files_superseded: int = 0
    files_held_back: int = 0
    """Returns dated for another period, read but not counted."""
    emails: int = 0
    """Of the files found, the saved e-mails (each counted once, with its attachments)."""
    attachments: int = 0
    """The files attached to those e-mails."""
    rows_read: int = 0
    rows_merged: int = 0
    """Task and plan rows merged into the consolidation, to be written."""
    rows_written: int | None = None
    """Task and plan rows the master workbook's writer wrote (its Tasks and Action plan sheets);
    None until it has written them."""
    rows_in_issues: int = 0
    """Rows of tables that could not be mapped: not written as tasks, listed in Issues instead."""
    exceptions: int = 0
    exceptions_listed: int | None = None
    """Amber and red tasks the exceptions report listed; None until it is written."""

    @property
    def balanced(self) -> bool:
        """True when every row read was written to the master workbook or is listed in Issues, and
        the exceptions report (once written) lists every amber and red task."""
        return (self.rows_written is not None
                and self.rows_read == self.rows_written + self.rows_in_issues
                and self.exceptions_listed in (None, self.exceptions))

    def check(self) -> None:
        """Raise ConsolidationError when what the writers wrote so far does not account for what
        was read (each writer checks its own count, the report's maybe in another process)."""
        if self.rows_written is not None and self.rows_read != self.rows_written + self.rows_in_issues:
            raise ConsolidationError(
                f"Reconciliation failed: {self.rows_read} task rows were read but "
                f"{self.rows_written or 0} written and {self.rows_in_issues} listed in Issues. "
                "This is a bug in the pipeline; please report it with the inbox that caused it.")
        if self.exceptions_listed is None or self.exceptions_listed == self.exceptions:
            return
        raise ConsolidationError(
            f"Reconciliation failed: {self.exceptions} tasks are amber or red but the exceptions "
            f"report lists {self.exceptions_listed}. This is a bug in the pipeline; please report "
            "it with the inbox that caused it.")

    def line(self) -> str:
        """The one-line account printed at the end of a run."""
        return (
            f"Files: {self.files_found} found"
            + (f" ({plural(self.emails, 'e-mail')} with {plural(self.attachments, 'attached file')})"
               if self.emails else "")
            + f", {self.files_read} read, "
            f"{self.files_rejected} rejected, {self.files_skipped} skipped"
            + (f", {self.files_superseded} superseded" if self.files_superseded else "")
            + (f", {self.files_held_back} held back" if self.files_held_back else "")
            + f". Task rows: {self.rows_read} read, "
            + (f"{self.rows_written} written" if self.rows_written is not None else "not yet written")
            + (f", {self.rows_in_issues} listed in Issues" if self.rows_in_issues else "")
            + ". "
            f"Exceptions (amber/red): {self.exceptions}."
        )


@dataclass
class Consolidation:
    """The result of one consolidation run: what the master workbook and the report are made of.

    Tasks and plans are already in report order: groups in the register's order, then outcome,
    then the order in which the return lists them.
    """

    period: str
    generated: str
    """When the run happened (ISO 8601, to the minute)."""
    submissions: list[Submission] = field(default_factory=list)
    tasks: list[TaskRecord] = field(default_factory=list)
    plans: list[PlanRecord] = field(default_factory=list)
    summaries: list[SummaryRecord] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    """Every group in the register, in the register's order."""
    missing_groups: list[str] = field(default_factory=list)
    """Groups in the register that sent no accepted return."""
    reconciliation: Reconciliation = field(default_factory=Reconciliation)
    previous_period: str = ""
    """The period recorded before this one in the history, when there is one."""
    changes: list[Any] = field(default_factory=list)
    """Each task's change since the previous period (`pipeline.history.Change`), when known."""
    trend: Any = None
    """The periods recorded before this one (`pipeline.history.trend.Trend`), when history is on."""
    officer: str = ""
    """Who produced the consolidation: the register's partnership officer."""
    tracker: Any = None
    """Where each group's return stands in the cycle (`pipeline.cycle.tracker.Tracker`), when the
    period was opened in the cycle."""
    late_groups: list[str] | None = None
    """Groups late with their return, when the period has a deadline in the cycle."""
    unaccepted_groups: list[str] | None = None
    """Groups whose return was received but not yet accepted, when the cycle knows."""

    @property
    def exceptions(self) -> list[TaskRecord]:
        """The amber and red tasks, in report order."""
        return [t for t in self.tasks if t.status in EXCEPTION_STATUSES]


@dataclass
class FileResult:
    """What became of one inbox file: its submission, what was read from it and its problems."""

    submission: Submission
    data: ReturnData | None = None
    issues: list[Issue] = field(default_factory=list)
    stale: str = ""
    """Why the return seems to be for another period than the one consolidated, in words
    ('dated 4th September 2008, in Q2 2008/09, not Q4 2008/09'); empty when it is not."""


def _result_sent(result: FileResult) -> tuple[Any, tuple[Any, ...]]:
    """What became of one file as a reading worker sends it: its submission's values in their
    fields' order (test_pickled holds it) and its own values, made again in one call
    (`_result_received`); the state goes by its name, as its enum is pickled (`pickled_by_name`).

    Pickled as dataclasses are, a FileResult and its Submission were each their class and a
    dict of their fields by name (20 names an answer): two classes looked up by name in every
    answer, which the run's parent imports and looks into each time (5,400 instructions a name;
    the worker about as much to write it). So, the bench's 120 answers (`bench/instructions.py
    send`) took about 209 M instructions, not 216.7 M (the state's name written in by hand as
    well saved 1 M more: not worth a second way to pickle a state)."""
    sub = result.submission
    return _result_received, (
        (sub.file, sub.kind, sub.state, sub.reason, sub.group, sub.rows, sub.received, sub.sent,
         sub.file_date, sub.attached_to, sub.sender, sub.sha256, sub.message_id, sub.references,
         sub.subject),
        result.data, result.issues, result.stale)


def _result_received(submission: tuple[Any, ...], data: ReturnData | None, issues: list[Issue],
                     stale: str) -> FileResult:
    """What became of one file, as the run's parent takes it from a worker (`_result_sent`)."""
    return FileResult(Submission(*submission), data, issues, stale)


FileResult.__reduce__ = _result_sent  # type: ignore[method-assign,assignment]
copyreg.pickle(FileResult, _result_sent)  # looked up first, as for a task (`pipeline.records`)
