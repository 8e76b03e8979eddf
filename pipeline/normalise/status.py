"""RAG statuses from the many ways people write them, and from a cell's colour."""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass

from pipeline.model import STATUS_SEVERITY_ORDER, Status

_WORDS: dict[str, Status] = {
    "red": Status.RED,
    "amber": Status.AMBER,
    "green": Status.GREEN,
    "achieved": Status.ACHIEVED,
    "complete": Status.ACHIEVED,
    "completed": Status.ACHIEVED,
}
_LETTERS: dict[str, Status] = {"r": Status.RED, "a": Status.AMBER, "g": Status.GREEN}
# The summary table's own phrases, taken only when no colour word is written.
_PHRASES: dict[str, Status] = {
    "needs action": Status.RED,
    "needs attention": Status.AMBER,
    "on track": Status.GREEN,
}
_WORD_RE = re.compile(r"\b(" + "|".join(_WORDS) + r")\b", re.IGNORECASE)
_LETTER_RE = re.compile(r"^\s*\(?([rag])\)?\s*\.?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class StatusReading:
    """What a Status cell says: the status to use, every status found, or why there is none."""

    status: Status | None
    found: tuple[Status, ...] = ()
    problem: str | None = None
    """``missing`` (empty cell) or ``unknown`` (text that is not a status); None when read."""

    @property
    def several(self) -> bool:
        """True when the cell names more than one status."""
        return len(self.found) > 1


def read_status(text: str) -> StatusReading:
    """Read a Status cell: any case, 'Amber – needs attention', 'G', 'Completed', or several lines.

    A cell holding several statuses gets the worst of them (Red > Amber > Green > Achieved).
    A misspelling is not guessed at: it is reported as unknown.
    """
    text = text.strip()
    if not text:
        return StatusReading(None, problem="missing")
    found: list[Status] = []
    for line in text.splitlines():
        line_found = [_WORDS[m.lower()] for m in _WORD_RE.findall(line)]
        if not line_found:
            letter = _LETTER_RE.match(line)
            if letter:
                line_found = [_LETTERS[letter.group(1).lower()]]
            else:
                lowered = " ".join(line.lower().split())
                line_found = [s for phrase, s in _PHRASES.items() if phrase in lowered]
        found.extend(line_found)
    if not found:
        return StatusReading(None, problem="unknown")
    worst = min(found, key=STATUS_SEVERITY_ORDER.index)
    return StatusReading(worst, tuple(found))


def status_from_colour(fill: str | None) -> Status | None:
    """The status a cell's shading shows: any reasonable shade of red, amber or green."""
    if not fill or not re.fullmatch(r"[0-9A-Fa-f]{6}", fill):
        return None
    r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    degrees = hue * 360
    # Greys, white, black and pastel washes carry no status.
    if saturation < 0.45 or lightness < 0.15 or lightness > 0.85:
        return None
    if degrees < 18 or degrees >= 340:
        return Status.RED
    if 25 <= degrees <= 62:
        return Status.AMBER
    if 70 <= degrees <= 165:
        return Status.GREEN
    return None


def colour_name(status: Status) -> str:
    """The colour a status is shown in, as a word."""
    return {Status.RED: "red", Status.AMBER: "amber", Status.GREEN: "green"}.get(status, "blue")
