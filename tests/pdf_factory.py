"""Builds real PDF returns for tests: lines of text and ruled tables, as a PDF printer makes them.

A page is written by hand (Helvetica, WinAnsi encoding, ruled lines as strokes) so a test shows
exactly what the PDF holds, with no library between the test and the bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

PAGE_WIDTH, PAGE_HEIGHT = 842, 595  # A4 landscape, in points
MARGIN = 36
FONT_SIZE = 8
LINE = 10

Item = tuple[str, object]
"""("text", "a line") or ("table", rows of cell texts, each cell's lines split at newlines)."""


def text(line: str) -> Item:
    return ("text", line)


def table(rows: Sequence[Sequence[str]], *, ruled: bool = True) -> Item:
    """A table of cell texts; ``ruled=False`` sets it out by spacing alone, with no lines."""
    return ("table" if ruled else "spaced", [list(r) for r in rows])


def _escape(value: str) -> str:
    out = []
    for byte in value.encode("cp1252", errors="replace"):
        ch = chr(byte)
        if ch in "()\\":
            out.append("\\" + ch)
        elif 32 <= byte < 127:
            out.append(ch)
        else:
            out.append(f"\\{byte:03o}")
    return "".join(out)


def _show(x: float, y: float, value: str) -> str:
    return f"BT /F1 {FONT_SIZE} Tf {x:.1f} {y:.1f} Td ({_escape(value)}) Tj ET\n"


def _page(items: Sequence[Item]) -> str:
    ops = ["0.5 w\n"]
    y = PAGE_HEIGHT - MARGIN
    for kind, content in items:
        if kind == "text":
            y -= LINE + 4
            ops.append(_show(MARGIN, y, str(content)))
            continue
        rows: list[list[str]] = content  # type: ignore[assignment]
        columns = max(len(r) for r in rows)
        width = (PAGE_WIDTH - 2 * MARGIN) / columns
        y -= 6
        top = y
        edges = [top]
        for row in rows:
            height = LINE * max(1, *(len(c.split("\n")) for c in row)) + 6
            for c, cell in enumerate(row):
                for n, line in enumerate(cell.split("\n")):
                    ops.append(_show(MARGIN + c * width + 3, y - LINE - n * LINE, line))
            y -= height
            edges.append(y)
        if kind == "spaced":
            continue
        for edge in edges:
            ops.append(f"{MARGIN} {edge:.1f} m {PAGE_WIDTH - MARGIN} {edge:.1f} l S\n")
        for c in range(columns + 1):
            x = MARGIN + c * width
            ops.append(f"{x:.1f} {top:.1f} m {x:.1f} {y:.1f} l S\n")
    return "".join(ops)


def build_pdf(path: Path, *pages: Sequence[Item]) -> Path:
    """Write a PDF of the given pages, each a list of text lines and ruled tables."""
    objects: list[bytes] = []
    page_ids = [3 + 2 * i for i in range(len(pages))]
    font_id = 3 + 2 * len(pages)
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    for number, page in enumerate(pages):
        stream = _page(page).encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> "
            f"/Contents {page_ids[number] + 1} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path
