"""What the officer sees on the console: a progress bar while reading, then the account of the run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.consolidate.result import Consolidation, Submission, SubmissionState, arrivals
from pipeline.limits import CONSOLE_LINES_PER_STATE
from pipeline.periods import local_time
from pipeline.textsafe import shown_name
from pipeline.words import plural

if TYPE_CHECKING:
    from pipeline.outbox.reminders import SentReminder
    from pipeline.run import RunResult

#: An e-mail is listed by what it is; its attachments, under it, by what became of them.
EMAIL = "e-mail"
_MARK = {EMAIL: "e-mail", SubmissionState.ACCEPTED: "read", SubmissionState.REJECTED: "REJECTED",
         SubmissionState.SKIPPED: "skipped", SubmissionState.SUPERSEDED: "superseded",
         SubmissionState.HELD_BACK: "HELD BACK"}
#: File names longer than this are not padded to: one long name never widens every line.
_NAME_WIDTH = 60
_COLOUR = {EMAIL: "cyan", SubmissionState.ACCEPTED: "green", SubmissionState.REJECTED: "red",
           SubmissionState.SKIPPED: "bright_black", SubmissionState.SUPERSEDED: "yellow",
           SubmissionState.HELD_BACK: "yellow"}


@contextmanager
def progress_reader(inbox: Path) -> Iterator[Callable[[str], None]]:
    """A progress bar on standard error showing the file being read; silent when not a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from pipeline.intake.scan import EntryAction, scan_inbox

    console = Console(stderr=True)
    total = None
    if console.is_terminal:  # the bar's length; not shown, it is not worth a second scan
        try:
            total = sum(1 for e in scan_inbox(inbox) if e.action is EntryAction.READ)
        except OSError:
            pass
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
    width = min(max((len(s.file) + (2 if s.attached_to else 0) for s in result.submissions),
                    default=10), _NAME_WIDTH)
    per_state: Counter[str] = Counter()
    # As the files arrived: an e-mail, then what was attached to it, indented under it.
    for arrival, attached in arrivals(result.submissions):
        for sub in [arrival, *attached]:
            state = EMAIL if sub.kind == "E-mail" and sub.state != SubmissionState.REJECTED else sub.state
            per_state[state] += 1
            if per_state[state] > CONSOLE_LINES_PER_STATE:
                continue  # a huge inbox is summed up below, not printed line by line
            mark = click.style(f"{_MARK[state]:<10}", fg=_COLOUR[state])
            if state == EMAIL:
                detail = email_words(sub, len(attached))
            elif state == SubmissionState.ACCEPTED:
                detail = f"{sub.group or 'group not recognised'} · {sub.kind} · {plural(sub.rows, 'row')}"
            else:
                detail = sub.reason
            indent = "  " if sub.attached_to else ""
            echo(f"  {indent}{mark} {_one_line(sub.file):<{width - len(indent)}}  {_one_line(detail)}")
    for state, count in per_state.items():
        if count > CONSOLE_LINES_PER_STATE:
            more = count - CONSOLE_LINES_PER_STATE
            things = ("e-mail" if more == 1 else "e-mails") if state == EMAIL else (
                f"{_MARK[state].lower()} {'file' if more == 1 else 'files'}")
            echo(f"  … and {more:,} more {things}, each listed in the Submissions sheet.")
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
        echo(f"Problems: {plural(counts['error'], 'error')} (to correct), "
             f"{plural(counts['query'], 'query')} (to correct or explain"
             + (f"; {explained} explained" if explained else "") + "), "
             f"{plural(counts['warning'], 'warning')}; each is listed in the Issues sheet.")
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



def arrival_words(sub: Submission) -> str:
    """When and how a return came, in the officer's own time: 'e-mailed 14 Apr 2009 10:02 by X'
    from the e-mail's date, else "the file's date 14 Apr 2009 10:02" (not when it was sent)."""
    if sub.sent and sub.received == sub.sent:
        return f"e-mailed {local_time(sub.sent)} by {sub.sender or 'an unknown sender'}"
    by = f"e-mailed by {sub.sender}, " if sub.sender else ""
    return f"{by}the file's date {local_time(sub.received) or 'unknown'}"


def email_words(sub: Submission, attached: int) -> str:
    """One e-mail in the account: who sent it, when (in the officer's time), how many files it held."""
    when = (f"sent {local_time(sub.sent)}" if sub.sent and sub.received == sub.sent
            else f"the file's date {local_time(sub.received)}"
            + (f" (its own date, {local_time(sub.sent)}, is not believable)" if sub.sent else ""))
    return (f"from {sub.sender or 'an unknown sender'}, {when}, '{sub.subject or '(no subject)'}': "
            + (plural(attached, 'attached file') if attached else "nothing attached"))


def group_lines(result: Consolidation, reminders: dict[str, Path],
                recently_reminded: Mapping[str, SentReminder] | None = None) -> list[str]:
    """One line per group of the register: received (when, from whom, which file), resubmitted, or
    missing (with its reminder, or when it was last reminded)."""
    recently_reminded = recently_reminded or {}
    lines = [f"Returns for {result.period}:"]
    width = max((len(g) for g in result.groups), default=10)
    by_group: dict[str, list[Submission]] = {}  # looked up per group: a county has thousands of each
    for sub in result.submissions:
        if sub.kind != "E-mail":
            by_group.setdefault(sub.group, []).append(sub)
    for group in result.groups:
        subs = by_group.get(group, [])
        live = [s for s in subs if s.state == SubmissionState.ACCEPTED]
        if live:
            parts = [f"{sub.file} ({arrival_words(sub)})" for sub in live]
            superseded = [s for s in subs if s.state == SubmissionState.SUPERSEDED]
            # Copies of the return counted; a copy of an earlier return is part of the resubmission.
            copies = [s.file for s in superseded if s.sha256 in {s.sha256 for s in live}]
            # Another return in the same e-mail as the one counted was not sent again.
            same_email = {s.attached_to for s in live if s.attached_to}
            resent = [s for s in superseded if s.file not in copies and s.attached_to not in same_email]
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

