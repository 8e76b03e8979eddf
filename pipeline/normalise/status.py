"""RAG statuses from the many ways people write them, and from a cell's colour or symbol.

A Status cell is read line by line: the colour words (Red, Amber, Green, Achieved) first; else
the phrases of the status vocabulary ("On track", "Some slippage", "Off track", "Closed"…),
which a partnership extends in its register and a return's own key overrides; else letters
("G", "A/G"); else a symbol (🔴, ✓). A word that does not say how a task is doing ("Ongoing",
"In progress") is ambiguous: it is never guessed, the group is asked to choose.
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from pipeline.records import STATUS_SEVERITY_ORDER, Status

#: The four words a status is written as, and the ones that mean them outright.
_COLOUR_WORDS: dict[str, Status] = {
    "red": Status.RED,
    "amber": Status.AMBER,
    "green": Status.GREEN,
    "achieved": Status.ACHIEVED,
    "complete": Status.ACHIEVED,
    "completed": Status.ACHIEVED,
}
_COLOUR_WORD_RE = re.compile(r"(?<![a-z])(" + "|".join(_COLOUR_WORDS) + r")(?![a-z])")

#: The vocabulary every partnership starts with: phrase -> status, None for an ambiguous word.
DEFAULT_STATUS_WORDS: dict[str, Status | None] = {
    "on track": Status.GREEN,
    "on target": Status.GREEN,
    "on schedule": Status.GREEN,
    "some slippage": Status.AMBER,
    "slippage": Status.AMBER,
    "slipping": Status.AMBER,
    "slipped": Status.AMBER,
    "at risk": Status.AMBER,
    "behind": Status.AMBER,
    "behind schedule": Status.AMBER,
    "delayed": Status.AMBER,
    "needs attention": Status.AMBER,
    "not started": Status.AMBER,
    "not yet started": Status.AMBER,
    "off track": Status.RED,
    "off target": Status.RED,
    "not on track": Status.RED,
    "needs action": Status.RED,
    "not achieved": Status.RED,
    "failed": Status.RED,
    "closed": Status.ACHIEVED,
    "delivered": Status.ACHIEVED,
    "done": Status.ACHIEVED,
    "finished": Status.ACHIEVED,
    "ongoing": None,
    "on going": None,
    "in progress": None,
    "underway": None,
    "under way": None,
}

#: Symbols that say a status by themselves; a plain ● or ■ says it only by its colour.
_SYMBOLS: dict[str, Status] = {
    "🔴": Status.RED, "🟥": Status.RED, "❌": Status.RED,
    "🟠": Status.AMBER, "🟡": Status.AMBER, "🟧": Status.AMBER, "🟨": Status.AMBER,
    "🟢": Status.GREEN, "🟩": Status.GREEN,
    "✓": Status.ACHIEVED, "✔": Status.ACHIEVED, "☑": Status.ACHIEVED, "✅": Status.ACHIEVED,
}
#: Shapes that show a status only through the colour they are drawn in.
SHAPES = frozenset("●■◉⬤◼▪•○□◯⚫⬛⏺")
_LETTERS: dict[str, Status] = {"r": Status.RED, "a": Status.AMBER, "g": Status.GREEN}
_LETTERS_RE = re.compile(r"^\(?([rag])\)?(?:\s*[/,&+\-–]\s*\(?([rag])\)?)*\s*\.?$")
_LETTER_RE = re.compile(r"[rag]")
#: Status values a register or a key may give a word; "Query" marks it ambiguous.
_VALUES: dict[str, Status | None] = {s.value.lower(): s for s in Status} | {"query": None}


def fold_phrase(text: str) -> str:
    """A phrase folded for comparison: lower case, punctuation as spaces, '-' joining nothing."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def status_value(text: str) -> Status | None:
    """The status a register or key value names ('Amber', 'achieved'); raises on anything else."""
    key = text.strip().lower()
    if key not in _VALUES:
        raise ValueError(f"{text!r} is not Green, Amber, Red, Achieved or Query")
    return _VALUES[key]


@dataclass(frozen=True)
class StatusVocabulary:
    """The phrases a partnership's returns use for statuses (folded phrase -> status or None)."""

    words: Mapping[str, Status | None] = field(default_factory=lambda: dict(DEFAULT_STATUS_WORDS))

    def __post_init__(self) -> None:
        folded = {fold_phrase(k): v for k, v in self.words.items() if fold_phrase(k)}
        object.__setattr__(self, "words", folded)

    def extended(self, extra: Mapping[str, Status | None]) -> StatusVocabulary:
        """This vocabulary with more words (a register's or a return's key), which win."""
        return StatusVocabulary({**self.words, **{fold_phrase(k): v for k, v in extra.items()}})

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        phrases = sorted(self.words, key=len, reverse=True)
        if not phrases:
            return None
        return re.compile(r"(?<![a-z0-9])(" + "|".join(map(re.escape, phrases)) + r")(?![a-z0-9])")

    @cached_property
    def readings(self) -> dict[str, StatusReading]:
        """What each Status cell's text has read as (`read_status`): the same few words fill
        the Status column of every return."""
        return {}

    def find(self, folded: str) -> tuple[list[Status], list[str], bool]:
        """The statuses and ambiguous phrases in a folded line, and whether one was negated."""
        pattern = self._pattern
        if pattern is None:
            return [], [], False
        found: list[Status] = []
        ambiguous: list[str] = []
        negated = False
        for match in pattern.finditer(folded):
            if folded[:match.start()].endswith("not "):
                negated = True  # "not on track" is listed itself; "not done" is not a status
                continue
            status = self.words.get(match.group(1))
            if status is None:
                ambiguous.append(match.group(1))
            elif status not in found:
                found.append(status)
        return found, ambiguous, negated


DEFAULT_VOCABULARY = StatusVocabulary()


@dataclass(frozen=True)
class StatusReading:
    """What a Status cell says: the status to use, every status found, or why there is none."""

    status: Status | None
    found: tuple[Status, ...] = ()
    problem: str | None = None
    """``missing`` (empty cell), ``unknown`` (text that is not a status) or ``ambiguous`` (a word
    such as 'Ongoing' that does not say how the task is doing); None when read."""
    ambiguous: str = ""
    """The ambiguous words, as written, when the problem is ``ambiguous``."""
    symbol: str = ""
    """The symbol the status was read from (🔴, ✓), when it was read from a symbol alone."""

    @property
    def several(self) -> bool:
        """True when the cell names more than one status."""
        return len(self.found) > 1


def read_status(text: str, vocabulary: StatusVocabulary = DEFAULT_VOCABULARY) -> StatusReading:
    """Read a Status cell: any case, 'Amber – needs attention', 'G', 'A/G', 'On track', '🔴'.

    A cell holding several statuses gets the worst of them (Red > Amber > Green > Achieved).
    A misspelling is not guessed at: it is reported as unknown; an ambiguous word is a query.
    """
    readings = vocabulary.readings
    reading = readings.get(text)
    if reading is None:
        reading = _read_status(text, vocabulary)
        if len(readings) < _READINGS_KEPT:
            readings[text] = reading
    return reading


#: Status texts whose reading a vocabulary remembers (the words of a run's returns are few).
_READINGS_KEPT = 10_000


def _read_status(text: str, vocabulary: StatusVocabulary) -> StatusReading:
    text = text.strip()
    if not text:
        return StatusReading(None, problem="missing")
    found: list[Status] = []
    ambiguous: list[str] = []
    symbol = ""
    for line in text.splitlines():
        folded = fold_phrase(line)
        line_found, line_ambiguous, symbols = _read_line(line, folded, vocabulary)
        found.extend(line_found)
        ambiguous.extend(line_ambiguous)
        if symbols:
            symbol += symbols
    if not found:
        if ambiguous:
            return StatusReading(None, problem="ambiguous", ambiguous=", ".join(dict.fromkeys(ambiguous)))
        return StatusReading(None, problem="unknown")
    worst = min(found, key=STATUS_SEVERITY_ORDER.index)
    return StatusReading(worst, tuple(found), symbol=symbol)


def _read_line(line: str, folded: str, vocabulary: StatusVocabulary
               ) -> tuple[list[Status], list[str], str]:
    """The statuses on one line, its ambiguous words, and the symbols it was read from."""
    if not folded and not line.strip():
        return [], [], ""
    # A key may give a meaning to a colour word itself ("Blue – completed"): it wins.
    words, ambiguous, negated = vocabulary.find(folded)
    colours: list[Status] = []
    for match in _COLOUR_WORD_RE.finditer(folded):
        status = _COLOUR_WORDS[match.group(1)]
        if folded[:match.start()].endswith("not "):
            continue  # "not complete" is not Achieved
        colours.append(status)
    if colours:
        return colours, [], ""
    if words:
        return words, [], ""
    letters = _LETTERS_RE.match(line.strip().lower())
    if letters:
        statuses = [_LETTERS[c] for c in _LETTER_RE.findall(line.strip().lower())]
        return list(dict.fromkeys(statuses)), [], ""
    symbols = [(ch, _SYMBOLS[ch]) for ch in line if ch in _SYMBOLS]
    if symbols and not any(ch.isalnum() for ch in line):
        return list(dict.fromkeys(s for _, s in symbols)), [], "".join(ch for ch, _ in symbols)
    if negated:
        return [], [], ""
    return [], ambiguous, ""


def is_shape(text: str) -> bool:
    """True when a cell holds only shapes (● ■) that show a status by their colour alone."""
    stripped = "".join(text.split())
    return bool(stripped) and all(ch in SHAPES for ch in stripped)


@lru_cache(maxsize=1024)
def status_from_colour(fill: str | None) -> Status | None:
    """The status a colour shows: the nearest of red, amber and green, pale or dark.

    Greys, black, white, blues and purples carry no status. Remembered by colour: a run's
    returns use few, and working one out (a pattern, a conversion to hue) costs about 20,000
    instructions, looked up for every shaded Status cell and key row.
    """
    if not fill or not re.fullmatch(r"[0-9A-Fa-f]{6}", fill):
        return None
    r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    degrees = hue * 360
    # Greys, white, black and faint washes carry no status; Excel's pale "Light Red Fill"
    # (FFC7CE) and "Green Fill" (C6EFCE) do.
    if saturation < 0.35 or lightness < 0.12 or lightness > 0.95:
        return None
    if lightness > 0.85 and saturation < 0.5:
        return None
    if degrees < 17 or degrees >= 335:
        return Status.RED
    if degrees < 66:
        return Status.AMBER
    if 70 <= degrees <= 170:
        return Status.GREEN
    return None


def colour_name(status: Status) -> str:
    """The colour a status is shown in, as a word."""
    return {Status.RED: "red", Status.AMBER: "amber", Status.GREEN: "green"}.get(status, "blue")
