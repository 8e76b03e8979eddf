"""Reminders to the groups whose return has not arrived, worded by where the deadline stands.

Before the deadline (and on the day) a reminder is a polite request naming the period and the
deadline; after it, an overdue notice; more than the register's ``escalation_days`` past it, the
same notice copied to the group's chair. Each carries the group's progress template in the
format the group last used (Word unless its last return was Excel), filled in with the tasks of
that return when the history has them.

A reminder sent through `pipeline.outbox.send` is kept in ``reminders/sent/``; the same reminder
(same period, same stage) is not written again until the register's ``reminder_interval_days``
have passed, so a consolidation run every day does not remind a group every day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from pipeline.consolidate.result import Consolidation, Submission, SubmissionState
from pipeline.outbox.drafts import (
    day,
    greeting,
    new_message,
    remove_stale,
    signature,
    when_received,
    write_eml,
)
from pipeline.register import Group, Register
from pipeline.words import plural
from pipeline.workdirs import work_dir

if TYPE_CHECKING:
    from email.message import EmailMessage

    from pipeline.history.returns import LastReturn

#: The format of a template when the group's last return is not known.
DEFAULT_FORMAT = "docx"
#: Headers that say which period and which stage a reminder is, so that a sent one is known again.
PERIOD_HEADER = "X-Pipeline-Period"
STAGE_HEADER = "X-Pipeline-Reminder"


class ReminderKind(StrEnum):
    """Where the deadline stands on the day a reminder is written."""

    REQUEST = "request"
    """On or before the deadline: a polite request."""
    OVERDUE = "overdue"
    """After the deadline."""
    ESCALATION = "escalation"
    """More than the register's escalation days after it: copied to the group's chair."""


def reminder_kind(deadline: dt.date | str, today: dt.date, escalation_days: int) -> ReminderKind:
    """Which reminder is due on this day (a deadline given as words is always still to come)."""
    if isinstance(deadline, str) or today <= deadline:
        return ReminderKind.REQUEST
    if (today - deadline).days > escalation_days:
        return ReminderKind.ESCALATION
    return ReminderKind.OVERDUE


@dataclass(frozen=True)
class SentReminder:
    """A reminder already sent to a group: when, for which period, at which stage, where kept."""

    period: str
    kind: ReminderKind
    sent: dt.datetime
    """When it was sent, in the officer's time."""
    next_due: dt.date
    """The first day the same reminder is written again."""
    path: Path


@dataclass
class Reminders:
    """What `write_reminders` did, by group name: the drafts written, and the groups left alone
    because the same reminder was sent to them within the register's interval."""

    written: dict[str, Path] = field(default_factory=dict)
    recently_sent: dict[str, SentReminder] = field(default_factory=dict)


def reminder_email(group: Group | str, period: str, deadline: dt.date | str, register: Register,
                   sender: str, *, today: dt.date | None = None,
                   template: Path | None = None, prefilled_from: str = "",
                   not_counted: Iterable[Submission] = ()) -> EmailMessage:
    """A reminder to a group's contacts that its return for the period is due, or overdue.

    ``template`` is attached when given; ``prefilled_from`` names the return it was filled from;
    ``not_counted`` are files the group did send that could not be used, each said with why."""
    group = _group(group, register)
    today = today or dt.date.today()
    kind = reminder_kind(deadline, today, register.escalation_days)
    partnership = register.partnership or "the partnership"
    when = day(deadline)
    return_of = f"the {group.name}'s action-plan return for {period}"
    if kind is ReminderKind.REQUEST:
        subject = f"Reminder: {period} action-plan return due by {when}"
        opening = [f"This is a reminder that {partnership} has not yet received {return_of}.", "",
                   f"Please send it by {when}, attached to a reply to this e-mail as a Word (.docx) "
                   "or Excel (.xlsx) file."]
    else:
        late = (today - deadline).days  # type: ignore[operator]  # a str deadline is a request
        subject = f"Overdue: {period} action-plan return (due {when})"
        opening = [f"{return_of[0].upper()}{return_of[1:]} was due on {when} and {partnership} has "
                   f"not yet received it: it is now {plural(late, 'day')} overdue.",
                   "", "Please send it as soon as you can, attached to a reply to this e-mail as a "
                   "Word (.docx) or Excel (.xlsx) file. If something is holding it up, reply to let "
                   "us know when to expect it."]
    cc = [group.chair] if kind is ReminderKind.ESCALATION and group.chair else []
    if cc:
        opening += ["", "As the return is more than "
                    f"{register.escalation_days} days overdue, the group's chair is copied into "
                    "this reminder."]
    body = [greeting(group), "", *opening, ""]
    unusable = [s for s in not_counted if s.kind != "E-mail"]
    if unusable:
        body += ["We did receive the following, but could not use it:",
                 *(f"  - {PurePosixPath(s.file).name}"
                   + when_received(s)
                   + (f": {s.reason}" if s.reason else "") for s in unusable), ""]
    if template is not None:
        filled = (f", already filled in with the tasks of your last return ({prefilled_from}): "
                  "update what has changed" if prefilled_from else ": fill it in")
        body += [f"Your return form is attached ({template.name}){filled} and send it back.", ""]
    body += ["If you have already sent it, thank you, and please reply to let us know when, so we "
             "can look for it.", *signature(sender, partnership)]
    message = new_message(sender, list(group.contacts), subject, body, cc=cc,
                          attachments=[template] if template is not None else [])
    message[PERIOD_HEADER] = period
    message[STAGE_HEADER] = kind.value
    return message


def last_sent_reminder(folder: Path, group: Group, period: str,
                       interval_days: int) -> SentReminder | None:
    """The latest reminder for this period sent to the group from ``folder`` (kept in its sent/
    folder by `pipeline.outbox.send`), or None; the same reminder is due again ``interval_days``
    after it was sent. A message that cannot be read is not one."""
    from pipeline.outbox.send import SENT_FOLDER

    found = []
    for path in sorted((Path(folder) / SENT_FOLDER).glob(f"*-{group.slug}.eml")):
        try:
            with open(path, "rb") as handle:
                headers = BytesHeaderParser(policy=policy.default).parse(handle)
            kind = ReminderKind(str(headers[STAGE_HEADER] or ""))
            sent = parsedate_to_datetime(str(headers["Date"]))
        except (OSError, ValueError, TypeError):
            continue
        if str(headers[PERIOD_HEADER] or "") == period:
            local = sent.astimezone()
            found.append(SentReminder(period, kind, local,
                                      local.date() + dt.timedelta(days=interval_days), path))
    return max(found, key=lambda r: r.sent, default=None)


def write_reminders(result: Consolidation, register: Register, out_dir: Path, deadline: dt.date | str,
                    sender: str, *, today: dt.date | None = None,
                    last_returns: Mapping[str, LastReturn] | None = None,
                    attach_templates: bool = True) -> Reminders:
    """A reminder for each group that sent no accepted return, as ``reminders/<group>.eml``, with
    the group's template attached (in the format of its last return) unless told not to.

    A group sent the same reminder (this period, this stage) fewer than the register's
    ``reminder_interval_days`` ago gets no new draft: it is listed in ``recently_sent``."""
    folder = Path(out_dir) / "reminders"
    groups = [g for name in result.missing_groups if (g := register.group_named(name)) is not None]
    last_returns = last_returns or {}
    today = today or dt.date.today()
    kind = reminder_kind(deadline, today, register.escalation_days)
    done = Reminders()
    with work_dir("reminders") as work:
        for group in groups:
            sent_before = last_sent_reminder(folder, group, result.period,
                                             register.reminder_interval_days)
            if sent_before is not None and sent_before.kind == kind and today < sent_before.next_due:
                done.recently_sent[group.name] = sent_before
                continue
            last = last_returns.get(group.name)
            template = (_template(group, register, Path(work), last) if attach_templates else None)
            sent = [s for s in result.submissions if s.group == group.name
                    and s.state not in (SubmissionState.ACCEPTED, SubmissionState.SUPERSEDED)]
            message = reminder_email(group, result.period, deadline, register, sender, today=today,
                                     template=template,
                                     prefilled_from=last.file_name if last and last.tasks else "",
                                     not_counted=sent)
            done.written[group.name] = write_eml(message, folder / f"{group.slug}.eml")
    # A draft of a group reminded recently is removed too, so that it is not sent again.
    remove_stale(folder, register, list(done.written.values()))
    return done


def _template(group: Group, register: Register, work: Path, last: LastReturn | None) -> Path:
    """The group's progress template in the format it last used, filled from its last return."""
    from pipeline.templates.make import make_template
    from pipeline.templates.prefill import PreviousReturns, PreviousTask

    previous = None
    if last is not None and last.tasks:
        tasks = [PreviousTask(t.group, t.outcome, t.ref, t.action, t.task, t.target, t.position,
                              t.status) for t in last.tasks]
        previous = PreviousReturns(Path(last.file_name), tasks)
    fmt = last.fmt if last is not None else DEFAULT_FORMAT
    return make_template(group, "progress", fmt, register, work, previous)


def _group(group: Group | str, register: Register) -> Group:
    if isinstance(group, Group):
        return group
    found = register.group_named(group)
    if found is None:
        raise ValueError(f"The group {group!r} is not in {register.source or 'the register'}.")
    return found
