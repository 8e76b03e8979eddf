"""One consolidation: every return in the inbox read, checked and merged, in report order."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.intake.scan import InboxEntry, file_sha256, scan_inbox
from pipeline.issues import Issue, make_issue
from pipeline.layout import interpret
from pipeline.limits import FILE_TIME_LIMIT_SECONDS
from pipeline.model import (
    Consolidation,
    Place,
    PlanRecord,
    Reconciliation,
    ReturnData,
    SourceDocument,
    Status,
    Submission,
    Table,
    TaskRecord,
)
from pipeline.normalise.text import parse_date
from pipeline.periods import Period, ReportingCalendar
from pipeline.register import Group, Register, outcome_sort_key
from pipeline.workdirs import die_with_parent, make_work_dir, remove_stale_work_dirs

#: Inboxes with at least this many files to read are read in parallel, one process per core.
PARALLEL_FROM = 24


class ConsolidationError(PipelineError):
    """The consolidation cannot run at all (no inbox, a broken invariant)."""


@dataclass
class FileResult:
    """What became of one inbox file."""

    submission: Submission
    data: ReturnData | None = None
    issues: list[Issue] = field(default_factory=list)
    stale: str = ""
    """Why the return seems to be for another period than the one consolidated, in words
    ('dated 4th September 2008, in Q2 2008/09, not Q4 2008/09'); empty when it is not."""


ProgressCallback = Callable[[str], None]


def consolidate(
    inbox: Path,
    register: Register,
    *,
    period: str | None = None,
    exclude: Iterable[Path] = (),
    on_file: ProgressCallback | None = None,
    workers: int | None = None,
    time_limit: float | None = None,
    count_anyway: Collection[str] = (),
) -> Consolidation:
    """Read every return in the inbox and merge them into one consolidation.

    `time_limit` is the seconds one file may take to read (default: the per-file limit). A
    return dated for another period is held back (listed, never merged) unless its SHA-256 is in
    `count_anyway`: the officer has accepted it as this period's return.
    """
    inbox = Path(inbox)
    if inbox.exists() and not inbox.is_dir():
        raise ConsolidationError(
            f"The inbox {inbox} is a file, not a folder: name the folder that holds the returns "
            "with --inbox."
        )
    if not inbox.is_dir():
        raise ConsolidationError(
            f"The inbox folder {inbox} does not exist. Create it and put the "
            "returns in it, or name another folder with --inbox."
        )
    calendar = register.calendar
    wanted = calendar.parse(period) if period else None
    entries = scan_inbox(inbox, exclude=exclude)
    results = _read_all(entries, register, on_file, workers, time_limit)
    chosen = wanted or _period_from(results, calendar)
    _flag_other_periods(results, chosen, calendar)
    _hold_back_other_periods(results, chosen, count_anyway)
    _supersede_resubmissions(results)
    return _merge(results, register, chosen.label)


def _read_all(
    entries: list[InboxEntry],
    register: Register,
    on_file: ProgressCallback | None,
    workers: int | None,
    time_limit: float | None = None,
) -> list[FileResult]:
    # Attachments are written to a private folder that must outlive the reading (also in the
    # process pool), and is removed with everything in it afterwards.
    # Named after this process, so the next run removes it if this one is killed.
    remove_stale_work_dirs()
    mail_dir = make_work_dir("mail")
    try:
        entries, mail_results = _expand_emails(entries, register, mail_dir)
        return _read_entries(entries, register, on_file, workers, mail_results, time_limit)
    finally:
        shutil.rmtree(mail_dir, ignore_errors=True)


def _expand_emails(
    entries: list[InboxEntry], register: Register, workdir: Path
) -> tuple[list[InboxEntry], dict[str, FileResult]]:
    """Replace each saved e-mail by its attachments; the e-mail itself keeps a row of its own."""
    if not any(e.kind == "email" and e.action == "read" for e in entries):
        return entries, {}
    from pipeline.mail.expand import expand_email

    expanded: list[InboxEntry] = []
    results: dict[str, FileResult] = {}
    for entry in entries:
        if entry.kind != "email" or entry.action != "read":
            expanded.append(entry)
            continue
        mail = expand_email(entry, workdir)
        summary = mail.summary
        sender = summary.sender if summary else ""
        group = register.group_for_sender(sender) if sender else None
        readable = [e for e in mail.entries if e.action == "read"]
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
            outcome="rejected" if mail.rejected_reason else "accepted",
            reason=mail.rejected_reason
            or (f"'{summary.subject}': {len(readable)} return(s) attached" if summary else ""),
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
) -> list[FileResult]:
    to_read = [e for e in entries if e.action == "read" and e.name not in mail_results]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    by_name: dict[str, FileResult] = {}
    if workers > 1 and len(to_read) >= PARALLEL_FROM:
        with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            for entry, result in zip(
                to_read, pool.map(read_one, to_read, [register] * len(to_read), [time_limit] * len(to_read),
                         chunksize=8), strict=True
            ):
                by_name[entry.name] = result
                if on_file:
                    on_file(entry.name)
    else:
        for entry in to_read:
            if on_file:
                on_file(entry.name)
            by_name[entry.name] = read_one(entry, register, time_limit)
    results = []
    for entry in entries:
        if entry.name in mail_results:
            results.append(mail_results[entry.name])
        elif entry.action == "read":
            results.append(by_name[entry.name])
        else:
            results.append(
                FileResult(
                    Submission(
                        file=entry.name,
                        kind=_skipped_kind(entry),
                        outcome="skipped",
                        reason=entry.reason,
                        received=entry.modified,
                    )
                )
            )
    return results


def read_one(entry: InboxEntry, register: Register, time_limit: float | None = None) -> FileResult:
    """Open, read and interpret one return; a file that cannot be read becomes a rejection.

    Reading stops after `time_limit` seconds (default: the per-file limit), and the file is
    rejected with a message saying so.
    """
    from pipeline.intake.budget import FileTimedOut, time_budget

    seconds = FILE_TIME_LIMIT_SECONDS if time_limit is None else time_limit
    try:
        with time_budget(seconds):
            return _read_one(entry, register)
    except FileTimedOut:
        issue = make_issue("read-time-exceeded", Place(entry.name), duration=_duration(seconds))
        group = _group_from_name_or_sender(entry, register)
        submission = Submission(file=entry.name, kind=_LABELS.get(entry.kind, "file"),
                                outcome="rejected", received=entry.modified,
                                sha256=file_sha256(entry.path), sender=getattr(entry, "sender", ""),
                                group=group.name if group else "", reason=issue.message)
        return FileResult(submission, None, [issue])


_LABELS = {"word": "Word file", "excel": "Excel file"}


def _duration(seconds: float) -> str:
    if seconds >= 120 and seconds % 60 == 0:
        return f"{seconds / 60:g} minutes"
    return f"{seconds:g} second" + ("" if seconds == 1 else "s")


def _read_one(entry: InboxEntry, register: Register) -> FileResult:
    from pipeline.intake.open import open_return

    submission = Submission(
        file=entry.name,
        kind="",
        outcome="accepted",
        received=entry.modified,
        sha256=file_sha256(entry.path),
        sender=getattr(entry, "sender", ""),
        message_id=getattr(entry, "message_id", ""),
        references=getattr(entry, "references", ""),
        subject=getattr(entry, "subject", ""),
    )
    work = make_work_dir("read")
    try:
        opened = open_return(entry, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if opened.document is None:
        submission.outcome = "rejected"
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
    _resolve_group(data, entry, register)
    submission.group = data.group or data.group_text
    if not data.group and data.group_text and data.rows:
        # Read and kept under the name it gives: never dropped, never merged into another group.
        closest = register.match_group(data.group_text).closest
        data.issues.append(make_issue(
            "group-not-in-register", Place(entry.name), value=data.group_text,
            closest=f"; the closest in the register is '{closest}'" if closest else ""))
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
    for text in texts:
        found = calendar.find_in(text[:300]) if text else None
        if found is not None:
            return found.label
    return ""


def _dedupe(issues: list[Issue]) -> list[Issue]:
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for issue in issues:
        key = (issue.code, str(issue.place), issue.message)
        if key not in seen:
            seen.add(key)
            kept.append(issue)
    return kept


def _resolve_group(data: ReturnData, entry: InboxEntry, register: Register) -> None:
    """Name the return's group: from its text, else its file name, else its sender."""
    if not data.group:
        found = _group_from_name_or_sender(entry, register)
        if found is not None:
            data.group = found.name
    fallback = data.group or data.group_text
    records: list[TaskRecord | PlanRecord] = [*data.tasks, *data.plans]
    for record in records:
        if not record.group:
            record.group = fallback
        else:
            match = register.match_group(record.group)
            if match.group is not None:
                record.group = match.group.name


def _group_from_name_or_sender(entry: InboxEntry, register: Register) -> Group | None:
    """The group a file's name names ('cdrp-q4.docx'), else the group whose contact sent it."""
    found = register.find_group_in(Path(entry.name).stem.replace("_", " ").replace("-", " "))
    sender = getattr(entry, "sender", "")
    return found or (register.group_for_sender(sender) if sender else None)


#: The rejection that still counts as a return received (a PDF that cannot be read).
UNREADABLE_FORMAT = "unreadable-pdf"


def _kind_words(fmt: str, label: str, kind: str) -> str:
    base = {"xlsx": "Excel", "pdf": "PDF"}.get(fmt, "Word")
    what = {
        "progress": "progress return",
        "plan": "action plan",
        "mixed": "progress return and action plan",
    }.get(kind, "file with no task table")
    converted = f" ({label.split('(', 1)[1]}" if "(" in label else ""
    return f"{base} {what}{converted}"


def _skipped_kind(entry: InboxEntry) -> str:
    return entry.kind or "other file"


def _drop_identical_copies(results: list[FileResult]) -> None:
    """The same file received twice (saved twice, attached to two e-mails) is read once: the
    copies that arrived later are listed as superseded by the first."""
    first: dict[str, FileResult] = {}
    for result in sorted(
        (
            r
            for r in results
            if r.submission.outcome == "accepted" and r.data is not None and r.submission.sha256
        ),
        key=lambda r: _arrival(r.submission),
    ):
        original = first.setdefault(result.submission.sha256, result)
        if original is not result:
            result.submission.outcome = "superseded"
            result.submission.reason = f"an identical copy of {original.submission.file} (same content)"


def _flag_other_periods(results: list[FileResult], period: Period, calendar: ReportingCalendar) -> None:
    """A return dated well away from the period (last quarter's file sent again) is queried."""
    for result in results:
        data = result.data
        if data is not None and data.period_named:
            if data.period_named != period.label:
                result.stale = f"for {data.period_named} by its own title, not {period}"
                data.issues.append(make_issue("other-period-named", Place(data.file),
                                              its_period=data.period_named, period=period.label))
            continue
        day = parse_date(data.report_date) if data is not None else None
        its_period = calendar.other_period_dated(day, period) if day is not None else None
        if data is None or its_period is None:
            continue
        result.stale = f"dated {data.report_date}, in {its_period}, not {period}"
        data.issues.append(
            make_issue(
                "other-period",
                Place(data.file),
                date=data.report_date,
                its_period=its_period.label,
                period=period.label,
            )
        )


#: The queries that say a return is for another period than the one consolidated.
_OTHER_PERIOD = ("other-period", "other-period-named")


def _hold_back_other_periods(
    results: list[FileResult], period: Period, count_anyway: Collection[str]
) -> None:
    """A return dated for another period is not counted until the officer accepts it for this one."""
    for result in results:
        if not result.stale or result.submission.outcome != "accepted" or result.data is None:
            continue
        if result.submission.sha256 and result.submission.sha256 in count_anyway:
            result.stale = ""
            result.data.issues = [i for i in result.data.issues if i.code not in _OTHER_PERIOD]
            continue
        result.submission.outcome = "held back"
        result.submission.rows = result.data.rows
        result.submission.reason = (
            f"{result.stale}: not counted. If it is the return for {period}, count it with "
            f'pipeline accept "{result.submission.file}"'
        )


def _supersede_resubmissions(results: list[FileResult]) -> None:
    """Keep only the latest return per group and kind; the earlier ones are listed as superseded."""
    _drop_identical_copies(results)
    latest: dict[tuple[str, str], FileResult] = {}
    for result in results:
        sub = result.submission
        if sub.outcome != "accepted" or not sub.group or result.data is None:
            continue
        key = (sub.group, result.data.kind)
        current = latest.get(key)
        # The period's own return wins over one dated for another period, whatever came last.
        if current is None or (not result.stale, _arrival(sub)) > (
            not current.stale,
            _arrival(current.submission),
        ):
            if current is not None:
                _mark_superseded(current, result)
            latest[key] = result
        else:
            _mark_superseded(result, current)


def _arrival(sub: Submission) -> tuple[dt.datetime, str]:
    """When a return arrived, comparable across e-mail dates (UTC) and file times (local)."""
    try:
        when = dt.datetime.fromisoformat(sub.received)
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC), sub.file
    # A time without an offset is the machine's own local time (a file's modification time).
    return (when if when.tzinfo else when.astimezone()), sub.file


def _mark_superseded(result: FileResult, by: FileResult) -> None:
    result.submission.outcome = "superseded"
    if result.stale and not by.stale:
        result.submission.reason = f"it is {result.stale}; {by.submission.file} is the return for this period"
    else:
        result.submission.reason = f"a later return from the same group was received ({by.submission.file})"


def _accepted_returns(results: list[FileResult]) -> list[ReturnData]:
    """What was read from each accepted return (not rejected, skipped or superseded)."""
    return [r.data for r in results if r.submission.outcome == "accepted" and r.data is not None]


def _merge(results: list[FileResult], register: Register, period: str) -> Consolidation:
    from pipeline.validate import validate

    returns = _accepted_returns(results)
    order = {g.name: i for i, g in enumerate(register.groups)}
    tasks = [t for data in returns for t in data.tasks]
    plans = [p for data in returns for p in data.plans]
    # Groups in the register's order, then outcomes by number; the sort is stable, so within an
    # outcome records stay in the order the returns list them.
    tasks.sort(key=lambda t: (order.get(t.group, len(order)), t.group, outcome_sort_key(t.outcome)))
    plans.sort(key=lambda p: (order.get(p.group, len(order)), p.group, outcome_sort_key(p.outcome)))
    summaries = [(s, data.file) for data in returns for s in data.summaries]
    issues: list[Issue] = [i for r in results for i in r.issues]
    issues += [i for data in returns for i in data.issues]
    # A held-back return's other problems wait until it is counted; why it was held back does not.
    issues += [i for r in results if r.submission.outcome == "held back" and r.data is not None
               for i in r.data.issues if i.code in _OTHER_PERIOD]
    issues += validate(tasks, plans, summaries, register)
    issues = _with_groups(issues, results)
    for r in results:
        if r.submission.outcome == "superseded" and r.data is not None:
            r.submission.rows = r.data.rows
    received = {r.submission.group for r in results if r.submission.outcome == "accepted" and r.data}
    # A group whose return came in a format that cannot be read has sent it: it is not missing.
    received |= {r.submission.group for r in results if r.submission.outcome == "rejected"
                 and any(i.code == UNREADABLE_FORMAT for i in r.issues)}
    merged = Consolidation(
        period=period,
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        submissions=[r.submission for r in results],
        tasks=tasks,
        plans=plans,
        summaries=[s for s, _ in summaries],
        issues=issues,
        groups=[g.name for g in register.groups],
        missing_groups=[g.name for g in register.groups if g.name not in received],
        officer=register.officer,
    )
    merged.reconciliation = _reconcile(results, merged)
    return merged


def _with_groups(issues: list[Issue], results: list[FileResult]) -> list[Issue]:
    """Each issue names the group whose file it is about, so it can be followed up per group."""
    group_of = {r.submission.file: r.submission.group for r in results if r.submission.group}
    return [i if i.group or i.place.file not in group_of else replace(i, group=group_of[i.place.file])
            for i in issues]


def _period_from(results: list[FileResult], calendar: ReportingCalendar) -> Period:
    """The period the returns report on: the one most of them name in their own words, else the
    one most of their dates report on, else their e-mails' dates; the period just ended without
    any of these."""
    read = [r for r in results if r.submission.outcome == "accepted" and r.data is not None]
    named = Counter(r.data.period_named for r in read if r.data is not None and r.data.period_named)
    if named:
        return calendar.parse(max(named, key=lambda label: (named[label], calendar.parse(label))))
    dates = [d for r in read if r.data is not None for d in [parse_date(r.data.report_date)] if d is not None]
    if not dates:
        dates = [d for r in read if r.submission.sender for d in [_day_of(r.submission.received)] if d]
    return calendar.period_from_dates(dates) or calendar.period_reported_on(dt.date.today())


def _day_of(received: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(received).date()
    except ValueError:
        return None


def _reconcile(results: list[FileResult], merged: Consolidation) -> Reconciliation:
    subs = [r.submission for r in results]
    returns = _accepted_returns(results)
    rec = Reconciliation(
        files_found=len(subs),
        files_read=sum(1 for s in subs if s.outcome in ("accepted", "superseded", "held back")),
        files_rejected=sum(1 for s in subs if s.outcome == "rejected"),
        files_skipped=sum(1 for s in subs if s.outcome == "skipped"),
        files_superseded=sum(1 for s in subs if s.outcome == "superseded"),
        files_held_back=sum(1 for s in subs if s.outcome == "held back"),
        rows_read=sum(data.rows + data.rows_in_issues for data in returns),
        rows_written=len(merged.tasks) + len(merged.plans),
        rows_in_issues=sum(data.rows_in_issues for data in returns),
        exceptions=sum(1 for t in merged.tasks if t.status in (Status.AMBER, Status.RED)),
    )
    if not rec.balanced:
        raise ConsolidationError(
            f"Reconciliation failed: {rec.rows_read} rows were read but {rec.rows_written} written "
            f"and {rec.rows_in_issues} listed in Issues. This is a bug in the pipeline; please report "
            "it with the inbox that caused it."
        )
    return rec
