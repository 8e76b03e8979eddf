"""Seed 000, "Action plan tasks at amber or red as at end of year 2008/9", as Python data.

Transcribed exactly from /work/shared/seeds/000_15621d762da61f52.txt: wording, case, curly
quotes, dashes, double spaces, trailing spaces and typos are as written there.

How a cell is held: one string; the paragraphs of a multi-paragraph cell are joined by "\\n"
(so "ACHIEVED\\nACHIEVED\\nAMBER" is one Status cell of three paragraphs). Empty paragraphs
that only pad the end of a cell are left out; a cell the seed leaves empty is "". The one
newline in an Action (3.4d) is a line break inside the paragraph, as the seed renders it.
A reader's `Cell.text` strips the ends, so compare with `.strip()` where a cell ends in a
space (seven of them do).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

#: The report's heading, as the seed writes it.
REPORT_TITLE = "ACTION PLAN TASKS – AT AMBER OR RED AS AT END OF YEAR 2008/9"


@dataclass(frozen=True)
class SeedTask:
    """One row of a task table: the five cells as written."""

    task: str
    target: str
    position: str
    status: str
    planned: str
    """Planned improvement/action needed and deadline."""


@dataclass(frozen=True)
class SeedAction:
    """A Ref/Action block and the tasks under it."""

    ref: str
    """As written in the Ref cell; "" when the cell is empty."""
    action: str
    """The Action cell's text after "Action: "."""
    outcome: str
    """The outcome the action serves, dotted ("2.1"), also where the return writes "2:1"."""
    outcome_title: str
    tasks: tuple[SeedTask, ...]
    notes: tuple[str, ...] = ()
    """Free paragraphs that follow the action's task table."""


@dataclass(frozen=True)
class SeedGroup:
    """A Priority Action Group's heading and its actions, in the seed's order."""

    name: str
    actions: tuple[SeedAction, ...]


#: Outcomes whose title no seed gives: the titles below for these are invented (plausible
#: wording in the strategy's voice), the others are taken from seeds 001, 002 and 003.
INVENTED_OUTCOME_TITLES = frozenset({"2.3", "3.4", "4.3"})

_T_2_1 = "Communities live, work and play in peace and harmony"
_T_2_2 = "Our diverse communities have a strong influence on the services they receive"
_T_2_3 = "People are safe and feel safe in Gloucester"  # invented
_T_3_1 = "Measurable improvements are made in Gloucester’s deprived communities"
_T_3_3 = "Every child thrives and reaches his or her potential"
_T_3_4 = "Health inequalities are reduced and people lead healthier lives"  # invented
_T_4_3 = "More local people have the skills to get and keep a good job"  # invented


CDRP = SeedGroup(
    name="Crime and Disorder Reduction Partnership",
    actions=(
        SeedAction(
            ref="2.3b",
            # The closing bracket is missing in the seed.
            action=(
                "Reduce fear of crime (Latest figures available Fear of Crime Survey March "
                "2008 show that number of people whose lives are not affected by crime has "
                "increased in last 12 months by 3.5% to 65.6%"
            ),
            outcome="2.3",
            outcome_title=_T_2_3,
            tasks=(
                SeedTask(
                    task=(
                        "Neighbourhood Management Group to perform community engagement "
                        "events in localities of high deprivation for crime and disorder"
                    ),
                    target=(
                        "Complete four street based action plans to address local issues in "
                        "priority areas per year"
                    ),
                    position=(
                        "Delay in starting this work due to delay in developing delivery "
                        "plan. one street based action has been carried out and work is "
                        "on-going, with a second area to be selected to commence the action. "
                    ),
                    status="Amber",
                    planned=(
                        "Further action to be carried out following the first street based initiative. "
                    ),
                ),
            ),
        ),
    ),
)

EDCG = SeedGroup(
    name="Economic Development Coordination Group",
    actions=(
        SeedAction(
            ref="4.3a",
            action="Support delivery of the City Employment and Skills Plan (CESP)",
            outcome="4.3",
            outcome_title=_T_4_3,
            tasks=(
                SeedTask(
                    task=(
                        "Develop Joint Commissioning Plan with partners to co-ordinate "
                        "activity in welfare, housing and health with CESP"
                    ),
                    target="March 2009",
                    position=(
                        "Ongoing dialogue with GCH to link tenants with CESP. Limited progress "
                        "made with City Council on its commissioning activity and welfare "
                        "services."
                    ),
                    status="Amber",
                    planned=(
                        "Staff changes at City Council have delayed progress on linking CESP "
                        "effectively with commissioning of welfare services, housing benefits "
                        "and neighbourhood services. Follow up activity to be arranged."
                    ),
                ),
                SeedTask(
                    task=(
                        "Develop integrated Employer Offer to support investors in Gloucester "
                        "Quays to recruit, train and employ local people"
                    ),
                    target="March 2009",
                    position=(
                        "Discussions ongoing with Glos Quays on timing of recruitment "
                        "activity. Agreement in place with Travelodge and in development with "
                        "Sainsburys"
                    ),
                    status="Amber",
                    planned=(
                        "Meetings with Gloucester Quays and employers scheduled for early "
                        "February to finalise plans and roll out of campaign. "
                    ),
                ),
            ),
            notes=(
                "Marketing Gloucester activity needs to be joined up with CESP / Gloucester "
                "Quays promotional campaign – meeting with GHURC and Marketing Gloucester to "
                "be arranged",
            ),
        ),
    ),
)

HEALTHY_CITY = SeedGroup(
    name="Healthy City Partnership",
    actions=(
        SeedAction(
            ref="3.4a",
            action=(
                "Commission and support a range of health improvement activities and "
                "self-help groups in the twenty percent most deprived groups"
            ),
            outcome="3.4",
            outcome_title=_T_3_4,
            tasks=(
                SeedTask(
                    task="Explore Green Gym initiative",
                    target="New target date March 09 ",
                    position=(
                        "Exploration is in early stages. This has been included in the CSPAN’s action plan"
                    ),
                    status="AMBER",
                    planned=(
                        "Sport England have rejected this submission, the project will be "
                        "going ahead from March 09"
                    ),
                ),
                SeedTask(
                    task="Healthy Eating-develop access to affordable food",
                    target="Draft programme March 09",
                    position=(
                        "This is currently an aspiration and there are no clear plans in "
                        "place as to how this might develop"
                    ),
                    status="AMBER",
                    planned=(
                        "Discussion with Gloucestershire First Food Vision to take this "
                        "forward, draft programme for March 09"
                    ),
                ),
                SeedTask(
                    task="Westgate Health Action Group",
                    target="Health Day planned July/Aug 09",
                    # A sentence broken across two paragraphs in the seed.
                    position=(
                        "Project proposal consultation with partners\nIs underway, draft available July 2008"
                    ),
                    status="AMBER",
                    planned=(
                        "Draft action plan April 09. A merger of Westgate,Barton & Tredworth, "
                        "White City HAG. Shared resources.\n"
                        "Lead officer on maternity leave, back on track January 2009"
                    ),
                ),
                SeedTask(
                    task=(
                        "Walk it-Bike it-Jog it\n"
                        "(Health Walks/Cycle Routes, Trim Trails)\n"
                        "To progress with feasibility study tender"
                    ),
                    target="-Appoint researcher\n-Appoint facilitator\nApril 09",
                    position=(
                        "-Advert gone to press, interviews 5th June\n"
                        "-Advert goes to press July 2008, interviews August 08\n"
                        "-low level interest!"
                    ),
                    # Three statuses for three sub-tasks, in one cell.
                    status="ACHIEVED\nACHIEVED\nAMBER",
                    planned=(
                        "Feasibility study work in progress – Sam Hoad GHURC - linkages\n"
                        "Physical Activity Improvement Officer with Pat from Jan 2009\n"
                        "Meeting arranged with Partners to revive the project and move forward "
                        "with development "
                    ),
                ),
                SeedTask(
                    task=(
                        "Take action through the Partnership to ensure cleaner, safer cycle "
                        "paths, footpaths and subways where this is not happening"
                    ),
                    target="No target set yet",
                    position="",
                    status="RED",
                    planned="",
                ),
                SeedTask(
                    task=(
                        "Develop best practice toolkit on healthy work environments.\n"
                        "-fund research and printing of toolkit\n"
                        "-use Stoke example"
                    ),
                    target="Draft toolkits April 09",
                    position=(
                        "Identified lead for draft toolkits, Kerry Whitcombe PCT. Travel plan "
                        "is in place for Sanger House [new build]"
                    ),
                    status="AMBER",
                    planned=(
                        "A PCT wide travel plan is being developed, the Green Workplace Group "
                        "is planning activities over the next 18 months. PCT wide travel plan "
                        "in place 2010"
                    ),
                ),
            ),
        ),
        SeedAction(
            ref="3.4d (i &ii)",
            action=(
                "i) Working in partnership to support tobacco control initiatives to reduce "
                "smoking prevalence.\n"
                "ii) The number of smokers referred to the NHS Support to Stop Services for "
                "the 2 most deprived quintiles of Super Output Areas in the county who remain "
                "quit at 4 weeks"
            ),
            outcome="3.4",
            outcome_title=_T_3_4,
            tasks=(
                SeedTask(
                    task=(
                        "i) All partners to supporting (financially and/or practically) "
                        "tobacco control initiatives"
                    ),
                    target="Co-ordinator appointed August 08",
                    position=(
                        "Gloucestershire PCT will currently fund a smoke free co-ordinator "
                        "post themselves but for all strands of the tobacco control strategy "
                        "to be delivered requires sign up by LA and delivery by all partners. "
                    ),
                    status="AMBER",
                    planned=(
                        "Financial and practical support required for smoke free co-ordinator "
                        "post to deliver on all aspects of the National Tobacco Control "
                        "Strategy."
                    ),
                ),
                SeedTask(
                    task=(
                        "ii) All partners to contribute to the countywide LAA target by "
                        "identifying smokers wishing to quit and referring to the Support to "
                        "stop services."
                    ),
                    target="",
                    position=(
                        "The target is close but not yet met.  If all partners give full "
                        "commitment then the target could be met."
                    ),
                    status="AMBER",
                    planned=(
                        "All appropriate staff across all sectors attended training that "
                        "allows them to identify potential quitters.  Managers give full "
                        "support to their staff to carrying out smoking cessation related "
                        "activities."
                    ),
                ),
            ),
        ),
    ),
)

CYPAG = SeedGroup(
    name="Children & Young People Action Group",
    actions=(
        SeedAction(
            ref="3.3b",
            action=(
                "Contribute to the implementation of the Gloucestershire Teenage Pregnancy "
                "Prevention Strategy to reduce teenage pregnancy"
            ),
            outcome="3.3",
            outcome_title=_T_3_3,
            tasks=(
                SeedTask(
                    task=(
                        "Undertake at least one partnership action with immediate impact on "
                        "improving SRE, training and/or services to young parents"
                    ),
                    target=(
                        "Reduce under- 18 conception rate by 50% by 2010 from the 1998 "
                        "baseline\n"
                        "(Gloucester 67.1 per 1000)\n"
                        "Increase % of young mothers in education, employment or training (EET)"
                    ),
                    position=(
                        "Subgroup has been formed to agree partnership action and take this "
                        "forward. This will report at the next CYPAG meeting.\n"
                        "There are positive initiatives taking place   \n"
                        "e.g. Sexual Health drop-ins at Gloucester Youth Centres;\n"
                        "Proposed drop-in at  Gloucester College.\n"
                        "All young mums receive information packs. "
                    ),
                    status="Amber",
                    planned=(
                        "Current figures on conception rates in Gloucester are unavailable.  "
                        "The County rate was 31.4 per 1000 in June 2007\n"
                        "The % of young mothers in Education, Employment and Training in "
                        "Gloucester is currently 30.34%  "
                    ),
                ),
            ),
        ),
    ),
)

# The three actions have empty Ref cells; their outcomes come from seed 001, where the same
# actions sit under outcomes 2.1, 2.2 and 3.1.
STRONGER_COMMUNITIES = SeedGroup(
    name="Stronger Communities Group",
    actions=(
        SeedAction(
            ref="",
            action="Take action to increase community cohesion and integration in Gloucester",
            outcome="2.1",
            outcome_title=_T_2_1,
            tasks=(
                SeedTask(
                    task=(
                        "a) Ensure partners have a shared understanding of community cohesion and integration"
                    ),
                    target=(
                        "Map of activity – June 08; training to be arranged for sub group members Autumn 08"
                    ),
                    position="Mapping complete. Training yet to be arranged",
                    status="AMBER",
                    planned="Arrange training.",
                ),
                SeedTask(
                    task="b) Ensure new and emerging communities have improved access to services",
                    target="Establish priorities with countywide survey – Sept 08;develop action plan",
                    position="Connections made with county work; GAVCA and GARAS exploring pilot activity",
                    status="AMBER",
                    planned="Finalise action plan by October 08\nInvite GARAS to next meeting",
                ),
                SeedTask(
                    task=(
                        "d) Work to help community organisations be more representative of their communities"
                    ),
                    target="tba",
                    position="tba",
                    status="RED",
                    planned="Revised wording on task. Group to review and decide target next mtg",
                ),
            ),
        ),
        SeedAction(
            ref="",
            action=(
                "Partners work together to put community engagement at the heart of their decision making"
            ),
            outcome="2.2",
            outcome_title=_T_2_2,
            tasks=(
                SeedTask(
                    task=(
                        "b) Develop a protocol setting out how agencies and neighbourhood "
                        "partnerships can work together"
                    ),
                    target="Protocol established via city council – July 09",
                    position="Some research completed and draft in existence.",
                    status="AMBER",
                    planned=(
                        "More work needed to finalise this work– agree to set new time frames "
                        "with GCC at next stronger meeting"
                    ),
                ),
                SeedTask(
                    task=(
                        "d) Ensure that the impact of all action plans can be measured against the outcome"
                    ),
                    target=(
                        "City Council to undertake PMF review with Neighbourhood partnerships – March 09"
                    ),
                    position="Early work in place with NP through Neighbourhood P’ship team. On schedule.",
                    status="AMBER",
                    planned="Work with longer-established NPs to build on self-assessment model.",
                ),
                SeedTask(
                    task=(
                        "e) Support joint learning between Neighbourhood Partnerships and "
                        "Neighbourhood Projects"
                    ),
                    target="1 training day to be organised",
                    position="Not happening due to poor timing for N’hood projects",
                    status="RED",
                    planned=(
                        "A difficult time to facilitate this due to changes happening within "
                        "neighbourhood Projects. To arrange once the merger is complete."
                    ),
                ),
                SeedTask(
                    task="f) Explore the level of formal volunteering and identify any support needed",
                    target="Adopt target from LAA ",
                    position="Volunteer certificates and accreditation encouraged by many organisations.",
                    status="RED",
                    planned="Import actions linked from COMPACT and countywide LAA",
                ),
            ),
        ),
        SeedAction(
            ref="",
            action=(
                "Work with communities to develop and implement neighbourhood action plans in "
                "the most disadvantaged neighbourhoods to improve quality of life"
            ),
            outcome="3.1",
            outcome_title=_T_3_1,
            tasks=(
                SeedTask(
                    task=(
                        "Using Action 2.2 B and C, partner agencies work together to develop "
                        "neighbourhood action plans in disadvantaged neighbourhoods.  "
                    ),
                    target="Baselines in place to establish evidence for action",
                    position=(
                        "Small area surveys out in 5 areas of Gloucester w/c 8th September 09. "
                        "Focus groups planned for November"
                    ),
                    status="RED",
                    planned=(
                        "Response required to survey findings. Use to enhance Neighbourhood "
                        "Partnership action plans where in the same areas. Develop overall "
                        "action plan from the baseline data. NB: There is a huge amount of "
                        "work here and some real issues about capacity."
                    ),
                ),
            ),
        ),
    ),
)

#: The groups in the seed's order.
GROUPS: tuple[SeedGroup, ...] = (CDRP, EDCG, HEALTHY_CITY, CYPAG, STRONGER_COMMUNITIES)


def amber_red_tasks() -> Iterator[tuple[SeedGroup, SeedAction, SeedTask]]:
    """Every task of seed 000 with its group and action, in the seed's order."""
    for group in GROUPS:
        for action in group.actions:
            for task in action.tasks:
                yield group, action, task
