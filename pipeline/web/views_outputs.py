"""What a run produced: a return's page, the report's preview, the messages, the downloads."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from pipeline.document import Place
from pipeline.outbox.send import FOLDERS
from pipeline.run import RunResult
from pipeline.web.render import page
from pipeline.web.security import check_csrf
from pipeline.web.settings import Settings

if TYPE_CHECKING:
    from pipeline.outbox.send import Outgoing, SendReport

_MEDIA = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          ".pdf": "application/pdf", ".eml": "message/rfc822"}


def written_files(run: RunResult, settings: Settings) -> dict[str, Path]:
    """Every file the run wrote, by the name the page offers it under, and the messages waiting to
    be sent in the output folder; nothing else is served."""
    files = {path.name: path for path in run.written}
    files.update({name: m.path for name, m in waiting_messages(settings).items()})
    return files


def waiting_messages(settings: Settings) -> dict[str, Outgoing]:
    """The reminders and feedback waiting in the output folder (as `pipeline send` finds them), by
    the name the page offers each under: ``reminders/<file>.eml``, ``feedback/<file>.eml``."""
    from pipeline.outbox.send import list_messages

    if not settings.out.is_dir():
        return {}
    return {f"{m.path.parent.name}/{m.path.name}": m for m in list_messages(settings.out)}


def _no_run(request: Request) -> Response:
    return page(request, "error.html", 404, message="Nothing has been consolidated since the page "
                "was opened: run the consolidation first (Run, above).")


def row_key(place: Place) -> str:
    """An anchor naming a place's row, the same for a task and a problem in that row."""
    if place.sheet is not None:
        digits = re.sub(r"\D", "", place.cell or "")
        row = place.row if place.row is not None else (int(digits) if digits else None)
        return f"s-{re.sub(r'[^A-Za-z0-9]', '_', place.sheet)}-r{row}" if row is not None else ""
    if place.table is not None and place.row is not None:
        return f"t{place.table}-r{place.row}"
    return ""


async def return_page(request: Request) -> Response:
    """One return: what was read from it beside its problems, each pointing at its row."""
    run: RunResult | None = request.app.state.runner.latest
    if run is None:
        return _no_run(request)
    result = run.result
    index = request.path_params["index"]
    if not 0 <= index < len(result.submissions):
        return page(request, "error.html", 404, message="The last run has no such file.")
    sub = result.submissions[index]
    tasks = [t for t in result.tasks if t.place.file == sub.file]
    plans = [p for p in result.plans if p.place.file == sub.file]
    issues = [i for i in result.issues if i.place.file == sub.file]
    flagged = {row_key(i.place) for i in issues} - {""}
    from pipeline.web.views_cycle import cycle_view

    cycle = await run_in_threadpool(cycle_view, request.app.state.settings, run)
    line = next((r for r in cycle.tracker.rows if r.group == sub.group), None) if cycle.tracker else None
    queries = [q for q in cycle.queries if q.file == sub.file]
    return page(request, "return.html", sub=sub, index=index, tasks=tasks, plans=plans, issues=issues,
                flagged=flagged, row_key=row_key, cycle=cycle, line=line, queries=queries)


async def report(request: Request) -> Response:
    """The exceptions report as it will print, read back from the file the run wrote."""
    run: RunResult | None = request.app.state.runner.latest
    if run is None:
        return _no_run(request)
    from pipeline.web.preview import preview_docx

    files = written_files(run, request.app.state.settings)
    docx = next((name for name in files if name.endswith(".docx")), None)
    pdf = next((name for name in files if name.endswith(".pdf")), None)
    blocks = await run_in_threadpool(preview_docx, files[docx]) if docx else []
    return page(request, "report.html", blocks=blocks, docx=docx, pdf=pdf)


async def messages(request: Request) -> Response:
    """The reminders to missing groups and the feedback to the others, ready to send."""
    return await _messages(request)


async def _messages(request: Request, status_code: int = 200, **context: object) -> Response:
    context.setdefault("send_error", "")
    context.setdefault("sent", None)
    settings: Settings = request.app.state.settings
    run: RunResult | None = request.app.state.runner.latest
    from pipeline.web.mail_view import read_eml

    def listed() -> tuple[list[tuple[str, object]], list[tuple[str, object]]]:
        waiting = waiting_messages(settings)
        shown = [(name, m.kind, read_eml(m.path)) for name, m in waiting.items()]
        return ([(n, mail) for n, kind, mail in shown if kind == "reminder"],
                [(n, mail) for n, kind, mail in shown if kind == "feedback"])

    reminders, feedback = await run_in_threadpool(listed)
    if run is None and not reminders and not feedback and context["sent"] is None:
        return _no_run(request)
    smtp = await run_in_threadpool(_mail_server, settings)
    return page(request, "messages.html", status_code, reminders=reminders, feedback=feedback, smtp=smtp,
                **context)


def _mail_server(settings: Settings) -> str:
    """The register's mail server as 'host:port', or '' when it names none."""
    from pipeline.register import load_register

    smtp = load_register(settings.register_path).smtp
    return f"{smtp.host}:{smtp.port}" if smtp is not None else ""


async def send(request: Request) -> Response:
    """Send one waiting message (``name``), or every waiting one of a kind (``kind``), through the
    register's mail server, each with its fate."""
    settings: Settings = request.app.state.settings
    async with request.form(max_files=0, max_fields=5) as form:
        check_csrf(request, form, settings)
        kind, name = form.get("kind"), form.get("name")
    waiting = await run_in_threadpool(waiting_messages, settings)
    if isinstance(name, str) and name:
        # Looked up among the waiting messages, never joined onto a folder.
        chosen = [waiting[name].path] if name in waiting else []
    elif isinstance(kind, str) and kind in FOLDERS:
        chosen = [m.path for m in waiting.values() if m.kind == FOLDERS[kind]]
    else:
        return await _messages(request, 400,
                               send_error="Choose a message, or reminders or feedback, to send.")
    from pipeline.errors import PipelineError

    try:
        report = await run_in_threadpool(_send, settings, chosen)
    except PipelineError as exc:
        return await _messages(request, 502, send_error=str(exc))
    return await _messages(request, 200, sent=report)


def _send(settings: Settings, paths: list[Path]) -> SendReport:
    import os

    from pipeline.outbox.send import PASSWORD_VARIABLE, SendError, mail_server, send_messages
    from pipeline.register import load_register

    smtp = mail_server(load_register(settings.register_path), settings.out)
    if not paths:
        raise SendError("Nothing is waiting to be sent: these messages were sent already.")
    return send_messages(paths, smtp, os.environ.get(PASSWORD_VARIABLE))


async def message(request: Request) -> Response:
    """One waiting message as it will be sent."""
    settings: Settings = request.app.state.settings
    name = request.path_params["name"]
    found = (await run_in_threadpool(waiting_messages, settings)).get(name)
    if found is None:
        return page(request, "error.html", 404, message="No such message is waiting to be sent: it "
                    "may have been sent already (it is then kept in sent/ beside the drafts).")
    from pipeline.web.mail_view import read_eml

    return page(request, "message.html", name=name, mail=await run_in_threadpool(read_eml, found.path),
                smtp=await run_in_threadpool(_mail_server, settings))


async def download(request: Request) -> Response:
    """A file the last run wrote, by its offered name; any other name is not found."""
    run: RunResult | None = request.app.state.runner.latest
    if run is None:
        return _no_run(request)
    name = request.path_params["name"]
    # Looked up, never joined onto a folder: '../' or an absolute path can name nothing here.
    path = written_files(run, request.app.state.settings).get(name)
    if path is None or not path.is_file():
        return page(request, "error.html", 404, message="The last run wrote no file of that name.")
    # Only the PDF may be shown in the browser itself (?inline=1); anything else is saved.
    inline = path.suffix == ".pdf" and request.query_params.get("inline") == "1"
    return FileResponse(path, media_type=_MEDIA.get(path.suffix, "application/octet-stream"),
                        filename=path.name, content_disposition_type="inline" if inline else "attachment")
