"""Outputs published as one, an open output found first, and nothing left behind by a killed run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from consolidation_factory import make_consolidation

import pipeline.publish as publish_module
from pipeline.publish import OutputError, ensure_output_folder, publish, write_outputs
from pipeline.workdirs import make_work_dir, remove_stale_work_dirs

REPO = Path(__file__).resolve().parent.parent


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    out = tmp_path / "outputs"
    write_outputs(make_consolidation(), out)
    return out


@pytest.mark.parametrize(
    ("lock", "app", "name"),
    [("~$master.xlsx", "Excel", "master.xlsx"), ("~$ceptions.docx", "Word", "exceptions.docx"),
     (".~lock.master.xlsx#", "Excel", "master.xlsx")],
)
def test_an_output_open_in_office_is_found_before_anything_is_written(
    previous: Path, lock: str, app: str, name: str
) -> None:
    (previous / lock).write_bytes(b"\x05officer")
    before = _contents(previous)
    with pytest.raises(OutputError) as caught:
        ensure_output_folder(previous)
    assert str(caught.value) == (
        f"{name} in {previous} is open in {app} (its lock file {lock} is beside it): close {name} "
        f"in {app}, then run again. Nothing was written."
    )
    with pytest.raises(OutputError, match=f"close {name} in {app}, then run again"):
        write_outputs(make_consolidation(), previous)
    assert _contents(previous) == before


def test_a_read_only_output_is_found_before_anything_is_written(previous: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write a read-only file")
    (previous / "exceptions.docx").chmod(0o444)
    before = _contents(previous)
    with pytest.raises(OutputError, match="exceptions.docx cannot be replaced: it is read-only"):
        write_outputs(make_consolidation(), previous)
    assert _contents(previous) == before


def test_a_failed_replace_puts_back_what_was_already_replaced(
    previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _contents(previous)
    real_replace = os.replace

    def locked_report(src: object, dst: object) -> None:
        # As Windows does when Word holds the file: the rename onto it is refused.
        if Path(str(dst)) == previous / "exceptions.docx":
            raise PermissionError(13, "Permission denied")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(publish_module.os, "replace", locked_report)
    with pytest.raises(OutputError) as caught:
        write_outputs(make_consolidation(), previous)
    message = str(caught.value)
    assert message.startswith(f"Could not replace {previous / 'exceptions.docx'}: permission denied "
                              "(is it open in Word? close it, then run again).")
    assert message.endswith("Nothing was replaced: the previous master.xlsx, exceptions.docx and "
                             "exceptions.pdf "
                            "(if any) are as they were.")
    assert _contents(previous) == before, "master.xlsx was put back"


def test_publish_takes_any_list_of_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    written = publish(out, [("a.txt", lambda p: p.write_text("A")),
                            ("b.pdf", lambda p: p.write_text("B")),
                            ("c.docx", lambda p: p.write_text("C"))])
    assert written == [out / "a.txt", out / "b.pdf", out / "c.docx"]
    assert _contents(out) == {"a.txt": b"A", "b.pdf": b"B", "c.docx": b"C"}

    def fails(path: Path) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError) as caught:
        publish(out, [("a.txt", lambda p: p.write_text("new A")), ("b.pdf", fails),
                      ("c.docx", lambda p: p.write_text("new C"))])
    assert str(caught.value).endswith(
        "Nothing was replaced: the previous a.txt, b.pdf and c.docx (if any) are as they were.")
    assert _contents(out) == {"a.txt": b"A", "b.pdf": b"B", "c.docx": b"C"}


def test_a_bug_in_a_writer_is_not_called_a_disk_failure(tmp_path: Path) -> None:
    def buggy(path: Path) -> None:
        raise KeyError("field")

    with pytest.raises(KeyError):
        publish(tmp_path / "out", [("a.txt", buggy)])
    assert list((tmp_path / "out").iterdir()) == []


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_staging_folders_of_a_killed_run_are_removed_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dead = out / f".writing-{_dead_pid()}-outputs-abc"
    dead.mkdir()
    (dead / "master.xlsx").write_bytes(b"half")
    mine = make_work_dir("outputs", out, hidden=True)
    unrelated = out / "pipeline notes"
    unrelated.mkdir()
    ensure_output_folder(out)
    assert not dead.exists()
    assert mine.exists(), "a live run's staging folder is left alone"
    assert unrelated.exists()


def test_a_killed_run_leaves_nothing_the_next_run_does_not_remove(tmp_path: Path) -> None:
    """A real run killed while it works: its temp folder goes at the next run's start."""
    script = (
        "import time; from pipeline.workdirs import make_work_dir;"
        f"d = make_work_dir('mail', __import__('pathlib').Path({str(tmp_path)!r}));"
        "(d / 'attachment.docx').write_bytes(b'x'); print(d, flush=True); time.sleep(60)"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                             cwd=REPO)
    assert child.stdout is not None
    left = Path(child.stdout.readline().strip())
    assert remove_stale_work_dirs(tmp_path) == [] and left.exists(), "alive: kept"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert remove_stale_work_dirs(tmp_path) == [left]
    assert not left.exists()


def test_the_reading_work_folders_are_named_after_the_run(tmp_path: Path) -> None:
    folder = make_work_dir("read")
    try:
        assert folder.parent == Path(tempfile.gettempdir())
        assert folder.name.startswith(f"pipeline-{os.getpid()}-read-")
    finally:
        folder.rmdir()


def _wait_for(folder: Path, pattern: str, seconds: float = 60) -> list[Path]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = sorted(folder.rglob(pattern))
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"nothing matching {pattern} appeared in {folder}")


def test_a_real_run_killed_while_reading_leaves_nothing_behind_after_the_next(tmp_path: Path) -> None:
    """`pipeline consolidate` killed while it reads an e-mail's attachments: its temp folders go
    at the next run, which reads the same inbox in full."""
    from mail_factory import DOCX_TYPE, File, eml, write
    from test_limits import empty_paragraphs_docx

    inbox, out, temp = tmp_path / "inbox", tmp_path / "out", tmp_path / "temp"
    temp.mkdir()
    sample = REPO / "inbox" / "cdrp-progress-2008-09-Q4.docx"
    write(inbox / "cdrp.eml", eml(File("cdrp.docx", sample.read_bytes(), DOCX_TYPE)))
    empty_paragraphs_docx(inbox / "slow.docx", count=450_000)
    (inbox / "plain-slow.docx").unlink()
    env = {**os.environ, "TMPDIR": str(temp)}
    command = [sys.executable, "-m", "pipeline.cli", "consolidate", "--inbox", str(inbox), "--out",
               str(out), "--no-history"]
    run = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        left = _wait_for(temp, f"pipeline-{run.pid}-mail-*")
    finally:
        run.kill()
        run.wait()
    assert all(p.exists() for p in left), "the killed run left its folders (or the test is moot)"
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "cdrp.eml/cdrp.docx" in done.stdout
    assert list(temp.iterdir()) == [], "the next run removed what the killed one left"


_KILLED_WHILE_WRITING = """
import sys, time
from pathlib import Path
from pipeline.publish import publish
from pipeline.atomic import atomic_output
from pipeline.workdirs import make_work_dir

out = Path(sys.argv[1])

def slow(path: Path) -> None:
    # Half-way through writing: the master workbook's scratch folder, a draft being written.
    make_work_dir("master")
    with atomic_output(out / "reminders" / "cdrp.eml") as draft:
        draft.write_bytes(b"half a message")
        path.write_bytes(b"half a workbook")
        print("writing", flush=True)
        time.sleep(120)

(out / "reminders").mkdir(parents=True)
publish(out, [("master.xlsx", slow)])
"""


def test_a_run_killed_while_writing_leaves_nothing_the_next_run_keeps(tmp_path: Path) -> None:
    out, temp, inbox = tmp_path / "out", tmp_path / "temp", tmp_path / "inbox"
    temp.mkdir()
    inbox.mkdir()
    (inbox / "cdrp.docx").write_bytes((REPO / "inbox" / "cdrp-progress-2008-09-Q4.docx").read_bytes())
    env = {**os.environ, "TMPDIR": str(temp)}
    killed = subprocess.Popen([sys.executable, "-c", _KILLED_WHILE_WRITING, str(out)], cwd=REPO, env=env,
                              stdout=subprocess.PIPE, text=True)
    assert killed.stdout is not None
    try:
        assert killed.stdout.readline().strip() == "writing"
    finally:
        killed.kill()
        killed.wait()
    left = [*out.glob(".writing-*"), *(out / "reminders").glob(".writing-*"), *temp.iterdir()]
    assert len(left) == 3, left
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "consolidate", "--inbox", str(inbox),
                           "--out", str(out), "--no-history"], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not [p for p in left if p.exists()], "the next run removed every staging file and folder"
    assert (out / "master.xlsx").stat().st_size > 1000 and (out / "reminders").is_dir()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has ended; only its exit status waits to be collected.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False
