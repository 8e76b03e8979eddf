"""A return's own key to its statuses: 'Key: Green – on track; Amber – some slippage; Red – off
track', in a paragraph, a footer row of a table, or a small table of colour and meaning.

The key decides what the return's words mean (its "some slippage" is Amber, its "Blue" is
Achieved), and the blocks and rows that hold it are never read as tasks or notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.document import Block, Cell, Paragraph, Place, Row, Table
from pipeline.normalise.status import (
    StatusVocabulary,
    colour_name,
    fold_phrase,
    read_status,
    status_from_colour,
)
from pipeline.records import Status

_LABEL_RE = re.compile(
    r"^\s*(?:rag\s+|status\s+|rag\s+status\s+|rating\s+)?(?:key|legend)(?:\s+to\s+(?:rag|status(?:es)?))?"
    r"\s*(?:[:\-–—]|$|\n)",
    re.IGNORECASE)
#: Every character a key's label can start with after its spaces ('Key', 'Legend', 'RAG key',
#: 'Status key', 'Rating key'), in any case as _LABEL_RE reads it (IGNORECASE takes the long s
#: for 's' and the Kelvin sign for 'k'); test_a_key_label_starts_with_one_of_its_letters checks
#: every character.
_LABEL_FIRST = frozenset("kKlLrRsS\u017f\u212a")
#: _LABEL_FIRST and every space (str.isspace): a text starting with neither has no key's label,
#: told from its first character without stripping it (test_a_key_label_starts_with_one_of_its_letters).
_LABEL_STARTS = _LABEL_FIRST | frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_ENTRY_SPLIT_RE = re.compile(r"\s*[;\n|]\s*|\s*,\s+(?=\S+\s*[-–—=:])")
_PAIR_RE = re.compile(r"^(.+?)\s*(?:\s-\s|[–—=:]|\s\(|\bis\b|\bmeans\b)\s*(.+?)\)?$")
#: Colours a key may give a meaning to that are not statuses by themselves.
_EXTRA_COLOURS = frozenset({"blue", "purple", "grey", "gray", "black", "white", "yellow",
                            "orange", "b", "p"})


@dataclass
class Legend:
    """What a return's key says: phrase -> status, and the blocks and rows it occupies."""

    words: dict[str, Status] = field(default_factory=dict)
    places: list[Place] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    """Each entry as written ('Amber – some slippage'), for the warning that the key was used."""
    block_ids: set[int] = field(default_factory=set)
    row_ids: set[int] = field(default_factory=set)

    def holds(self, item: Paragraph | Row) -> bool:
        """True when this paragraph or row is part of the key."""
        return id(item) in (self.block_ids if isinstance(item, Paragraph) else self.row_ids)


def find_legend(blocks: list[Block], vocabulary: StatusVocabulary) -> Legend:
    """Find every key to statuses in a return's blocks."""
    legend = Legend()
    key_pending = False
    for block in blocks:
        if isinstance(block, Paragraph):
            text = block.text
            label = _LABEL_RE.match(text)
            if label is None:
                if text.strip():
                    key_pending = False
                continue
            rest = text[label.end():]
            if _take_entries(legend, rest, vocabulary, block.place):
                legend.block_ids.add(id(block))
                key_pending = False
            elif not rest.strip():
                legend.block_ids.add(id(block))
                key_pending = True  # "Key:" on its own, the key's table below
            continue
        _table_legend(legend, block, vocabulary, key_pending)
        key_pending = False
    return legend


def _table_legend(legend: Legend, table: Table, vocabulary: StatusVocabulary,
                  key_pending: bool) -> None:
    in_key = key_pending
    # A table of nothing but swatches is a key by itself; elsewhere swatches need a "Key" label
    # above them (a task table of Task and a shaded Status would look the same).
    swatches = _swatch_table(table)
    for number, row in enumerate(table.rows):
        # _first_written(row), its usual case told here: most rows' first cell is written, and
        # every row of a return is looked at (test_a_key_row_is_found_whatever_its_first_cell
        # holds the two together).
        opening = row.cells[0] if row.cells else None
        if opening is None or not opening.text or opening.merged_left or opening.merged_above:
            opening = _first_written(row)
            if opening is None:
                continue
        if in_key or swatches is not None:
            swatch = swatches[number] if swatches is not None else _swatch(row)
            if swatch is not None:
                _take_swatch(legend, *swatch, row.place)
                legend.row_ids.add(id(row))
                in_key = True
                continue
        first = opening.text
        if not in_key and first[:1] not in _LABEL_STARTS:
            continue  # most rows: no key above, and no key's label, told by the first letter
        label = _LABEL_RE.match(first)
        if label is None and not in_key:
            continue  # no key, none above
        cells = [c for c in row.cells if c.text and not c.merged_left and not c.merged_above]
        if label is not None:
            rest = "\n".join([first[label.end():], *(c.text for c in cells[1:])])
            found = _take_entries(legend, rest, vocabulary, row.place)
            if found or not rest.strip():
                legend.row_ids.add(id(row))
                in_key = not found
                continue
        if in_key and len(cells) == 2 and _take_pair(legend, cells[0].text, cells[1].text,
                                                     vocabulary, row.place):
            legend.row_ids.add(id(row))
            continue
        if in_key and len(cells) == 1 and _take_entries(legend, first, vocabulary, row.place):
            legend.row_ids.add(id(row))
            continue
        in_key = False


def _first_written(row: Row) -> Cell | None:
    """The row's first cell with text of its own (not a merge's continuation)."""
    for cell in row.cells:
        if cell.text and not cell.merged_left and not cell.merged_above:
            return cell
    return None


def _swatch_table(table: Table) -> list[tuple[Status, str] | None] | None:
    """Each row's swatch when the table holds two to eight swatches and nothing else but blank
    rows; else None (found at the first row that is neither, most tables' first)."""
    swatches = []
    for row in table.rows:
        swatch = _swatch(row)
        if swatch is None and not row.is_blank:
            return None
        swatches.append(swatch)
    return swatches if 2 <= sum(s is not None for s in swatches) <= 8 else None


def _swatch(row: Row) -> tuple[Status, str] | None:
    """A key entry shown by colour: a shaded empty cell beside the words it stands for."""
    # Most rows (every table's first row is looked at) have no shading. A plain loop: a Cell's
    # slot is read faster by the interpreter than by an attrgetter mapped in C.
    for cell in row.cells:
        if cell.fill:
            break
    else:
        return None
    cells = [c for c in row.cells if not c.merged_left]
    written = [i for i, c in enumerate(cells) if c.text]
    if len(written) != 1:
        return None
    index = written[0]
    text = cells[index].text
    if not fold_phrase(text) or len(text.split()) > 8:
        return None
    fills = [cells[i].fill for i in (index - 1, index + 1)
             if 0 <= i < len(cells) and cells[i].fill and cells[i].fill != "FFFFFF"]
    found = [s for s in map(status_from_colour, fills) if s is not None]
    if len(found) == 1:
        return found[0], text
    if len(fills) == 1 and not found:
        # A blue or grey swatch beside "Completed": a row of the key all the same.
        reading = read_status(text)
        if reading.status is not None and not reading.several:
            return reading.status, text
    return None


def _take_swatch(legend: Legend, status: Status, text: str, place: Place) -> None:
    legend.words[fold_phrase(text)] = status
    legend.entries.append(f"{colour_name(status).capitalize()} – {' '.join(text.split())}")
    if place not in legend.places:
        legend.places.append(place)


def _take_entries(legend: Legend, text: str, vocabulary: StatusVocabulary, place: Place) -> bool:
    """Read 'Green – on track; Amber – some slippage' entries; True when at least two were keys."""
    pairs = []
    for entry in _ENTRY_SPLIT_RE.split(text.strip()):
        match = _PAIR_RE.match(entry.strip())
        if match:
            pairs.append((match.group(1), match.group(2)))
    found = 0
    for left, right in pairs:
        found += _take_pair(legend, left, right, vocabulary, place)
    return found >= 2 or (found == 1 and len(pairs) == 1)


def _take_pair(legend: Legend, left: str, right: str, vocabulary: StatusVocabulary,
               place: Place) -> bool:
    """One entry of a key: a status word and what it means, either way round."""
    left_status = _key_status(left, vocabulary)
    right_status = _key_status(right, vocabulary)
    if left_status is not None and fold_phrase(right) and len(right.split()) <= 8:
        legend.words[fold_phrase(right)] = left_status
    elif right_status is not None and fold_phrase(left) and fold_phrase(left) in _EXTRA_COLOURS:
        legend.words[fold_phrase(left)] = right_status
    else:
        return False
    entry = f"{' '.join(left.split())} – {' '.join(right.split())}"
    legend.entries.append(entry)
    if place not in legend.places:
        legend.places.append(place)
    return True


def _key_status(text: str, vocabulary: StatusVocabulary) -> Status | None:
    """The status one side of a key entry names as a whole: 'Green', 'G', 'Complete'."""
    words = text.split()
    if not words or len(words) > 3:
        return None
    reading = read_status(text, vocabulary)
    if reading.status is None or reading.several:
        return None
    return reading.status
