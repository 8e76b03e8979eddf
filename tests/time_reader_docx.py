"""Timing check to run by hand (not a test): read_docx against bare unzip + lxml parse.

    uv run python tests/time_reader_docx.py [reads]

Builds a return of 3 tables x 11 rows x 5 columns and prints the milliseconds per file of each.
The reader should stay within about 3x the bare parse.
"""

from __future__ import annotations

import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from docx.document import Document
from docx_factory import build_docx

from pipeline.readers.docx import read_docx
from pipeline.xmlsafe import parse_part


def _return(document: Document) -> None:
    for number in range(3):
        document.add_paragraph(f"Outcome: 2.{number + 1} Communities live, work and play")
        table = document.add_table(rows=11, cols=5)
        for column, heading in enumerate(["Tasks", "Target", "Position", "Status", "Planned"]):
            table.cell(0, column).text = heading
        for row in range(1, 11):
            cells = table.rows[row].cells
            cells[0].text = f"{chr(96 + row)}) Ensure partners have a shared understanding"
            cells[1].text = "Map of activity – June 08; training for sub group members Autumn 08"
            cells[2].text = "Mapping complete. Training yet to be arranged"
            cells[2].add_paragraph("GAVCA and GARAS exploring pilot activity")
            cells[3].text = ("AMBER", "GREEN", "RED")[row % 3]
            cells[4].text = "Finalise action plan by October 08"


def _per_read_ms(action: Callable[[], object], reads: int) -> float:
    action()  # warm up imports and caches
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(reads):
            action()
        best = min(best, (time.perf_counter() - start) / reads * 1000)
    return best


def _bare_parse(path: Path) -> object:
    with zipfile.ZipFile(path) as package:
        return parse_part(package.read("word/document.xml"), "word/document.xml")


def main(reads: int = 200) -> None:
    """Print ms per read for read_docx and for the bare unzip + parse of document.xml."""
    with tempfile.TemporaryDirectory() as folder:
        path = build_docx(Path(folder) / "timing.docx", make=_return)
        reader = _per_read_ms(lambda: read_docx(path, "timing.docx"), reads)
        bare = _per_read_ms(lambda: _bare_parse(path), reads)
    print(f"read_docx:            {reader:.3f} ms per file")
    print(f"zipfile + lxml parse: {bare:.3f} ms per file")
    print(f"ratio:                {reader / bare:.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
