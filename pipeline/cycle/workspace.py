"""Where a partnership's data lives: the inbox (one folder per period), the outputs, the history.

The command line and the officer's page both start from a `Workspace`, so they find the same
open period, the same inbox folder and the same history database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.folders import DEFAULT_HISTORY_FILE, DEFAULT_INBOX, DEFAULT_OUT
from pipeline.intake.scan import SAMPLE_MARKER
from pipeline.periods import Period
from pipeline.register import Register

if TYPE_CHECKING:
    from pipeline.cycle.book import CycleBook

#: The history file, in the output folder, that sample consolidations record into.
SAMPLE_HISTORY = "sample-history.sqlite"


@dataclass(frozen=True)
class Workspace:
    """The folders and database of one partnership's data."""

    register: Register
    inbox_root: Path = DEFAULT_INBOX
    out: Path = DEFAULT_OUT
    db: str | None = None
    """A database URL or path; None for `history.sqlite` in the output folder."""

    def period_inbox(self, period: Period | str) -> Path:
        """The inbox folder of a period: inbox/2009-10-Q1."""
        if isinstance(period, str):
            period = self.register.calendar.parse(period)
        return self.inbox_root / period.folder

    def is_sample(self, inbox: Path) -> bool:
        """True when the folder holds the shipped sample returns (marked by SAMPLE_MARKER): they
        record into a history of their own, never the partnership's."""
        return (inbox / SAMPLE_MARKER).is_file()

    def history_file(self, inbox: Path | None = None) -> Path:
        """The SQLite history used without a database URL: the sample's own for the sample inbox."""
        if inbox is not None and self.is_sample(inbox):
            return self.out / SAMPLE_HISTORY
        return self.out / DEFAULT_HISTORY_FILE

    @property
    def has_history(self) -> bool:
        """True when there is a history to read: a database named, or the SQLite file made."""
        return bool(self.db) or self.history_file().is_file()

    @contextmanager
    def book(self, *, create: bool = False) -> Iterator[CycleBook]:
        """The cycle's book in the partnership's history database; only opening a period
        (`create`) makes a new one, so looking around never leaves an empty database behind."""
        from pipeline.cycle.book import CycleBook, CycleError
        from pipeline.history.store import open_store

        if not create and not self.has_history:
            raise CycleError("No period has been opened yet: open one with "
                             'pipeline period open "Q1 2009/10".')

        with open_store(self.db, self.history_file()) as store:
            yield CycleBook(store)
