"""Builds realistic Excel returns with openpyxl (and xlsxwriter where openpyxl cannot) for tests.

The content is the partnership's own (seed 001, the Stronger Communities Group's return); the
layouts are the ones groups actually send: title rows, a merged Ref row, a header, task rows,
blank spacer rows, one sheet per outcome. Helpers at the end patch a saved package's parts to
make what no library writes on purpose: cached formula values, lying dimensions, damage.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

HEADERS = ("Tasks", "Target", "Position", "Status",
           "Planned improvement/action needed and deadline")

TASKS_2_1: tuple[tuple[str, ...], ...] = (
    ("a) Ensure partners have a shared understanding of community cohesion and integration",
     "Map of activity – June 08; training to be arranged for sub group members Autumn 08",
     "Mapping complete. Training yet to be arranged", "AMBER", "Arrange training."),
    ("b) Ensure new and emerging communities have improved access to services",
     "Establish priorities with countywide survey – Sept 08;develop action plan",
     "Connections made with county work; GAVCA and GARAS exploring pilot activity", "AMBER",
     "Finalise action plan by October 08\n\nInvite GARAS to next meeting"),
    ("c) Build resilience:\n* to violent extremism\n* to extreme events e.g. flooding",
     "* Police & community partnership approach established – pilot projects\n"
     "* Establish neighbourhood emergency plans",
     "Pilot projects underway; new appointment of PREVENT PC underway to lead on this work",
     "GREEN", "* Future updates to build on process to be planned"),
    ("d) Work to help community organisations be more representative of their communities",
     "Establish a mechanism for capacity building in diversity and inclusion.",
     "Extend training piloted by CCCP with Trafford.", "RED",
     "Revised wording on task – as discussed. Group to review and decide target next mtg"),
)


@dataclass
class Action:
    """One Ref/Action block of a progress return and its task rows (no Ref rows when ref is None)."""

    ref: str | None
    action: str
    tasks: Sequence[Sequence[object]] = TASKS_2_1


@dataclass
class Layout:
    """Row numbers where the factory put things, for tests to check against."""

    title_rows: list[int] = field(default_factory=list)
    ref_rows: list[int] = field(default_factory=list)
    header_rows: list[int] = field(default_factory=list)
    task_rows: list[int] = field(default_factory=list)
    spacer_rows: list[int] = field(default_factory=list)


def new_workbook() -> Workbook:
    """A workbook with no sheets, so each test names its own."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def put(ws: Worksheet, row: int, column: int, value: object) -> None:
    """Write a value; text beginning with '=' stays text instead of becoming a formula."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    if isinstance(value, str) and "\n" in value:
        cell.alignment = Alignment(wrap_text=True)


def write_progress_sheet(ws: Worksheet, *, titles: Sequence[str] = (),
                         actions: Sequence[Action] = (), spacer_rows: int = 1,
                         merge_refs: bool = True) -> Layout:
    """Write seed 001's layout: title rows, then per action a Ref row, an Action row, the header
    and the tasks, actions separated by blank spacer rows."""
    layout = Layout()
    r = 1
    for title in titles:
        put(ws, r, 1, title)
        layout.title_rows.append(r)
        r += 1
    if titles:
        layout.spacer_rows.append(r)
        r += 1
    width = len(HEADERS)
    for number, action in enumerate(actions):
        if number:
            for _ in range(spacer_rows):
                layout.spacer_rows.append(r)
                r += 1
        ref_rows = () if action.ref is None else (f"Ref: {action.ref}", f"Action: {action.action}")
        for text in ref_rows:
            put(ws, r, 1, text)
            if merge_refs:
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            layout.ref_rows.append(r)
            r += 1
        for c, header in enumerate(HEADERS, start=1):
            put(ws, r, c, header)
        layout.header_rows.append(r)
        r += 1
        for task in action.tasks:
            for c, value in enumerate(task, start=1):
                put(ws, r, c, value)
            layout.task_rows.append(r)
            r += 1
    return layout


def write_rows(ws: Worksheet, rows: Sequence[Sequence[object]], first_row: int = 1) -> None:
    """Write plain rows of values from column A."""
    for r, values in enumerate(rows, start=first_row):
        for c, value in enumerate(values, start=1):
            if value is not None:
                put(ws, r, c, value)


def write_lookup_sheet(ws: Worksheet) -> None:
    """A drop-down source list as templates hide them: statuses and groups, no headers."""
    write_rows(ws, [("Green", "Stronger Communities Group"),
                    ("Amber", "Healthy City Partnership"),
                    ("Red", "Economic Development Coordination Group"),
                    ("Achieved", None)])


def save(workbook: Workbook, path: Path) -> Path:
    """Save and return the path, so a test reads `read_xlsx(save(wb, p), ...)`."""
    workbook.save(path)
    return path


def sheet_part(index: int) -> str:
    """The part openpyxl writes the index-th sheet (0-based) to."""
    return f"xl/worksheets/sheet{index + 1}.xml"


def rewrite_part(path: Path, part: str, edit: Callable[[bytes], bytes]) -> Path:
    """Replace one part of a saved package with edit(its bytes), keeping every other part."""
    with zipfile.ZipFile(path) as zf:
        contents = {info.filename: zf.read(info) for info in zf.infolist()}
    contents[part] = edit(contents[part])
    _write_zip(path, contents)
    return path


def add_part(path: Path, part: str, data: bytes) -> Path:
    """Add a part to a saved package (a vbaProject.bin, say)."""
    with zipfile.ZipFile(path) as zf:
        contents = {info.filename: zf.read(info) for info in zf.infolist()}
    contents[part] = data
    _write_zip(path, contents)
    return path


def remove_part(path: Path, part: str) -> Path:
    """Drop a part from a saved package, as a broken e-mail client might."""
    with zipfile.ZipFile(path) as zf:
        contents = {info.filename: zf.read(info) for info in zf.infolist() if info.filename != part}
    _write_zip(path, contents)
    return path


def _write_zip(path: Path, contents: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in contents.items():
            zf.writestr(name, data)
