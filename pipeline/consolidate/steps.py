"""The steps of one consolidation in order: read, date, supersede, merge."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import TypedDict, Unpack

from pipeline.consolidate.dating import flag_other_periods, period_from, query_mail_dates
from pipeline.consolidate.merge import merge
from pipeline.consolidate.read import ProgressCallback, read_all
from pipeline.consolidate.result import Consolidation, ConsolidationError, FileResult
from pipeline.consolidate.supersede import hold_back_other_periods, supersede_resubmissions
from pipeline.intake.scan import scan_inbox
from pipeline.preload import load_validation
from pipeline.register import Register
from pipeline.timings import step


class ReadOptions(TypedDict, total=False):
    """How `read_returns` reads (its keyword arguments), as `consolidate` passes them on."""

    period: str | None
    exclude: Iterable[Path]
    on_file: ProgressCallback | None
    workers: int | None
    time_limit: float | None
    count_anyway: Collection[str]


def consolidate(inbox: Path, register: Register, **options: Unpack[ReadOptions]) -> Consolidation:
    """Read every return in the inbox (`read_returns`, which says what the options do) and merge
    them into one consolidation."""
    results, label = read_returns(inbox, register, **options)
    with step("merge"):
        return merge(results, register, label)


def read_returns(
    inbox: Path,
    register: Register,
    *,
    period: str | None = None,
    exclude: Iterable[Path] = (),
    on_file: ProgressCallback | None = None,
    workers: int | None = None,
    time_limit: float | None = None,
    count_anyway: Collection[str] = (),
    meanwhile: Callable[[], object] | None = load_validation,
) -> tuple[list[FileResult], str]:
    """Every file in the inbox read, dated and sorted into what counts and what does not, ready
    to merge; and the label of the period reported on.

    `time_limit` is the seconds one file may take to read (default: the per-file limit). A
    return dated for another period is held back (listed, never merged) unless its SHA-256 is in
    `count_anyway`: the officer has accepted it as this period's return. `meanwhile()` runs in
    a thread of this process while the returns are read (by default it loads what validating
    takes: see `pipeline.preload`).
    """
    inbox = Path(inbox)
    if inbox.exists() and not inbox.is_dir():
        raise ConsolidationError(
            f"The inbox {inbox} is a file, not a folder: name the folder that holds the returns "
            "with --inbox."
        )
    if not inbox.is_dir():
        raise ConsolidationError(
            f"The inbox folder {inbox} does not exist. Create it and put the "
            "returns in it, or name another folder with --inbox."
        )
    calendar = register.calendar
    wanted = calendar.parse(period) if period else None
    with step("read"):
        entries = scan_inbox(inbox, exclude=exclude)
        results = read_all(entries, register, on_file, workers, time_limit,
                           meanwhile=meanwhile)
    query_mail_dates(results, None)
    chosen = wanted or period_from(results, calendar)
    query_mail_dates(results, chosen)
    flag_other_periods(results, chosen, calendar)
    hold_back_other_periods(results, chosen, count_anyway)
    supersede_resubmissions(results)
    return results, chosen.label
