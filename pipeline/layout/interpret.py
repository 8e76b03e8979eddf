"""Reading a return's layout: walking its blocks in order, keeping the scene (group, outcome,
Ref, Action) and turning every task row under a recognised header into a record.

The same walk serves Word and Excel: a Word document is paragraphs and tables, an Excel sheet
is one table whose header may sit below title rows, with Ref and Action rows between tasks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.document import Cell, Paragraph, Place, Row, SourceDocument, Table, TrackedChange
from pipeline.issues import make_issue
from pipeline.layout.columns import CARRIED_FIELDS, ColumnMap, detect_header, row_header, take_sub_headings
from pipeline.layout.context import (
    SCENE_FIRST_CHARACTERS,
    ContextLine,
    may_set_scene,
    read_context,
    read_contexts,
    read_count,
    read_count_label,
)
from pipeline.layout.legend import find_legend
from pipeline.layout.records import build_plan, build_task, field_label, read_row, tidy
from pipeline.normalise.headers import year_heading
from pipeline.normalise.text import parse_outcome, ref_outcome
from pipeline.records import PlanRecord, ReturnData, ReturnKind, SummaryRecord, TaskRecord
from pipeline.register import Register

#: A paragraph of at most this many words, not after a task table, may be a section heading.
HEADING_WORDS = 15
#: Labels whose value may be written in the next cell instead of after the colon.
_LABELLED = frozenset({"ref", "action", "date", "contact", "sub_group"})


def interpret(document: SourceDocument, register: Register) -> ReturnData:
    """Turn a read document into task, plan and summary records, with the layout's own issues."""
    return _Walk(document, register).run()


class _Walk:
    """The state of one walk through a document's blocks."""

    def __init__(self, document: SourceDocument, register: Register) -> None:
        self.doc = document
        self.register = register
        self.data = ReturnData(file=document.file, kind=ReturnKind.UNKNOWN, issues=list(document.issues))
        self.group = ""
        self.outcome = ""
        self.outcome_title = ""
        self.ref = ""
        self.action = ""
        self.section = ""
        self.report_date = ""
        self.contact = ""
        self.summary: SummaryRecord | None = None
        self.close_names: set[str] = set()
        """Group names as written that matched the register only closely (already warned)."""
        self.last_task: TaskRecord | None = None
        self.after_task_table = False
        self.tables_mapped = 0
        self.pending_measure: tuple[Place, str, dict[int, tuple[str, str]]] | None = None
        self.last_columns: tuple[ColumnMap, int] | None = None
        """The last task table's headings and width, for a table that continues it."""
        # The return's own key decides what its status words mean, wherever it sits.
        self.legend = find_legend(document.blocks, register.vocabulary)
        self.vocabulary = register.vocabulary
        if self.legend.words:
            self.vocabulary = register.vocabulary.extended(self.legend.words)
            self.data.issues.append(make_issue(
                "status-key", self.legend.places[0], entries="; ".join(self.legend.entries)))

    def run(self) -> ReturnData:
        """Walk every block and return what was found."""
        for index, block in enumerate(self.doc.blocks):
            if isinstance(block, Paragraph):
                self._paragraph(block, index)
            else:
                self._table(block)
        data = self.data
        data.kind = {(True, False): ReturnKind.PROGRESS, (False, True): ReturnKind.PLAN,
                     (True, True): ReturnKind.MIXED}.get((bool(data.tasks), bool(data.plans)),
                                                         ReturnKind.UNKNOWN)
        if not self.tables_mapped and not data.rows_in_issues:
            data.issues.append(make_issue("no-task-table", Place(self.doc.file)))
        data.report_date = data.report_date or self.report_date
        data.contact = data.contact or self.contact
        return data

    # -- paragraphs -------------------------------------------------------------------------

    def _paragraph(self, paragraph: Paragraph, index: int) -> None:
        text = tidy(paragraph.text)
        self._report_changes(paragraph.changes, paragraph.place, "Text")
        if not text or self.legend.holds(paragraph):
            return
        contexts = read_contexts(text)
        if contexts:
            for context in contexts:
                self._apply(context, paragraph.place)
            self.after_task_table = False
            return
        if self._group_heading(text, paragraph.place):
            self.after_task_table = False
            return
        if self.after_task_table and self.last_task is not None \
                and not self._is_heading(paragraph, text, index):
            # A free paragraph after a task table is a note on the action above it.
            note = self.last_task.notes
            self.last_task.notes = f"{note}\n{text}" if note else text
            return
        if len(text.split()) <= HEADING_WORDS and ":" not in text[:20]:
            self.section = text
            self.action = ""

    def _is_heading(self, paragraph: Paragraph, text: str, index: int) -> bool:
        """A section heading rather than a note: styled as one, or short, unpunctuated and
        directly above a table of column headings (the paragraph is block `index`)."""
        if (paragraph.style or "").lower().startswith(("heading", "title")):
            return True
        return len(text.split()) <= 12 and "\n" not in text \
            and not text.rstrip().endswith((".", ";", ":", "!", "?")) \
            and _starts_with_header(self._next_block(index))

    def _next_block(self, index: int) -> Paragraph | Table | None:
        """The first block after block `index` that is not an empty paragraph."""
        blocks = self.doc.blocks
        return next((b for b in blocks[index + 1:] if not isinstance(b, Paragraph) or b.text), None)

    def _group_heading(self, text: str, place: Place | None = None) -> bool:
        """Take a heading that names a group; True when it did."""
        if len(text.split()) > HEADING_WORDS:
            return False
        match = self.register.match_group(text)
        group = match.group or (self.register.find_group_in(text) if not self.group else None)
        if group is None:
            return False
        self._note_close_match(match.score if match.group else 100.0, text, group.name, place)
        self._set_group(group.name, text)
        return True

    def _note_close_match(self, score: float, written: str, name: str, place: Place | None) -> None:
        """A group name taken by a close, not exact, match is said, never merged silently."""
        if score >= 100 or written in self.close_names:
            return
        self.close_names.add(written)
        self.data.issues.append(make_issue("group-name-close", place or Place(self.doc.file),
                                           value=written, group=name))

    def _set_group(self, name: str, as_written: str) -> None:
        if self.group and name != self.group:
            # Another group's part of the return: its outcomes and actions start afresh. (The
            # first group named only says whose the outcome above it is.)
            self.outcome = self.outcome_title = self.ref = self.action = ""
        self.group = name
        if not self.data.group_text:
            self.data.group_text = as_written
            if self.register.group_named(name):
                self.data.group = name

    # -- tables -----------------------------------------------------------------------------

    def _table(self, table: Table) -> None:
        columns: ColumnMap | None = None
        # A table straight after a task table, as wide and with no header of its own, is the same
        # table split in two (a stray Enter in Word): it goes on under the same headings.
        # (Word only: separate sheets of a workbook are separate on purpose.)
        continues = self.last_columns if self.after_task_table and table.place.sheet is None else None
        carried: dict[str, str] = {}
        unread: list[Row] = []
        found_header = False
        context_rows = 0
        rows_in_map = 0
        self.after_task_table = False
        sheet_outcome = parse_outcome(table.title) if table.title and table.place.sheet else None
        if sheet_outcome is not None:
            # A sheet named "Outcome 2.2" holds that outcome's actions, unless its rows say otherwise.
            self._apply(ContextLine("outcome", *sheet_outcome), table.place)
        rows = table.rows
        key_rows = self.legend.row_ids
        safe = self.doc.text_safe
        index = 0
        while index < len(rows):
            row = rows[index]
            # Each check below looks only at the cells with text of their own, found once:
            # written_columns(row), worked out here in the same pass over the cells that looks
            # for a tracked change (most rows have none), rather than by a call per row and a
            # pass over every table's cells beforehand for its changes.
            written: list[int] = []
            position = 0
            changed = False
            for cell in row.cells:
                if cell.text and not (cell.merged_left or cell.merged_above):
                    written.append(position)
                if cell.changes:
                    changed = True
                position += 1
            if changed:
                self._report_cell_changes(row, columns)
            # (Most returns have no key: their rows are not looked up in it, nor their id() asked.)
            if (not written and row.is_blank) or (key_rows and id(row) in key_rows):
                index += 1  # a blank row, or a row of the return's key to its statuses
                continue
            if columns is None and self.pending_measure is not None and self._measure_values(row):
                index += 1
                continue
            # A header row first: "Ref | Tasks | Target…" starts like a "Ref" line but is not one.
            # (header_of, the row below looked at only for a header row.)
            header = row_header(row, written, safe)
            if header is not None:
                if index + 1 < len(rows):
                    take_sub_headings(header, row, rows[index + 1])
                if columns is not None and not _plausible_new_header(header, columns):
                    header = None  # a task row whose words look like headings ("Task 1", "Action needed")
            # Under a mapped table, a row whose first text cannot set the scene (most rows, task
            # rows) is no scene row: _context_row would say so after its own look, and is not
            # called. Most are told by may_set_scene's first look, at the first character, here.
            # test_a_row_skipped_as_no_scene_row_is_none_to_context_row holds it.
            opening = row.cells[written[0]].text if written else ""
            if header is None and written \
                    and (columns is None or (opening[:1] in SCENE_FIRST_CHARACTERS
                                             and may_set_scene(opening))) \
                    and self._context_row(row, written, columns):
                context_rows += 1
                index += 1
                continue
            if header is not None:
                self._flush_measure(None)
                self._finish_columns(columns, rows_in_map)
                columns, carried, rows_in_map = header, {}, 0
                self.last_columns = (header, len(row.cells))
                found_header = True
                self._start_columns(header, row)
                index += header.header_rows
                continue
            if columns is None and continues is not None and not found_header \
                    and len(row.cells) == continues[1]:
                columns, found_header = continues[0], True
            # A note is a single cell (two written cells make a row no note).
            if columns is not None and len(written) < 2 and self._note_row(row):
                index += 1
                continue
            if columns is not None:
                rows_in_map += self._data_row(row, columns, carried)
            elif not found_header:
                unread.append(row)
            index += 1
        self._flush_measure(None)
        self._finish_columns(columns, rows_in_map)
        if found_header:
            self.after_task_table = True
        elif unread and not context_rows and len(unread) >= 2 and _is_tabular(unread):
            headings = [h for h in (" ".join(c.text.split())[:40] for c in unread[0].cells) if h]
            self.data.issues.append(make_issue(
                "unmapped-table", table.place, headers=", ".join(f"'{h}'" for h in headings) or "none",
                rows=len(unread)))
            self.data.rows_in_issues += len(unread)

    def _report_cell_changes(self, row: Row, columns: ColumnMap | None) -> None:
        """Each tracked change in a row's cells, named by its column's field."""
        for position, cell in enumerate(row.cells):
            if cell.changes:  # most cells have none: their column is not looked up
                name = columns.fields.get(position) if columns else None
                self._report_changes(cell.changes, cell.place, field_label(name))

    def _start_columns(self, columns: ColumnMap, row: Row) -> None:
        columns.settle()  # final now: its rows are read through it
        self.tables_mapped += 1
        for index in columns.unmapped:
            self.data.issues.append(make_issue(
                "unmapped-header", row.cells[index].place, header=columns.headings[index]))

    def _finish_columns(self, columns: ColumnMap | None, rows: int) -> None:
        if columns is not None and columns.kind == "progress" and not columns.has("status") and rows:
            self.data.issues.append(make_issue("no-status-column", columns.place, rows=rows))

    def _context_row(self, row: Row, written: list[int], columns: ColumnMap | None) -> bool:
        """Read a row that sets the scene (Ref, Action, outcome, summary lines); True if it was one.
        `written` are the row's `written_columns`."""
        if not written:
            return False
        cells = row.cells
        opening = cells[written[0]]
        first, count_label = None, None
        if may_set_scene(opening.text):  # most rows, tasks, headings and titles, are told at once
            first, count_label = read_context(opening.text), read_count_label(opening.text)
        if first is None and count_label is None:
            if columns is None and len(written) == 1:
                return self._group_heading(tidy(opening.text), opening.place)
            return False
        filled = [cells[i] for i in written]
        is_count = count_label is not None and (
            (len(filled) >= 2 and read_count(filled[1].text) is not None)
            or (len(filled) == 1 and columns is None))
        if is_count and first is None and not _all_scene(filled):
            # "Total | 7 | 2 | 0 | 9": a row of a summary table, not a declared count.
            return False
        if first is None and not is_count:
            if columns is None and len(filled) == 1:
                return self._group_heading(tidy(filled[0].text), filled[0].place)
            return False
        if first is not None and first.kind == "measure":
            self._start_measure(row, filled[0])
            return True
        if columns is not None and len(filled) > 2 and not _all_scene(filled):
            return False  # Under a header, a row of several cells is a task even if it starts "Ref:".
        position = 0
        while position < len(filled):
            cell = filled[position]
            contexts = read_contexts(cell.text)
            label = read_count_label(cell.text)
            following = filled[position + 1] if position + 1 < len(filled) else None
            if contexts:
                first_context = contexts[0]
                if first_context.kind in _LABELLED and not first_context.value and len(contexts) == 1 \
                        and following is not None and read_context(following.text) is None \
                        and read_count_label(following.text) is None:
                    # "Action:" in one cell, its text in the next.
                    contexts = (ContextLine(first_context.kind, tidy(following.text)),)
                    position += 1
                for context in contexts:
                    self._apply(context, cell.place)
            elif label:
                count = read_count(following.text) if following is not None else None
                # The number is what a group corrects, so a mismatch points at its cell.
                where = following.place if count is not None and following is not None else cell.place
                if count is not None:
                    position += 1
                self._count(label, count, where)
            position += 1
        return True

    def _start_measure(self, row: Row, cell: Cell) -> None:
        """An 'Outcome Measure:' row: the measure, and which columns hold its baseline and years."""
        self._flush_measure(None)
        years: dict[int, tuple[str, str]] = {}
        for index, other in enumerate(row.cells):
            if other is cell or other.merged_left:
                continue
            heading = year_heading(" ".join(other.text.split()))
            if heading is not None:
                years[index] = (heading.field or "year", heading.year)
        text = tidy(cell.text)
        measure = re.sub(r"^outcome measures?\s*:?\s*", "", text, flags=re.IGNORECASE).strip()
        self.pending_measure = (row.place, measure, years)

    def _measure_values(self, row: Row) -> bool:
        """The row under an outcome measure, holding its baseline and yearly targets; True if it was."""
        if self.pending_measure is None or row.is_blank:
            return False
        _, _, years = self.pending_measure
        filled = {i for i, c in enumerate(row.cells) if c.text and not c.merged_left}
        if not years or not filled <= set(years) | {0}:
            return False
        self._flush_measure(row)
        return True

    def _flush_measure(self, values: Row | None) -> None:
        """Keep a pending outcome measure as a row of the action plan, with its targets if given."""
        if self.pending_measure is None:
            return
        place, measure, years = self.pending_measure
        self.pending_measure = None
        plan = PlanRecord(place=place, action="Outcome measure", task=measure, group=self.group,
                          outcome=self.outcome, outcome_title=self.outcome_title)
        for index, (kind, year) in years.items():
            text = tidy(values.cells[index].text) if values is not None and index < len(values.cells) else ""
            if kind == "baseline":
                plan.baseline = text
            elif text:
                plan.targets[year] = text
        if measure or plan.baseline or plan.targets:
            self.data.plans.append(plan)

    def _note_row(self, row: Row) -> bool:
        """Keep a single cell merged across a task table as a note on the task above; True if it was."""
        cells = row.cells
        filled = [i for i, c in enumerate(cells) if c.text and not c.merged_left]
        if len(filled) != 1 or self.last_task is None:
            return False
        start = filled[0]
        if not (start + 1 < len(cells) and cells[start + 1].merged_left):
            return False
        text = tidy(cells[start].text)
        note = self.last_task.notes
        self.last_task.notes = f"{note}\n{text}" if note else text
        return True

    def _apply(self, context: ContextLine, place: Place) -> None:
        kind, value = context.kind, context.value
        if kind == "outcome":
            self.outcome, self.outcome_title = value, context.title
            self.ref = self.action = self.section = ""
            self.last_task = None
        elif kind == "ref":
            self.ref, self.action = value, ""
            self.last_task = None
        elif kind == "action":
            self.action = value
            self.last_task = None
        elif kind == "date":
            self.report_date = self.report_date or value
            if self.summary is not None and self.summary.outcome == self.outcome:
                self.summary.date = value
        elif kind == "contact":
            self.contact = self.contact or value
        elif kind == "sub_group":
            match = self.register.match_group(value)
            found = match.group or self.register.find_group_in(value)
            if match.group is not None:
                self._note_close_match(match.score, value, match.group.name, place)
            self._set_group(found.name if found else value, value)

    def _count(self, colour: str, count: int | None, place: Place) -> None:
        if self.summary is None or self.summary.outcome != self.outcome:
            self.summary = SummaryRecord(place=place, outcome=self.outcome, declared={},
                                         date=self.report_date, contact=self.contact)
            self.data.summaries.append(self.summary)
        self.summary.declared[colour] = count
        self.summary.count_places[colour] = place

    def _data_row(self, row: Row, columns: ColumnMap, carried: dict[str, str]) -> int:
        """Turn a data row into a record; 1 if it held a task, 0 if it was empty."""
        values = read_row(row, columns, carried, self.doc.text_safe)
        # A field written in the row that is not carried from above is text of its own (most
        # rows): any_own_text's first answer, told without its call.
        if values.written <= CARRIED_FIELDS \
                and not values.any_own_text(count_actions=columns.kind == "plan"):
            return 0
        if columns.kind == "plan":
            plan = build_plan(row, values, self.outcome, columns)
            outcome, title = _outcome_column(values.values.get("outcome", ""))
            plan.group = values.values.get("group") or self.group
            plan.outcome, plan.outcome_title = (outcome, title) if outcome else (self.outcome,
                                                                               self.outcome_title)
            self.data.plans.append(plan)
            return 1
        task, issues = build_task(row, values, columns, self.vocabulary)
        task.ref = task.ref or self.ref
        task.action = task.action or self.action or self.section
        # An Outcome or Group column (a flat list) says it row by row; else the scene above does.
        written_outcome = values.values.get("outcome")
        outcome, title = _outcome_column(written_outcome) if written_outcome else ("", "")
        task.outcome = outcome or self.outcome or ref_outcome(task.ref)
        task.outcome_title = title if outcome else (self.outcome_title if self.outcome else "")
        task.group = values.values.get("group") or self.group
        task.report_date, task.contact = self.report_date, self.contact
        if self.doc.kind == "pdf":
            issues.append(make_issue("read-from-pdf", row.place))
        self.data.tasks.append(task)
        if issues:  # most rows have none
            self.data.issues.extend(issues)
        self.last_task = task
        return 1

    # -- tracked changes --------------------------------------------------------------------

    def _report_changes(self, changes: Sequence[TrackedChange], place: Place, label: str) -> None:
        if not changes:
            return
        deleted = " ".join(c.text for c in changes if c.kind == "delete").strip()
        inserted = " ".join(c.text for c in changes if c.kind == "insert").strip()
        if deleted and inserted:
            what = f"{label} changed from '{deleted}' to '{inserted}'"
        elif inserted:
            what = f"{label}: '{inserted}' inserted"
        else:
            what = f"{label}: '{deleted}' deleted"
        authors = sorted({c.author for c in changes if c.author}) or ["an unknown author"]
        dates = sorted(c.date[:10] for c in changes if c.date)
        when = f" on {dates[-1]}" if dates else ""
        self.data.issues.append(make_issue("tracked-change", place, what=what,
                                           author=" and ".join(authors), when=when))


def _outcome_column(text: str) -> tuple[str, str]:
    """An Outcome cell's number and title: '2.1', '2:1 Communities live…' or 'Outcome 2.1: …'."""
    text = " ".join(text.split())
    if not text:
        return "", ""
    parsed = parse_outcome(text if text.lower().startswith("outcome") else f"Outcome {text}")
    return parsed if parsed is not None else ("", "")


def _is_tabular(rows: list[Row]) -> bool:
    """True when rows hold data in columns; a sheet or table of single-cell prose (instructions,
    notes) is text to read, not a table that failed to map."""
    return sum(1 for row in rows if sum(not c.is_blank for c in row.cells) >= 2) >= 2


def _all_scene(filled: list[Cell]) -> bool:
    """True when every filled cell of a row sets the scene: labels, summary lines and their counts."""
    position = 0
    while position < len(filled):
        text = filled[position].text
        nxt = filled[position + 1].text if position + 1 < len(filled) else ""
        if read_count_label(text) is not None:
            position += 2 if read_count(nxt) is not None else 1
        elif read_context(text) is not None:
            position += 1
        else:
            return False
    return True


def _plausible_new_header(header: ColumnMap, columns: ColumnMap) -> bool:
    """Inside a table whose headings are known, a row is a new header row only when it repeats
    most of them in the same places (a header repeated after a page break), or when nearly every
    cell of it is a heading; otherwise it is a task whose words happen to look like headings."""
    same = sum(1 for i, name in header.fields.items() if columns.fields.get(i) == name)
    if same >= max(2, (len(columns.fields) + 1) // 2):
        return True
    return len(header.fields) >= 3 and len(header.fields) >= 0.8 * len(header.headings)


def _starts_with_header(block: Paragraph | Table | None) -> bool:
    """True when the block is a table whose first filled row is a row of column headings."""
    if not isinstance(block, Table):
        return False
    filled = (row for row in block.rows if not row.is_blank)
    first = next(filled, None)
    return first is not None and detect_header(first, next(filled, None)) is not None


def cells_text(cells: list[Cell]) -> list[str]:
    """Each cell's tidy text (a helper for messages and tests)."""
    return [tidy(c.text) for c in cells]
