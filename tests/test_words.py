"""Counts in words: one way for the console, the page, the e-mails and the report."""

from __future__ import annotations

import pytest

from pipeline.words import plural, plural_noun


@pytest.mark.parametrize(("count", "noun", "words"), [
    (0, "error", "0 errors"), (1, "error", "1 error"), (2, "query", "2 queries"),
    (1, "query", "1 query"), (3, "day", "3 days"), (2, "task row", "2 task rows"),
    (2, "attached file", "2 attached files"),
])
def test_plural(count: int, noun: str, words: str) -> None:
    assert plural(count, noun) == words


def test_an_irregular_plural_is_given() -> None:
    assert plural(2, "person", "people") == "2 people" and plural(1, "person", "people") == "1 person"


def test_plural_noun_after_a_vowel_keeps_its_y() -> None:
    assert [plural_noun(n) for n in ("key", "survey", "query", "summary")] == [
        "keys", "surveys", "queries", "summaries"]
