"""A Word document whose long parts are written into the file as XML text when it is saved.

python-docx holds a document as one lxml tree: for the report of a thousand returns (30 MB of
``word/document.xml``) that tree took 400 MB. Here python-docx builds only the frame (styles,
page, footer, properties, headings and short paragraphs); each table or run of tables is given
as XML text (`docx_table_xml`), an iterable that is consumed only while the file is written, in
place of a marker paragraph the frame holds for it. No part of the body is held twice and no
table is ever parsed; what is written is read back by the tests with python-docx.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pipeline.report.docx_table_xml import BODY_ROW

#: Text is encoded and handed to the zip's compressor in pieces of about this many characters.
_WRITE_SIZE = 1 << 16
#: How hard the parts are deflated. zlib's default (6) took a tenth of the report's CPU for 1,000
#: returns (0.32 s for its 31 MB of body XML); 3 takes 0.12 s, as long as 1, and makes the file
#: 2.4 MB instead of 1.9 (1: 2.8 MB).
_LEVEL = 3


class StreamedPart:
    """Body XML written in place of a marker when the document is saved; it counts its rows."""

    def __init__(self, chunks: Iterable[str], marker: str) -> None:
        self._chunks = chunks
        self.marker = marker
        self.rows_written = 0
        """Table rows that are not header rows, counted in the text as it was written."""

    def write(self, out: IO[bytes]) -> None:
        """Write every chunk (consumed once) into `out`, encoded as UTF-8."""
        pending: list[str] = []
        size = 0
        for chunk in self._chunks:
            pending.append(chunk)
            size += len(chunk)
            if size >= _WRITE_SIZE:
                self._write(out, "".join(pending))
                pending.clear()
                size = 0
        self._write(out, "".join(pending))

    def _write(self, out: IO[bytes], text: str) -> None:
        out.write(text.encode("utf-8"))
        self.rows_written += text.count(BODY_ROW)


class StreamedDocument:
    """A python-docx document (`document`) and the body XML to write into it when it is saved."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._parts: list[StreamedPart] = []
        self._token = uuid.uuid4().hex

    def add_xml(self, chunks: Iterable[str]) -> StreamedPart:
        """At the end of the body so far: paragraphs and tables given as XML text (``w:`` prefix,
        no namespace declarations), read from `chunks` only while the document is saved."""
        part = StreamedPart(chunks, f"streamed-part-{self._token}-{len(self._parts)}")
        self._parts.append(part)
        marker, run, text = OxmlElement("w:p"), OxmlElement("w:r"), OxmlElement("w:t")
        text.text = part.marker
        run.append(text)
        marker.append(run)
        body = self.document.element.body
        end = body.find(qn("w:sectPr"))  # the body's own section properties close it
        if end is None:
            body.append(marker)
        else:
            end.addprevious(marker)
        return part

    def save(self, path: Path) -> None:
        """Write the .docx to `path`: python-docx's package, with each part's XML in its place."""
        frame = io.BytesIO()
        self.document.save(frame)
        main = self.document.part.partname.lstrip("/")
        with zipfile.ZipFile(frame) as source, zipfile.ZipFile(
                path, "w", zipfile.ZIP_DEFLATED, compresslevel=_LEVEL) as target:
            for info in source.infolist():
                # Each part by its name: the target's compression and level are then its own.
                if info.filename == main:
                    with target.open(info.filename, "w") as out:
                        self._write_main(source.read(info), out)
                else:
                    target.writestr(info.filename, source.read(info))

    def _write_main(self, frame: bytes, out: IO[bytes]) -> None:
        rest = frame
        for part in self._parts:
            marker = f"<w:p><w:r><w:t>{part.marker}</w:t></w:r></w:p>".encode()
            before, found, rest = rest.partition(marker)
            if not found:
                raise RuntimeError(f"the place of {part.marker} is not in the document as saved")
            out.write(before)
            part.write(out)
        out.write(rest)
