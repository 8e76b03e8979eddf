"""The layout interpreter on blocks shaped like the seeds' documents (no files: readers are tested apart)."""

import pytest
from blocks import MERGED_ABOVE, MERGED_LEFT, document, para, table
from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.document import Table, TrackedChange
from pipeline.layout.columns import _HEADERS as row_header_memo
from pipeline.layout.columns import (
    CARRIED_FIELDS,
    ColumnMap,
    _heading,
    heading_by_words,
    row_header,
    written_columns,
)
from pipeline.layout.context import _INLINE_LABEL_RE, _SPACED_ACTION_LABEL_RE
from pipeline.layout.interpret import interpret
from pipeline.layout.records import RowValues, build_task, read_row, tidy
from pipeline.normalise.headers import match_header, year_heading
from pipeline.records import ReturnKind, Status, TaskRecord
from pipeline.register import load_register

REGISTER = load_register()
TASK_HEAD = ["Tasks", "Target", "Position", "Status", "Planned improvement/action needed and deadline"]


def summary_table(number: int, outcome: str, counts: tuple[str, str, str, str]) -> object:
    g, a, r, t = counts
    return table(
        number,
        [
            [outcome, ""],
            ["Summary", MERGED_LEFT],
            ["Date: 4th September 2008", "", "Green – on track", g],
            ["Thematic Sub-group: Stronger Communities", "", "Amber – needs attention", a],
            ["Contact: Di Robinson", "", "Red – needs action", r],
            ["", "", "Total", t],
        ],
    )


def seed_001_like() -> object:
    return document(
        para("Thematic Sub-Group Performance Reporting", 1),
        para("Stronger Communities Group", 2),
        summary_table(
            1, "Outcome: 2:1 Communities live, work and play in peace and harmony", ("1", "2", "1", "4")
        ),
        table(
            2,
            [
                [
                    "Ref:\n\n",
                    "Action: Take action to increase community cohesion and integration in Gloucester",
                ]
            ],
        ),
        table(
            3,
            [
                TASK_HEAD,
                [
                    "a) Ensure partners have a shared understanding",
                    "Map of activity – June 08",
                    "Mapping complete. Training yet to be arranged",
                    "AMBER",
                    "Arrange training.",
                ],
                [
                    "b) Ensure new and emerging communities",
                    "Establish priorities",
                    "Connections made",
                    "AMBER",
                    "Finalise action plan by October 08\n\nInvite GARAS to next meeting",
                ],
                ["c) Build resilience:\n\n* to violent extremism", "* Police", "Pilot projects", "GREEN", ""],
                [
                    "d) Work to help community organisations",
                    "Establish",
                    "Extend",
                    "RED",
                    "Revised wording on task – next mtg",
                ],
            ],
        ),
        para("A note under the action", 9),
        summary_table(4, "Outcome: 2.2: Our diverse communities have a strong influence", ("", "", "1", "1")),
        table(5, [["Ref:\n\n2.2e", "Action: Partners work together"]]),
        table(
            6,
            [
                TASK_HEAD,
                [
                    "e) Support joint learning",
                    "1 training day",
                    "Not happening",
                    "RED",
                    "To arrange once the merger is complete – March 09",
                ],
            ],
        ),
    )


def test_seed_001_layout_gives_every_task_with_its_scene() -> None:
    data = interpret(seed_001_like(), REGISTER)
    assert data.kind == ReturnKind.PROGRESS
    assert data.group == "Stronger Communities Group"
    assert data.report_date == "4th September 2008"
    assert [t.task.splitlines()[0] for t in data.tasks] == [
        "a) Ensure partners have a shared understanding",
        "b) Ensure new and emerging communities",
        "c) Build resilience:",
        "d) Work to help community organisations",
        "e) Support joint learning",
    ]
    first, second, third, fourth, fifth = data.tasks
    assert first.outcome == "2.1" and first.ref == "" and first.action.startswith("Take action")
    assert second.planned == "Finalise action plan by October 08\nInvite GARAS to next meeting"
    assert third.task == "c) Build resilience:\n* to violent extremism"
    assert [t.status for t in data.tasks] == [
        Status.AMBER,
        Status.AMBER,
        Status.GREEN,
        Status.RED,
        Status.RED,
    ]
    assert fourth.notes == "A note under the action"
    assert fifth.outcome == "2.2" and fifth.ref == "2.2e" and fifth.action == "Partners work together"
    assert fifth.place.describe() == "table 6, row 2"
    assert [s.declared for s in data.summaries] == [
        {"Green": 1, "Amber": 2, "Red": 1, "Total": 4},
        {"Green": None, "Amber": None, "Red": 1, "Total": 1},
    ]


def test_vertically_merged_action_applies_to_every_task_it_spans() -> None:
    doc = document(
        table(
            1,
            [
                ["Action", *TASK_HEAD],
                ["Reduce fear of crime", "Task one", "T1", "P1", "Amber", "By March 09"],
                [MERGED_ABOVE, "Task two", "T2", "P2", "Green", ""],
                [MERGED_ABOVE, "Task three", "T3", "P3", "Red", "By April 09"],
                ["Second action", "Task four", "T4", "P4", "Green", ""],
            ],
        )
    )
    tasks = interpret(doc, REGISTER).tasks
    assert [t.action for t in tasks] == ["Reduce fear of crime"] * 3 + ["Second action"]
    assert [t.target for t in tasks] == ["T1", "T2", "T3", "T4"]


def test_varied_headers_colour_status_and_unmapped_column() -> None:
    doc = document(
        table(
            1,
            [
                [
                    "Task",
                    "Target(s)",
                    "Progress",
                    "RAG",
                    "Planned improvement / action needed & deadline",
                    "Colour code",
                ],
                ["Explore Green Gym", "March 09", "Early stages", "", "Going ahead March 09", "Sam"],
            ],
            fills={(2, 4): "FFC000"},
        )
    )
    data = interpret(doc, REGISTER)
    (task,) = data.tasks
    assert (task.target, task.position, task.status) == ("March 09", "Early stages", Status.AMBER)
    assert task.status_text == "(cell shaded amber)"
    assert task.notes == "Colour code: Sam"
    assert {i.code for i in data.issues} == {"unmapped-header", "status-from-colour"}


def test_text_wins_over_colour_with_a_warning() -> None:
    doc = document(table(1, [TASK_HEAD, ["T", "", "", "Green", ""]], fills={(2, 4): "FF0000"}))
    data = interpret(doc, REGISTER)
    assert data.tasks[0].status is Status.GREEN
    assert [i.code for i in data.issues] == ["status-colour-conflict"]


def test_planning_template_two_row_header_and_year_columns() -> None:
    header = [
        "Action",
        "Task",
        "Measures",
        "Targets",
        MERGED_LEFT,
        MERGED_LEFT,
        MERGED_LEFT,
        "Milestones/Detailed Tasks",
        "Timescale",
        "Resource/ Organisations involved",
        "Contact Officer",
        "Lead Partnership",
        "Long-term Ambitions",
    ]
    years = [
        "",
        "",
        "",
        "Baseline\n\n2007/8",
        "2008/ 2009",
        "2009/ 2010",
        "2010/ 2011",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    row = [
        "b) Contribute to the Teenage Pregnancy Strategy",
        "· Ensure implementation",
        "· Monitoring",
        "34.7% reduction",
        "+ 8% reduction",
        "+ 8% reduction",
        "50% reduction from 1998",
        "1. reduce under-18 conception rate",
        "2008-10",
        "Glos Teenage Pregnancy Partnership",
        "Julie Northcott",
        "CYPAG",
        "Continuing reductions",
    ]
    doc = document(
        para("Gloucester Partnership Children & Young People Action Group (CYPAG) DRAFT ACTION PLAN"),
        table(
            1,
            [
                ["Aim 3\nA place where all people matter", *[MERGED_LEFT] * 12],
                ["Outcome 3.3: Every child thrives and reaches his or her potential", *[""] * 12],
                header,
                years,
                row,
            ],
        ),
    )
    data = interpret(doc, REGISTER)
    assert data.kind == ReturnKind.PLAN and data.group == "Children & Young People Action Group"
    (plan,) = data.plans
    assert plan.outcome == "3.3" and plan.ref == "3.3b"
    assert plan.baseline == "34.7% reduction"
    assert plan.targets == {
        "2008/09": "+ 8% reduction",
        "2009/10": "+ 8% reduction",
        "2010/11": "50% reduction from 1998",
    }
    assert (plan.contact_officer, plan.lead_partnership) == ("Julie Northcott", "CYPAG")


def test_cheltenham_layout_maps_through_synonyms_and_carries_the_objective() -> None:
    head = [
        "What do we want to achieve",
        "How will we do it",
        "Who will be involved",
        "Progress to date",
        "What will success look like (links to national indicator set)",
    ]
    doc = document(
        para("The principle of community engagement and participation", 1),
        para("Contact: Richard Gibson, Corporate Policy Manager", 2),
        table(
            1,
            [
                head,
                [
                    "We want Cheltenham to be a place…",
                    "Develop a shared approach",
                    "All CSP partners",
                    "Framework prepared",
                    "The overall outcome…",
                ],
                [
                    "",
                    "Develop a neighbourhood management approach",
                    "All CSP partners",
                    "CSP need to provide leadership",
                    "This work will also support…",
                ],
            ],
        ),
    )
    data = interpret(doc, REGISTER)
    assert [t.task for t in data.tasks] == [
        "Develop a shared approach",
        "Develop a neighbourhood management approach",
    ]
    assert [t.objective for t in data.tasks] == ["We want Cheltenham to be a place…"] * 2
    assert data.tasks[1].position == "CSP need to provide leadership"
    assert data.tasks[0].action == "The principle of community engagement and participation"
    assert [i.code for i in data.issues] == ["no-status-column"]


def test_unmappable_table_is_reported_with_its_headings_never_dropped() -> None:
    doc = document(
        table(1, [["Colour", "Shape", "Size"], ["Red", "Round", "Big"], ["Blue", "Square", "Small"]])
    )
    data = interpret(doc, REGISTER)
    assert data.tasks == [] and data.rows_in_issues == 3
    (issue,) = data.issues
    assert issue.code == "unmapped-table" and "'Colour', 'Shape', 'Size'" in issue.message


def test_excel_like_sheet_with_title_rows_and_ref_rows_between_tasks() -> None:
    rows = [
        ["Economic Development Coordination Group – quarterly return", MERGED_LEFT, MERGED_LEFT],
        ["Date: 31 March 2009", "", ""],
        ["", "", ""],
        ["Ref: 4.3a", MERGED_LEFT, MERGED_LEFT],
        ["Action: Support delivery of the CESP", MERGED_LEFT, MERGED_LEFT],
        ["Tasks", "Target", "Status"],
        ["Develop Joint Commissioning Plan", "March 2009", "Amber"],
        ["", "", ""],
        ["Ref: 4.3b", MERGED_LEFT, MERGED_LEFT],
        ["Action: Second action", MERGED_LEFT, MERGED_LEFT],
        ["Employer offer", "March 2009", "Green"],
    ]
    data = interpret(document(table(1, rows)), REGISTER)
    assert data.group == "Economic Development Coordination Group"
    assert [(t.ref, t.action, t.outcome) for t in data.tasks] == [
        ("4.3a", "Support delivery of the CESP", "4.3"),
        ("4.3b", "Second action", "4.3"),
    ]
    assert data.report_date == "31 March 2009"


@pytest.mark.parametrize(
    "header_words", [TASK_HEAD, ["TASKS", "TARGET", "POSITION", "STATUS", "PLANNED ACTION"]]
)
def test_every_data_row_becomes_exactly_one_task(header_words: list[str]) -> None:
    body = [[f"Task {i}", f"T{i}", f"P{i}", "Green", ""] for i in range(40)]
    data = interpret(document(table(1, [header_words, *body])), REGISTER)
    assert [t.task for t in data.tasks] == [f"Task {i}" for i in range(40)]


def test_ref_and_action_written_in_a_merged_action_column() -> None:
    doc = document(
        table(
            1,
            [
                ["Action", *TASK_HEAD],
                [
                    "Ref:\n3.3b\nAction: Contribute to the strategy",
                    "Packs",
                    "Sept 08",
                    "In use",
                    "Achieved",
                    "",
                ],
                [MERGED_ABOVE, "Undertake one action", "2010", "Subgroup formed", "Amber", "By June 09"],
                ["Action: Another action", "Third", "", "", "Green", ""],
            ],
        )
    )
    tasks = interpret(doc, REGISTER).tasks
    assert [(t.ref, t.action, t.outcome) for t in tasks] == [
        ("3.3b", "Contribute to the strategy", "3.3"),
        ("3.3b", "Contribute to the strategy", "3.3"),
        ("", "Another action", ""),
    ]


def test_a_merged_full_width_row_under_a_table_is_a_note_not_a_task() -> None:
    doc = document(
        table(
            1,
            [
                TASK_HEAD,
                ["Task one", "March 09", "Going", "Green", ""],
                ["Marketing Gloucester activity needs joining up", *[MERGED_LEFT] * 4],
            ],
        )
    )
    data = interpret(doc, REGISTER)
    assert [t.task for t in data.tasks] == ["Task one"]
    assert data.tasks[0].notes == "Marketing Gloucester activity needs joining up"


def test_a_later_outcomes_summary_on_one_sheet_is_not_a_task() -> None:
    rows = [
        ["Outcome: 2.1 Communities live", "", "", ""],
        ["Date: 31 March 2009", "", "Green – on track", "1"],
        ["Tasks", "Target", "Position", "Status"],
        ["Task one", "June 09", "Going", "Green"],
        ["Outcome: 2.2 Our diverse communities", "", "", ""],
        ["Date: 31 March 2009", "", "Green – on track", "0"],
        ["Contact: Di Robinson", "", "Red – needs action", "1"],
        ["Task two", "July 09", "Stalled", "Red"],
    ]
    data = interpret(document(table(1, rows)), REGISTER)
    assert [(t.task, t.outcome) for t in data.tasks] == [("Task one", "2.1"), ("Task two", "2.2")]
    assert [s.declared for s in data.summaries] == [{"Green": 1}, {"Green": 0, "Red": 1}]


@pytest.mark.parametrize("label", ["Action:", "Ref:", "Date:"])
def test_a_label_with_its_value_in_the_next_cell(label: str) -> None:
    rows = [
        [label, "Reduce fear of crime" if label != "Ref:" else "2.3b"],
        TASK_HEAD[:2],
        ["Task", "March 09"],
    ]
    data = interpret(document(table(1, rows)), REGISTER)
    (task,) = data.tasks
    value = {"Action:": task.action, "Ref:": task.ref, "Date:": task.report_date}[label]
    assert value == ("Reduce fear of crime" if label != "Ref:" else "2.3b")


def test_a_plan_row_with_only_an_action_is_kept() -> None:
    header = ["Action", "Task", "Measures", "Milestones/Detailed Tasks", "Timescale"]
    doc = document(
        para("Outcome 3.3: Every child thrives"),
        table(
            1,
            [
                header,
                ["a) Ensure good practice", "Collect", "Publication", "1. Mapping", "2008"],
                ["b) An action not yet planned", "", "", "", ""],
            ],
        ),
    )
    plans = interpret(doc, REGISTER).plans
    assert [(p.ref, p.action, p.task) for p in plans] == [
        ("3.3a", "a) Ensure good practice", "Collect"),
        ("3.3b", "b) An action not yet planned", ""),
    ]


def test_outcome_measure_baseline_and_targets_are_kept_as_a_plan_row() -> None:
    doc = document(
        table(
            1,
            [
                ["Outcome 2.1: Communities live", *[""] * 4],
                [
                    "Outcome Measure:\nPercentage who feel they get on",
                    "Baseline\n2007/8",
                    "2008/ 2009",
                    "2009/ 2010",
                    "2010/ 2011",
                ],
                ["", "60%", "61%", "62%", "63%"],
            ],
        )
    )
    (plan,) = interpret(doc, REGISTER).plans
    assert (plan.action, plan.task, plan.outcome) == (
        "Outcome measure",
        "Percentage who feel they get on",
        "2.1",
    )
    assert plan.baseline == "60%" and plan.targets == {"2008/09": "61%", "2009/10": "62%", "2010/11": "63%"}


def test_a_sheet_of_instructions_is_not_reported_as_an_unrecognised_table() -> None:
    rows = [
        ["How to fill in this return"],
        ["Type the position of each task in the Position column."],
        ["Choose a status from the drop-down list."],
        ["Send it back by e-mail."],
    ]
    data = interpret(document(table(1, rows)), REGISTER)
    assert data.tasks == [] and [i.code for i in data.issues] == ["no-task-table"]


def test_a_header_row_with_every_heading_misspelt_is_still_recognised() -> None:
    head = ["Taks", "Targt", "Postion", "Staus", "Planned improvment/action needed and deadlne"]
    data = interpret(
        document(table(1, [head, ["Arrange training", "June 09", "Mapping done", "Amber", "By July 09"]])),
        REGISTER,
    )
    (task,) = data.tasks
    assert (task.task, task.target, task.position, task.status, task.planned) == (
        "Arrange training",
        "June 09",
        "Mapping done",
        Status.AMBER,
        "By July 09",
    )


def test_a_flat_list_with_group_and_outcome_columns_sets_them_row_by_row() -> None:
    head = ["Group", "Outcome", "Ref", "Action", "Task", "Target", "Position", "Status", "Planned action"]
    rows = [
        head,
        [
            "Stronger Communities",
            "2:1 Communities live, work and play",
            "",
            "Cohesion",
            "Map activity",
            "June 08",
            "Done",
            "Green",
            "",
        ],
        [
            MERGED_ABOVE,
            MERGED_ABOVE,
            "",
            MERGED_ABOVE,
            "Arrange training",
            "Autumn 08",
            "Not yet",
            "Amber",
            "By June 09",
        ],
        [
            "",
            "Outcome 2.2: Our diverse communities",
            "2.2b",
            "Protocol",
            "Draft protocol",
            "July 09",
            "Draft",
            "Amber",
            "Finalise by July 09",
        ],
        [
            "Healthy City Partnership",
            "3.4",
            "3.4a",
            "Health activities",
            "Explore Green Gym",
            "March 09",
            "Early stages",
            "Red",
            "Bid again by April 09",
        ],
    ]
    data = interpret(document(table(1, rows)), REGISTER)
    assert [(t.group, t.outcome, t.outcome_title, t.ref, t.action) for t in data.tasks] == [
        ("Stronger Communities", "2.1", "Communities live, work and play", "", "Cohesion"),
        ("Stronger Communities", "2.1", "Communities live, work and play", "", "Cohesion"),
        ("Stronger Communities", "2.2", "Our diverse communities", "2.2b", "Protocol"),
        ("Healthy City Partnership", "3.4", "", "3.4a", "Health activities"),
    ]
    assert [i.code for i in data.issues] == []


def test_a_task_table_split_in_two_goes_on_under_the_same_headings() -> None:
    doc = document(
        table(
            1,
            [
                TASK_HEAD,
                ["Task one", "June 09", "Going", "Green", ""],
                ["Task two", "July 09", "Late", "Amber", "By May 09"],
            ],
        ),
        para("", 5),
        table(
            2,
            [
                ["Task three", "Aug 09", "Stalled", "Red", "Review by June 09"],
                ["Task four", "", "", "Green", ""],
            ],
        ),
        table(3, [["Ref:", "2.1b"], ["Action: Something else", ""]]),
    )
    data = interpret(doc, REGISTER)
    assert [(t.task, t.status, t.place.table) for t in data.tasks] == [
        ("Task one", Status.GREEN, 1),
        ("Task two", Status.AMBER, 1),
        ("Task three", Status.RED, 2),
        ("Task four", Status.GREEN, 2),
    ]
    assert data.issues == []


def test_a_header_may_start_with_headings_that_match_no_field() -> None:
    rows = [
        ["Colour", "Shape", "Tasks", "Status", "Position"],
        ["Blue", "Round", "Task one", "Green", "Going"],
    ]
    data = interpret(document(table(1, rows)), REGISTER)
    (task,) = data.tasks
    assert (task.task, task.status, task.position) == ("Task one", Status.GREEN, "Going")
    assert task.notes == "Colour: Blue\nShape: Round"
    assert [i.code for i in data.issues] == ["unmapped-header", "unmapped-header"]


def test_a_row_with_fewer_than_three_in_five_headings_is_no_header() -> None:
    rows = [
        ["Colour", "Shape", "Size", "Tasks", "Status"],
        ["Blue", "Round", "Big", "Task one", "Green"],
    ]
    data = interpret(document(table(1, rows)), REGISTER)
    assert data.tasks == [] and data.rows_in_issues == 2
    assert [i.code for i in data.issues] == ["unmapped-table"]


@pytest.mark.parametrize("row", [
    ["Task", "Target", "Done by the board in May", "Green", ""],
    ["Status report to the board", "Progress", "Going", "Amber", ""],
])
def test_a_task_whose_words_look_like_headings_stays_a_task(row: list[str]) -> None:
    rows = [TASK_HEAD, ["Task one", "June 09", "Going", "Green", ""], row, TASK_HEAD,
            ["Task three", "July 09", "Late", "Red", ""]]
    data = interpret(document(table(1, rows)), REGISTER)
    assert [t.task for t in data.tasks] == ["Task one", row[0], "Task three"]


def test_summary_lines_in_capitals_after_spaces_are_counts() -> None:
    rows = [
        ["Outcome: 2.1 Communities live", "", "", ""],
        ["Date: 31 March 2009", "", "  GREEN – on track", "3"],
        ["", "", "\tRED", "1"],
        ["", "", "TOTAL", "4"],
        TASK_HEAD[:4],
        ["Task one", "June 09", "Going", "Green"],
    ]
    data = interpret(document(table(1, rows)), REGISTER)
    assert [s.declared for s in data.summaries] == [{"Green": 3, "Red": 1, "Total": 4}]
    assert [t.task for t in data.tasks] == ["Task one"]


@pytest.mark.parametrize("cell", [
    "Ref: 2.4a   Action: Reduce fear of crime",
    "REF: 2.4a - action: Reduce fear of crime",
    "Ref:\n2.4a\nAction: Reduce fear of crime",
])
def test_ref_and_action_in_one_cell_above_a_table(cell: str) -> None:
    rows = [[cell, MERGED_LEFT], TASK_HEAD[:2], ["Task one", "June 09"]]
    (task,) = interpret(document(table(1, rows)), REGISTER).tasks
    assert (task.ref, task.action, task.outcome) == ("2.4a", "Reduce fear of crime", "2.4")


@given(st.lists(st.sampled_from(["Ref: 2.4a", "Action", "ACTION", "action", ":", " ", "  ", "\t", "\xa0",
                                  "-", "–", "|", ",", "x", "Reduce"]), max_size=8).map("".join))
def test_a_second_label_is_looked_for_only_where_the_split_finds_one(line: str) -> None:
    # read_contexts tries the split on a line only when the quicker pattern finds a label there.
    assert bool(_SPACED_ACTION_LABEL_RE.search(line)) == bool(_INLINE_LABEL_RE.search(line))


def test_a_tracked_change_in_a_task_cell_is_said_with_its_column() -> None:
    tasks = table(1, [TASK_HEAD, ["Task one", "June 09", "Going", "AMBER", ""]])
    tasks.rows[1].cells[3].changes = [TrackedChange("insert", "AMBER", "Di", "2009-03-30T10:00:00Z")]
    data = interpret(document(tasks), REGISTER)
    (issue,) = [i for i in data.issues if i.code == "tracked-change"]
    assert "Status: 'AMBER' inserted" in issue.message and "Di" in issue.message
    assert issue.place == tasks.rows[1].cells[3].place


#: Columns of every sort a row is read through: carried, plain, status, year, baseline, none.
_ANY_FIELD = st.sampled_from([None, "task", "status", "action", "ref", "objective", "outcome", "group",
                              "year", "baseline", "comments"])
_ANY_TEXT = st.sampled_from(["", " ", "\n", "Task one", "Ref: 2.4a", "Action: Reduce crime", "Ref: 2.4a",
                             MERGED_LEFT])


@given(st.lists(st.tuples(_ANY_FIELD, _ANY_TEXT), min_size=1, max_size=6),
       st.dictionaries(st.sampled_from(sorted(CARRIED_FIELDS)), st.sampled_from(["", "above"])),
       st.booleans())
def test_a_rows_own_text_is_told_as_its_values_say(cells: list[tuple[str | None, str]],
                                                    carried: dict[str, str], count_actions: bool) -> None:
    # any_own_text tells it from the fields written in the row; the values read must agree.
    row = table(1, [[text for _, text in cells]]).rows[0]
    columns = ColumnMap(place=row.place, kind="progress",
                        fields={i: name for i, (name, _) in enumerate(cells) if name is not None},
                        years={i: "2008/09" for i, (name, _) in enumerate(cells) if name == "year"})
    values = read_row(row, columns, carried)
    own = any(v for k, v in values.values.items() if k not in CARRIED_FIELDS) \
        or any(values.years.values()) or bool(values.notes)
    assert values.any_own_text(count_actions=count_actions) == \
        (own or (count_actions and "action" in values.written))
    # _data_row takes a row with a field written outside the carried ones for one of its own
    # without asking any_own_text: it must agree.
    if not values.written <= CARRIED_FIELDS:
        assert values.any_own_text(count_actions=count_actions)


@given(st.lists(st.tuples(_ANY_FIELD, _ANY_TEXT), min_size=1, max_size=6),
       st.dictionaries(st.sampled_from(sorted(CARRIED_FIELDS)), st.sampled_from(["", "above"])))
def test_a_row_hands_on_every_carried_value_it_holds(cells: list[tuple[str | None, str]],
                                                     carried: dict[str, str]) -> None:
    # read_row hands on only the table's carried_names: what it hands on must be what it hands
    # on when all five carried fields are looked at.
    row = table(1, [[text for _, text in cells]]).rows[0]

    def column_map() -> ColumnMap:
        return ColumnMap(place=row.place, kind="progress",
                         fields={i: name for i, (name, _) in enumerate(cells) if name is not None},
                         years={i: "2008/09" for i, (name, _) in enumerate(cells) if name == "year"})

    every_field = column_map()
    every_field.__dict__["carried_names"] = tuple(sorted(CARRIED_FIELDS))
    handed_on = dict(carried)
    assert read_row(row, column_map(), carried).values == read_row(row, every_field, handed_on).values
    assert carried == handed_on


#: The fields a task row's own columns give its record.
_ROW_FIELDS = ("task", "target", "position", "planned", "ref", "action", "objective", "resources",
               "measures", "owner", "revised_deadline")


@pytest.mark.parametrize("status_column", [True, False])
def test_a_task_record_takes_each_value_as_its_field(status_column: bool) -> None:
    # build_task gives TaskRecord its fields by position: each value must land in its own field,
    # and every other field keep its default, as a call by keywords would have it.
    names = [*_ROW_FIELDS, "status"] if status_column else list(_ROW_FIELDS)
    row = table(1, [[f"<{name}>" for name in names]]).rows[0]
    columns = ColumnMap(place=row.place, kind="progress", fields=dict(enumerate(names)),
                        headings={i: f"Heading of {name}" for i, name in enumerate(names)})
    values = RowValues()
    values.values = {name: f"<{name}>" for name in _ROW_FIELDS}
    values.notes = ["A note", "Another"]
    values.places = {name: cell.place for name, cell in zip(names, row.cells, strict=True)}
    record, _ = build_task(row, values, columns)
    assert record == TaskRecord(place=row.place, **{name: f"<{name}>" for name in _ROW_FIELDS},
                                notes="A note\nAnother", has_status_column=status_column,
                                cell_places=values.places, headings=columns.field_headings)


#: Texts of every sort a cell holds: words, spaces of every kind, line breaks of every kind, tags.
_CELL_TEXT = st.lists(st.sampled_from(["Task", "one", " ", "  ", "\t", "\xa0", "\u2003", "\n", "\r\n", "\r",
                                        "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "<b>", "</p>", "<", "é",
                                        "\x00", "2008/09"]), max_size=10).map("".join)


@given(st.lists(st.one_of(_CELL_TEXT, st.text(max_size=12)), min_size=1, max_size=4))
def test_a_row_reads_each_cell_as_tidy_reads_it(texts: list[str]) -> None:
    # read_row tidies a cell's usual text (one line, no tag) itself: each value must be the
    # cell's text as tidy gives it.
    row = table(1, [["x"] * len(texts)]).rows[0]
    for cell, text in zip(row.cells, texts, strict=True):
        cell.text = text  # unstripped too: as a reader may leave it, not only as Cell makes it
    columns = ColumnMap(place=row.place, kind="progress", fields={i: f"field{i}" for i in range(len(texts))})
    values = read_row(row, columns, {})
    assert values.values == {f"field{i}": tidy(cell.text) for i, cell in enumerate(row.cells)}


@given(st.lists(st.lists(st.one_of(_CELL_TEXT, st.text(max_size=12)), max_size=3), min_size=1, max_size=4))
@example([["Task\u2028one"], ["é\u2029Task"], ["one\rTask", "two"], ["Task\x85one\x0b"]])
@example([["Task\t", "one"], ["Task", "\t", "one"], ["Task ", "one"], ["Task", "", "one"]])
@example([[" Task", " one "], ["\tTask\n", "one\n"], ["Task\x1f", "one"], ["<b>Task", "one"]])
def test_a_safe_row_reads_each_cell_as_tidy_reads_it(cells_lines: list[list[str]]) -> None:
    # read_row takes a cell of a document intake has made safe (SourceDocument.text_safe) as it
    # is when it holds no tag and no newline, U+2028 or U+2029, or when it is ASCII and no line
    # is blank or ends in a space: whatever a reader's lines held, each value must still be the
    # cell's text as tidy gives it.
    from pipeline.document import Cell
    from pipeline.intake.open import make_text_safe

    row = table(1, [["x"] * len(cells_lines)]).rows[0]
    row.cells = [Cell(lines, cell.place) for lines, cell in zip(cells_lines, row.cells, strict=True)]
    doc = document(Table([row], row.place))
    make_text_safe(doc)
    assert doc.text_safe
    columns = ColumnMap(place=row.place, kind="progress",
                        fields={i: f"field{i}" for i in range(len(cells_lines))})
    values = read_row(row, columns, {}, doc.text_safe)
    assert values.values == {f"field{i}": tidy(cell.text) for i, cell in enumerate(row.cells)}


@given(st.one_of(_CELL_TEXT, st.text(max_size=12)))
def test_heading_of_a_printable_text_is_its_words_spaced(text: str) -> None:
    # _heading strips a printable text with no two spaces together; its words must say the same.
    assert _heading(text) == heading_by_words(text)


def test_the_only_printable_space_is_the_space() -> None:
    # What the quick path of _heading rests on: a printable text holds no line break and no
    # space but " " (every character Python's split or splitlines breaks at, checked).
    printable_spaces = [c for c in map(chr, range(0x110000)) if c.isprintable()
                        and (len(f"a{c}a".split()) > 1 or len(f"a{c}a".splitlines()) > 1)]
    assert printable_spaces == [" "]


def test_a_key_label_starts_with_one_of_its_letters() -> None:
    # _table_legend tries the key's label pattern only on a row whose first written text starts,
    # after its spaces, with one of _LABEL_FIRST: every character that starts a match must be one.
    from pipeline.layout.legend import _LABEL_FIRST, _LABEL_RE

    starts = {c for c in map(chr, range(0x110000))
              if any(_LABEL_RE.match(f"{c}{rest}") for rest in ("ey:", "egend:", "ag key:", "tatus key:",
                                                                  "ating key:", "EY:", "EGEND"))}
    assert starts <= _LABEL_FIRST
    # The first look takes a text starting with a space on to the pattern: every space is one.
    from pipeline.layout.legend import _LABEL_STARTS

    assert {c for c in map(chr, range(0x110000)) if c.isspace()} <= _LABEL_STARTS - _LABEL_FIRST
    assert all(_LABEL_RE.match(f" \n{text}") for text in ("key:", "Legend", "rag key"))


@given(st.one_of(st.sampled_from(["Green – on track", "TOTAL", " Amber - 3", "Red", "Totally", "Achieved:",
                                   "Green on track now and later", "Date: 31 March 2009", ""]),
                 st.text(max_size=12)))
def test_a_count_label_remembered_is_the_label_read(text: str) -> None:
    # read_count_label is remembered by text: asked twice, it gives what reading the text gives.
    from pipeline.layout.context import read_count_label

    read = read_count_label.__wrapped__(text)
    assert read_count_label(text) == read and read_count_label(text) == read


def test_a_scene_start_begins_with_one_of_its_letters() -> None:
    # may_set_scene looks no further at a text whose first character is not in
    # SCENE_FIRST_CHARACTERS: those must be every space and every character whose lower case
    # begins as some start does.
    from pipeline.layout.context import _SCENE_STARTS, SCENE_FIRST_CHARACTERS, may_set_scene

    letters = {start[0] for start in _SCENE_STARTS}
    assert SCENE_FIRST_CHARACTERS == {c for c in map(chr, range(0x110000))
                                       if c.isspace() or c.lower()[:1] in letters}
    assert may_set_scene("\u3000 Ref: 2.4a") and may_set_scene("TOTAL") and not may_set_scene("Develop")


#: Pieces of year headings and of the texts beside them.
_YEAR_PIECES = st.sampled_from(["2008", "/", "09", "-", "2", "0", "1", "9", " ", "Baseline", "Target", "10",
                                "\u2013", "FY"])


@given(st.one_of(st.lists(_YEAR_PIECES, max_size=6).map("".join), st.text(max_size=10)))
def test_a_heading_without_19_or_20_is_no_year(text: str) -> None:
    # _map_headings asks year_heading only of a heading holding '19' or '20': any other must
    # be no year heading.
    from pipeline.normalise.headers import year_heading

    if "19" not in text and "20" not in text:
        assert year_heading(text) is None


@given(st.lists(st.sampled_from(["Ref: 2.4a", "Action:", "Green", "Total", "7", "Develop the plan",
                                 "Outcome 2.1: Safer", " ref", "Date: 1 May", "", "x", "\u3000Amber"]),
                min_size=1, max_size=4),
       st.text(max_size=12))
def test_a_row_skipped_as_no_scene_row_is_none_to_context_row(texts: list[str], first: str) -> None:
    # _table calls _context_row under a mapped table only for a row whose first written text
    # may_set_scene: for any other such row, _context_row must take it for no scene row and
    # change nothing.
    from pipeline.layout.columns import written_columns
    from pipeline.layout.context import may_set_scene
    from pipeline.layout.interpret import _Walk

    row = table(1, [[first, *texts]]).rows[0]
    written = written_columns(row)
    if not written or may_set_scene(row.cells[written[0]].text):
        return
    walk = _Walk(document(), REGISTER)
    columns = ColumnMap(place=row.place, kind="progress", fields={0: "task", 1: "status"})
    before = dict(vars(walk))
    assert walk._context_row(row, written, columns) is False
    assert vars(walk) == before


@pytest.mark.parametrize("before", [[], [""], [MERGED_ABOVE], ["", MERGED_LEFT]])
def test_a_key_row_is_found_whatever_its_first_cell(before: list[str]) -> None:
    # _table_legend takes a row's first cell as its first written one when it is (most rows),
    # and asks _first_written otherwise: a key after empty or merged cells is found the same.
    from pipeline.layout.legend import find_legend

    width = len(before) + 2
    rows = [["Task", "Status", *[""] * (width - 2)], ["Do it", "Green", *[""] * (width - 2)],
            [*before, "Key: Green – on track; Amber – some slippage", ""]]
    legend = find_legend([table(1, rows)], REGISTER.vocabulary)
    assert legend.entries == ["Green – on track", "Amber – some slippage"]
    assert len(legend.row_ids) == 1




@given(st.lists(st.sampled_from(["", "", "Task one", " x"]), max_size=6))
def test_a_row_is_blank_when_no_cell_holds_text(texts: list[str]) -> None:
    # Row.is_blank looks at its cells in a plain loop: it must say what any() over their texts says.
    row = table(1, [texts]).rows[0]
    assert row.is_blank == (not any(cell.text for cell in row.cells))


@given(st.dictionaries(st.integers(0, 7), _ANY_FIELD.filter(lambda name: name is not None), max_size=6),
       st.dictionaries(st.integers(0, 7), st.sampled_from(["Tasks", "Status", "RAG", ""]), max_size=6))
def test_a_settled_map_holds_what_its_properties_give(fields: dict[int, str],
                                                      headings: dict[int, str]) -> None:
    # ColumnMap.settle gives the cached properties their values at once, the second map of a
    # header from the first one's: each must read as a map left to work them out gives them.
    def column_map() -> ColumnMap:
        return ColumnMap(place=table(1, [["x"]]).rows[0].place, kind="progress", fields=dict(fields),
                         headings=dict(headings))

    known = frozenset({"task", "status"})
    for settled in (column_map(), column_map()):
        settled.settle()
        worked_out = column_map()
        assert settled.field_names == worked_out.field_names
        assert settled.field_headings == worked_out.field_headings
        assert settled.carried_names == worked_out.carried_names
        assert settled.extra_columns(known) == worked_out.extra_columns(known)
        assert settled.has("status") == worked_out.has("status")


_HEADINGS = st.sampled_from(["Tasks", "Target", "Status", "RAG", "Colour", "2008/09", "Baseline 2007/8",
                             "Progress", "", MERGED_LEFT])


@given(st.lists(_HEADINGS, min_size=2, max_size=6), st.lists(_HEADINGS, min_size=1, max_size=6))
@example(["Tasks", "", "Status"], ["Status"])  # the same texts in other columns
def test_a_header_mapped_again_is_mapped_as_at_first(before: list[str], after: list[str]) -> None:
    # row_header maps a header row it has seen (found by its first heading) as it did the first
    # time: a row of the same first heading, after maps of the one seen were changed once made
    # (as take_sub_headings changes them), must be mapped as by a process that has seen none.
    row_header_memo.clear()
    seen = table(1, [before]).rows[0]
    for _ in range(2):  # mapped, then remembered
        made = row_header(seen, written_columns(seen))
        if made is not None:
            made.fields.clear()
            made.years.clear()
            made.headings.clear()
            made.unmapped.clear()
    for texts in (before, before[:1] + after):
        row = table(2, [texts]).rows[0]
        again = row_header(row, written_columns(row))
        row_header_memo.clear()
        assert again == row_header(row, written_columns(row))
        row_header(seen, written_columns(seen))


_HEADING_WORDS = st.sampled_from(["Tasks", "and", "activities", "RAG", "Status", "Target", "date", "2008",
                                  "/", "09", "Baseline", "2007/8", "&", "-", "–", "Planned", "improvement"])
_SPACES = st.sampled_from(["", " ", "  ", "\t", "\n", "\xa0", "\u2003", " \n ", "\x1c"])


@given(st.lists(st.tuples(_SPACES, _HEADING_WORDS), max_size=6), _SPACES)
@example([("", "2008"), ("\t ", "/"), ("\n", "09")], " ")
@example([(" ", "Tasks"), ("\xa0", "and"), ("\n\n", "activities")], "\t")
def test_a_heading_matches_as_its_text_spaced_as_written(words: list[tuple[str, str]], last: str) -> None:
    # _map_headings matches a cell's text as written and tidies its spaces only for a header's
    # headings: match_header and year_heading must read any spacing of the words as the tidied one.
    text = "".join(space + word for space, word in words) + last
    assert match_header(text) == match_header(_heading(text))
    assert year_heading(text) == year_heading(_heading(text))


@given(st.lists(st.tuples(st.sampled_from([" ", " ", " ", "  ", "\t", "\n", "\xa0", " \n", "\r"]),
                          st.sampled_from(["Tasks", "Target", "RAG", "a", "/", "Planned", "é"])),
                min_size=6, max_size=16))
@example([(" ", "Tasks")] * 11 + [("  ", "Tasks")])  # as many spaces as the limit, a word fewer
@example([("", "Tasks")] + [("\t", "/")] * 12)  # too many words, with no space: no heading
@example([("", "Tasks")] + [("\n", "/")] * 12)
def test_a_safe_sentence_is_told_as_its_words_say(words: list[tuple[str, str]]) -> None:
    # row_header counts a safe ASCII text's spaces for its words when it has no newline or tab,
    # and splits it only when there are enough of them and two together: a row whose first cell
    # is such a text must be told from a header as a row not said to be safe is.
    from pipeline.document import Cell
    from pipeline.intake.open import make_text_safe

    text = "".join(space + word for space, word in words)
    row = table(1, [["x", "x"]]).rows[0]
    row.cells = [Cell([text], row.cells[0].place), Cell(["Status"], row.cells[1].place)]
    doc = document(Table([row], row.place))
    make_text_safe(doc)
    assert doc.text_safe
    written = written_columns(row)
    assert row_header(row, written, safe=True) == row_header(row, written)
