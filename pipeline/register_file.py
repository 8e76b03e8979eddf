"""The register file: its schema, checked when it is loaded, with errors that name the key and line.

The register is the partnership's configuration: its groups (names, aliases, contacts, chairs),
the outcomes each owns, its financial year and reporting frequency, deadlines and escalation,
and the mail server. It lives beside the partnership's data as `register.toml`; the Gloucester
one packaged with the pipeline is the example a new partnership copies.
"""

from __future__ import annotations

import re
import tomllib
from email.utils import parseaddr
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipeline.errors import PipelineError

#: The register a partnership keeps beside its inbox; the packaged example is used without one.
LOCAL_FILE_NAME = "register.toml"

_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_ADDRESS = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")


def _address(text: str) -> str:
    """An e-mail address, bare or with a display name ('Name <a@b.org>')."""
    _, address = parseaddr(text)
    if not _ADDRESS.match(address) or "<" in text and not text.rstrip().endswith(">"):
        raise ValueError(
            f"{text!r} is not an e-mail address (write it as name@example.org or 'Name <name@example.org>')"
        )
    return text.strip()


Address = Annotated[str, AfterValidator(_address)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class GroupEntry(_Strict):
    """One [[groups]] entry."""

    name: str = Field(min_length=1)
    short: str = ""
    aliases: list[str] = []
    contacts: list[Address] = []
    contact_name: str = ""
    chair: Address | Literal[""] = ""
    """Who an escalation is copied to when the group's return is long overdue."""


class OutcomeEntry(_Strict):
    """One [[outcomes]] entry."""

    number: str = Field(min_length=1)
    title: str = ""
    group: str = Field(min_length=1)

    @field_validator("number", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        # 2.1 written without quotes is a TOML float; the partnership means the outcome "2.1".
        return str(value) if isinstance(value, int | float) else value


class SmtpEntry(_Strict):
    """The [smtp] table: where reminders and feedback are sent through, when they are sent."""

    host: str = Field(min_length=1)
    port: int = Field(default=587, ge=1, le=65535)
    user: str = ""
    security: Literal["starttls", "tls", "none"] = "starttls"
    """'starttls' (port 587), 'tls' (port 465) or 'none' (a local relay only)."""


class ChecksEntry(_Strict):
    """The [checks] table: the automatic queries on statuses, each on or off, and its tolerance.

    Like the tolerance rules of performance systems: each raises a query (to correct or
    explain), never an error. Every key may be left out; the defaults are these.
    """

    target_passed: bool = True
    """Query a Green or Amber task whose target date passed before the period ended."""
    target_passed_grace_days: int = Field(default=0, ge=0, le=366)
    """Days a target may be overdue at the period's end before it is queried."""
    achieved_future_target: bool = True
    """Query an Achieved task whose target date is after the period's end."""
    achieved_no_position: bool = True
    """Query an Achieved task whose position is empty."""
    position_unchanged: bool = True
    """Query a position word for word the same as last period's ('no update given')."""
    position_unchanged_min_chars: int = Field(default=1, ge=1, le=1000)
    """Positions shorter than this are not compared (set 4 to let 'tba' stand)."""
    deadline_moved_again: bool = True
    """Query a revised deadline that moved again since last period."""
    red_without_date: bool = True
    """Query a Red task whose planned improvement names no date."""


class RegisterFile(_Strict):
    """The whole register file as written."""

    partnership: str = ""
    officer: Address | Literal[""] = ""
    reminder_days: int = Field(default=10, ge=0, le=366)
    financial_year_starts: str = "April"
    """The month the financial year starts in, by name or number (April by default)."""
    reporting: Literal["quarterly", "half-yearly"] = "quarterly"
    deadline_days: int = Field(default=21, ge=0, le=366)
    """Days after a period ends that its returns are due, unless the officer gives a deadline."""
    return_grace_days: int = Field(default=45, ge=0, le=180)
    """Days after a period ends during which a dated return is still taken as that period's."""
    escalation_days: int = Field(default=14, ge=0, le=366)
    """Days past the deadline after which a reminder is copied to the group's chair."""
    reminder_interval_days: int = Field(default=7, ge=1, le=366)
    """Days after a reminder is sent before the same reminder is written again."""
    smtp: SmtpEntry | None = None
    groups: list[GroupEntry] = Field(min_length=1)
    outcomes: list[OutcomeEntry] = []
    status_words: dict[str, Literal["Green", "Amber", "Red", "Achieved", "Query"]] = {}
    """A partnership's own status words and what each means; Query asks the group to choose."""
    checks: ChecksEntry = ChecksEntry()
    """The automatic queries on statuses and their tolerances."""

    @field_validator("status_words", mode="before")
    @classmethod
    def _status_words(cls, value: Any) -> Any:
        # "amber" and "AMBER" mean Amber: only the word itself is checked against the five.
        if isinstance(value, dict):
            return {k: v.strip().title() if isinstance(v, str) else v for k, v in value.items()}
        return value

    @field_validator("financial_year_starts", mode="before")
    @classmethod
    def _month(cls, value: Any) -> Any:
        if isinstance(value, int) and 1 <= value <= 12:
            return _MONTHS[value - 1].title()
        if isinstance(value, str):
            for month in _MONTHS:
                if value.strip().lower() in (month, month[:3]):
                    return month.title()
        raise ValueError(f'{value!r} is not a month: write its name, e.g. "April"')

    @property
    def first_month(self) -> int:
        """The financial year's first month, 1-12."""
        return _MONTHS.index(self.financial_year_starts.lower()) + 1


class RegisterError(PipelineError):
    """The register cannot be used: the message names the key and the line to correct."""


def register_text(path: Path | None) -> tuple[str, str]:
    """The register's text and where it came from: a file, or the packaged example."""
    if path is None:
        return (
            resources.files("pipeline").joinpath("register.toml").read_text(encoding="utf-8"),
            "the example register (Gloucester Partnership)",
        )
    try:
        return Path(path).read_text(encoding="utf-8"), str(path)
    except FileNotFoundError as exc:
        raise RegisterError(f"The register file {path} does not exist.") from exc
    except UnicodeDecodeError as exc:
        raise RegisterError(f"The register {path} is not UTF-8 text: save it again as UTF-8.") from exc
    except OSError as exc:
        raise RegisterError(f"Cannot read the register {path}: {exc.strerror or exc}.") from exc


def parse_register(text: str, source: str) -> RegisterFile:
    """Parse and check a register's text; any mistake is refused with its key and line."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegisterError(f"The register {source} is not valid TOML: {exc}.") from exc
    try:
        parsed = RegisterFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise RegisterError(_describe(first, text, source)) from exc
    _check_consistency(parsed, text, source)
    return parsed


def _describe(error: Any, text: str, source: str) -> str:
    loc = tuple(error["loc"])
    line = find_line(text, loc)
    where = f"{source}, line {line}" if line else source
    table, key = _table_and_key(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        what = f"{key} {('in ' + table + ' ') if table else ''}is not a register setting (check its spelling)"
    elif kind == "missing":
        what = f"{table or 'the file'} has no {key}"
    else:
        message = str(error["msg"]).removeprefix("Value error, ")
        what = f"{key}{(' in ' + table) if table else ''}: {message}"
    return f"The register {where}: {what}."


def _table_and_key(loc: tuple[Any, ...]) -> tuple[str, str]:
    """('groups', 2, 'contacts', 0) -> ("[[groups]] entry 3", "'contacts'")."""
    if len(loc) >= 2 and isinstance(loc[1], int):
        table, rest = f"[[{loc[0]}]] entry {loc[1] + 1}", loc[2:]
    elif len(loc) >= 2:
        table, rest = f"[{loc[0]}]", loc[1:]
    else:
        table, rest = "", loc
    key = f"'{rest[0]}'" if rest else f"'{loc[0]}'" if loc else "a setting"
    return table, key


def find_line(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line of the key a validation error points at (the table's header line when the key is
    not written), found by walking the TOML's tables: ('groups', 2, 'chair') is `chair` in the
    third [[groups]] table, ('smtp', 'port') is `port` in [smtp], ('officer',) is a top-level key."""
    table: tuple[str | None, int | None] = (None, None)
    key: str | None = None
    if len(loc) >= 2 and isinstance(loc[1], int):
        table, key = (str(loc[0]), loc[1]), (str(loc[2]) if len(loc) > 2 else None)
    elif len(loc) >= 2:
        table, key = (str(loc[0]), None), str(loc[1])
    elif loc and loc[0] in ("groups", "outcomes"):
        table = (str(loc[0]), 0)
    elif loc:
        key = str(loc[0])
    current: tuple[str | None, int | None] = (None, None)
    counts: dict[str, int] = {}
    header: int | None = None
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if array := re.match(r"^\[\[\s*([^\]]+?)\s*\]\]", line):
            name = array.group(1)
            counts[name] = counts.get(name, -1) + 1
            current = (name, counts[name])
        elif plain := re.match(r"^\[\s*([^\]]+?)\s*\]", line):
            current = (plain.group(1), None)
        else:
            if key and current == table and re.match(rf"^\"?{re.escape(key)}\"?\s*=", line):
                return number
            continue
        if current == table:
            header = number
    return header


def _check_consistency(parsed: RegisterFile, text: str, source: str) -> None:
    """What no single field shows: duplicates across entries, outcomes naming unknown groups."""
    from pipeline.register import simplify_name

    names: dict[str, str] = {}
    for position, group in enumerate(parsed.groups):
        for name in (group.name, group.short, *group.aliases):
            if not name:
                continue
            key = simplify_name(name)
            owner = names.setdefault(key, group.name)
            if owner != group.name:
                line = find_line(text, ("groups", position, "aliases" if name in group.aliases else "name"))
                raise RegisterError(
                    f"The register {source}{f', line {line}' if line else ''}: the name {name!r} is given "
                    f"to both {owner!r} and {group.name!r}; a name may belong to one group only."
                )
    numbers: set[str] = set()
    group_names = {g.name for g in parsed.groups}
    for position, outcome in enumerate(parsed.outcomes):
        if outcome.number in numbers:
            line = find_line(text, ("outcomes", position, "number"))
            raise RegisterError(
                f"The register {source}{f', line {line}' if line else ''}: outcome {outcome.number} "
                "is listed twice; list each outcome once."
            )
        numbers.add(outcome.number)
        if outcome.group not in group_names:
            line = find_line(text, ("outcomes", position, "group"))
            raise RegisterError(
                f"The register {source}{f', line {line}' if line else ''}: outcome {outcome.number} "
                f"names the group {outcome.group!r}, which is not one of the register's groups."
            )
