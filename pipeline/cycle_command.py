"""The quarter's commands: open and close a period, see the tracker, accept a return, explain a query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from pipeline.cli_dates import DateParam
from pipeline.folders import DEFAULT_INBOX, DEFAULT_OUT
from pipeline.periods import long_date


def _workspace_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        (
            click.option(
                "--inbox",
                "inbox_root",
                type=click.Path(path_type=Path),
                default=DEFAULT_INBOX,
                show_default=True,
                help="The inbox folder that holds one folder per period.",
            ),
            click.option(
                "--out",
                type=click.Path(path_type=Path),
                default=DEFAULT_OUT,
                show_default=True,
                help="The output folder (the history database is kept there).",
            ),
            click.option(
                "--db",
                metavar="URL",
                envvar="PIPELINE_HISTORY_DB",
                help="History database (default: OUT/history.sqlite).",
            ),
            click.option(
                "--register",
                "register_path",
                type=click.Path(path_type=Path),
                metavar="FILE",
                help="The register (default: register.toml here, else the example).",
            ),
        )
    ):
        command = option(command)
    return command


def _workspace(inbox_root: Path, out: Path, db: str | None, register_path: Path | None) -> Any:
    from pipeline.cycle.workspace import Workspace
    from pipeline.register import load_register

    return Workspace(load_register(register_path), inbox_root, out, db)


@click.group()
def period() -> None:
    """Open, close, reopen and list the reporting periods."""


@period.command("open")
@click.argument("words", nargs=-1, required=True, metavar="LABEL")
@click.option(
    "--deadline",
    type=DateParam(),
    help="When returns are due (default: the register's deadline_days after the period ends).",
)
@_workspace_options
def open_command(words: tuple[str, ...], deadline: dt.date | None, **where: Any) -> None:
    """Open the period LABEL ("Q1 2009/10"): record its deadline and make its inbox folder."""
    label = " ".join(words)
    from pipeline.cycle.actions import open_period

    ws = _workspace(**where)
    if deadline is not None and deadline < dt.date.today():
        raise click.BadParameter(
            f"{long_date(deadline)} has passed: give a deadline in the future.", param_hint="--deadline"
        )
    info = open_period(ws, label, deadline)
    folder = ws.period_inbox(info.label)
    click.echo(f"{info.label} is open. Returns are due by {info.deadline:%A} {long_date(info.deadline)}.")
    click.echo(
        f"Save the returns that arrive into {folder}/ (or fetch them with pipeline fetch), then run "
        "pipeline consolidate."
    )
    if ws.register.source.startswith("the example"):
        click.echo(
            "The example register (Gloucester Partnership) is in use: copy pipeline/register.toml to "
            "register.toml here and edit it to make it your partnership's."
        )


@period.command("close")
@click.argument("words", nargs=-1, metavar="[LABEL]")
@_workspace_options
def close_command(words: tuple[str, ...], **where: Any) -> None:
    """Close a period (the open one by default): its record can no longer be changed."""
    label = " ".join(words) or None
    from pipeline.cycle.actions import close_period

    info = close_period(_workspace(**where), label)
    click.echo(
        f"{info.label} is closed. Its record and outputs stay as they are; reopen it with "
        f'pipeline period reopen "{info.label}" if it must change.'
    )


@period.command("reopen")
@click.argument("words", nargs=-1, required=True, metavar="LABEL")
@_workspace_options
def reopen_command(words: tuple[str, ...], **where: Any) -> None:
    """Reopen a closed period so that it can be consolidated again."""
    label = " ".join(words)
    from pipeline.cycle.actions import reopen_period

    info = reopen_period(_workspace(**where), label)
    click.echo(f"{info.label} is open again (deadline {long_date(info.deadline)}).")


@period.command("list")
@_workspace_options
def list_command(**where: Any) -> None:
    """List the periods opened, with their deadlines and whether they are closed."""
    ws = _workspace(**where)
    with ws.book() as book:
        infos = book.periods()
    if not infos:
        click.echo('No period has been opened yet: open one with pipeline period open "Q1 2009/10".')
        return
    for info in infos:
        state = f"closed {long_date(info.closed_at)}" if info.closed_at else "open"
        click.echo(f"{info.label:<12} deadline {long_date(info.deadline)}  {state}")


@click.command()
@click.option("--period", "label", metavar="LABEL", help="The period (default: the open one).")
@click.option("--queries", is_flag=True, help="Also list the queries still to explain, with their keys.")
@click.option("--audit", is_flag=True, help="Also list what was done in the period, by whom and when.")
@_workspace_options
def status(label: str | None, queries: bool, audit: bool, **where: Any) -> None:
    """The tracker: where each group's return stands, with the deadline."""
    from pipeline.cycle.overview import quarter_overview
    from pipeline.cycle.records import CycleError

    ws = _workspace(**where)
    if not ws.has_history:
        raise CycleError('No period has been opened yet: open one with pipeline period open "Q1 2009/10".')
    overview = quarter_overview(ws, label)
    board = overview.tracker
    if board is None:
        shown = overview.period or label
        raise CycleError(
            f'{shown} has not been opened: open it with pipeline period open "{shown}".'
            if shown
            else 'No period is open: open one with pipeline period open "Q1 2009/10", or name the '
            "period with --period."
        )
    closed = board.period.closed_at
    click.echo(
        f"{board.period.label}: {board.deadline_words()}"
        + (f" (closed {long_date(closed)})" if closed else "")
    )
    click.echo("")
    width = max(len(r.group) for r in board.rows)
    for row in board.rows:
        when = _step_dates(row)
        click.echo(f"  {row.group:<{width}}  {row.words}{('  · ' + when) if when else ''}")
    if overview.last_run is not None:
        click.echo("")
        click.echo(overview.last_run.line())
    if queries:
        found = overview.queries
        click.echo("")
        click.echo("Queries to explain:" if found else "No query is waiting for an explanation.")
        for issue in found:
            about = f"Ref {issue.ref}, " if issue.ref else ""
            task = f"task '{_first_words(issue.task)}', " if issue.task else ""
            click.echo(f"  {issue.key}  {issue.group} · {about}{task}{issue.message}")
    if audit:
        click.echo("")
        for entry in overview.audit:
            click.echo(
                f"  {entry.at.astimezone():%d %b %Y %H:%M}  {entry.who}  {entry.action}"
                + (f"  {entry.group}" if entry.group else "")
                + (f"  {entry.detail}" if entry.detail else "")
            )


@click.command()
@click.argument("what", metavar="GROUP_OR_FILE")
@click.option("--period", "label", metavar="LABEL", help="The period (default: the open one).")
@click.option("--note", default="", help="A note kept with the acceptance (needed with --override).")
@click.option("--override", is_flag=True, help="Accept although errors or unexplained queries remain.")
@_workspace_options
def accept(what: str, label: str | None, note: str, override: bool, **where: Any) -> None:
    """Accept a group's return; or count a return held back as dated for another period."""
    from pipeline.cycle.actions import accept_return
    from pipeline.cycle.records import COUNTED

    done = accept_return(_workspace(**where), what, label, note=note, override=override)
    if done.kind == COUNTED:
        click.echo(
            f"{done.file} is counted as {done.group or 'its group'}'s return for {done.period}; run "
            "pipeline consolidate to read it in."
        )
    else:
        click.echo(f"Accepted {done.group}'s return for {done.period} ({done.file}).")


@click.command()
@click.argument("key")
@click.argument("text")
@click.option("--period", "label", metavar="LABEL", help="The period (default: the open one).")
@_workspace_options
def explain(key: str, text: str, label: str | None, **where: Any) -> None:
    """Record an explanation for the query KEY (see pipeline status --queries); it is kept and answers
    the same query on the same task in later periods."""
    from pipeline.cycle.actions import explain_query

    issue = explain_query(_workspace(**where), key, text, label)
    click.echo(f"Explanation recorded for {issue.key} ({issue.group}: {issue.message})")


def _step_dates(row: Any) -> str:
    parts = []
    if row.received:
        parts.append("received " + _day(row.received))
    if row.accepted:
        parts.append(
            f"accepted {row.accepted.astimezone():%d %b %Y}"
            + (f" by {row.accepted_by}" if row.accepted_by else "")
        )
    return ", ".join(parts)


def _day(text: str) -> str:
    try:
        return f"{dt.datetime.fromisoformat(text).astimezone():%d %b %Y}"
    except ValueError:
        return text


def _first_words(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


COMMANDS = (period, status, accept, explain)
