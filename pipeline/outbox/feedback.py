"""Feedback on what each group sent: a reply to its e-mail, with every problem, what to do about
it and where to find it in the return, in words a Word or Excel user can find.

Reminders are in `pipeline.outbox.reminders`, what every message shares in `pipeline.outbox.drafts`.
"""

from __future__ import annotations

from collections.abc import Iterable
from email.message import EmailMessage
from pathlib import Path, PurePosixPath

from pipeline.consolidate.result import Consolidation, Submission, SubmissionState
from pipeline.issues import Issue, Severity
from pipeline.outbox.drafts import (
    greeting,
    new_message,
    remove_stale,
    signature,
    when_received,
    write_eml,
)
from pipeline.outbox.places import TaskPlaces, where
from pipeline.records import TaskRecord
from pipeline.register import Group, Register
from pipeline.words import plural, plural_noun

#: Each severity in the words of the e-mail: its name, and one line on what it asks of the group.
SEVERITY_WORDS: dict[Severity, tuple[str, str]] = {
    Severity.ERROR: ("error", "Errors must be corrected in the return."),
    Severity.QUERY: ("query", "Queries must be corrected, or explained in your reply."),
    Severity.WARNING: ("warning", "Warnings are for your information; no reply is needed."),
}


def feedback_email(group: Group, submissions: Iterable[Submission], issues: Iterable[Issue],
                   period: str, sender: str, tasks: Iterable[TaskRecord] = ()) -> EmailMessage:
    """What a group sent and what was found in it, worst first, or a thank-you when all was well.

    When the return came by e-mail the feedback is a reply to that e-mail; each problem in a task
    row is placed by the task's Ref, first words and column (``tasks`` are where to look)."""
    submissions = list(submissions)
    places = TaskPlaces(tasks)
    order = list(Severity)
    issues = sorted(issues, key=lambda i: order.index(i.severity))
    senders = list(dict.fromkeys(s.sender.lower() for s in submissions if s.sender))
    body = [greeting(group), "",
            f"Thank you for the {group.name}'s return for {period}. We received:", ""]
    body += [f"  - {_received(s)}" for s in submissions] or ["  (nothing)"]
    body.append("")
    if not issues:
        body.append("Everything was read without any problems. Thank you for a clean return.")
    else:
        body += [f"We found {plural(len(issues), 'point')} to look at, listed below with where each "
                 "one is in your file.", ""]
        for severity in order:
            these = [i for i in issues if i.severity == severity]
            if not these:
                continue
            noun, meaning = SEVERITY_WORDS[severity]
            body += [f"{plural_noun(noun).capitalize()} ({len(these)})", meaning, ""]
            for number, issue in enumerate(these, 1):
                body.append(f"{number}. {where(issue, places)}: {issue.message}")
                if issue.advice:
                    body.append(f"   What to do: {issue.advice}")
            body.append("")
        if any(i.severity in (Severity.ERROR, Severity.QUERY) for i in issues):
            body.append("Please send the corrected return, or your explanations, in reply to this e-mail.")
    body += signature(sender, "")
    to = senders or list(group.contacts)
    answered = replied_to(submissions)
    if answered is None:
        return new_message(sender, to, _feedback_subject(period, issues), body)
    return new_message(sender, to, reply_subject(answered.subject) or _feedback_subject(period, issues),
                       body, in_reply_to=answered.message_id, references=answered.references)


def replied_to(submissions: Iterable[Submission]) -> Submission | None:
    """The e-mail the feedback answers: the latest one whose return counts (else the latest one)."""
    mailed = [s for s in submissions if s.message_id]
    live = [s for s in mailed if s.state != SubmissionState.SUPERSEDED] or mailed
    return max(live, key=lambda s: s.received, default=None)


def reply_subject(subject: str) -> str:
    """'Re: ' and the subject answered, without piling up 'Re: Re: '; empty when it had none."""
    subject = " ".join(subject.split())
    if not subject:
        return ""
    return subject if subject[:3].lower() == "re:" else f"Re: {subject}"


def write_feedback(result: Consolidation, register: Register, out_dir: Path, sender: str) -> list[Path]:
    """Feedback for each group that sent something, as ``feedback/<group>.eml``."""
    folder = Path(out_dir) / "feedback"
    written = []
    submissions_of: dict[str, list[Submission]] = {}  # grouped once: a county has thousands of each
    for sub in result.submissions:
        submissions_of.setdefault(sub.group, []).append(sub)
    for group in register.groups:
        submissions = submissions_of.get(group.name, [])
        if not submissions:
            continue
        # A superseded return's problems no longer matter: the later one replaced it.
        live = {s.file for s in submissions if s.state != SubmissionState.SUPERSEDED}
        issues = [i for i in result.issues if i.place.file in live]
        message = feedback_email(group, submissions, issues, result.period, sender, result.tasks)
        written.append(write_eml(message, folder / f"{group.slug}.eml"))
    remove_stale(folder, register, written)
    return written


def _received(submission: Submission) -> str:
    name = PurePosixPath(submission.file).name
    when = when_received(submission)
    if submission.kind == "E-mail":
        # The group knows its e-mail by its subject, not by the name the officer saved it under.
        what = f"your e-mail '{submission.subject}'" if submission.subject else f"the e-mail {name}"
        rejected = submission.state == SubmissionState.REJECTED
        problem = f": could not be read: {submission.reason}" if rejected else ""
        return f"{what}{when}{problem}"
    fate = {
        SubmissionState.ACCEPTED: f"read ({plural(submission.rows, 'task row')})",
        SubmissionState.SUPERSEDED: "replaced by a later return, which is the one used",
        SubmissionState.REJECTED: f"could not be read: {submission.reason}",
        SubmissionState.SKIPPED: f"not read: {submission.reason}",
    }.get(submission.state, submission.state)
    return f"{name}{when}: {fate}"


def _feedback_subject(period: str, issues: list[Issue]) -> str:
    if not issues:
        return f"Your {period} return: received, thank you"
    counts = [plural(n, SEVERITY_WORDS[s][0])
              for s in Severity if (n := sum(1 for i in issues if i.severity == s))]
    return f"Your {period} return: {', '.join(counts)} to look at"


