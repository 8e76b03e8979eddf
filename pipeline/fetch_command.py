"""The `fetch` command: save the returns e-mailed to a mail folder into the inbox, as .eml files."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from pipeline.folders import DEFAULT_INBOX

#: The environment variable holding the mailbox's password (never an option: others see the
#: command line in the process list and the shell's history).
PASSWORD_VARIABLE = "PIPELINE_IMAP_PASSWORD"


@click.command("fetch")
@click.option("--imap", "host", required=True, metavar="HOST",
              help="The mail server's IMAP name, e.g. outlook.office365.com.")
@click.option("--port", type=click.IntRange(1, 65535),
              help="The server's IMAP port (default 993, or 143 with --no-tls).")
@click.option("--user", required=True, help="The mailbox's user name, often its e-mail address.")
@click.option("--folder", required=True,
              help='The mail folder the returns arrive in, e.g. INBOX or "INBOX/Returns".')
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="DATE",
              help="Only messages that arrived on or after this day (YYYY-MM-DD).")
@click.option("--inbox", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_INBOX,
              show_default=True, help="Folder to save the messages in: the one consolidate reads.")
@click.option("--no-tls", is_flag=True,
              help="Connect without encryption; only for a test server on this computer.")
@click.pass_context
def fetch(ctx: click.Context, host: str, port: int | None, user: str, folder: str,
          since: dt.datetime | None, inbox: Path, no_tls: bool) -> None:
    """Save new e-mails with attachments from a mail folder into the inbox, each one once."""
    from pipeline.intake.mail.fetch import fetch_mail

    password = os.environ.get(PASSWORD_VARIABLE)
    if not password:
        raise click.ClickException(
            f"No password: set the environment variable {PASSWORD_VARIABLE} to the mailbox's "
            "password and run the command again (it is never taken on the command line).")
    if no_tls:
        click.echo("Warning: --no-tls sends the password and the messages unencrypted; use it only "
                   "for a test server on this computer.", err=True)
    # A FetchError is a "cannot run" error: the command line shows it as one line.
    result = fetch_mail(host, user, password, folder, inbox, port=port,
                        since=since.date() if since else None, tls=not no_tls)
    for path in result.saved:
        click.echo(f"  saved  {path.name}")
    click.echo(result.line())
