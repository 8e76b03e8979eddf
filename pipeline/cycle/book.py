"""The cycle's book: periods opened and closed, returns accepted, queries explained, and who did
what when, kept in the history database beside each period's record."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from pipeline.consolidate.result import SubmissionState
from pipeline.cycle.records import (
    SIGNED_OFF,
    Acceptance,
    AuditEntry,
    CycleError,
    PeriodInfo,
    RecordedFile,
    RecordedIssue,
)
from pipeline.history.schema import (
    AcceptanceRow,
    AuditRow,
    ExplanationRow,
    IssueRow,
    PeriodRow,
    ReportingPeriodRow,
    SourceFileRow,
    TaskRow,
)
from pipeline.history.store import HistoryStore
from pipeline.periods import Period, long_date


def officer_name() -> str:
    """Who is acting, for the audit trail: the logged-in user's name."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "officer"


class CycleBook:
    """The cycle's records in a history store."""

    def __init__(self, store: HistoryStore) -> None:
        self.store = store

    # -- periods -----------------------------------------------------------------------------

    def open_period(self, period: Period, deadline: dt.date, who: str = "") -> PeriodInfo:
        """Open a period with its deadline. Only one period is open at a time."""
        who = who or officer_name()
        with self._session() as session:
            current = self._open_row(session)
            if current is not None and current.label != period.label:
                raise CycleError(
                    f"{current.label} is still open: close it first "
                    f'(pipeline period close "{current.label}"), then open {period.label}.'
                )
            row = session.scalars(
                select(ReportingPeriodRow).where(ReportingPeriodRow.label == period.label)
            ).first()
            if row is not None and row.closed_at is not None:
                raise CycleError(
                    f"{period.label} was closed on {long_date(row.closed_at)}; reopen it with "
                    f'pipeline period reopen "{period.label}" if it must change.'
                )
            now = dt.datetime.now(dt.UTC)
            if row is None:
                row = ReportingPeriodRow(
                    label=period.label, deadline=deadline, opened_at=now, opened_by=who, closed_by=""
                )
                session.add(row)
                self._log(session, who, "opened", period.label, "", f"deadline {deadline.isoformat()}")
            elif row.deadline != deadline:
                self._log(
                    session,
                    who,
                    "deadline changed",
                    period.label,
                    "",
                    f"{row.deadline.isoformat()} to {deadline.isoformat()}",
                )
                row.deadline = deadline
            session.flush()
            return _period_info(row)

    def close_period(self, label: str, who: str = "") -> PeriodInfo:
        """Close a period: no later run may change its record until it is reopened."""
        return self._set_closed(label, who or officer_name(), closed=True)

    def reopen_period(self, label: str, who: str = "") -> PeriodInfo:
        """Reopen a closed period so that it can be consolidated again."""
        return self._set_closed(label, who or officer_name(), closed=False)

    def _set_closed(self, label: str, who: str, *, closed: bool) -> PeriodInfo:
        with self._session() as session:
            row = self._period_row(session, label)
            if closed and row.closed_at is not None:
                raise CycleError(f"{label} is already closed.")
            if not closed and row.closed_at is None:
                raise CycleError(f"{label} is open already.")
            if not closed:
                current = self._open_row(session)
                if current is not None:
                    raise CycleError(f"{current.label} is open: close it before reopening {label}.")
            row.closed_at = dt.datetime.now(dt.UTC) if closed else None
            row.closed_by = who if closed else ""
            self._log(session, who, "closed" if closed else "reopened", label, "", "")
            session.flush()
            return _period_info(row)

    def current(self) -> PeriodInfo | None:
        """The open period, if any."""
        with self._session() as session:
            row = self._open_row(session)
            return _period_info(row) if row is not None else None

    def period(self, label: str) -> PeriodInfo | None:
        """The period with this label, open or closed, if it was ever opened."""
        with self._session() as session:
            row = session.scalars(select(ReportingPeriodRow).where(ReportingPeriodRow.label == label)).first()
            return _period_info(row) if row is not None else None

    def periods(self) -> list[PeriodInfo]:
        """Every period ever opened, in the order they were opened."""
        with self._session() as session:
            rows = session.scalars(select(ReportingPeriodRow).order_by(ReportingPeriodRow.opened_at)).all()
            return [_period_info(r) for r in rows]

    def remove_period(self, label: str, who: str = "") -> None:
        """Forget a period: its record, issues and the cycle's records of it (the audit keeps a line)."""
        who = who or officer_name()
        with self._session() as session:
            recorded = session.scalars(select(PeriodRow).where(PeriodRow.label == label)).first()
            opened = session.scalars(
                select(ReportingPeriodRow).where(ReportingPeriodRow.label == label)
            ).first()
            if recorded is None and opened is None:
                raise CycleError(f"There is no period {label!r} in the history.")
            if recorded is not None:
                # Children first: SQLite enforces ON DELETE CASCADE only when told to.
                for table in (TaskRow, SourceFileRow, IssueRow):
                    session.execute(delete(table).where(table.period_id == recorded.id))
                session.delete(recorded)
            if opened is not None:
                session.delete(opened)
            session.execute(delete(AcceptanceRow).where(AcceptanceRow.period_label == label))
            self._log(session, who, "removed", label, "", "")

    # -- acceptance and explanations -----------------------------------------------------------

    def accept(
        self,
        period: str,
        group: str,
        file: str,
        sha256: str,
        kind: str = SIGNED_OFF,
        who: str = "",
        note: str = "",
    ) -> Acceptance:
        """Record the officer's acceptance of a return (by its content, so a resubmission is new)."""
        who = who or officer_name()
        with self._session() as session:
            self._writable(session, period)
            now = dt.datetime.now(dt.UTC)
            session.execute(
                delete(AcceptanceRow).where(
                    AcceptanceRow.period_label == period,
                    AcceptanceRow.sha256 == sha256,
                    AcceptanceRow.kind == kind,
                )
            )
            session.add(
                AcceptanceRow(
                    period_label=period,
                    group_name=group,
                    file=file,
                    sha256=sha256,
                    kind=kind,
                    accepted_at=now,
                    accepted_by=who,
                    note=note,
                )
            )
            action = "accepted" if kind == SIGNED_OFF else "counted for this period"
            self._log(session, who, action, period, group, f"{file}{'; ' + note if note else ''}")
            return Acceptance(period, group, file, sha256, kind, now, who, note)

    def acceptances(self, period: str) -> list[Acceptance]:
        """The acceptances recorded for a period, oldest first."""
        with self._session() as session:
            rows = session.scalars(
                select(AcceptanceRow)
                .where(AcceptanceRow.period_label == period)
                .order_by(AcceptanceRow.accepted_at, AcceptanceRow.id)
            ).all()
            return [
                Acceptance(
                    r.period_label,
                    r.group_name,
                    r.file,
                    r.sha256,
                    r.kind,
                    _aware(r.accepted_at),
                    r.accepted_by,
                    r.note,
                )
                for r in rows
            ]

    def explain(self, period: str, issue: RecordedIssue, text: str, who: str = "") -> None:
        """Record an explanation for a query; it also answers the same query on the same task later."""
        who = who or officer_name()
        text = " ".join(text.split())
        if not text:
            raise CycleError("An explanation needs some words: say why the query is not a mistake.")
        with self._session() as session:
            self._writable(session, period)
            session.add(
                ExplanationRow(
                    key=issue.key,
                    period_label=period,
                    group_name=issue.group,
                    text=text,
                    given_at=dt.datetime.now(dt.UTC),
                    given_by=who,
                )
            )
            for row in session.scalars(
                select(IssueRow)
                .join(PeriodRow, IssueRow.period_id == PeriodRow.id)
                .where(PeriodRow.label == period, IssueRow.key == issue.key)
            ):
                if not row.explanation and row.severity == "query":
                    # The file's count of explained queries follows, so the tracker moves on at once.
                    for file in session.scalars(
                        select(SourceFileRow).where(
                            SourceFileRow.period_id == row.period_id, SourceFileRow.file == row.file
                        )
                    ):
                        file.explained = min(file.queries, file.explained + 1)
                row.explanation = text
            self._log(session, who, "explained", period, issue.group, f"{issue.key} {issue.code}: {text}")

    def explanations(self, keys: Iterable[str]) -> dict[str, str]:
        """The latest explanation for each of these issue keys that has one."""
        wanted = sorted(set(keys))
        found: dict[str, str] = {}
        with self._session() as session:
            given = session.scalar(select(func.count()).select_from(ExplanationRow)) or 0
            if given <= len(wanted):
                # Fewer explanations were ever given than are asked about (a large run asks about
                # tens of thousands of queries): read them all rather than look each key up.
                rows = session.execute(select(ExplanationRow.key, ExplanationRow.text)
                                       .order_by(ExplanationRow.given_at, ExplanationRow.id)).all()
                chosen = set(wanted)
                return {key: text for key, text in rows if key in chosen}
            for start in range(0, len(wanted), 500):
                rows = session.execute(
                    select(ExplanationRow.key, ExplanationRow.text)
                    .where(ExplanationRow.key.in_(wanted[start : start + 500]))
                    .order_by(ExplanationRow.given_at, ExplanationRow.id)
                ).all()
                found.update({key: text for key, text in rows})
        return found

    # -- what the last consolidation found ------------------------------------------------------

    def files(self, period: str) -> list[RecordedFile]:
        """The files of the period's last consolidation, in the order they were listed."""
        with self._session() as session:
            rows = session.scalars(
                select(SourceFileRow)
                .join(PeriodRow, SourceFileRow.period_id == PeriodRow.id)
                .where(PeriodRow.label == period)
                .order_by(SourceFileRow.id)
            ).all()
            return [
                RecordedFile(
                    r.file,
                    r.sha256 or "",
                    r.group_name,
                    r.kind,
                    SubmissionState(r.status),
                    r.reason,
                    r.received,
                    r.sender,
                    r.row_count,
                    r.errors,
                    r.queries,
                    r.explained,
                )
                for r in rows
            ]

    def last_run(self, period: str) -> dt.datetime | None:
        """When the period was last consolidated, if it was."""
        with self._session() as session:
            when = session.scalar(select(PeriodRow.last_recorded).where(PeriodRow.label == period))
        return _aware(when) if when is not None else None

    def issues(self, period: str, group: str | None = None) -> list[RecordedIssue]:
        """The problems of the period's last consolidation (of one group), in the order found."""
        query = (
            select(IssueRow)
            .join(PeriodRow, IssueRow.period_id == PeriodRow.id)
            .where(PeriodRow.label == period)
            .order_by(IssueRow.seq)
        )
        if group is not None:
            query = query.where(IssueRow.group_name == group)
        with self._session() as session:
            return [_recorded_issue(r) for r in session.scalars(query)]

    def audit(self, period: str | None = None) -> list[AuditEntry]:
        """What was done in the cycle (in one period), oldest first."""
        query = select(AuditRow).order_by(AuditRow.at, AuditRow.id)
        if period is not None:
            query = query.where(AuditRow.period_label == period)
        with self._session() as session:
            return [
                AuditEntry(_aware(r.at), r.who, r.action, r.period_label, r.group_name, r.detail)
                for r in session.scalars(query)
            ]

    def log(self, who: str, action: str, period: str, group: str = "", detail: str = "") -> None:
        """Add a line to the audit trail (a consolidation, a reminder sent)."""
        with self._session() as session:
            self._log(session, who or officer_name(), action, period, group, detail)

    def check_writable(self, period: str) -> None:
        """Refuse to change a closed period's record."""
        with self._session() as session:
            self._writable(session, period)

    # -- helpers -----------------------------------------------------------------------------

    def _session(self) -> _Transaction:
        return _Transaction(self.store)

    @staticmethod
    def _open_row(session: Session) -> ReportingPeriodRow | None:
        return session.scalars(
            select(ReportingPeriodRow)
            .where(ReportingPeriodRow.closed_at.is_(None))
            .order_by(ReportingPeriodRow.opened_at.desc())
        ).first()

    @staticmethod
    def _period_row(session: Session, label: str) -> ReportingPeriodRow:
        row = session.scalars(select(ReportingPeriodRow).where(ReportingPeriodRow.label == label)).first()
        if row is None:
            raise CycleError(f'{label} has not been opened: open it with pipeline period open "{label}".')
        return row

    @staticmethod
    def _writable(session: Session, label: str) -> None:
        row = session.scalars(select(ReportingPeriodRow).where(ReportingPeriodRow.label == label)).first()
        if row is not None and row.closed_at is not None:
            raise CycleError(
                f"{label} is closed (since {long_date(row.closed_at)}): its record cannot be changed. "
                f'Reopen it first with pipeline period reopen "{label}".'
            )

    @staticmethod
    def _log(session: Session, who: str, action: str, period: str, group: str, detail: str) -> None:
        session.add(
            AuditRow(
                at=dt.datetime.now(dt.UTC),
                who=who,
                action=action,
                period_label=period,
                group_name=group,
                detail=detail,
            )
        )


class _Transaction:
    """One transaction on the store; database failures become a CycleError saying what to do."""

    def __init__(self, store: HistoryStore) -> None:
        self._manager = store.sessions.begin()
        self._url = store.url

    def __enter__(self) -> Session:
        try:
            return self._manager.__enter__()
        except SQLAlchemyError as exc:
            raise CycleError(
                f"Cannot read the history database {self._url}: {exc.__class__.__name__}."
            ) from exc

    def __exit__(self, *exc: object) -> None:
        try:
            self._manager.__exit__(*exc)  # type: ignore[arg-type]
        except SQLAlchemyError as error:
            raise CycleError(
                f"Could not write to the history database {self._url}: "
                f"{str(getattr(error, 'orig', error)).splitlines()[0]}."
            ) from error


def _period_info(row: ReportingPeriodRow) -> PeriodInfo:
    return PeriodInfo(
        row.label,
        row.deadline,
        _aware(row.opened_at),
        row.opened_by,
        _aware(row.closed_at) if row.closed_at else None,
        row.closed_by,
    )


def _aware(when: dt.datetime) -> dt.datetime:
    # SQLite gives back naive datetimes for what was stored in UTC.
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _recorded_issue(r: IssueRow) -> RecordedIssue:
    return RecordedIssue(
        r.key,
        r.code,
        r.severity,
        r.file,
        r.location,
        r.group_name,
        r.ref,
        r.task,
        r.column_name,
        r.message,
        r.advice,
        r.explanation,
    )
