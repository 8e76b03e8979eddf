"""The partnership's register of groups and outcomes, and matching what a return says to it."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

from rapidfuzz import fuzz, process

from pipeline.errors import PipelineError
from pipeline.normalise.headers import fold

#: A name scoring at least this (0-100) against a group's name or alias is taken as that group.
GROUP_MATCH_SCORE = 90


class RegisterError(PipelineError):
    """The register file cannot be read; the run cannot go on without it."""


@dataclass(frozen=True)
class Group:
    """A Priority Action Group: its canonical name, the other ways it is written, its contacts."""

    name: str
    short: str
    aliases: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    contact_name: str = ""

    def names(self) -> tuple[str, ...]:
        """Every way this group may be written, the canonical name first."""
        return (self.name, self.short, *self.aliases)

    @property
    def slug(self) -> str:
        """A file-name-safe short form (``stronger-communities``)."""
        return re.sub(r"[^a-z0-9]+", "-", self.short.lower()).strip("-")


@dataclass(frozen=True)
class Outcome:
    """An outcome of the Sustainable Community Strategy and the group that owns it."""

    number: str
    title: str
    group: str


@dataclass
class GroupMatch:
    """The result of matching a name to the register."""

    group: Group | None
    closest: str = ""
    score: float = 0.0


@dataclass
class Register:
    """Groups in the partnership's order, and outcomes by number."""

    partnership: str
    groups: list[Group]
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    source: str = ""
    officer: str = ""
    """The partnership officer's e-mail address, the sender of reminders and feedback."""
    reminder_days: int = 10

    def group_named(self, name: str) -> Group | None:
        """The group with exactly this canonical name, if any."""
        return next((g for g in self.groups if g.name == name), None)

    def match_group(self, text: str) -> GroupMatch:
        """Match a name as a return writes it to a group, tolerating case, '&' and small typos."""
        wanted = _simplify(text)
        if not wanted:
            return GroupMatch(None)
        choices = self._choices
        if wanted in choices:
            return GroupMatch(choices[wanted], choices[wanted].name, 100.0)
        best = process.extractOne(wanted, list(choices), scorer=fuzz.ratio)
        if best is None:
            return GroupMatch(None)
        key, score, _ = best
        group = choices[key]
        if score >= GROUP_MATCH_SCORE:
            return GroupMatch(group, group.name, score)
        return GroupMatch(None, group.name, score)

    @cached_property
    def _choices(self) -> dict[str, Group]:
        """Every way each group may be written, simplified, to the group."""
        return {_simplify(n): g for g in self.groups for n in g.names()}

    def find_group_in(self, text: str) -> Group | None:
        """The group whose name or alias appears as whole words in a longer text (a title, a file name)."""
        simple = f" {_simplify(text)} "
        best: tuple[int, Group] | None = None
        for key, group in self._choices.items():
            if len(key) >= 3 and f" {key} " in simple and (best is None or len(key) > best[0]):
                best = (len(key), group)
        return best[1] if best else None

    def group_for_sender(self, address: str) -> Group | None:
        """The group one of whose contacts sent this address."""
        address = address.strip().lower()
        return next((g for g in self.groups if address in (c.lower() for c in g.contacts)), None)

    def outcomes_of(self, group: str) -> list[Outcome]:
        """The outcomes a group owns, in number order."""
        return sorted((o for o in self.outcomes.values() if o.group == group), key=outcome_sort_key)


def outcome_sort_key(outcome: Outcome | str) -> tuple[int, ...]:
    """Sort outcomes numerically: 2.10 after 2.9."""
    number = outcome.number if isinstance(outcome, Outcome) else outcome
    return tuple(int(p) for p in re.findall(r"\d+", number)) or (9999,)


def _simplify(text: str) -> str:
    # Headings and group names are folded alike; "Co-ordination" is one word in group names.
    return fold(text.lower().replace("co-ordination", "coordination"))


def load_register(path: Path | None = None) -> Register:
    """Load the register from a TOML file, or the one shipped with the pipeline."""
    try:
        if path is None:
            data = resources.files("pipeline").joinpath("register.toml").read_bytes()
            source = "the built-in register"
        else:
            data = Path(path).read_bytes()
            source = str(path)
        raw = tomllib.loads(data.decode("utf-8"))
    except FileNotFoundError as exc:
        raise RegisterError(f"The register file {path} does not exist.") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RegisterError(f"The register {path} is not valid TOML: {exc}") from exc
    try:
        groups = [
            Group(
                name=g["name"],
                short=g.get("short", g["name"]),
                aliases=tuple(g.get("aliases", ())),
                contacts=tuple(g.get("contacts", ())),
                contact_name=g.get("contact_name", ""),
            )
            for g in raw.get("groups", [])
        ]
        outcomes = {
            str(o["number"]): Outcome(str(o["number"]), o.get("title", ""), o["group"])
            for o in raw.get("outcomes", [])
        }
    except KeyError as exc:
        raise RegisterError(f"An entry in {source} has no {exc.args[0]!r}: every group needs a "
                            "name, every outcome a number and a group.") from exc
    names = {g.name for g in groups}
    for o in outcomes.values():
        if o.group not in names:
            raise RegisterError(f"Outcome {o.number} in {source} names the group {o.group!r}, "
                                "which is not one of the register's groups.")
    if not groups:
        raise RegisterError(f"{source} lists no groups.")
    return Register(raw.get("partnership", ""), groups, outcomes, source,
                    officer=str(raw.get("officer", "")), reminder_days=int(raw.get("reminder_days", 10)))
