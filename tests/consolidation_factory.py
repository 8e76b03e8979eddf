"""A hand-built Consolidation for the report tests: seed 000's groups, tasks and oddities."""

from __future__ import annotations

from pipeline.consolidate.result import Consolidation, Reconciliation, Submission, SubmissionState
from pipeline.document import Place
from pipeline.issues import Issue, make_issue
from pipeline.records import PlanRecord, Status, SummaryRecord, TaskRecord

CDRP = "Crime and Disorder Reduction Partnership"
ECONOMY = "Economic Development Coordination Group"
HEALTH = "Healthy City Partnership"
CHILDREN = "Children & Young People Action Group"
STRONGER = "Stronger Communities Group"
ENVIRONMENT = "Environment and Sustainability Group"
GROUPS = [CDRP, ECONOMY, HEALTH, CHILDREN, STRONGER, ENVIRONMENT]

FORMULA_TEXT = "=cmd|' /C calc'!A0"
PHONE_TEXT = "+44 1452"
AT_TEXT = "@home"
DASH_TEXT = "-appoint researcher"


def _task(
    group: str,
    file: str,
    row: int,
    ref: str,
    action: str,
    task: str,
    status: Status | None,
    *,
    outcome: str = "",
    target: str = "",
    position: str = "",
    planned: str = "",
    status_text: str | None = None,
    direction: str = "",
    notes: str = "",
    table: int = 2,
) -> TaskRecord:
    return TaskRecord(
        place=Place(file=file, table=table, row=row),
        task=task,
        target=target,
        position=position,
        status=status,
        status_text=status.value.upper() if status_text is None and status else status_text or "",
        planned=planned,
        group=group,
        outcome=outcome or ref[:3],
        outcome_title=f"Outcome {outcome or ref[:3]}",
        ref=ref,
        action=action,
        direction=direction,
        notes=notes,
    )


def seed_tasks() -> list[TaskRecord]:
    """Tasks in report order: amber/red from seed 000, plus green and achieved ones around them."""
    cdrp, eco, hcp = "cdrp.docx", "economy.xlsx", "healthy-city.docx"
    cyp, scg = "cypag.docx", "stronger.docx"
    fear = (
        "Reduce fear of crime (Latest figures available Fear of Crime Survey March 2008 show "
        "that number of people whose lives are not affected by crime has increased)"
    )
    cesp = "Support delivery of the City Employment and Skills Plan (CESP)"
    health = (
        "Commission and support a range of health improvement activities and self-help "
        "groups in the twenty percent most deprived groups"
    )
    cohesion = "Take action to increase community cohesion and integration in Gloucester"
    return [
        _task(CDRP, cdrp, 2, "2.3b", fear,
              "Neighbourhood Management Group to perform community engagement events",
              Status.AMBER, target="Complete four street based action plans per year",
              position="Delay in starting this work due to delay in developing delivery plan.",
              planned="Further action to be carried out following the first initiative.",
              direction="worsened"),
        _task(CDRP, cdrp, 3, "2.3b", fear, "Publicise crime reduction results", Status.GREEN,
              target="Quarterly", position="On track"),
        _task(ECONOMY, eco, 5, "4.3a", cesp,
              "Develop Joint Commissioning Plan with partners", Status.AMBER,
              target="March 2009", position="Ongoing dialogue with GCH to link tenants with CESP.",
              planned="Staff changes at City Council have delayed progress.",
              notes="Marketing Gloucester activity needs to be joined up with CESP"),
        _task(ECONOMY, eco, 6, "4.3a", cesp,
              "Develop integrated Employer Offer", Status.AMBER, target="March 2009",
              position="Agreement in place with Travelodge", planned=PHONE_TEXT,
              notes="Marketing Gloucester activity needs to be joined up with CESP",
              direction="new"),
        _task(HEALTH, hcp, 2, "3.4a", health, "Explore Green Gym initiative", Status.AMBER,
              target="New target date March 09", position=FORMULA_TEXT,
              planned="Sport England have rejected this submission", direction="improved"),
        _task(HEALTH, hcp, 3, "3.4a", health,
              "Walk it-Bike it-Jog it\n\n(Health Walks/Cycle Routes, Trim Trails)\n\n"
              "To progress with feasibility study tender",
              Status.AMBER, target=f"{DASH_TEXT}\n\n-Appoint facilitator\n\nApril 09",
              position="-Advert gone to press, interviews 5th June\n\n-low level interest!",
              status_text="ACHIEVED\n\nACHIEVED\n\nAMBER",
              planned="Feasibility study work in progress\n\nMeeting arranged with Partners"),
        _task(HEALTH, hcp, 4, "3.4a", health,
              "Take action through the Partnership to ensure cleaner, safer cycle paths",
              Status.RED, target="No target set yet", position="", planned=AT_TEXT),
        _task(HEALTH, hcp, 5, "3.4a", health, "Healthy schools programme", Status.ACHIEVED,
              target="All schools by 2009", position="Done\x07 with a bell"),
        _task(CHILDREN, cyp, 2, "3.3b",
              "Contribute to the Teenage Pregnancy Prevention Strategy",
              "Undertake at least one partnership action", Status.GREEN,
              target="Reduce under-18 conception rate by 50% by 2010", position="Subgroup formed"),
        _task(STRONGER, scg, 3, "", cohesion,
              "a) Ensure partners have a shared understanding of community cohesion",
              Status.AMBER, outcome="2.1", target="Map of activity – June 08",
              position="Mapping complete. Training yet to be arranged", planned="Arrange training."),
        _task(STRONGER, scg, 4, "", cohesion,
              "d) Work to help community organisations be more representative", Status.RED,
              outcome="2.1", target="tba", position="tba", status_text="RED",
              planned="Revised wording on task. Group to review and decide target next mtg"),
        _task(STRONGER, scg, 5, "", cohesion, "e) Support joint learning", None, outcome="2.1",
              target="1 training day", position="Not reported", status_text=""),
    ]


def seed_plans() -> list[PlanRecord]:
    """Two planning rows whose target years differ, so the year columns are a union."""
    return [
        PlanRecord(
            place=Place(file="cypag-plan.docx", table=3, row=2),
            action="a) Contribute to the Teenage Pregnancy Prevention Strategy",
            task="Undertake at least one partnership action",
            measures="Under-18 conception rate",
            baseline="67.1 per 1000",
            targets={"2009/10": "55", "2008/09": "60"},
            milestones="Subgroup formed\nAction agreed",
            timescale="March 09",
            resources="PCT, City Council",
            contact_officer="J Smith",
            lead_partnership="CYPAG",
            long_term="Halve the rate by 2010",
            group=CHILDREN,
            outcome="3.3",
            ref="3.3a",
        ),
        PlanRecord(
            place=Place(file="cypag-plan.docx", table=3, row=3),
            action="b) Reduce NEET",
            task=FORMULA_TEXT,
            targets={"2010/11": "5%", "2008/09": "7%"},
            group=CHILDREN,
            outcome="3.3",
        ),
    ]


def seed_issues() -> list[Issue]:
    """Issues of every severity, deliberately not in severity order."""
    return [
        make_issue("unmapped-header", Place("economy.xlsx", sheet="Q4", cell="H1"), header="Comments"),
        make_issue("missing-status", Place("stronger.docx", table=2, row=5),
                   task="e) Support joint learning"),
        make_issue("summary-mismatch", Place("healthy-city.docx", table=1, row=2), outcome="3.4",
                   declared=4, colour="Amber", counted=3),
        make_issue("several-statuses", Place("healthy-city.docx", table=2, row=3),
                   value="Green/Amber", status="Amber"),
        make_issue("unreadable-file", Place("broken.docx"), reason="not a zip file"),
    ]


def make_consolidation(tasks: list[TaskRecord] | None = None) -> Consolidation:
    """A run over five returns from six registered groups, one group missing."""
    tasks = seed_tasks() if tasks is None else tasks
    submissions = [
        Submission("cdrp.docx", "Word progress return", SubmissionState.ACCEPTED, group=CDRP, rows=2,
                   received="2009-04-20T09:12", sender="cdrp@example.org", sha256="ab" * 32),
        Submission("economy.xlsx", "Excel progress return", SubmissionState.ACCEPTED, group=ECONOMY, rows=2,
                   received="2009-04-21T10:00", sender="eco@example.org", sha256="cd" * 32),
        Submission("healthy-city.docx", "Word progress return", SubmissionState.ACCEPTED, group=HEALTH,
                   rows=4),
        Submission("cypag.docx", "Word progress return", SubmissionState.ACCEPTED, group=CHILDREN, rows=1),
        Submission("cypag-plan.docx", "Word planning return", SubmissionState.ACCEPTED, group=CHILDREN,
                   rows=2),
        Submission("stronger.docx", "Word progress return", SubmissionState.ACCEPTED, group=STRONGER, rows=3),
        Submission("broken.docx", "Word file", SubmissionState.REJECTED, reason="The file cannot be opened."),
        Submission("old-stronger.docx", "Word progress return", SubmissionState.SUPERSEDED, group=STRONGER,
                   reason="A later return from the same group was received."),
    ]
    result = Consolidation(
        period="Q4 2008/09",
        generated="2009-04-28T14:05",
        submissions=submissions,
        tasks=tasks,
        plans=seed_plans(),
        summaries=[
            SummaryRecord(Place("healthy-city.docx", table=1, row=2), "3.4",
                          {"Green": 0, "Amber": 4, "Red": 1, "Total": 5}),
        ],
        issues=seed_issues(),
        groups=list(GROUPS),
        missing_groups=[ENVIRONMENT],
    )
    result.reconciliation = Reconciliation(
        files_found=8, files_read=6, files_rejected=1, files_superseded=1,
        rows_read=len(tasks) + len(result.plans), rows_merged=len(tasks) + len(result.plans),
        exceptions=len(result.exceptions),
    )
    return result


def many_tasks(count: int) -> list[TaskRecord]:
    """`count` tasks cycling through the statuses, for the streamed (constant-memory) path."""
    statuses = [Status.GREEN, Status.AMBER, Status.RED, Status.ACHIEVED]
    return [
        _task(GROUPS[i % 5], f"return-{i % 5}.docx", i + 2, f"1.{i % 3 + 1}a", "An action",
              f"Task {i}" if i % 7 else FORMULA_TEXT, statuses[i % 4], target="March 09")
        for i in range(count)
    ]
