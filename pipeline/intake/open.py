"""Opening one return: check it is safe and what it claims to be, convert it if need be, read it."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.document import Cell, Paragraph, Place, SourceDocument, Table, TrackedChange
from pipeline.intake.convert import convert_with_libreoffice
from pipeline.intake.package import CheckedPackage, check_package, open_package, package_of, read_file
from pipeline.intake.safety import size
from pipeline.intake.scan import EntryKind, InboxEntry
from pipeline.intake.sniff import DESCRIPTIONS, has_macros, is_zip, sniff, sniff_package
from pipeline.issues import FileRejected, Issue, make_issue
from pipeline.limits import MAX_UNCOMPRESSED_BYTES
from pipeline.textsafe import are_safe_texts, is_safe_line, safe_line, safe_text

log = logging.getLogger(__name__)

#: The family each sniffed format belongs to, and what it is read as.
_FAMILY = {"docx": "word", "doc": "word", "odt": "word", "rtf": "word",
           "xlsx": "excel", "xls": "excel", "ods": "excel", "pdf": "pdf"}
_TARGET = {"word": "docx", "excel": "xlsx", "pdf": "pdf"}
_LABEL = {"word": "Word file", "excel": "Excel file", "pdf": "PDF"}
#: Excel variants that are not read, and what to do instead (the message's reason).
_UNSUPPORTED = {
    "xlsb": "it is an Excel binary workbook; save it as Excel Workbook (.xlsx)",
    "xlsx-strict": "it is saved as Strict Open XML; save it as Excel Workbook (.xlsx)",
}
#: Formats that are zip packages, checked for bombs and DOCTYPEs before anything opens them.
_ZIP_BASED = frozenset({"docx", "xlsx", "odt", "ods"})
#: The format each extension promises (.docm is a .docx with macros, and so on).
_PROMISED = {"docx": "docx", "docm": "docx", "doc": "doc", "odt": "odt", "rtf": "rtf",
             "xlsx": "xlsx", "xlsm": "xlsx", "xls": "xls", "ods": "ods", "pdf": "pdf",
             "xlsb": "xlsb"}


@dataclass
class OpenedReturn:
    """What became of opening one file: its content, or why it was rejected, and its issues."""

    document: SourceDocument | None
    issues: list[Issue] = field(default_factory=list)
    """File-level issues found by intake (a rejection, a conversion, macros…). The reader's own
    issues stay in ``document.issues``; one of intake's is dropped when the reader reported the
    same code."""
    kind_label: str = ""
    """What the file is, in words: ``Word file``, ``Excel file (converted from .xls)``…"""
    rejected_reason: str | None = None
    """The rejection's message when the file could not be read; None when it was read."""
    sha256: str = ""
    """The SHA-256 of the bytes intake read (empty when it could not read them): the file's
    fingerprint taken of what was read, with no second reading of the file."""


def open_return(entry: InboxEntry, workdir: Path) -> OpenedReturn:
    """Open one return from the inbox; a bad file becomes a rejection, never an exception."""
    if entry.kind is EntryKind.EMAIL:
        raise ValueError(f"{entry.name} is an e-mail: unpack it and open its attachments")
    progress = _Progress(Place(file=entry.name), _LABEL.get(entry.kind or "", "File"))
    try:
        document = _open(entry, workdir, progress)
    except FileRejected as exc:
        return progress.rejected(exc.to_issue(progress.place))
    except ImportError:
        raise  # a reader missing is a broken install, not a bad file
    except Exception as exc:
        # Whatever a library throws at a bad file, the run goes on; the traceback is for --debug.
        log.debug("unexpected error reading %s", entry.name, exc_info=True)
        reason = _describe(exc, {str(entry.path): entry.name, str(workdir): "…"})
        return progress.rejected(make_issue("unreadable-file", progress.place, reason=reason))
    make_text_safe(document)
    reported = {i.code for i in document.issues}
    kept = [i for i in progress.issues if i.code not in reported]
    return OpenedReturn(document=document, issues=kept, kind_label=progress.label,
                        sha256=progress.sha256)


@dataclass
class _Progress:
    """What is known about a file so far, kept when a later step rejects it."""

    place: Place
    label: str
    issues: list[Issue] = field(default_factory=list)
    sha256: str = ""

    def add(self, code: str, **fields: object) -> None:
        self.issues.append(make_issue(code, self.place, **fields))

    def rejected(self, issue: Issue) -> OpenedReturn:
        return OpenedReturn(document=None, issues=[*self.issues, issue], kind_label=self.label,
                            rejected_reason=issue.message, sha256=self.sha256)


def _open(entry: InboxEntry, workdir: Path, progress: _Progress) -> SourceDocument:
    path = entry.path
    on_disk = path.stat().st_size  # now, not at scan time: the file may have changed since
    if on_disk == 0:
        raise FileRejected("empty-file")
    if on_disk > MAX_UNCOMPRESSED_BYTES:
        raise FileRejected("file-too-large", reason=f"it is {size(on_disk)} on disk")
    # The file is read once, here: its fingerprint is taken of these bytes, and a zip's
    # directory is read from them (what the package holds says what it is, and the same
    # package is checked and read; a damaged zip is reported as damaged, not as the wrong
    # thing). Opened three times before (its first bytes, its package, its fingerprint).
    data = read_file(path)
    progress.sha256 = hashlib.sha256(data).hexdigest()
    package = package_of(path, data) if is_zip(data) else None
    del data  # the package holds what it needs; a PDF's bytes are not kept while it is read
    try:
        kind = sniff_package(package) if package is not None else sniff(path)
        return _open_kind(entry, kind, package, workdir, progress)
    finally:
        if package is not None:
            package.close()


def _open_kind(entry: InboxEntry, kind: str, package: CheckedPackage | None, workdir: Path,
               progress: _Progress) -> SourceDocument:
    """Read a file of the kind its content says it is; ``package`` is a zip's, not yet checked."""
    extension = entry.extension
    if kind == "empty":
        raise FileRejected("empty-file")
    if kind == "ole-encrypted":
        raise FileRejected("password-protected")
    if kind in _UNSUPPORTED:
        progress.label = DESCRIPTIONS[kind][0].upper() + DESCRIPTIONS[kind][1:]
        raise FileRejected("needs-conversion", extension=extension, reason=_UNSUPPORTED[kind])
    family = _FAMILY.get(kind)
    if kind == "pdf" and extension != "pdf":
        family = None  # a PDF named .docx is not taken for a return sent as a PDF
    if family is None:
        progress.label = DESCRIPTIONS[kind][0].upper() + DESCRIPTIONS[kind][1:]
        raise FileRejected("wrong-content", extension=extension, actual=DESCRIPTIONS[kind])
    progress.label = _LABEL[family]
    if _PROMISED.get(extension) != kind:
        progress.add("extension-mismatch", extension=extension, actual=DESCRIPTIONS[kind],
                     expected=kind)
        progress.label += f" (named .{extension})"
    # Judged before anything reads it, LibreOffice included.
    checked = check_package(package) if package is not None and kind in _ZIP_BASED else None
    return _read(entry, kind, family, checked, workdir, progress)


def _read(entry: InboxEntry, kind: str, family: str, package: CheckedPackage | None,
          workdir: Path, progress: _Progress) -> SourceDocument:
    """Convert the file if need be and read it; `package` is the file's own, checked (a zip)."""
    path, extension = entry.path, entry.extension
    # The package was checked before LibreOffice too: an .odt bomb or entity attack would hit it
    # just the same.
    if kind == "xlsx" and package is not None and package.is_strict_workbook():
        raise FileRejected("needs-conversion", extension=extension, reason=_UNSUPPORTED["xlsx-strict"])
    target = _TARGET[family]
    if target == "pdf":
        from pipeline.readers.pdf import read_pdf

        return read_pdf(path, entry.name)
    # Macros are those of the file as sent, before any conversion.
    macros = package.has_macros if package is not None else has_macros(path)
    if kind != target:
        converted = convert_with_libreoffice(path, target, workdir, source_format=kind)
        progress.add("converted-file", extension=kind)
        progress.label = f"{_LABEL[family]} (converted from .{kind})"
        with open_package(converted) as readable:
            return _read_package(entry, target, readable, macros, progress)
    assert package is not None  # a .docx or .xlsx is a zip package
    return _read_package(entry, target, package, macros, progress)


def _read_package(entry: InboxEntry, target: str, package: CheckedPackage, macros: bool,
                  progress: _Progress) -> SourceDocument:
    """Read a checked .docx or .xlsx package with its reader, noting what no reader reads."""
    if macros:
        progress.add("macros-not-run")
    for what, count in package.unread_content().items():
        progress.add("content-not-read", what=_UNREAD[what](count), verb="is" if count == 1 else "are",
                     them="it" if count == 1 else "them")
    if target == "docx":
        from pipeline.readers.docx import read_docx

        return read_docx(package, entry.name)
    from pipeline.readers.xlsx import read_xlsx

    return read_xlsx(package, entry.name)


_UNREAD = {
    "pasted": lambda n: ("a part pasted in as a separate document (altChunk)" if n == 1 else
                         f"{n} parts pasted in as separate documents (altChunk)"),
    "embedded": lambda n: ("an embedded object (a document or sheet inside it)" if n == 1 else
                           f"{n} embedded objects (documents or sheets inside it)"),
}


def make_text_safe(document: SourceDocument) -> None:
    """Clean every text a reader got out of a file, once, before anything else sees it."""
    if are_safe_texts(_texts(document)) and is_safe_line(" ".join(_names(document))):
        document.text_safe = True
        return  # the usual return: nothing to clean, so each text is looked at once
    for block in document.blocks:
        if isinstance(block, Paragraph):
            block.lines = _safe_lines(block.lines)
            block.changes = _safe_changes(block.changes)
            continue
        if block.title is not None:
            block.title = safe_line(block.title)
        if block.place.sheet is not None and safe_line(block.place.sheet) != block.place.sheet:
            _make_places_safe(block)
        for row in block.rows:
            for cell in row.cells:
                _make_cell_safe(cell)
    document.properties = {k: safe_text(v) for k, v in document.properties.items()}
    # What the reader itself reported may quote a sheet's name, or place something in the sheet.
    document.issues = [_safe_issue(i) for i in document.issues]
    document.text_safe = True


def _texts(document: SourceDocument) -> list[str]:
    """Every text of the document `make_text_safe` cleans as text (line breaks kept)."""
    # A list extended cell by cell, not a generator: a return has thousands of cells.
    texts: list[str] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            texts += block.lines
            texts += _change_texts(block.changes)
            continue
        for row in block.rows:
            for cell in row.cells:
                lines = cell.lines
                texts += lines
                value = cell.value
                # An Excel cell's text is most often its one line itself (str.split gives the
                # text back when it has no line break): judged once, not twice. A Word cell has
                # no value: `is not None` first, as it costs less than isinstance (a return
                # has hundreds of cells).
                if value is not None and (len(lines) != 1 or lines[0] is not value) and (
                        isinstance(value, str)):
                    texts.append(value)
                if cell.changes:  # most cells have none
                    texts += _change_texts(cell.changes)
    texts += document.properties.values()
    return texts


def _names(document: SourceDocument) -> Iterator[str]:
    """Every text of the document `make_text_safe` cleans as a name shown on one line."""
    for block in document.blocks:
        if isinstance(block, Table):
            yield block.title or ""
            yield block.place.sheet or ""
    for issue in document.issues:
        yield issue.message
        yield issue.place.sheet or ""


def _change_texts(changes: Sequence[TrackedChange]) -> Iterator[str]:
    for change in changes:
        yield change.text
        yield change.author


def _safe_place(place: Place) -> Place:
    if place.sheet is None:
        return place
    sheet = safe_line(place.sheet)
    return place if sheet == place.sheet else place._replace(sheet=sheet)


def _make_places_safe(table: Table) -> None:
    """A sheet named with control or bidirectional characters: every place in it named cleanly."""
    table.place = _safe_place(table.place)
    for row in table.rows:
        row.place = _safe_place(row.place)
        for cell in row.cells:
            cell.place = _safe_place(cell.place)


def _safe_issue(issue: Issue) -> Issue:
    place, message = _safe_place(issue.place), safe_line(issue.message)
    if place is issue.place and message == issue.message:
        return issue
    return replace(issue, place=place, message=message)


def _make_cell_safe(cell: Cell) -> None:
    lines = _safe_lines(cell.lines)
    if lines is not cell.lines:
        cell.lines = lines
        cell.text = "\n".join(lines).strip()
    if isinstance(cell.value, str):
        cell.value = safe_text(cell.value)
    cell.changes = _safe_changes(cell.changes)


def _safe_lines(lines: list[str]) -> list[str]:
    cleaned = [safe_text(line) for line in lines]
    # The same list back when nothing changed: a cell's text need not be worked out again.
    return lines if all(a is b for a, b in zip(cleaned, lines, strict=True)) else cleaned


def _safe_changes(changes: Sequence[TrackedChange]) -> Sequence[TrackedChange]:
    if not changes:
        return changes
    return [TrackedChange(c.kind, safe_text(c.text), safe_text(c.author), c.date) for c in changes]


def _describe(exc: Exception, scrub: dict[str, str]) -> str:
    """A short reason from an unexpected error: its kind and first line, never a traceback."""
    # args[0] rather than str(): a KeyError's str() is a repr that hides its newlines.
    text = (exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)).strip()
    first_line = text.splitlines()[0] if text else ""
    for private, shown in scrub.items():
        first_line = first_line.replace(private, shown)
    kind = type(exc).__name__
    return f"the reader failed on it ({kind}: {first_line})" if first_line else (
        f"the reader failed on it ({kind})")
