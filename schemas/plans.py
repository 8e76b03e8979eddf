"""The pandera model of an action-plan row (the planning template of seeds 002/003)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.common import GroupOutcomeRows, blank


class PlanRows(GroupOutcomeRows):
    """One row per task line of an action plan."""

    action: Series[str]
    task: Series[str]
    milestones: Series[str]

    @pa.dataframe_check
    @classmethod
    def missing_task(cls, df: pd.DataFrame) -> pd.Series:
        """A plan row says what will be done: a task or milestones."""
        return ~(blank(df["task"]) & blank(df["milestones"]))
