"""`pipeline serve`: the first line it prints, the port it picks, and where it refuses to listen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import httpx2
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.web.serving import bind_free_port


def test_serve_prints_the_link_first_and_the_link_opens_the_page(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("PIPELINE_SERVE_PASSWORD", None)
    sock, port = bind_free_port("127.0.0.1", 0, 1)
    sock.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "serve", "--no-browser", "--port", str(port),
         "--inbox", str(tmp_path / "inbox"), "--out", str(tmp_path / "outputs")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        assert first.startswith(f"Open http://127.0.0.1:{port}/?token=")
        with httpx2.Client(follow_redirects=True, timeout=20) as client:
            page = client.get(first.removeprefix("Open "))
            assert page.status_code == 200
            assert "This quarter" in page.text
            assert client.get(f"http://127.0.0.1:{port}/history").status_code == 200  # the cookie is kept
        with httpx2.Client(timeout=20) as stranger:
            assert stranger.get(f"http://127.0.0.1:{port}/").status_code == 403
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_taken_port_moves_on_to_the_next_free_one() -> None:
    taken, port = bind_free_port("127.0.0.1", 0, 1)
    try:
        sock, chosen = bind_free_port("127.0.0.1", port, 50)
        sock.close()
        assert chosen != port
    finally:
        taken.close()


def test_every_port_taken_is_a_one_line_error() -> None:
    taken, port = bind_free_port("127.0.0.1", 0, 1)
    try:
        with pytest.raises(click.ClickException, match=f"Ports {port} to {port} on 127.0.0.1 are all taken"):
            bind_free_port("127.0.0.1", port, 1)
    finally:
        taken.close()


def test_listening_beyond_this_computer_needs_a_password() -> None:
    result = CliRunner().invoke(main, ["serve", "--no-browser", "--host", "192.0.2.10"],
                                env={"PIPELINE_SERVE_PASSWORD": ""})
    assert result.exit_code == 1
    assert "set a password in the environment variable PIPELINE_SERVE_PASSWORD" in result.output


def test_every_address_at_once_is_refused_even_with_a_password() -> None:
    result = CliRunner().invoke(main, ["serve", "--no-browser", "--host", "0.0.0.0"],
                                env={"PIPELINE_SERVE_PASSWORD": "secret"})
    assert result.exit_code == 1
    assert "Name the one address the others will use" in result.output


def test_the_loopback_check_knows_its_addresses() -> None:
    from pipeline.serve_command import _is_loopback

    assert _is_loopback("127.0.0.1") and _is_loopback("::1") and _is_loopback("localhost")
    assert not _is_loopback("192.0.2.10") and not _is_loopback("example.org")
