"""The parts of a .docx package that intake checked, found through its relationships."""

from __future__ import annotations

import zipfile
import zlib

from lxml import etree

from pipeline.intake.package import CheckedPackage
from pipeline.issues import FileRejected
from pipeline.readers.package_rels import relationships_in, rels_part
from pipeline.xmlsafe import parse_part

_DEFAULT_PARTS = {
    "officeDocument": "word/document.xml",
    "core-properties": "docProps/core.xml",
    "numbering": "word/numbering.xml",
    "styles": "word/styles.xml",
    "theme": "word/theme/theme1.xml",
}


class Package:
    """A checked .docx package: reads parts by name and finds them by relationship type."""

    def __init__(self, package: CheckedPackage) -> None:
        self._zip = package
        self._names = package.names
        self._targets: dict[str, dict[str, str]] = {}

    def read(self, name: str) -> bytes | None:
        """A part's bytes, or None when the package has no such part."""
        if name not in self._names:
            return None
        try:
            # Within the limits: intake checked the package's directory before any reader.
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
        name = rels_part(source)
        data = self.read(name)
        found: dict[str, str] = {}
        for rel in relationships_in(data, name, source) if data is not None else ():
            if not rel.external and rel.target and rel.kind not in found:
                found[rel.kind] = rel.target
        return found
