"""Seed 003, the CYPAG's filled-in planning template (Outcome 3.3, actions a–d), as Python data.

Transcribed exactly from /work/shared/seeds/003_297ee578d4cd54cf.txt. Cells are held as in
`samples.seed000`: paragraphs joined by "\\n", end padding left out. The "·" bullets are typed
text in the seed, and kept as text. The newline in `AIM` is a line break inside a paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass

TITLE = "Gloucester Partnership Children & Young People Action Group (CYPAG) DRAFT ACTION PLAN 2008-2010"
AIM = (
    "Aim 3  \nA place where all people matter and we ‘narrow the gap’ in health, poverty and social exclusion"
)
OUTCOME = "Outcome 3.3: Every child thrives and reaches his or her potential"
OUTCOME_MEASURE = (
    "Outcome Measure:\n"
    "· The emotional health and well being of children and young people, as measured by the "
    "number of children and young people surveyed who perceive that they are ‘happy’ or "
    "‘quite happy’ most of the time (LAA)\n"
    "· The percentage of children achieving level 4 or above in Key Stage 2 English and Maths\n"
    "· The percentage of 15-year-old pupils in schools maintained by the local authority "
    "achieving five or more GCSEs at grades A*-C or equivalent including English and Maths"
)
#: The four year columns under Targets (and beside the outcome measure), as headed.
TARGET_HEADINGS = ("Baseline\n2007/8", "2008/ 2009", "2009/ 2010", "2010/ 2011")
#: The action table's header; "Targets" spans the four year columns.
HEADINGS = (
    "Action",
    "Task",
    "Measures",
    "Targets",
    "Milestones/Detailed Tasks ",
    "Timescale",
    "Resource/ Organisations involved",
    "Contact Officer",
    "Lead Partnership",
    "Long-term Ambitions",
)


@dataclass(frozen=True)
class PlanAction:
    """One action row of the planning template: thirteen cells, Targets as four."""

    action: str
    task: str
    measures: str
    baseline: str
    target_2008_09: str
    target_2009_10: str
    target_2010_11: str
    milestones: str
    timescale: str
    resources: str
    contact_officer: str
    lead_partnership: str
    long_term_ambitions: str

    def cells(self) -> tuple[str, ...]:
        """The thirteen cells in the table's column order."""
        return (
            self.action,
            self.task,
            self.measures,
            self.baseline,
            self.target_2008_09,
            self.target_2009_10,
            self.target_2010_11,
            self.milestones,
            self.timescale,
            self.resources,
            self.contact_officer,
            self.lead_partnership,
            self.long_term_ambitions,
        )


ACTIONS: tuple[PlanAction, ...] = (
    PlanAction(
        action=(
            "a) Ensure good practice in children’s services reaches all neighbourhoods, BME "
            "communities, and looked after children and young people"
        ),
        task=(
            "· Collect, agree and circulate information on current good practice\n"
            "· Investigate gaps in provision or quality, and seek solutions"
        ),
        measures=(
            "· Publication or event celebrating good local practice in CYPD, VCS, other "
            "agencies, schools and children’s centres\n"
            "· Number of gaps in provision or quality identified (against ECM 5 outcomes) and "
            "resolved"
        ),
        baseline="JAR – Joint Area Review 2007\nZero",
        target_2008_09="Research and publication\nTwo",
        target_2009_10="Event \nThree",
        target_2010_11="Event\nThree",
        milestones=(
            "1. Mapping exercise on local provision\n"
            "2. Good practice grouped by type/area/diversity\n"
            "3. Consultation with agencies & schools\n"
            "4. Publication of practice & event to disseminate\n"
            "5. Identification of gaps\n"
            "6. Measures taken to resolve gaps: shadowing, seminars, etc"
        ),
        timescale="From publication of JAR in Feb 2008, over the next three years",
        resources=(
            "CYPD, local VCS organisations incl. Young Gloucestershire, Gloucester City Homes "
            "& RSLs,\n"
            "City Council"
        ),
        contact_officer="Gloucester SHAPE team",
        lead_partnership="CYPAG",
        long_term_ambitions=(
            "CYPAG influences strategy and resource spend of CYPSP to address gaps in provision "
            "and quality in Gloucester"
        ),
    ),
    PlanAction(
        action=(
            "b) Contribute to the implementation of the Gloucestershire Teenage Pregnancy "
            "Prevention Strategy to reduce teenage pregnancy."
        ),
        task="· Ensure implementation of the Gloucestershire Teenage Pregnancy Strategy in Gloucester",
        measures="· Monitoring of strategy impact in Gloucester via presentation and reports",
        baseline="34.7% reduction from  1998 in county TP strategy",
        target_2008_09="+ 8% reduction",
        target_2009_10="+ 8% reduction",
        target_2010_11="50% reduction from 1998",
        milestones=(
            "1. reduce under-18 conception rate 50% by 2010 from a 1998 baseline\n"
            "2. increase % of young mothers in education, employment or training (EET) to 60% "
            "by 2010"
        ),
        timescale="2008-10",
        resources="Glos Teenage Pregnancy Partnership Business Plan 2007/8;\nGloucester sub-group",
        contact_officer="Julie Northcott, \n01452 426404",
        lead_partnership="CYPAG",
        long_term_ambitions=(
            "Continuing countywide  reductions in TP, and increases in EET, are matched by Gloucester"
        ),
    ),
    PlanAction(
        action=(
            "c) Resource, sustain and make best use of voluntary and community sector work with "
            "children and young people"
        ),
        task=(
            "· Adapt the countywide Youth Offer for 13-19s for Gloucester \n"
            "· Agree & publish a Gloucester Offer for 5-13s (mapped on Youth Offer)\n"
            "· Use CYPSP District funds to resources VCS projects"
        ),
        measures=(
            "· Publication & evaluation of impact\n"
            "· Publication & evaluation of impact\n"
            "· Amount distributed to agreed criteria"
        ),
        baseline="Draft county Youth Offer\nNone at present\nNone at present",
        target_2008_09="Research\nResearch",
        target_2009_10="Publication\nPublication",
        target_2010_11="Evaluation\nEvaluation",
        milestones=(
            "1. Research Youth Offer\n"
            "2. Adapt for Gloucester\n"
            "3. Publish & advertise\n"
            "4. Needs analysis for 5-13s\n"
            "5. VCS and Neighbourhood Partnerships involved in determining offer\n"
            "6. Identification of gaps in offer\n"
            "7. Publication of offer"
        ),
        timescale="Research phase in 2008\nPublication by April 2009",
        resources=(
            "CYPD – Belinda Heaven\n"
            "BHLP: Budget Holding Lead Professionals \n"
            "Francis Gobey - City Council Play lead"
        ),
        contact_officer="Pip Levett,\nPlay Gloucestershire",
        lead_partnership="CYPAG",
        long_term_ambitions=(
            "Offer attracts, increases and aligns funding for 5-13s out-of-school provision via "
            "BHLP and VCS commissioning"
        ),
    ),
    PlanAction(
        action=(
            "d) Improve out of school activities and services especially for vulnerable and "
            "disabled children and young people"
        ),
        task=(
            "· Improve access to CYP activities & facilities\n"
            "· Improve quality of CYP activities & facilities"
        ),
        measures="· Perception data collected from CYP above baseline set in 2008",
        baseline="CYPD researching baseline",
        target_2008_09="tbd",
        target_2009_10="tbd",
        target_2010_11="tbd",
        milestones=(
            "1. Definitions of ‘vulnerable’ agreed\n"
            "2. CYP feedback collected or disaggregated\n"
            "3. Mystery shopping\n"
            "4. Youth Offer and Play Offer to be inclusive"
        ),
        timescale="Baseline by mid 2008\nMeasures in place by end 2008",
        resources="CYPD - Alison Croft, for disabled CYP",
        contact_officer="CYPD – research team",
        lead_partnership="CYPAG ",
        long_term_ambitions="Agreed measures show year-on-year  improvements in access & quality",
    ),
)
