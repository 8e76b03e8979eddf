"""Builders for the real files intake tests are run on: plain returns and hostile ones.

Each builder writes one file and returns its path; none needs more than a few MB of memory.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

#: The main part of each package: where an entity attack is planted.
MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def plain_docx(path: Path, text: str = "Reduce waiting times") -> Path:
    """A small real Word return: a heading and a task table."""
    import docx

    document = docx.Document()
    document.add_paragraph("Housing group: quarterly return")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Tasks", "Status"
    table.cell(1, 0).text, table.cell(1, 1).text = text, "Green"
    document.save(str(path))
    return path


def plain_xlsx(path: Path, text: str = "Reduce waiting times") -> Path:
    """A small real Excel return: one sheet with a task table."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Return"
    sheet.append(["Tasks", "Status"])
    sheet.append([text, "Green"])
    workbook.save(str(path))
    return path


def plain(path: Path, kind: str, text: str = "Reduce waiting times") -> Path:
    """A plain docx or xlsx return, by kind."""
    return plain_docx(path, text) if kind == "docx" else plain_xlsx(path, text)


def with_part(source: Path, target: Path, name: str, data: bytes | None) -> Path:
    """A copy of a package with one part replaced (or added; removed when data is None)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info.filename, src.read(info))
        if data is not None:
            dst.writestr(name, data)
    return target


def with_damaged_part(source: Path, target: Path, name: str) -> Path:
    """A copy of a package whose part `name` fails its checksum: stored uncompressed, one byte
    past its prolog changed after the zip was written (the prolog still reads as it was)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            method = zipfile.ZIP_STORED if info.filename == name else zipfile.ZIP_DEFLATED
            dst.writestr(info.filename, src.read(info), compress_type=method)
    with zipfile.ZipFile(target) as zf:
        info = zf.getinfo(name)
    assert info.file_size > 300, f"{name} is too short to damage past its prolog"
    with target.open("r+b") as f:
        f.seek(info.header_offset + 26)
        name_length, extra_length = int.from_bytes(f.read(2), "little"), int.from_bytes(
            f.read(2), "little")
        f.seek(info.header_offset + 30 + name_length + extra_length + info.file_size - 2)
        byte = f.read(1)
        f.seek(-1, 1)
        f.write(bytes([byte[0] ^ 0x20]))
    return target


def zip_bomb(path: Path, kind: str, inflated_mb: int = 300) -> Path:
    """A docx/xlsx whose main part is `inflated_mb` MB of zeros (about 300 KB on disk).

    The zeros are streamed in 1 MB chunks, so building it never holds more than one chunk.
    """
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        with zf.open(MAIN_PART[kind], "w", force_zip64=True) as part:
            for _ in range(inflated_mb):
                part.write(chunk)
    return path


def many_parts(path: Path, kind: str, parts: int) -> Path:
    """A docx/xlsx padded with `parts` tiny parts."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr(MAIN_PART[kind], b"<x/>")
        for i in range(parts):
            zf.writestr(f"customXml/item{i}.xml", b"<x/>")
    return path


def xxe(path: Path, kind: str, secret: Path) -> Path:
    """A real docx/xlsx whose main part declares an external entity reading `secret`."""
    part = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<!DOCTYPE root [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
        f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    ).encode()
    return _planted(path, kind, part)


def billion_laughs(path: Path, kind: str) -> Path:
    """A real docx/xlsx whose main part holds the "billion laughs" entity expansion."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    part = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [' + "".join(entities) + "]>\n"
        f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    ).encode()
    return _planted(path, kind, part)


def doctype_part(encoding: str, before: str = "", declare: str | None = None) -> bytes:
    """An XML part with a DOCTYPE, encoded as given; `before` goes between prolog and DOCTYPE."""
    declaration = f'<?xml version="1.0" encoding="{declare or encoding}"?>'
    text = f'{declaration}{before}<!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'
    return text.encode(encoding)


def encrypted(source: Path, target: Path, password: str = "Partnership1") -> Path:
    """`source` protected with a password as Office does it (an OLE file, ECMA-376 agile)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with source.open("rb") as f, target.open("wb") as out:
        OOXMLFile(f).encrypt(password, out)
    return target


def truncated(source: Path, target: Path) -> Path:
    """The first half of `source`: a download or attachment cut short."""
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


def pdf(path: Path) -> Path:
    """A tiny but well-formed PDF."""
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return path


def random_bytes(path: Path, size: int = 4096, seed: int = 7) -> Path:
    """Bytes that are no format at all (seeded, and never starting with a known signature)."""
    data = bytearray(random.Random(seed).randbytes(size))
    data[0] = 0x01
    path.write_bytes(bytes(data))
    return path


def other_zip(path: Path) -> Path:
    """An ordinary zip of text files: a zip, but no Office document."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("notes.txt", "Minutes of the housing group")
    return path


def macro_xlsx(path: Path) -> Path:
    """An .xlsm: a real workbook carrying a (dummy) VBA project."""
    source = plain_xlsx(path.with_suffix(".plain.xlsx"))
    with_part(source, path, "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    source.unlink()
    return path


def rtf(path: Path, text: str = "Reduce waiting times") -> Path:
    """A hand-written RTF return: a heading and a two-cell task row."""
    path.write_bytes(
        b"{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\n"
        b"\\pard Housing group: quarterly return\\par\n"
        b"\\trowd\\cellx3000\\cellx6000 Tasks\\cell Status\\cell\\row\n"
        b"\\trowd\\cellx3000\\cellx6000 " + text.encode("ascii") + b"\\cell Green\\cell\\row\n"
        b"\\pard\\par}\n"
    )
    return path


def odt_with_linked_section(path: Path, linked: Path) -> Path:
    """An .odt whose section is a link to `linked`: updating it would read that file."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2">'
        "<office:body><office:text><text:p>Housing group</text:p>"
        '<text:section text:name="S1"><text:section-source xlink:href="'
        + linked.as_uri()
        + '" xlink:type="simple" text:filter-name="Text"/><text:p>placeholder</text:p>'
        "</text:section></office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2"><manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def via_soffice(source: Path, fmt: str, outdir: Path) -> Path:
    """`source` saved by LibreOffice in another format (``doc``, ``xls``, ``odt``, ``ods``)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed to build this file"
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-factory-") as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
             "--norestore", "--convert-to", fmt, "--outdir", str(outdir), str(source)],
            check=True, capture_output=True, timeout=120,
        )
    return outdir / f"{source.stem}.{fmt}"


def _planted(path: Path, kind: str, part: bytes) -> Path:
    source = plain(path.with_name(path.name + ".plain"), kind)
    with_part(source, path, MAIN_PART[kind], part)
    source.unlink()
    return path


_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)
