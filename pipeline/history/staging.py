"""A period's record made ready beside the history, so recording it after publishing is quick.

Recording a county's run inserts about 50,000 rows (its files, tasks and issues), each through
Python into SQLite: about a second, after the outputs are published, on one core. Staged, those
rows are written into a private SQLite file of their own in the report's child process once the
report is written (on the core the master workbook leaves idle then), and recording copies them
into the history with one ``INSERT … SELECT`` a table, inside SQLite (`HistoryStore.record`,
given the staged file).

The staged file holds the rows exactly as `HistoryStore.record` would insert them, but for the
period's id (not known until then): the same functions make them (`history.store.record_rows`).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from pipeline.consolidate.result import Consolidation

#: The tables a period's record is made of, in the order they are copied.
STAGED_TABLES = ("source_file", "task", "issue")


def stage_record(result: Consolidation, path: Path) -> Path:
    """Write the rows `HistoryStore.record` would insert for `result` into a new SQLite file at
    `path` (one table each for its files, tasks and issues, their period's id left out); returns
    `path`."""
    from pipeline.history.store import WRITTEN_COLUMNS, in_chunks, record_rows

    rows_of = record_rows(result, period_id=0)
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        # A private scratch file, thrown away after the run: no journal, no waiting for the disk.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN")
        for table in STAGED_TABLES:
            columns = WRITTEN_COLUMNS[table][1:]  # the period's id is the record's to give
            connection.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
            insert = (f"INSERT INTO {table} ({', '.join(columns)}) "
                      f"VALUES ({', '.join('?' * len(columns))})")
            for chunk in in_chunks(row[1:] for row in rows_of[table]):
                connection.executemany(insert, chunk)
        connection.execute("COMMIT")
    return path

