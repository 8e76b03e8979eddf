"""Rendering a page: the templates, and what every page is given (CSRF token, the run, the nav)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from pipeline.records import Status
from pipeline.web.jobs import Runner
from pipeline.web.settings import Settings
from pipeline.words import plural

HERE = Path(__file__).parent

#: The pages in the navigation, in the order an officer works through a quarter.
NAV = [("/", "Quarter"), ("/run", "Run"), ("/queries", "Queries"), ("/report", "Report"),
       ("/messages", "Messages"), ("/history", "History")]

_STATUS_CLASS = {s.value: s.value.lower() for s in Status}


def templates() -> Jinja2Templates:
    """The page templates, autoescaped, failing loudly on a misspelt variable."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["status_class"] = lambda value: _STATUS_CLASS.get(str(value or ""), "none")
    env.filters["when"] = when
    env.filters["plural"] = plural
    return Jinja2Templates(env=env)


def when(text: str) -> str:
    """An ISO 8601 time as the page shows every time: '30 Nov 2026 12:00', in this computer's zone."""
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return text or ""
    return f"{(moment.astimezone() if moment.tzinfo else moment):%d %b %Y %H:%M}"


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a template with the session's CSRF token, the navigation and the latest run."""
    app = request.app
    settings: Settings = app.state.settings
    runner: Runner = app.state.runner
    context.setdefault("job", runner.job)
    context.setdefault("run", runner.latest)
    # A one-shot message from the last action (accepted, refused and why), shown once.
    context.setdefault("flash", app.state.flash)
    app.state.flash = None
    context.setdefault("nav", NAV)
    context.update(csrf_token=settings.csrf_token, path=request.url.path, settings=settings)
    return app.state.templates.TemplateResponse(request, template, context, status_code=status_code)
