"""History: every consolidation remembered, and what changed since the previous period.

- `store`: open the database (SQLite or PostgreSQL), record a consolidation, read periods back.
- `schema`: the tables; `migrate` and `migrations/`: creating and upgrading them with Alembic.
- `matching`: finding the same task in two periods despite small rewording.
- `changes`: the kind of change of each task, and its direction-of-travel mark.
- `timeline`: one line per task across all periods, for the `history` command.
"""

import importlib
from typing import Any

#: The SQLite file a run records into when no database URL is given, in the output folder.
DEFAULT_FILE_NAME = "history.sqlite"

# SQLAlchemy and Alembic take most of a second to import: the package gives its names on first
# use, so `pipeline --help` and runs with --no-history never pay for them.
_WHERE = {
    "DIRECTIONS": "changes", "KINDS": "changes", "Change": "changes", "apply_directions": "changes",
    "compare": "changes", "HistoryError": "store", "HistoryRow": "store",
    "HistoryStore": "store", "open_store": "store",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'pipeline.history' has no attribute {name!r}")
    return getattr(importlib.import_module(f"pipeline.history.{_WHERE[name]}"), name)


__all__ = ["DEFAULT_FILE_NAME", *_WHERE]
