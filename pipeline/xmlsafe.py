"""Parsing XML from returns without ever resolving entities or fetching anything from outside."""

from __future__ import annotations

from lxml import etree

from pipeline.issues import FileRejected

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    dtd_validation=False,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


def parse_part(data: bytes, part: str) -> etree._Element:
    """Parse one XML part of an Office file, refusing any part that declares a DOCTYPE.

    Office never writes a DOCTYPE, so one is a sign of an entity attack (external entities or
    "billion laughs"): the file is rejected rather than parsed.
    """
    # Text content can never hold a raw "<!", so a plain byte search has no false alarms.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise FileRejected("unsafe-content", reason=f"its part {part} declares a DOCTYPE or entities")
    try:
        return etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise FileRejected("unreadable-file", reason=f"its part {part} is damaged ({exc.msg})") from exc
