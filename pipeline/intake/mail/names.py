"""Safe file names for attachments and saved messages, whatever the sender wrote.

An attachment's name is chosen by whoever sent it, so it is treated as hostile: it must never
leave the folder it is written to, never be hidden, and open on Windows, where the officer's
inbox usually lives.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

#: Longest name kept, in characters; leaves room for the inbox path under Windows' 260 limit.
MAX_NAME_CHARS = 100

#: Characters Windows refuses in a file name; replaced, so the name stays recognisable.
_FORBIDDEN = re.compile(r'[<>:"|?*]')
#: Names Windows reserves for devices, whatever the extension (``con.docx`` cannot be opened).
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)


def safe_file_name(name: str, fallback: str = "attachment") -> str:
    """A name that is only a file name: no folders, no control characters, not hidden, not too long."""
    text = unicodedata.normalize("NFC", name or "")
    # Both separators: a name written on Windows ("C:\\returns\\q1.docx") keeps only its last part.
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    # Control and format characters (NUL, newlines, right-to-left overrides that disguise an
    # extension) are dropped rather than replaced: they are never part of a name a person typed.
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
    text = _FORBIDDEN.sub("_", text)
    text = " ".join(text.split())
    # Leading dots hide a file (and ".." climbs); Windows drops trailing dots and spaces itself.
    text = text.lstrip(". ").rstrip(". ")
    if not text:
        text = fallback
    stem, dot, extension = text.rpartition(".")
    if not dot or not stem or len(extension) > 10:
        stem, extension = text, ""
    if _RESERVED.match(stem.split(".")[0].strip()):
        stem = "_" + stem
    suffix = f".{extension}" if extension else ""
    stem = stem[: MAX_NAME_CHARS - len(suffix)].rstrip(". ")
    return f"{stem or fallback}{suffix}"


class UniqueNames:
    """Hands out names no two of which clash, as ``return.docx``, ``return (2).docx``…"""

    def __init__(self) -> None:
        # Compared in lower case: Windows and macOS folders do not tell Return.docx from return.docx.
        self._taken: set[str] = set()

    def claim(self, name: str) -> str:
        """The name itself if free, else the first free numbered variant; it is then taken."""
        path = PurePosixPath(name)
        stem, suffix = (path.stem, path.suffix) if path.stem else (name, "")
        candidate, number = name, 1
        while candidate.lower() in self._taken:
            number += 1
            candidate = f"{stem} ({number}){suffix}"
        self._taken.add(candidate.lower())
        return candidate
