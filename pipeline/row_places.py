"""A task's cell places as a reading worker sends them: its row's place and each field's column.

A task keeps the place of each field's cell (`pipeline.records.TaskRecord.cell_places`), five
or six a task; sent back by the reading workers as places, they were a third of what pickling
a return's answer cost the worker, and of what unpickling it cost the run's parent (at 1,000
returns: dumps 0.17 s, loads 0.085 s; without them 0.106 and 0.054). A task's cells are almost
always its row's place in another column: a Word cell is ``Place(file, table, row, column)``
beside the row's ``Place(file, table, row)``, an Excel cell ``Place(file, sheet=…, cell="C8")``
beside the row's ``cell="A8"``. Such a task is sent with the layout of its row in their stead
(`sent_layout`: the field names and their columns, a pair of tuples shared by the rows of a
table, so that pickle's memo sends it once an answer), and received with a `RowPlaces` made from
its own place and that layout: each place is made again only when asked for. Places that do not
fit (another row's, a paragraph's, anything unusual) are sent as the dict they are.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import Any

from pipeline.document import Place

_new_tuple = tuple.__new__
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

Layout = tuple[tuple[str, ...], tuple[Any, ...]]
"""The field names, and each one's column: a number (Word, PDF) or letters (Excel)."""

#: Each layout met, kept once, so that the rows of a table share theirs (pickle's memo is by
#: identity); cleared when it holds more than a worker should need.
_layouts: dict[Layout, Layout] = {}
_LAYOUTS_KEPT = 4096
_last: Layout | None = None
"""The layout `sent_layout` gave last (one of `_layouts`)."""


class RowPlaces(Mapping[str, Place]):
    """The places of a row's cells, by field name: its place with each field's column.

    A read-only mapping equal to (and shown as) the dict of the same places, in the same order.
    """

    __slots__ = ("_row", "_layout", "_places")
    _row: Place
    _layout: Layout
    _places: dict[str, Place] | None

    def __init__(self, row: Place, layout: Layout) -> None:
        self._row = row
        self._layout = layout
        self._places = None
        """The places, once made (a first look that raised AttributeError instead cost a task's
        first `place_of` about 0.8 µs more: 2.6 against 1.8 µs)."""

    def _dict(self) -> dict[str, Place]:
        made = self._places
        if made is None:
            names, columns = self._layout
            made = self._places = dict(zip(names, map(self._place_at, columns), strict=True))
        return made

    def _place_at(self, column: Any) -> Place:
        """The row's place in another column: a number (Word, PDF), or letters (Excel)."""
        row = self._row
        if row[5] is None:
            return _new_tuple(Place, (*row[:3], column, *row[4:]))
        cell = row[6]
        return _new_tuple(Place, (*row[:6], column + (cell.lstrip(_LETTERS) if cell else ""),
                                  row[7]))

    def __getitem__(self, name: str) -> Place:
        place = self.get(name)
        if place is None:
            raise KeyError(name)
        return place

    def get(self, name: str, default: Any = None) -> Any:
        # One place looked for (a task's place_of, for each of its issues) is made alone, not
        # with the rest: 1.8 -> 0.5-1.0 µs a task's first look (test_row_places holds the two ways
        # together).
        made = self._places
        if made is not None:
            return made.get(name, default)
        names = self._layout[0]
        if name not in names:
            return default
        return self._place_at(self._layout[1][names.index(name)])

    # The made dict's own views: a consumer that reads them all (`pipeline.outbox.places`'s
    # TaskPlaces, for each task) does not look each place up through __getitem__.
    def keys(self) -> KeysView[str]:
        return self._dict().keys()

    def values(self) -> ValuesView[Place]:
        return self._dict().values()

    def items(self) -> ItemsView[str, Place]:
        return self._dict().items()

    def in_row_of(self, place: Place) -> bool:
        """True when every place is in the row `place` names, as `pipeline.outbox.places.row_key`
        reads rows: `place` is the row's place, and no cell's letters end in a digit (a cell
        "D1" + "7" would be in row 17). Told without making the places."""
        if self._row != place:
            return False
        return place[5] is None or not any(letters[-1:].isdecimal() for letters in self._layout[1])

    def __contains__(self, name: object) -> bool:
        return name in self._layout[0]

    def __iter__(self) -> Iterator[str]:
        return iter(self._layout[0])

    def __len__(self) -> int:
        return len(self._layout[0])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RowPlaces) and self._row == other._row and self._layout == other._layout:
            return True
        return self._dict() == other if isinstance(other, Mapping) else NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as a dict's

    def __repr__(self) -> str:
        return repr(self._dict())

    def __reduce__(self) -> tuple[type[RowPlaces], tuple[Place, Layout]]:
        # Its row and layout, not its places. A task's are sent by the task itself (its
        # layout alone: `pipeline.records`), this is for a RowPlaces pickled on its own.
        return RowPlaces, (self._row, self._layout)


def sent_layout(places: Mapping[str, Place], row: Place) -> Layout | None:
    """The layout `places` are sent as, when each is `row`'s place in another column (exactly:
    each is compared with the place made again from its column); else None, to send them as
    they are. The rows of a table of the same fields and columns share one layout."""
    if type(places) is not dict or not places:
        return None
    file, table, number, column, paragraph, sheet, cell, page = row
    columns: list[Any] = []
    # A plain loop, each place compared with a tuple made in place (a tuple equals the Place of
    # the same values): 15 thousand instructions a task, where taking each field apart with
    # map() and itemgetter() took 30 (each iterator made costs a call); the places cost about
    # 26 thousand to pickle.
    if sheet is None:  # a Word or PDF row: its cells differ from it in their column alone
        for place in places.values():
            column = place[3]
            if place != (file, table, number, column, paragraph, sheet, cell, page):
                return None
            columns.append(column)
    else:  # a sheet's row, `cell="A8"`: its cells differ in their letters alone
        if type(cell) is not str:
            return None
        digits = cell.lstrip(_LETTERS)
        end = -len(digits) or None
        own = cell[:end]
        for place in places.values():
            if place is row:  # column A's cell: the row's own place (`readers.xlsx`)
                columns.append(own)
                continue
            letters = place[6]
            if type(letters) is not str:
                return None
            letters = letters[:end]
            if place != (file, table, number, column, paragraph, sheet, letters + digits, page):
                return None
            columns.append(letters)
    layout = (tuple(places), tuple(columns))
    # The rows of a table come one after another: compared with the layout given last, a row's
    # is found without hashing it (the send bench's 3,600 tasks: 3.0 M instructions less, 830 a
    # task, than each looked up in `_layouts`).
    global _last
    if layout == _last:
        return _last
    shared = _layouts.get(layout)
    if shared is None:
        if len(_layouts) >= _LAYOUTS_KEPT:
            _layouts.clear()
        shared = _layouts[layout] = layout
    _last = shared
    return shared
