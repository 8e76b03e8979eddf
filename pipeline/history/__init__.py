"""History: every consolidation remembered, and what changed since the previous period.

- `store`: open the database (SQLite or PostgreSQL), record a consolidation, read periods back.
- `schema`: the tables; `migrate` and `migrations/`: creating and upgrading them with Alembic.
- `periods`: putting period labels in time order.
- `matching`: finding the same task in two periods despite small rewording.
- `changes`: the kind of change of each task, and its direction-of-travel mark.
- `timeline`: one line per task across all periods, for the `history` command.
"""

from pipeline.history.changes import DIRECTIONS, KINDS, Change, apply_directions, compare
from pipeline.history.periods import period_sort_key
from pipeline.history.store import DEFAULT_FILE_NAME, HistoryError, HistoryRow, HistoryStore, open_store

__all__ = [
    "DEFAULT_FILE_NAME",
    "DIRECTIONS",
    "KINDS",
    "Change",
    "HistoryError",
    "HistoryRow",
    "HistoryStore",
    "apply_directions",
    "compare",
    "open_store",
    "period_sort_key",
]
