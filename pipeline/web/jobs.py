"""The consolidation the page runs: one at a time, in a background thread the page follows."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field
from enum import StrEnum

from pipeline.errors import PipelineError, os_reason
from pipeline.run import RunResult
from pipeline.web.settings import Settings

log = logging.getLogger(__name__)


class JobState(StrEnum):
    """Where a run is."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass
class Job:
    """One consolidation started from the page: its progress, then its result or why it failed."""

    started: dt.datetime
    state: JobState = JobState.RUNNING
    total: int | None = None
    """Files in the inbox to read, when they could be counted."""
    read: list[str] = field(default_factory=list)
    """The files read so far, in order."""
    run: RunResult | None = None
    error: str = ""
    restored: bool = False
    """The run was not made in this session: it is the last one the history recorded."""

    @property
    def done(self) -> int:
        """How many files have been read."""
        return len(self.read)


class Runner:
    """Starts consolidations, one at a time, and keeps the latest for the pages to show."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self.job: Job | None = None
        self.thread: threading.Thread | None = None

    @property
    def latest(self) -> RunResult | None:
        """The last consolidation that finished in this session, if any."""
        job = self.job
        return job.run if job is not None else None

    def start(self) -> Job | None:
        """Start a consolidation in the background; None when one is already running."""
        with self._lock:
            if self.job is not None and self.job.state is JobState.RUNNING:
                return None
            previous = self.job
            job = Job(started=dt.datetime.now())
            if previous is not None and previous.run is not None:
                # The pages keep showing the last good run until the new one finishes.
                job.run = previous.run
            self.job = job
        self.thread = threading.Thread(target=self._run, args=(job,), name="consolidation", daemon=True)
        self.thread.start()
        return job

    def restore(self) -> None:
        """Show the last consolidation the history recorded for the period, as if run here (once,
        when the server starts; a history that cannot be read leaves the page as it is)."""
        try:
            run = restore_last_run(self.settings)
        except PipelineError as exc:
            log.warning("the last run could not be read back: %s", exc)
            return
        with self._lock:
            if run is not None and self.job is None:
                self.job = Job(started=dt.datetime.now(), state=JobState.DONE, run=run, restored=True)

    def _run(self, job: Job) -> None:
        try:
            run = consolidate_for_page(self.settings, job)
        except PipelineError as exc:
            job.error = str(exc)
            job.state = JobState.FAILED
            return
        except Exception as exc:  # the page must say something, whatever went wrong
            log.exception("consolidation failed unexpectedly")
            job.error = (f"The consolidation stopped unexpectedly ({type(exc).__name__}: {os_reason(exc)}). "
                         "This is a bug: the server's window shows the details; send them to whoever "
                         "looks after the pipeline.")
            job.state = JobState.FAILED
            return
        job.run = run
        job.restored = False
        job.state = JobState.DONE


def restore_last_run(settings: Settings) -> RunResult | None:
    """The last recorded consolidation of the period the page works on, with its outputs."""
    from pipeline.cycle.overview import quarter_overview, restored_run

    workspace = settings.workspace()
    return restored_run(workspace, quarter_overview(workspace, settings.period))


def consolidate_for_page(settings: Settings, job: Job) -> RunResult:
    """What `pipeline consolidate --feedback` does (the open period's folder, its deadline for the
    reminders), reporting each file read to the job."""
    from pipeline.cycle.actions import plan_run
    from pipeline.intake.scan import EntryAction, scan_inbox
    from pipeline.run import run_consolidation, write_mail

    workspace = settings.workspace()
    plan = plan_run(workspace, None, settings.period)
    try:
        entries = scan_inbox(plan.inbox, exclude=plan.exclude)
        job.total = sum(1 for e in entries if e.action is EntryAction.READ)
    except OSError:
        job.total = None
    db = None if plan.sample else settings.db
    run = run_consolidation(plan.inbox, settings.out, workspace.register, period=plan.period, db=db,
                            on_file=job.read.append, exclude=plan.exclude, history_file=plan.history_file)
    write_mail(run, workspace.register, settings.out, feedback=True, deadline=plan.deadline)
    if plan.sample:
        run.notes.append(f"These are the sample returns shipped with the pipeline: they are recorded in "
                         f"{plan.history_file}, never in the partnership's history.")
    return run
