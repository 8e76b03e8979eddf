"""The sample inbox: a rebuild gives what is committed, and each seed-000 task is in it once."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tc
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook

from samples.green_tasks import GREEN_TASKS
from samples.returns import (
    LOCK_FILE,
    PLANNING_RETURN,
    RETURNS,
    SUMMARY_MISMATCH,
    OutcomeSummary,
    ReturnSpec,
    tasks_in_return,
)
from samples.seed000 import amber_red_tasks

REPO = Path(__file__).resolve().parent.parent
INBOX = REPO / "inbox"
FILE_NAMES = sorted([spec.file_name for spec in RETURNS] + [PLANNING_RETURN, LOCK_FILE, ".sample-returns"])


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_inbox", REPO / "scripts" / "build_inbox.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The inbox rebuilt into a temporary folder, by file name."""
    out = tmp_path_factory.mktemp("inbox")
    return {path.name: path for path in _builder().build(out)}


def _cell_text(tc: CT_Tc, table: Table) -> str:
    return "\n".join(p.text for p in _Cell(tc, table).paragraphs)


def _docx_content(path: Path) -> list[tuple]:
    """Paragraphs and tables in order (each w:tc once, with span, merge and fill), and dates."""
    doc = Document(str(path))
    blocks: list[tuple] = []
    for element in doc.element.body.iterchildren():
        if element.tag == qn("w:p"):
            blocks.append(("paragraph", Paragraph(element, doc).text))
        elif element.tag == qn("w:tbl"):
            table = Table(element, doc)
            rows = tuple(
                tuple(
                    (
                        _cell_text(tc, table),
                        tc.grid_span,
                        tc.vMerge,
                        tuple(tc.xpath("./w:tcPr/w:shd/@w:fill")),
                    )
                    for tc in tr.iter(qn("w:tc"))
                )
                for tr in element.iter(qn("w:tr"))
            )
            blocks.append(("table", rows))
    props = doc.core_properties
    blocks.append(("properties", props.author, props.title, props.created, props.modified))
    return blocks


def _xlsx_content(path: Path) -> list[tuple]:
    """Each sheet's state, merges, drop-downs and values, and the workbook's dates."""
    wb = load_workbook(path)
    sheets: list[tuple] = []
    for ws in wb.worksheets:
        values = tuple(
            (cell.coordinate, cell.value, bool(cell.alignment.wrap_text))
            for row in ws.iter_rows()
            for cell in row
            if cell.value is not None
        )
        validations = tuple(
            (dv.type, dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation
        )
        merges = tuple(sorted(str(r) for r in ws.merged_cells.ranges))
        sheets.append((ws.title, ws.sheet_state, merges, validations, values))
    sheets.append(("properties", wb.properties.created, wb.properties.modified))
    return sheets


def _content(path: Path) -> object:
    if path.suffix == ".docx" and not path.name.startswith("~$"):
        return _docx_content(path)
    if path.suffix == ".xlsx":
        return _xlsx_content(path)
    return path.read_bytes()


def _all_cell_texts(paths: list[Path]) -> Counter[str]:
    """How often each text fills a whole table cell, across the returns."""
    texts: Counter[str] = Counter()
    for path in paths:
        if path.suffix == ".xlsx":
            for ws in load_workbook(path).worksheets:
                for row in ws.iter_rows():
                    texts.update(str(c.value) for c in row if c.value is not None)
        elif path.suffix == ".docx" and not path.name.startswith("~$"):
            doc = Document(str(path))
            for table in doc.tables:
                texts.update(_cell_text(tc, table) for tc in table._tbl.iter(qn("w:tc")))
    return texts


def test_builder_writes_the_expected_files(built: dict[str, Path]) -> None:
    assert sorted(built) == FILE_NAMES


@pytest.mark.parametrize("name", FILE_NAMES)
def test_committed_file_matches_a_rebuild(built: dict[str, Path], name: str) -> None:
    committed = INBOX / name
    assert committed.exists(), f"{name} is missing: run uv run python scripts/build_inbox.py"
    assert _content(committed) == _content(built[name]), (
        f"inbox/{name} is stale: run uv run python scripts/build_inbox.py and commit it"
    )


@pytest.fixture(scope="module")
def cell_texts(built: dict[str, Path]) -> Counter[str]:
    return _all_cell_texts(list(built.values()))


@pytest.mark.parametrize(
    "group, task",
    [(group.name, task.task) for group, _, task in amber_red_tasks()],
    ids=[f"{group.name[:12]}-{i}" for i, (group, _, _) in enumerate(amber_red_tasks())],
)
def test_each_amber_red_task_is_in_the_returns_once(cell_texts: Counter[str], group: str, task: str) -> None:
    assert cell_texts[task] == 1


def test_each_green_task_is_in_the_returns_once(cell_texts: Counter[str]) -> None:
    for extras in GREEN_TASKS.values():
        for extra in extras:
            assert cell_texts[extra.task.task] == 1, extra.task.task


def _counted(spec_summary: OutcomeSummary, group_name: str) -> tuple[int, int, int, int]:
    """Tasks under the outcome, each once under its worst status, Achieved as Green."""
    spec = next(s for s in RETURNS if s.group.name == group_name)
    colours: Counter[str] = Counter()
    for index, action in enumerate(spec.group.actions):
        if action.outcome != spec_summary.outcome:
            continue
        for task in tasks_in_return(spec.group, index):
            words = set(task.status.upper().split())
            colours["red" if "RED" in words else "amber" if "AMBER" in words else "green"] += 1
    return colours["green"], colours["amber"], colours["red"], sum(colours.values())


@pytest.mark.parametrize("spec", RETURNS, ids=[s.file_name for s in RETURNS])
def test_summaries_agree_with_tasks_but_in_one_return(spec: ReturnSpec) -> None:
    for summary in spec.summaries:
        declared = tuple(n or 0 for n in (summary.green, summary.amber, summary.red, summary.total))
        counted = _counted(summary, spec.group.name)
        if spec.file_name == SUMMARY_MISMATCH:
            assert declared != counted
        else:
            assert declared == counted, summary.outcome
