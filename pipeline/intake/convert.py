"""Converting old or other formats (.doc, .xls, .rtf, .odt, .ods) to .docx/.xlsx with LibreOffice."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from pipeline.issues import FileRejected
from pipeline.libreoffice import LibreOfficeFailed, convert, find_soffice
from pipeline.limits import CONVERSION_TIME_LIMIT_SECONDS

TIMEOUT_SECONDS = CONVERSION_TIME_LIMIT_SECONDS

#: The export filter for each target: naming it avoids LibreOffice guessing from the input.
_FILTERS = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc Office Open XML"}

__all__ = ["convert_with_libreoffice", "find_soffice"]


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
    workdir.mkdir(mode=0o700, parents=True, exist_ok=True)
    job = Path(tempfile.mkdtemp(prefix="convert-", dir=workdir))
    # A plain name: a hostile file name can never be read as an option ("-env:…").
    source = job / "in" / f"source.{extension}"
    source.parent.mkdir()
    shutil.copyfile(path, source)
    try:
        result = convert(soffice, source, _FILTERS[target], job / "out", timeout=TIMEOUT_SECONDS)
    except LibreOfficeFailed as exc:
        reason = (f"LibreOffice took over {_duration(TIMEOUT_SECONDS)} to convert it" if exc.timed_out
                  else exc.reason)
        raise FileRejected("needs-conversion", extension=extension, reason=reason) from exc
    if result is None:
        raise FileRejected("needs-conversion", extension=extension,
                           reason="LibreOffice could not convert it (it may be damaged)")
    return result


def _duration(seconds: int) -> str:
    if seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute" + ("s" if minutes != 1 else "")
    return f"{seconds} second" + ("s" if seconds != 1 else "")
