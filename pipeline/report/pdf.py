"""The exceptions report as PDF, converted by LibreOffice headless within a time limit.

A PDF is what most boards circulate; the Word file stays the one to edit. When LibreOffice is
not installed, no PDF is made and the run says in one line how to get one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.libreoffice import LibreOfficeFailed, convert, find_soffice
from pipeline.workdirs import make_work_dir

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
    work = make_work_dir("pdf")
    try:
        # A plain name, a private profile with macros off: as for converting returns.
        source = work / "report.docx"
        shutil.copyfile(docx, source)
        try:
            made = convert(soffice, source, "pdf:writer_pdf_Export", work, timeout=timeout)
            why = "" if made is not None else "LibreOffice could not convert it"
        except LibreOfficeFailed as exc:
            made, why = None, exc.reason
        if made is None:
            return (f"{pdf.name} not written: {why}. Open {docx.name} in Word or LibreOffice and "
                    "save it as PDF.")
        shutil.move(made, pdf)
        return ""
    finally:
        shutil.rmtree(work, ignore_errors=True)
