"""Reading the inbox: each file opened and interpreted into a `FileResult`, e-mails into their attachments.

A file that cannot be read becomes a rejection naming why; one bad file never stops the run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import Path
from typing import TypedDict

from pipeline.consolidate.result import FileResult, Submission, SubmissionState
from pipeline.document import Place, SourceDocument, Table
from pipeline.intake.scan import EntryAction, EntryKind, InboxEntry, file_sha256
from pipeline.issues import Issue, make_issue
from pipeline.layout.group_name import file_name_text, group_name_in
from pipeline.layout.interpret import interpret
from pipeline.limits import FILE_TIME_LIMIT_SECONDS
from pipeline.periods import ReportingCalendar
from pipeline.records import PlanRecord, ReturnData, ReturnKind, TaskRecord
from pipeline.register import Group, Register
from pipeline.words import plural
from pipeline.workdirs import make_work_dir, remove_stale_work_dirs, work_dir_name

#: Inboxes with at least this many files to read are read in parallel, one process per core.
PARALLEL_FROM = 24

ProgressCallback = Callable[[str], None]


def read_all(
    entries: list[InboxEntry],
    register: Register,
    on_file: ProgressCallback | None,
    workers: int | None,
    time_limit: float | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> list[FileResult]:
    """Read every inbox entry into a result, in the entries' order (in parallel for large inboxes).

    `meanwhile()` runs in a thread of this process while the files are read in worker processes
    (see `BudgetedReader.run`)."""
    # Attachments are written to a private folder that must outlive the reading (also in the
    # process pool), and is removed with everything in it afterwards.
    # Named after this process, so the next run removes it if this one is killed.
    remove_stale_work_dirs()
    mail_dir = make_work_dir("mail")
    try:
        entries, mail_results = _expand_emails(entries, register, mail_dir)
        return _read_entries(entries, register, on_file, workers, mail_results, time_limit,
                             meanwhile)
    finally:
        shutil.rmtree(mail_dir, ignore_errors=True)
        remove_stale_work_dirs()  # what a worker killed at its time limit was reading in


def _expand_emails(
    entries: list[InboxEntry], register: Register, workdir: Path
) -> tuple[list[InboxEntry], dict[str, FileResult]]:
    """Replace each saved e-mail by its attachments; the e-mail itself keeps a row of its own."""
    if not any(e.kind is EntryKind.EMAIL and e.action is EntryAction.READ for e in entries):
        return entries, {}
    from pipeline.intake.mail.expand import expand_email

    expanded: list[InboxEntry] = []
    results: dict[str, FileResult] = {}
    for entry in entries:
        if entry.kind is not EntryKind.EMAIL or entry.action is not EntryAction.READ:
            expanded.append(entry)
            continue
        mail = expand_email(entry, workdir)
        summary = mail.summary
        sender = summary.sender if summary else ""
        group = register.group_for_sender(sender) if sender else None
        readable = [e for e in mail.entries if e.action is EntryAction.READ]
        submission = Submission(
            file=entry.name,
            kind="E-mail",
            sha256=file_sha256(entry.path),
            sender=sender,
            message_id=summary.message_id if summary else "",
            references=summary.references if summary else "",
            subject=summary.subject if summary else "",
            group=group.name if group else "",
            received=(summary.sent if summary else "") or entry.modified,
            sent=summary.sent if summary else "",
            file_date=entry.modified,
            state=SubmissionState.REJECTED if mail.rejected_reason else SubmissionState.ACCEPTED,
            reason=mail.rejected_reason
            or (f"'{summary.subject}': {plural(len(readable), 'return')} attached" if summary else ""),
        )
        results[entry.name] = FileResult(submission, None, list(mail.issues))
        expanded.append(entry)
        expanded.extend(mail.entries)
    return expanded, results


def _read_entries(
    entries: list[InboxEntry],
    register: Register,
    on_file: ProgressCallback | None,
    workers: int | None,
    mail_results: dict[str, FileResult],
    time_limit: float | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> list[FileResult]:
    to_read = [e for e in entries if e.action is EntryAction.READ and e.name not in mail_results]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    by_name = {entry.name: result for entry, result in zip(
        to_read, _read_budgeted(to_read, register, time_limit, on_file,
                                workers if len(to_read) >= PARALLEL_FROM else 1, meanwhile),
        strict=True)}
    results = []
    for entry in entries:
        if entry.name in mail_results:
            results.append(mail_results[entry.name])
        elif entry.action is EntryAction.READ:
            results.append(by_name[entry.name])
        else:
            results.append(
                FileResult(
                    Submission(
                        file=entry.name,
                        kind=_skipped_kind(entry),
                        state=SubmissionState.SKIPPED,
                        reason=entry.reason,
                        **_dates(entry),
                    )
                )
            )
    return results


def read_one(entry: InboxEntry, register: Register, time_limit: float | None = None) -> FileResult:
    """Open, read and interpret one return, within its time (default: the per-file limit), in a
    worker process; a file that cannot be read, or not in time, becomes a rejection saying why."""
    (result,) = _read_budgeted([entry], register, time_limit, None, 1)
    return result


def _read_budgeted(entries: list[InboxEntry], register: Register, time_limit: float | None,
                   on_file: ProgressCallback | None, workers: int,
                   meanwhile: Callable[[], object] | None = None) -> list[FileResult]:
    """Read each entry in a worker process that is killed when the file's time is up (or dies):
    that file is rejected saying so, and the rest is read."""
    from pipeline.intake.budget import TIMED_OUT, BudgetedReader

    if not entries:
        return []
    _load_readers()  # once, here: each worker is forked with them loaded
    seconds = FILE_TIME_LIMIT_SECONDS if time_limit is None else time_limit

    def stopped(entry: InboxEntry, why: str) -> FileResult:
        issue = (make_issue("read-time-exceeded", Place(entry.name), duration=_duration(seconds))
                 if why == TIMED_OUT else make_issue("reader-died", Place(entry.name)))
        group = _group_from_name_or_sender(entry, register)
        submission = Submission(file=entry.name, kind=_LABELS.get(entry.kind or "", "file"),
                                state=SubmissionState.REJECTED, **_dates(entry),
                                sha256=file_sha256(entry.path), sender=getattr(entry, "sender", ""),
                                group=group.name if group else "", reason=issue.message)
        return FileResult(submission, None, [issue])

    # Looked up here, not bound at import: a test may stand in a reader of its own.
    reader = BudgetedReader(partial(read_here, register=register), stopped, workers=workers,
                            seconds=seconds, on_start=(lambda e: on_file(e.name)) if on_file else None)
    return reader.run(entries, meanwhile)


def _load_readers() -> None:
    import pipeline.intake.open
    import pipeline.readers.docx
    import pipeline.readers.xlsx  # noqa: F401


_LABELS = {"word": "Word file", "excel": "Excel file"}


class _Dates(TypedDict):
    received: str
    sent: str
    file_date: str
    attached_to: str


def _dates(entry: InboxEntry) -> _Dates:
    """When a file arrived: its e-mail's date when it came attached to one, else the file's own."""
    sent = getattr(entry, "sent", "")
    return _Dates(received=sent or entry.modified, sent=sent, file_date=entry.modified,
                  attached_to=getattr(entry, "message", ""))


def _duration(seconds: float) -> str:
    if seconds >= 120 and seconds % 60 == 0:
        return f"{seconds / 60:g} minutes"
    return f"{seconds:g} second" + ("" if seconds == 1 else "s")


def read_here(entry: InboxEntry, register: Register) -> FileResult:
    """Open, read and interpret one return in this process, with no time limit (what each
    worker runs; `read_one` is the guarded way)."""
    from pipeline.intake.open import open_return

    submission = Submission(
        file=entry.name,
        kind="",
        state=SubmissionState.ACCEPTED,
        **_dates(entry),
        sender=getattr(entry, "sender", ""),
        message_id=getattr(entry, "message_id", ""),
        references=getattr(entry, "references", ""),
        subject=getattr(entry, "subject", ""),
    )
    # Only a file that needs converting makes this folder (intake.convert creates it).
    work = work_dir_name("read")
    try:
        opened = open_return(entry, work)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    # The fingerprint of the bytes intake read, else of the file as it is now.
    submission.sha256 = opened.sha256 or file_sha256(entry.path)
    if opened.document is None:
        submission.state = SubmissionState.REJECTED
        submission.kind = opened.kind_label or "unreadable file"
        submission.reason = opened.rejected_reason or "it could not be read"
        # Whose file it was, from its name or sender, so the group is told and not just chased.
        group = _group_from_name_or_sender(entry, register)
        submission.group = group.name if group else ""
        if any(i.code == UNREADABLE_FORMAT for i in opened.issues):
            submission.kind = "PDF (received, unreadable format)"
        return FileResult(submission, None, list(opened.issues))
    data = interpret(opened.document, register)
    data.period_named = _period_named(opened.document, register.calendar)
    if not data.rows and not data.rows_in_issues and not any(
        i.code in ("no-task-table", "unmapped-table") for i in data.issues
    ):
        # A table with its headings and nothing under them is not a clean return.
        data.issues.append(make_issue("no-task-rows", Place(data.file)))
    data.issues = _dedupe([*opened.issues, *data.issues])
    _resolve_group(data, entry, register, opened.document)
    submission.group = data.group or data.group_text
    if not data.group and data.group_text and data.rows:
        # Read and kept under the name it gives: never dropped, never merged into another group.
        closest = register.match_group(data.group_text).closest
        data.issues.append(make_issue(
            "group-not-in-register", Place(entry.name), value=data.group_text,
            closest=f"; the closest in the register is '{closest}'" if closest else ""))
    elif not data.group and (any(not t.group for t in data.tasks)
                             or any(not p.group for p in data.plans)):
        data.issues.append(make_issue("no-group-named", Place(entry.name)))
    submission.kind = _kind_words(opened.document.kind, opened.kind_label, data.kind)
    submission.rows = data.rows
    return FileResult(submission, data, [])


def _period_named(document: SourceDocument, calendar: ReportingCalendar) -> str:
    """The period a return names in its title, its first paragraphs or its title rows."""
    texts = [document.properties.get("title", "")]
    for block in document.blocks[:6]:
        if isinstance(block, Table):
            texts += [block.title or ""] + [c.text for row in block.rows[:3] for c in row.cells[:4]]
        else:
            texts.append(block.text)
    # The same headings recur in every return: each text's label is remembered, under its
    # calendar found once per return (hashing the calendar, a dataclass, with every text cost
    # more than looking the text up).
    labels = _period_labels(calendar)
    for text in texts:
        if not text:
            continue
        text = text[:300]
        label = labels.get(text)
        if label is None:
            if len(labels) >= _PERIOD_LABELS_KEPT:
                labels.clear()
            found = calendar.find_in(text)
            label = labels[text] = found.label if found is not None else ""
        if label:
            return label
    return ""


#: How many texts' period labels are remembered for a calendar before they are forgotten.
_PERIOD_LABELS_KEPT = 4096


@lru_cache(maxsize=8)
def _period_labels(calendar: ReportingCalendar) -> dict[str, str]:
    """The label of the period each text names ("" for none), as far as found, for one calendar."""
    return {}


def _dedupe(issues: list[Issue]) -> list[Issue]:
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for issue in issues:
        key = (issue.code, str(issue.place), issue.message)
        if key not in seen:
            seen.add(key)
            kept.append(issue)
    return kept


def _resolve_group(data: ReturnData, entry: InboxEntry, register: Register,
                   document: SourceDocument) -> None:
    """Name the return's group: from its text, else its file name, else its sender; a group the
    register does not know, by the name its title, file name or e-mail gives it."""
    if not data.group:
        found = _group_from_name_or_sender(entry, register)
        if found is not None:
            data.group = found.name
    if not data.group and not data.group_text:
        data.group_text = group_name_in(_naming_texts(document, entry), register.partnership)
    fallback = data.group or data.group_text
    records: list[TaskRecord | PlanRecord] = [*data.tasks, *data.plans]
    for record in records:
        if not record.group:
            record.group = fallback
        else:  # each text is matched once a run (match_group remembers it)
            match = register.match_group(record.group)
            if match.group is not None:
                record.group = match.group.name


def _naming_texts(document: SourceDocument, entry: InboxEntry) -> list[str]:
    """Where a return names its group other than a "Group:" line: its title, first lines and
    sheet names, its file's name, its e-mail's sender and subject."""
    texts = [document.properties.get("title", "")]
    for block in document.blocks[:4]:
        if isinstance(block, Table):
            texts += [c.text for row in block.rows[:3] for c in row.cells[:3]]
            texts.append(block.title or "")  # a sheet named after the group
        else:
            texts.append(block.text)
    texts.append(file_name_text(entry.name))
    texts += [getattr(entry, "sender_name", ""), getattr(entry, "subject", "")]
    return [t[:300] for t in texts if t]


def _group_from_name_or_sender(entry: InboxEntry, register: Register) -> Group | None:
    """The group a file's name names ('cdrp-q4.docx'), else the group whose contact sent it."""
    found = register.find_group_in(Path(entry.name).stem.replace("_", " ").replace("-", " "))
    sender = getattr(entry, "sender", "")
    return found or (register.group_for_sender(sender) if sender else None)


#: The rejection that still counts as a return received (a PDF that cannot be read).
UNREADABLE_FORMAT = "unreadable-pdf"


def _kind_words(fmt: str, label: str, kind: ReturnKind) -> str:
    base = {"xlsx": "Excel", "pdf": "PDF"}.get(fmt, "Word")
    what = {
        ReturnKind.PROGRESS: "progress return",
        ReturnKind.PLAN: "action plan",
        ReturnKind.MIXED: "progress return and action plan",
    }.get(kind, "file with no task table")
    converted = f" ({label.split('(', 1)[1]}" if "(" in label else ""
    return f"{base} {what}{converted}"


def _skipped_kind(entry: InboxEntry) -> str:
    return entry.kind or "other file"
