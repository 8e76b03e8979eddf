"""pipeline/heap.py: the run's objects kept out of the collector's passes, and given back."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.heap import collector_paused, frozen_heap
from pipeline.register import load_register
from pipeline.run import run_consolidation

INBOX = Path(__file__).resolve().parent.parent / "inbox"


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """Start from a heap nothing froze (a command run in this process freezes it at exit)."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_what_is_alive_is_frozen_in_the_block_and_given_back_after(unfrozen: None) -> None:
    held = [object() for _ in range(1000)]
    with frozen_heap():
        assert gc.get_freeze_count() >= len(held)
    assert gc.get_freeze_count() == 0


def test_a_heap_frozen_on_purpose_stays_frozen(unfrozen: None) -> None:
    gc.freeze()
    outer = gc.get_freeze_count()
    with frozen_heap():
        pass
    assert gc.get_freeze_count() >= outer > 0


def test_a_block_inside_another_leaves_the_heap_frozen_until_the_outer_one_ends(
        unfrozen: None) -> None:
    held = [object() for _ in range(1000)]
    with frozen_heap():
        with frozen_heap():
            held.append(object())
        assert gc.get_freeze_count() >= len(held)  # the inner block did not give it back
        with pytest.raises(RuntimeError), frozen_heap():
            raise RuntimeError("a writer failed")
        assert gc.get_freeze_count() >= len(held)
    assert gc.get_freeze_count() == 0


def test_the_heap_is_given_back_when_the_block_raises(unfrozen: None) -> None:
    with pytest.raises(RuntimeError), frozen_heap():
        raise RuntimeError("a writer failed")
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("history", [True, False])
def test_a_run_gives_its_objects_back_to_the_collector(tmp_path: Path, unfrozen: None,
                                                       history: bool) -> None:
    """The officer's page runs consolidations in one long-lived process: what a finished run
    held must be collectable again, or every run's garbage would stay for good."""
    inbox = tmp_path / "inbox"
    shutil.copytree(INBOX, inbox)
    result = run_consolidation(inbox, tmp_path / "out", load_register(), history=history,
                               period="Q4 2008/09", pdf=False)
    assert result.result.tasks
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_in_the_block_and_left_as_it_was_found(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), collector_paused():
            raise RuntimeError("a cell could not be written")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_what_a_paused_block_made_to_last_is_frozen_inside_a_frozen_heap_only(
        unfrozen: None) -> None:
    made: list[list[int]] = []
    with collector_paused(made_to_last=True):
        made += [[i] for i in range(5000)]
    assert gc.get_freeze_count() == 0  # no frozen heap to give it back: nothing is frozen
    with frozen_heap():
        before = gc.get_freeze_count()
        with collector_paused(made_to_last=True):
            made += [[i] for i in range(5000)]
        assert gc.get_freeze_count() >= before + 5000
        with collector_paused():  # not made to last: left to the collector
            made += [[i] for i in range(5000)]
        assert gc.get_freeze_count() < before + 10_000
    assert gc.get_freeze_count() == 0


def test_the_youngest_generation_is_collected_less_often_and_the_others_as_before() -> None:
    from pipeline.heap import YOUNG_COLLECTION_EVERY, collect_young_less_often

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        collect_young_less_often()
        assert gc.get_threshold() == (YOUNG_COLLECTION_EVERY, 10, 10)
    finally:
        gc.set_threshold(*before)
