"""The words and shapes the templates share with the layout interpreter, in one place.

Every label here is one `pipeline/layout` recognises ("Outcome: 2.1 …", "Ref:", "Action:",
"Date:", "Thematic Sub-group:", "Green – on track", the task and plan headers); change one
only together with the interpreter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.records import Status

PROGRESS_TITLE = "Thematic Sub-Group Performance Reporting"
PLAN_TITLE = "Action Plan"

STATUSES: tuple[str, ...] = tuple(s.value for s in (Status.GREEN, Status.AMBER, Status.RED,
                                                    Status.ACHIEVED))
STATUS_PLACEHOLDER = "Choose a status"

#: The summary block's right-hand labels, each with the status it counts (None: the total).
SUMMARY_LABELS: tuple[tuple[str, Status | None], ...] = (
    ("Green – on track", Status.GREEN),
    ("Amber – needs attention", Status.AMBER),
    ("Red – needs action", Status.RED),
    ("Total", None),
)

REF_LABEL = "Ref:"
ACTION_LABEL = "Action:"
DATE_LABEL = "Date:"
SUB_GROUP_LABEL = "Thematic Sub-group:"
CONTACT_LABEL = "Contact:"
OUTCOME_MEASURE_LABEL = "Outcome Measure:"

#: The planning template's action table (seed 002); "Targets" spans the baseline and years.
PLAN_HEADERS_BEFORE: tuple[str, ...] = ("Action", "Task", "Measures")
PLAN_TARGETS = "Targets"
PLAN_HEADERS_AFTER: tuple[str, ...] = (
    "Milestones/Detailed Tasks", "Timescale", "Resource/ Organisations involved",
    "Contact Officer", "Lead Partnership", "Long-term Ambitions")

#: The Strategy's aims as seeds 002 and 003 word them; other aims are shown by number only
#: (the register does not hold aims yet).
AIM_TITLES: dict[str, str] = {
    "2": "A place where all communities matter and people want to live",
    "3": "A place where all people matter and we ‘narrow the gap’ in health, poverty and social "
         "exclusion",
}


def outcome_label(number: str, title: str) -> str:
    """The outcome heading of a progress return: 'Outcome: 2.1 Communities live, …'."""
    return f"Outcome: {number} {title}".strip()


def plan_outcome_label(number: str, title: str) -> str:
    """The outcome heading of an action plan: 'Outcome 2.1: Communities live, …'."""
    return f"Outcome {number}: {title}".strip()


def aim_label(outcome: str) -> str:
    """The aim an outcome sits under ('Aim 2' for outcome 2.1), with its title when known."""
    aim = outcome.split(".")[0]
    title = AIM_TITLES.get(aim, "")
    return f"Aim {aim}\n{title}" if title else f"Aim {aim}"


@dataclass(frozen=True)
class PlanYears:
    """The financial years an action plan's Targets columns cover."""

    baseline: str
    """The year before the plan starts ('2007/08'): the baseline's year."""
    years: tuple[str, ...]
    """One per plan year ('2008/09', '2009/10', '2010/11')."""

    @property
    def span(self) -> str:
        """The plan's years in words: '2008/09 to 2010/11'."""
        return f"{self.years[0]} to {self.years[-1]}" if self.years else ""


def financial_year(start: int) -> str:
    """The financial year starting in April of `start`, written 2008/09."""
    return f"{start}/{(start + 1) % 100:02d}"


def plan_years(start: int | None = None, today: dt.date | None = None, count: int = 3) -> PlanYears:
    """The plan's years: `count` financial years from April of `start`.

    Without a start, the plan begins with the next financial year, as the partnership plans
    in January to March for the year starting in April (seed 002).
    """
    if start is None:
        today = today or dt.date.today()
        current = today.year if today.month >= 4 else today.year - 1
        start = current + 1
    return PlanYears(financial_year(start - 1),
                     tuple(financial_year(start + i) for i in range(count)))
