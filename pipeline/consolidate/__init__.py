"""One consolidation: every return in the inbox read, checked and merged, in report order.

- `steps`: `consolidate`, the steps below in order.
- `read`: each inbox file opened and interpreted (e-mails expanded into their attachments).
- `dating`: the period the returns report on, and the returns dated for another one.
- `supersede`: which returns count (pure functions over the files' results).
- `merge`: what counts merged into a `Consolidation`, validated and reconciled.
- `result`: what a consolidation is made of: each file's `SubmissionState`, the records, the counts.
"""
