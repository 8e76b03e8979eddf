"""The parts of a .docx package: found through its relationships, read within the size limits."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from lxml import etree

from pipeline import limits
from pipeline.issues import FileRejected
from pipeline.readers.package_rels import relationships, rels_part
from pipeline.xmlsafe import parse_part

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
        rels = self.parse(rels_part(source))
        found: dict[str, str] = {}
        for rel in relationships(rels, source) if rels is not None else []:
            if not rel.external and rel.target and rel.kind not in found:
                found[rel.kind] = rel.target
        return found
