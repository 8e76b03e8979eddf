"""Recognising the lines that set the scene for the tasks below them.

'Outcome: 2:1 …', 'Ref:' and 'Action:' blocks, the summary's 'Date:', 'Contact:' and
'Green – on track | 1' lines: each is read into a `ContextLine`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.normalise.text import parse_outcome

#: What a summary line counts, by the word it starts with.
_COUNTED = ("Green", "Amber", "Red", "Achieved", "Total")
_SUMMARY_LABELS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"^{colour.lower()}\b"), colour) for colour in _COUNTED)
#: The start every summary line has (and more texts: '  GREENS'), found without splitting a text.
_SUMMARY_START_RE = re.compile(r"\s*(?:" + "|".join(_COUNTED) + ")", re.IGNORECASE)
_LABELS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind) for pattern, kind in (
        (r"^ref(erence)?\b\.?(\s*(no\.?|number)\b)?\s*[:\-–]?", "ref"),
        (r"^action\s*(:|[-–]\s)", "action"),
        (r"^date\s*:", "date"),
        (r"^contact\s*:", "contact"),
        (r"^(thematic\s+)?sub[- ]?group\s*:", "sub_group"),
        (r"^(priority action\s+)?group\s*:", "sub_group"),
        (r"^outcome measures?\b", "measure"),
        (r"^aim\s+\d", "ignore"),
        (r"^summary\s*$", "ignore"),
    ))
#: The first words a scene-setting line can start with: anything else is ordinary text, found
#: without trying every pattern (most cells of a return are task text).
_FIRST_WORDS = frozenset({"outcome", "ref", "reference", "action", "date", "contact", "thematic", "sub",
                          "subgroup", "sub-group", "group", "priority", "aim", "summary"})
_FIRST_WORD_RE = re.compile(r"[a-z]+(?:-[a-z]+)?")
#: How every scene-setting and summary line starts, lower-cased after its spaces (and more
#: texts: 'Referral', 'Totally'): a text that does not is ordinary, told in one look.
_SCENE_STARTS = tuple(sorted(_FIRST_WORDS | {c.lower() for c in _COUNTED}))
#: The longest of them: as many characters as a text is looked at for one.
_SCENE_START_LENGTH = max(map(len, _SCENE_STARTS))
#: Every character a text that may set the scene can begin with: a start's first letter in either
#: case, or a space (skipped before the start). test_a_scene_start_begins_with_one_of_its_letters
#: checks every character (no other lower-cases to one of the letters).
SCENE_FIRST_CHARACTERS = frozenset(
    {start[0] for start in _SCENE_STARTS} | {start[0].upper() for start in _SCENE_STARTS}
    | set("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
          "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"))


@dataclass(frozen=True)
class ContextLine:
    """One scene-setting line: its kind and its value."""

    kind: str
    """``outcome``, ``ref``, ``action``, ``date``, ``contact``, ``sub_group``, ``measure`` or ``ignore``."""
    value: str = ""
    title: str = ""
    """For an outcome, its title; for a count, the colour counted."""


def may_set_scene(text: str) -> bool:
    """False for a text that `read_context` and `read_count_label` both take for ordinary text,
    found faster than either (True does not say it is a label)."""
    if text[:1] not in SCENE_FIRST_CHARACTERS:
        return False  # most texts (every task row's first cell is asked): told by the first letter
    # Lower-cased as both readers lower-case it (a character lower-cases to one or more).
    return text.lstrip()[:_SCENE_START_LENGTH].lower().startswith(_SCENE_STARTS)


@lru_cache(maxsize=4096)
def read_context(text: str) -> ContextLine | None:
    """Read a cell or paragraph that sets context, or None when it is ordinary text.

    Remembered by text: a scene-setting cell is read when its row is told from a task's and
    again line by line, and the same lines ('Date: 31 March 2009', 'Ref:') recur in a return."""
    stripped = text.strip()
    if not _opens_with_label_word(stripped):
        return None
    outcome = parse_outcome(stripped)
    if outcome is not None:
        return ContextLine("outcome", outcome[0], outcome[1])
    first_line = stripped.splitlines()[0].strip()
    for pattern, kind in _LABELS:
        match = pattern.match(stripped)
        if match is None:
            continue
        if kind == "ref" and not _looks_like_ref_label(first_line):
            return None
        value = "" if kind == "ignore" else stripped[match.end():].lstrip(" :")
        return ContextLine(kind, _tidy(value))
    return None


def _opens_with_label_word(stripped: str) -> bool:
    """True when a stripped text starts with a word a scene-setting line can start with."""
    first_word = _FIRST_WORD_RE.match(stripped[:20].lower())
    return first_word is not None and first_word.group(0) in _FIRST_WORDS


#: Labels that start a new scene-setting segment inside one cell.
_SEGMENT_STARTS = frozenset({"ref", "action", "outcome", "date", "contact"})


#: A second label on the same line: 'Ref: 2.4a   Action: Reduce…'.
_INLINE_LABEL_RE = re.compile(r"\s*[-–—|/,;]?\s+(?=action\s*:)", re.IGNORECASE)
#: What a line with a second label holds: the label after a space. Found without the optional
#: separator in front (each place of a long line would be tried for it), so that the split above
#: is only tried on a line that has one.
_SPACED_ACTION_LABEL_RE = re.compile(r"\saction\s*:", re.IGNORECASE)


@lru_cache(maxsize=4096)
def read_contexts(text: str) -> tuple[ContextLine, ...]:
    """Every scene-setting line in a cell that starts with one: 'Ref: 3.3b' then 'Action: …' alike,
    on lines of their own or on one line.

    Empty when the cell does not start with a label, so ordinary text is never taken as context.
    Remembered by text, as `read_context` is: a return's 'Date:' and 'Summary' lines recur in
    every outcome's table, and returns of one plan name the same actions.
    """
    stripped = text.strip()
    if not _opens_with_label_word(stripped):
        return ()  # the first segment would start with no label: ordinary text
    lines: list[str] = []
    for line in stripped.splitlines():
        starts = read_context(line) if _SPACED_ACTION_LABEL_RE.search(line) else None
        if starts is not None and starts.kind == "ref":
            lines.extend(_INLINE_LABEL_RE.split(line, maxsplit=1))
        else:
            lines.append(line)
    segments: list[list[str]] = []
    for line in lines:
        if segments and not _starts_segment(line):
            segments[-1].append(line)
        else:
            segments.append([line])
    found = [read_context("\n".join(segment)) for segment in segments]
    if not found or found[0] is None:
        return ()
    return tuple(c for c in found if c is not None)


def _starts_segment(line: str) -> bool:
    """True when a line of a cell starts a new scene-setting segment ('Action: …' under 'Ref:')."""
    if not line.strip():
        return False
    starts = read_context(line)
    return starts is not None and starts.kind in _SEGMENT_STARTS


@lru_cache(maxsize=4096)
def read_count_label(text: str) -> str | None:
    """The colour a summary line counts ('Green – on track' gives 'Green'), or None.

    Remembered by text, as `read_context` is: it is asked only of cells that may set the scene
    (a row's first, and each of a scene-setting row's), and a return's summary lines ('Green –
    on track', 'Total') and 'Date:' lines recur in every outcome's table."""
    if _SUMMARY_START_RE.match(text) is None:
        return None  # most texts: no colour or total first
    words = text.split(None, 5)  # no further: a sixth word already says it is no label
    if len(words) > 5:
        return None
    first = " ".join(words).lower()
    for pattern, colour in _SUMMARY_LABELS:
        if pattern.match(first):
            return colour
    return None


def read_count(text: str) -> int | None:
    """A summary count cell as a whole number; None when it is blank or not a number."""
    text = text.strip()
    if _COUNT_RE.fullmatch(text):
        return int(float(text))
    return None


def _looks_like_ref_label(line: str) -> bool:
    # "Ref:", "Ref", "Ref: 4.3a", "Ref. 4.3a", "Ref no: 4.3a", "Reference – 2.3b" -- but not
    # "Refresh the plan".
    return bool(_REF_LABEL_RE.match(line))


#: A summary's count: a whole number, as a spreadsheet may write it ('7.0').
_COUNT_RE = re.compile(r"\d{1,4}(\.0+)?")
_REF_LABEL_RE = re.compile(r"^ref(erence)?\.?(\s*(no\.?|number)\b)?\s*(:|$|[-–]|\s*\d)", re.IGNORECASE)


def _tidy(value: str) -> str:
    # Paragraphs inside a Word cell come with blank spacer lines; keep single breaks only.
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())
