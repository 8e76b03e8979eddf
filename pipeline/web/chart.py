"""The history chart's geometry: stacked bars of RAG counts, one per period, for each group.

Only numbers here; the template draws them as inline SVG, with the words beside the colours.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pipeline.history.counts import COUNTED
from pipeline.records import Status

WIDTH = 320
HEIGHT = 160
TOP = 10
BOTTOM = 36
LEFT = 30
SHORT = {Status.GREEN: "G", Status.AMBER: "A", Status.RED: "R", Status.ACHIEVED: "Ach"}


@dataclass
class Segment:
    """One status's share of a bar."""

    status: str
    short: str
    """The status as a label short enough for the bar: G, A, R, Ach."""
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass
class Bar:
    """One period's tasks, stacked by status."""

    period: str
    total: int
    x: float
    segments: list[Segment] = field(default_factory=list)


@dataclass
class GroupChart:
    """One group's bars across the periods, all drawn to the same scale."""

    group: str
    bars: list[Bar]
    scale_max: int
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM


def group_charts(periods: list[str], table: dict[str, dict[str, Counter[Status | None]]]) -> list[GroupChart]:
    """A chart per group (first-seen order) of its counted statuses in each period."""
    groups = list(dict.fromkeys(g for period in periods for g in table.get(period, {})))
    top = max((sum(c[s] for s in COUNTED) for p in table.values() for c in p.values()), default=0)
    top = max(top, 1)
    plot = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT) / max(len(periods), 1)
    bar_width = min(40.0, step * 0.6)
    charts = []
    for group in groups:
        bars = []
        for i, period in enumerate(periods):
            counts = table.get(period, {}).get(group, Counter())
            x = LEFT + i * step + (step - bar_width) / 2
            bar = Bar(period, sum(counts[s] for s in COUNTED), x)
            y: float = HEIGHT - BOTTOM
            for status in COUNTED:
                n = counts[status]
                if not n:
                    continue
                h = plot * n / top
                y -= h
                bar.segments.append(Segment(status.value, SHORT[status], n, x, y, bar_width, h))
            bars.append(bar)
        charts.append(GroupChart(group, bars, top))
    return charts
