"""The quarter at a glance, dropping returns into the inbox, and running the consolidation."""

from __future__ import annotations

import math

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pipeline.history.counts import COUNTED, status_counts
from pipeline.intake.scan import InboxEntry
from pipeline.web.jobs import Job, Runner
from pipeline.web.render import page
from pipeline.web.security import (
    LoginThrottle,
    check_csrf,
    check_login_csrf,
    login_form_token,
    same,
    set_login_cookie,
    set_session_cookie,
)
from pipeline.web.settings import Settings


async def quarter(request: Request) -> Response:
    """The quarter at a glance: the inbox, who sent what, and the counts against last quarter."""
    return await _quarter_page(request)


async def _quarter_page(request: Request, status_code: int = 200, **context: object) -> Response:
    settings: Settings = request.app.state.settings
    runner: Runner = request.app.state.runner
    from pipeline.cycle.overview import group_returns
    from pipeline.web.views_cycle import cycle_view

    run = runner.latest
    cycle = await run_in_threadpool(cycle_view, settings, run)
    entries, inbox_note = await run_in_threadpool(_inbox, settings)
    shown = cycle.overview
    lines = []
    if run is not None and shown.period == run.result.period:
        before = shown.previous_counts if shown.previous_period else None
        lines = group_returns(run.result, shown.counts, before)
    elif run is not None:  # a run the history does not hold: its own counts, nothing to compare
        lines = group_returns(run.result, status_counts(run.result.tasks), None)
    context.setdefault("deposits", [])
    context.setdefault("upload_error", "")
    return page(request, "quarter.html", status_code, entries=entries, inbox_note=inbox_note,
                cycle=cycle, lines=lines, counted=[s.value for s in COUNTED], **context)


def _inbox(settings: Settings) -> tuple[list[InboxEntry], str]:
    from pipeline.errors import PipelineError
    from pipeline.intake.scan import scan_inbox
    from pipeline.web.views_cycle import drop_folder

    try:
        folder = drop_folder(settings)
    except PipelineError as exc:
        return [], str(exc)
    try:
        return scan_inbox(folder, exclude=[settings.out]), f"Folder: {folder}"
    except OSError:
        return [], f"The inbox folder {folder} does not exist yet; adding a return creates it."


async def upload(request: Request) -> Response:
    """Returns dropped onto the page: each checked as a run would, saved or refused with the reason."""
    settings: Settings = request.app.state.settings
    # Parsed within Starlette's own caps (the body's size is capped already), so that a batch too
    # large is answered in words, after the CSRF check, rather than as a bare parser error.
    form = await request.form()
    try:
        check_csrf(request, form, settings)
        files = [f for f in form.getlist("returns") if isinstance(f, UploadFile) and f.filename]
        if len(files) > settings.max_upload_files:
            return await _quarter_page(request, 400, upload_error=(
                f"At most {settings.max_upload_files} files can be added at once; {len(files)} were "
                "sent. Add them in smaller batches."))
        if not files:
            return await _quarter_page(request, 400, upload_error="Choose one or more returns to add first.")
        from pipeline.errors import PipelineError
        from pipeline.intake.deposit import deposit
        from pipeline.register import load_register
        from pipeline.web.views_cycle import drop_folder

        register = await run_in_threadpool(load_register, settings.register_path)
        try:
            folder = await run_in_threadpool(drop_folder, settings)
        except PipelineError as exc:
            return await _quarter_page(request, 409, upload_error=str(exc))
        deposits = []
        for upload_file in files:
            data = await upload_file.read()
            deposits.append(await run_in_threadpool(deposit, data, upload_file.filename or "",
                                                    folder, register))
    finally:
        await form.close()
    return await _quarter_page(request, deposits=deposits)


async def run_start(request: Request) -> Response:
    """Start the consolidation, unless one is running (then say so)."""
    settings: Settings = request.app.state.settings
    runner: Runner = request.app.state.runner
    async with request.form(max_files=0, max_fields=5) as form:
        check_csrf(request, form, settings)
    if runner.start() is None:
        return page(request, "run.html", 409, busy=True)
    return RedirectResponse("/run", status_code=303)


async def run_page(request: Request) -> Response:
    """The run: its progress while it reads, then the account of what it found."""
    return page(request, "run.html", busy=False)


async def run_progress(request: Request) -> Response:
    """The progress fragment the run page polls; once the run ends it holds the account instead."""
    runner: Runner = request.app.state.runner
    job: Job | None = runner.job
    return page(request, "_progress.html", job=job)


async def login_page(request: Request) -> Response:
    """The password form, offered only when the server listens beyond this computer."""
    if not request.app.state.settings.password:
        return page(request, "error.html", 404, message="There is no login: open the link the "
                    "serve command printed.")
    return _login_form(request, 200, "")


def _login_form(request: Request, status_code: int, error: str) -> Response:
    token = login_form_token(request)
    response = page(request, "login.html", status_code, error=error, login_token=token, nav=[], run=None)
    set_login_cookie(response, token)
    return response


async def login(request: Request) -> Response:
    """Check the password and give the browser the session; wrong passwords make the client wait."""
    settings: Settings = request.app.state.settings
    if not settings.password:
        return page(request, "error.html", 404, message="There is no login here.")
    throttle: LoginThrottle = request.app.state.login_throttle
    client = request.client.host if request.client else ""
    async with request.form(max_files=0, max_fields=5) as form:
        check_login_csrf(request, form)
        given = form.get("password")
    wait = throttle.wait(client)
    if wait > 0:
        response = _login_form(request, 429, f"Too many wrong passwords from this computer: try again "
                               f"in {math.ceil(wait)} second{'s' if math.ceil(wait) != 1 else ''}.")
        response.headers["retry-after"] = str(math.ceil(wait))
        return response
    if not isinstance(given, str) or not same(given, settings.password):
        throttle.failed(client)
        return _login_form(request, 403, "That password is not right.")
    throttle.succeeded(client)
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, settings)
    return response
