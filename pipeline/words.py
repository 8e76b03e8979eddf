"""Counts in words, one way everywhere (console, page, e-mails, report): '1 query', '2 queries'."""

from __future__ import annotations


def plural_noun(noun: str) -> str:
    """'query' -> 'queries', 'day' -> 'days', 'task row' -> 'task rows'."""
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return noun[:-1] + "ies"
    return noun + "s"


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 task', '3 tasks', '2 queries'; ``many`` for a plural not made by adding s or ies."""
    return f"{count} {one if count == 1 else (many or plural_noun(one))}"
