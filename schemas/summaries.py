"""The pandera model of a return's summary counts against the tasks it lists."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series


class SummaryCounts(pa.DataFrameModel):
    """One row per colour counted in a return's summary for an outcome."""

    file: Series[str]
    outcome: Series[str]
    colour: Series[str] = pa.Field(isin=["Green", "Amber", "Red", "Achieved", "Total"])
    declared: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    counted: Series[int] = pa.Field(ge=0)

    class Config:
        strict = False
        coerce = True

    @pa.dataframe_check
    @classmethod
    def summary_mismatch(cls, df: pd.DataFrame) -> pd.Series:
        """The declared count agrees with the tasks listed (an empty count cell means none)."""
        return df["declared"].fillna(0) == df["counted"]
