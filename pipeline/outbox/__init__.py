"""The messages the officer sends back: reminders and feedback as .eml drafts, and sending them.

- `drafts`: what every message shares (headers, greeting, signature, writing the .eml file).
- `reminders`: reminders worded by the deadline, with the group's template attached.
- `places`: a problem's place named by the task's Ref, first words and column.
- `feedback`: feedback as a reply to the group's e-mail, every problem with what to do.
- `send`: the drafts sent over SMTP, each moved to `sent/` once sent.
"""
