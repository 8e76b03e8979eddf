"""Word returns as many hands make them, read end to end (reader, layout, validation) from real files.

Builds .docx files whose XML holds each construct (tracked changes, content controls, colour-only
statuses, another partnership's layout) and checks what the officer and the Executive are told.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from docx_factory import build_docx, delete, ins, p, r, sdt, tbl, tc, tr
from lxml import etree

from pipeline.consolidate.steps import consolidate
from pipeline.normalise.status import read_status
from pipeline.records import Status
from pipeline.register import load_register
from samples.seed000 import amber_red_tasks

REGISTER = load_register()
INBOX = Path(__file__).resolve().parent.parent / "inbox"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEAD = ("Tasks", "Target", "Position", "Status", "Planned improvement/action needed and deadline")


def _consolidate(tmp_path: Path, *files: Path):  # noqa: ANN202
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    for f in files:
        shutil.move(str(f), inbox / f.name)
    return consolidate(inbox, REGISTER)


def _return_with(status_cell: str, tmp_path: Path, name: str = "stronger-communities-q4.docx") -> Path:
    body = (
        p("Stronger Communities Group")
        + tbl(
            tr(tc(p("Ref:"), p("2.1a")), tc(p("Action: Take action to increase community cohesion"))), grid=2
        )
        + tbl(
            tr(*HEAD),
            tr(
                tc(p("Arrange training for sub group members")),
                tc(p("Autumn 08")),
                tc(p("Mapping complete")),
                status_cell,
                tc(p("Arrange training by June 09")),
            ),
            grid=5,
        )
    )
    return build_docx(tmp_path / name, body)


def test_status_changed_with_tracking_on_is_read_as_changed_and_warned_about(tmp_path: Path) -> None:
    cell = tc(
        p(
            delete("GREEN", author="Jane Smith", date="2009-03-30T09:00:00Z"),
            ins(r("AMBER"), author="Jane Smith", date="2009-03-30T09:00:00Z"),
        )
    )
    result = _consolidate(tmp_path, _return_with(cell, tmp_path))
    (task,) = result.tasks
    assert task.status is Status.AMBER and task.status_text == "AMBER"
    (warning,) = [i for i in result.issues if i.code == "tracked-change"]
    assert warning.message == (
        "Status changed from 'GREEN' to 'AMBER' by Jane Smith on 2009-03-30; change not "
        "accepted. The text as changed was read."
    )
    assert warning.place.describe() == "table 2, row 2, column 4"


@pytest.mark.parametrize(
    ("cell", "status", "codes"),
    [
        (tc(sdt(p(r("Amber")), dropdown=["Green", "Amber", "Red", "Achieved"])), Status.AMBER, []),
        (
            tc(
                p(sdt(r("Red"), dropdown=["Green", "Amber", "Red", "Achieved"])),
            ),
            Status.RED,
            [],
        ),
        (
            tc(sdt(p(r("Choose a status")), dropdown=["Green", "Amber", "Red"], placeholder=True)),
            None,
            ["missing-status"],
        ),
        (tc(p(""), fill="FFC000"), Status.AMBER, ["status-from-colour"]),
        (tc(p(""), fill="C00000"), Status.RED, ["status-from-colour"]),
        (tc(p("Green"), fill="FF0000"), Status.GREEN, ["status-colour-conflict"]),
    ],
    ids=[
        "dropdown-around-cell-paragraph",
        "dropdown-inline",
        "dropdown-showing-placeholder",
        "colour-only-amber",
        "colour-only-dark-red",
        "text-and-colour-disagree",
    ],
)
def test_content_control_and_colour_statuses(
    tmp_path: Path, cell: str, status: Status | None, codes: list[str]
) -> None:
    result = _consolidate(tmp_path, _return_with(cell, tmp_path))
    (task,) = result.tasks
    assert task.status is status
    assert task.target == "Autumn 08" and task.position == "Mapping complete", "no cell shifted left"
    assert [i.code for i in result.issues] == codes


def test_cheltenham_layout_is_mapped_kept_in_full_and_warned_about(tmp_path: Path) -> None:
    head = (
        "What do we want to achieve",
        "How will we do it",
        "Who will be involved",
        "Progress to date",
        "What will success look like (links to national indicator set)",
    )
    body = (
        p("Provisional action plan - October 2007 to October 2008")
        + p("The principle of community engagement and participation")
        + p("Contact: Richard Gibson, Corporate Policy Manager")
        + tbl(
            tr(*head),
            tr(
                "We want Cheltenham to be a place where all our communities feel engaged.",
                "Develop a shared approach to consultation.",
                "All CSP partners",
                "Framework prepared.",
                "The overall outcome is to ensure communities play a full part.",
            ),
            tr(
                "",
                tc(p(r("<p>Ensure that the CSP adheres to the principles of Hear By Right.</p>"))),
                tc(p(r("<p>All CSP partners and partnerships</p>"))),
                tc(p(r("<p>CBC – signed up to the principles</p> <p>PCT – to be confirmed</p>"))),
                "",
            ),
            grid=5,
        )
        + p("The principle of tackling climate change")
        + tbl(
            tr(*head),
            tr(
                "Recognising that climate change is a key issue.",
                "Partners will embed it.",
                "Low Carbon Partnership",
                "Partnership established.",
                "Reduce emissions.",
            ),
            grid=5,
        )
    )
    result = _consolidate(tmp_path, build_docx(tmp_path / "cheltenham-action-plan.docx", body))
    tasks = result.tasks
    assert [t.task for t in tasks] == [
        "Develop a shared approach to consultation.",
        "Ensure that the CSP adheres to the principles of Hear By Right.",
        "Partners will embed it.",
    ]
    assert tasks[1].objective == "We want Cheltenham to be a place where all our communities feel engaged."
    assert tasks[1].position == "CBC – signed up to the principles\nPCT – to be confirmed"
    assert tasks[1].resources == "All CSP partners and partnerships"
    assert [t.action for t in tasks] == ["The principle of community engagement and participation"] * 2 + [
        "The principle of tackling climate change"
    ]
    assert tasks[0].measures == "The overall outcome is to ensure communities play a full part."
    assert all(t.status is None for t in tasks)
    assert Counter(i.code for i in result.issues)["no-status-column"] == 2
    assert result.reconciliation.rows_read == result.reconciliation.rows_merged == 3


def test_a_table_that_cannot_be_mapped_is_reported_with_its_headings(tmp_path: Path) -> None:
    body = tbl(
        tr("Colour", "Shape", "Size"), tr("Red", "Round", "Big"), tr("Blue", "Square", "Small"), grid=3
    )
    result = _consolidate(tmp_path, build_docx(tmp_path / "odd.docx", body))
    unmapped = [i for i in result.issues if i.code == "unmapped-table"]
    assert len(unmapped) == 1 and "'Colour', 'Shape', 'Size'" in unmapped[0].message
    rec = result.reconciliation
    assert rec.rows_in_issues == 3 and rec.rows_read == rec.rows_merged + rec.rows_in_issues


# -- Seed 000 again, with its statuses written the many ways Word allows ----------------------

_COLOURS = {Status.AMBER: "FFC000", Status.RED: "FF0000", Status.GREEN: "00B050"}


def _rewrite_statuses(path: Path) -> Counter:
    """Rewrite every Status cell of a return: by turns a tracked change from GREEN, a drop-down
    content control, and colour only (for single statuses that a colour can show)."""
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    done: Counter = Counter()
    turn = 0
    for table in root.iter(f"{{{W}}}tbl"):
        rows = table.findall(f"{{{W}}}tr")
        heads = [
            ["".join(t.text or "" for t in c.iter(f"{{{W}}}t")).strip() for c in row.findall(f"{{{W}}}tc")]
            for row in rows
        ]
        header_index = next((i for i, h in enumerate(heads) if "Status" in h or "RAG" in h), None)
        if header_index is None:
            continue
        column = heads[header_index].index("Status" if "Status" in heads[header_index] else "RAG")
        for row in rows[header_index + 1 :]:
            cell = row.findall(f"{{{W}}}tc")[column]
            text = "\n".join(
                "".join(t.text or "" for t in para.iter(f"{{{W}}}t")) for para in cell.findall(f"{{{W}}}p")
            ).strip()
            reading = read_status(text)
            if reading.status is None:
                continue
            way = ("tracked", "dropdown", "colour")[turn % 3]
            if way == "colour" and (reading.several or reading.status not in _COLOURS):
                way = "dropdown"
            if way == "dropdown" and reading.several:
                way = "tracked"
            turn += 1
            done[way] += 1
            _apply(cell, way, text, reading.status)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return done


def _apply(cell: etree._Element, way: str, text: str, status: Status) -> None:
    for para in cell.findall(f"{{{W}}}p"):
        cell.remove(para)
    if way == "tracked":
        xml = "".join(
            p(
                delete("GREEN", author="Sam Hoad", date="2009-03-30T09:00:00Z"),
                ins(r(line), author="Sam Hoad", date="2009-03-30T09:00:00Z"),
            )
            if i == 0
            else p(ins(r(line), author="Sam Hoad", date="2009-03-30T09:00:00Z"))
            for i, line in enumerate(text.splitlines())
            if line.strip()
        )
    elif way == "dropdown":
        xml = sdt(p(r(status.value)), dropdown=["Green", "Amber", "Red", "Achieved"])
    else:
        xml = p("")
        props = cell.find(f"{{{W}}}tcPr")
        if props is None:
            props = etree.SubElement(cell, f"{{{W}}}tcPr")
            cell.insert(0, props)
        for old in props.findall(f"{{{W}}}shd"):
            props.remove(old)
        shd = etree.SubElement(props, f"{{{W}}}shd")
        shd.set(f"{{{W}}}val", "clear")
        shd.set(f"{{{W}}}fill", _COLOURS[status])
    wrapper = etree.fromstring(f'<w:x xmlns:w="{W}">{xml}</w:x>'.encode())
    for element in wrapper:
        cell.append(element)


def test_seed_000_still_comes_out_whole_with_tracked_dropdown_and_colour_statuses(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(INBOX, inbox)
    ways: Counter = Counter()
    for path in sorted(inbox.glob("*.docx")):
        if not path.name.startswith("~$") and "action-plan" not in path.name:
            ways += _rewrite_statuses(path)
    assert min(ways["tracked"], ways["dropdown"], ways["colour"]) >= 4, ways
    result = consolidate(inbox, REGISTER)
    got = Counter((_flat(t.task), t.status) for t in result.exceptions)
    expected = Counter(
        (_flat(task.task), read_status(task.status).status) for _, _, task in amber_red_tasks()
    )
    assert got == expected
    by_code = Counter(i.code for i in result.issues)
    assert by_code["tracked-change"] == ways["tracked"]
    assert by_code["status-from-colour"] == ways["colour"]
    assert not by_code["missing-status"] and not by_code["unknown-status"]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_a_flat_excel_list_of_two_groups_is_consolidated_with_canonical_names(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "All tasks"
    sheet.append(["Partnership action tracker – Q4 2008/09"])
    sheet.append(["Group", "Outcome", "Ref", "Action", "Task", "Target", "Position", "RAG", "Next steps"])
    sheet.append(
        ["Stronger Communities", "2.1", "2.1a", "Cohesion", "Map activity", "June 08", "Done", "G", ""]
    )
    sheet.append(
        [
            "CYPAG",
            "3.3",
            "3.3b",
            "Teenage pregnancy",
            "Packs for young mums",
            "Sept 08",
            "In use",
            "R",
            "Reprint by May 09",
        ]
    )
    path = tmp_path / "tracker.xlsx"
    book.save(path)
    result = _consolidate(tmp_path, path)
    assert [(t.group, t.outcome, t.status) for t in result.tasks] == [
        ("Children & Young People Action Group", "3.3", Status.RED),
        ("Stronger Communities Group", "2.1", Status.GREEN),
    ]
    assert result.issues == []
