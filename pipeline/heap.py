"""Keeping the garbage collector off what a run holds for the whole of its life, and out of the
blocks that make many objects and no cycles.

A consolidation of a county's returns is millions of objects that live until the run ends
(the tasks, their places, the issues) and no garbage. Python's collector still walks all of them
in each full collection: about a second at 1,000 returns, spent while the history is compared
and the status checks run. Frozen, they are left out of its passes, and a forked child (a reader,
the report's writer) does not touch, and so copy, the pages it shares with its parent.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Allocations between two collections of the youngest objects: Python 3.13's own default (3.11
#: and 3.12 collect every 700). Loading the libraries and reading the returns make hundreds of
#: thousands of objects that live to the run's end: collected every 700, the shipped inbox's run
#: spent about 0.1 s of CPU in 350 collections; every 2,000, a third as many.
YOUNG_COLLECTION_EVERY = 2_000


def collect_young_less_often() -> None:
    """Collect the youngest generation every `YOUNG_COLLECTION_EVERY` allocations, as newer
    Pythons do; the older generations keep their ratios."""
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, middle, oldest)


#: `frozen_heap` blocks open in this process (a forked child starts with its parent's count, as
#: with its parent's frozen heap). Counted here because asking the collector is not cheap:
#: ``gc.get_freeze_count()`` walks every frozen object, about 10 ms per million.
_open_blocks = 0


def _frozen_already() -> bool:
    """True when the heap is frozen now: by an open `frozen_heap` block (known at once), or on
    purpose elsewhere (asked of the collector only when no block is open, so at a run's start,
    when little is frozen)."""
    return _open_blocks > 0 or gc.get_freeze_count() > 0


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Leave every object alive now out of the collector's passes until the block ends.

    A heap already frozen on purpose (by an outer block, or at exit) stays frozen: only the
    freeze that made it is undone. In a long-lived process (the officer's page) the objects go
    back to the collector when the block ends, so a finished run's garbage is still freed.
    """
    global _open_blocks
    already = _frozen_already()
    gc.freeze()
    _open_blocks += 1
    try:
        yield
    finally:
        _open_blocks -= 1
        if not already:
            gc.unfreeze()


@contextmanager
def collector_paused(*, made_to_last: bool = False) -> Iterator[None]:
    """No cycle collection while the block makes many objects and no cycles (a worker's answer
    unpickled, a workbook's cells written): a full collection would walk every object of the run.
    A collector already paused stays paused.

    With ``made_to_last`` (the records of every return read, which the run keeps to its end),
    what the block made is frozen with the rest when the block ends inside a `frozen_heap`
    block: otherwise the first collection after it walks all of it (0.2 s at 1,000 returns),
    and later ones again. The `frozen_heap` block's end hands it all back to the collector.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if made_to_last and _frozen_already():
            gc.freeze()
        gc.enable()
