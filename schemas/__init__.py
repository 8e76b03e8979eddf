"""Pandera models of the records the pipeline validates: what a user declares, kept apart from
the code that runs it (`pipeline/validate.py`).

- `tasks`: a consolidated task row: the checks that matter to the partnership.
- `plans`: an action-plan row (the planning template).
- `summaries`: a return's summary counts against the tasks it lists.
- `statuses`: the automatic status checks of the register's `[checks]`.
- `common`: what every validated row shares: a group and an outcome, checked against the register.
"""
