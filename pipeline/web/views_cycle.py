"""The quarter's cycle on the page: the tracker, opening and closing a period, accepting a return
and explaining a query. Each action is the cycle's own function; the page only asks and tells."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pipeline.errors import PipelineError
from pipeline.web.security import check_csrf
from pipeline.web.settings import Settings

if TYPE_CHECKING:
    from pipeline.cycle.book import PeriodInfo, RecordedIssue
    from pipeline.cycle.tracker import Tracker


@dataclass
class CycleView:
    """What the pages show of the cycle: the open period's tracker, its open queries, or why not."""

    tracker: Tracker | None = None
    queries: list[RecordedIssue] = field(default_factory=list)
    problem: str = ""


def cycle_view(settings: Settings) -> CycleView:
    """The open period's tracker and open queries; empty when no period has been opened."""
    if not settings.has_history():
        return CycleView()
    from pipeline.cycle.actions import current_period, open_queries, tracker

    workspace = settings.workspace()
    try:
        period: PeriodInfo | None = current_period(workspace)
        if period is None:
            return CycleView()
        return CycleView(tracker(workspace, period.label), open_queries(workspace, period.label))
    except PipelineError as exc:
        return CycleView(problem=str(exc))


def drop_folder(settings: Settings) -> Path:
    """Where dropped returns go: the open period's inbox folder, else the inbox itself."""
    if not settings.has_history():
        return settings.inbox
    from pipeline.cycle.actions import plan_run

    return plan_run(settings.workspace(), None, settings.period).inbox


def _back(value: object) -> str:
    """Only a path on this server to go back to (never '//elsewhere' or a full address)."""
    text = value if isinstance(value, str) else "/"
    return text if text.startswith("/") and not text.startswith("//") and "\\" not in text else "/"


async def _act(request: Request, action: str) -> Response:
    settings: Settings = request.app.state.settings
    async with request.form(max_files=0, max_fields=10) as form:
        check_csrf(request, form, settings)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        said = await run_in_threadpool(_ACTIONS[action], settings, fields)
        request.app.state.flash = ("done", said)
    except PipelineError as exc:
        request.app.state.flash = ("refused", str(exc))
    return RedirectResponse(_back(fields.get("back")), status_code=303)


def _open(settings: Settings, fields: dict[str, str]) -> str:
    from pipeline.cycle.actions import open_period
    from pipeline.cycle.book import CycleError

    deadline = None
    if fields.get("deadline"):
        try:
            deadline = dt.date.fromisoformat(fields["deadline"])
        except ValueError as exc:
            raise CycleError(f"The deadline {fields['deadline']!r} is not a date like 2009-04-21.") from exc
    info = open_period(settings.workspace(), fields.get("label", ""), deadline)
    return f"{info.label} is open; its returns are due by {info.deadline:%d %B %Y}."


def _close(settings: Settings, fields: dict[str, str]) -> str:
    from pipeline.cycle.actions import close_period

    info = close_period(settings.workspace())
    return f"{info.label} is closed: its record can no longer change."


def _accept(settings: Settings, fields: dict[str, str]) -> str:
    from pipeline.cycle.actions import accept_return
    from pipeline.cycle.book import COUNTED

    done = accept_return(settings.workspace(), fields.get("file", ""), note=fields.get("note", ""),
                         override=fields.get("override") == "yes")
    if done.kind == COUNTED:
        return (f"{done.file} is counted as {done.group or 'its group'}'s return for {done.period}: "
                "run the consolidation to read it in.")
    return f"Accepted {done.group}'s return for {done.period} ({done.file})."


def _explain(settings: Settings, fields: dict[str, str]) -> str:
    from pipeline.cycle.actions import explain_query

    issue = explain_query(settings.workspace(), fields.get("key", ""), fields.get("text", ""))
    return f"Explanation recorded for {issue.group}'s query: {issue.message}"


_ACTIONS = {"open": _open, "close": _close, "accept": _accept, "explain": _explain}


async def open_period(request: Request) -> Response:
    """Open a period with its deadline (and make its inbox folder)."""
    return await _act(request, "open")


async def close_period(request: Request) -> Response:
    """Close the open period."""
    return await _act(request, "close")


async def accept(request: Request) -> Response:
    """Accept a return (with an override and a note when problems remain)."""
    return await _act(request, "accept")


async def explain(request: Request) -> Response:
    """Record an explanation for a query."""
    return await _act(request, "explain")
