"""Converting old or other formats (.doc, .xls, .rtf, .odt, .ods) to .docx/.xlsx with LibreOffice."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from pipeline.issues import FileRejected
from pipeline.limits import CONVERSION_TIME_LIMIT_SECONDS

TIMEOUT_SECONDS = CONVERSION_TIME_LIMIT_SECONDS

#: The export filter for each target: naming it avoids LibreOffice guessing from the input.
_FILTERS = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc Office Open XML"}

#: A fresh profile that never runs macros, whatever the document asks for.
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
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


def find_soffice() -> str | None:
    """The LibreOffice command on PATH (``soffice`` or ``libreoffice``), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(
    path: Path, target: str, workdir: Path, *, source_format: str | None = None
) -> Path:
    """Convert a file to ``docx`` or ``xlsx`` in a new folder under workdir; return the new file.

    The input is copied first and LibreOffice works on the copy, so nothing (not even a lock
    file) is ever written next to the input. ``source_format`` (``doc``, ``rtf``…) is the format
    the content was sniffed as; it defaults to the file's extension. The caller owns workdir
    and removes it after the run.
    """
    extension = (source_format or path.suffix.lstrip(".")).lower()
    soffice = find_soffice()
    if soffice is None:
        raise FileRejected("needs-conversion", extension=extension,
                           reason="LibreOffice is not installed here to convert it")
    if target not in _FILTERS:
        raise ValueError(f"cannot convert to {target!r}; only to docx or xlsx")
    workdir.mkdir(parents=True, exist_ok=True)
    job = Path(tempfile.mkdtemp(prefix="convert-", dir=workdir))
    # A plain name: a hostile file name can never be read as an option ("-env:…").
    source = job / "in" / f"source.{extension}"
    source.parent.mkdir()
    shutil.copyfile(path, source)
    outdir = job / "out"
    # A private profile per conversion: parallel runs do not fight over one, and root works.
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        (profile / "user").mkdir()
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS)
        _run(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--nolockcheck", "--convert-to", _FILTERS[target], "--outdir", str(outdir),
             str(source)],
            extension,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    result = outdir / f"source.{target}"
    if not result.is_file() or result.stat().st_size == 0:
        raise FileRejected("needs-conversion", extension=extension,
                           reason="LibreOffice could not convert it (it may be damaged)")
    return result


def _run(command: list[str], extension: str) -> None:
    # Its own process group, so a timeout ends soffice.bin too, not only the wrapper script.
    proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        proc.wait(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as exc:
        _kill_group(proc)
        raise FileRejected("needs-conversion", extension=extension,
                           reason=f"LibreOffice took over {_duration(TIMEOUT_SECONDS)} to "
                           "convert it") from exc
    except BaseException:
        _kill_group(proc)
        raise


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _duration(seconds: int) -> str:
    if seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute" + ("s" if minutes != 1 else "")
    return f"{seconds} second" + ("s" if seconds != 1 else "")
