"""Listing the inbox: every file found, and whether it is a return to read or something to skip."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pipeline.textsafe import shown_name

#: Extensions of files that may hold a return, and the family each one belongs to.
WORD_EXTENSIONS = frozenset({".docx", ".docm", ".doc", ".odt", ".rtf"})
EXCEL_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"})
EMAIL_EXTENSIONS = frozenset({".eml", ".msg"})
#: A PDF is read for its ruled tables, or counted as received in a format that cannot be read.
PDF_EXTENSIONS = frozenset({".pdf"})

#: Files the operating system leaves behind, compared in lower case.
_SYSTEM_FILES = frozenset({".ds_store", "thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r"})


class EntryAction(StrEnum):
    """Whether an inbox file is read as a return or skipped."""

    READ = "read"
    SKIP = "skip"


class EntryKind(StrEnum):
    """The family a file to read belongs to, by its extension (its content is checked later)."""

    WORD = "word"
    EXCEL = "excel"
    EMAIL = "email"
    PDF = "pdf"


@dataclass(frozen=True)
class InboxEntry:
    """One file found in the inbox, and whether it is to be read or skipped (and why)."""

    path: Path
    name: str
    """Relative to the inbox, with forward slashes: ``housing/return Q1.docx``; a name that
    cannot be decoded, or holds control characters, is shown escaped (``r\\xffeturn.docx``)."""
    size: int
    modified: str
    """The file's modification time, ISO 8601 in local time, to the second."""
    action: EntryAction
    reason: str = ""
    """Why it is skipped, in words a person understands; empty when it is read."""
    kind: EntryKind | None = None
    """By its extension (content is checked later); None when skipped."""

    @property
    def extension(self) -> str:
        """The extension in lower case without the dot (``docx``), or empty."""
        return suffix_of(self.name).lower().lstrip(".")


def suffix_of(name: str) -> str:
    """The suffix of a file name's last part as `pathlib` gives it (``.docx``; none for
    ``.hidden`` or ``notes.``), without parsing a path: asked of every file a run reads."""
    last = name.rpartition("/")[2]
    dot = last.rfind(".")
    return last[dot:] if 0 < dot < len(last) - 1 else ""


#: The file that marks an inbox folder as the shipped sample returns (see `pipeline.cycle.workspace`):
#: the pipeline's own, never a return, so never listed.
SAMPLE_MARKER = ".sample-returns"


def scan_inbox(inbox: Path, *, exclude: Iterable[Path] = ()) -> list[InboxEntry]:
    """List every file under the inbox, sorted by relative path, each marked to read or skip.

    Folders in ``exclude`` (the outputs folder, a work folder) are never entered, so a run's own
    output can never be read back as a return.
    """
    root = inbox.resolve()
    if not root.is_dir():
        # No inbox is a reason the run cannot happen, not a finding about a file.
        raise NotADirectoryError(f"The inbox {inbox} is not a folder.")
    excluded = {Path(p).resolve() for p in exclude}
    entries = list(_walk(root, "", excluded))
    # By the parts of each name ("a/b.docx" -> a, b.docx), folder by folder.
    return sorted(entries, key=lambda e: e.name.split("/"))


def _walk(folder: Path, relative: str, excluded: set[Path]) -> Iterator[InboxEntry]:
    """The entries of a folder and the folders in it; `relative` is the folder's name relative
    to the inbox with a slash at its end ("" for the inbox), what each entry's name begins with
    (made here, not by `Path.relative_to` for each of a thousand files)."""
    try:
        with os.scandir(folder) as it:
            items = list(it)
    except OSError as exc:
        yield _entry(folder, relative.rstrip("/") or ".", None, EntryAction.SKIP,
                     f"the folder cannot be opened ({_why(exc)})")
        return
    for item in items:
        path = Path(item.path)
        if path in excluded or item.name == SAMPLE_MARKER:
            continue  # the outputs folder, another period's folder, the sample marker
        name = relative + item.name
        try:
            # lstat: a link is judged as a link, never by what it points to.
            st = item.stat(follow_symlinks=False)
        except OSError as exc:
            yield _entry(path, name, None, EntryAction.SKIP, f"it cannot be examined ({_why(exc)})")
            continue
        if stat.S_ISLNK(st.st_mode):
            yield _entry(path, name, st, EntryAction.SKIP, "it is a link to another place; links are not "
                         "followed, so save the file itself in the inbox")
        elif stat.S_ISDIR(st.st_mode):
            if item.name.startswith("."):
                yield _entry(path, name, st, EntryAction.SKIP, "it is a hidden folder; its contents were "
                             "not looked at")
                continue
            yield from _walk(path, name + "/", excluded)
        elif not stat.S_ISREG(st.st_mode):
            # A pipe or device could block or never end if opened: never open one.
            yield _entry(path, name, st, EntryAction.SKIP, "it is not an ordinary file")
        else:
            yield _classify(path, name, st)


def _classify(path: Path, relative: str, st: os.stat_result) -> InboxEntry:
    name = path.name
    lower = name.lower()
    suffix = path.suffix.lower()
    if name.startswith("~$"):
        return _entry(path, relative, st, EntryAction.SKIP, "it is a temporary lock file that Word or Excel "
                      "leaves while a document is open")
    if lower.startswith(".~lock.") and lower.endswith("#"):
        return _entry(path, relative, st, EntryAction.SKIP, "it is a temporary lock file that LibreOffice "
                      "leaves while a document is open")
    if lower in _SYSTEM_FILES or name.startswith("."):
        return _entry(path, relative, st, EntryAction.SKIP, "it is a hidden or system file")
    if suffix in WORD_EXTENSIONS:
        return _entry(path, relative, st, EntryAction.READ, kind=EntryKind.WORD)
    if suffix in EXCEL_EXTENSIONS:
        return _entry(path, relative, st, EntryAction.READ, kind=EntryKind.EXCEL)
    if suffix in EMAIL_EXTENSIONS:
        return _entry(path, relative, st, EntryAction.READ, kind=EntryKind.EMAIL)
    if suffix in PDF_EXTENSIONS:
        return _entry(path, relative, st, EntryAction.READ, kind=EntryKind.PDF)
    what = f"a {suffix} file" if suffix else "a file with no extension"
    return _entry(path, relative, st, EntryAction.SKIP, f"not a Word or Excel file ({what})")


def _entry(
    path: Path,
    relative: str,
    st: os.stat_result | None,
    action: EntryAction,
    reason: str = "",
    kind: EntryKind | None = None,
) -> InboxEntry:
    # Shown escaped when it cannot be decoded or holds controls: never a forged console line.
    name = shown_name(relative)
    is_file = st is not None and stat.S_ISREG(st.st_mode)
    return InboxEntry(
        path=path,
        name=name,
        size=st.st_size if is_file and st is not None else 0,
        modified=_iso(st.st_mtime) if st is not None else "",
        action=action,
        reason=reason,
        kind=kind,
    )


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).astimezone().isoformat(timespec="seconds")


def _why(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's content (how the same return received twice is known); empty when
    the file cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()
