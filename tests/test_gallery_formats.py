"""Gallery: the formats returns arrive in (macro-enabled, OpenDocument, PDF) and returns from
groups the register does not know, read end to end."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from docx_factory import build_docx, p, tbl, tr
from gallery import HEAD, run
from hostile_factory import via_soffice
from pdf_factory import build_pdf, table, text
from xlsx_factory import Action, add_part, new_workbook, save, write_progress_sheet

from pipeline.consolidate.result import SubmissionState
from pipeline.records import Status

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) is not installed, so no OpenDocument file can be made",
)
ROWS = [
    tr("Map community activity", "June 08", "Mapping complete", "Green", "None needed"),
    tr("Arrange cohesion training", "Autumn 08", "Not yet arranged", "Red", "Book trainer by January 09"),
]


def _word_return(path: Path, group: str = "Stronger Communities Group") -> Path:
    body = p(group) + p("Ref: 2.1a") + p("Action: Take action to increase community cohesion")
    return build_docx(path, body + tbl(tr(*HEAD), *ROWS, grid=5))


def _macro_enabled(path: Path) -> Path:
    """Make a saved .docx a .docm: the macro-enabled content type and a VBA project."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    target = path.with_suffix(".docm")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    path.unlink()
    return target


def _tasks(gallery) -> list[tuple[str, Status | None]]:  # noqa: ANN001
    return [(t.task, t.status) for t in gallery.tasks]


EXPECTED = [("Map community activity", Status.GREEN), ("Arrange cohesion training", Status.RED)]


def test_docm_is_read_and_its_macros_noted_never_run(tmp_path: Path) -> None:
    source = _word_return(tmp_path / "stronger-communities-q4.docx")
    gallery = run(tmp_path, _macro_enabled(source))
    assert _tasks(gallery) == EXPECTED
    assert "macros-not-run" in gallery.codes()
    assert gallery.result.submissions[0].kind == "Word progress return"


def test_xlsm_is_read_and_its_macros_noted_never_run(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    ws["A1"] = "Stronger Communities Group"
    write_progress_sheet(ws, actions=[Action("2.1a", "Take action")], titles=())
    path = add_part(
        save(wb, tmp_path / "stronger-communities-q4.xlsm"), "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0"
    )
    gallery = run(tmp_path, path)
    assert len(gallery.tasks) == 4 and "macros-not-run" in gallery.codes()


@needs_soffice
def test_odt_return_is_read_through_libreoffice(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    source = _word_return(tmp_path / "src" / "stronger-communities-q4.docx")
    odt = via_soffice(source, "odt", tmp_path / "made")
    gallery = run(tmp_path, odt)
    assert _tasks(gallery) == EXPECTED
    assert "converted-file" in gallery.codes()


@needs_soffice
def test_ods_return_is_read_through_libreoffice(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Outcome 2.1")
    ws["A1"] = "Stronger Communities Group"
    write_progress_sheet(ws, actions=[Action("2.1a", "Take action")])
    (tmp_path / "src").mkdir()
    ods = via_soffice(save(wb, tmp_path / "src" / "stronger-communities-q4.xlsx"), "ods", tmp_path / "made")
    gallery = run(tmp_path, ods)
    assert [t.status for t in gallery.tasks] == [Status.AMBER, Status.AMBER, Status.GREEN, Status.RED]


def test_pdf_with_ruled_tables_is_read_and_every_row_warned(tmp_path: Path) -> None:
    path = build_pdf(
        tmp_path / "stronger-communities-q4.pdf",
        [
            text("Stronger Communities Group"),
            text("Outcome 2.1 – Communities live, work and play in peace and harmony"),
            text("Ref: 2.1a"),
            text("Action: Take action to increase community cohesion"),
            table(
                [
                    HEAD,
                    ("Map community activity", "June 08", "Mapping complete", "Green", "None needed"),
                    (
                        "Arrange cohesion training",
                        "Autumn 08",
                        "Not yet arranged",
                        "Red",
                        "Book trainer by January 09",
                    ),
                ]
            ),
        ],
    )
    gallery = run(tmp_path, path)
    assert _tasks(gallery) == EXPECTED
    (first, second) = gallery.tasks
    assert (second.target, second.position, second.planned, second.ref, second.outcome) == (
        "Autumn 08",
        "Not yet arranged",
        "Book trainer by January 09",
        "2.1a",
        "2.1",
    )
    assert second.group == "Stronger Communities Group"
    warned = gallery.issues("read-from-pdf")
    assert [w.place.describe() for w in warned] == ["table 1, row 2", "table 1, row 3"]
    assert gallery.result.submissions[0].kind == "PDF progress return"


def test_pdf_that_cannot_be_read_counts_as_received_and_asks_for_the_word_file(tmp_path: Path) -> None:
    path = build_pdf(
        tmp_path / "stronger-communities-q4.pdf",
        [text("Stronger Communities Group"), text("Please see our return.")],
    )
    gallery = run(tmp_path, path)
    (submission,) = gallery.result.submissions
    assert submission.state == SubmissionState.REJECTED
    assert submission.kind == "PDF (received, unreadable format)"
    assert submission.group == "Stronger Communities Group"
    assert "Stronger Communities Group" not in gallery.result.missing_groups
    (issue,) = gallery.issues("unreadable-pdf")
    assert issue.advice == "Please send the Word or Excel file the PDF was made from."


def test_return_from_a_group_not_in_the_register_is_kept_under_its_own_name(tmp_path: Path) -> None:
    body = p("Thematic Sub-group: Youth Forum") + p("Ref: 2.1a") + p("Action: Give young people a voice")
    path = build_docx(tmp_path / "youth-forum-q4.docx", body + tbl(tr(*HEAD), *ROWS, grid=5))
    gallery = run(tmp_path, path)
    assert _tasks(gallery) == EXPECTED
    assert {t.group for t in gallery.tasks} == {"Youth Forum"}
    (query,) = gallery.issues("group-not-in-register")
    assert query.severity.value == "query"
    assert query.message.startswith("The return is from 'Youth Forum', which is not a group in the register")
    assert gallery.result.submissions[0].group == "Youth Forum"
    assert [r["Group"] for r in gallery.tasks_sheet] == ["Youth Forum", "Youth Forum"]


def test_a_group_name_matched_only_closely_is_said_never_merged_silently(tmp_path: Path) -> None:
    gallery = run(tmp_path, _word_return(tmp_path / "return-q4.docx", group="Stronger Communitys Group"))
    assert {t.group for t in gallery.tasks} == {"Stronger Communities Group"}
    (warning,) = gallery.issues("group-name-close")
    assert warning.message == (
        "The return names its group 'Stronger Communitys Group', which is not written as in the "
        "register; it was taken as Stronger Communities Group, the closest name."
    )
