"""E-mail: returns that arrive as messages, and the messages the officer sends back.

- `names`: safe, unique file names for whatever a sender called an attachment.
- `messages`: a saved .eml or .msg read into sender, date, subject and attachments.
- `outlook`: the .msg half of that, with extract-msg.
- `expand`: an e-mail in the inbox unpacked into entries for its attachments.
- `fetch`: new messages from an IMAP folder saved into the inbox, each once.
- `drafts`: what the messages the officer sends back share (headers, words, .eml files).
- `reminders`: reminders worded by the deadline, with the group's template attached.
- `places`: a problem's place named by the task's Ref, first words and column.
- `compose`: feedback as a reply to the group's e-mail (and the reminders, re-exported).
"""

from pipeline.mail.compose import (
    feedback_email,
    reminder_email,
    write_eml,
    write_feedback,
    write_reminders,
)
from pipeline.mail.expand import AttachmentEntry, ExpandedEmail, MailSummary, expand_email
from pipeline.mail.fetch import FetchError, FetchResult, fetch_mail
from pipeline.mail.messages import MailAttachment, MailMessage, read_message

__all__ = [
    "AttachmentEntry",
    "ExpandedEmail",
    "FetchError",
    "FetchResult",
    "MailAttachment",
    "MailMessage",
    "MailSummary",
    "expand_email",
    "feedback_email",
    "fetch_mail",
    "read_message",
    "reminder_email",
    "write_eml",
    "write_feedback",
    "write_reminders",
]
