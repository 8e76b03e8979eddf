"""A part's relationships read alike for Word and Excel: targets resolved, external ones marked."""

from __future__ import annotations

from lxml import etree

from pipeline.readers.package_rels import Relationship, relationships, rels_part

RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Id="rId1" Type="http://x/officeDocument/2006/relationships/worksheet"
                Target="worksheets/sheet1.xml"/>
  <Relationship Id="rId2" Type="http://x/officeDocument/2006/relationships/styles"
                Target="/xl/styles.xml"/>
  <Relationship Id="rId3" Type="http://x/officeDocument/2006/relationships/theme"
                Target="../xl/theme/theme1.xml"/>
  <Relationship Id="rId4" Type="http://x/officeDocument/2006/relationships/hyperlink"
                Target="https://example.org/" TargetMode="External"/>
</Relationships>"""


def test_rels_part_names_the_relationships_of_a_part_and_of_the_package() -> None:
    assert rels_part("xl/workbook.xml") == "xl/_rels/workbook.xml.rels"
    assert rels_part("") == "_rels/.rels"


def test_targets_are_resolved_from_the_parts_folder_and_external_ones_are_not_parts() -> None:
    found = relationships(etree.fromstring(RELS), "xl/workbook.xml")
    assert [(r.id, r.target, r.kind, r.external) for r in found] == [
        ("rId1", "xl/worksheets/sheet1.xml", "worksheet", False),
        ("rId2", "xl/styles.xml", "styles", False),
        ("rId3", "xl/theme/theme1.xml", "theme", False),
        ("rId4", "", "hyperlink", True),
    ]
    assert isinstance(found[0], Relationship)


def test_relationships_read_from_bytes_are_those_of_the_parsed_part_and_kept_per_part() -> None:
    from pipeline.readers.package_rels import relationships_in

    for part in ("xl/workbook.xml", "word/document.xml", ""):
        read = relationships_in(RELS, rels_part(part), part)
        assert read == tuple(relationships(etree.fromstring(RELS), part))
        # Equal bytes from another return, for another part: each part's own targets.
        assert relationships_in(bytes(bytearray(RELS)), rels_part(part), part) == read


def test_damaged_relationships_read_from_bytes_reject_the_file_each_time() -> None:
    import pytest

    from pipeline.issues import FileRejected
    from pipeline.readers.package_rels import relationships_in

    for _ in range(2):  # a refusal is not remembered as an answer
        with pytest.raises(FileRejected) as caught:
            relationships_in(RELS[:-20], "xl/_rels/workbook.xml.rels", "xl/workbook.xml")
        assert "xl/_rels/workbook.xml.rels is damaged" in str(caught.value.fields)
