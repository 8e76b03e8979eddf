"""What a run produced: a return's page, the report's preview, the messages, the downloads."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from pipeline.model import Place
from pipeline.run import RunResult
from pipeline.web.render import page

_MEDIA = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          ".pdf": "application/pdf", ".eml": "message/rfc822"}


def written_files(run: RunResult) -> dict[str, Path]:
    """Every file the run wrote, by the name the page offers it under; nothing else is served."""
    files = {path.name: path for path in run.written}
    for path in run.reminders.values():
        files[f"reminders/{path.name}"] = path
    for path in run.feedback:
        files[f"feedback/{path.name}"] = path
    return files


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
    return page(request, "return.html", sub=sub, index=index, tasks=tasks, plans=plans, issues=issues,
                flagged=flagged, row_key=row_key)


async def report(request: Request) -> Response:
    """The exceptions report as it will print, read back from the file the run wrote."""
    run: RunResult | None = request.app.state.runner.latest
    if run is None:
        return _no_run(request)
    from pipeline.web.preview import preview_docx

    files = written_files(run)
    docx = next((name for name in files if name.endswith(".docx")), None)
    pdf = next((name for name in files if name.endswith(".pdf")), None)
    blocks = await run_in_threadpool(preview_docx, files[docx]) if docx else []
    return page(request, "report.html", blocks=blocks, docx=docx, pdf=pdf)


async def messages(request: Request) -> Response:
    """The reminders to missing groups and the feedback to the others, ready to send."""
    run: RunResult | None = request.app.state.runner.latest
    if run is None:
        return _no_run(request)
    from pipeline.web.mail_view import read_eml

    def listed(prefix: str, paths: list[Path]) -> list[tuple[str, object]]:
        return [(f"{prefix}/{p.name}", read_eml(p)) for p in paths if p.exists()]

    reminders = await run_in_threadpool(listed, "reminders", list(run.reminders.values()))
    feedback = await run_in_threadpool(listed, "feedback", list(run.feedback))
    return page(request, "messages.html", reminders=reminders, feedback=feedback)


async def message(request: Request) -> Response:
    """One message as it will be sent."""
    run: RunResult | None = request.app.state.runner.latest
    if run is None:
        return _no_run(request)
    name = request.path_params["name"]
    path = written_files(run).get(name)
    if path is None or not name.endswith(".eml"):
        return page(request, "error.html", 404, message="The last run wrote no such message.")
    from pipeline.web.mail_view import read_eml

    return page(request, "message.html", name=name, mail=await run_in_threadpool(read_eml, path))


async def download(request: Request) -> Response:
    """A file the last run wrote, by its offered name; any other name is not found."""
    run: RunResult | None = request.app.state.runner.latest
    if run is None:
        return _no_run(request)
    name = request.path_params["name"]
    # Looked up, never joined onto a folder: '../' or an absolute path can name nothing here.
    path = written_files(run).get(name)
    if path is None or not path.is_file():
        return page(request, "error.html", 404, message="The last run wrote no file of that name.")
    # Only the PDF may be shown in the browser itself (?inline=1); anything else is saved.
    inline = path.suffix == ".pdf" and request.query_params.get("inline") == "1"
    return FileResponse(path, media_type=_MEDIA.get(path.suffix, "application/octet-stream"),
                        filename=path.name, content_disposition_type="inline" if inline else "attachment")
