"""What every message shares, written as an .eml draft."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from pathlib import Path

from pipeline.outbox.drafts import write_eml
from pipeline.outbox.reminders import reminder_email
from pipeline.register import load_register

REGISTER = load_register()
CDRP_GROUP = "Crime and Disorder Reduction Partnership"
OFFICER = "Partnership Officer <officer@gloucester.gov.uk>"


def _parse(path: Path) -> EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[return-value]


def test_write_eml_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "out" / "x.eml"
    message = reminder_email(CDRP_GROUP, "Q4", "Friday", REGISTER, OFFICER)
    write_eml(message, target)
    write_eml(message, target)
    assert [p.name for p in target.parent.iterdir()] == ["x.eml"]
    assert _parse(target)["Subject"] == message["Subject"]
