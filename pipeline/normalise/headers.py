"""Mapping column headings, however a group words them, onto the pipeline's fields.

A heading is matched in three steps, strictest first: an exact synonym (after folding case,
"&" and punctuation), a close fuzzy match to a synonym, then a key word. Whatever matches
nothing is reported, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

#: Field -> the headings groups use for it. The first is the template's own heading.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "task": ("Tasks", "Task", "Activity", "Activities", "Tasks and activities",
             "How will we do it", "How will we achieve it", "Detailed tasks"),
    "target": ("Target", "Targets", "Target date", "Target and date", "Targets and dates",
               "Target / deadline", "Milestone target"),
    "position": ("Position", "Current position", "Progress", "Progress to date",
                 "Progress update", "Update", "Position at quarter end", "Comments on progress",
                 "Current status update"),
    "status": ("Status", "RAG", "RAG status", "RAG rating", "R/A/G", "Rating", "Status (RAG)",
               "Red Amber Green"),
    "planned": ("Planned improvement/action needed and deadline", "Planned improvement",
                "Planned improvement/action needed", "Action needed", "Planned action",
                "Improvement action", "Next steps", "Action needed and deadline",
                "Remedial action", "Planned improvement and deadline"),
    "ref": ("Ref", "Ref.", "Reference", "Ref no", "Action ref"),
    "action": ("Action", "Actions", "Action description"),
    "objective": ("What do we want to achieve", "Objective", "Objectives", "Aim", "What we want to achieve"),
    "outcome": ("Outcome", "Outcome no", "Outcome number", "SCS outcome", "Outcome ref", "Outcomes"),
    "group": ("Group", "PAG", "Priority Action Group", "Thematic group", "Thematic sub-group",
              "Sub-group", "Action group"),
    "resources": ("Resource/ Organisations involved", "Resources", "Organisations involved",
                  "Who will be involved", "Partners involved", "Resources needed and available",
                  "Who is involved"),
    "measures": ("Measures", "Measure", "What will success look like",
                 "What will success look like (links to national indicator set)",
                 "Success measures", "Performance measures", "Indicators"),
    "targets": ("Targets",),
    "milestones": ("Milestones/Detailed Tasks", "Milestones", "Milestones and detailed tasks",
                   "Key milestones"),
    "timescale": ("Timescale", "Timescales", "Timing", "Timeframe", "When", "By when"),
    "contact_officer": ("Contact Officer", "Lead officer", "Contact", "Responsible officer"),
    "lead_partnership": ("Lead Partnership", "Lead partner", "Lead organisation", "Lead agency"),
    "long_term": ("Long-term Ambitions", "Long term ambitions", "Longer term ambitions"),
    "baseline": ("Baseline",),
    # Columns groups add to a progress table.
    "owner": ("Owner", "Task owner", "Action owner", "Responsible", "Responsibility",
              "Who is responsible", "Lead person", "Lead"),
    "revised_deadline": ("Revised deadline", "Revised target date", "Revised date", "New deadline",
                         "Revised timescale", "Revised target", "Revised completion date"),
    "deadline": ("Deadline", "Due date", "Completion date", "Date due", "Target completion date"),
    "comments": ("Comments", "Comment", "Notes", "Additional comments", "Remarks"),
    "evidence": ("Evidence", "Evidence of progress", "Evidence / outputs", "Evidence of impact"),
    "budget": ("Budget", "Cost", "Costs", "Funding", "Budget (£)", "Spend"),
}

#: The five-column task table of the partnership's progress return (seed 001), in order: each
#: field's own heading, the first of its synonyms.
TASK_HEADERS: tuple[str, ...] = tuple(SYNONYMS[f][0] for f in ("task", "target", "position", "status",
                                                                "planned"))

# Key words tried last, in this order, on short headings only ("planned" before "action").
_KEY_WORD_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\bplanned\b|\bimprovement\b|\bnext steps?\b|\bremedial\b", "planned"),
    (r"\brevised\b.*\b(deadline|date|target|timescale)\b", "revised_deadline"),
    (r"\brag\b|\bstatus\b", "status"),
    (r"\bprogress\b|\bposition\b", "position"),
    (r"\bmilestones?\b", "milestones"),
    (r"\blong[ -]?term\b", "long_term"),
    (r"\blead (partnership|partner|agency|organisation)\b", "lead_partnership"),
    (r"\b(contact|lead) officer\b", "contact_officer"),
    (r"\btimescales?\b", "timescale"),
    (r"\bdeadline\b", "deadline"),
    (r"\bevidence\b", "evidence"),
    (r"\bcomments?\b", "comments"),
    (r"\bbudget\b|\bcosts?\b", "budget"),
    (r"\bowner\b|\bresponsib", "owner"),
    (r"\bbaseline\b", "baseline"),
    (r"\bresources?\b|\binvolved\b|\bpartners\b", "resources"),
    (r"\bmeasures?\b|\bsuccess\b|\bindicators?\b", "measures"),
    (r"\btargets?\b", "target"),
    (r"\btasks?\b", "task"),
    (r"\bref(erence)?\b", "ref"),
    (r"\bactions?\b", "action"),
    (r"\bachieve\b|\bobjectives?\b", "objective"),
    (r"\boutcomes?\b", "outcome"),
)
_KEY_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), field) for pattern, field in _KEY_WORD_PATTERNS)

FUZZY_SCORE = 88
#: Headings longer than this many words are sentences, not headings.
MAX_HEADING_WORDS = 12

_YEAR_RE = re.compile(r"\b((?:19|20)\d\d)\s*[/\-–]\s*(\d{4}|\d{1,2})\b")


def fold(text: str) -> str:
    """Fold a heading for comparison: lower case, '&' as 'and', punctuation as spaces."""
    text = text.lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@lru_cache(maxsize=1)
def _folded_synonyms() -> dict[str, str]:
    return {fold(s): field for field, words in SYNONYMS.items() for s in words if field != "targets"}


@lru_cache(maxsize=1)
def _synonym_list() -> tuple[str, ...]:
    """The folded synonyms in order, the choices of the fuzzy match."""
    return tuple(_folded_synonyms())


@dataclass(frozen=True)
class HeaderMatch:
    """What a heading was matched to and how."""

    field: str | None
    how: str
    """``exact``, ``fuzzy``, ``keyword``, ``year`` or ``none``."""
    year: str = ""
    """For a target-year heading, the year in the form 2008/09."""


def financial_year(text: str) -> str:
    """The financial year a heading names, as 2008/09 ('2008/ 2009', '2007/8', '2010-11'); or ''."""
    if "19" not in text and "20" not in text:
        return ""  # most texts: no year, told without trying the pattern at every character
    if "/" not in text and "-" not in text and "–" not in text:
        return ""  # a date ('March 2009'), told without the pattern, as a year has a separator
    match = _YEAR_RE.search(text)
    if not match:
        return ""
    start, end = int(match.group(1)), match.group(2)
    if len(end) == 4:
        end_year = int(end)
    else:
        base = 10 ** len(end)
        end_year = start // base * base + int(end)
        if end_year < start:
            end_year += base
    return f"{start}/{str(end_year)[-2:]}" if end_year == start + 1 else ""


@lru_cache(maxsize=4096)
def match_header(text: str) -> HeaderMatch:
    """Map one heading onto a field, or report that it matches none."""
    folded = fold(text)
    if not folded:
        return HeaderMatch(None, "none")
    synonyms = _folded_synonyms()
    if folded in synonyms:
        return HeaderMatch(synonyms[folded], "exact")
    if len(folded.split()) > MAX_HEADING_WORDS:
        return HeaderMatch(None, "none")
    # The first synonym of the best score, as without a cutoff; the cutoff spares the rest.
    best = process.extractOne(folded, _synonym_list(), scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE)
    if best is not None:
        return HeaderMatch(synonyms[best[0]], "fuzzy")
    for pattern, field in _KEY_WORDS:
        if pattern.search(folded):
            return HeaderMatch(field, "keyword")
    return HeaderMatch(None, "none")


def year_heading(text: str) -> HeaderMatch | None:
    """A target-year sub-heading ('2008/ 2009', 'Baseline 2007/8'), or None."""
    year = financial_year(text)
    if not year:
        return None
    if "baseline" in fold(text):
        return HeaderMatch("baseline", "year", year)
    return HeaderMatch("year", "year", year)
