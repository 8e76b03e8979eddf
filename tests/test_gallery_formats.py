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
    assert [w.place.describe() for w in warned] == ["page 1, table 1, row 2", "page 1, table 1, row 3"]
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
    assert not gallery.issues("unknown-group"), "said once per return, not on every row"


def test_a_group_name_matched_only_closely_is_said_never_merged_silently(tmp_path: Path) -> None:
    gallery = run(tmp_path, _word_return(tmp_path / "return-q4.docx", group="Stronger Communitys Group"))
    assert {t.group for t in gallery.tasks} == {"Stronger Communities Group"}
    (warning,) = gallery.issues("group-name-close")
    assert warning.message == (
        "The return names its group 'Stronger Communitys Group', which is not written as in the "
        "register; it was taken as Stronger Communities Group, the closest name."
    )


def _unnamed_return(path: Path, title: str = "") -> Path:
    """A return with no Group: line: its group is named only by its title, if at all."""
    body = (p(title) if title else "") + p("Ref: 2.1a") + p("Action: Give young people a voice")
    return build_docx(path, body + tbl(tr(*HEAD), *ROWS, grid=5))


def _one_query_no_row_warnings(gallery, name: str) -> None:  # noqa: ANN001
    assert {t.group for t in gallery.tasks} == {name}
    (query,) = gallery.issues("group-not-in-register")
    assert query.message.startswith(f"The return is from '{name}', which is not a group")
    assert not gallery.issues("unknown-group"), "said once per return, not on every row"
    (read,) = [s for s in gallery.result.submissions if s.file.endswith((".docx", ".xlsx"))]
    assert read.group == name


def test_group_not_in_register_named_in_the_title_is_kept_and_queried_once(tmp_path: Path) -> None:
    path = _unnamed_return(tmp_path / "return.docx", "Green Spaces Forum – quarterly return Q4 2008/09")
    gallery = run(tmp_path, path)
    assert _tasks(gallery) == EXPECTED
    _one_query_no_row_warnings(gallery, "Green Spaces Forum")


def test_group_not_in_register_named_in_the_file_name(tmp_path: Path) -> None:
    gallery = run(tmp_path, _unnamed_return(tmp_path / "older-peoples-forum_q4.docx"))
    _one_query_no_row_warnings(gallery, "Older Peoples Forum")


def test_group_not_in_register_named_by_the_e_mail_it_came_in(tmp_path: Path) -> None:
    from mail_factory import DOCX_TYPE, File, eml, write

    attachment = _unnamed_return(tmp_path / "return.docx").read_bytes()
    message = eml(File("return.docx", attachment, DOCX_TYPE),
                  sender="Allotments Network <allotments@example.org>", subject="Our return")
    gallery = run(tmp_path, write(tmp_path / "our-return.eml", message))
    _one_query_no_row_warnings(gallery, "Allotments Network")


def test_return_naming_no_group_at_all_is_queried_once(tmp_path: Path) -> None:
    path = _unnamed_return(tmp_path / "return.docx",
                           "Gloucester Partnership – Thematic Sub-Group Performance Reporting")
    gallery = run(tmp_path, path)
    assert _tasks(gallery) == EXPECTED
    (query,) = gallery.issues("no-group-named")
    assert query.severity.value == "query" and query.place.describe() == "whole file"
    assert not gallery.issues("unknown-group") and not gallery.issues("group-not-in-register")


def test_pdf_places_name_their_page(tmp_path: Path) -> None:
    first = [text("Stronger Communities Group"), text("Ref: 2.1a"), text("Action: Take action"),
             table([HEAD, ("Map community activity", "June 08", "Mapping complete", "Green", "None")])]
    second = [table([HEAD, ("Arrange cohesion training", "Autumn 08", "Not yet arranged", "Red",
                            "Book trainer by January 09")])]
    gallery = run(tmp_path, build_pdf(tmp_path / "stronger-communities-q4.pdf", first, second))
    assert _tasks(gallery) == EXPECTED
    assert [t.place.describe() for t in gallery.tasks] == ["page 1, table 1, row 2",
                                                           "page 2, table 2, row 2"]
    red = gallery.tasks[1]
    assert red.place_of("status").describe() == "page 2, table 2, row 2, column 4"
    assert [w.place.page for w in gallery.issues("read-from-pdf")] == [1, 2]


def test_pdf_table_set_out_by_spacing_alone_is_refused_saying_why(tmp_path: Path) -> None:
    rows = [HEAD, ("Map community activity", "June 08", "Mapping complete", "Green", "None needed"),
            ("Arrange cohesion training\nfor all members", "Autumn 08", "Not yet arranged", "Red",
             "Book trainer by\nJanuary 09")]
    path = build_pdf(tmp_path / "stronger-communities-q4.pdf",
                     [text("Stronger Communities Group"), table(rows, ruled=False)])
    gallery = run(tmp_path, path)
    (submission,) = gallery.result.submissions
    assert submission.kind == "PDF (received, unreadable format)"
    assert "Stronger Communities Group" not in gallery.result.missing_groups
    (issue,) = gallery.issues("unreadable-pdf")
    assert "its task table has no ruled lines, so its columns cannot be told apart safely" in issue.message
    assert issue.advice == "Please send the Word or Excel file the PDF was made from."


def test_group_not_in_register_named_by_its_excel_sheet(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.create_sheet("Allotments Network")
    for c, heading in enumerate(HEAD, start=1):
        ws.cell(1, c, heading)
    for c, value in enumerate(("Open two new sites", "March 09", "One open", "Amber",
                               "Second site by June 09"), start=1):
        ws.cell(2, c, value)
    gallery = run(tmp_path, save(wb, tmp_path / "return-q4.xlsx"))
    assert [(t.task, t.status) for t in gallery.tasks] == [("Open two new sites", Status.AMBER)]
    _one_query_no_row_warnings(gallery, "Allotments Network")
