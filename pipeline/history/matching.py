"""Finding the same task in two periods, though its wording may have changed a little."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol

from rapidfuzz import fuzz, utils

#: Two task texts of one group scoring at least this (token_sort_ratio, 0-100) are the same task.
TASK_MATCH_SCORE = 85.0


class TaskLike(Protocol):
    """Anything naming a task the way returns do: a TaskRecord, a history row."""

    # Read-only, so frozen records (a history row) match as well as TaskRecord does.
    @property
    def group(self) -> str: ...
    @property
    def ref(self) -> str: ...
    @property
    def task(self) -> str: ...


def match_tasks(previous: Sequence[TaskLike], current: Sequence[TaskLike]) -> list[tuple[int, int]]:
    """Pairs (index in previous, index in current) of the same task, each task in at most one pair.

    Tasks pair only within one group, and only when their Refs are equal or one has none. The
    closest wordings pair first, so a task split into two similar ones keeps its nearer half.
    """
    by_group: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i, task in enumerate(previous):
        by_group[_words(task.group)][0].append(i)
    for j, task in enumerate(current):
        by_group[_words(task.group)][1].append(j)
    pairs: list[tuple[int, int]] = []
    for before, after in by_group.values():
        pairs += _match_group(previous, current, before, after)
    return sorted(pairs, key=lambda p: p[1])


def _match_group(previous: Sequence[TaskLike], current: Sequence[TaskLike],
                 before: list[int], after: list[int]) -> list[tuple[int, int]]:
    candidates = []
    for rank_i, i in enumerate(before):
        ref_i, text_i = _ref(previous[i].ref), _words(previous[i].task)
        for rank_j, j in enumerate(after):
            ref_j, text_j = _ref(current[j].ref), _words(current[j].task)
            if ref_i and ref_j and ref_i != ref_j:
                continue
            score = _score(text_i, text_j, same_ref=bool(ref_i) and ref_i == ref_j)
            if score >= TASK_MATCH_SCORE:
                # Ties (the same task text twice in a return) go to the same Ref, then the same
                # position in the group's list, so repeated lines pair in order.
                candidates.append((-score, not (ref_i and ref_i == ref_j), abs(rank_i - rank_j), i, j))
    candidates.sort()
    used_i: set[int] = set()
    used_j: set[int] = set()
    pairs = []
    for *_, i, j in candidates:
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            pairs.append((i, j))
    return pairs


def _score(a: str, b: str, *, same_ref: bool) -> float:
    if a == b:
        # Two tasks with no text are one task only when a shared Ref says so.
        return 100.0 if a or same_ref else 0.0
    return fuzz.token_sort_ratio(a, b, processor=utils.default_process, score_cutoff=TASK_MATCH_SCORE)


def _words(text: str) -> str:
    return " ".join(text.casefold().split())


def _ref(text: str) -> str:
    # '1.2a', '1.2 a' and '1.2a.' are one Ref as people type it.
    return re.sub(r"[\s.]+$", "", re.sub(r"\s+", "", text.casefold()))
