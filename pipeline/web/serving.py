"""Listening: a port bound before the address is printed, so the link printed is the one served."""

from __future__ import annotations

import socket

import click


def bind_free_port(host: str, port: int, tries: int) -> tuple[socket.socket, int]:
    """A listening socket on `port`, or the next free port after it; (socket, port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for candidate in range(port, min(port + tries, 65536)):
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.bind((host, candidate))
        except OSError:
            sock.close()
            continue
        sock.listen(64)
        return sock, sock.getsockname()[1]
    raise click.ClickException(f"Ports {port} to {port + tries - 1} on {host} are all taken: "
                               "choose another with --port.")
