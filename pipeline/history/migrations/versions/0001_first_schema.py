"""Periods, their source files and their tasks.

Revision ID: 0001
Revises:
Create Date: 2026-05-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("first_recorded", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_recorded", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period")),
        sa.UniqueConstraint("label", name=op.f("uq_period_label")),
    )
    op.create_table(
        "source_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("sender", sa.Text(), nullable=False),
        sa.Column("received", sa.String(length=40), nullable=False),
        sa.Column("group_name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["period_id"], ["period.id"], ondelete="CASCADE",
                                name=op.f("fk_source_file_period_id_period")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_file")),
        sa.UniqueConstraint("period_id", "sha256", name=op.f("uq_source_file_period_id")),
    )
    op.create_index(op.f("ix_source_file_period_id"), "source_file", ["period_id"])
    op.create_index(op.f("ix_source_file_sha256"), "source_file", ["sha256"])
    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("group_name", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("ref", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("position", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("status_text", sa.Text(), nullable=False),
        sa.Column("planned", sa.Text(), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("sheet", sa.Text(), nullable=True),
        sa.Column("cell", sa.String(length=20), nullable=True),
        sa.Column("table_no", sa.Integer(), nullable=True),
        sa.Column("row_no", sa.Integer(), nullable=True),
        sa.Column("column_no", sa.Integer(), nullable=True),
        sa.Column("paragraph_no", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["period_id"], ["period.id"], ondelete="CASCADE",
                                name=op.f("fk_task_period_id_period")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task")),
    )
    op.create_index("ix_task_period_group", "task", ["period_id", "group_name"])


def downgrade() -> None:
    op.drop_index("ix_task_period_group", table_name="task")
    op.drop_table("task")
    op.drop_index(op.f("ix_source_file_sha256"), table_name="source_file")
    op.drop_index(op.f("ix_source_file_period_id"), table_name="source_file")
    op.drop_table("source_file")
    op.drop_table("period")
