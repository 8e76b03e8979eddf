"""The catalogue of problems the pipeline can find in a return, and the `Issue` that reports one.

Bad data is a result, not an exception: every problem becomes an `Issue` with a stable code, a
severity, the place in the file and a sentence a group can act on. The Issues sheet, the
feedback e-mails and ``docs/issues.md`` are all made from `CATALOGUE`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache, lru_cache
from string import Formatter
from typing import TYPE_CHECKING, Any, NamedTuple

from pipeline.pickled import pickled_as_values, pickled_by_name

if TYPE_CHECKING:
    from pipeline.document import Place
    from pipeline.records import TaskLike


@pickled_by_name
class Severity(StrEnum):
    """How much a problem matters, as in the government's own data-collection tools."""

    ERROR = "error"
    """The group must correct it."""
    QUERY = "query"
    """The group must correct it or explain it."""
    WARNING = "warning"
    """For information."""


@dataclass(frozen=True)
class IssueType:
    """One kind of problem: its code, severity, title, message template and advice."""

    code: str
    severity: Severity
    title: str
    template: str
    advice: str = ""
    rejects_file: bool = False
    """True when a problem of this kind means the file could not be read at all."""


def _types(*types: IssueType) -> dict[str, IssueType]:
    return {t.code: t for t in types}


E, Q, W = Severity.ERROR, Severity.QUERY, Severity.WARNING

CATALOGUE: dict[str, IssueType] = _types(
    # -- Files that cannot be read at all: the file is rejected, the run goes on.
    IssueType("unreadable-file", E, "File cannot be opened",
              "The file cannot be opened: {reason}.",
              "Open it in Word or Excel, save it again as .docx or .xlsx and send it again.",
              rejects_file=True),
    IssueType("empty-file", E, "File is empty", "The file is empty (0 bytes).",
              "Send the return again; the attachment may have been lost on the way.",
              rejects_file=True),
    IssueType("wrong-content", E, "File is not what its name says",
              "The file is named .{extension} but holds {actual}.",
              "Save it from Word or Excel as .docx or .xlsx and send it again.",
              rejects_file=True),
    IssueType("password-protected", E, "File is protected with a password",
              "The file is protected with a password, so it cannot be read.",
              "Send it without one (in Word or Excel: File > Info > Protect > remove the password).",
              rejects_file=True),
    IssueType("file-too-large", E, "File is too large to read safely",
              "The file was refused before reading: {reason}.",
              "Send the return on its own, without embedded pictures or other documents.",
              rejects_file=True),
    IssueType("unsafe-content", E, "File holds unsafe content",
              "The file was refused: {reason}.",
              "Save the return again from Word or Excel and send the new copy.",
              rejects_file=True),
    IssueType("needs-conversion", E, "Old or other format that needs converting",
              "This .{extension} file could not be read: {reason}.",
              "Save it as .docx (Word) or .xlsx (Excel) and send it again.",
              rejects_file=True),
    IssueType("unreadable-pdf", E, "PDF cannot be read as a return",
              "The PDF could not be read as a return: {reason}. The return counts as received, "
              "in a format that cannot be read.",
              "Please send the Word or Excel file the PDF was made from.",
              rejects_file=True),
    IssueType("read-from-pdf", W, "Read from a PDF",
              "This row was read from a PDF, where cells are found from the page layout: check "
              "its values.",
              "Please send the Word or Excel file next time."),
    IssueType("converted-file", W, "Read after conversion",
              "This .{extension} file was converted with LibreOffice before reading.",
              "Next time, please send .docx or .xlsx."),
    IssueType("macros-not-run", W, "Macro-enabled file",
              "The file contains macros; they were not run, only the cells were read.",
              "Send a plain .xlsx or .docx next time."),
    IssueType("reader-died", E, "File stopped the reader",
              "Reading the file stopped the process reading it (it ran out of memory or "
              "crashed); nothing from it was used.",
              "Open it in Word or Excel, save it again and send it again; if it happens again, "
              "report it with the file.",
              rejects_file=True),
    IssueType("read-time-exceeded", E, "File took too long to read",
              "Reading the file was stopped after {duration}, the limit for one file; "
              "nothing from it was used.",
              "Check it for pasted data, pictures or content far below the table, save it again "
              "and send it again.",
              rejects_file=True),
    IssueType("limit-exceeded", E, "Too much content",
              "{what} exceeds the limit of {limit}; the rest was not read.",
              "Check the file for pasted data or stray content far below the table.",
              rejects_file=False),
    IssueType("content-not-read", Q, "Part of the file was not read",
              "The file holds {what}, which {verb} not read, so any tasks in {them} are missing.",
              "Copy the tasks into the return's own table (for pasted-in content, opening the file "
              "in Word and saving it again is enough), and send it again."),
    # -- Layout: tables and headers.
    IssueType("no-task-table", W, "No task table found",
              "No table with task headers was found, so no tasks were read from this file.",
              "Use the partnership's template: a table headed Tasks, Target, Position, Status and "
              "Planned improvement."),
    IssueType("no-task-rows", Q, "Task table is empty",
              "The task table has its headings but no task rows, so no tasks were read from this "
              "file.",
              "Fill in a row for each task under the headings (Tasks, Target, Position, Status) and "
              "send the return again."),
    IssueType("unmapped-header", W, "Column heading not recognised",
              "The column heading '{header}' did not match any field; its text is kept in Notes.",
              "Use the template's column headings."),
    IssueType("unmapped-table", W, "Table not recognised",
              "A table with headings {headers} could not be matched to the template; its {rows} "
              "row(s) are listed here and not read as tasks.",
              "Use the template's column headings."),
    IssueType("no-status-column", W, "No Status column",
              "This table has no Status column, so its {rows} task(s) have no RAG status.",
              "Add a Status column (Green, Amber, Red or Achieved)."),
    IssueType("hidden-sheet", W, "Hidden sheet",
              "The sheet '{sheet}' is hidden; {what}.",
              "Unhide the sheet or delete it if it is not meant to be part of the return."),
    IssueType("hidden-row", W, "Hidden row",
              "Row {row} is hidden but holds text ({cells}); it was not read as part of the return.",
              "Unhide the row if it is current, or delete it if it is not."),
    IssueType("hidden-column", W, "Hidden column",
              "Column {column} is hidden but holds text ({cells}); it was not read as part of the "
              "return.",
              "Unhide the column if it is current, or delete it if it is not."),
    IssueType("hidden-text", W, "Hidden text",
              "The text '{text}' is formatted as hidden; it was not read as part of the return.",
              "Delete hidden text that no longer applies, or unhide it (Font > Hidden) if it is "
              "current."),
    IssueType("formula-without-value", Q, "Formula has no saved value",
              "The cell holds the formula {formula} but no saved result, so its value is unknown.",
              "Open the file in Excel, let it calculate, save it and send it again, or type the "
              "value in."),
    IssueType("struck-through-text", W, "Text struck through",
              "In {field}, '{text}' is struck through: it was left out of the field and kept in "
              "Notes.",
              "Delete text that no longer applies rather than striking it through."),
    IssueType("tracked-change", W, "Unaccepted tracked change",
              "{what} by {author}{when}; change not accepted. The text as changed was read.",
              "Accept or reject the tracked changes (Review > Accept) before sending."),
    # -- Values in task rows.
    IssueType("missing-status", E, "Status missing",
              "Task '{task}' has no Status.",
              "Enter one of Green, Amber, Red or Achieved."),
    IssueType("unknown-status", E, "Status not recognised",
              "Status '{value}' is not one of Green, Amber, Red, Achieved.",
              "Enter one of Green, Amber, Red or Achieved."),
    IssueType("several-statuses", W, "Several statuses in one cell",
              "The Status cell holds several statuses ({value}); the worst, {status}, is used.",
              "Give each sub-task a row of its own with its own status."),
    IssueType("status-from-colour", W, "Status shown only by colour",
              "The Status cell is empty but shaded {colour}; it was read as {status}.",
              "Type the status as well as colouring the cell."),
    IssueType("status-from-symbol", W, "Status shown only by a symbol",
              "The Status cell shows only '{symbol}'; it was read as {status}.",
              "Type the status in words as well (Green, Amber, Red or Achieved)."),
    IssueType("status-from-text-colour", W, "Status shown only by the colour of the text",
              "The Status cell shows '{value}' in {colour}; it was read as {status}.",
              "Type the status in words (Green, Amber, Red or Achieved) rather than showing it "
              "by colour."),
    IssueType("status-look-not-read", W, "Status shown in a way that cannot be read",
              "The Status cell is shown by {what} only, which cannot be read here; no status "
              "was taken from it.",
              "Write the status word (Green, Amber, Red or Achieved) in the cell."),
    IssueType("ambiguous-status", Q, "Status word does not say how the task is doing",
              "Status '{value}' does not say whether the task is on track, slipping or off "
              "track, so no status was assumed.",
              "Choose Green, Amber, Red or Achieved for this task."),
    IssueType("status-key", W, "The return's own key was used",
              "The return gives its own key to statuses, used to read them: {entries}.",
              "No action needed if the key is right; the key is not read as a task."),
    IssueType("status-colour-conflict", W, "Status text and colour disagree",
              "The Status cell says '{value}' but is shaded {colour}; the text, {status}, is used.",
              "Make the cell's colour match its status."),
    IssueType("status-ink-conflict", W, "Status word and its text colour disagree",
              "The Status cell says '{value}' but is written in {colour}; the word, {status}, is "
              "used.",
              "Check the status, and write it in a colour that matches it (or in black)."),
    IssueType("missing-task", E, "Task text missing",
              "A row has {filled} but no task text.",
              "Write the task in the Tasks column."),
    IssueType("missing-planned-action", E, "No planned improvement for an amber or red task",
              "Task '{task}' is {status} but has no planned improvement or action.",
              "Say what will be done to bring it back on track, and by when."),
    IssueType("planned-action-no-deadline", Q, "Planned improvement has no deadline",
              "The planned improvement for {status} task '{task}' does not say by when.",
              "Add a date or a deadline (for example 'by March 09')."),
    IssueType("summary-mismatch", Q, "Summary counts do not match the tasks",
              "The summary for outcome {outcome} says {declared} {colour}, but the tasks below it "
              "have {counted}.",
              "Correct the summary counts or the task statuses."),
    IssueType("ref-outside-outcome", Q, "Ref does not belong to its outcome",
              "Ref '{ref}' does not belong to outcome {outcome}, under which it is written.",
              "Check the Ref and the outcome heading above it."),
    IssueType("duplicate-task", Q, "Task listed twice",
              "Task '{task}' appears more than once under the same action (also at {other}).",
              "Delete the repeated row, or make clear how the two differ."),
    # -- Automatic checks on statuses (the register's [checks]): queries, to correct or explain.
    IssueType("target-date-passed", Q, "Target date passed but not amber or red",
              "Task '{task}' is {status}, but its target ({target}) passed before the period "
              "reported on ended ({period}).",
              "Check the status, or give a revised deadline and say why it moved."),
    IssueType("achieved-future-target", Q, "Achieved before its target date",
              "Task '{task}' is Achieved, but its target ({target}) is after the period reported "
              "on ends ({period}).",
              "Check the status, or say in the position what was achieved early."),
    IssueType("achieved-no-position", Q, "Achieved with no position",
              "Task '{task}' is Achieved, but its position is empty.",
              "Say in the position what was achieved, and when."),
    IssueType("position-unchanged", Q, "Position not updated",
              "The position of task '{task}' is word for word the same as in {previous_period}.",
              "Give this period's progress, or say that nothing has changed and why."),
    IssueType("deadline-moved-again", Q, "Revised deadline moved again",
              "The revised deadline of task '{task}' moved again: '{previous_deadline}' in "
              "{previous_period}, '{revised}' now.",
              "Say why the deadline moved again, and how sure the new one is."),
    IssueType("red-without-date", Q, "Red task's recovery has no date",
              "Task '{task}' is Red, and its planned improvement names no date.",
              "Give the date by which it will be back on track (for example 'by June 09')."),
    # -- Groups and outcomes.
    IssueType("unknown-group", W, "Group not recognised",
              "The group '{value}' is not in the register{closest}.",
              "Use the group's name as the partnership's register gives it."),
    IssueType("group-not-in-register", Q, "Return from a group not in the register",
              "The return is from '{value}', which is not a group in the register; its tasks are "
              "kept under that name{closest}.",
              "Add the group to the register, or correct the group's name in the return."),
    IssueType("no-group-named", Q, "Return does not say which group it is from",
              "The return does not name its group (in a Group: line, its title, its file name "
              "or its e-mail), so its tasks are kept under no group.",
              "Write the group's name at the top of the return (for example 'Group: Stronger "
              "Communities Group') and send it again, or name the file after the group."),
    IssueType("group-name-close", W, "Group name matched closely, not exactly",
              "The return names its group '{value}', which is not written as in the register; it "
              "was taken as {group}, the closest name.",
              "If that is wrong, correct the name in the return; if it is another way of writing "
              "the group's name, add it to the group's aliases in the register."),
    IssueType("outcome-not-group", W, "Outcome belongs to another group",
              "Outcome {outcome} is not one of {group}'s outcomes{closest}.",
              "Check the outcome number."),
    IssueType("other-period-named", Q, "Return for another period",
              "The return says it is for {its_period}, not {period}: it may be an earlier return "
              "sent again.",
              "Check that this is your return for {period}; send the right one, or reply to say "
              "the title is wrong."),
    IssueType("other-period", Q, "Return dated for another period",
              "The return is dated {date}, in {its_period}, not {period}: it may be an earlier "
              "return sent again.",
              "Check that this is your return for {period}; send the right one, or reply to say "
              "the date is wrong."),
    IssueType("unknown-outcome", W, "Outcome not recognised",
              "Outcome '{outcome}' is not in the register.",
              "Check the outcome number against the Sustainable Community Strategy."),
    # -- Intake: files read, but not quite as named.
    IssueType("extension-mismatch", W, "Extension does not match the content",
              "The file is named .{extension} but holds {actual}; it was read as such.",
              "Give the file the extension that matches its content (.{expected}) next time."),
    # -- E-mails: returns that arrived attached to a message.
    IssueType("email-no-attachment", W, "E-mail has no attachment",
              "The e-mail '{subject}' from {sender} has no attachment, so there was no return in it.",
              "Attach the return (the .docx or .xlsx file itself) to the e-mail and send it again."),
    IssueType("email-date-implausible", Q, "E-mail dated in the future or long ago",
              "The e-mail '{subject}' is dated {date}, {why}: that date was not used, and its "
              "returns are ordered against the group's others by the file's own date ({file_date}).",
              "Check with the sender which return is their latest (a computer clock may be set "
              "wrong); if an earlier one should count, remove this e-mail from the inbox and run "
              "again."),
    IssueType("unsafe-attachment-name", W, "Attachment name changed to be safe",
              "The attachment named {original} was saved as '{name}': folder names, control "
              "characters, leading dots and characters Windows refuses are taken out of names.",
              "Give the file a plain name (letters, numbers, spaces) before attaching it."),
)


class _RemembersKey:
    """A slot for `Issue.key`, worked out the first time it is asked for: the explanations, the
    Issues sheet and the record each ask every issue for it, and an issue never changes. The slot
    is not one of the dataclass's fields, so it is not compared, pickled or `replace`d."""

    __slots__ = ("_key",)
    _key: str


@pickled_as_values
@dataclass(frozen=True, slots=True)
class Issue(_RemembersKey):
    """A problem found in a return: its kind, its place and its facts, and the message and advice
    the catalogue's templates render from them (`make_issue`); a front end that words it its own
    way reads the facts."""

    code: str
    place: Place
    """Where it is: the file, and the table and row or the sheet and cell."""
    message: str
    """What is wrong, rendered from the catalogue's template and the facts."""
    severity: Severity
    advice: str = ""
    group: str = ""
    """The group whose return it is about, when known."""
    ref: str = ""
    """The Ref of the task it is about, when it is about a task."""
    task: str = ""
    """The wording of the task it is about, when it is about a task."""
    column: str = ""
    """The field of the task it points at (``status``, ``planned``…), when it points at one."""
    explanation: str = ""
    """The explanation given for this query (this period, or for the same query before)."""
    values: tuple[tuple[str, Any], ...] = ()
    """The facts the message was rendered from (the value found, the heading, what was
    expected…), by the names the catalogue's template gives them; empty for an issue read back
    from the history, which keeps only its words."""

    @property
    def key(self) -> str:
        """A short identity that stays the same from one period to the next for the same problem
        on the same task (group, code, Ref, wording, field), so an explanation carries forward."""
        try:
            return self._key
        except AttributeError:
            key = issue_key(self)
            object.__setattr__(self, "_key", key)  # frozen: the one write, of the remembered key
            return key

    @property
    def kind(self) -> IssueType:
        """The catalogued kind of problem: its severity, title, templates."""
        return CATALOGUE[self.code]

    @property
    def facts(self) -> dict[str, Any]:
        """The facts of the problem by name (``value``, ``header``, ``expected``…)."""
        return dict(self.values)

    @property
    def title(self) -> str:
        """The short title of this kind of problem."""
        return CATALOGUE[self.code].title

    @property
    def rejects_file(self) -> bool:
        """True when this problem means the file could not be read at all."""
        return CATALOGUE[self.code].rejects_file

    def sentence(self) -> str:
        """The message and the advice as one sentence pair for a person to read."""
        return f"{self.message} {self.advice}".strip()


def issue_key(issue: Issue) -> str:
    """`Issue.key` worked out afresh: a blake2s of the group, the code and the subject (the task's
    Ref, wording and field; else the place and the message)."""
    if issue.task or issue.ref:
        subject = (issue.ref, _flat_lower(issue.task)[:120], issue.column)
    else:
        subject = (issue.place.describe(), issue.message, "")
    text = "\x1f".join((_flat_lower(issue.group), issue.code, *subject))
    return hashlib.blake2s(text.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()


@lru_cache(maxsize=1 << 15)
def _flat_lower(text: str) -> str:
    """A group's name or a task's wording as its issues' keys take it: lower case, its spacing
    made single. Remembered: a run's issues name a few dozen groups, and a task's checks each
    name its wording."""
    return " ".join(text.lower().split())


def issue_counts_by_file(issues: Iterable[Issue]) -> dict[str, tuple[int, int, int]]:
    """(errors, queries, queries explained) per file."""
    counts: dict[str, list[int]] = {}
    for issue in issues:
        count = counts.setdefault(issue.place.file, [0, 0, 0])
        if issue.severity is Severity.ERROR:
            count[0] += 1
        elif issue.severity is Severity.QUERY:
            count[1] += 1
            count[2] += bool(issue.explanation)
    return {file: (c[0], c[1], c[2]) for file, c in counts.items()}


def make_issue(code: str, place: Place, **facts: Any) -> Issue:
    """Build an Issue of a catalogued kind from its facts (by the names its templates use), its
    message and advice rendered from them. Every fact is kept; only those the templates show are
    shortened for them (a status check passes seven facts and its message shows two)."""
    return _rendered(code, place, facts)


def make_task_issue(code: str, place: Place, about: TaskLike, column: str = "", /,
                    **facts: Any) -> Issue:
    """`about_task(make_issue(code, place, **facts), about, column)` made in one go: the checks
    of a consolidation raise thousands of issues about tasks, and each was built twice (a `task`
    fact is the wording as the message shows it, not the task)."""
    return _rendered(code, place, facts, about.group, about.ref, about.task, column)


def _rendered(code: str, place: Place, facts: dict[str, Any], group: str = "", ref: str = "",
              task: str = "", column: str = "") -> Issue:
    """The issue of a catalogued kind, its message and advice rendered from its facts."""
    template, names, severity, advice = _renderer(code)
    shown = {name: _shown(facts[name]) for name in names if name in facts}
    if advice is None:
        advice = CATALOGUE[code].advice.format_map(shown)
    return Issue(code, place, template.format_map(shown), severity, advice, group, ref, task, column,
                 values=tuple(facts.items()))


class _Renderer(NamedTuple):
    """What rendering a kind's issues needs, looked up once per kind."""

    template: str
    names: tuple[str, ...]
    """The facts the message and advice templates show (`_template_names`)."""
    severity: Severity
    advice: str | None
    """The advice as every issue of the kind shows it, when its template names no fact (most
    do not): rendered once, not per issue. None when it names one."""


@cache
def _renderer(code: str) -> _Renderer:
    kind = CATALOGUE[code]
    advice_names = [name for _, name, _, _ in Formatter().parse(kind.advice) if name]
    return _Renderer(kind.template, tuple(sorted(_template_names(code))), kind.severity,
                     None if advice_names else kind.advice.format_map({}))


@cache
def _template_names(code: str) -> frozenset[str]:
    """The names of the facts a kind's message and advice templates show."""
    kind = CATALOGUE[code]
    return frozenset(name for text in (kind.template, kind.advice)
                     for _, name, _, _ in Formatter().parse(text) if name)


def about_task(issue: Issue, task: TaskLike, column: str = "") -> Issue:
    """The issue with the facts of the task it concerns (group, Ref, wording) and the field it
    points at, so feedback and the officer's page can name the task rather than a row number."""
    return replace(issue, group=task.group, ref=task.ref, task=task.task, column=column)



def _shown(value: Any) -> Any:
    """A fact as a message shows it (`_shorten`); a text through `_shortened_text`, which
    remembers it."""
    return _shortened_text(value) if value.__class__ is str else _shorten(value)


@lru_cache(maxsize=1 << 15)
def _shortened_text(text: str) -> str:
    """`_shorten` of a text, remembered: the status checks of a consolidation show the same
    period, status and target, and often the same task, in thousands of messages. A text that
    shortening leaves as it is is remembered as itself, not as a copy."""
    shown: str = _shorten(text)
    return text if shown == text else shown


def _shorten(value: Any, limit: int = 80) -> Any:
    """Cut long quoted text so a message stays one readable line."""
    if isinstance(value, str):
        flat = " ".join(value.split())
        flat = flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
        # A field such as " on 2009-03-30" is written to follow another without a gap.
        return (" " + flat) if value[:1].isspace() and flat else flat
    return value


class FileRejected(Exception):
    """Raised by intake and readers when a file cannot be read at all; carries the issue to report."""

    def __init__(self, code: str, **fields: Any) -> None:
        super().__init__(code)
        self.code = code
        self.fields = fields

    def to_issue(self, place: Place) -> Issue:
        """The catalogued issue for this rejection, at the given place."""
        return make_issue(self.code, place, **self.fields)
