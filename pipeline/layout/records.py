"""Turning one data row of a mapped table into a task or plan record."""

from __future__ import annotations

import re

from pipeline.document import Cell, Place, Row
from pipeline.issues import Issue, make_issue
from pipeline.layout.columns import CARRIED_FIELDS, ColumnMap
from pipeline.layout.context import read_contexts
from pipeline.normalise.status import (
    DEFAULT_VOCABULARY,
    StatusVocabulary,
    colour_name,
    is_shape,
    read_status,
    status_from_colour,
)
from pipeline.normalise.text import strip_stray_html
from pipeline.records import PlanRecord, Status, TaskRecord

_FIELD_LABELS = {
    "task": "Task", "target": "Target", "position": "Position", "status": "Status",
    "planned": "Planned improvement", "ref": "Ref", "action": "Action", "objective": "Objective",
    "resources": "Resources", "measures": "Measures", "milestones": "Milestones",
    "timescale": "Timescale", "contact_officer": "Contact officer",
    "lead_partnership": "Lead partnership", "long_term": "Long-term ambitions",
    "baseline": "Baseline", "year": "Target", "owner": "Owner",
    "revised_deadline": "Revised deadline", "deadline": "Deadline", "comments": "Comments",
    "evidence": "Evidence", "budget": "Budget",
}


def tidy(text: str) -> str:
    """A cell's text with its paragraphs as lines, Word's blank spacer paragraphs and stray pasted
    HTML tags removed."""
    # No quicker test of "one line" pays: splitlines hands a text of one line back as it is,
    # and str.isprintable, tried first, cost twice what it saved.
    lines = (strip_stray_html(text) if "<" in text else text).splitlines()
    if len(lines) < 2:  # most cells: one line, nothing to join
        return lines[0].strip() if lines else ""
    return joined_lines(lines)


def joined_lines(lines: list[str]) -> str:
    """`tidy` of a text of several lines, already split (its stray tags removed first): the
    lines that show something, joined."""
    return "\n".join([line.rstrip() for line in lines if line.strip()]).strip()


class RowValues:
    """A data row read through its column map: field -> text, plus what could not be mapped."""

    __slots__ = ("values", "years", "notes", "status_cell", "status_text", "places", "written", "struck")

    def __init__(self) -> None:
        # A plain class: one is made for every data row, and a dataclass's default factories
        # cost more than the row's reading.
        self.values: dict[str, str] = {}
        self.years: dict[str, str] = {}
        self.notes: list[str] = []
        self.status_cell: Cell | None = None
        self.status_text = ""
        """The Status cell's tidy text."""
        self.places: dict[str, Place] = {}
        """The first cell of each mapped field in this row."""
        self.written: set[str] = set()
        """Fields whose text was written in this row's own cells (not carried from above)."""
        self.struck: list[tuple[Place, str, str]] = []
        """Text struck through by hand: (its cell, the field's label, the text), kept in Notes."""

    def any_own_text(self, *, count_actions: bool = False) -> bool:
        """True when the row has text of its own, not only values carried from the rows above.

        With ``count_actions``, an Action written in the row counts as text of its own (in a
        plan, an action with no task yet is still a row of the plan)."""
        if count_actions and "action" in self.written:
            return True
        # A field that is not carried has text only when its own cells in this row have some
        # (it is then `written`), bar the baseline, kept with the year columns: told without
        # looking at every value.
        return not self.written <= CARRIED_FIELDS or bool(self.values.get("baseline")) \
            or any(self.years.values()) or bool(self.notes)


def read_row(row: Row, columns: ColumnMap, carried: dict[str, str], safe: bool = False) -> RowValues:
    """Read a data row; Action, Ref and Objective cells left empty or merged carry down from above.

    `safe`: the row's document is `SourceDocument.text_safe`, its texts broken into lines only
    by newlines, U+2028 and U+2029."""
    out = RowValues()
    values, places, written, fields = out.values, out.places, out.written, columns.fields
    for index, cell in enumerate(row.cells):
        if cell.merged_left:
            continue
        # tidy(cell.text), its usual cases told here: a task row's every cell is tidied, and the
        # call cost more than the tidying (test_a_row_reads_each_cell_as_tidy_reads_it and
        # test_a_safe_row_reads_each_cell_as_tidy_reads_it hold the two together). In a document
        # intake has made safe, a text with no tag is tidy's as it is when it is one line (intake
        # left no other line break in it, and an ASCII text, told at once, holds neither
        # separator), or an ASCII text of several lines none of them blank or ending in a space
        # (its only spaces are a space and a tab, and a line is blank or ends in one only where
        # one of them or a newline comes before a newline): a cell's text is already stripped
        # (Cell.__init__, and the Word reader's cells of one line, strip it), so tidy's line, or
        # its lines joined, are the text itself. The list splitlines made, and its look, cost
        # about 1,000 instructions a cell: read_row over the bench's 3,600 task rows 111.5 ->
        # 99.9 M instructions for one line, 100.2 -> 88.3 M with several lines and no strip.
        text = cell.text
        if "<" in text:
            text = tidy(text)
        elif text and not (safe and ("\n" not in text and (text.isascii() or "\u2028" not in text
                                                           and "\u2029" not in text)
                                     or text.isascii() and " \n" not in text
                                     and "\t\n" not in text and "\n\n" not in text)):
            lines = text.splitlines()
            text = lines[0].strip() if len(lines) == 1 else joined_lines(lines)
        name = fields.get(index)
        if cell.struck:
            _keep_struck(out, cell, columns.headings.get(index) or field_label(name))
        if name is None:
            _keep_unmapped(out, columns, index, text)
            continue
        if name in _READ_APART:  # one look for the four fields read their own way, not four
            if name in _YEAR_FIELDS:
                _keep_year(out, columns, index, name, text)
                continue
            if name == "status":
                out.status_cell, out.status_text = cell, text
            elif text:  # an Action
                text = _split_labels(text, out)
        if text:
            written.add(name)
        elif name in CARRIED_FIELDS:
            text = carried.get(name, "")
        # A field's first cell, most cells: its value and place set, not looked up first (a
        # second column of a field, or a Ref an Action cell gave, is joined; the place is its
        # first cell's, and a field with a place always has a value).
        if name in values:
            places.setdefault(name, cell.place)
            values[name] = _join(values[name], text)
        else:
            places[name] = cell.place
            values[name] = text
    names = columns.field_names
    if "action" in names and "ref" not in names:
        # A Ref written inside the Action cell travels with that action down a merged column.
        if values.get("action") and values["action"] != carried.get("action"):
            carried["ref"] = values.get("ref", "")
        values.setdefault("ref", carried.get("ref", ""))
    # Only the carried fields this table's rows can hold (a task table's, none), not all five.
    for name in columns.carried_names:
        if values.get(name):
            carried[name] = values[name]
    return out


#: The columns of an action plan's baseline and yearly targets.
_YEAR_FIELDS = frozenset({"year", "baseline"})
#: The fields read_row reads in a way of their own: year columns, the Status and the Action.
_READ_APART = _YEAR_FIELDS | {"status", "action"}


def _keep_struck(out: RowValues, cell: Cell, label: str) -> None:
    """Text struck through by hand in a cell, kept in the record's Notes and said."""
    crossed = " / ".join(" ".join(t.split()) for t in cell.struck)
    out.notes.append(f"Struck through in {label}: {crossed}")
    out.struck.append((cell.place, label, crossed))


def _keep_unmapped(out: RowValues, columns: ColumnMap, index: int, text: str) -> None:
    """The text of a column whose heading matched no field, kept in Notes under its heading."""
    if text and index in columns.headings:
        out.notes.append(f"{columns.headings[index]}: {text}")
    elif text:
        out.notes.append(text)


def _keep_year(out: RowValues, columns: ColumnMap, index: int, name: str, text: str) -> None:
    """The text of a baseline or yearly target column."""
    if name == "baseline":
        out.values["baseline"] = _join(out.values.get("baseline", ""), text)
    else:
        key = columns.years.get(index, "")
        out.years[key] = _join(out.years.get(key, ""), text)


def _split_labels(text: str, out: RowValues) -> str:
    """An Action cell written 'Ref: 3.3b / Action: …' gives its Ref and its Action apart."""
    contexts = read_contexts(text)
    if not contexts:
        return text
    action = ""
    for context in contexts:
        if context.kind == "ref" and not out.values.get("ref"):
            out.values["ref"] = context.value
        elif context.kind == "action":
            action = context.value
    return action


def _join(a: str, b: str) -> str:
    return f"{a}\n{b}" if a and b else a or b


def build_task(row: Row, values: RowValues, columns: ColumnMap,
               vocabulary: StatusVocabulary = DEFAULT_VOCABULARY) -> tuple[TaskRecord, list[Issue]]:
    """A task record from a progress row, with the warnings its Status cell gives rise to."""
    v = values.values
    notes = values.notes
    if columns.extra_columns(_TASK_FIELDS):  # most tables have none
        notes = list(notes)
        extras = _extra_fields(v, columns, _TASK_FIELDS)
        if "deadline" in extras and not v.get("target") and not columns.has("target"):
            v = {**v, "target": v["deadline"]}  # a Deadline column is the task's target date
            del extras["deadline"]
        notes.extend(f"{heading}: {text}" for heading, text in extras.values() if text)
    get = v.get
    # Every field given, in TaskRecord's order: a call by keywords costs a task record twice as
    # much (each keyword looked for among the 25). test_a_task_record_takes_each_value_as_its_field
    # holds the order; the scene's fields are filled by the interpreter, the status's below.
    record = TaskRecord(
        row.place,  # place
        get("task", ""),
        get("target", ""),
        get("position", ""),
        None,  # status
        "",  # status_text
        get("planned", ""),
        "",  # group
        "",  # outcome
        "",  # outcome_title
        get("ref", ""),
        get("action", ""),
        get("objective", ""),
        get("resources", ""),
        get("measures", ""),
        "",  # report_date
        "",  # contact
        get("owner", ""),
        get("revised_deadline", ""),
        "\n".join(notes),
        "status" in columns.field_names,  # has_status_column (columns.has, without its call)
        False,  # status_query
        "",  # direction
        values.places,  # cell_places: the row's own dict, as a RowValues is read once
        columns.field_headings,  # headings
    )
    issues: list[Issue] = [make_issue("struck-through-text", place, field=label, text=text)
                           for place, label, text in values.struck] if values.struck else []
    cell = values.status_cell
    if cell is not None:
        issues += _read_status_cell(record, cell, values.status_text, vocabulary)
    return record, issues


#: The fields a task record has a place for; any other mapped column is kept in its Notes.
_TASK_FIELDS = frozenset({"task", "target", "position", "status", "planned", "ref", "action",
                          "objective", "resources", "measures", "owner", "revised_deadline",
                          "outcome", "group"})


#: The fields a plan record has a place for.
_PLAN_FIELDS = frozenset({"action", "task", "measures", "baseline", "target", "milestones",
                          "timescale", "resources", "contact_officer", "lead_partnership",
                          "long_term", "ref", "objective", "outcome", "group"})


def _extra_fields(values: dict[str, str], columns: ColumnMap | None,
                  known: frozenset[str]) -> dict[str, tuple[str, str]]:
    """Mapped columns a record has no field for (Deadline, Comments, Evidence, Budget, Milestones):
    field -> (the heading as written, the text), in column order."""
    if columns is None:
        return {}
    headings = columns.headings
    return {name: (headings.get(index, field_label(name)), values.get(name, ""))
            for name, index in columns.extra_columns(known)}


def _read_status_cell(record: TaskRecord, cell: Cell, text: str, vocabulary: StatusVocabulary
                      ) -> list[Issue]:
    reading = read_status(text, vocabulary)
    shown = status_from_colour(cell.fill) if cell.fill else None
    inked = status_from_colour(cell.colour) if cell.colour else None
    record.status = reading.status
    record.status_text = text
    # len(reading.found) < 2 is `not reading.several` without the property's call: this line
    # runs for every Status cell.
    if reading.problem is None and not reading.symbol and len(reading.found) < 2 \
            and shown is None and inked is None:
        return []  # most Status cells: one status in words, no colour to compare it with
    issues: list[Issue] = []
    if reading.problem == "unknown" and (is_shape(text) or len(text) <= 2) \
            and (inked or shown) is not None:
        # A ● or ■ (or an 'x', a '1') shows its status only by the colour it is drawn in, or
        # the cell's shading, perhaps given by a conditional format.
        status = inked or shown
        assert status is not None
        record.status = status
        record.status_text = f"{text} ({colour_name(status)})"
        issues.append(make_issue("status-from-text-colour", cell.place, value=text,
                                 colour=colour_name(status), status=status.value))
        return issues
    if reading.problem in ("missing", "unknown") and cell.unread_look:
        # An icon set or a colour scale shows something only Excel can work out: never guessed.
        issues.append(make_issue("status-look-not-read", cell.place, what=cell.unread_look))
        return issues
    if reading.problem == "ambiguous":
        record.status_query = True
        issues.append(make_issue("ambiguous-status", cell.place, value=text))
        return issues
    if reading.symbol:
        issues.append(make_issue("status-from-symbol", cell.place, symbol=reading.symbol,
                                 status=_status_word(reading.status)))
    if reading.problem == "missing" and shown is not None:
        record.status = shown
        record.status_text = f"(cell shaded {colour_name(shown)})"
        issues.append(make_issue("status-from-colour", cell.place, colour=colour_name(shown),
                                 status=shown.value))
    elif reading.status is not None and shown is not None and shown != reading.status \
            and not (reading.status is Status.ACHIEVED and shown is Status.GREEN):
        issues.append(make_issue("status-colour-conflict", cell.place, value=text,
                                 colour=colour_name(shown), status=reading.status.value))
    if reading.status is not None and not reading.symbol and inked is not None \
            and inked != reading.status \
            and not (reading.status is Status.ACHIEVED and inked is Status.GREEN):
        # "Green" typed in red: the word is what the group wrote; the ink is said, not used.
        issues.append(make_issue("status-ink-conflict", cell.place, value=text,
                                 colour=colour_name(inked), status=reading.status.value))
    if reading.several:
        found = ", ".join(s.value for s in reading.found)
        issues.append(make_issue("several-statuses", cell.place, value=found,
                                 status=_status_word(reading.status)))
    return issues


def _status_word(status: Status | None) -> str:
    return status.value if status else ""


_LETTER_RE = re.compile(r"^\s*\(?([a-z])\)\s+", re.IGNORECASE)


def build_plan(row: Row, values: RowValues, outcome: str, columns: ColumnMap | None = None
               ) -> PlanRecord:
    """A plan record from a planning-template row; its Ref is the outcome and the action's letter."""
    v = values.values
    action = v.get("action", "")
    letter = _LETTER_RE.match(action)
    ref = v.get("ref", "") or (f"{outcome}{letter.group(1).lower()}" if letter and outcome else "")
    targets = dict(values.years)
    if v.get("target"):
        targets.setdefault("Target", v["target"])
    return PlanRecord(
        place=row.place,
        action=action,
        task=v.get("task", ""),
        measures=v.get("measures", ""),
        baseline=v.get("baseline", ""),
        targets=targets,
        milestones=v.get("milestones", ""),
        timescale=v.get("timescale", ""),
        resources=v.get("resources", ""),
        contact_officer=v.get("contact_officer", ""),
        lead_partnership=v.get("lead_partnership", ""),
        long_term=v.get("long_term", ""),
        ref=ref,
        notes="\n".join(values.notes + ([f"Objective: {v['objective']}"] if v.get("objective") else [])
                        + [f"{heading}: {text}" for heading, text in _extra_fields(
                            v, columns, _PLAN_FIELDS).values() if text]),
    )


def field_label(name: str | None) -> str:
    """The field's name as a person would write it."""
    return _FIELD_LABELS.get(name or "", "Text")
