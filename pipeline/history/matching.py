"""Finding the same task in two periods, though its wording may have changed a little."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from rapidfuzz import fuzz, process, utils

from pipeline.records import TaskLike

#: Two task texts of one group scoring at least this (token_sort_ratio, 0-100) are the same task.
TASK_MATCH_SCORE = 85.0


def match_tasks(previous: Sequence[TaskLike], current: Sequence[TaskLike]) -> list[tuple[int, int]]:
    """Pairs (index in previous, index in current) of the same task, each task in at most one pair.

    Tasks pair only within one group, and only when their Refs are equal or one has none. The
    closest wordings pair first, so a task split into two similar ones keeps its nearer half.
    """
    if not previous or not current:
        return []
    # A Ref is shared by many tasks, and most tasks keep their words from one period to the
    # next: each distinct Ref and wording is normalised once.
    refs: dict[str, str] = {}
    texts: dict[str, tuple[str, str]] = {}
    before_tasks = [_Normalised.of(t, refs, texts) for t in previous]
    after_tasks = [_Normalised.of(t, refs, texts) for t in current]
    groups: dict[str, str] = {}
    by_group: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for side, tasks in enumerate((previous, current)):
        for index, task in enumerate(tasks):
            group = groups.get(task.group)
            if group is None:
                group = groups[task.group] = _words(task.group)
            by_group[group][side].append(index)
    pairs: list[tuple[int, int]] = []
    for before, after in by_group.values():
        if before and after:
            pairs += _match_group([before_tasks[i] for i in before],
                                  [after_tasks[j] for j in after], before, after)
    return sorted(pairs, key=lambda p: p[1])


class _Normalised(NamedTuple):
    """A task's Ref and wording, normalised once: as compared for equality, and as scored."""

    ref: str
    words: str
    scored: str
    """The words as token_sort_ratio compares them (default_process'd, then sorted), so each
    pair is scored by the plain ratio: the same score, without sorting the words again per pair."""

    @classmethod
    def of(cls, task: TaskLike, refs: dict[str, str], texts: dict[str, tuple[str, str]]) -> _Normalised:
        ref = refs.get(task.ref)
        if ref is None:
            ref = refs[task.ref] = _ref(task.ref)
        text = texts.get(task.task)
        if text is None:
            words = _words(task.task)
            text = texts[task.task] = (words, " ".join(sorted(utils.default_process(words).split())))
        return cls(ref, *text)


def _match_group(before: list[_Normalised], after: list[_Normalised],
                 before_ids: list[int], after_ids: list[int]) -> list[tuple[int, int]]:
    # Pairs are taken closest first, so every pair scoring 100 is taken or refused before any
    # other. Those are the pairs whose words the scorer sees as the same (`_Normalised.scored`
    # equal), found by looking them up; most tasks keep their words from one period to the next,
    # so only the few tasks left unpaired then are scored against each other.
    blocks = _ref_blocks([t.ref for t in before], [t.ref for t in after])
    exact: dict[tuple[int, int], float] = {}  # (rank in before, rank in after) -> 100
    for rows, cols in blocks:
        same_scored: dict[str, list[int]] = defaultdict(list)
        for c in cols:
            same_scored[after[c].scored].append(c)
        for r in rows:
            for c in same_scored.get(before[r].scored, ()):
                if _may_pair(before[r], after[c]):
                    exact[r, c] = 100.0
    used_r: set[int] = set()
    used_c: set[int] = set()
    pairs = _closest_first(exact, before, after, used_r, used_c)
    close: dict[tuple[int, int], float] = {}
    for rows, cols in blocks:
        rows = [r for r in rows if r not in used_r]
        cols = [c for c in cols if c not in used_c]
        if not rows or not cols:
            continue
        # Every pair of the block's unpaired tasks scored in one call: token_sort_ratio on
        # default_process'd text, the words sorted once per task (`_Normalised.scored`).
        matrix = process.cdist([before[r].scored for r in rows], [after[c].scored for c in cols],
                               scorer=fuzz.ratio, score_cutoff=TASK_MATCH_SCORE, dtype="float64")
        for a, b in zip(*matrix.nonzero(), strict=True):
            # A pair scoring 100 here is two unpaired tasks refused by `_may_pair`.
            if _may_pair(before[rows[a]], after[cols[b]]):
                close[rows[a], cols[b]] = float(matrix[a, b])
    pairs += _closest_first(close, before, after, used_r, used_c)
    return [(before_ids[r], after_ids[c]) for r, c in pairs]


def _may_pair(a: _Normalised, b: _Normalised) -> bool:
    """False for two tasks without words: only a shared Ref makes them one task."""
    return bool(a.words or b.words) or _same_ref(a, b)


def _closest_first(scores: dict[tuple[int, int], float], before: list[_Normalised],
                   after: list[_Normalised], used_r: set[int], used_c: set[int]) -> list[tuple[int, int]]:
    """(rank in before, rank in after) of the pairs taken from `scores`, the closest first, each
    task (not in `used_r` or `used_c` yet, which take the tasks paired) in at most one."""
    # Ties (the same task text twice in a return) go to the same Ref, then the same position in
    # the group's list, so repeated lines pair in order.
    candidates = sorted((-score, not _same_ref(before[r], after[c]), abs(r - c), r, c)
                        for (r, c), score in scores.items())
    pairs = []
    for *_, r, c in candidates:
        if r not in used_r and c not in used_c:
            used_r.add(r)
            used_c.add(c)
            pairs.append((r, c))
    return pairs


def _ref_blocks(before: list[str], after: list[str]) -> list[tuple[list[int], list[int]]]:
    """Blocks of (ranks in before, ranks in after) covering each pair that may match exactly once:
    the same Ref, a task without a Ref against all, a task with one against those without."""
    refs_before: dict[str, list[int]] = defaultdict(list)
    refs_after: dict[str, list[int]] = defaultdict(list)
    for r, ref in enumerate(before):
        refs_before[ref].append(r)
    for c, ref in enumerate(after):
        refs_after[ref].append(c)
    blocks = [(rows, refs_after[ref]) for ref, rows in refs_before.items() if ref and ref in refs_after]
    blocks.append((refs_before.get("", []), list(range(len(after)))))
    blocks.append(([r for r, ref in enumerate(before) if ref], refs_after.get("", [])))
    return [(rows, cols) for rows, cols in blocks if rows and cols]


def _same_ref(a: _Normalised, b: _Normalised) -> bool:
    return bool(a.ref) and a.ref == b.ref


def _words(text: str) -> str:
    return " ".join(text.casefold().split())


def _ref(text: str) -> str:
    # '1.2a', '1.2 a' and '1.2a.' are one Ref as people type it.
    return _REF_END.sub("", _SPACES.sub("", text.casefold()))


_SPACES = re.compile(r"\s+")
_REF_END = re.compile(r"[\s.]+$")
