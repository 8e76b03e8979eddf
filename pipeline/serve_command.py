"""The `serve` command: the officer's page, on this computer, in the browser."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import click

from pipeline.folders import DEFAULT_INBOX, DEFAULT_OUT

DEFAULT_PORT = 8765
#: How many ports after the chosen one are tried when it is taken.
PORTS_TRIED = 50
PASSWORD_VARIABLE = "PIPELINE_SERVE_PASSWORD"


@click.command("serve")
@click.option("--inbox", type=click.Path(path_type=Path), default=DEFAULT_INBOX, show_default=True,
              help="The inbox: returns dropped on the page go into the open period's folder in it, as "
                   "consolidate reads them.")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Folder to write master.xlsx, exceptions.docx and the messages into.")
@click.option("--period", metavar="LABEL", help='The period reported on, e.g. "Q2 2008/09".')
@click.option("--register", "register_path", type=click.Path(path_type=Path), metavar="FILE",
              help="The groups-and-outcomes register (TOML); the built-in one if not given.")
@click.option("--db", metavar="URL", envvar="PIPELINE_HISTORY_DB",
              help="History database URL (default: OUT/history.sqlite).")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port to listen on; the next free one is used when it is taken.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help=f"Address to listen on; any but this computer's needs a password in {PASSWORD_VARIABLE}.")
@click.option("--no-browser", is_flag=True, help="Do not open the page in the browser.")
def serve(inbox: Path, out: Path, period: str | None, register_path: Path | None, db: str | None,
          port: int, host: str, no_browser: bool) -> None:
    """Open the officer's page: add returns, run the consolidation, read the report, in a browser."""
    password = os.environ.get(PASSWORD_VARIABLE) or None
    loopback = _is_loopback(host)
    if not loopback:
        if not password:
            raise click.ClickException(f"Listening on {host} lets other computers reach the page: set a "
                                       f"password in the environment variable {PASSWORD_VARIABLE} first.")
        if host in ("0.0.0.0", "::"):
            raise click.ClickException("Name the one address the others will use (e.g. --host 192.168.1.20), "
                                       "not every address.")
    import uvicorn

    from pipeline.web.app import create_app
    from pipeline.web.serving import bind_free_port
    from pipeline.web.settings import Settings

    sock, port = bind_free_port(host, port, PORTS_TRIED)
    shown = host if not loopback else "127.0.0.1"
    hosts = {f"127.0.0.1:{port}", f"localhost:{port}"} if loopback else {f"{_bracketed(host)}:{port}"}
    settings = Settings(inbox=inbox, out=out, register_path=register_path, db=db, period=period,
                        allowed_hosts=frozenset(hosts), password=password)
    url = f"http://{_bracketed(shown)}:{port}/?token={settings.token}"
    click.echo(f"Open {url}")
    click.echo("Keep this window open while you use the page; press Ctrl+C to stop.")
    if not no_browser:
        import webbrowser

        webbrowser.open(url)
    config = uvicorn.Config(create_app(settings), log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host
