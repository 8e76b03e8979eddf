"""A package part's relationships (its ``_rels/*.rels``), read alike for Word and Excel returns."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from pipeline.xmlsafe import parse_part


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part: its id, the part it points at and its type."""

    id: str
    target: str
    """The part it points at, resolved from the source part's folder; empty when it names none."""
    type: str
    """The type's full URI."""
    external: bool
    """It points outside the package (a hyperlink, a linked file): its target is not a part."""

    @property
    def kind(self) -> str:
        """The last word of the type (``worksheet``, ``styles``, ``hyperlink``)."""
        return self.type.rsplit("/", 1)[-1]


#: Remembered per part name: every return names its parts alike, and a reader asks for a
#: sheet's relationships part more than once a return (two path joins in Python each).
@lru_cache(maxsize=256)
def rels_part(part: str) -> str:
    """The relationships part of a part (``xl/_rels/workbook.xml.rels``; ``_rels/.rels`` for "")."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(folder: str, target: str) -> str:
    """A relationship's target as a part name: absolute from the package root, else from `folder`."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, target))


def relationships(root: etree._Element, part: str) -> list[Relationship]:
    """The relationships in a parsed ``.rels`` part of `part`, in document order."""
    folder = posixpath.dirname(part)
    found = []
    for rel in root.iter("{*}Relationship"):
        external = rel.get("TargetMode") == "External"
        target = rel.get("Target", "")
        found.append(Relationship(rel.get("Id", ""),
                                  resolve(folder, target) if target and not external else "",
                                  rel.get("Type", ""), external))
    return found


@lru_cache(maxsize=64)
def relationships_in(data: bytes, rels: str, part: str) -> tuple[Relationship, ...]:
    """`relationships` of the ``.rels`` part named `rels`, given as its bytes (parsed safely;
    damaged XML rejects the file), read once per distinct part: the returns of one template share
    their relationship parts byte for byte, and intake gives each return the same bytes."""
    return tuple(relationships(parse_part(data, rels), part))
