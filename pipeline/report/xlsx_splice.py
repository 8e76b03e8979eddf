"""Putting the rows `RowsSheet`s wrote into the package xlsxwriter wrote around them.

xlsxwriter's package holds every part of the workbook; each of our sheets' parts holds, where its
rows go, only what xlsxwriter saw of its cells (a merged range's). The splice writes the package
again (`ZipParts`): every other part copied as xlsxwriter deflated it, and each sheet's part made
of xlsxwriter's XML before its rows, the rows as they were deflated while they were written, and
xlsxwriter's XML after them, its `<dimension>` element made the range the rows cover.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from pipeline.readers.package_rels import relationships, rels_part
from pipeline.report.errors import ReportError
from pipeline.report.xlsx_rows import RowsSheet
from pipeline.zip_parts import ZipParts, crc32_combine, deflated, stored_at

_SHEET_DATA = re.compile(rb"<sheetData/>|<sheetData>.*</sheetData>", re.DOTALL)
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')


def splice_rows(unspliced: Path, target: Path, sheets: Sequence[RowsSheet]) -> None:
    """Write the package at `unspliced` to `target` with each sheet's rows put in place."""
    data = unspliced.read_bytes()  # small: xlsxwriter wrote none of the sheets' rows
    with zipfile.ZipFile(io.BytesIO(data)) as source, target.open("wb") as out:
        parts = _worksheet_parts(source)
        by_part: dict[str, RowsSheet] = {}
        for sheet in sheets:
            if sheet.name not in parts:
                raise ReportError(f"The workbook has no part for sheet '{sheet.name}'.")
            by_part[parts[sheet.name]] = sheet
        package = ZipParts(out)
        for info in source.infolist():
            rows_sheet = by_part.get(info.filename)
            if rows_sheet is None:
                package.add(info.filename, [_stored(data, info)], crc=info.CRC, size=info.file_size,
                            date_time=info.date_time, external_attr=info.external_attr,
                            method=info.compress_type)
            else:
                _add_sheet(package, info, source.read(info), rows_sheet)
        package.close()


def _stored(package: bytes, info: zipfile.ZipInfo) -> bytes:
    """A part's data as the package stores it (deflated), after its local header."""
    try:
        _, start = stored_at(package, info)
    except zipfile.BadZipFile as exc:
        raise ReportError(f"The workbook's part {info.filename} as written has no local header.") from exc
    return package[start:start + info.compress_size]


def _worksheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's name and its part, from the workbook part and its relationships."""
    main = "xl/workbook.xml"
    book = etree.fromstring(package.read(main))
    targets = {rel.id: rel.target
               for rel in relationships(etree.fromstring(package.read(rels_part(main))), main)}
    parts = {}
    for sheet in book.iter("{*}sheet"):
        rel_id = next((value for key, value in sheet.attrib.items() if key.endswith("}id")), "")
        if rel_id in targets:
            parts[sheet.get("name", "")] = posixpath.normpath(targets[rel_id])
    return parts


def _add_sheet(package: ZipParts, info: zipfile.ZipInfo, xml: bytes, sheet: RowsSheet) -> None:
    found = _SHEET_DATA.search(xml)
    if found is None:
        raise ReportError(f"Sheet '{sheet.name}' as written has no <sheetData> to put its rows in.")
    head = _DIMENSION.sub(b'<dimension ref="%s"/>' % sheet.dimension.encode(), xml[:found.start()], 1)
    rows = sheet.deflated_rows()
    if not rows.size:
        whole = head + b"<sheetData/>" + xml[found.end():]
        package.add(info.filename, [deflated(whole, last=True)], crc=zlib.crc32(whole),
                    size=len(whole), date_time=info.date_time, external_attr=info.external_attr)
        return
    head += b"<sheetData>"
    tail = b"</sheetData>" + xml[found.end():]
    crc = crc32_combine(crc32_combine(zlib.crc32(head), rows.crc, rows.size), zlib.crc32(tail), len(tail))
    package.add(info.filename, [deflated(head, last=False), rows.path, deflated(tail, last=True)],
                crc=crc, size=len(head) + rows.size + len(tail), date_time=info.date_time,
                external_attr=info.external_attr)
