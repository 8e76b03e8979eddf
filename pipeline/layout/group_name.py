"""The name a return gives its group when no "Group:" line says it and the register does not
know it: from the return's title or first lines, its file's name, or the e-mail it came in.

Only a name that reads as a group's ("Green Spaces Forum", "Older People's Sub-group") is taken:
capitalised words ending in a word such as Group, Forum, Board or Partnership. The partnership's
own name and a heading such as "Thematic Sub-Group Performance Reporting" are not groups.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from pipeline.register import simplify_name

#: The last word of a group's name.
_GROUP_WORDS = frozenset({"group", "sub-group", "subgroup", "partnership", "forum", "board",
                          "network", "panel", "committee", "alliance", "consortium",
                          "collaborative", "executive", "team", "taskforce", "task-force"})
#: Small words a name may hold between its capitalised words.
_JOINERS = frozenset({"and", "&", "of", "for", "the", "in", "on", "with", "'s"})
#: Words that make a heading, not a name: "Thematic Sub-Group", "Priority Action Group".
_GENERIC = frozenset({"thematic", "priority", "action", "performance", "quarterly", "progress",
                      "reporting", "report", "return", "returns", "update", "sub", "the", "our",
                      "your", "this", "local", "strategic", "lead", "working", "steering",
                      "project", "delivery", "plan", "q1", "q2", "q3", "q4", "year", "end"})
_SEGMENTS = re.compile(r"\s+[–—-]\s+|[:|()\[\],;/\n]|\s{2,}")
_WORD = re.compile(r"[\w'’&.-]+")


def group_name_in(texts: Iterable[str], partnership: str = "") -> str:
    """The first group name found in the texts, as written; '' when none reads as one."""
    own = simplify_name(partnership) if partnership else ""
    for text in texts:
        for segment in _SEGMENTS.split(text or ""):
            name = _name_in(segment)
            if name and simplify_name(name) != own:
                return name
    return ""


def _name_in(segment: str) -> str:
    words = _WORD.findall(segment)
    for end, word in enumerate(words):
        if word.lower() not in _GROUP_WORDS or not word[:1].isupper():
            continue
        start = end
        while start > 0 and _part_of_name(words[start - 1]):
            start -= 1
        while start < end and words[start].lower() in _JOINERS:
            start += 1  # a name does not start with "and" or "the"
        name = words[start:end + 1]
        if any(w[:1].isupper() and w.lower() not in _GENERIC and w.lower() not in _GROUP_WORDS
               for w in name[:-1]):
            return " ".join(name)
    return ""


def _part_of_name(word: str) -> bool:
    return word[:1].isupper() or word.lower() in _JOINERS


def file_name_text(name: str) -> str:
    """A file's name as words, capitalised as a title ('green-spaces-forum_q4.docx')."""
    stem = Path(name).stem.replace("_", " ").replace("-", " ").replace(".", " ")
    return " ".join(w if w[:1].isupper() else w.capitalize() for w in stem.split())
