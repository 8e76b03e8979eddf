"""Loading ahead what a later step needs, while something else runs.

pandas, pandera and pandera's backends take about a second of CPU to load: a large run loads
them in a thread while its returns are read, and the command line in a child that stands by
from its start (`side_process.StandbyProcess`) to check a small run. This module imports
nothing heavy itself, so it can be imported before either starts.
"""

from __future__ import annotations


def load_validation() -> None:
    """Load what validating the merged records takes: pandas, pandera and its backends."""
    from pipeline.validate import load_backends

    load_backends()
