"""What every validated row shares: a group and an outcome, checked against the register."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series


def blank(series: pd.Series) -> pd.Series:
    """True where a text column is empty or only spaces (or missing)."""
    # str.isspace() is true of exactly the texts str.strip() leaves empty (but ''): told without
    # making each stripped copy through pandas' str.strip, a third of the time per column. The
    # column's own values are judged, not a copy with its gaps filled and each value made a
    # string (half the time): the checks ask it of 30,000-row columns about fifteen times a run.
    values = series.to_numpy(dtype=object)
    return pd.Series([not v or v.isspace() if type(v) is str else not _text_of(v).strip()
                      for v in values], index=series.index, dtype=bool)


def _text_of(value: Any) -> str:
    """A value that is not a string as text: '' when it is missing."""
    return "" if pd.isna(value) else str(value)


def each_text(series: pd.Series, work: Callable[[str], Any]) -> pd.Series:
    """``work(text)`` for each text of a column (an empty cell is ''), worked out once per
    distinct text: returns repeat their words on many rows."""
    # Read off the column's own values, not a copy with its gaps filled and each value made a
    # string, then mapped by pandas (a third of the time).
    texts = [v if type(v) is str else _text_of(v) for v in series.to_numpy(dtype=object)]
    done = {text: work(text) for text in dict.fromkeys(texts)}
    return pd.Series(list(map(done.__getitem__, texts)), index=series.index)


def holds(series: pd.Series, test: Callable[[str], Any], where: pd.Series) -> pd.Series:
    """True where ``where`` is and the row's text passes ``test`` (run on those rows only, once
    per distinct text); False on the other rows."""
    found = pd.Series(False, index=series.index)
    if where.any():
        found[where] = each_text(series[where], lambda text: bool(test(text))).astype(bool)
    return found


def repeated(*columns: pd.Series) -> pd.Series:
    """True on each row whose values in these text columns an earlier row has already: what
    ``DataFrame.duplicated(keep="first")`` gives of them, each row's values hashed once as a
    tuple instead of pandas factorising every column first (half the time)."""
    seen: set[tuple[Any, ...]] = set()
    found = []
    for key in zip(*(column.to_numpy(dtype=object) for column in columns), strict=True):
        found.append(key in seen)
        seen.add(key)
    return pd.Series(found, index=columns[0].index, dtype=bool)


def words(series: pd.Series) -> pd.Series:
    """Text compared word for word: case and spacing as typed do not count."""
    return each_text(series, lambda text: " ".join(text.split()).casefold())


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
