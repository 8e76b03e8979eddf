"""The history store: every consolidation remembered, one record per period, in SQLite or PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

from sqlalchemy import URL, Engine, Table, create_engine, delete, func, insert, make_url, select, text
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from pipeline.consolidate.result import Consolidation, Submission, SubmissionState
from pipeline.document import Place
from pipeline.errors import PipelineError
from pipeline.history import migrate
from pipeline.history.schema import IssueRow, PeriodRow, SourceFileRow, TaskRow
from pipeline.issues import Issue, Severity, issue_counts_by_file
from pipeline.periods import ReportingCalendar, periods_in_order
from pipeline.records import STATUS_WORD, Status, TaskRecord

#: Rows inserted by one executemany when recording a period.
_CHUNK = 5000

#: Key of the PostgreSQL advisory lock that makes concurrent record() calls take turns.
RECORD_LOCK = 0x48495354  # "HIST"

#: Which of several copies of one file (same SHA-256) a period keeps: the one that counted.
_STATE_RANK = {SubmissionState.ACCEPTED: 0, SubmissionState.SUPERSEDED: 1, SubmissionState.REJECTED: 2,
               SubmissionState.SKIPPED: 3}


#: Statements are immutable, so this one is built once.
_PERIODS_IN_RECORD_ORDER = select(PeriodRow.label).order_by(PeriodRow.first_recorded, PeriodRow.id)


class HistoryError(PipelineError):
    """The history store cannot be opened, read or written."""


class HistoryRow(NamedTuple):
    """A task's status in one period, as `HistoryStore.group_history` lists it.

    A named tuple, not a frozen dataclass: the Trend sheet is made from one per task per
    recorded period (30,000 a period at 1,000 returns), and a frozen dataclass set each field
    through ``object.__setattr__``.
    """

    period: str
    group: str
    outcome: str
    ref: str
    task: str
    status: Status | None


def open_store(url: str | None, default_path: Path) -> HistoryStore:
    """Open (creating and migrating as needed) the store at url, or a SQLite file at default_path."""
    if url is None or not url.strip():
        default_path = Path(default_path)
        default_path.parent.mkdir(parents=True, exist_ok=True)
        target = URL.create("sqlite+pysqlite", database=str(default_path))
    else:
        target = _database_url(url.strip())
    engine = create_engine(target)
    shown = _shown(target)
    try:
        with engine.begin() as connection:
            migrate.upgrade(connection)
    except migrate.MigrationError as exc:
        engine.dispose()
        raise HistoryError(f"The history database {shown} has a schema this pipeline does not know "
                           f"({exc}); it was probably written by a newer version: upgrade the "
                           "pipeline.") from exc
    except migrate.ForeignTablesError as exc:
        engine.dispose()
        raise HistoryError(f"The history database {shown} cannot be used: {exc}. Name another "
                           "file or database with --db, or run with --no-history.") from exc
    except SQLAlchemyError as exc:
        engine.dispose()
        advice = ("If the file is damaged, move it aside (a new one is made), name another with "
                  "--db, or run with --no-history." if target.get_backend_name() == "sqlite" else
                  "Check the --db URL and that the database server is running.")
        raise HistoryError(f"Cannot open the history database {shown}: {_first_line(exc)}. "
                           f"{advice}") from exc
    return HistoryStore(engine)


@contextmanager
def history_failure(shown: str) -> Iterator[None]:
    """Turn a database failure while reading or recording into a HistoryError saying what to do."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise HistoryError(f"The history database {shown} could not be read or written: "
                           f"{_first_line(exc)}. If it is damaged, move it aside (a new one is "
                           "made) or name another with --db; or run with --no-history.") from exc


def _database_url(text: str) -> URL:
    if "://" not in text:
        # A plain path names a SQLite file, as the default does.
        path = Path(text).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HistoryError(f"Cannot make the folder for the history database {path}: "
                               f"{exc.strerror or exc}. Name another file with --db.") from exc
        return URL.create("sqlite+pysqlite", database=str(path))
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise HistoryError(f"{text!r} is not a database URL: give one such as "
                           "postgresql://user:password@host:5432/name, or none for the local "
                           "SQLite file.") from exc
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        # psycopg 3 is the driver we install; a bare postgresql:// would ask for psycopg2.
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return url
    raise HistoryError(f"The history database must be PostgreSQL or SQLite, not {backend!r}.")


def _shown(url: URL) -> str:
    """Where a database is, as the officer named it: a SQLite file's path, else the URL without
    its password."""
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return url.database
    return url.render_as_string(hide_password=True)


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]


class HistoryStore:
    """Every consolidation's source files and tasks, one record per period."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def sessions(self) -> sessionmaker[Session]:
        """Sessions on the store's database, for the cycle's own records beside the history."""
        return self._sessions

    @property
    def url(self) -> str:
        """Where the store is, with any password hidden."""
        return _shown(self.engine.url)

    def close(self) -> None:
        """Release the store's database connections."""
        self.engine.dispose()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
        if isinstance(error, SQLAlchemyError):
            # Whatever read or wrote the store, a database failure is one plain line, never a bug
            # report: the file is damaged, another program's, or the server went away.
            with history_failure(self.url):
                raise error

    def record(self, result: Consolidation, staged: Path | None = None) -> None:
        """Remember a consolidation, replacing whatever was recorded for its period before.

        `staged` is a file `history.staging.stage_record` wrote for this consolidation: in a
        SQLite history its rows are copied in by SQLite itself, not passed through Python again
        (elsewhere it is not used; a staged file that cannot be copied in leaves the record to be
        made from the consolidation, as without one)."""
        label = result.period.strip()
        if not label:
            raise HistoryError("A consolidation without a period cannot be recorded: give one with "
                               '--period, e.g. --period "Q2 2008/09".')
        # (A missing file is not attached: attaching it would make an empty one.)
        if staged is not None and staged.is_file() and self.engine.dialect.name == "sqlite":
            try:
                self._record_staged(label, staged)
                return
            except SQLAlchemyError:
                pass  # a staged file that cannot be copied in: the record is made as below
        try:
            with self._sessions.begin() as session:
                period_id = self._period_to_record(session, label)
                rows_of = record_rows(result, period_id)
                for table in (_SOURCE_FILE, _TASK, _ISSUE):
                    for chunk in in_chunks(rows_of[table.name]):
                        _insert(session, table, WRITTEN_COLUMNS[table.name], chunk)
        except SQLAlchemyError as exc:
            raise HistoryError(f"Could not record {label} in {self.url}: {_first_line(exc)}") from exc

    def _record_staged(self, label: str, staged: Path) -> None:
        """`record` of a staged file into a SQLite history: the file attached to a connection of
        its own (SQLite attaches only outside a transaction), its rows copied in one transaction."""
        from pipeline.history.staging import STAGED_TABLES

        with self.engine.connect() as connection:
            connection.exec_driver_sql("ATTACH DATABASE ? AS staged", (str(staged),))
            connection.commit()
            try:
                with Session(connection) as session, session.begin():
                    period_id = self._period_to_record(session, label)
                    for table in STAGED_TABLES:
                        columns = ", ".join(WRITTEN_COLUMNS[table][1:])
                        session.execute(text(
                            f"INSERT INTO main.{table} (period_id, {columns}) "
                            f"SELECT :period_id, {columns} FROM staged.{table} ORDER BY rowid"
                        ), {"period_id": period_id})
            finally:
                connection.exec_driver_sql("DETACH DATABASE staged")
                connection.commit()

    @staticmethod
    def _period_to_record(session: Session, label: str) -> int:
        """The id of the period's row, made now or emptied of what was recorded for it before."""
        now = dt.datetime.now(dt.UTC)
        if session.get_bind().dialect.name == "postgresql":
            session.execute(select(func.pg_advisory_xact_lock(RECORD_LOCK)))
        period = session.scalars(select(PeriodRow).where(PeriodRow.label == label)).first()
        if period is None:
            period = PeriodRow(label=label, first_recorded=now, last_recorded=now)
            session.add(period)
            session.flush()
        else:
            # A re-run replaces the period's record; first_recorded keeps its place in time.
            period.last_recorded = now
            session.execute(delete(TaskRow).where(TaskRow.period_id == period.id))
            session.execute(delete(SourceFileRow).where(SourceFileRow.period_id == period.id))
            session.execute(delete(IssueRow).where(IssueRow.period_id == period.id))
        return period.id

    def periods(self) -> list[str]:
        """Every recorded period, earliest first."""
        with self._sessions() as session:
            return periods_in_order(list(session.scalars(_PERIODS_IN_RECORD_ORDER)), ReportingCalendar())

    def previous_period(self, period: str) -> str | None:
        """The latest recorded period before this one (which need not be recorded yet)."""
        labels = self.periods()
        if period not in labels:
            with self._sessions() as session:
                recorded = list(session.scalars(_PERIODS_IN_RECORD_ORDER))
            labels = periods_in_order([*recorded, period], ReportingCalendar())
        index = labels.index(period)
        return labels[index - 1] if index > 0 else None

    def seen_before(self, sha256: str) -> list[tuple[str, str]]:
        """(period, file name) of every recorded file with this content, earliest period first."""
        if not sha256:
            return []
        with self._sessions() as session:
            found = session.execute(
                select(PeriodRow.label, SourceFileRow.file)
                .join(PeriodRow, SourceFileRow.period_id == PeriodRow.id)
                .where(SourceFileRow.sha256 == sha256)
            ).all()
        order = {label: i for i, label in enumerate(self.periods())}
        return sorted(((p, f) for p, f in found), key=lambda pf: (order[pf[0]], pf[1]))

    def tasks_of(self, period: str) -> list[TaskRecord]:
        """The tasks recorded for a period, in its report order; empty when it was never recorded."""
        query = (select(TaskRow.seq, *_TASK_RECORD_COLUMNS).join(PeriodRow, TaskRow.period_id == PeriodRow.id)
                 .where(PeriodRow.label == period))
        # Plain rows through Core: the ORM's per-row bookkeeping costs more than the query. Put
        # in report order here, not by an ORDER BY: SQLite sorts the wide rows through a
        # temporary b-tree, which costs more than sorting them by their seq in Python. Fetched
        # all at once (`all`): iterating the result fetches them one by one, each through
        # SQLAlchemy's own Python calls as well as the driver's.
        with self.engine.connect() as connection:
            rows = sorted(connection.execute(query).all(), key=lambda row: row[0])
        return [_task_record(row[1:]) for row in rows]

    def group_history(self, group: str | None = None,
                      periods: Collection[str] | None = None) -> list[HistoryRow]:
        """Every recorded task's status per period (of one group, any case; of the given periods
        only, when named), periods earliest first."""
        query = (select(PeriodRow.label, TaskRow.group_name, TaskRow.outcome, TaskRow.ref,
                        TaskRow.task, TaskRow.status)
                 .join(PeriodRow, TaskRow.period_id == PeriodRow.id).order_by(TaskRow.seq))
        if group is not None:
            query = query.where(func.lower(TaskRow.group_name) == group.strip().lower())
        if periods is not None:
            query = query.where(PeriodRow.label.in_(list(periods)))
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()  # at once, not one by one (see `tasks_of`)
        order = {label: i for i, label in enumerate(self.periods())}
        found = sorted(rows, key=lambda row: order[row[0]])  # stable: seq order within a period
        return [HistoryRow(label, group_name, outcome, ref, task, _status(status))
                for label, group_name, outcome, ref, task, status in found]

    def groups(self) -> list[str]:
        """Every group that has tasks recorded, alphabetically."""
        with self._sessions() as session:
            return sorted(session.scalars(select(TaskRow.group_name).distinct()))

    def counts(self, period: str) -> tuple[int, int]:
        """(source files, tasks) recorded for a period."""
        with self._sessions() as session:
            period_id = session.scalar(select(PeriodRow.id).where(PeriodRow.label == period))
            if period_id is None:
                return 0, 0
            return _count(session, SourceFileRow, period_id), _count(session, TaskRow, period_id)


def _count(session: Session, table: type[SourceFileRow] | type[TaskRow], period_id: int) -> int:
    return session.scalar(select(func.count()).select_from(table).where(table.period_id == period_id)) or 0


def _one_per_content(submissions: list[Submission]) -> list[tuple[Submission, list[str]]]:
    """Each submission once per SHA-256 (the copy that counted), with the names of the other copies."""
    kept: dict[str, Submission] = {}
    others: dict[str, list[str]] = {}
    unhashed: list[Submission] = []
    for sub in submissions:
        if not sub.sha256:
            unhashed.append(sub)
            continue
        best = kept.get(sub.sha256)
        if best is None or _STATE_RANK.get(sub.state, 9) < _STATE_RANK.get(best.state, 9):
            kept[sub.sha256] = sub
            if best is not None:
                others.setdefault(sub.sha256, []).append(best.file)
        else:
            others.setdefault(sub.sha256, []).append(sub.file)
    order = {id(s): i for i, s in enumerate(submissions)}
    chosen = sorted([*kept.values(), *unhashed], key=lambda s: order[id(s)])
    return [(s, sorted(others.get(s.sha256, [])) if s.sha256 else []) for s in chosen]


# Each record's row, as a tuple of the values of the columns `WRITTEN_COLUMNS` names for its table, in
# that order. A column with a default ('' or 0) takes it for a missing value (`or`), as the
# ORM's inserts did; tests/test_history_store.py holds these to the schema's defaults.

def _issue_row(period_id: int, seq: int, issue: Issue) -> tuple[Any, ...]:
    place = issue.place
    return (period_id, seq, issue.key, issue.code, _SEVERITY_WORD[issue.severity], place.file or "",
            place.describe() or "", issue.group or "", issue.ref or "", issue.task or "",
            issue.column or "", issue.message or "", issue.advice or "", issue.explanation or "")


def _source_file_row(period_id: int, sub: Submission, also: list[str],
                     counts: tuple[int, int, int]) -> tuple[Any, ...]:
    reason = sub.reason
    if also:
        copies = "; ".join(also)
        reason = f"{reason}; also received as {copies}" if reason else f"also received as {copies}"
    return (period_id, sub.file, sub.sha256 or None, sub.sender or "", sub.received or "",
            sub.group or "", sub.kind or "", SubmissionState(sub.state).value, reason or "",
            sub.rows or 0, counts[0] or 0, counts[1] or 0, counts[2] or 0)


def _task_row(period_id: int, seq: int, task: TaskRecord) -> tuple[Any, ...]:
    place = task.place
    return (period_id, seq, task.group or "", task.outcome or "", task.ref or "", task.action or "",
            task.task or "", task.target or "", task.position or "",
            STATUS_WORD[task.status], task.status_text or "", task.planned or "",
            task.owner or "", task.revised_deadline or "", place.file or "", place.describe() or "",
            place.sheet, place.cell, place.table, place.row, place.column, place.paragraph)


def record_rows(result: Consolidation, period_id: int) -> dict[str, Iterator[tuple[Any, ...]]]:
    """The rows a period's record is made of, by table, each the values of the table's
    `WRITTEN_COLUMNS` (the period's id first): made as they are taken, plain tuples, not ORM
    objects."""
    counts = issue_counts_by_file(result.issues)
    return {
        "source_file": (_source_file_row(period_id, s, also, counts.get(s.file, (0, 0, 0)))
                        for s, also in _one_per_content(result.submissions)),
        "task": (_task_row(period_id, seq, t) for seq, t in enumerate(result.tasks)),
        "issue": (_issue_row(period_id, seq, i) for seq, i in enumerate(result.issues)),
    }


def in_chunks(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    """The rows a few thousand at a time, one executemany each: a period's 70,000 are never all
    held at once. A chunk is never empty (an empty executemany would insert the defaults)."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, _CHUNK)):
        yield chunk


#: The columns each table's rows give values for, in the order `_issue_row`, `_source_file_row`
#: and `_task_row` give them (`record_rows`).
WRITTEN_COLUMNS: dict[str, tuple[str, ...]] = {
    "issue": ("period_id", "seq", "key", "code", "severity", "file", "location", "group_name", "ref",
              "task", "column_name", "message", "advice", "explanation"),
    "source_file": ("period_id", "file", "sha256", "sender", "received", "group_name", "kind",
                    "status", "reason", "row_count", "errors", "queries", "explained"),
    "task": ("period_id", "seq", "group_name", "outcome", "ref", "action", "task", "target",
             "position", "status", "status_text", "planned", "owner", "revised_deadline", "file",
             "location", "sheet", "cell", "table_no", "row_no", "column_no", "paragraph_no"),
}


def _insert(session: Session, table: Table, names: tuple[str, ...],
            rows: list[tuple[Any, ...]]) -> None:
    """One executemany of these rows, each the values of the columns `names`. SQLite's gets them
    straight through the driver: the history's columns are text and integers, which need no
    conversion, and SQLAlchemy's processing of each row's parameters costs more than SQLite's
    insert of it."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        session.execute(insert(table), [dict(zip(names, row, strict=True)) for row in rows])
        return
    statement = insert(table).compile(dialect=connection.dialect, column_keys=list(names))
    order = statement.positiontup or []
    if tuple(order) != names:  # the statement's parameters in another order: put them in it
        positions = [names.index(name) for name in order]
        rows = [tuple(row[i] for i in positions) for row in rows]
    connection.exec_driver_sql(str(statement), rows)


_SOURCE_FILE: Table = SourceFileRow.__table__  # type: ignore[assignment]
_TASK: Table = TaskRow.__table__  # type: ignore[assignment]
_ISSUE: Table = IssueRow.__table__  # type: ignore[assignment]

#: What `tasks_of` reads of each task (after its seq), in `_task_record`'s order: columns, not
#: ORM objects.
_TASK_RECORD_COLUMNS = (TaskRow.file, TaskRow.table_no, TaskRow.row_no, TaskRow.column_no,
                        TaskRow.paragraph_no, TaskRow.sheet, TaskRow.cell, TaskRow.task,
                        TaskRow.target, TaskRow.position, TaskRow.status, TaskRow.status_text,
                        TaskRow.planned, TaskRow.group_name, TaskRow.outcome, TaskRow.ref,
                        TaskRow.action, TaskRow.owner, TaskRow.revised_deadline)


def _task_record(row: Sequence[Any]) -> TaskRecord:
    (file, table_no, row_no, column_no, paragraph_no, sheet, cell, task, target, position, status,
     status_text, planned, group_name, outcome, ref, action, owner, revised_deadline) = row
    # The place made as unpickling makes it (`Place.__reduce__`), without the named tuple's
    # own __new__, a Python function: once for each of a period's 30,000 tasks.
    place = tuple.__new__(Place, (file, table_no, row_no, column_no, paragraph_no, sheet, cell, None))
    # By position, in TaskRecord's order, up to the last field recorded: a call by keywords
    # costs a task record twice as much (each keyword looked for among the 25), once for each
    # of a period's 30,000 tasks. test_a_task_read_back_takes_each_value_as_its_field holds the
    # order.
    return TaskRecord(place, task, target, position, _status(status), status_text, planned,
                      group_name, outcome,
                      "",  # outcome_title
                      ref, action,
                      "", "", "", "", "",  # objective, resources, measures, report_date, contact
                      owner, revised_deadline)


def _status(value: str | None) -> Status | None:
    """The status a recorded word names; None for none, or for a word this version does not know."""
    return _STATUS_OF.get(value) if value else None


#: Each severity's word, looked up once per recorded issue (not read through Enum's `value`
#: property, a Python call; see `records.STATUS_WORD`).
_SEVERITY_WORD: dict[Severity, str] = {severity: severity.value for severity in Severity}

#: Each status by its word, looked up once per recorded task.
_STATUS_OF: dict[str, Status] = {status.value: status for status in Status}
