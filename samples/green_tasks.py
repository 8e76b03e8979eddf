"""Green and achieved tasks that sit beside seed 000's amber and red ones in each group's return.

Stronger Communities' three are seed 001's own green tasks, verbatim (cells held as in
`samples.seed000`). The others are invented in the partnership's voice, with statuses written
the way each group writes them (Healthy City in capitals, like its amber tasks).
"""

from __future__ import annotations

from dataclasses import dataclass

from samples.seed000 import CDRP, CYPAG, EDCG, HEALTHY_CITY, STRONGER_COMMUNITIES, SeedTask


@dataclass(frozen=True)
class GreenTask:
    """A green or achieved task, and where it goes in its group's return."""

    action_index: int
    """Index of the action in the group's `SeedGroup.actions`."""
    insert_at: int
    """Index of the task in that action's task table once all its tasks are in (0-based)."""
    task: SeedTask
    invented: bool = True
    """False for the tasks taken from seed 001."""


GREEN_TASKS: dict[str, tuple[GreenTask, ...]] = {
    CDRP.name: (
        GreenTask(
            0,
            1,
            SeedTask(
                task="Hold PACT meetings in each neighbourhood policing area to agree local priorities",
                target="PACT meeting in every area each quarter",
                position=(
                    "PACT meetings held in all areas this quarter. Priorities fed back to residents "
                    "through Neighbourhood Partnership newsletters."
                ),
                status="Green",
                planned="Next round of PACT meetings April/May 09",
            ),
        ),
        GreenTask(
            0,
            2,
            SeedTask(
                task="Publicise reductions in crime and the work of partners through local media",
                target="Press release each quarter",
                position="Press releases issued July 08, October 08 and January 09.",
                status="ACHIEVED",
                planned="",
            ),
        ),
        GreenTask(
            0,
            3,
            SeedTask(
                task="Repeat Fear of Crime Survey to measure progress",
                target="March 09",
                position="Survey carried out March 09\nResults expected May 09",
                status="GREEN",
                planned="Results to be reported to CDRP June 09",
            ),
        ),
    ),
    EDCG.name: (
        GreenTask(
            0,
            0,
            SeedTask(
                task="Establish a CESP Steering Group with partners to oversee delivery of the plan",
                target="September 2008",
                position="Steering Group established and meeting bi-monthly. Terms of reference agreed.",
                status="Achieved",
                planned="",
            ),
        ),
        GreenTask(
            0,
            3,
            SeedTask(
                task="Hold jobs fairs in priority neighbourhoods with Jobcentre Plus",
                target="Two events by March 2009",
                position=(
                    "Jobs fair held at Kingsholm in November, 40 employers attended.\n"
                    "Second event at Matson planned for March."
                ),
                status="Green",
                planned="Second jobs fair 18th March 2009",
            ),
        ),
        GreenTask(
            0,
            4,
            SeedTask(
                task="Map employment and skills provision in the city to identify gaps",
                target="December 2008",
                position=(
                    "Mapping complete and shared with partners. Gaps identified in ESOL and basic "
                    "skills provision."
                ),
                status="Green",
                planned="Gaps to be addressed through CESP delivery plan 2009/10 – April 09",
            ),
        ),
    ),
    HEALTHY_CITY.name: (
        GreenTask(
            0,
            0,
            SeedTask(
                task="Extend Health Trainer service to Barton & Tredworth and Matson",
                target="Two Health Trainers in post by December 08",
                position="Two Health Trainers in post and taking referrals from GP surgeries",
                status="GREEN",
                planned="Review uptake June 09",
            ),
        ),
        GreenTask(
            0,
            3,
            SeedTask(
                task="Cook and Eat sessions for families in Podsmead",
                target="3 courses by March 09",
                position="3 courses delivered, 28 families attended",
                status="ACHIEVED",
                planned="",
            ),
        ),
        GreenTask(
            1,
            2,
            SeedTask(
                task="Promote Stop Smoking services at community events and through Neighbourhood "
                "Partnerships",
                target="4 events by March 09",
                position="Stop Smoking stands at Gloucester Carnival, Barton Fair and two NP events",
                status="GREEN",
                planned="Continue through 2009/10 events programme",
            ),
        ),
    ),
    CYPAG.name: (
        GreenTask(
            0,
            0,
            SeedTask(
                task="Information packs for all young mums through midwives and Children’s Centres",
                target="All young mums by September 08",
                position="Packs in use by all midwives and Children’s Centres in Gloucester",
                status="Achieved",
                planned="",
            ),
        ),
        GreenTask(
            0,
            2,
            SeedTask(
                task="Sexual Health drop-ins at Gloucester Youth Centres",
                target="Weekly drop-in at 3 youth centres by March 09",
                position="Drop-ins running weekly at 3 youth centres; good attendance",
                status="Green",
                planned="Agree drop-in at Gloucester College by June 09",
            ),
        ),
    ),
    # Seed 001, verbatim: c) under outcome 2.1, a) and c) under outcome 2.2.
    STRONGER_COMMUNITIES.name: (
        GreenTask(
            0,
            2,
            SeedTask(
                task="c) Build resilience:\n* to violent extremism \n* to extreme events e.g. flooding",
                target=(
                    "* Police & community partnership approach established – pilot projects\n"
                    "* Establish neighbourhood emergency plans"
                ),
                position=(
                    "Pilot projects underway; new appointment of PREVENT PC underway to lead on this "
                    "work\n"
                    "* City Council has done work with NPs to establish plans"
                ),
                status="GREEN",
                planned=(
                    "Local emergency planning has thrown up capacity issues for community/"
                    "neighbourhood partnerships.\n"
                    "* Future updates to build on process to be planned"
                ),
            ),
            invented=False,
        ),
        GreenTask(
            1,
            0,
            SeedTask(
                task="a) Share partners learning around community engagement",
                target=(
                    "Mapping exercise of all partners by June 08;City Council to deliver community "
                    "engt strategy"
                ),
                position=(
                    "Exercise complete.\n"
                    "City Council has adopted Com Engt Strategy and this has informed the development "
                    "of a countywide Community Engt Framework, including all LSP partners"
                ),
                status="GREEN",
                planned="",
            ),
            invented=False,
        ),
        GreenTask(
            1,
            2,
            SeedTask(
                task=(
                    "c) Develop a shared approach to neighbourhood planning (using neighbourhood "
                    "management principles)"
                ),
                target=(
                    "CDRP Nmgt Group established;\n"
                    "ensure Neighbourhood Plans through N’hood partnerships are shared with all "
                    "partners; "
                ),
                position=(
                    "NMGt Sub Group established and action plan agreed – work progressing;\n"
                    "Progress on sharing n’hood partnership plans begun\n"
                    "City Centre NP has also begun a community planning process in its area"
                ),
                status="GREEN",
                planned=(
                    "Need to have agreed process for sharing Neighbourhood Partnership action plans "
                    "and to monitor partner responses. To discuss with GCC team and agree process."
                ),
            ),
            invented=False,
        ),
    ),
}
