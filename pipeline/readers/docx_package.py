"""The parts of a .docx package: found through its relationships, read within the size limits."""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from pipeline import limits
from pipeline.issues import FileRejected
from pipeline.xmlsafe import parse_part

_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_RELATIONSHIP = _RELS_NS + "Relationship"
_DEFAULT_PARTS = {
    "officeDocument": "word/document.xml",
    "core-properties": "docProps/core.xml",
    "numbering": "word/numbering.xml",
    "styles": "word/styles.xml",
    "theme": "word/theme/theme1.xml",
}


class Package:
    """An open .docx zip: reads parts by name and finds them by relationship type."""

    def __init__(self, path: Path) -> None:
        try:
            self._zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise FileRejected(
                "unreadable-file",
                reason="it is not a valid .docx file (its zip container is damaged or missing)",
            ) from exc
        self._names = set(self._zip.namelist())
        self._targets: dict[str, dict[str, str]] = {}

    def close(self) -> None:
        """Close the zip file."""
        self._zip.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def read(self, name: str) -> bytes | None:
        """A part's bytes, or None when the package has no such part."""
        if name not in self._names:
            return None
        info = self._zip.getinfo(name)
        if info.file_size > limits.MAX_PART_BYTES:
            raise FileRejected(
                "file-too-large",
                reason=f"its part {name} would take {info.file_size // 2**20} MB when unpacked, "
                f"over the limit of {limits.MAX_PART_BYTES // 2**20} MB",
            )
        try:
            return self._zip.read(name)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise FileRejected("unreadable-file", reason=f"its part {name} is damaged ({exc})") from exc

    def parse(self, name: str) -> etree._Element | None:
        """A part parsed safely, or None when absent; damaged XML rejects the file."""
        data = self.read(name)
        return None if data is None else parse_part(data, name)

    def part_name(self, relationship: str, source: str = "") -> str:
        """The part a relationship of the given type (last word of its URI) points at.

        ``source`` is the part the relationship belongs to ("" for the package itself). Falls back
        to where Word puts that part when the relationships are missing.
        """
        targets = self._targets.get(source)
        if targets is None:
            targets = self._relationships(source)
            self._targets[source] = targets
        return targets.get(relationship, _DEFAULT_PARTS.get(relationship, ""))

    def _relationships(self, source: str) -> dict[str, str]:
        folder, base = posixpath.split(source)
        rels = self.parse(posixpath.join(folder, "_rels", base + ".rels"))
        found: dict[str, str] = {}
        if rels is None:
            return found
        for rel in rels.iter(_RELATIONSHIP):
            if rel.get("TargetMode") == "External":
                continue
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            target = rel.get("Target", "")
            if not target or kind in found:
                continue
            name = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            found[kind] = posixpath.normpath(name)
        return found
