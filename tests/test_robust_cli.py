"""Inputs never changed, outputs never read back; the CLI takes what people type, and says what it
refuses and why."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.folders import database_path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "inbox" / "stronger-communities-progress-2008-09-Q4.docx"


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy2(SAMPLE, inbox)
    return inbox


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_out_as_the_inbox_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    before = _snapshot(inbox)
    code, output = _run("consolidate", "--inbox", str(inbox), "--out", str(inbox))
    assert code == 1
    assert output.strip().splitlines() == [
        f"Error: The output folder {inbox} is the inbox: the outputs would be read back as returns "
        "next time. Choose another folder with --out (outside the inbox)."
    ]
    assert _snapshot(inbox) == before


def test_out_inside_the_inbox_is_refused(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    before = _snapshot(inbox)
    code, output = _run("consolidate", "--inbox", str(inbox), "--out", str(inbox / "results"))
    assert code == 1
    assert output.startswith(f"Error: The output folder {inbox / 'results'} is inside the inbox "
                             f"{inbox}: ")
    assert _snapshot(inbox) == before and not (inbox / "results").exists()


def test_an_inbox_inside_the_output_folder_is_refused(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    code, output = _run("consolidate", "--inbox", str(inbox), "--out", str(tmp_path))
    assert code == 1
    assert output.startswith(f"Error: The inbox {inbox} is inside the output folder {tmp_path}: ")


@pytest.mark.parametrize("form", ["url", "path"])
def test_a_history_database_in_the_inbox_is_refused_and_no_file_is_touched(
    tmp_path: Path, form: str
) -> None:
    inbox = _inbox(tmp_path)
    target = inbox / SAMPLE.name  # a real return: it must never become a database
    before = _snapshot(inbox)
    db = f"sqlite:///{target}" if form == "url" else str(target)
    code, output = _run("consolidate", "--inbox", str(inbox), "--out", str(tmp_path / "out"),
                        "--db", db)
    assert code == 1
    assert output.startswith(f"Error: The history database {target} is inside the inbox {inbox}: ")
    assert _snapshot(inbox) == before


def test_db_takes_a_plain_path(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    db = tmp_path / "records" / "history.sqlite"
    code, output = _run("consolidate", "--inbox", str(inbox), "--out", str(tmp_path / "out"),
                        "--db", str(db))
    assert code == 0, output
    with sqlite3.connect(db) as connection:
        (periods,) = connection.execute("select count(*) from period").fetchone()
    assert periods == 1
    assert not (tmp_path / "out" / "history.sqlite").exists()


@pytest.mark.parametrize(
    ("db", "path"),
    [("history.sqlite", "history.sqlite"), ("sqlite:///rel/h.sqlite", "rel/h.sqlite"),
     ("sqlite:////abs/h.sqlite", "/abs/h.sqlite"), ("sqlite+pysqlite:////abs/h.sqlite?timeout=5",
                                                     "/abs/h.sqlite"),
     ("postgresql://u@host/db", None), ("sqlite://", None), ("", None)],
)
def test_database_path(db: str, path: str | None) -> None:
    assert database_path(db) == (Path(path) if path is not None else None)


def test_an_inbox_that_is_a_file_says_so(tmp_path: Path) -> None:
    code, output = _run("consolidate", "--inbox", str(SAMPLE), "--out", str(tmp_path / "out"))
    assert code == 1
    assert output.strip().splitlines() == [
        f"Error: The inbox {SAMPLE} is a file, not a folder: name the folder that holds the "
        "returns with --inbox."
    ]


def _next_year() -> int:
    return dt.date.today().year + 1


@pytest.mark.parametrize(
    "written",
    ["31/12/{y}", "{y}-12-31", "31 Dec {y}", "31 December {y}", "31st December {y}", "31-12-{y}",
     "31.12.{y}", "31 dec {y}"],
)
def test_deadline_takes_the_usual_date_forms(tmp_path: Path, written: str) -> None:
    inbox = _inbox(tmp_path)
    out = tmp_path / "out"
    code, output = _run("consolidate", "--inbox", str(inbox), "--out", str(out), "--no-history",
                        "--deadline", written.format(y=_next_year()))
    assert code == 0, output
    reminder = (out / "reminders" / "cdrp.eml").read_text()
    assert f"31 December {_next_year()}" in reminder


def test_a_deadline_in_the_past_is_refused_saying_so(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    code, output = _run("consolidate", "--inbox", str(inbox), "--out", str(tmp_path / "out"),
                        "--deadline", "31/12/2020")
    assert code == 2
    today = dt.date.today()
    assert (f"Invalid value for '--deadline': 31 Dec 2020 is in the past (today is "
            f"{today:%d %b %Y}): give the date missing returns are now due by, or add --overdue "
            "to write overdue notices for a deadline that has passed.") in " ".join(output.split())
    assert not (tmp_path / "out").exists()


def test_a_past_deadline_is_taken_with_overdue(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    out = tmp_path / "out"
    code, output = _run("consolidate", "--inbox", str(inbox), "--out", str(out), "--no-history",
                        "--deadline", "31/12/2020", "--overdue")
    assert code == 0, output
    assert "overdue" in (out / "reminders" / "cdrp.eml").read_text().lower()
    code, output = _run("consolidate", "--inbox", str(inbox), "--out", str(out), "--overdue")
    assert code == 2
    assert "give the deadline that has passed with --deadline DATE." in output


def test_a_deadline_that_is_no_date_says_which_forms_work(tmp_path: Path) -> None:
    code, output = _run("consolidate", "--deadline", "next friday")
    assert code == 2
    assert ("Invalid value for '--deadline': 'next friday' is not a date: write it as 31/12/2026, "
            "2026-12-31 or 31 Dec 2026.") in output
