"""Merging the returns that count into one consolidation, in report order, validated and reconciled."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from pipeline.consolidate.read import UNREADABLE_FORMAT
from pipeline.consolidate.result import (
    Consolidation,
    ConsolidationError,
    FileResult,
    Reconciliation,
    SubmissionState,
    arrival_state,
    arrivals,
)
from pipeline.consolidate.supersede import OTHER_PERIOD
from pipeline.issues import Issue
from pipeline.records import EXCEPTION_STATUSES, PlanRecord, ReturnData, TaskRecord
from pipeline.register import Register, outcome_sort_key


def _accepted_returns(results: list[FileResult]) -> list[ReturnData]:
    """What was read from each accepted return (not rejected, skipped or superseded)."""
    return [r.data for r in results if r.submission.state == SubmissionState.ACCEPTED and r.data is not None]


#: The states of a file that was read, whether it counted or not.
_READ = (SubmissionState.ACCEPTED, SubmissionState.SUPERSEDED, SubmissionState.HELD_BACK)


def merge(results: list[FileResult], register: Register, period: str) -> Consolidation:
    """The returns that count merged in report order, with every problem, validated and reconciled."""
    merged = combine(results, register, period)
    merged.issues += validation_issues(results, merged, register)
    return merged


def combine(results: list[FileResult], register: Register, period: str) -> Consolidation:
    """The returns that count merged in report order, with every problem found in reading them,
    and reconciled; what the schemas find (`validation_issues`) is added to its issues after."""
    returns = _accepted_returns(results)
    tasks = [t for data in returns for t in data.tasks]
    plans = [p for data in returns for p in data.plans]
    _sort_in_report_order(tasks, register)
    _sort_in_report_order(plans, register)
    issues: list[Issue] = [i for r in results for i in r.issues]
    issues += [i for data in returns for i in data.issues]
    # A held-back return's other problems wait until it is counted; why it was held back does not.
    issues += [i for r in results if r.submission.state == SubmissionState.HELD_BACK and r.data is not None
               for i in r.data.issues if i.code in OTHER_PERIOD]
    issues = _with_groups(issues, results)
    for r in results:
        if r.submission.state == SubmissionState.SUPERSEDED and r.data is not None:
            r.submission.rows = r.data.rows
    received = {r.submission.group for r in results
                if r.submission.state == SubmissionState.ACCEPTED and r.data}
    # A group whose return came in a format that cannot be read has sent it: it is not missing.
    received |= {r.submission.group for r in results if r.submission.state == SubmissionState.REJECTED
                 and any(i.code == UNREADABLE_FORMAT for i in r.issues)}
    merged = Consolidation(
        period=period,
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        submissions=[r.submission for r in results],
        tasks=tasks,
        plans=plans,
        summaries=[s for data in returns for s in data.summaries],
        issues=issues,
        groups=[g.name for g in register.groups],
        missing_groups=[g.name for g in register.groups if g.name not in received],
        officer=register.officer,
    )
    merged.reconciliation = _reconcile(results, merged)
    return merged


def validation_issues(results: list[FileResult], merged: Consolidation, register: Register) -> list[Issue]:
    """What the schemas find in the merged records (`pipeline.validate`), each naming its group,
    in record order: the issues `merge` adds after those found in reading."""
    from pipeline.validate import validate

    returns = _accepted_returns(results)
    summaries = [(s, data.file) for data in returns for s in data.summaries]
    # A group the register does not know is said once per return, not on every row.
    # (A plan row's issue carries no group: its file says it.)
    said = {(data.file, data.group_text) for data in returns if not data.group}
    said_files = {file for file, _ in said}
    found = [i for i in validate(merged.tasks, merged.plans, summaries, register)
             if not (i.code == "unknown-group" and ((i.place.file, i.group) in said
                                                    or (not i.group and i.place.file in said_files)))]
    return _with_groups(found, results)


def _sort_in_report_order(records: list[TaskRecord] | list[PlanRecord], register: Register) -> None:
    """Groups in the register's order, then outcomes by number. The sort is stable, so within an
    outcome records stay in the order the returns list them."""
    order = {g.name: i for i, g in enumerate(register.groups)}
    # Thousands of records share a few hundred (group, outcome) pairs: each pair's place is
    # worked out once, not once per record.
    places = {(group, outcome): (order.get(group, len(order)), group, outcome_sort_key(outcome))
              for group, outcome in {(r.group, r.outcome) for r in records}}
    records.sort(key=lambda r: places[r.group, r.outcome])


def _with_groups(issues: list[Issue], results: list[FileResult]) -> list[Issue]:
    """Each issue names the group whose file it is about, so it can be followed up per group."""
    group_of = {r.submission.file: r.submission.group for r in results if r.submission.group}
    return [i if i.group or i.place.file not in group_of else replace(i, group=group_of[i.place.file])
            for i in issues]


def _reconcile(results: list[FileResult], merged: Consolidation) -> Reconciliation:
    # Files as the officer saw them arrive: an e-mail and its attachments are one.
    found = arrivals([r.submission for r in results])
    states = [arrival_state(sub, attached) for sub, attached in found]
    returns = _accepted_returns(results)
    rec = Reconciliation(
        files_found=len(found),
        files_read=sum(1 for s in states if s in _READ),
        files_rejected=states.count(SubmissionState.REJECTED),
        files_skipped=states.count(SubmissionState.SKIPPED),
        files_superseded=states.count(SubmissionState.SUPERSEDED),
        files_held_back=states.count(SubmissionState.HELD_BACK),
        emails=sum(1 for sub, _ in found if sub.kind == "E-mail"),
        attachments=sum(len(attached) for _, attached in found),
        rows_read=sum(data.rows + data.rows_in_issues for data in returns),
        rows_merged=len(merged.tasks) + len(merged.plans),
        rows_in_issues=sum(data.rows_in_issues for data in returns),
        exceptions=sum(1 for t in merged.tasks if t.status in EXCEPTION_STATUSES),
    )
    if rec.rows_read != rec.rows_merged + rec.rows_in_issues:
        raise ConsolidationError(
            f"Reconciliation failed: {rec.rows_read} task rows were read but {rec.rows_merged} merged "
            f"and {rec.rows_in_issues} listed in Issues. This is a bug in the pipeline; please report "
            "it with the inbox that caused it."
        )
    return rec
