"""Writing a consolidation's outputs whole or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from pipeline.model import Consolidation

MASTER = "master.xlsx"
REPORT = "exceptions.docx"


class OutputError(Exception):
    """The outputs cannot be written (the folder is missing, read-only or full)."""


def ensure_output_folder(out: Path) -> None:
    """Create the output folder if needed, or say why it cannot be written to."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=out, prefix=".probe-", delete=True)
        probe.close()
    except OSError as exc:
        raise OutputError(f"Cannot write to the output folder {out}: {exc.strerror or exc}. "
                          "Choose another folder with --out.") from exc


def write_outputs(result: Consolidation, out: Path) -> list[Path]:
    """Write master.xlsx and exceptions.docx into `out`; on any failure the old ones stay as they were.

    Both files are written into a private folder beside their final place first, and moved
    into place only when both are complete.
    """
    from pipeline.report.exceptions_report import write_exceptions
    from pipeline.report.master import write_master

    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".writing-", dir=out))
    except OSError as exc:
        raise OutputError(f"Cannot write to the output folder {out}: {exc.strerror or exc}. "
                          "Choose another folder with --out.") from exc
    try:
        write_master(result, staging / MASTER)
        write_exceptions(result, staging / REPORT)
        written = []
        for name in (MASTER, REPORT):
            os.replace(staging / name, out / name)
            written.append(out / name)
        return written
    except OSError as exc:
        raise OutputError(f"Could not finish writing the outputs in {out}: {exc.strerror or exc}. "
                          "The previous outputs were left as they were.") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
