"""The pandera model of an action-plan row (the planning template of seeds 002/003)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series


def _blank(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str).str.strip() == ""


class PlanRows(pa.DataFrameModel):
    """One row per task line of an action plan."""

    file: Series[str]
    group: Series[str]
    group_known: Series[bool]
    outcome: Series[str]
    outcome_owner: Series[str]
    action: Series[str]
    task: Series[str]
    milestones: Series[str]

    class Config:
        strict = False
        coerce = True

    @pa.dataframe_check
    def missing_task(cls, df: pd.DataFrame) -> pd.Series:
        """A plan row says what will be done: a task or milestones."""
        return ~(_blank(df["task"]) & _blank(df["milestones"]))

    @pa.dataframe_check
    def unknown_group(cls, df: pd.DataFrame) -> pd.Series:
        """The group is one of the register's."""
        return df["group_known"]

    @pa.dataframe_check
    def unknown_outcome(cls, df: pd.DataFrame) -> pd.Series:
        """The outcome is one of the Strategy's."""
        return _blank(df["outcome"]) | ~_blank(df["outcome_owner"])

    @pa.dataframe_check
    def outcome_not_group(cls, df: pd.DataFrame) -> pd.Series:
        """The outcome is one the group owns."""
        return (_blank(df["outcome_owner"]) | ~df["group_known"]
                | (df["outcome_owner"] == df["group"]))
