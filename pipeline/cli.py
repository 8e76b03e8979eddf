"""The command line: thin commands over the library, with messages a partnership officer can act on."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

# Each run after the first starts from compiled bytecode, even where the environment says not
# to write it (PYTHONDONTWRITEBYTECODE, set on these machines): compiling pandas, pandera,
# SQLAlchemy and our own modules again costs seconds on every run (see pyproject.toml).
sys.dont_write_bytecode = False

from pipeline import __version__  # noqa: E402
from pipeline.cli_dates import DateParam  # noqa: E402
from pipeline.folders import DEFAULT_INBOX, DEFAULT_OUT  # noqa: E402


class _Failure(click.ClickException):
    """A run that could not happen, shown as one line (the traceback only with --debug)."""

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.secho(f"Error: {self.format_message()}", err=True, fg="red")


class _Pipeline(click.Group):
    """The command group, and the one place a "cannot run" error becomes a line of text."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # --debug anywhere on the line (before or after the command), never after a bare "--".
        end = args.index("--") if "--" in args else len(args)
        if "--debug" in args[:end]:
            args = ["--debug", *(a for i, a in enumerate(args) if i >= end or a != "--debug")]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        from pipeline.errors import PipelineError

        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except PipelineError as exc:
            if ctx.params.get("debug"):
                raise
            raise _Failure(str(exc)) from exc
        except KeyboardInterrupt:
            raise _Failure("Stopped (Ctrl+C). The previous outputs were left as they were.") from None
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            from pipeline.errors import os_reason

            raise _Failure(
                f"The pipeline failed unexpectedly ({type(exc).__name__}: {os_reason(exc)}). "
                "This is a bug: run the same command again with --debug and send what it "
                "prints to whoever looks after the pipeline."
            ) from exc


@click.group(cls=_Pipeline, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pipeline")
@click.option("--debug", is_flag=True,
              help="Show the full traceback when something fails (accepted anywhere on the line).")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Collect a partnership's action-plan returns and make the Executive's report."""
    ctx.obj = {"debug": debug}
    if debug:
        import logging

        # A file rejected for an unexpected reason is logged with its traceback at this level.
        logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
        logging.getLogger("pipeline").setLevel(logging.DEBUG)  # ours, not every library's


@main.command()
@click.option(
    "--inbox",
    type=click.Path(path_type=Path),
    help="Folder holding the returns as they arrived (default: the open period's folder in inbox/, "
    "else inbox/ itself).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Folder to write master.xlsx and exceptions.docx into.",
)
@click.option(
    "--period",
    metavar="LABEL",
    help='The period reported on, e.g. "Q2 2008/09"; taken from the returns\' dates if not given.',
)
@click.option(
    "--register",
    "register_path",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="The groups-and-outcomes register (TOML); the built-in Gloucester one if not given.",
)
@click.option(
    "--db",
    metavar="PATH|URL",
    envvar="PIPELINE_HISTORY_DB",
    help="History database: a SQLite file's path, or a URL such as postgresql://user@host/db "
    "(default: OUT/history.sqlite).",
)
@click.option("--no-history", is_flag=True, help="Do not compare with or record into the history.")
@click.option(
    "--pdf",
    is_flag=True,
    help="Also make exceptions.pdf with LibreOffice, the board pack as it prints (a few seconds "
    "more; without it a previous PDF is removed, never left beside new outputs).",
)
@click.option(
    "--feedback",
    is_flag=True,
    help="Also write a ready-to-send reply to each group that sent a return (OUT/feedback/).",
)
@click.option(
    "--deadline",
    type=DateParam(),
    metavar="DATE",
    help="The date reminders ask missing returns by: 31/12/2026, 2026-12-31 or 31 Dec 2026 "
    "(default: the register's reminder_days from today).",
)
@click.option(
    "--overdue",
    is_flag=True,
    help="The --deadline given has already passed: write overdue notices, not requests.",
)
@click.option(
    "--from",
    "sender",
    metavar="ADDRESS",
    help="The address reminders and feedback are sent from (default: the register's officer).",
)
@click.option("--workers", type=click.IntRange(1, 64), help="Processes to read with (default: one per core).")
@click.pass_context
def consolidate(
    ctx: click.Context,
    inbox: Path,
    out: Path,
    period: str | None,
    register_path: Path | None,
    db: str | None,
    no_history: bool,
    pdf: bool,
    feedback: bool,
    deadline: dt.date | None,
    overdue: bool,
    sender: str | None,
    workers: int | None,
) -> None:
    """Read every return in the inbox and write the master workbook and the exceptions report."""
    _check_deadline(deadline, overdue)
    from pipeline.preload import load_validation
    from pipeline.side_process import StandbyProcess

    # Forked before the rest loads: pandas and pandera load in this child, on the other core,
    # while this process loads the register and the history and reads; a small run is
    # validated there (`run_consolidation`).
    standby = StandbyProcess(load_validation)
    try:
        from pipeline.console import print_account, progress_reader
        from pipeline.cycle.actions import plan_run
        from pipeline.cycle.workspace import Workspace
        from pipeline.folders import check_apart
        from pipeline.register import load_register
        from pipeline.run import run_consolidation, write_mail

        named_inbox = inbox if inbox is not None else DEFAULT_INBOX
        if named_inbox.is_dir():  # before anything opens the database: it may not be in the inbox
            check_apart(named_inbox, out, None if no_history else db)
        register = load_register(register_path)
        workspace = Workspace(register, DEFAULT_INBOX, out, db)
        plan = plan_run(workspace, inbox, period, history=not no_history)
        with progress_reader(plan.inbox) as on_file:
            run = run_consolidation(
                plan.inbox,
                out,
                register,
                period=plan.period,
                db=None if plan.sample else db,
                history=not no_history,
                on_file=on_file,
                workers=workers,
                exclude=plan.exclude,
                history_file=plan.history_file,
                pdf=pdf,
                standby=standby,
            )
    finally:
        standby.close()
    if not pdf:
        run.notes.append(f"No PDF this time: pipeline consolidate --pdf also makes {out / 'exceptions.pdf'} "
                         "for the board.")
    write_mail(
        run,
        register,
        out,
        feedback=feedback,
        sender=sender,
        deadline=deadline or plan.deadline,
    )
    print_account(run)
    if plan.sample and not no_history:
        click.echo(f"These are the sample returns shipped with the pipeline: they are recorded in "
                   f"{plan.history_file}, never in the partnership's history. To start a real "
                   'quarter: pipeline period open "Q1 2009/10" (see the README).')


def _check_deadline(deadline: dt.date | None, overdue: bool) -> None:
    """A deadline in the past is a slip unless --overdue says it is meant; said before any work."""
    today = dt.date.today()
    if deadline is not None and deadline < today and not overdue:
        raise click.BadParameter(
            f"{deadline:%d %b %Y} is in the past (today is {today:%d %b %Y}): give the date "
            "missing returns are now due by, or add --overdue to write overdue notices for a "
            "deadline that has passed.", param_hint="'--deadline'")
    if overdue and (deadline is None or deadline >= today):
        raise click.BadParameter("give the deadline that has passed with --deadline DATE.",
                                 param_hint="'--overdue'")


def _add_commands() -> None:
    # Each command module imports only click at load time; its work is imported when it runs.
    from pipeline.cycle_command import COMMANDS as CYCLE_COMMANDS
    from pipeline.fetch_command import fetch
    from pipeline.history_command import history
    from pipeline.send_command import send
    from pipeline.serve_command import serve
    from pipeline.template_command import template

    for command in (*CYCLE_COMMANDS, template, fetch, send, history, serve):
        main.add_command(command)


_add_commands()


def entry_point() -> None:
    """The installed `pipeline` command: `main`, with the test-only libraries kept out of a run
    and the collector tuned for it.

    pandera imports hypothesis whenever it is installed (as it is in a development environment,
    for the tests), only to offer data synthesis, which a run never uses: 0.1-0.2 s of every
    consolidation. Marking it absent makes a run in a fresh clone load what an installed
    pipeline loads. The tests call `main` itself, where hypothesis is theirs to use.
    """
    from pipeline.heap import collect_young_less_often

    sys.modules.setdefault("hypothesis", None)  # type: ignore[arg-type]
    # A run's objects mostly live to its end: the collector need not look at them so often.
    collect_young_less_often()
    try:
        main()
    finally:
        # A run leaves a large heap; freezing it before exit spares the interpreter from walking
        # it again at shutdown (about half a second after a consolidation). Here and not in
        # `main`, so that a command run in-process (the tests) leaves the collector as it was.
        import gc

        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    entry_point()
