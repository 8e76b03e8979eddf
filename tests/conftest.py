"""Fixtures shared by the tests: history stores on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# As the command line does (pipeline/cli.py): the libraries are compiled once, not in every run.
sys.dont_write_bytecode = False

import pytest  # noqa: E402
from sqlalchemy import create_engine, make_url, text  # noqa: E402

from pipeline.history.store import HistoryStore, open_store  # noqa: E402

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "ci_postgres.sh"


def _postgres_installed() -> bool:
    return bool(shutil.which("pg_ctl") or glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL: PIPELINE_TEST_POSTGRES_URL, else a server started by scripts/ci_postgres.sh."""
    given = os.environ.get("PIPELINE_TEST_POSTGRES_URL", "").strip()
    if given:
        yield given
        return
    if not (os.environ.get("CI") or _postgres_installed()):
        pytest.skip(
            "PostgreSQL tests skipped: PIPELINE_TEST_POSTGRES_URL is not set and PostgreSQL "
            "is not installed (scripts/ci_postgres.sh installs and starts one, as root)."
        )
    workdir = tempfile.mkdtemp(prefix="pipeline-pg-")
    started = subprocess.run(
        ["bash", str(SCRIPT), workdir], capture_output=True, text=True, timeout=900, check=False
    )
    lines = started.stdout.strip().splitlines()
    if started.returncode != 0 or not lines or not lines[-1].startswith("postgresql://"):
        subprocess.run(["bash", str(SCRIPT), "--stop", workdir], capture_output=True, check=False)
        why = (started.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.skip(f"PostgreSQL tests skipped: scripts/ci_postgres.sh could not start a server ({why}).")
    try:
        yield lines[-1]
    finally:
        subprocess.run(["bash", str(SCRIPT), "--stop", workdir], capture_output=True, check=False)


@dataclass
class Backend:
    """Where a test's store lives: a URL (PostgreSQL) or none, meaning the SQLite file in `out`."""

    db: str | None
    out: Path

    @property
    def default_path(self) -> Path:
        return self.out / "history.sqlite"

    def cli_args(self) -> list[str]:
        return ["--db", self.db] if self.db else ["--out", str(self.out)]


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """A fresh, empty store location on each backend; PostgreSQL gets a schema of its own."""
    if request.param == "sqlite":
        yield Backend(None, tmp_path)
        return
    base = make_url(request.getfixturevalue("postgres_url"))
    schema = f"history_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base.set(drivername="postgresql+psycopg"))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield Backend(url.render_as_string(hide_password=False), tmp_path)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(backend: Backend) -> Iterator[HistoryStore]:
    """An empty history store on each backend."""
    with open_store(backend.db, backend.default_path) as opened:
        yield opened
