"""One error boundary: every "cannot run" failure is one plain line; text is made safe where it enters."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.errors import PipelineError
from pipeline.textsafe import (
    are_safe_texts,
    is_safe_line,
    is_safe_text,
    is_safe_text_by_class,
    safe_line,
    safe_text,
    shown_name,
)
from tests import hostile_factory as make

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "inbox" / "stronger-communities-progress-2008-09-Q4.docx"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _task_texts(master: Path) -> list[str]:
    book = openpyxl.load_workbook(master, read_only=True)
    sheet = book["Tasks"]
    return [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]


def test_a_lone_surrogate_in_a_cell_is_cleaned_and_the_run_is_recorded(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # openpyxl writes "_xD800_" as it is; reading it back decodes a lone surrogate.
    make.plain_xlsx(inbox / "housing.xlsx", text="Reduce _xD800_ waiting times")
    out = tmp_path / "out"
    code, output = _run("consolidate", "--inbox", str(inbox), "--out", str(out))
    assert code == 0, output
    assert "Traceback" not in output
    assert "Reduce \ufffd waiting times" in _task_texts(out / "master.xlsx")
    with sqlite3.connect(out / "history.sqlite") as db:
        (count,) = db.execute("select count(*) from task").fetchone()
    assert count == 1


def test_an_undecodable_file_name_is_shown_escaped(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    name = os.fsdecode(b"r\xffeturn.docx")
    make.plain_docx(inbox / name)
    out = tmp_path / "out"
    code, output = _run("consolidate", "--inbox", str(inbox), "--out", str(out))
    assert code == 0, output
    assert "  read       r\\xffeturn.docx" in output
    assert (out / "history.sqlite").exists()


def test_a_file_name_cannot_forge_a_console_line_or_reverse_one(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    forged = "x\n  read       forged.docx"
    make.plain_docx(inbox / f"{forged}.docx")
    make.plain_docx(inbox / "cod\u202eexcod.docx", text="Second task")
    code, output = _run("consolidate", "--inbox", str(inbox), "--out", str(tmp_path / "out"),
                        "--no-history")
    assert code == 0, output
    assert "\u202e" not in output
    assert "cod\\u202eexcod.docx" in output
    assert not any(line.startswith("  read       forged.docx") for line in output.splitlines())
    assert "x\\n  read       forged.docx.docx" in output


def test_a_sheet_name_with_bidi_and_control_characters_is_shown_clean_everywhere(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Outcome \u202e2.1\u2066"
    sheet.append(["Tasks", "Target", "Position", "Status", "Planned improvement"])
    sheet.append(["Recruit ten volunteers", "10", "6", "Purple", ""])
    sheet.append(["Hold four events", "4", "2", "Amber", "More by June 09"])
    for row in range(4, 20_000 + 20, 1000):  # hidden text far below: a reader issue naming the sheet
        sheet.cell(row=row, column=1, value="x")
    book.save(inbox / "stronger-communities.xlsx")
    out = tmp_path / "out"
    code, output = _run("consolidate", "--inbox", str(inbox), "--out", str(out), "--no-history")
    assert code == 0, output
    assert not any(ch in output for ch in "\u202e\u2066")
    master = openpyxl.load_workbook(out / "master.xlsx")
    texts = [str(c.value) for ws in master.worksheets for row in ws.iter_rows() for c in row
             if c.value is not None]
    assert not [t for t in texts if "\u202e" in t or "\u2066" in t]
    # The sheet is still named so the group can find it: its visible characters kept.
    assert any("'Outcome 2.1'!D2" in t for t in texts), [t for t in texts if "Outcome" in t][:5]


def test_a_corrupt_history_database_is_one_line_with_what_to_do(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy2(SAMPLE, inbox)
    out = tmp_path / "out"
    out.mkdir()
    (out / "history.sqlite").write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)
    code, output = _run("consolidate", "--inbox", str(inbox), "--out", str(out))
    assert code == 1
    assert output.startswith("Error: Cannot open the history database ")
    assert "move it aside" in output and "--no-history" in output
    assert "Traceback" not in output and len(output.strip().splitlines()) == 1


def test_a_database_damaged_after_opening_is_a_history_error(tmp_path: Path) -> None:
    from pipeline.history.store import HistoryError, history_failure, open_store

    path = tmp_path / "history.sqlite"
    with open_store(None, path) as store:
        store.periods()
    with sqlite3.connect(path) as db:
        db.execute("drop table task")
    with open_store(None, path) as store, pytest.raises(HistoryError, match="could not be read"):
        with history_failure(store.url):
            store.tasks_of("Q1 2026/27")
    assert issubclass(HistoryError, PipelineError)


def _damaged_history(out: Path) -> Path:
    """A real history with two of its tables replaced by another program's of the same names."""
    from pipeline.history.store import open_store

    path = out / "history.sqlite"
    with open_store(None, path) as store:
        store.periods()
    with sqlite3.connect(path) as db:
        for table in ("task", "reporting_period"):
            db.execute(f"drop table {table}")
            db.execute(f"create table {table}(x)")
    return path


@pytest.mark.parametrize("command", [
    ["history"], ["history", "--group", "CDRP"], ["history", "--remove", "Q1 2009/10", "--yes"],
    ["status"], ["period", "list"], ["accept", "CDRP"],
])
def test_every_command_reading_a_damaged_history_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "outputs"
    out.mkdir()
    path = _damaged_history(out)
    code, output = _run(*command, "--db", str(path))
    assert code == 1, output
    assert output.startswith(f"Error: The history database {path} could not be read or written: "
                             "no such column: "), output
    assert "move it aside" in output and "bug" not in output
    assert len(output.strip().splitlines()) == 1


def test_a_database_holding_another_programs_tables_of_the_same_names_is_refused_untouched(
    tmp_path: Path
) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("create table task(x)")
    before = path.read_bytes()
    code, output = _run("history", "--db", str(path))
    assert code == 1
    assert output.strip() == (
        f"Error: The history database {path} cannot be used: it already holds tables named task that "
        "the pipeline did not make (another program's, or a damaged history). Name another file or "
        "database with --db, or run with --no-history.")
    assert path.read_bytes() == before


def test_debug_is_accepted_after_the_command_name(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "history.sqlite").write_bytes(b"not a database at all" * 100)
    result = CliRunner().invoke(main, ["consolidate", "--inbox", str(inbox), "--out", str(out),
                                       "--debug"])
    assert result.exit_code == 1
    assert isinstance(result.exception, PipelineError), "--debug lets the exception through"
    code, output = _run("consolidate", "--inbox", str(inbox), "--out", str(out))
    assert isinstance(output, str) and code == 1 and output.startswith("Error: ")


def test_an_unexpected_error_is_one_line_naming_it_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.run

    def broken(*_args: object, **_kwargs: object) -> None:
        raise KeyError("surprise")

    monkeypatch.setattr(pipeline.run, "run_consolidation", broken)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    code, output = _run("consolidate", "--inbox", str(inbox), "--out", str(tmp_path / "out"))
    assert code == 1
    assert output.startswith("Error: The pipeline failed unexpectedly (KeyError: surprise). "
                             "This is a bug: run the same command again with --debug")
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("plain", "plain"),
        ("a\ud800b", "a\ufffdb"),
        ("bell\x07 and nul\x00", "bell and nul"),
        ("line\r\nnext\rthird", "line\nnext\nthird"),
        ("tab\tkept", "tab\tkept"),
        ("right\u202eleft\u2066x\u2069", "rightleftx"),
        ("c1\x85\x9f", "c1"),
        ("nonchar\uffff", "nonchar"),
    ],
)
def test_safe_text(text: str, safe: str) -> None:
    assert safe_text(text) == safe


_TRICKY = st.text(alphabet=st.sampled_from(
    ["a", " ", "\n", "\t", "\r", "\x00", "\x0b", "\x1c", "\x85", "\ud800", "\u202e",
     "\uffff", "é"]), max_size=12)


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(_TRICKY, max_size=4))
def test_safety_is_judged_alike_one_by_one_and_joined(texts: list[str]) -> None:
    # make_text_safe judges a whole document at once: joined, the texts must be judged as each
    # text would be on its own (by whether cleaning it would change it).
    assert is_safe_text("\n".join(texts)) == all(safe_text(t) == t for t in texts)
    assert are_safe_texts(texts) == all(safe_text(t) == t for t in texts)
    assert is_safe_line(" ".join(texts)) == all(safe_line(t) == t for t in texts)


#: Characters next to the edges of what is unsafe, in every UTF-8 length: C0, C1, the bidi
#: controls, surrogates, the non-characters, and their neighbours (the pound sign, a no-break
#: space and an en dash share their lead bytes).
_EDGES = st.text(alphabet=st.sampled_from(
    ["a", "\t", "\n", "\r", "\x00", "\x1f", " ", "\x7e", "\x7f", "\x80", "\x9f", "\xa0", "\xa3",
     "\xbf", "é", "\u2013", "\u2029", "\u202a", "\u202e", "\u202f", "\u2065", "\u2066", "\u2069",
     "\u206a", "\ud7ff", "\ud800", "\udfff", "\ue000", "\uff01", "\ufeff", "\ufffd", "\ufffe",
     "\uffff", "\U0001f600"]), max_size=8)


@settings(max_examples=500, deadline=None)
@given(text=st.one_of(_EDGES, st.text(max_size=8)))
def test_safety_judged_on_bytes_as_by_its_characters(text: str) -> None:
    # is_safe_text looks at UTF-8 bytes for speed; it must judge as the character class does.
    assert is_safe_text(text) == is_safe_text_by_class(text)


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.one_of(_EDGES, st.text(max_size=8)), max_size=6))
def test_texts_judged_together_as_each_on_its_own(texts: list[str]) -> None:
    # make_text_safe judges a return's ASCII texts apart from the others (are_safe_texts).
    assert are_safe_texts(texts) == all(is_safe_text_by_class(t) for t in texts)


def test_safety_judged_on_bytes_for_every_character() -> None:
    # The whole Basic Multilingual Plane (every unsafe character is in it), and a sample of the
    # rest, whose four UTF-8 bytes begin F0-F4.
    every = [chr(code) for code in [*range(0x10000), *range(0x10000, 0x110000, 0x3FF)]]
    differ = [hex(ord(c)) for c in every if is_safe_text(c) != is_safe_text_by_class(c)]
    assert differ == []
    differ = [hex(ord(c)) for c in every
              if are_safe_texts(["a", c, "\u2019"]) != is_safe_text_by_class(c)]
    assert differ == []


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("return.docx", "return.docx"),
        (os.fsdecode(b"r\xffeturn.docx"), "r\\xffeturn.docx"),
        ("a\nb.docx", "a\\nb.docx"),
        ("cod\u202eexcod.docx", "cod\\u202eexcod.docx"),
        ("bell\x07.docx", "bell\\x07.docx"),
    ],
)
def test_shown_name(name: str, shown: str) -> None:
    assert shown_name(name) == shown


def _can_mount_tmpfs(where: Path) -> bool:
    if shutil.which("unshare") is None or sys.platform != "linux":
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {where}"],
                           capture_output=True)
    return probe.returncode == 0


def test_a_disk_that_fills_while_writing_leaves_the_previous_outputs(tmp_path: Path) -> None:
    """A real full disk: a 4-page tmpfs as the output folder, in a private mount namespace."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy2(SAMPLE, inbox)
    small = tmp_path / "small"
    small.mkdir()
    if not _can_mount_tmpfs(small):
        pytest.skip("cannot mount a small tmpfs here (needs unshare and user namespaces)")
    previous = tmp_path / "previous"
    previous.mkdir()
    (previous / "master.xlsx").write_bytes(b"previous master")
    (previous / "exceptions.docx").write_bytes(b"previous report")
    script = (
        f"mount -t tmpfs -o size=16k tmpfs {small} && cp {previous}/* {small}/ && "
        f"{sys.executable} -m pipeline.cli consolidate --inbox {inbox} --out {small} --no-history; "
        f"echo EXIT=$?; cat {small}/master.xlsx; echo; cat {small}/exceptions.docx; echo; ls -A {small}"
    )
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True,
                          cwd=REPO, timeout=120)
    assert "EXIT=1" in done.stdout, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    error = done.stderr.strip().splitlines()
    assert len(error) == 1, done.stderr
    assert error[0].startswith("Error: Could not write master.xlsx in ")
    assert "no space left on device. Free some space on the disk" in error[0]
    assert error[0].endswith("Nothing was replaced: the previous master.xlsx, exceptions.docx and "
                             "exceptions.pdf "
                             "(if any) are as they were.")
    shown = done.stdout.splitlines()
    assert shown[1:] == ["previous master", "previous report", "exceptions.docx", "master.xlsx"]
