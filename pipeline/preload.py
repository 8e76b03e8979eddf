"""Loading ahead what later steps need, while the returns are read.

A run's own process mostly waits while its returns are read (a small run's are read in one
worker; a large run's workers share the cores with it): the libraries and modules of the steps
after reading load then rather than after. pandas, pandera and pandera's backends, about a
second of CPU, load there too unless a child standing by from the command's start
(`side_process.StandbyProcess`) validates the run. This module imports nothing heavy itself, so
it can be imported before anything starts.
"""

from __future__ import annotations

import importlib

#: What the run's own process uses after reading: comparing with the history, the workbook,
#: the reminders, the tracker. None of them loads the database's library (a run without
#: history never does).
LATER_STEPS = ("pipeline.history.changes", "pipeline.history.matching", "pipeline.history.trend",
               "pipeline.report.master", "pipeline.outbox.reminders", "pipeline.cycle.tracker")
#: The exceptions report's writer (python-docx), loaded ahead for a small run: its child,
#: forked to write the report beside the workbook, starts with it loaded. A large run's child
#: loads it itself, beside the workbook, rather than on the cores the reading shares.
REPORT = "pipeline.report.exceptions_report"


def load_validation() -> None:
    """Load what validating the merged records takes: pandas, pandera and its backends."""
    from pipeline.validate import load_backends

    load_backends()


def load_ahead(*, validation: bool, report: bool) -> None:
    """Load the later steps' modules (`LATER_STEPS`), with `validation` what validating takes,
    and with `report` the exceptions report's writer."""
    for name in LATER_STEPS:
        importlib.import_module(name)
    if report:
        importlib.import_module(REPORT)
    if validation:
        load_validation()
