"""Bringing a history database's schema up to the latest migration, with no alembic.ini.

The migration scripts ship inside the package (``pipeline/history/migrations``), so an installed
pipeline finds them. To write a new revision after changing `schema.py`, from the repository::

    uv run python -c "from pipeline.history.migrate import new_revision; \\
        new_revision('sqlite:///outputs/history.sqlite', 'what changed')"
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, func, inspect, select, text

from pipeline.errors import PipelineError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
#: Our own name for Alembic's bookkeeping table, so a database shared with another tool is safe.
VERSION_TABLE = "history_schema_version"
#: Key of the PostgreSQL advisory lock that lets one process at a time change the schema.
SCHEMA_LOCK = 0x50495045  # "PIPE"


def alembic_config() -> Config:
    """An Alembic configuration pointing at the packaged migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


_REVISION = re.compile(r"^(down_)?revision(?:: [^=]+)? = (?:\"([^\"]*)\"|None)", re.MULTILINE)


class MigrationError(Exception):
    """Alembic could not bring the schema to the latest revision (one it does not know, say)."""


@cache
def head_revision() -> str:
    """The latest migration's revision, read from the packaged scripts (without Alembic, which
    takes longer to import than a whole consolidation of a few returns)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in MIGRATIONS.joinpath("versions").glob("*.py"):
        for down, value in _REVISION.findall(script.read_text(encoding="utf-8")):
            if value:
                (parents if down else revisions).add(value)
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the packaged migrations have {len(heads)} heads, not one: {sorted(heads)}")
    return heads.pop()


def current_revision(connection: Connection) -> str | None:
    """The revision the database's schema is at, or None for a database never migrated."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def upgrade(connection: Connection) -> None:
    """Apply every migration the database has not had yet, inside the connection's transaction.

    A database already at the latest revision is left alone without loading Alembic.
    """
    if current_revision(connection) == head_revision():
        return
    from alembic import command

    if connection.dialect.name == "postgresql":
        # Two consolidations starting at once on a new database must not both create the tables.
        connection.execute(select(func.pg_advisory_xact_lock(SCHEMA_LOCK)))
    _refuse_foreign_tables(connection)
    from alembic.util import CommandError

    config = alembic_config()
    config.attributes["connection"] = connection
    try:
        command.upgrade(config, "head")
    except CommandError as exc:
        raise MigrationError(str(exc)) from exc


class ForeignTablesError(PipelineError):
    """The database holds tables named as the history's but not made by the pipeline."""


def _refuse_foreign_tables(connection: Connection) -> None:
    """A database may be shared with another tool, but tables that have the history's names and
    were not made by it (no version table) are another tool's or damaged: never written into."""
    from pipeline.history.schema import Base

    present = set(inspect(connection).get_table_names())
    clash = sorted(present & set(Base.metadata.tables)) if VERSION_TABLE not in present else []
    if clash:
        raise ForeignTablesError(
            f"it already holds tables named {', '.join(clash)} that the pipeline did not make "
            "(another program's, or a damaged history)")


def new_revision(url: str, message: str) -> None:
    """Generate a migration script from the difference between `schema.py` and the database at url."""
    from alembic import command

    config = alembic_config()
    config.set_main_option("sqlalchemy.url", url)
    command.revision(config, message=message, autogenerate=True)
