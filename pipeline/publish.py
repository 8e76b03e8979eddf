"""Publishing a run's outputs as one: every file replaced together, or none of them.

The outputs (master.xlsx, exceptions.docx, and whatever else a run adds to the list) are all
written into a private staging folder beside their final place first. Only when every one is
complete are they moved into place; if a move fails, the ones already moved are put back, so
the folder never holds a new master beside an old report. An output open in Excel or Word is
found before anything is written.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.consolidate.result import Consolidation
from pipeline.errors import PipelineError, os_reason
from pipeline.timings import step
from pipeline.workdirs import make_work_dir, remove_stale_work_dirs, work_dir

if TYPE_CHECKING:
    from pipeline.side_process import SideProcess

MASTER = "master.xlsx"
REPORT = "exceptions.docx"
PDF = "exceptions.pdf"
#: The outputs a consolidation publishes together, in the order they are written.
OUTPUTS: tuple[str, ...] = (MASTER, REPORT, PDF)

#: Writes one output to the path it is given (a file in the staging folder). A writer that
#: returns False could not make its (optional) output: it is not published, and a previous
#: one of that name is removed so it is never taken for this run's.
Writer = Callable[[Path], Any]

_APPS = {".xlsx": "Excel", ".xlsm": "Excel", ".docx": "Word", ".pdf": "your PDF viewer"}


class OutputError(PipelineError):
    """The outputs cannot be written (the folder is missing, read-only or full, or a file is open)."""


def ensure_output_folder(out: Path, names: Sequence[str] = OUTPUTS) -> None:
    """Before a run reads anything: the output folder exists, can be written, and no output is open.

    Staging folders left by a killed run are removed here.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = make_work_dir("probe", out, hidden=True)
        probe.rmdir()
    except OSError as exc:
        raise OutputError(f"Cannot write to the output folder {out}: {os_reason(exc)}. "
                          "Choose another folder with --out.") from exc
    remove_stale_work_dirs(out)
    check_not_open(out, names)


def check_not_open(out: Path, names: Sequence[str]) -> None:
    """Refuse, before anything is written, when an output is open in Excel or Word or read-only."""
    for name in names:
        app = _APPS.get(Path(name).suffix.lower(), "the program that has it open")
        for lock in _lock_names(name):
            if (out / lock).exists():
                raise OutputError(f"{name} in {out} is open in {app} (its lock file {lock} is "
                                  f"beside it): close {name} in {app}, then run again. Nothing "
                                  "was written.")
        target = out / name
        if target.exists() and not _writable(target):
            raise OutputError(f"{target} cannot be replaced: it is read-only or open in {app}. "
                              f"Close {name} in {app} (or make it writable), then run again. "
                              "Nothing was written.")


class Handoff:
    """Work the child of a writer alongside does first, before its writer's own (`SideProcess`'s
    `first`), whose result another writer takes (`take`): work that writer would otherwise do
    itself, done on the child's core. None where no child did it (no child here, the work
    failed, the child died): the taker then does that work its own way."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self.work = work
        self._side: SideProcess | None = None

    def started(self, side: SideProcess) -> None:
        """The child that does the work (`publish` starts it)."""
        self._side = side

    def take(self) -> Any:
        """What the work returned in the child, waiting for it; None where no child did it."""
        return self._side.first_result() if self._side is not None else None


def publish(out: Path, writers: Sequence[tuple[str, Writer]], *, alongside: Sequence[str] = (),
            then: Mapping[str, Callable[[Any], object]] | None = None,
            handoffs: Mapping[str, Handoff] | None = None) -> list[Path]:
    """Write every output with its writer, then replace the previous ones together or not at all.

    The writers named in `alongside` start at once in a child process (`side_process`) and are
    waited for when their turn in `writers` comes, so a writer after one of them (the PDF after
    the report) still finds its file written; `handoffs` names, for one of them, work its child
    does first for another writer to take. `then` names, for a writer, what is done in this
    process with what it returned (the count of what it wrote, checked here) before the next one
    is waited for. Returns the paths written. On any failure raises OutputError saying exactly
    which outputs were replaced (none, unless putting the old ones back failed too).
    """
    from pipeline.side_process import SideProcess

    names = [name for name, _ in writers]
    afterwards = then or {}
    ensure_output_folder(out, names)
    try:
        staging = make_work_dir("outputs", out, hidden=True)
    except OSError as exc:
        raise OutputError(f"Cannot write to the output folder {out}: {os_reason(exc)}. "
                          "Choose another folder with --out.") from exc
    skipped: list[str] = []
    started: dict[str, SideProcess] = {}
    handed = handoffs or {}
    try:
        for name, write in writers:
            if name in alongside:
                handoff = handed.get(name)
                started[name] = SideProcess(functools.partial(write, staging / name),
                                            first=handoff.work if handoff is not None else None)
                if handoff is not None:
                    handoff.started(started[name])
        for name, write in writers:
            try:
                side = started.pop(name, None)
                value = side.result() if side is not None else write(staging / name)
                if name in afterwards:
                    afterwards[name](value)
                if value is False:
                    skipped.append(name)
            except PipelineError as exc:
                raise OutputError(f"Could not write {name}: {exc} {_unchanged(names)}") from exc
            except Exception as exc:
                if not _is_write_failure(exc):
                    raise
                _release_open_zips(exc)
                raise OutputError(f"Could not write {name} in {out}: {os_reason(exc)}. "
                                  f"{_advice(exc, out)} {_unchanged(names)}") from exc
        written = _replace_all(staging, out, [n for n in names if n not in skipped])
        for name in skipped:
            (out / name).unlink(missing_ok=True)
        return written
    finally:
        for side in started.values():
            side.cancel()
        shutil.rmtree(staging, ignore_errors=True)


@dataclass(frozen=True)
class AfterReport:
    """Work for the report's child process once the report is written (while this process is
    still writing the workbook), and what this process does with what it returned. The work must
    not raise: what it cannot do, it says in what it returns."""

    work: Callable[[], Any]
    received: Callable[[Any], object]


def write_outputs(result: Consolidation, out: Path, notes: list[str] | None = None, *,
                  pdf: bool = True, after_report: AfterReport | None = None) -> list[Path]:
    """Write master.xlsx, exceptions.docx and (with `pdf`) exceptions.pdf into `out`, replacing
    the previous ones as one. The PDF needs LibreOffice: when it cannot be made, why and what to
    do is added to `notes` and the other two are published without it. Without `pdf` a previous
    PDF is removed all the same: it belonged to the outputs it came with. `after_report` is done
    by the report's writer once the report is written; before the report, that child writes a
    large run's Issues rows for the workbook to take (`master.write_issue_rows`)."""
    from pipeline.report.master import (
        IssueRows,
        issue_rows_apart_worthwhile,
        write_issue_rows,
        write_master,
    )

    def write_pdf(path: Path) -> bool:
        if not pdf:
            return False
        from pipeline.report.pdf import too_long, write_pdf

        with step("pdf"):
            why = too_long(len(result.exceptions)) or write_pdf(path.parent / REPORT, path)
        if why and notes is not None:
            notes.append(why)
        return not why

    handoff: Handoff | None = None  # made below, when the Issues rows are written apart

    def master(path: Path) -> None:
        with step("workbook"):  # counts the rows it wrote into the reconciliation
            write_master(result, path, issue_rows=handoff.take if handoff is not None else None)
        result.reconciliation.check()

    def issue_rows(folder: Path) -> IssueRows:
        # In the report's child, before the report: the workbook's Issues rows, on the core the
        # workbook leaves idle, written into a folder of this process's.
        with step("issue rows (alongside)"):
            return write_issue_rows(result.issues, folder)

    def report(path: Path) -> tuple[int, Any]:
        # In a child process while this one writes the workbook; imported there too: python-docx
        # and the report's modules load (0.15 s of CPU) alongside the workbook, not before it.
        with step("report (alongside)"):
            from pipeline.report.exceptions_report import write_exceptions

            count = write_exceptions(result, path)
        return count, after_report.work() if after_report is not None else None

    def listed(written: tuple[int, Any]) -> None:
        # The tasks the report's tables hold, counted as they were written, sent back and checked here.
        count, after = written
        result.reconciliation.exceptions_listed = count
        result.reconciliation.check()
        if after_report is not None:
            after_report.received(after)

    writers = [(MASTER, master), (REPORT, report), (PDF, write_pdf)]
    if not issue_rows_apart_worthwhile(result):
        # Checked before anything is published: a reconciliation that fails replaces no output.
        return publish(out, writers, alongside=[REPORT], then={REPORT: listed})
    with work_dir("issue-rows") as folder:
        handoff = Handoff(functools.partial(issue_rows, folder))
        return publish(out, writers, alongside=[REPORT], then={REPORT: listed},
                       handoffs={REPORT: handoff})


def _replace_all(staging: Path, out: Path, names: list[str]) -> list[Path]:
    backups: dict[str, Path | None] = {}
    for name in names:
        target = out / name
        try:
            backups[name] = _keep_previous(target, staging)
            os.replace(staging / name, target)
        except OSError as exc:
            backups.setdefault(name, None)
            moved_back = _put_back(out, names[: names.index(name)], backups)
            app = _APPS.get(target.suffix.lower(), "another program")
            reason = (f"Could not replace {target}: {os_reason(exc)} (is it open in {app}? close "
                      "it, then run again).")
            if moved_back:
                raise OutputError(f"{reason} {_unchanged(names)}") from exc
            done = [n for n in names[: names.index(name)]]
            raise OutputError(f"{reason} Only {', '.join(done)} {_was(done)} replaced, and the "
                              f"previous {_was_one(done)} could not be put back; "
                              f"{', '.join(n for n in names if n not in done)} "
                              f"{_was(names[len(done):])} not. Run again once it is closed.") from exc
    return [out / name for name in names]


def _keep_previous(target: Path, staging: Path) -> Path | None:
    """A copy of the output about to be replaced (a hard link where the disk allows), or None."""
    if not target.exists():
        return None
    backup = staging / f".previous-{target.name}"
    try:
        os.link(target, backup)
    except OSError:
        shutil.copy2(target, backup)
    return backup


def _put_back(out: Path, replaced: list[str], backups: dict[str, Path | None]) -> bool:
    """Undo the replacements already made; True when every previous output is back."""
    ok = True
    for name in replaced:
        backup = backups.get(name)
        try:
            if backup is None:
                (out / name).unlink(missing_ok=True)
            else:
                os.replace(backup, out / name)
        except OSError:
            ok = False
    return ok


def _unchanged(names: Sequence[str]) -> str:
    listed = " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Nothing was replaced: the previous {listed} (if any) are as they were."


def _was(names: Sequence[str]) -> str:
    return "was" if len(names) == 1 else "were"


def _was_one(names: Sequence[str]) -> str:
    return "one" if len(names) == 1 else "ones"


def _lock_names(name: str) -> list[str]:
    # Excel's lock file is "~$" + the name; Word's drops the first one or two characters of a
    # long name ("~$ceptions.docx"); LibreOffice's is ".~lock.NAME#".
    return [f"~${name}", f"~${name[1:]}", f"~${name[2:]}", f".~lock.{name}#"]


def _writable(path: Path) -> bool:
    if not os.access(path, os.W_OK):
        return False
    try:
        # Opening for update without writing changes nothing, and fails where the file is locked.
        with open(path, "r+b"):
            return True
    except OSError:
        return False


def _is_write_failure(exc: BaseException) -> bool:
    """A failure of the disk or of text encoding, rather than a bug in a writer."""
    if isinstance(exc, (OSError, UnicodeError)):
        return True
    try:
        from xlsxwriter.exceptions import XlsxWriterException
    except ImportError:  # pragma: no cover - xlsxwriter is a dependency
        return False
    # FileCreateError is not an OSError: it is how xlsxwriter reports a full or read-only disk.
    return isinstance(exc, XlsxWriterException)


def _release_open_zips(exc: BaseException) -> None:
    """Close, quietly, a zip a writer left open when the disk failed under it.

    xlsxwriter keeps its ZipFile in a local variable: left alone, its finaliser tries to write
    the zip's directory again at exit and prints a second error with a traceback.
    """
    import zipfile

    for error in (exc, exc.__cause__, exc.__context__):
        trace = error.__traceback__ if error is not None else None
        while trace is not None:
            for value in list(trace.tb_frame.f_locals.values()):
                if isinstance(value, zipfile.ZipFile):
                    with contextlib.suppress(Exception):
                        value.close()
            trace = trace.tb_next


def _advice(exc: BaseException, out: Path) -> str:
    number = getattr(exc, "errno", None) or getattr(exc.__cause__ or exc.__context__, "errno", None)
    if number in (errno.ENOSPC, errno.EDQUOT):
        return f"Free some space on the disk holding {out}, or choose another folder with --out."
    if number in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Check that you may write in {out}, or choose another folder with --out."
    if isinstance(exc, UnicodeError):
        return "This is a bug: please report it with the inbox that caused it."
    return "Choose another folder with --out, or run again."
