"""The pandera model of a consolidated task row: the checks that matter to the partnership.

Every check is named after the issue code it raises (``missing_status`` -> ``missing-status``),
so a failure maps straight to a catalogued, plain-words message. The frame's index is the
record's number, which points back to its file, table and row.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.normalise.text import ref_outcome, says_by_when
from schemas.common import GroupOutcomeRows, blank, each_text, holds, repeated

STATUSES = ["Green", "Amber", "Red", "Achieved"]
_EXCEPTION_STATUSES = ["Amber", "Red"]


class TaskRows(GroupOutcomeRows):
    """One row per task read from a progress return (the group and outcome checks are inherited)."""

    ref: Series[str]
    action: Series[str]
    task: Series[str]
    status: Series[str] = pa.Field(nullable=True, isin=STATUSES)
    status_text: Series[str]
    status_query: Series[bool]
    has_status_column: Series[bool]
    planned: Series[str]
    other_cells_filled: Series[bool]

    @pa.dataframe_check(element_wise=False)
    @classmethod
    def missing_task(cls, df: pd.DataFrame) -> pd.Series:
        """A row with other cells filled must say what the task is."""
        return ~(blank(df["task"]) & df["other_cells_filled"])

    @pa.dataframe_check
    @classmethod
    def missing_status(cls, df: pd.DataFrame) -> pd.Series:
        """Every task in a table with a Status column has a status."""
        return ~df["has_status_column"] | ~blank(df["status_text"])

    @pa.dataframe_check
    @classmethod
    def unknown_status(cls, df: pd.DataFrame) -> pd.Series:
        """A status that was written is one of Green, Amber, Red, Achieved (an ambiguous word
        is queried by the reader instead)."""
        return blank(df["status_text"]) | df["status"].notna() | df["status_query"]

    @pa.dataframe_check
    @classmethod
    def missing_planned_action(cls, df: pd.DataFrame) -> pd.Series:
        """An amber or red task carries a planned improvement."""
        return ~df["status"].isin(_EXCEPTION_STATUSES) | ~blank(df["planned"])

    @pa.dataframe_check
    @classmethod
    def planned_action_no_deadline(cls, df: pd.DataFrame) -> pd.Series:
        """An amber or red task's planned improvement says by when."""
        applies = df["status"].isin(_EXCEPTION_STATUSES) & ~blank(df["planned"])
        return ~applies | holds(df["planned"], says_by_when, applies)

    @pa.dataframe_check
    @classmethod
    def ref_outside_outcome(cls, df: pd.DataFrame) -> pd.Series:
        """A Ref belongs to the outcome it is written under (2.3b under outcome 2.3)."""
        ref_of = each_text(df["ref"], ref_outcome)
        return (ref_of == "") | blank(df["outcome"]) | (ref_of == df["outcome"])

    @pa.dataframe_check
    @classmethod
    def duplicate_task(cls, df: pd.DataFrame) -> pd.Series:
        """A task appears once under its action in a return."""
        wording = each_text(df["task"], lambda text: " ".join(text.lower().split()))
        return blank(df["task"]) | ~repeated(df["file"], df["group"], df["outcome"], df["ref"],
                                             df["action"], wording)
