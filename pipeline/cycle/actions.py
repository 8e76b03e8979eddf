"""The officer's steps in the cycle, the same for the command line and the page: open a period,
see the tracker, accept a return, explain a query, close the period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.consolidate.result import SubmissionState
from pipeline.cycle.records import (
    COUNTED,
    SIGNED_OFF,
    Acceptance,
    CycleError,
    PeriodInfo,
    RecordedIssue,
)
from pipeline.cycle.tracker import GroupState, Tracker, build_tracker
from pipeline.cycle.workspace import Workspace
from pipeline.periods import Period, PeriodError
from pipeline.words import plural

if TYPE_CHECKING:
    from pipeline.cycle.book import CycleBook  # the database's book, opened through the workspace


def default_deadline(ws: Workspace, period: Period) -> dt.date:
    """The register's deadline for a period's returns: `deadline_days` after it ends."""
    return period.end + dt.timedelta(days=ws.register.deadline_days)


def open_period(ws: Workspace, label: str, deadline: dt.date | None = None, who: str = "") -> PeriodInfo:
    """Open a period: record it with its deadline and make its inbox folder."""
    period = ws.register.calendar.parse(label)
    with ws.book(create=True) as book:
        info = book.open_period(period, deadline or default_deadline(ws, period), who)
    ws.period_inbox(period).mkdir(parents=True, exist_ok=True)
    return info


def close_period(ws: Workspace, label: str | None = None, who: str = "") -> PeriodInfo:
    """Close a period (the open one by default): its record can no longer change."""
    with ws.book() as book:
        return book.close_period(_label(book, ws, label), who)


def reopen_period(ws: Workspace, label: str, who: str = "") -> PeriodInfo:
    """Reopen a closed period."""
    with ws.book() as book:
        return book.reopen_period(ws.register.calendar.parse(label).label, who)


def current_period(ws: Workspace) -> PeriodInfo | None:
    """The open period, if any."""
    if not ws.has_history:
        return None
    with ws.book() as book:
        return book.current()


def tracker(ws: Workspace, label: str | None = None, today: dt.date | None = None) -> Tracker:
    """Where every group's return stands in a period (the open one by default)."""
    with ws.book() as book:
        label = _label(book, ws, label)
        info = book.period(label)
        if info is None:
            raise CycleError(f'{label} has not been opened: open it with pipeline period open "{label}".')
        files = book.files(label)
        acceptances = book.acceptances(label)
        last_run = book.last_run(label)
    arrived = arrived_since(ws, ws.period_inbox(label), {f.sha256 for f in files if f.sha256})
    return build_tracker(
        ws.register, info, files, acceptances, last_run=last_run, arrived=arrived, today=today
    )


def accept_return(
    ws: Workspace,
    what: str,
    label: str | None = None,
    *,
    who: str = "",
    note: str = "",
    override: bool = False,
) -> Acceptance:
    """Accept a group's return (named by its group or file) for a period.

    A return with errors, or with queries not yet explained, is accepted only with `override`
    and a note saying why; the override is kept in the audit trail. A return held back as dated
    for another period is counted for this one instead (it is read at the next consolidation).
    """
    with ws.book() as book:
        label = _label(book, ws, label)
        files = book.files(label)
        held = [f for f in files if f.status == SubmissionState.HELD_BACK and f.file == what]
        if held:
            f = held[0]
            return book.accept(label, f.group, f.file, f.sha256, COUNTED, who, note)
        group = _group_named(ws, what)
        read = [f for f in files if f.status == SubmissionState.ACCEPTED and f.rows
                and (f.group == group or f.file == what)]
        if not read:
            listed = (SubmissionState.ACCEPTED, SubmissionState.HELD_BACK)
            known = ", ".join(sorted({f.file for f in files if f.status in listed})) or "none"
            raise CycleError(
                f"No return from {what!r} has been read for {label}: consolidate first, or name "
                f"the group or one of the files read ({known})."
            )
        f = read[-1]
        open_queries = f.queries - f.explained
        if (f.errors or open_queries) and not override:
            raise CycleError(
                f"{f.group}'s return ({f.file}) still has {_problems(f.errors, open_queries)}. Ask "
                "the group to correct it, explain the queries (pipeline explain), or accept it "
                "anyway with --override and a --note saying why."
            )
        if (f.errors or open_queries) and not note.strip():
            raise CycleError(
                "An override needs a --note saying why the return is accepted with "
                f"{_problems(f.errors, open_queries)}."
            )
        if override and (f.errors or open_queries):
            note = f"override with {_problems(f.errors, open_queries)}: {note.strip()}"
        return book.accept(label, f.group, f.file, f.sha256, SIGNED_OFF, who, note)


def open_queries(ws: Workspace, label: str | None = None, group: str | None = None) -> list[RecordedIssue]:
    """The queries of a period's last consolidation that have no explanation yet."""
    with ws.book() as book:
        label = _label(book, ws, label)
        name = _group_named(ws, group) if group else None
        return [i for i in book.issues(label, name) if i.severity == "query" and not i.explanation]


def explain_query(
    ws: Workspace, key: str, text: str, label: str | None = None, who: str = ""
) -> RecordedIssue:
    """Record an explanation for a query (by its key, shown in the Issues sheet and the tracker)."""
    with ws.book() as book:
        label = _label(book, ws, label)
        wanted = key.strip().lower().lstrip("#")
        found = [i for i in book.issues(label) if i.key == wanted]
        if not found:
            raise CycleError(
                f"There is no problem {key!r} in {label}'s last consolidation: the keys are in the "
                "Issues sheet's Key column and in pipeline status --queries."
            )
        issue = found[0]
        if issue.severity != "query":
            raise CycleError(
                f"{key} is an {issue.severity}, not a query: an error must be corrected by the group, "
                "not explained."
            )
        book.explain(label, issue, text, who)
        return issue


@dataclass(frozen=True)
class RunPlan:
    """What a consolidation reads and where it records, worked out from the workspace."""

    inbox: Path
    period: str | None
    history_file: Path
    exclude: tuple[Path, ...] = ()
    deadline: dt.date | None = None
    """The open period's deadline, for the reminders."""
    sample: bool = False
    """The inbox holds the shipped sample returns: they record into the sample's own history."""


def plan_run(
    ws: Workspace, inbox: Path | None = None, period: str | None = None, *, history: bool = True
) -> RunPlan:
    """Which folder and period a consolidation takes: the inbox named, else the named period's
    folder, else the open period's folder, else the top of the inbox (its period folders left
    out). The shipped sample returns record into a history of their own."""
    info = None
    if history and ws.has_history:
        with ws.book() as book:
            info = book.current()
    wanted = ws.register.calendar.parse(period) if period else None
    top_by_default = False
    if inbox is None:
        if wanted is not None and ws.period_inbox(wanted).is_dir():
            inbox = ws.period_inbox(wanted)
        elif wanted is None and info is not None:
            inbox, wanted = ws.period_inbox(info.label), ws.register.calendar.parse(info.label)
        else:
            inbox, top_by_default = ws.inbox_root, True
    # Other periods' folders are never read with this one (nor with the top of the inbox).
    folders = (
        [c for c in inbox.iterdir() if c.is_dir() and _is_period_folder(ws, c.name)] if inbox.is_dir() else []
    )
    if folders and top_by_default and info is None and wanted is None and not ws.is_sample(inbox):
        raise CycleError(
            f"No period is open, and {inbox} holds only the periods' own folders "
            f"({', '.join(sorted(f.name for f in folders))}). Open the period to "
            'consolidate (pipeline period open "Q1 2009/10") or name it with --period.'
        )
    deadline = (
        info.deadline if info is not None and wanted is not None and wanted.label == info.label else None
    )
    return RunPlan(
        inbox,
        wanted.label if wanted else None,
        ws.history_file(inbox),
        tuple(folders),
        deadline,
        ws.is_sample(inbox),
    )


def _is_period_folder(ws: Workspace, name: str) -> bool:
    try:
        return ws.register.calendar.parse(name).folder == name
    except PeriodError:
        return False


def _label(book: CycleBook, ws: Workspace, label: str | None) -> str:
    if label:
        return ws.register.calendar.parse(label).label
    current = book.current()
    if current is None:
        raise CycleError(
            'No period is open: open one with pipeline period open "Q1 2009/10", or name the '
            "period with --period."
        )
    return current.label


def _group_named(ws: Workspace, text: str) -> str:
    match = ws.register.match_group(text)
    return match.group.name if match.group is not None else text


def _problems(errors: int, queries: int) -> str:
    parts = []
    if errors:
        parts.append(plural(errors, "error"))
    if queries:
        parts.append(plural(queries, "unexplained query"))
    return " and ".join(parts)


def arrived_since(ws: Workspace, inbox: Path, known: set[str]) -> list[tuple[str, str, str]]:
    """Files in the period's inbox not in its last consolidation: (name, SHA-256, group)."""
    from pipeline.intake.scan import EntryAction, file_sha256, scan_inbox

    if not inbox.is_dir():
        return []
    arrived = []
    for entry in scan_inbox(inbox):
        if entry.action is not EntryAction.READ:
            continue
        digest = file_sha256(entry.path)
        if digest and digest not in known:
            group = ws.register.find_group_in(Path(entry.name).stem.replace("_", " ").replace("-", " "))
            arrived.append((entry.name, digest, group.name if group else ""))
    return arrived


__all__ = [
    "GroupState",
    "Tracker",
    "accept_return",
    "arrived_since",
    "close_period",
    "current_period",
    "RunPlan",
    "default_deadline",
    "plan_run",
    "explain_query",
    "open_period",
    "open_queries",
    "reopen_period",
    "tracker",
]
