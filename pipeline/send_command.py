"""The `send` command: send the reminders and feedback a run wrote, through the register's server."""

from __future__ import annotations

import os
from pathlib import Path

import click

from pipeline.folders import DEFAULT_OUT
from pipeline.words import plural


@click.command("send")
@click.option("--reminders", is_flag=True, help="Send the reminders (OUT/reminders/).")
@click.option("--feedback", is_flag=True, help="Send the feedback (OUT/feedback/).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_OUT,
              show_default=True, help="The output folder the consolidation wrote the messages in.")
@click.option("--register", "register_path", type=click.Path(path_type=Path), metavar="FILE",
              help="The register naming the mail server ([smtp]); as for consolidate if not given.")
@click.option("--list", "list_only", is_flag=True, help="Only list the messages waiting; send nothing.")
def send(reminders: bool, feedback: bool, out: Path, register_path: Path | None, list_only: bool) -> None:
    """Send the reminders and feedback waiting in the output folder (both unless one is named).

    The mail server is the register's [smtp] table; its password is read from the environment
    variable PIPELINE_SMTP_PASSWORD, never the command line. Each message sent moves to sent/
    beside the drafts, so it is never sent twice."""
    from pipeline.outbox.send import PASSWORD_VARIABLE, list_messages, mail_server, send_messages
    from pipeline.register import load_register

    if not reminders and not feedback:
        reminders = feedback = True
    waiting = list_messages(out, reminders=reminders, feedback=feedback)
    what = " and ".join(n for n, on in (("reminders", reminders), ("feedback", feedback)) if on)
    if not waiting:
        click.echo(f"No {what} waiting in {out}: run 'pipeline consolidate' (with --feedback for "
                   "feedback) to write them.")
        return
    if list_only:
        for message in waiting:
            click.echo(f"  {message.kind:<9} {', '.join(message.recipients) or '(no address)'}: "
                       f"{message.subject}")
        click.echo(f"{plural(len(waiting), 'message')} waiting.")
        return
    smtp = mail_server(load_register(register_path), out)
    report = send_messages([m.path for m in waiting], smtp, os.environ.get(PASSWORD_VARIABLE))
    for outcome in report.outcomes:
        name = f"{outcome.path.parent.name}/{outcome.path.name}"
        if outcome.sent:
            click.echo(f"  sent      {name} to {', '.join(outcome.recipients)}")
            if outcome.reason:
                click.echo(f"            but {outcome.reason}")
        else:
            click.echo(f"  NOT SENT  {name}: {outcome.reason}")
    click.echo(report.line())
    if report.failed:
        raise SystemExit(1)
