"""Keyboard slips: a neighbouring key hit instead of, or as well as, the intended one."""

from __future__ import annotations

import random

from spelltune.correct.dictionary import match_case
from spelltune.data.lexicon.keyboard import QWERTY_NEIGHBOURS


def _letter_positions(word: str) -> list[int]:
    return [i for i, ch in enumerate(word) if ch.lower() in QWERTY_NEIGHBOURS]


def substitute_adjacent_key(word: str, rng: random.Random) -> str | None:
    """`word` with one letter replaced by a QWERTY neighbour of it (the -> thr), keeping its case."""
    positions = _letter_positions(word)
    if len(word) < 2 or not positions:
        return None
    index = rng.choice(positions)
    original = word[index]
    replacement = rng.choice(QWERTY_NEIGHBOURS[original.lower()])
    replacement = replacement.upper() if original.isupper() else replacement
    return word[:index] + replacement + word[index + 1 :]


def insert_neighbour_key(word: str, rng: random.Random) -> str | None:
    """`word` with a QWERTY neighbour of one letter typed just before or after it (the -> thre)."""
    positions = _letter_positions(word)
    if len(word) < 2 or not positions:
        return None
    index = rng.choice(positions)
    extra = rng.choice(QWERTY_NEIGHBOURS[word[index].lower()])
    extra = match_case(word[index], extra) if index > 0 else extra
    at = index + rng.randrange(2)
    if at == 0 and word[0].isupper():  # a new first letter takes the word's capital
        return extra.upper() + word[0].lower() + word[1:]
    return word[:at] + extra + word[at:]
