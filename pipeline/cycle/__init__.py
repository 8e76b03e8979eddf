"""The quarter's cycle: where the data lives, the book of periods, and the officer's steps.

- `workspace`: the inbox (one folder per period), the outputs and the history database.
- `book`: periods opened and closed, returns accepted, queries explained, and the audit, kept
  in the history database.
- `records`: what the book records, as plain records (no database library loaded for them).
- `tracker`: where each group's return stands in the period, with the date of each step.
- `overview`: the quarter at a glance and its last run, read with the history opened once.
- `actions`: the officer's steps, the same for the command line and the page.
"""
