"""The history database's tables: each period recorded, the files it was made from, its tasks.

The migrations in `migrations/versions` create these tables; a test checks the two agree.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: Named constraints, so a later migration can drop or alter them by name on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for the history tables."""

    metadata = MetaData(naming_convention=NAMING)


class PeriodRow(Base):
    """A period that has been consolidated, once however often it was re-run."""

    __tablename__ = "period"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(200), unique=True)
    first_recorded: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_recorded: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SourceFileRow(Base):
    """One inbox file of a period's consolidation and what became of it."""

    __tablename__ = "source_file"
    # One row per file content within a period: the same return received twice is one return.
    __table_args__ = (UniqueConstraint("period_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    file: Mapped[str] = mapped_column(Text)
    # NULL, not '', when unknown: NULLs do not collide in the unique constraint.
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    sender: Mapped[str] = mapped_column(Text, default="")
    received: Mapped[str] = mapped_column(String(40), default="")
    group_name: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    queries: Mapped[int] = mapped_column(Integer, default=0)
    """Queries raised on the file, explained or not."""
    explained: Mapped[int] = mapped_column(Integer, default=0)
    """Of those queries, how many carry an explanation."""


class TaskRow(Base):
    """One task line of a period, with the place in its return it was read from."""

    __tablename__ = "task"
    __table_args__ = (Index("ix_task_period_group", "period_id", "group_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    """Position in the period's report order."""
    group_name: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    ref: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(Text, default="")
    task: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str | None] = mapped_column(String(20))
    status_text: Mapped[str] = mapped_column(Text, default="")
    planned: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(Text, default="")
    revised_deadline: Mapped[str] = mapped_column(Text, default="")
    file: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(Text, default="")
    """The place in words ('table 2, row 5', "'Sheet1'!D7"), as a person finds it in the return."""
    # The place's parts as well, so tasks_of() gives back the same Place the reader made.
    sheet: Mapped[str | None] = mapped_column(Text)
    cell: Mapped[str | None] = mapped_column(String(20))
    table_no: Mapped[int | None] = mapped_column(Integer)
    row_no: Mapped[int | None] = mapped_column(Integer)
    column_no: Mapped[int | None] = mapped_column(Integer)
    paragraph_no: Mapped[int | None] = mapped_column(Integer)


class IssueRow(Base):
    """One problem found in a period's consolidation, with what it is about."""

    __tablename__ = "issue"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(16), index=True)
    """The stable key of the problem (`pipeline.cycle.explain.issue_key`), the same next period."""
    code: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10))
    file: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(Text, default="")
    group_name: Mapped[str] = mapped_column(Text, default="")
    ref: Mapped[str] = mapped_column(Text, default="")
    task: Mapped[str] = mapped_column(Text, default="")
    column_name: Mapped[str] = mapped_column(String(40), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    advice: Mapped[str] = mapped_column(Text, default="")
    explanation: Mapped[str] = mapped_column(Text, default="")


class ReportingPeriodRow(Base):
    """A period of the cycle: opened by the officer with a deadline, closed once published."""

    __tablename__ = "reporting_period"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(200), unique=True)
    deadline: Mapped[dt.date] = mapped_column(Date)
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    opened_by: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str] = mapped_column(Text, default="")


class AcceptanceRow(Base):
    """The officer's acceptance of a group's return for a period (one file, by its content)."""

    __tablename__ = "acceptance"
    __table_args__ = (Index("ix_acceptance_period_group", "period_label", "group_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_label: Mapped[str] = mapped_column(String(200))
    group_name: Mapped[str] = mapped_column(Text, default="")
    file: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    """``signed-off`` (the return is accepted) or ``counted`` (a return dated for another period
    is taken as this period's)."""
    accepted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    accepted_by: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


class ExplanationRow(Base):
    """An explanation given for a query; it answers the same query on the same task next period."""

    __tablename__ = "explanation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(16), index=True)
    period_label: Mapped[str] = mapped_column(String(200))
    """The period it was given in."""
    group_name: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    given_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    given_by: Mapped[str] = mapped_column(Text, default="")


class AuditRow(Base):
    """What was done in the cycle, by whom and when: opened, accepted, explained, overridden…"""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    who: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(String(40))
    period_label: Mapped[str] = mapped_column(String(200), default="")
    group_name: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")
