"""The officer's page served for real (uvicorn on a free loopback port, in a thread) for browser tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn

from pipeline.web.app import create_app
from pipeline.web.serving import bind_free_port
from pipeline.web.settings import Settings


@dataclass
class Served:
    """A running server: its base address, the launch URL, and the app (to reach its runner)."""

    base: str
    launch: str
    app: object


@contextmanager
def serve(settings: Settings) -> Iterator[Served]:
    """Run the app on 127.0.0.1 at a free port until the block ends."""
    sock, port = bind_free_port("127.0.0.1", 0, 1)
    settings.allowed_hosts = frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    base = f"http://127.0.0.1:{port}"
    try:
        yield Served(base, f"{base}/?token={settings.token}", app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
