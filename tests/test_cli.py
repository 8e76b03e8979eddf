"""The command line as the officer uses it: exact messages, exit codes, help text."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import main

INBOX = Path(__file__).resolve().parent.parent / "inbox"


def _inbox(tmp_path: Path, *names: str) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in names:
        shutil.copy2(INBOX / name, inbox / name)
    return inbox


def test_consolidate_prints_the_account_of_the_run(tmp_path: Path) -> None:
    inbox = _inbox(
        tmp_path, "stronger-communities-progress-2008-09-Q4.docx", "~$cdrp-progress-2008-09-Q4.docx"
    )
    (inbox / "broken.docx").write_bytes(b"PK\x03\x04 this is not a whole zip")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["consolidate", "--inbox", str(inbox), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Period: Q4 2008/09"
    assert any(
        line.split() == ["REJECTED", "broken.docx", *line.split()[2:]] and "cannot" in line for line in lines
    )
    assert any(
        line.startswith("  read       stronger-communities-progress-2008-09-Q4.docx")
        and "Stronger Communities Group · Word progress return · 11 rows" in line
        for line in lines
    )
    assert any(line.startswith("  skipped    ~$cdrp-progress-2008-09-Q4.docx") for line in lines)
    assert (
        "No return from: Crime and Disorder Reduction Partnership; Economic Development Coordination Group; "
        "Healthy City Partnership; Children & Young People Action Group"
    ) in lines
    assert lines[-1] == (
        "Files: 3 found, 1 read, 1 rejected, 1 skipped. Task rows: 11 read, 11 written. "
        "Exceptions (amber/red): 8."
    )
    assert (out / "master.xlsx").stat().st_size > 0 and (out / "exceptions.docx").stat().st_size > 0
    assert "Returns for Q4 2008/09:" in lines
    assert any(line.split()[:4] == ["Stronger", "Communities", "Group", "received:"] for line in lines)
    missing = [line for line in lines if "MISSING" in line]
    assert len(missing) == 4 and all("(reminder: " in line and line.endswith(".eml)") for line in missing)
    assert sorted(p.name for p in (out / "reminders").iterdir()) == [
        "cdrp.eml",
        "cypag.eml",
        "edcg.eml",
        "healthy-city.eml",
    ]
    assert f"Reminders ready to send: 4 in {out / 'reminders'}" in lines
    assert not (out / "feedback").exists()
    # The PDF is made only when asked (it takes LibreOffice seconds): the console says how.
    assert not (out / "exceptions.pdf").exists()
    assert (f"No PDF this time: pipeline consolidate --pdf also makes {out / 'exceptions.pdf'} "
            "for the board.") in lines


def test_feedback_flag_writes_a_reply_per_group_that_sent_a_return(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path, "stronger-communities-progress-2008-09-Q4.docx", "cdrp-progress-2008-09-Q4.docx")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "consolidate",
            "--inbox",
            str(inbox),
            "--out",
            str(out),
            "--feedback",
            "--from",
            "officer@example.org",
            "--deadline",
            f"{dt.date.today().year + 1}-04-17",
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "feedback").iterdir()) == ["cdrp.eml", "stronger-communities.eml"]
    reminder = (out / "reminders" / "healthy-city.eml").read_text()
    assert "officer@example.org" in reminder and "17" in reminder


def test_missing_inbox_is_a_one_line_error_and_a_failure(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["consolidate", "--inbox", str(tmp_path / "nope"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: The inbox folder {tmp_path / 'nope'} does not exist. Create it and put the returns in it, "
        "or name another folder with --inbox."
    ]


def test_unwritable_output_fails_and_leaves_nothing_half_written(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path, "cdrp-progress-2008-09-Q4.docx")
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be")
    result = CliRunner().invoke(main, ["consolidate", "--inbox", str(inbox), "--out", str(blocker)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot write to the output folder")
    assert blocker.read_text() == "a file where the output folder should be"


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((prefix + name, command))
        if isinstance(command, click.Group):
            found += _commands(command, prefix + name + " ")
    return found


@pytest.mark.parametrize(("name", "command"), _commands(main))
def test_every_command_and_option_has_help(name: str, command: click.Command) -> None:
    assert command.help, f"{name} has no help text"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts} has no help text"


def test_the_command_line_starts_without_loading_heavy_libraries() -> None:
    """`pipeline --help` stays instant: the heavy libraries load only when a command runs."""
    import subprocess
    import sys

    heavy = (
        "sqlalchemy",
        "alembic",
        "pandas",
        "pandera",
        "docx",
        "openpyxl",
        "xlsxwriter",
        "lxml",
        "rich",
        "rapidfuzz",
        "extract_msg",
    )
    code = f"import sys, pipeline.cli; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == ""


@pytest.mark.parametrize(("options", "database"), [(["--no-history"], ""), ([], " sqlalchemy")],
                         ids=["no-history", "history"])
def test_a_small_run_loads_neither_pandas_nor_the_test_libraries_in_its_own_process(
    tmp_path: Path, options: list[str], database: str
) -> None:
    """The installed command loads pandas and pandera in the child that stands by from the start
    to check a small run (about a second of CPU, on the other core); python-docx and the report's
    modules while the returns are read, when this process only waits (the report's child,
    forked from it, starts with them); never hypothesis, which pandera would import only to
    offer data synthesis (0.1-0.2 s); not openpyxl, which the fast Excel reader does without
    (0.1 s); and, without history, not SQLAlchemy (0.25 s): the tracker and the Trend sheet
    need only plain records."""
    import subprocess
    import sys

    out = tmp_path / "out"
    code = ("import sys, pipeline.cli\n"
            f"sys.argv = ['pipeline', 'consolidate', '--inbox', {str(INBOX)!r}, '--out', {str(out)!r}, "
            f"*{options!r}]\n"
            "try:\n    pipeline.cli.entry_point()\n"
            "except SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
            "import gc\nprint(gc.get_freeze_count() > 0, gc.get_threshold()[0])\n"
            "print(' '.join(m for m in ('docx', 'pipeline.report.exceptions_report', 'hypothesis', "
            "'openpyxl', 'sqlalchemy', 'pandas', 'pandera', 'numpy') if sys.modules.get(m) is not None))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Problems: 1 error (to correct), 19 queries" in run.stdout, "pandera's checks still run"
    # The heap frozen before exit, the youngest generation collected less often; the shipped
    # Excel return read without openpyxl; no database library without history.
    assert run.stdout.splitlines()[-2:] == ["True 2000", "docx pipeline.report.exceptions_report" + database]
    assert (out / "exceptions.docx").is_file() and (out / "master.xlsx").is_file()


def test_the_installed_command_is_the_entry_point() -> None:
    from importlib.metadata import entry_points

    [command] = [e for e in entry_points(group="console_scripts") if e.name == "pipeline"]
    assert command.value == "pipeline.cli:entry_point"


def test_a_group_whose_only_return_was_rejected_is_told_apart_from_a_missing_one(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path, "stronger-communities-progress-2008-09-Q4.docx")
    (inbox / "healthy-city-q4.docx").write_bytes(b"%PDF-1.4 a PDF saved with the wrong name")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["consolidate", "--inbox", str(inbox), "--out", str(out), "--no-history"]
    )
    healthy = next(
        line for line in result.output.splitlines() if line.startswith("  Healthy City Partnership")
    )
    assert "NOT READ: healthy-city-q4.docx rejected, see above" in healthy
    assert "1 row" not in result.output.replace("11 rows", "")
