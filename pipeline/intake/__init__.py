"""Intake: list the inbox, tell what each file really is, refuse hostile ones, open the rest.

- `scan`: every file in the inbox, marked read or skip (lock files, system files, other types).
- `sniff`: a file's format from its content (never its extension), and whether it has macros.
- `safety` / `prolog`: zip-bomb limits from the zip directory; DOCTYPEs refused in XML parts.
- `convert`: .doc, .xls, .rtf, .odt and .ods to .docx/.xlsx with LibreOffice.
- `open`: the whole sequence for one file, ending in a reader or a rejection with its issue.
"""

from pipeline.intake.convert import convert_with_libreoffice
from pipeline.intake.open import OpenedReturn, open_return
from pipeline.intake.safety import check_xml_parts, check_zip
from pipeline.intake.scan import InboxEntry, scan_inbox
from pipeline.intake.sniff import has_macros, sniff

__all__ = [
    "InboxEntry",
    "OpenedReturn",
    "check_xml_parts",
    "check_zip",
    "convert_with_libreoffice",
    "has_macros",
    "open_return",
    "scan_inbox",
    "sniff",
]
