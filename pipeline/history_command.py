"""The `history` command: how tasks' statuses moved over the periods consolidated so far."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.folders import DEFAULT_HISTORY_FILE, DEFAULT_OUT

if TYPE_CHECKING:
    from pipeline.history.timeline import TimelineLine

#: Task wordings are cut to this many characters so a table of several periods fits a terminal.
TASK_WIDTH = 40
NOT_REPORTED = "-"
NO_STATUS = "no status"


@click.command("history")
@click.option("--group", metavar="NAME", help="Show only this group's tasks (its name, in any case).")
@click.option("--task", "task_text", metavar="TEXT",
              help="Show only tasks whose wording or Ref contains TEXT.")
@click.option("--db", metavar="URL", envvar="PIPELINE_HISTORY_DB",
              help="The history database, e.g. postgresql://user:password@host/name "
                   "(or set PIPELINE_HISTORY_DB); the SQLite file in --out if not given.")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help=f"Folder holding {DEFAULT_HISTORY_FILE}, used when no --db is given.")
@click.option("--periods", "list_periods", is_flag=True,
              help="List the periods recorded, with their files and tasks, instead of the tasks.")
@click.option("--remove", metavar="LABEL", help="Remove a period from the history (asks to confirm).")
@click.option("--yes", is_flag=True, help="Remove without asking (for scripts).")
def history(group: str | None, task_text: str | None, db: str | None, out: Path, list_periods: bool,
            remove: str | None, yes: bool) -> None:
    """Show each task's status in every period consolidated so far; list or remove periods."""
    from pipeline.history.store import open_store
    from pipeline.history.timeline import timeline

    default_path = out / DEFAULT_HISTORY_FILE
    if not db and not default_path.exists():
        raise click.ClickException(f"No history yet: {default_path} does not exist. Run "
                                   "'pipeline consolidate' first, or name the database with --db.")
    if list_periods or remove:
        _periods(db, default_path, remove, yes)
        return
    if group:
        from pipeline.register import load_register

        # "Stronger Communities" or "SCG" name the same group as the register's canonical name.
        match = load_register().match_group(group)
        group = match.group.name if match.group is not None else group
    # A HistoryError (a damaged or foreign database) is shown by the command line as one line.
    with open_store(db, default_path) as store:
        rows = store.group_history(group)
        recorded = store.periods()
        known = store.groups() if group and not rows else []
    if group and not rows:
        raise click.ClickException(f"No tasks are recorded for the group {group!r}. Groups recorded: "
                                   f"{', '.join(known) or 'none'}.")
    if not rows:
        click.echo("No consolidation has been recorded yet.")
        return
    periods, lines = timeline(rows)
    # Every period since the first shown, so a quarter a group sent nothing shows as '-', not as
    # a missing column.
    periods = recorded[recorded.index(periods[0]):]
    if task_text:
        wanted = task_text.casefold()
        lines = [ln for ln in lines if wanted in ln.task.casefold() or wanted in ln.ref.casefold()]
        if not lines:
            raise click.ClickException(f"No recorded task's wording or Ref contains {task_text!r}.")
    click.echo(format_table(periods, lines))


def _periods(db: str | None, default_path: Path, remove: str | None, yes: bool) -> None:
    """List the recorded periods, or remove one after confirmation."""
    from pipeline.cycle.book import CycleBook
    from pipeline.history.store import open_store
    from pipeline.periods import PeriodError, ReportingCalendar

    with open_store(db, default_path) as store:
        book = CycleBook(store)
        if remove:
            try:
                label = ReportingCalendar().parse(remove).label
            except PeriodError:
                label = remove.strip()  # a label recorded before periods were checked ('Pilot run')
            files, tasks = store.counts(label)
            if label not in store.periods() and book.period(label) is None:
                raise click.ClickException(f"There is no period {label!r} in the history; the periods "
                                           f"recorded are: {', '.join(store.periods()) or 'none'}.")
            what = f"{label} ({files} files, {tasks} tasks, and its acceptances)"
            if not yes and not click.confirm(f"Remove {what} from the history? This cannot be undone"):
                click.echo("Nothing was removed.")
                return
            book.remove_period(label)
            click.echo(f"Removed {what} from the history.")
            return
        recorded = store.periods()
        if not recorded:
            click.echo("No consolidation has been recorded yet.")
        for label in recorded:
            files, tasks = store.counts(label)
            info = book.period(label)
            state = "" if info is None else ("  closed" if info.closed_at else "  open")
            click.echo(f"{label:<12} {files:>3} files  {tasks:>5} tasks{state}")


def format_table(periods: list[str], lines: list[TimelineLine]) -> str:
    """A plain-text table: group, Ref, task, then the status in each period."""
    header = ["Group", "Ref", "Task", *periods]
    body = [[line.group, line.ref, _shorten(line.task),
             *(_status_word(line, period) for period in periods)] for line in lines]
    widths = [max(len(row[c]) for row in [header, *body]) for c in range(len(header))]
    rule = ["-" * w for w in widths]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                     for row in [header, rule, *body])


def _status_word(line: TimelineLine, period: str) -> str:
    if period not in line.statuses:
        return NOT_REPORTED
    status = line.statuses[period]
    return status.value if status else NO_STATUS


def _shorten(text: str) -> str:
    short = textwrap.shorten(text, width=TASK_WIDTH, placeholder="…")
    # shorten() gives only the placeholder when the first word alone is too long.
    return short if short != "…" else text.strip()[:TASK_WIDTH - 1] + "…"
