"""History: each task's status over the periods, and the RAG counts per group across quarters."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from pipeline.errors import PipelineError
from pipeline.web.render import page
from pipeline.web.settings import Settings


def _read(settings: Settings, group: str, task: str) -> dict[str, Any]:
    from pipeline.cycle.overview import history_in_use
    from pipeline.history.counts import counts_by_period
    from pipeline.history.store import open_store
    from pipeline.history.timeline import timeline
    from pipeline.web.chart import group_charts

    found = history_in_use(settings.workspace())
    if found is None:
        return {"empty": True}
    with open_store(*found) as store:
        rows = store.group_history()
        recorded = store.periods()
    periods, lines = timeline(rows)
    groups = list(dict.fromkeys(line.group for line in lines))
    if group:
        lines = [line for line in lines if line.group == group]
    if task:
        wanted = task.casefold()
        lines = [ln for ln in lines if wanted in ln.task.casefold() or wanted in ln.ref.casefold()]
    charts = group_charts(recorded, counts_by_period(rows))
    if group:
        charts = [c for c in charts if c.group == group]
    return {"empty": not rows, "periods": recorded, "lines": lines, "charts": charts, "groups": groups}


async def history(request: Request) -> Response:
    """The history page, filtered by ?group= and ?task= when given."""
    settings: Settings = request.app.state.settings
    group = request.query_params.get("group", "")
    task = request.query_params.get("task", "")
    try:
        found = await run_in_threadpool(_read, settings, group, task)
    except PipelineError as exc:
        return page(request, "error.html", 503, message=str(exc))
    found.setdefault("periods", [])
    found.setdefault("lines", [])
    found.setdefault("charts", [])
    found.setdefault("groups", [])
    return page(request, "history.html", group=group, task=task, **found)
