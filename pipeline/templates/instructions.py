"""The plain-words instructions at the top of every template.

No line may start with a word the interpreter takes as a label ("Outcome", "Ref", "Action:",
"Date:", "Contact:", "Summary", a colour followed by few words): the instructions sit in the
return itself and must be read as nothing. tests/test_templates.py checks every template
comes back with no issue.
"""

from __future__ import annotations

from pipeline.templates.wording import PlanYears

HEADING = "How to fill in this return"


def progress_instructions(fmt: str, prefilled_from: str = "") -> list[str]:
    """The heading and paragraphs that explain the progress template, for 'docx' or 'xlsx'."""
    lines = [HEADING]
    if prefilled_from:
        lines.append(
            f"This return already holds last quarter's tasks, targets, positions and statuses "
            f"(from {prefilled_from}). Update whatever has changed, and add any new tasks or "
            "actions in the spare rows.")
    lines.append(
        "Under each outcome, give every task a row of its own in the table of its action: the "
        "task, its target, where it stands now (Position), its status and, for any task at "
        "Amber or Red, the improvement planned and the date it will be done by (for example "
        "“by March 09”).")
    if fmt == "docx":
        lines += [
            "Choose each task's status from the drop-down list in the Status column: Green (on "
            "track), Amber (needs attention), Red (needs action) or Achieved.",
            "Write the date of the return after “Date:”, and each action's reference and "
            "wording after “Ref:” and “Action:” (click on the grey text and type). Leave spare "
            "rows and spare action blocks empty. If you need more rows, press Tab in the last "
            "cell of a table and type the status in the new row yourself.",
        ]
    else:
        lines += [
            "Each outcome has a sheet of its own: see the tabs at the bottom of the window. "
            "Type in the white cells; the grey cells hold the headings and are locked.",
            "Choose each task's status from the list in the Status column: Green (on track), "
            "Amber (needs attention), Red (needs action) or Achieved.",
            "Keep the words “Date:”, “Ref:” and “Action:” at the start of their cells and type "
            "after them, for example “Ref: 2.1a” (press F2 to add to a cell without clearing "
            "it). Leave spare rows and spare action blocks empty. If you need more rows, insert "
            "them (Home, Insert, Insert Sheet Rows).",
            "The sheets are protected only so that the headings are not changed by accident: "
            "there is no password (Review, Unprotect Sheet), but please keep the layout as it "
            "is.",
        ]
    lines += [
        "You may leave the Summary counts blank, because they are counted from the tasks. If "
        "you do fill them in, count Achieved tasks as Green, and make sure the counts agree "
        "with the tasks below them.",
        "Please keep the headings and the words “Outcome:”, “Ref:” and “Action:” as they are: "
        "they are how your return is read. Send the return back in the same format, "
        + ("as a Word document (.docx)." if fmt == "docx" else "as an Excel workbook (.xlsx)."),
    ]
    return lines


def plan_instructions(fmt: str, years: PlanYears) -> list[str]:
    """The heading and paragraphs that explain the action-planning template."""
    lines = [
        "How to fill in this action plan",
        f"The action plan covers three years, {years.span}, and will be reviewed every year. Be "
        "realistic about what the group can achieve; longer-term actions that do not fit into "
        "three years belong under Long-term Ambitions.",
        "For each outcome, first give the outcome measure, its baseline for "
        f"{years.baseline} and a target for each year. Then write one row for each task: the "
        "action it serves, the task, how it will be measured, the baseline and yearly targets, "
        "the milestones, the timescale, the resources and organisations involved, the contact "
        "officer, the lead partnership and any long-term ambitions.",
        "Start each action with its letter, for example “a) Take action to increase community "
        "cohesion”, and write it once, in the first row of its tasks: the rows below belong to "
        "the same action until the next one is written. Leave spare rows empty.",
    ]
    if fmt == "xlsx":
        lines.append(
            "Each outcome has a sheet of its own (see the tabs at the bottom of the window). Type "
            "in the white cells; the grey headings are locked, without a password (Review, "
            "Unprotect Sheet). Keep the words “Outcome Measure:” at the start of their cell. If "
            "you need more rows, insert them (Home, Insert, Insert Sheet Rows).")
    else:
        lines.append("If you need more rows, press Tab in the last cell of a table.")
    lines.append("Please keep the headings as they are: they are how your plan is read. Send the "
                 "plan back in the same format.")
    return lines
