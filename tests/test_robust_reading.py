"""Nothing read is silent: content the readers skip, variants they do not read and empty task
tables each give an issue saying what to do."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl

from pipeline.consolidate.read import read_one
from pipeline.consolidate.result import SubmissionState
from pipeline.intake.scan import scan_inbox
from pipeline.register import load_register
from tests import hostile_factory as make

REGISTER = load_register()
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _read(path: Path):  # noqa: ANN202 - a FileResult
    (entry,) = [e for e in scan_inbox(path.parent) if e.path == path]
    return read_one(entry, REGISTER)


def _rewrite(source: Path, target: Path, changes: dict[str, bytes | None],
             extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename in changes:
                replaced = changes[info.filename]
                if replaced is None:
                    continue
                data = replaced
            dst.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    source.unlink()
    return target


def _messages(result) -> list[str]:  # noqa: ANN001
    data = result.data
    return [i.message for i in [*result.issues, *(data.issues if data else [])]]


def test_a_task_table_with_headers_and_no_rows_is_not_a_clean_return(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Housing group: quarterly return")
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["Tasks", "Target", "Position", "Status"], strict=True):
        cell.text = text
    document.save(str(tmp_path / "housing.docx"))
    result = _read(tmp_path / "housing.docx")
    assert result.submission.state == SubmissionState.ACCEPTED and result.submission.rows == 0
    assert [i.code for i in result.data.issues if i.code == "no-task-rows"] == ["no-task-rows"]
    assert ("The task table has its headings but no task rows, so no tasks were read from this "
            "file.") in _messages(result)


def test_a_part_pasted_in_as_a_separate_document_is_reported(tmp_path: Path) -> None:
    plain = make.plain_docx(tmp_path / "plain.docx")
    with zipfile.ZipFile(plain) as zf:
        document = zf.read("word/document.xml")
        rels = zf.read("word/_rels/document.xml.rels")
    nested = make.plain_docx(tmp_path / "nested.docx", text="A red task nobody sees").read_bytes()
    document = document.replace(b"</w:body>", b'<w:altChunk r:id="rIdChunk1"/></w:body>')
    rels = rels.replace(b"</Relationships>", (f'<Relationship Id="rIdChunk1" Type="{_REL}/aFChunk" '
                                              'Target="afchunk1.docx"/></Relationships>').encode())
    path = _rewrite(plain, tmp_path / "housing.docx",
                    {"word/document.xml": document, "word/_rels/document.xml.rels": rels},
                    {"word/afchunk1.docx": nested})
    result = _read(path)
    assert result.submission.state == SubmissionState.ACCEPTED
    assert ("The file holds a part pasted in as a separate document (altChunk), which is not read, "
            "so any tasks in it are missing.") in _messages(result)


def test_an_embedded_object_is_reported(tmp_path: Path) -> None:
    plain = make.plain_xlsx(tmp_path / "plain.xlsx")
    with zipfile.ZipFile(plain) as zf:
        assert "xl/worksheets/_rels/sheet1.xml.rels" not in zf.namelist()
    rels_xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns='
                f'"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
                f'Id="rIdObj1" Type="{_REL}/package" Target="../embeddings/a.docx"/><Relationship '
                f'Id="rIdObj2" Type="{_REL}/oleObject" Target="../embeddings/b.bin"/>'
                "</Relationships>").encode()
    path = _rewrite(plain, tmp_path / "housing.xlsx", {},
                    {"xl/worksheets/_rels/sheet1.xml.rels": rels_xml,
                     "xl/embeddings/a.docx": b"PK", "xl/embeddings/b.bin": b"\0"})
    result = _read(path)
    assert result.submission.state == SubmissionState.ACCEPTED
    assert ("The file holds 2 embedded objects (documents or sheets inside it), which are not "
            "read, so any tasks in them are missing.") in _messages(result)


def test_a_duplicate_part_is_refused(tmp_path: Path) -> None:
    import warnings

    plain = make.plain_docx(tmp_path / "plain.docx")
    with zipfile.ZipFile(plain) as zf:
        document = zf.read("word/document.xml")
    other = document.replace(b"Reduce waiting times", b"Something else")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name: that is the point
        path = _rewrite(plain, tmp_path / "housing.docx", {}, {"word/document.xml": other})
    result = _read(path)
    assert result.submission.state == SubmissionState.REJECTED
    assert result.submission.reason == "The file was refused: it holds two parts named word/document.xml."


def test_a_strict_open_xml_workbook_says_how_to_save_it(tmp_path: Path) -> None:
    plain = make.plain_xlsx(tmp_path / "plain.xlsx")
    with zipfile.ZipFile(plain) as zf:
        workbook = zf.read("xl/workbook.xml")
    strict = workbook.replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                              b"http://purl.oclc.org/ooxml/spreadsheetml/main")
    path = _rewrite(plain, tmp_path / "housing.xlsx", {"xl/workbook.xml": strict})
    result = _read(path)
    assert result.submission.state == SubmissionState.REJECTED
    assert result.submission.reason == ("This .xlsx file could not be read: it is saved as Strict "
                                        "Open XML; save it as Excel Workbook (.xlsx).")


def test_an_excel_binary_workbook_says_how_to_save_it(tmp_path: Path) -> None:
    path = tmp_path / "housing.xlsb"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
    result = _read(path)
    assert result.submission.state == SubmissionState.REJECTED
    assert result.submission.reason == ("This .xlsb file could not be read: it is an Excel binary "
                                        "workbook; save it as Excel Workbook (.xlsx).")


def test_an_office_file_named_msg_is_not_an_accepted_email(tmp_path: Path) -> None:
    from pipeline.consolidate.steps import consolidate

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    plain = make.plain_docx(tmp_path / "plain.docx")
    make.encrypted(plain, inbox / "return.msg")
    result = consolidate(inbox, REGISTER, workers=1)
    (sub,) = result.submissions
    assert sub.state == SubmissionState.REJECTED
    assert sub.reason == ("The file is named .msg but holds a file protected with a password, not "
                          "an Outlook message.")


def test_strict_detection_reads_only_the_start_of_the_workbook(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.save(tmp_path / "ok.xlsx")
    from pipeline.intake.sniff import sniff

    assert sniff(tmp_path / "ok.xlsx") == "xlsx"
    assert re.match(r"^xlsx", sniff(tmp_path / "ok.xlsx"))
