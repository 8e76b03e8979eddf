"""The quarterly cycle: reporting periods, acceptances, explanations, the audit trail; each
period's issues; per-file error and query counts; task owner and revised deadline; period labels
made canonical ("end of year 2008/9" becomes "Q4 2008/09").

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "acceptance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_label", sa.String(length=200), nullable=False),
        sa.Column("group_name", sa.Text(), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_by", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acceptance")),
    )
    with op.batch_alter_table("acceptance", schema=None) as batch_op:
        batch_op.create_index("ix_acceptance_period_group", ["period_label", "group_name"], unique=False)

    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("period_label", sa.String(length=200), nullable=False),
        sa.Column("group_name", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
    )
    op.create_table(
        "explanation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=16), nullable=False),
        sa.Column("period_label", sa.String(length=200), nullable=False),
        sa.Column("group_name", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("given_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_explanation")),
    )
    with op.batch_alter_table("explanation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_explanation_key"), ["key"], unique=False)

    op.create_table(
        "reporting_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_period")),
        sa.UniqueConstraint("label", name=op.f("uq_reporting_period_label")),
    )
    op.create_table(
        "issue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("group_name", sa.Text(), nullable=False),
        sa.Column("ref", sa.Text(), nullable=False),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("column_name", sa.String(length=40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("advice", sa.Text(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"], ["period.id"], name=op.f("fk_issue_period_id_period"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issue")),
    )
    with op.batch_alter_table("issue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issue_key"), ["key"], unique=False)
        batch_op.create_index(batch_op.f("ix_issue_period_id"), ["period_id"], unique=False)

    with op.batch_alter_table("source_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("errors", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("queries", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("explained", sa.Integer(), nullable=False, server_default="0"))

    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("revised_deadline", sa.Text(), nullable=False, server_default=""))

    _canonical_period_labels()


def _canonical_period_labels() -> None:
    """Period labels recorded before the one period model become canonical, unless that would
    merge two recorded periods (then both are left as they were)."""
    from pipeline.periods import PeriodError, ReportingCalendar

    period = sa.table("period", sa.column("id", sa.Integer), sa.column("label", sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(period.c.id, period.c.label)).all()
    calendar = ReportingCalendar()
    wanted: dict[int, str] = {}
    for row_id, label in rows:
        try:
            wanted[row_id] = calendar.parse(label).label
        except PeriodError:
            wanted[row_id] = label
    taken = list(wanted.values())
    for row_id, label in rows:
        new = wanted[row_id]
        if new != label and taken.count(new) == 1:
            connection.execute(period.update().where(period.c.id == row_id).values(label=new))


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("revised_deadline")
        batch_op.drop_column("owner")

    with op.batch_alter_table("source_file", schema=None) as batch_op:
        batch_op.drop_column("explained")
        batch_op.drop_column("queries")
        batch_op.drop_column("errors")

    with op.batch_alter_table("issue", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issue_period_id"))
        batch_op.drop_index(batch_op.f("ix_issue_key"))

    op.drop_table("issue")
    op.drop_table("reporting_period")
    with op.batch_alter_table("explanation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_explanation_key"))

    op.drop_table("explanation")
    op.drop_table("audit")
    with op.batch_alter_table("acceptance", schema=None) as batch_op:
        batch_op.drop_index("ix_acceptance_period_group")

    op.drop_table("acceptance")
