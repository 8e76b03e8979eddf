"""The sample returns in `inbox/`: one per seed-000 group, what each declares and what is odd in it.

`scripts/build_inbox.py` writes the files from this; an end-to-end test can read them and
compare what comes out with `tasks_in_return` and `RETURNS`.

Summary counts here are as a person typed them. They agree with the tasks below them, counted
one per task row under its worst status (Red > Amber > Green > Achieved) with Achieved counted
as Green, in every return but one: `cdrp-progress-2008-09-Q4.docx` (see `SUMMARY_MISMATCH`).
"""

from __future__ import annotations

from dataclasses import dataclass

from samples.green_tasks import GREEN_TASKS
from samples.seed000 import CDRP, CYPAG, EDCG, HEALTHY_CITY, STRONGER_COMMUNITIES, SeedGroup, SeedTask

#: The quarter every progress return reports on, as the summaries write it.
REPORT_DATE = "31st March 2009"


@dataclass(frozen=True)
class OutcomeSummary:
    """A return's summary table for one outcome, as written in it."""

    outcome: str
    """Dotted ("2.1"), whatever the label writes."""
    label: str
    """The first cell: "Outcome: 2:1 Communities live, …"."""
    green: int | None
    amber: int | None
    red: int | None
    total: int | None
    """None where the count cell is left empty (as seed 001 does for zero)."""


@dataclass(frozen=True)
class ReturnSpec:
    """One file in `inbox/`: whose return it is and how it is laid out."""

    file_name: str
    group: SeedGroup
    sub_group: str
    """As the summary's "Thematic Sub-group:" cell writes it."""
    contact: str
    summaries: tuple[OutcomeSummary, ...]
    """Empty for the Excel return, which has no summary table."""
    oddities: tuple[str, ...] = ()
    status_words: tuple[tuple[str, str], ...] = ()
    """Statuses the return writes in other words than the data: (data, as written) pairs."""

    def status_as_written(self, status: str) -> str:
        """The Status cell's text in this return for a task whose status is `status`."""
        return dict(self.status_words).get(status, status)


def _label(outcome: str, title: str, colon_form: bool = False) -> str:
    # Seed 001 writes "Outcome: 2:1 Communities …" but "Outcome: 2.2: Our diverse …".
    if colon_form:
        return f"Outcome: {outcome.replace('.', ':')} {title}"
    return f"Outcome: {outcome}: {title}"


def _title(group: SeedGroup, outcome: str) -> str:
    return next(a.outcome_title for a in group.actions if a.outcome == outcome)


#: The return whose summary deliberately disagrees with its tasks: the Amber count is stale
#: (2 declared, 1 task at amber) and so is Green (2 declared, 3 counted); Total agrees.
SUMMARY_MISMATCH = "cdrp-progress-2008-09-Q4.docx"

# Contacts are role titles except where a seed names the person (Di Robinson, seed 001; Julie
# Northcott, contact officer for 3.3b in seed 003).
RETURNS: tuple[ReturnSpec, ...] = (
    ReturnSpec(
        file_name="cdrp-progress-2008-09-Q4.docx",
        group=CDRP,
        sub_group="CDRP",
        contact="Community Safety Manager",
        summaries=(OutcomeSummary("2.3", _label("2.3", _title(CDRP, "2.3")), 2, 2, 0, 4),),
        oddities=(
            "summary-mismatch: Green 2 / Amber 2 declared, 3 / 1 counted",
            "task table headers: Task, Target(s), Progress, RAG, "
            "Planned improvement / action needed & deadline",
            "a Word lock file ~$cdrp-progress-2008-09-Q4.docx lies beside it",
        ),
    ),
    ReturnSpec(
        file_name="economic-development-progress-2008-09-Q4.xlsx",
        group=EDCG,
        sub_group="",
        contact="",
        summaries=(),
        oddities=(
            "Excel, one sheet per outcome ('Outcome 4.3'), title and date rows above",
            "merged Ref and Action rows above the header row; wrapped multi-line cells",
            "Status drop-down from a hidden 'Lists' sheet",
            "free note in a merged row below the task table",
        ),
    ),
    ReturnSpec(
        file_name="healthy-city-progress-2008-09-Q4.docx",
        group=HEALTHY_CITY,
        sub_group="Healthy City Partnership",
        contact="Healthy City Co-ordinator",
        summaries=(OutcomeSummary("3.4", _label("3.4", _title(HEALTHY_CITY, "3.4")), 3, 7, 1, 11),),
        oddities=(
            "Status cells shaded with their colour as well as the word",
            "one Status cell holds three statuses (ACHIEVED, ACHIEVED, AMBER)",
            "two actions under one outcome summary",
            "header cells Target and Position end in an empty paragraph",
            "Action 3.4d holds a line break",
        ),
    ),
    ReturnSpec(
        file_name="cypag-progress-2008-09-Q4.docx",
        group=CYPAG,
        sub_group="CYPAG",
        contact="Julie Northcott",
        summaries=(OutcomeSummary("3.3", _label("3.3", _title(CYPAG, "3.3")), 2, 1, 0, 3),),
        oddities=(
            "statuses in the summary's words: 'Amber – needs attention', 'Green – on track'",
            "no Ref/Action table: Ref and Action are a vertically merged first column of the task table",
        ),
        status_words=(("Amber", "Amber – needs attention"), ("Green", "Green – on track")),
    ),
    ReturnSpec(
        file_name="stronger-communities-progress-2008-09-Q4.docx",
        group=STRONGER_COMMUNITIES,
        sub_group="Stronger Communities",
        contact="Di Robinson",
        summaries=(
            OutcomeSummary("2.1", _label("2.1", _title(STRONGER_COMMUNITIES, "2.1"), True), 1, 2, 1, 4),
            OutcomeSummary("2.2", _label("2.2", _title(STRONGER_COMMUNITIES, "2.2")), 2, 2, 2, 6),
            OutcomeSummary("3.1", _label("3.1", _title(STRONGER_COMMUNITIES, "3.1")), None, None, 1, 1),
        ),
        oddities=(
            "'Outcome: 2:1' for outcome 2.1",
            "empty Ref cells",
            "empty Green and Amber count cells for zero (outcome 3.1)",
            "task letters with gaps (a, b, d)",
        ),
    ),
)

#: The Children & Young People Action Group's planning return, built from `samples.seed003`.
PLANNING_RETURN = "cypag-action-plan-2008-10.docx"
#: Word's owner file, 162 bytes of junk, which a run should skip.
LOCK_FILE = "~$cdrp-progress-2008-09-Q4.docx"


def tasks_in_return(group: SeedGroup, action_index: int) -> tuple[SeedTask, ...]:
    """The tasks of one action in the order its return lists them: seed 000's and the greens."""
    tasks = list(group.actions[action_index].tasks)
    extras = [g for g in GREEN_TASKS.get(group.name, ()) if g.action_index == action_index]
    for extra in sorted(extras, key=lambda g: g.insert_at):
        tasks.insert(extra.insert_at, extra.task)
    return tuple(tasks)
