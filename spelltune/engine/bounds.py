"""Exact scores and upper bounds from one pass over a reference continuation (see `Engine.score_bounds`).

One forward pass over `prefix + reference` gives, at every position, the model's distribution over
the next token. That is enough to score the reference exactly and to bound every other continuation
of the same prefix: up to where it leaves the reference its tokens are the reference's, the token
where it leaves is read from the distribution there, and whatever follows can only lower its score.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

# (row, token) -> log-probability. Row i is the distribution after prefix + reference[:i].
RowLookup = Callable[[int, int], float]


@dataclass(frozen=True)
class ScoreBound:
    """A continuation's log-probability (`exact`) or an upper bound on it."""

    value: float
    exact: bool


def common_prefix_length(a: Sequence[int], b: Sequence[int]) -> int:
    """How many leading tokens `a` and `b` share."""
    length = min(len(a), len(b))
    for index in range(length):
        if a[index] != b[index]:
            return index
    return length


def bounds_from_rows(reference: Sequence[int], lookup: RowLookup,
                     continuations: Sequence[Sequence[int]]) -> list[ScoreBound]:
    """A bound on the log-probability of each continuation from the rows of a pass along `reference`.

    `lookup` knows rows 0..len(reference) (the last one follows the whole reference). A continuation
    that `reference` starts with is scored exactly; any other gets the score of its tokens up to where
    it leaves `reference` plus the log-probability of the token where it leaves.
    """
    reference = list(reference)
    cumulative = [0.0]
    for index, token in enumerate(reference):
        cumulative.append(cumulative[-1] + lookup(index, token))
    bounds = []
    for ids in continuations:
        ids = list(ids)
        shared = common_prefix_length(ids, reference)
        if shared == len(ids):
            bounds.append(ScoreBound(cumulative[shared], True))
        else:
            bounds.append(ScoreBound(cumulative[shared] + lookup(shared, ids[shared]), False))
    return bounds
