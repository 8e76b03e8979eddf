"""Pandera models of the records the pipeline validates: what a user declares, kept apart from
the code that runs it (``pipeline/validate.py``)."""

from schemas.plans import PlanRows
from schemas.statuses import StatusChecks
from schemas.summaries import SummaryCounts
from schemas.tasks import STATUSES, TaskRows

__all__ = ["STATUSES", "PlanRows", "StatusChecks", "SummaryCounts", "TaskRows"]
