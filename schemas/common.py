"""What every validated row shares: a group and an outcome, checked against the register."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series


def blank(series: pd.Series) -> pd.Series:
    """True where a text column is empty or only spaces."""
    return series.fillna("").astype(str).str.strip() == ""


class GroupOutcomeRows(pa.DataFrameModel):
    """A row that belongs to a group and an outcome; the checks are inherited by each row model."""

    file: Series[str]
    group: Series[str]
    group_known: Series[bool]
    outcome: Series[str]
    outcome_owner: Series[str] = pa.Field(description="The register's group for the outcome, or ''")

    class Config:
        strict = False
        coerce = True

    @pa.dataframe_check
    @classmethod
    def unknown_group(cls, df: pd.DataFrame) -> pd.Series:
        """The group is one of the register's."""
        return df["group_known"]

    @pa.dataframe_check
    @classmethod
    def unknown_outcome(cls, df: pd.DataFrame) -> pd.Series:
        """The outcome is one of the Strategy's."""
        return blank(df["outcome"]) | ~blank(df["outcome_owner"])

    @pa.dataframe_check
    @classmethod
    def outcome_not_group(cls, df: pd.DataFrame) -> pd.Series:
        """The outcome is one the group owns."""
        return blank(df["outcome_owner"]) | ~df["group_known"] | (df["outcome_owner"] == df["group"])
