"""One consolidation: every return in the inbox read, checked and merged, in report order.

`steps.consolidate` runs the steps in order: `read` each inbox file (e-mails expanded into their
attachments), find the period the returns report on and query those dated for another
(`dating`), decide which returns count (`supersede`: pure functions over the files' results),
and `merge` what counts into a `result.Consolidation`, validated and reconciled.
"""
