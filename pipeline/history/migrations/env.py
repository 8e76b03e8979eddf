"""Alembic environment for the history database.

The store runs it through `pipeline.history.migrate.upgrade`, handing over an open connection in
``config.attributes["connection"]``; with none it connects to the ``sqlalchemy.url`` option, which
is how a developer generates a new revision (see `pipeline.history.migrate`).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from pipeline.history.migrate import VERSION_TABLE
from pipeline.history.schema import Base


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      version_table=VERSION_TABLE,
                      # SQLite cannot ALTER most things in place: batch mode copies the table.
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("Alembic was started without a connection or a sqlalchemy.url")
    with create_engine(url).connect() as own:
        _run(own)
        own.commit()
