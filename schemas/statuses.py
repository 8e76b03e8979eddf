"""The pandera model of the automatic status checks: statuses that do not fit their own dates,
positions not updated since last period, deadlines that keep moving.

Each check is named after the query it raises (``target_date_passed`` ->
``target-date-passed``). Dates are day numbers
(`datetime.date.toordinal`), empty where the text names none, so comparing them needs no
date parsing here. Which checks run, and their tolerances, is the register's ``[checks]``.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.normalise.deadlines import dates_named
from pipeline.normalise.text import says_by_when
from schemas.common import blank, holds, words


class StatusChecks(pa.DataFrameModel):
    """One row per task of this period, with last period's position and revised deadline."""

    status: Series[str] = pa.Field(nullable=True)
    target_day: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    """The latest date the target names."""
    period_end: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    """The last day of the period reported on; empty when the period's label cannot be read."""
    overdue_from: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    """A target before this day has passed (the period's end less the grace days)."""
    position: Series[str]
    previous_position: Series[str]
    has_previous: Series[bool]
    """The task was matched to one of last period's."""
    min_chars: Series[int]
    revised_deadline: Series[str]
    previous_revised_deadline: Series[str]
    planned: Series[str]

    class Config:
        strict = False
        coerce = True

    @pa.dataframe_check
    @classmethod
    def target_date_passed(cls, df: pd.DataFrame) -> pd.Series:
        """A Green or Amber task's target date has not passed by the end of the period."""
        late = df["target_day"] < df["overdue_from"]
        return ~(df["status"].isin(["Green", "Amber"]) & late.fillna(False).astype(bool))

    @pa.dataframe_check
    @classmethod
    def achieved_future_target(cls, df: pd.DataFrame) -> pd.Series:
        """An Achieved task's target date is not after the end of the period."""
        early = df["target_day"] > df["period_end"]
        return ~((df["status"] == "Achieved") & early.fillna(False).astype(bool))

    @pa.dataframe_check
    @classmethod
    def achieved_no_position(cls, df: pd.DataFrame) -> pd.Series:
        """An Achieved task's position says what was achieved."""
        return ~((df["status"] == "Achieved") & blank(df["position"]))

    @pa.dataframe_check
    @classmethod
    def position_unchanged(cls, df: pd.DataFrame) -> pd.Series:
        """A position is not word for word last period's."""
        now = words(df["position"])
        long_enough = now.str.len() >= df["min_chars"]
        same = now == words(df["previous_position"])
        return ~(df["has_previous"] & ~blank(df["position"]) & long_enough & same)

    @pa.dataframe_check
    @classmethod
    def deadline_moved_again(cls, df: pd.DataFrame) -> pd.Series:
        """A revised deadline given last period has not moved again."""
        both = ~blank(df["revised_deadline"]) & ~blank(df["previous_revised_deadline"])
        moved = words(df["revised_deadline"]) != words(df["previous_revised_deadline"])
        return ~(df["has_previous"] & both & moved)

    @pa.dataframe_check
    @classmethod
    def red_without_date(cls, df: pd.DataFrame) -> pd.Series:
        """A Red task's planned improvement names a date.

        A planned improvement naming no time at all is already the query
        planned-action-no-deadline; this one catches 'next meeting', 'soon', 'Q3'…
        """
        red = (df["status"] == "Red") & ~blank(df["planned"])
        says_when = holds(df["planned"], says_by_when, red)
        dated = holds(df["planned"], dates_named, red)
        return ~(red & says_when & ~dated)
