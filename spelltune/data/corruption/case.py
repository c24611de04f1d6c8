"""Case: copying a word's case onto a replacement, and case noise (tHe, THe, i, paris)."""

from __future__ import annotations

import random

from spelltune.correct.dictionary import match_case

__all__ = ["add_case_noise", "match_case"]


def add_case_noise(word: str, rng: random.Random) -> str | None:
    """`word` with wrong case: a capital dropped (I -> i, Paris -> paris) or capitals added (tHe, THe)."""
    if not word.isalpha():
        return None
    if word[0].isupper() and (len(word) == 1 or word[1:].islower()):
        return word.lower()
    if len(word) < 2 or not word.islower():
        return None
    style = rng.randrange(3)
    if style == 0:  # a stuck shift key: the first two letters capitalised
        noisy = word[:2].upper() + word[2:]
    elif style == 1:  # caps lock on with shift held: all but the first
        noisy = word[0] + word[1:].upper()
    else:  # one inner letter capitalised
        index = rng.randrange(1, len(word))
        noisy = word[:index] + word[index].upper() + word[index + 1 :]
    return noisy if noisy != word else None
