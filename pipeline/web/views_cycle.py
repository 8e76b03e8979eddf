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

from pipeline.cycle.overview import QuarterOverview
from pipeline.errors import PipelineError
from pipeline.web.security import check_csrf
from pipeline.web.settings import Settings

if TYPE_CHECKING:
    from pipeline.cycle.records import RecordedIssue
    from pipeline.cycle.tracker import Tracker
    from pipeline.run import RunResult


@dataclass
class CycleView:
    """What the pages show of the quarter (`QuarterOverview`), or why it cannot be read."""

    overview: QuarterOverview = field(default_factory=QuarterOverview)
    problem: str = ""

    @property
    def tracker(self) -> Tracker | None:
        """The open period's tracker, when a period is open."""
        return self.overview.tracker

    @property
    def queries(self) -> list[RecordedIssue]:
        """The period's queries still to explain."""
        return self.overview.queries


def cycle_view(settings: Settings, run: RunResult | None = None) -> CycleView:
    """The quarter the page works on, read from the history once: the period named at start, else
    the open one, else the one the shown run consolidated."""
    from pipeline.cycle.overview import quarter_overview

    try:
        workspace = settings.workspace()
        overview = quarter_overview(workspace, settings.period)
        if overview.info is None and run is not None and run.result.period not in ("", overview.period):
            overview = quarter_overview(workspace, run.result.period)
        return CycleView(overview)
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
    from pipeline.cycle.records import CycleError

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


def _reopen(settings: Settings, fields: dict[str, str]) -> str:
    from pipeline.cycle.actions import reopen_period
    from pipeline.cycle.records import CycleError

    if fields.get("confirm") != "yes":
        raise CycleError(f"{fields.get('label') or 'The period'} was not reopened: tick the box to confirm.")
    info = reopen_period(settings.workspace(), fields.get("label", ""))
    return (f"{info.label} is open again (deadline {info.deadline:%d %B %Y}): the next consolidation "
            "replaces its record.")


def _accept(settings: Settings, fields: dict[str, str]) -> str:
    from pipeline.cycle.actions import accept_return
    from pipeline.cycle.records import COUNTED

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


_ACTIONS = {"open": _open, "close": _close, "reopen": _reopen, "accept": _accept, "explain": _explain}


async def open_period(request: Request) -> Response:
    """Open a period with its deadline (and make its inbox folder)."""
    return await _act(request, "open")


async def close_period(request: Request) -> Response:
    """Close the open period."""
    return await _act(request, "close")


async def reopen_confirm(request: Request) -> Response:
    """Ask before reopening a closed period (its record can then change)."""
    from pipeline.web.render import page

    settings: Settings = request.app.state.settings
    label = request.query_params.get("label", "")
    view = await run_in_threadpool(cycle_view, settings)
    info = next((p for p in view.overview.closed if p.label == label), None)
    if info is None:
        return page(request, "error.html", 404, message=f"There is no closed period {label!r} to reopen.")
    return page(request, "reopen.html", label=label, info=info)


async def reopen_period(request: Request) -> Response:
    """Reopen a closed period, once the officer has confirmed it."""
    return await _act(request, "reopen")


async def queries(request: Request) -> Response:
    """Every query of the period still waiting for an explanation, each with its explain form."""
    from pipeline.web.render import page

    run = request.app.state.runner.latest
    view = await run_in_threadpool(cycle_view, request.app.state.settings, run)
    files: dict[str, int] = {}
    if run is not None and run.result.period == view.overview.period:
        files = {s.file: i for i, s in enumerate(run.result.submissions)}
    return page(request, "queries.html", cycle=view, files=files)


async def accept(request: Request) -> Response:
    """Accept a return (with an override and a note when problems remain)."""
    return await _act(request, "accept")


async def explain(request: Request) -> Response:
    """Record an explanation for a query."""
    return await _act(request, "explain")
