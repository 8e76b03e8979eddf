"""LibreOffice headless, the one way the pipeline runs it: converting a legacy return on intake,
and the exceptions report to PDF.

Each conversion works on a copy with a plain name, in a private work folder (named after this
process, so a killed run's folder is removed by the next run), with a fresh profile that never
runs macros; LibreOffice runs in its own process group, ended whole at the time limit.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

from pipeline.workdirs import make_work_dir

#: A fresh profile that never runs macros, whatever the document asks for.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


class LibreOfficeFailed(Exception):
    """LibreOffice could not be started, or did not finish within its time limit."""

    def __init__(self, reason: str, *, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.timed_out = timed_out


def find_soffice() -> str | None:
    """The LibreOffice command on PATH (``soffice`` or ``libreoffice``), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(soffice: str, source: Path, export_filter: str, outdir: Path, *, timeout: float) -> Path | None:
    """Convert `source` with the export filter (``pdf:writer_pdf_Export``, ``docx:…``) into
    `outdir`; the file made, or None when LibreOffice finished without making one.

    `source` should have a plain name (a hostile name could be read as an option): the callers
    copy the input to one first. Raises LibreOfficeFailed when LibreOffice could not be started
    or took longer than `timeout` seconds.
    """
    profile = make_work_dir("lo-profile")
    try:
        # A private profile per conversion: parallel runs do not fight over one, and root works.
        (profile / "user").mkdir()
        (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")
        _run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
              "--nolockcheck", "--convert-to", export_filter, "--outdir", str(outdir), str(source)],
             timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    made = outdir / f"{source.stem}.{export_filter.split(':', 1)[0]}"
    return made if made.is_file() and made.stat().st_size > 0 else None


def _run(command: list[str], timeout: float) -> None:
    """Run LibreOffice in its own process group and wait for it, at most `timeout` seconds."""
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        raise LibreOfficeFailed(f"LibreOffice could not be started ({exc.strerror or exc})") from exc
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_group(proc)
        raise LibreOfficeFailed(f"LibreOffice took longer than {timeout:g} seconds",
                                timed_out=True) from exc
    except BaseException:
        _kill_group(proc)
        raise


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    # The group, so soffice.bin goes too, not only the wrapper script.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
