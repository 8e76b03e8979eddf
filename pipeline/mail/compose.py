"""The e-mails the officer sends back: reminders to groups that have not sent a return, and
feedback on what each group sent, with every problem and where to find it in the file.

Each is written as an .eml file marked as unsent (``X-Unsent: 1``): Outlook and Thunderbird open
it as a draft, so the officer reads it, adds a line if they wish, and presses Send. Nothing is
sent from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path, PurePosixPath

from pipeline.issues import Issue, Severity
from pipeline.model import Consolidation, Submission
from pipeline.register import Group, Register

#: Each severity in the words of the e-mail: its name, and one line on what it asks of the group.
SEVERITY_WORDS: dict[Severity, tuple[str, str]] = {
    Severity.ERROR: ("error", "Errors must be corrected in the return."),
    Severity.QUERY: ("query", "Queries must be corrected, or explained in your reply."),
    Severity.WARNING: ("warning", "Warnings are for your information; no reply is needed."),
}
#: .eml files are written with CRLF line ends, as mail is sent and as Outlook saves it.
_EML_POLICY = policy.default.clone(linesep="\r\n")


def reminder_email(group: Group | str, period: str, deadline: dt.date | str, register: Register,
                   sender: str) -> EmailMessage:
    """A polite reminder to a group's contacts that its return for the period is due by the deadline."""
    group = _group(group, register)
    partnership = register.partnership or "the partnership"
    when = _day(deadline)
    body = [
        _greeting(group),
        "",
        f"This is a reminder that {partnership} has not yet received the {group.name}'s "
        f"action-plan return for {period}.",
        "",
        f"Please send it by {when}, attached to a reply to this e-mail as a Word (.docx) or "
        "Excel (.xlsx) file.",
        "",
        "If you have already sent it, thank you, and please reply to let us know when, so we can "
        "look for it.",
        *_signature(sender, partnership),
    ]
    subject = f"Reminder: {period} action-plan return due by {when}"
    return _message(sender, list(group.contacts), subject, body)


def feedback_email(group: Group, submissions: Iterable[Submission], issues: Iterable[Issue],
                   period: str, sender: str) -> EmailMessage:
    """What a group sent and what was found in it, worst first, or a thank-you when all was well."""
    submissions = list(submissions)
    order = list(Severity)
    issues = sorted(issues, key=lambda i: order.index(i.severity))
    senders = list(dict.fromkeys(s.sender.lower() for s in submissions if s.sender))
    body = [_greeting(group), "",
            f"Thank you for the {group.name}'s return for {period}. We received:", ""]
    body += [f"  - {_received(s)}" for s in submissions] or ["  (nothing)"]
    body.append("")
    if not issues:
        body.append("Everything was read without any problems. Thank you for a clean return.")
    else:
        body += [f"We found {_count(len(issues), 'point')} to look at, listed below with where each "
                 "one is in your file.", ""]
        for severity in order:
            these = [i for i in issues if i.severity == severity]
            if not these:
                continue
            noun, meaning = SEVERITY_WORDS[severity]
            body += [f"{_plural(noun).capitalize()} ({len(these)})", meaning, ""]
            for number, issue in enumerate(these, 1):
                body.append(f"{number}. {_where(issue)}: {issue.message}")
                if issue.advice:
                    body.append(f"   What to do: {issue.advice}")
            body.append("")
        if any(i.severity in (Severity.ERROR, Severity.QUERY) for i in issues):
            body.append("Please send the corrected return, or your explanations, in reply to this e-mail.")
    body += _signature(sender, "")
    return _message(sender, senders or list(group.contacts), _feedback_subject(period, issues), body)


def write_eml(message: EmailMessage, path: Path) -> Path:
    """Write a message as an .eml file, whole or not at all."""
    from pipeline.report.atomic import atomic_output

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as temp:
        temp.write_bytes(message.as_bytes(policy=_EML_POLICY))
    return path


def write_reminders(result: Consolidation, register: Register, out_dir: Path, deadline: dt.date | str,
                    sender: str) -> list[Path]:
    """A reminder for each group that sent no accepted return, as ``reminders/<group>.eml``."""
    folder = Path(out_dir) / "reminders"
    groups = [g for name in result.missing_groups if (g := register.group_named(name)) is not None]
    written = [write_eml(reminder_email(g, result.period, deadline, register, sender),
                         folder / f"{g.slug}.eml") for g in groups]
    _remove_stale(folder, register, written)
    return written


def write_feedback(result: Consolidation, register: Register, out_dir: Path, sender: str) -> list[Path]:
    """Feedback for each group that sent something, as ``feedback/<group>.eml``."""
    folder = Path(out_dir) / "feedback"
    written = []
    for group in register.groups:
        submissions = [s for s in result.submissions if s.group == group.name]
        if not submissions:
            continue
        # A superseded return's problems no longer matter: the later one replaced it.
        live = {s.file for s in submissions if s.outcome != "superseded"}
        issues = [i for i in result.issues if i.place.file in live]
        message = feedback_email(group, submissions, issues, result.period, sender)
        written.append(write_eml(message, folder / f"{group.slug}.eml"))
    _remove_stale(folder, register, written)
    return written


def _remove_stale(folder: Path, register: Register, written: list[Path]) -> None:
    """Remove a previous run's draft for a group that has none now, so it is never sent by mistake."""
    keep = {p.name for p in written}
    for group in register.groups:
        stale = folder / f"{group.slug}.eml"
        if stale.name not in keep:
            stale.unlink(missing_ok=True)


def _message(sender: str, to: list[str], subject: str, body: list[str]) -> EmailMessage:
    message = EmailMessage(policy=policy.default)
    message["From"] = sender
    if to:
        message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = format_datetime(dt.datetime.now().astimezone())
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    # Outlook opens an .eml with this header as a draft ready to send, not as received mail.
    message["X-Unsent"] = "1"
    message.set_content("\n".join(body) + "\n")
    return message


def _group(group: Group | str, register: Register) -> Group:
    if isinstance(group, Group):
        return group
    found = register.group_named(group)
    if found is None:
        raise ValueError(f"The group {group!r} is not in {register.source or 'the register'}.")
    return found


def _greeting(group: Group) -> str:
    return f"Dear {group.contact_name}," if group.contact_name else "Dear colleagues,"


def _signature(sender: str, partnership: str) -> list[str]:
    name = parseaddr(sender)[0]
    return ["", "With thanks,", *([name] if name else []), *([partnership] if partnership else [])]


def _received(submission: Submission) -> str:
    name = PurePosixPath(submission.file).name
    when = f", received {_moment(submission.received)}" if submission.received else ""
    outcome = {
        "accepted": f"read ({_count(submission.rows, 'task row')})",
        "superseded": "replaced by a later return, which is the one used",
        "rejected": f"could not be read: {submission.reason}",
        "skipped": f"not read: {submission.reason}",
    }.get(submission.outcome, submission.outcome)
    return f"{name}{when}: {outcome}"


def _where(issue: Issue) -> str:
    name = PurePosixPath(issue.place.file).name
    place = issue.place.describe()
    return name if place == "whole file" else f"{name}, {place}"


def _feedback_subject(period: str, issues: list[Issue]) -> str:
    if not issues:
        return f"Your {period} return: received, thank you"
    counts = [_count(n, SEVERITY_WORDS[s][0])
              for s in Severity if (n := sum(1 for i in issues if i.severity == s))]
    return f"Your {period} return: {', '.join(counts)} to look at"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun if n == 1 else _plural(noun)}"


def _plural(noun: str) -> str:
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


def _day(value: dt.date | str) -> str:
    """A deadline in words (``Friday 17 April 2009``); text is used as given."""
    if isinstance(value, str):
        return value
    return f"{value:%A} {value.day} {value:%B %Y}"


def _moment(iso: str) -> str:
    """An ISO time in the officer's local time, in words (``3 April 2009, 10:15``)."""
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if when.tzinfo is not None:
        when = when.astimezone()
    return f"{when.day} {when:%B %Y, %H:%M}"
