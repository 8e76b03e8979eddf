"""What a file really holds, judged from its content and never from its extension."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import BinaryIO

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}

#: What each format is, in words for a message ("The file is named .docx but holds …").
DESCRIPTIONS: dict[str, str] = {
    "docx": "a Word document",
    "xlsx": "an Excel workbook",
    "doc": "an old-format Word document (.doc)",
    "xls": "an old-format Excel workbook (.xls)",
    "odt": "an OpenDocument text (.odt)",
    "ods": "an OpenDocument spreadsheet (.ods)",
    "rtf": "a Rich Text document (.rtf)",
    "pdf": "a PDF document",
    "xlsb": "an Excel binary workbook (.xlsb)",
    "xlsx-strict": "an Excel workbook in Strict Open XML",
    "zip": "a zip archive with no Word or Excel content",
    "ole": "an old-format Office file that is neither Word nor Excel",
    "ole-encrypted": "a file protected with a password",
    "empty": "nothing (0 bytes)",
    "unknown": "no Word or Excel content",
}


def sniff(path: Path) -> str:
    """Name the format a file's content is in: ``docx``, ``xlsx``, ``doc``, ``pdf``, ``unknown``…

    One of ``empty``, ``docx``, ``xlsx`` (macro-enabled files included), ``xlsb``,
    ``ole-encrypted``,
    ``doc``, ``xls``, ``ole`` (another old Office format), ``odt``, ``ods``, ``rtf``, ``pdf``,
    ``zip`` (any other zip, or a damaged one) and ``unknown``. Raises only OSError, when the
    file cannot be opened at all: bad content is never an exception here.
    """
    with path.open("rb") as f:
        head = f.read(1024)
        if not head:
            return "empty"
        if head.startswith(_OLE_MAGIC):
            return _sniff_ole(f)
        if head.startswith(_ZIP_MAGICS):
            return _sniff_zip(f)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    # A PDF may have a few bytes of junk before its header; readers accept it in the first 1 KB.
    if b"%PDF-" in head:
        return "pdf"
    return "unknown"


def has_macros(path: Path) -> bool:
    """True when an old-format (OLE) file carries a VBA project (macros), never run, only noticed.

    A zip package's macros are noticed by intake's check of the package (`CheckedPackage`).
    """
    with path.open("rb") as f:
        if f.read(8) != _OLE_MAGIC:
            return False
        try:
            import olefile

            with olefile.OleFileIO(f) as ole:
                # Word keeps its project in "Macros", Excel in "_VBA_PROJECT_CUR".
                return bool(ole.exists("Macros") or ole.exists("_VBA_PROJECT_CUR"))
        except Exception:
            # A file too damaged to list is reported by whatever reads it next.
            return False


def sniff_ole(f: BinaryIO) -> str:
    """What an OLE (old-format Office) file holds: ``doc``, ``xls``, ``ole-encrypted`` or ``ole``."""
    return _sniff_ole(f)


def _sniff_ole(f: BinaryIO) -> str:
    import msoffcrypto
    import olefile

    try:
        f.seek(0)
        with olefile.OleFileIO(f) as ole:
            streams = {"/".join(s).lower() for s in ole.listdir(streams=True, storages=False)}
    except Exception:
        return "unknown"
    if "encryptioninfo" in streams:
        # An encrypted .docx/.xlsx is an OLE container holding the real package, encrypted.
        return "ole-encrypted"
    if "worddocument" in streams:
        kind = "doc"
    elif "workbook" in streams or "book" in streams:
        kind = "xls"
    else:
        return "ole"
    try:
        f.seek(0)
        if msoffcrypto.OfficeFile(f).is_encrypted():
            return "ole-encrypted"
    except Exception:
        # msoffcrypto cannot parse it (an Excel 95 "Book", or damage): LibreOffice will try.
        pass
    return kind


def _sniff_zip(f: BinaryIO) -> str:
    try:
        f.seek(0)
        with zipfile.ZipFile(f) as zf:
            return sniff_package(zf)
    except Exception:
        # A truncated or damaged zip: still a zip, and the zip check will say it is damaged.
        return "zip"


def sniff_package(zf: zipfile.ZipFile) -> str:
    """What a zip package holds, from its parts' names: ``docx``, ``xlsx``, ``xlsb``, ``odt``,
    ``ods`` or ``zip`` (any other zip)."""
    names = {n.lower(): n for n in zf.namelist()}
    if "mimetype" in names:
        # ODF stores its type uncompressed first; read a few bytes only, never the lot.
        try:
            with zf.open(names["mimetype"]) as part:
                mimetype = part.read(100).decode("ascii", "replace").strip()
        except Exception:
            return "zip"
        if mimetype in _ODF_MIMETYPES:
            return _ODF_MIMETYPES[mimetype]
    if "[content_types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "xl/workbook.bin" in names:
            return "xlsb"
    return "zip"


def is_zip(data: bytes) -> bool:
    """True when a file's bytes begin as a zip archive does (Office's and OpenDocument's
    packages)."""
    return data.startswith(_ZIP_MAGICS)
