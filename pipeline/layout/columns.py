"""Finding a table's header row and mapping its columns onto fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from pipeline.document import Place, Row
from pipeline.normalise.headers import MAX_HEADING_WORDS, match_header, year_heading

#: Fields that make a row of headings a task table rather than a row of text.
CORE_FIELDS = frozenset({"task", "objective", "status", "position", "milestones", "measures"})
#: Fields found only in the action-planning template.
PLAN_FIELDS = frozenset({"milestones", "timescale", "lead_partnership", "long_term",
                         "contact_officer", "baseline", "year"})
#: Fields whose value, once written, applies to the rows below until a new one is written.
CARRIED_FIELDS = frozenset({"action", "ref", "objective", "outcome", "group"})


@dataclass
class ColumnMap:
    """How one table's columns map onto fields, and what its header looked like."""

    place: Place
    kind: str
    """``progress`` or ``plan``."""
    fields: dict[int, str] = field(default_factory=dict)
    """Column index -> field name (``task``, ``status``…, ``year``, ``baseline``)."""
    years: dict[int, str] = field(default_factory=dict)
    """Column index -> financial year for target-year columns."""
    headings: dict[int, str] = field(default_factory=dict)
    """Column index -> the heading as written (for notes and messages)."""
    unmapped: list[int] = field(default_factory=list)
    """Columns whose heading matched no field: their text is kept as notes."""
    header_rows: int = 1

    # The properties below are worked out once per table, when its rows are read: a map is not
    # changed once `detect_header` has made it.

    @cached_property
    def field_headings(self) -> dict[str, str]:
        """Each field's heading as the header row writes it (its first column's, where two map to
        it): one dict for all the table's records, which only read it (and pickled once)."""
        return {name: self.headings.get(i, "") for i, name in sorted(self.fields.items(), reverse=True)}

    @cached_property
    def field_names(self) -> frozenset[str]:
        """Every field some column maps to."""
        return frozenset(self.fields.values())

    @cached_property
    def carried_names(self) -> tuple[str, ...]:
        """The carried fields a row of this table can give a value: those some column maps to,
        and the Ref an Action cell may hold (read_row hands each on to the rows below)."""
        names = self.field_names
        return tuple(sorted(n for n in CARRIED_FIELDS if n in names or (n == "ref" and "action" in names)))

    def has(self, name: str) -> bool:
        """True when some column maps to this field."""
        return name in self.field_names

    def extra_columns(self, known: frozenset[str]) -> tuple[tuple[str, int], ...]:
        """Mapped fields outside `known` (bar year and baseline columns), each once with its
        first column, in column order: what a record keeps in its Notes."""
        found = self._extra_columns.get(known)
        if found is None:
            extras: dict[str, int] = {}
            for index, name in sorted(self.fields.items()):
                if name not in known and name not in extras and name not in ("year", "baseline"):
                    extras[name] = index
            found = self._extra_columns[known] = tuple(extras.items())
        return found

    @cached_property
    def _extra_columns(self) -> dict[frozenset[str], tuple[tuple[str, int], ...]]:
        return {}

    def settle(self) -> None:
        """Give the properties above their values now, as plain attributes, once the map is final
        (the layout's walk settles a table's map when it takes its header row).

        A cached_property's first look is a call of its __get__, which takes a lock, and working
        the four out cost as much again: about 40,000 instructions a table, as much as reading
        its first row (measured on 2026-12-02; now 4,000 for the key and the copy). Every
        return of a template has the same header, so a map is settled from the last one like
        it, all four values shared: each is only read (`extra_columns` fills its memo with what
        depends only on the fields).
        test_a_settled_map_holds_what_its_properties_give holds the two together."""
        key = (tuple(self.fields.items()), tuple(self.headings.items()))
        held = self.__dict__
        settled = _SETTLED_MAPS.get(key)
        if settled is None:
            for prop in _SETTLED:  # in order: each may use those before it
                held[prop.attrname] = prop.func(self)
            settled = {name: held[name] for name in _SETTLED_NAMES}
            if len(_SETTLED_MAPS) >= _SETTLED_KEPT:
                _SETTLED_MAPS.clear()
            _SETTLED_MAPS[key] = settled
        else:
            held.update(settled)


#: ColumnMap's properties `ColumnMap.settle` gives values, in an order that lets each use those before.
_SETTLED_NAMES = ("field_names", "field_headings", "carried_names", "_extra_columns")
_SETTLED = tuple(ColumnMap.__dict__[name] for name in _SETTLED_NAMES)
#: Settled values by header (its fields and headings, column by column): a run's returns come in
#: a few templates, but a process keeps no more than this many.
_SETTLED_MAPS: dict[tuple[tuple[tuple[int, str], ...], tuple[tuple[int, str], ...]], dict[str, object]] = {}
_SETTLED_KEPT = 256


def _heading(text: str) -> str:
    """A heading with its spaces tidied: one space between words, none around them."""
    if text.isprintable() and "  " not in text:
        # A printable text's only space is " " (no tab, line break or no-break space), so with
        # no two together it is tidied by stripping: told in C, as most cells are (every task
        # row's first cells are read as headings). test_heading_of_a_printable_text holds it.
        return text.strip()
    return heading_by_words(text)


def heading_by_words(text: str) -> str:
    """`_heading` the general way: the text's words joined by single spaces."""
    return " ".join(text.split())


def detect_header(row: Row, following: Row | None) -> ColumnMap | None:
    """The column map when this row is a table's header row (with a second row of years), else None."""
    return header_of(row, written_columns(row), following)


def written_columns(row: Row) -> list[int]:
    """The columns of a row whose cells hold text of their own (not a merge's continuation)."""
    # A plain loop and a counter, not a list comprehension over enumerate: this runs for every
    # row of a return, and the comprehension's own function and tuples cost a third more.
    written: list[int] = []
    index = 0
    for cell in row.cells:
        if cell.text and not (cell.merged_left or cell.merged_above):
            written.append(index)
        index += 1
    return written


#: A text of at most this many characters has no more words than a heading may have.
_SENTENCE_LENGTH = 2 * MAX_HEADING_WORDS


def header_of(row: Row, written: list[int], following: Row | None) -> ColumnMap | None:
    """`detect_header` for a row whose `written_columns` are known."""
    columns = row_header(row, written)
    if columns is not None and following is not None:
        take_sub_headings(columns, row, following)
    return columns


def row_header(row: Row, written: list[int], safe: bool = False) -> ColumnMap | None:
    """`header_of` without a look at the row below for a second row of years (`take_sub_headings`):
    the layout's walk finds the row below only for the few rows that are headers.

    `safe`: the row's document is `SourceDocument.text_safe` (an ASCII text's only spaces are
    then a space, a tab and a newline)."""
    if len(written) < 2:
        return None
    cells = row.cells
    # A sentence or a "label: value" is no heading, and one makes the row no header: most rows
    # of a table are told from a header here, before any heading is matched (or its spaces
    # tidied, which changes neither its colons nor its words).
    for i in written:
        text = cells[i].text
        if ":" in text and ":" in text.rstrip(":"):
            return None  # a label and its value
        # A sentence: more words than the limit (a text of at most twice as many characters
        # has no more).
        if len(text) > _SENTENCE_LENGTH:
            if safe and text.isascii() and "\n" not in text and "\t" not in text:
                # A safe ASCII text with no newline or tab is spaced only by spaces: it has
                # no more words than spaces and one (a cell's text is stripped), and exactly so
                # with no two spaces together. Counted, not split into its words (about 4,000
                # instructions a text, most task rows' first cells): row_header over the bench's
                # 120 returns 73.2 -> 63.5 M instructions. Split only when two spaces together
                # leave it in doubt. test_a_safe_sentence_is_told_as_its_words_say holds it.
                if text.count(" ") >= MAX_HEADING_WORDS and (
                        "  " not in text or len(text.split(None, MAX_HEADING_WORDS)) > MAX_HEADING_WORDS):
                    return None
            elif len(text.split(None, MAX_HEADING_WORDS)) > MAX_HEADING_WORDS:
                return None
    # A header row seen before is mapped as it was: every return of a template has the same
    # header, and mapping its headings again cost about 30,000 instructions a table
    # (interpret over the bench's 120 returns 445.8 -> 434.1 M; read 2,350.5 -> 2,339.6 M).
    # It is looked for by its first heading, which no task row's first cell is: a task row
    # that comes this far (its cells short) is one look, not a key made of all its texts
    # (that cost half the saving).
    # test_a_header_mapped_again_is_mapped_as_at_first holds the two together.
    first = cells[written[0]].text
    like = _HEADERS.get(first)
    held = None
    if like is not None:
        key = (tuple(written), tuple([cells[i].text for i in written]))
        held = like.get(key)
    if held is not None:
        # Copies: take_sub_headings changes a map's dicts.
        kind, mapped, years, headings = held[0], dict(held[1]), dict(held[2]), dict(held[3])
        unmapped = list(held[4])
    else:
        found = _map_headings(row, written)
        if found is None:
            return None
        mapped, years, headings = found
        kind = _kind(mapped)
        unmapped = [i for i in written if i not in mapped]
        if like is None:
            if len(_HEADERS) >= _HEADERS_KEPT:
                _HEADERS.clear()
            like = _HEADERS[first] = {}
            key = (tuple(written), tuple([cells[i].text for i in written]))
        elif len(like) >= _HEADERS_KEPT:
            like.clear()
        like[key] = (kind, dict(mapped), dict(years), dict(headings), tuple(unmapped))
    columns = ColumnMap(place=row.place, kind=kind, fields=mapped, years=years, headings=headings)
    columns.unmapped = unmapped
    return columns


#: Header rows already mapped, by their first heading and then by their written columns and
#: texts: (kind, fields, years, headings, unmapped). A process keeps no more than this many
#: first headings, nor this many headers under one.
_HEADERS: dict[str, dict[tuple[tuple[int, ...], tuple[str, ...]],
                         tuple[str, dict[int, str], dict[int, str], dict[int, str], tuple[int, ...]]]] = {}
_HEADERS_KEPT = 256


def take_sub_headings(columns: ColumnMap, row: Row, following: Row) -> None:
    """A header row's second row of years under a spanning 'Targets' heading, when `following`
    is one: its columns mapped, and the table a planning table with two header rows."""
    if _take_sub_headings(columns, row, following):
        columns.header_rows = 2
        columns.kind = "plan"


def _map_headings(row: Row, written: list[int]
                  ) -> tuple[dict[int, str], dict[int, str], dict[int, str]] | None:
    """Each heading's field (column -> field), each year column's year and each heading as
    written (its spaces tidied), in column order (a field already taken by a column to the left
    is no second column's); None as soon as too few headings are left to map for a header row:
    at least two, and three in five of them."""
    needed = max(2, 0.6 * len(written))
    mapped: dict[int, str] = {}
    years: dict[int, str] = {}
    cells = row.cells
    for position, i in enumerate(written):
        if len(mapped) + len(written) - position < needed:
            return None  # a task row with a few words like headings: its other cells are not read
        # Each text matched as written, its spaces tidied only for a header row's headings (most
        # rows given up on are task rows): match_header and year_heading read a text's words
        # alike however they are spaced (each folds its spaces, or matches a run of them), and
        # _heading cost about 1,500 instructions a cell (interpret over the bench's 120 returns
        # 422.7 -> 414.5 M, with financial_year's test for a separator).
        # test_a_heading_matches_as_its_text_spaced_as_written holds it.
        text = cells[i].text
        match = match_header(text)
        if match.field is not None and match.field not in mapped.values():
            if match.field == "baseline":
                year_match = year_heading(text)
                if year_match is not None:
                    years[i] = year_match.year
            mapped[i] = match.field
            continue
        # A year is written with a '19' or a '20' (financial_year's own first test): most cells
        # of a task row, looked at as headings, have neither and are not asked.
        year_match = year_heading(text) if "19" in text or "20" in text else None
        if year_match is not None:
            mapped[i] = year_match.field or "year"
            years[i] = year_match.year
    if len(mapped) < needed or not CORE_FIELDS & set(mapped.values()):
        return None
    return mapped, years, {i: _heading(cells[i].text) for i in written}


#: In a progress table, plan-template columns mean the task's own fields, and the reverse.
_AS_PROGRESS = {"contact_officer": "owner", "timescale": "deadline"}
_AS_PLAN = {"owner": "contact_officer", "deadline": "timescale"}


def _kind(mapped: dict[int, str]) -> str:
    """Decide the table's kind from its whole header, and name its columns for that kind.

    A Status or Position column makes a progress table, whatever else a group added (a Lead
    officer or Timescale column never makes it a planning table); plan-only columns without
    either make a planning table.
    """
    fields = set(mapped.values())
    progress = bool(fields & {"status", "position"}) or not fields & PLAN_FIELDS
    renames = _AS_PROGRESS if progress else _AS_PLAN
    for index, name in list(mapped.items()):
        renamed = renames.get(name)
        if renamed and renamed not in fields:
            mapped[index] = renamed
    return "progress" if progress else "plan"


def _take_sub_headings(columns: ColumnMap, row: Row, following: Row) -> bool:
    """Read a second header row of years under a spanning 'Targets' heading; True if there is one."""
    subs: dict[int, tuple[str, str]] = {}
    for i, cell in enumerate(following.cells):
        if cell.is_blank or cell.merged_left:
            continue
        heading = year_heading(cell.text)  # its spaces as written: as _map_headings asks
        if heading is None:
            return False
        subs[i] = (heading.field or "year", heading.year)
    if not subs:
        return False
    for i, (name, year) in subs.items():
        columns.fields[i] = name
        columns.years[i] = year
        columns.headings[i] = _heading(following.cells[i].text)
        if i in columns.unmapped:
            columns.unmapped.remove(i)
    # The spanning heading itself ("Targets") now lives in its sub-headings.
    for i, name in list(columns.fields.items()):
        if name == "target" and i in subs:
            continue
        if name == "target" and any(j > i for j in subs) and _spans(row, i):
            del columns.fields[i]
    return True


def _spans(row: Row, index: int) -> bool:
    return index + 1 < len(row.cells) and row.cells[index + 1].merged_left
