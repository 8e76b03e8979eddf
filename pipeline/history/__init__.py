"""History: every consolidation remembered, and what changed since the previous period.

- `store`: open the database (SQLite or PostgreSQL), record a consolidation, read periods back.
- `staging`: a large run's record made ready in a file of its own while the outputs are written.
- `schema`: the tables.
- `migrate`: creating and upgrading the tables with Alembic (scripts in `migrations/`).
- `matching`: finding the same task in two periods despite small rewording.
- `changes`: the kind of change of each task, and its direction-of-travel mark.
- `trend`: read-only queries of the earlier periods for the board pack and the Trend sheet.
- `counts`: statuses counted per group and period, for the officer's page and its chart.
- `returns`: each group's last return as recorded: its format and its tasks.
- `timeline`: one line per task across all periods, for the `history` command.
"""
