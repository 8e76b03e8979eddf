"""What the officer sees on the console: a progress bar while reading, then the account of the run."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.consolidate.result import Consolidation, Submission, SubmissionState
from pipeline.limits import CONSOLE_LINES_PER_STATE
from pipeline.textsafe import shown_name

if TYPE_CHECKING:
    from pipeline.outbox.reminders import SentReminder
    from pipeline.run import RunResult

_MARK = {SubmissionState.ACCEPTED: "read", SubmissionState.REJECTED: "REJECTED",
         SubmissionState.SKIPPED: "skipped", SubmissionState.SUPERSEDED: "superseded",
         SubmissionState.HELD_BACK: "HELD BACK"}
#: File names longer than this are not padded to: one long name never widens every line.
_NAME_WIDTH = 60
_COLOUR = {SubmissionState.ACCEPTED: "green", SubmissionState.REJECTED: "red",
           SubmissionState.SKIPPED: "bright_black", SubmissionState.SUPERSEDED: "yellow",
           SubmissionState.HELD_BACK: "yellow"}


@contextmanager
def progress_reader(inbox: Path) -> Iterator[Callable[[str], None]]:
    """A progress bar on standard error showing the file being read; silent when not a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from pipeline.intake.scan import EntryAction, scan_inbox

    try:
        total = sum(1 for e in scan_inbox(inbox) if e.action is EntryAction.READ)
    except OSError:
        total = None
    console = Console(stderr=True)
    with Progress(TextColumn("Reading"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.description}"), console=console, transient=True,
                  disable=not console.is_terminal) as progress:
        task = progress.add_task("", total=total)

        def on_file(name: str) -> None:
            progress.update(task, advance=1, description=name)

        yield on_file


def print_account(run: RunResult) -> None:
    """Print what was read, rejected and skipped, each group's return, the problems and the reconciliation."""
    result, written = run.result, run.written
    echo = click.echo
    echo(f"Period: {result.period}")
    echo("")
    width = min(max((len(s.file) for s in result.submissions), default=10), _NAME_WIDTH)
    per_state: Counter[SubmissionState] = Counter()
    for sub in result.submissions:
        per_state[sub.state] += 1
        if per_state[sub.state] > CONSOLE_LINES_PER_STATE:
            continue  # a huge inbox is summed up below, not printed line by line
        mark = click.style(f"{_MARK[sub.state]:<10}", fg=_COLOUR[sub.state])
        if sub.state == SubmissionState.ACCEPTED:
            detail = f"{sub.group or 'group not recognised'} · {sub.kind} · {_plural(sub.rows, 'row')}"
        else:
            detail = sub.reason
        echo(f"  {mark} {_one_line(sub.file):<{width}}  {_one_line(detail)}")
    for state, count in per_state.items():
        if count > CONSOLE_LINES_PER_STATE:
            more = count - CONSOLE_LINES_PER_STATE
            echo(f"  … and {more:,} more {_MARK[state].lower()} "
                 f"{'file' if more == 1 else 'files'}, each listed in the Submissions sheet.")
    if not result.submissions:
        echo("  The inbox holds no files.")
    echo("")
    for line in group_lines(result, run.reminders, run.reminders_recently_sent):
        echo(line)
    if result.missing_groups:
        echo(click.style("No return from: ", fg="yellow") + "; ".join(result.missing_groups))
    else:
        echo("Every group has sent its return.")
    counts = Counter(i.severity.value for i in result.issues)
    explained = sum(1 for i in result.issues if i.severity.value == "query" and i.explanation)
    if result.issues:
        echo(f"Problems: {_plural(counts['error'], 'error')} (to correct), "
             f"{_plural(counts['query'], 'query', 'queries')} (to correct or explain"
             + (f"; {explained} explained" if explained else "") + "), "
             f"{_plural(counts['warning'], 'warning')}; each is listed in the Issues sheet.")
    else:
        echo("Problems: none.")
    if result.previous_period:
        kinds = Counter(c.kind for c in result.changes)
        told = ("newly red", "worsened", "improved", "newly achieved", "new task", "no longer reported",
                "awaiting return")
        shown = [f"{kinds[k]} {k}" for k in told if kinds[k]]
        echo(f"Since {result.previous_period}: " + (", ".join(shown) if shown else "no change") + ".")
    names = [str(p) for p in written]
    echo("Wrote " + (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)))
    for note in run.notes:
        echo(note)
    if run.reminders:
        echo(f"Reminders ready to send: {len(run.reminders)} in {next(iter(run.reminders.values())).parent}")
    if run.feedback:
        echo(f"Feedback ready to send: {len(run.feedback)} in {run.feedback[0].parent}")
    echo(result.reconciliation.line())


def _one_line(text: str) -> str:
    """Text for one console line: nothing it quotes from a file can split or reorder the line."""
    return text if text.isprintable() else shown_name(text)


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def arrival_words(sub: Submission) -> str:
    """When and how a return came, in the officer's own time: 'e-mailed 14 Apr 2009 10:02 by X'
    from the e-mail's date, else 'file saved 14 Apr 2009 10:02' (not when it was sent)."""
    try:
        when = dt.datetime.fromisoformat(sub.received)
    except ValueError:
        return sub.received or "date unknown"
    local = when.astimezone() if when.tzinfo else when
    shown = f"{local.day} {local:%b %Y %H:%M}"
    if sub.sender:
        return f"e-mailed {shown} by {sub.sender}"
    return f"file saved {shown}"


def group_lines(result: Consolidation, reminders: dict[str, Path],
                recently_reminded: Mapping[str, SentReminder] | None = None) -> list[str]:
    """One line per group of the register: received (when, from whom, which file), resubmitted, or
    missing (with its reminder, or when it was last reminded)."""
    recently_reminded = recently_reminded or {}
    lines = [f"Returns for {result.period}:"]
    width = max((len(g) for g in result.groups), default=10)
    for group in result.groups:
        subs = [s for s in result.submissions if s.group == group and s.kind != "E-mail"]
        live = [s for s in subs if s.state == SubmissionState.ACCEPTED]
        if live:
            parts = [f"{sub.file} ({arrival_words(sub)})" for sub in live]
            superseded = [s for s in subs if s.state == SubmissionState.SUPERSEDED]
            copies = [s.file for s in superseded if s.reason.startswith("an identical copy")]
            resent = [s for s in superseded if s.file not in copies]
            word = "resubmitted" if resent else "received"
            also = f" (also received as identical copies: {', '.join(copies)})" if copies else ""
            lines.append(f"  {group:<{width}}  {word}: " + "; ".join(parts) + also)
        else:
            note = f" (reminder: {reminders[group]})" if group in reminders else ""
            if group in recently_reminded:
                sent = recently_reminded[group]
                note = (f" (reminded {sent.sent.day} {sent.sent:%b}; no new reminder before "
                        f"{sent.next_due.day} {sent.next_due:%b})")
            rejected = [s.file for s in subs if s.state == SubmissionState.REJECTED]
            held = [s.file for s in subs if s.state == SubmissionState.HELD_BACK]
            if rejected:
                word = f"NOT READ: {', '.join(rejected)} rejected, see above"
            elif held:
                word = f"MISSING: {', '.join(held)} held back as dated for another period, see above"
            else:
                word = "MISSING"
            lines.append(f"  {group:<{width}}  " + click.style(word, fg="yellow") + note)
    return lines

