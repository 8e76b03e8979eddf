"""The exceptions report as PDF, converted by LibreOffice headless within a time limit.

A PDF is what most boards circulate; the Word file stays the one to edit. When LibreOffice is
not installed, no PDF is made and the run says in one line how to get one.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from pipeline.intake.convert import _PROFILE_SETTINGS, find_soffice

#: A report of a county's returns converts in seconds; anything longer is a hung LibreOffice.
PDF_TIMEOUT_SECONDS = 180
#: Above this many exceptions no PDF is made: LibreOffice takes about 14 s per 1,000 (measured
#: on the 2-core reference machine) and more than linearly beyond, and a report that long is
#: read in Word, not printed for a board.
PDF_MAX_EXCEPTIONS = 2_000
TOO_LONG = ("{name} not written: the report holds {count:,} tasks at amber or red, too many to "
            "convert quickly (the limit is {limit:,}). Open {docx} in Word and save it as PDF.")
NOT_INSTALLED = ("{name} not written: LibreOffice is not installed. Install it (Debian/Ubuntu: "
                 "apt install libreoffice-writer) and run again, or open {docx} in Word and "
                 "save it as PDF.")


def too_long(exceptions: int, pdf: str = "exceptions.pdf", docx: str = "exceptions.docx") -> str:
    """Why a report with this many exceptions gets no PDF, or '' when it is short enough."""
    if exceptions <= PDF_MAX_EXCEPTIONS:
        return ""
    return TOO_LONG.format(name=pdf, count=exceptions, limit=PDF_MAX_EXCEPTIONS, docx=docx)


def write_pdf(docx: Path, pdf: Path, *, timeout: float = PDF_TIMEOUT_SECONDS) -> str:
    """Convert `docx` to `pdf`; '' when written, else one line saying why not and what to do."""
    soffice = find_soffice()
    if soffice is None:
        return NOT_INSTALLED.format(name=pdf.name, docx=docx.name)
    work = Path(tempfile.mkdtemp(prefix="pdf-", dir=pdf.parent))
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        # A plain name, a private profile with macros off: as for converting returns.
        source = work / "report.docx"
        shutil.copyfile(docx, source)
        (profile / "user").mkdir()
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS)
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", "pdf:writer_pdf_Export",
                   "--outdir", str(work), str(source)]
        why = _run(command, timeout)
        made = work / "report.pdf"
        if not why and (not made.is_file() or made.stat().st_size == 0):
            why = "LibreOffice could not convert it"
        if why:
            return (f"{pdf.name} not written: {why}. Open {docx.name} in Word or LibreOffice and "
                    "save it as PDF.")
        os.replace(made, pdf)
        return ""
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(profile, ignore_errors=True)


def _run(command: list[str], timeout: float) -> str:
    """Run LibreOffice in its own process group; '' when it finished, else why not."""
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        return f"LibreOffice could not be started ({exc.strerror or exc})"
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        return f"LibreOffice took longer than {timeout:g} seconds"
    except BaseException:
        _kill(proc)
        raise
    return ""


def _kill(proc: subprocess.Popen[bytes]) -> None:
    # The group, so soffice.bin goes too, not only the wrapper script.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
