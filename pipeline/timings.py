"""Where a run's time goes: each step's wall and CPU seconds, told on stderr when asked for.

Set ``PIPELINE_TIMINGS=1`` and every step of a consolidation (reading, merging, the history,
the checks, each output, recording) prints one line when it ends, for example
``timing workbook: 11.52 s wall, 11.31 s CPU``. CPU is this process's own: a step that waits
for workers or a child (reading, the report written alongside) shows little of it.
`bench/run.py` sets it and prints the lines. Unset, a step costs one look at the environment.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

#: The environment variable that turns the timing lines on.
TIMINGS_ENV = "PIPELINE_TIMINGS"
#: How each timing line starts, for whoever collects them.
PREFIX = "timing "


@contextmanager
def step(name: str) -> Iterator[None]:
    """Time what runs inside as the step called `name`, when timings are asked for."""
    if not os.environ.get(TIMINGS_ENV):
        yield
        return
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        print(f"{PREFIX}{name}: {time.perf_counter() - wall:.2f} s wall, "
              f"{time.process_time() - cpu:.2f} s CPU", file=sys.stderr, flush=True)
