"""The partnership's register of groups and outcomes, and matching what a return says to it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

from rapidfuzz import fuzz, process

from pipeline.normalise.headers import fold
from pipeline.normalise.status import DEFAULT_VOCABULARY, StatusVocabulary, status_value
from pipeline.periods import ReportingCalendar
from pipeline.records import Status
from pipeline.register_file import (
    LOCAL_FILE_NAME,
    ChecksEntry,
    RegisterError,
    SmtpEntry,
    parse_register,
    register_text,
)

__all__ = ["Group", "GroupMatch", "Outcome", "Register", "RegisterError", "load_register", "simplify_name"]

#: A name scoring at least this (0-100) against a group's name or alias is taken as that group.
GROUP_MATCH_SCORE = 90
#: A point under it: how far apart in length two names may be and still be compared.
_NEAR_SCORE = GROUP_MATCH_SCORE - 1
#: A name not taken as a group is told the closest one only when they share this much of their
#: words (0-100, rapidfuzz's token_set_ratio): "Children Group" is told the Children & Young
#: People Action Group; "Green Spaces Forum" is told no group rather than an unrelated one.
GROUP_SUGGEST_SCORE = 60


@dataclass(frozen=True)
class Group:
    """A Priority Action Group: its canonical name, the other ways it is written, its contacts."""

    name: str
    short: str
    aliases: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    contact_name: str = ""
    chair: str = ""
    """The chair's address, copied into a reminder once the return is long overdue."""

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
    score: float = 0.0
    suggest: Callable[[], str] | None = field(default=None, repr=False, compare=False)
    """Finds the closest group's name when no group matched: looked for only when asked."""

    @cached_property
    def closest(self) -> str:
        """The matched group's name; else the closest group's, if one shares its words; else ''."""
        if self.group is not None:
            return self.group.name
        return self.suggest() if self.suggest is not None else ""


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
    calendar: ReportingCalendar = field(default_factory=ReportingCalendar)
    """The financial year and reporting frequency: how period labels and dates are read."""
    deadline_days: int = 21
    """Days after a period ends that its returns are due, unless the officer sets a deadline."""
    escalation_days: int = 14
    """Days past the deadline after which a reminder is copied to the group's chair."""
    reminder_interval_days: int = 7
    """Days after a reminder is sent before the same reminder is written again."""
    smtp: SmtpEntry | None = None
    status_words: dict[str, Status | None] = field(default_factory=dict)
    """The partnership's own status words (``[status_words]``): word -> status, None to query."""
    checks: ChecksEntry = field(default_factory=ChecksEntry)
    """The automatic queries on statuses (``[checks]``) and their tolerances."""

    @cached_property
    def vocabulary(self) -> StatusVocabulary:
        """The default status vocabulary with the partnership's own words added."""
        return DEFAULT_VOCABULARY.extended(self.status_words)
    """The mail server reminders and feedback can be sent through; None when not configured."""

    def group_named(self, name: str) -> Group | None:
        """The group with exactly this canonical name, if any."""
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, Group]:
        """Each group by its canonical name (the first, should two share one): looked up for
        every return, so not found by going through the register each time."""
        by_name: dict[str, Group] = {}
        for group in self.groups:
            by_name.setdefault(group.name, group)
        return by_name

    def match_group(self, text: str) -> GroupMatch:
        """Match a name as a return writes it to a group, tolerating case, '&' and small typos."""
        # The same headings recur in every return of a run, and every task of a return names
        # its group alike: each text is simplified once and each simplified name matched once.
        found = self._matched_text.get(text)
        if found is None:
            wanted = simplify_name(text)
            found = self._matched.get(wanted)
            if found is None:
                found = self._matched[wanted] = self._match(wanted)
            self._matched_text[text] = found
        return found

    def _match(self, wanted: str) -> GroupMatch:
        if not wanted:
            return GroupMatch(None)
        choices = self._choices
        if wanted in choices:
            return GroupMatch(choices[wanted], 100.0)
        if not choices:
            return GroupMatch(None)
        best = process.extractOne(wanted, self._names_near(len(wanted)), scorer=fuzz.ratio,
                                  score_cutoff=GROUP_MATCH_SCORE)
        if best is not None:
            key, score, _ = best
            return GroupMatch(choices[key], score)
        return GroupMatch(None, 0.0, partial(self._closest, wanted))

    def _names_near(self, length: int) -> list[str]:
        """The ways of writing a group long enough and short enough to match a name of this
        length, in the register's order: fuzz.ratio counts each character one has and the other
        lacks, so no other can reach GROUP_MATCH_SCORE (a margin of a point kept). Without this,
        each heading was compared with every group's names: reading grew with the square of
        the returns when the register grows with them."""
        near = self._near.get(length)
        if near is None:
            # 2 * shorter / (both) * 100 >= _NEAR_SCORE, in whole numbers (no rounding to miss).
            low = -(-length * _NEAR_SCORE // (200 - _NEAR_SCORE))
            high = length * (200 - _NEAR_SCORE) // _NEAR_SCORE
            near = self._near[length] = sorted(
                (key for size in range(low, high + 1) for key in self._choices_by_length.get(size, ())),
                key=self._choice_order.__getitem__)
        return near

    @cached_property
    def _choices_by_length(self) -> dict[int, list[str]]:
        by_length: dict[int, list[str]] = {}
        for key in self._choices:
            by_length.setdefault(len(key), []).append(key)
        return by_length

    @cached_property
    def _near(self) -> dict[int, list[str]]:
        """The names near each length asked about so far (`_names_near`)."""
        return {}

    def _closest(self, wanted: str) -> str:
        """The group whose name shares the most words with this one, if it shares enough."""
        choices = self._choices
        near = process.extractOne(wanted, list(choices), scorer=fuzz.token_set_ratio,
                                  score_cutoff=GROUP_SUGGEST_SCORE)
        return choices[near[0]].name if near else ""

    @cached_property
    def _choices(self) -> dict[str, Group]:
        """Every way each group may be written, simplified, to the group."""
        return {simplify_name(n): g for g in self.groups for n in g.names()}

    @cached_property
    def _choice_order(self) -> dict[str, int]:
        return {key: index for index, key in enumerate(self._choices)}

    @cached_property
    def _matched(self) -> dict[str, GroupMatch]:
        """What each name, simplified, has matched so far."""
        return {}

    @cached_property
    def _matched_text(self) -> dict[str, GroupMatch]:
        """What each name, as written, has matched so far."""
        return {}

    @cached_property
    def _longest_choice(self) -> int:
        """The most words in any way of writing a group (of three or more letters)."""
        return max((len(key.split()) for key in self._choices if len(key) >= 3), default=0)

    def find_group_in(self, text: str) -> Group | None:
        """The group whose name or alias appears as whole words in a longer text (a title, a file name)."""
        # A return's title lines ('Thematic Sub-Group Performance Reporting') recur in every return
        # of a run, and each was looked through word by word (about 100,000 instructions): each
        # text is looked through once, as match_group matches each text once.
        found_in_text = self._found_in_text
        if text not in found_in_text:
            found_in_text[text] = self._find_group_in(text)
        return found_in_text[text]

    @cached_property
    def _found_in_text(self) -> dict[str, Group | None]:
        """What `find_group_in` found in each text so far."""
        return {}

    def _find_group_in(self, text: str) -> Group | None:
        """`find_group_in` the long way, every run of the text's words looked up."""
        words = simplify_name(text).split()
        choices = self._choices
        # Every run of consecutive words that some name could be, looked up rather than each
        # name searched for: the cost follows the text's length, not the register's.
        found: set[str] = set()
        for size in range(1, min(self._longest_choice, len(words)) + 1):
            for start in range(len(words) - size + 1):
                key = " ".join(words[start:start + size])
                if len(key) >= 3 and key in choices:
                    found.add(key)
        if not found:
            return None
        # The longest name wins; of two as long, the one first in the register.
        order = self._choice_order
        return choices[max(found, key=lambda key: (len(key), -order[key]))]

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


def simplify_name(text: str) -> str:
    """A group name folded for matching: case, '&', punctuation and 'Co-ordination' ignored."""
    # Headings and group names are folded alike; "Co-ordination" is one word in group names.
    return fold(text.lower().replace("co-ordination", "coordination"))


def load_register(path: Path | None = None) -> Register:
    """Load and check the register: the file given, else `register.toml` in the current folder
    (beside the partnership's inbox), else the example packaged with the pipeline."""
    if path is None and Path(LOCAL_FILE_NAME).is_file():
        path = Path(LOCAL_FILE_NAME)
    text, source = register_text(path)
    parsed = parse_register(text, source)
    groups = [
        Group(
            name=g.name,
            short=g.short or g.name,
            aliases=tuple(g.aliases),
            contacts=tuple(g.contacts),
            contact_name=g.contact_name,
            chair=g.chair,
        )
        for g in parsed.groups
    ]
    outcomes = {o.number: Outcome(o.number, o.title, o.group) for o in parsed.outcomes}
    return Register(
        parsed.partnership,
        groups,
        outcomes,
        source,
        officer=parsed.officer,
        reminder_days=parsed.reminder_days,
        calendar=ReportingCalendar(parsed.first_month, parsed.reporting, parsed.return_grace_days),
        deadline_days=parsed.deadline_days,
        escalation_days=parsed.escalation_days,
        reminder_interval_days=parsed.reminder_interval_days,
        smtp=parsed.smtp,
        status_words={word: status_value(value) for word, value in parsed.status_words.items()},
        checks=parsed.checks,
    )
