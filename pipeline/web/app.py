"""The officer's page as a Starlette application: routes, the guard, templates, static files."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pipeline.web import views_cycle, views_history, views_outputs, views_quarter
from pipeline.web.jobs import Runner
from pipeline.web.render import HERE, templates
from pipeline.web.security import BodyTooLarge, Guard, LoginThrottle, Refused, refusal, too_large
from pipeline.web.settings import Settings


def create_app(settings: Settings) -> Starlette:
    """The application for one session: its folders, token and limits are in `settings`."""
    routes = [
        Route("/", views_quarter.quarter),
        Route("/upload", views_quarter.upload, methods=["POST"]),
        Route("/run", views_quarter.run_page),
        Route("/run", views_quarter.run_start, methods=["POST"]),
        Route("/run/progress", views_quarter.run_progress),
        Route("/returns/{index:int}", views_outputs.return_page),
        Route("/period/open", views_cycle.open_period, methods=["POST"]),
        Route("/period/close", views_cycle.close_period, methods=["POST"]),
        Route("/period/reopen", views_cycle.reopen_confirm),
        Route("/period/reopen", views_cycle.reopen_period, methods=["POST"]),
        Route("/queries", views_cycle.queries),
        Route("/accept", views_cycle.accept, methods=["POST"]),
        Route("/explain", views_cycle.explain, methods=["POST"]),
        Route("/report", views_outputs.report),
        Route("/messages", views_outputs.messages),
        Route("/messages/send", views_outputs.send, methods=["POST"]),
        Route("/messages/{name:path}", views_outputs.message),
        Route("/download/{name:path}", views_outputs.download),
        Route("/history", views_history.history),
        Route("/login", views_quarter.login_page),
        Route("/login", views_quarter.login, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard, settings=settings)],
        exception_handlers={Refused: _refused, BodyTooLarge: _too_large},  # type: ignore[dict-item]
    )
    app.state.settings = settings
    app.state.runner = Runner(settings)
    app.state.runner.restore()
    app.state.templates = templates()
    app.state.flash = None
    app.state.login_throttle = LoginThrottle()
    return app


async def _refused(request: Request, exc: Refused) -> Response:
    return refusal(exc)


async def _too_large(request: Request, exc: BodyTooLarge) -> Response:
    return too_large()
